"""Weighted nucleoli, the nucleolus for a coalition structure and the kernel from Python:
hand-derived values (derivations in tests/nucleoli.rs), the kernel against surpluses computed
here by brute force with numpy, scale covariance at budgets of 1e8, and typed errors."""

import itertools

import numpy as np
import pytest

import coalitional as co
from conftest import raises_error

PLAYERS = ["A", "B", "C"]


def surpluses(values, x):
    """s[i, j] = max of v(S) - x(S) over S with i and without j, by brute force."""
    n = len(x)
    s = np.full((n, n), -np.inf)
    for mask in range(1, 2**n - 1):
        members = [k for k in range(n) if mask >> k & 1]
        e = values[mask] - sum(x[k] for k in members)
        for i in members:
            for j in range(n):
                if not mask >> j & 1:
                    s[i, j] = max(s[i, j], e)
    return s


def test_hand_derived_values():
    g = co.Game([0, 0, 0, 4, 0, 0, 0, 6], PLAYERS)
    np.testing.assert_allclose(g.per_capita_nucleolus(), [8 / 3, 8 / 3, 2 / 3], rtol=1e-12)
    np.testing.assert_allclose(g.structured_nucleolus([["A", "B"], ["C"]]), [2, 2, 0], atol=1e-12)
    np.testing.assert_allclose(g.structured_nucleolus([PLAYERS]), g.nucleolus(), atol=1e-12)
    h = co.Game([0, 1, 1, 4, 1, 2, 2, 6], PLAYERS)
    np.testing.assert_allclose(h.proportional_nucleolus(), [2.4, 2.4, 1.2], rtol=1e-12)
    np.testing.assert_allclose(h.disruption_nucleolus(), [16 / 7, 16 / 7, 10 / 7], rtol=1e-12)
    x = h.disruption_nucleolus()
    assert isinstance(x, co.Allocation) and list(x.players) == PLAYERS


def test_kernel_against_brute_force_surpluses():
    rng = np.random.default_rng(7)
    for n in range(2, 6):
        for _ in range(4):
            values = rng.integers(0, 20, 2**n).astype(float)
            values[0] = 0.0
            values[-1] = max(values[-1], sum(values[1 << i] for i in range(n)) + 3)
            g = co.Game(values, [f"p{i}" for i in range(n)])
            k = np.asarray(g.kernel_point())
            s = surpluses(values, k)
            alone = values[[1 << i for i in range(n)]]
            for i, j in itertools.permutations(range(n), 2):
                assert s[i, j] <= s[j, i] + 1e-7 or k[j] <= alone[j] + 1e-7
            assert g.in_kernel(k) and g.in_kernel(g.nucleolus())
            assert g.in_prekernel(g.prenucleolus())


def test_points_outside_the_kernel_and_zero_monotonic_games():
    majority = co.Game([0, 0, 0, 1, 0, 1, 1, 1], PLAYERS)
    assert not majority.in_kernel([0.5, 0.5, 0.0])
    assert not majority.in_prekernel({"A": 0.5, "B": 0.5, "C": 0.0})
    assert majority.in_kernel([0.34, 0.33, 0.33], tol=0.02)
    # Zero-monotonic 3-player game at budgets of 1e8: the kernel is the nucleolus.
    b = np.array([1e8, 2e8, 3e8])
    w = [0, 0, 0, 4, 0, 0, 0, 6]
    values = [w[m] + sum(b[i] for i in range(3) if m >> i & 1) for m in range(8)]
    g = co.Game(values, PLAYERS)
    np.testing.assert_allclose(np.asarray(g.kernel_point()) - b, [2.5, 2.5, 1.0], atol=1e-6)


def test_scale_covariance_at_large_budgets():
    base = co.Game([0, 0, 0, 4, 0, 1, 2, 6], PLAYERS)
    b = np.array([1e8, 3e8, 2e8])
    values = [3 * base.values[m] + sum(b[i] for i in range(3) if m >> i & 1) for m in range(8)]
    big = co.Game(values, PLAYERS)
    for rule in ("per_capita_nucleolus", "disruption_nucleolus"):
        got = np.asarray(getattr(big, rule)())
        np.testing.assert_allclose(got, 3 * np.asarray(getattr(base, rule)()) + b, rtol=0, atol=1e-6)
    pos = co.Game([0, 1, 1, 4, 1, 2, 2, 6], PLAYERS)
    scaled = co.Game(np.asarray(pos.values) * 1e8, PLAYERS)
    np.testing.assert_allclose(scaled.proportional_nucleolus(), np.asarray(pos.proportional_nucleolus()) * 1e8,
                               rtol=1e-9)


def test_typed_errors():
    g = co.Game([0, 0, 0, 4, 0, 0, 0, 6], PLAYERS)
    with raises_error(co.UndefinedSolution, "undefined", concept="the proportional nucleolus"):
        g.proportional_nucleolus()
    with raises_error(co.InvalidGame, "invalid_parameter", name="blocks"):
        g.structured_nucleolus([["A", "B"]])
    with raises_error(co.InvalidGame, "invalid_parameter", name="blocks"):
        g.structured_nucleolus("AB")
    with pytest.raises(co.UnknownPlayer):
        g.structured_nucleolus([["A", "B"], ["D"]])
    dummy = co.Game([0, 0, 0, 5, 1, 1, 1, 6], PLAYERS)  # C adds 1 to every coalition
    with raises_error(co.UndefinedSolution, "undefined", concept="the disruption nucleolus"):
        dummy.disruption_nucleolus()
    with raises_error(co.UndefinedSolution, "undefined", concept="the kernel"):
        co.Game([0, 2, 2, 3], ["A", "B"]).kernel_point()
    with raises_error(co.InvalidGame, "invalid_parameter", name="tol"):
        g.in_kernel([2.5, 2.5, 1.0], tol=-1.0)
    with pytest.raises(co.InvalidGame):
        g.in_kernel([1.0, 2.0])
