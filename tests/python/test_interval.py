"""IntervalGame: exact value bounds against vertex enumeration of the box (n = 3: 2^7 = 128
vertex games), the robust core against every vertex game's core, errors and covariance."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import coalitional as co

NAMES = ["A", "B", "C"]


def box(seed: int, n: int = 3):
    rng = np.random.default_rng(seed)
    lo = np.zeros(2**n)
    hi = np.zeros(2**n)
    for s in range(1, 2**n):
        k = bin(s).count("1")
        lo[s] = k * k + 3 * rng.random()
        hi[s] = lo[s] + 2 * rng.random()
    return lo, hi


def vertex_games(lo, hi):
    m = len(lo)
    for pick in range(2 ** (m - 1)):
        v = [0.0] + [hi[s] if pick >> (s - 1) & 1 else lo[s] for s in range(1, m)]
        yield co.Game(v, NAMES)


def check(bounds, values):
    values = np.array(values)
    np.testing.assert_allclose(np.asarray(bounds.lower), values.min(axis=0), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(np.asarray(bounds.upper), values.max(axis=0), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("seed", range(4))
def test_bounds_are_attained_at_vertices(seed):
    lo, hi = box(seed)
    g = co.IntervalGame(lo, hi, NAMES)
    games = list(vertex_games(lo, hi))
    assert len(games) == 128
    check(g.shapley(), [np.asarray(v.shapley()) for v in games])
    check(g.banzhaf(), [np.asarray(v.banzhaf()) for v in games])
    for order in itertools.permutations(NAMES):
        check(g.marginal_vector(order), [np.asarray(v.marginal_vector(order)) for v in games])
    unions = [["A", "C"], ["B"]]
    check(g.owen(unions), [np.asarray(v.owen(unions)) for v in games])


def test_interval_allocation_api():
    g = co.IntervalGame([0, 0, 0, 4], [0, 1, 0, 6], ["A", "B"])
    s = g.shapley()
    assert isinstance(s.lower, co.Allocation) and isinstance(s.upper, co.Allocation)
    assert s.lower["A"] == 2.0 and s.upper["A"] == 3.5
    assert s.players == ("A", "B")
    df = s.to_pandas()
    assert list(df.columns) == ["lower", "upper"] and list(df.index) == ["A", "B"]
    assert "[2, 3.5]" in repr(s)
    assert isinstance(g.lower_game, co.Game) and g.upper_game.value(["A"]) == 1.0
    assert np.allclose(np.asarray(s.width), [1.5, 1.5])


def test_robust_core_point_in_every_vertex_core():
    lo = np.array([0, 1, 1, 3, 1, 3, 3, 12.0])
    hi = np.array([0, 1.5, 1.2, 4, 2, 3.5, 5, 12.5])
    g = co.IntervalGame(lo, hi, NAMES)
    assert not g.robust_core_is_empty()
    x = np.asarray(g.robust_core_point())
    assert abs(x.sum() - 12.0) < 1e-9
    for v in vertex_games(lo, hi):
        vals = v.values
        for s in range(1, 7):
            assert sum(x[i] for i in range(3) if s >> i & 1) >= vals[s] - 1e-9
        assert x.sum() <= vals[7] + 1e-9
        # In the core of v once the slack v(N) - x(N) is handed to anyone.
        y = x.copy()
        y[0] += vals[7] - x.sum()
        assert v.in_core(y)


def test_infeasible_box_has_empty_robust_core():
    lo = [0, 1, 1, 3, 1, 3, 3, 4.0]
    hi = [0, 1, 1, 3, 1, 3, 3, 9.0]
    g = co.IntervalGame(lo, hi, NAMES)
    assert g.robust_core_is_empty()
    assert g.robust_core_point() is None


def test_cost_kind():
    lo = [0, 5, 5, 8, 5, 8, 8, 10.0]
    hi = [0, 6, 6, 9, 6, 9, 9, 11.0]
    g = co.IntervalGame(lo, hi, NAMES, kind="cost")
    assert g.kind == "cost"
    x = g.robust_core_point()
    assert x is not None and abs(x.total() - 11.0) < 1e-9
    assert all(xi <= 5 + 1e-9 for xi in x)


def test_errors_name_the_coalition():
    with pytest.raises(co.InvalidGame, match=r"A, B|index 3"):
        co.IntervalGame([0, 1, 0, 3], [0, 1, 0, 2], ["A", "B"])
    with pytest.raises(co.InvalidGame):
        co.IntervalGame([0, 1, 0], [0, 1, 0], ["A", "B"])
    with pytest.raises(co.InvalidGame):
        co.IntervalGame([0, float("nan"), 0, 1], [0, 1, 0, 1])
    with pytest.raises(co.GameError):
        co.IntervalGame([0, 0, 0, 1], [0, 0, 0, 1], ["A", "B"]).marginal_vector(["A", "A"])


def test_scale_and_shift_covariance():
    lo, hi = box(11, n=4)
    c, a = 1e8, np.array([3e8, -2e8, 1e8, 5e7])
    add = np.array([sum(a[i] for i in range(4) if s >> i & 1) for s in range(16)])
    g = co.IntervalGame(lo, hi)
    h = co.IntervalGame(c * lo + add, c * hi + add)
    for f in ("shapley", "banzhaf"):
        p, q = getattr(g, f)(), getattr(h, f)()
        if f == "shapley":
            np.testing.assert_allclose(np.asarray(q.lower), c * np.asarray(p.lower) + a, rtol=1e-9)
            np.testing.assert_allclose(np.asarray(q.upper), c * np.asarray(p.upper) + a, rtol=1e-9)
        else:
            np.testing.assert_allclose(np.asarray(q.width), c * np.asarray(p.width), rtol=1e-9)
    assert g.robust_core_is_empty() == h.robust_core_is_empty()
    x, y = g.robust_core_point(), h.robust_core_point()
    assert (x is None) == (y is None)
    if x is not None and y is not None:
        np.testing.assert_allclose(np.asarray(y), c * np.asarray(x) + a, rtol=1e-9)
