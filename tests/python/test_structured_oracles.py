"""Nucleolus, prenucleolus and least core of weighted voting games and of convex games given by
a function, without 2**n values (issue 18): against the dense solver on the same games
(built independently here from the weights or the function), closed forms (Peleg 1968; the
Talmud rule of Aumann and Maschler 1985), scale and shift, and typed errors."""

import doctest
import itertools

import numpy as np
import pytest

import coalitional as co
import coalitional._convex
import coalitional._oracles

from conftest import weighted_voting_values


def dense_of(players, f):
    """The dense game of f, evaluated here coalition by coalition."""
    n = len(players)
    values = [0.0] + [float(f(frozenset(p for i, p in enumerate(players) if m >> i & 1))) for m in range(1, 1 << n)]
    return co.Game(values, players)


def check_least_core(lc, dense, tol):
    """Same epsilon as the dense least core, and an efficient allocation meeting every proper
    coalition's v(S) - epsilon (checked over all coalitions)."""
    assert isinstance(lc, co.LeastCore)
    assert lc.epsilon == pytest.approx(dense.least_core().epsilon, abs=tol)
    x = np.asarray(lc.allocation)
    v = np.asarray(dense.values)
    n = dense.n
    assert x.sum() == pytest.approx(v[-1], abs=tol)
    for m in range(1, (1 << n) - 1):
        xs = sum(x[i] for i in range(n) if m >> i & 1)
        assert xs >= v[m] - lc.epsilon - tol


@pytest.mark.parametrize("seed", range(12))
def test_weighted_voting_agrees_with_the_dense_solver(seed):
    rng = np.random.default_rng(seed)
    n = 3 + seed % 8
    weights = [int(w) for w in rng.integers(1, 21, n)]
    quota = int(sum(weights) // 2 + 1 + rng.integers(0, sum(weights) // 4 + 1))
    quota = min(quota, sum(weights))
    g = co.weighted_voting(quota, weights)
    dense = co.Game(weighted_voting_values(quota, weights), g.players)
    tol = 1e-9
    nu = g.nucleolus()
    assert isinstance(nu, co.Allocation) and nu.label == "nucleolus" and nu.players == g.players
    np.testing.assert_allclose(np.asarray(nu), np.asarray(dense.nucleolus()), atol=tol, rtol=0)
    pre = g.prenucleolus()
    assert pre.label == "prenucleolus"
    np.testing.assert_allclose(np.asarray(pre), np.asarray(dense.prenucleolus()), atol=tol, rtol=0)
    check_least_core(g.least_core(), dense, tol)


def test_constant_sum_homogeneous_voting_nucleolus_is_the_normalised_weights():
    # Peleg, "On weights of constant-sum majority games", SIAM J. Appl. Math. 16 (1968).
    g = co.weighted_voting(5, [3, 2, 2, 1, 1], list("ABCDE"))
    np.testing.assert_allclose(np.asarray(g.nucleolus()), np.array([3, 2, 2, 1, 1]) / 9, atol=1e-9)


def test_fifty_voters_and_bounds_fall_back_to_the_dense_solver():
    rng = np.random.default_rng(50)
    weights = [int(w) for w in rng.integers(1, 101, 50)]
    g = co.weighted_voting(sum(weights) // 2 + 1, weights)
    nu = np.asarray(g.nucleolus())
    assert nu.sum() == pytest.approx(1.0) and nu.min() >= -1e-12
    small = co.weighted_voting(2, [1, 1, 1], ["a", "b", "c"])
    capped = small.nucleolus(bounds={"a": (None, 0.2)})
    assert capped.label == "nucleolus within bounds" and capped["a"] == pytest.approx(0.2)
    assert small.least_core(bounds={"a": (None, 0.2)}).allocation["a"] <= 0.2 + 1e-9


def random_convex(rng, players, scale=1.0, budget=0.0):
    """A random convex game: h(a(S)) for convex h, airport savings or bankruptcy; then
    scale * v(S) + b(S) with standalone budgets b_i up to `budget`."""
    n = len(players)
    a = dict(zip(players, rng.uniform(0.5, 3.5, n)))
    b = dict(zip(players, rng.uniform(0, budget, n)))
    kind = int(rng.integers(0, 4))
    total = sum(a.values())
    t = total * rng.uniform(0.2, 0.8)

    def base(s):
        w = sum(a[p] for p in s)
        if kind == 0:
            return w * w
        if kind == 1:
            return max(0.0, w - t) + 0.1 * w**3
        if kind == 2:
            return w - max((a[p] for p in s), default=0.0)
        return max(0.0, t - (total - w))

    return lambda s: scale * base(s) + sum(b[p] for p in s)


@pytest.mark.parametrize("seed", range(12))
def test_convex_games_agree_with_the_dense_solver(seed):
    rng = np.random.default_rng(100 + seed)
    n = 2 + seed % 7
    players = [f"city{i}" for i in range(n)]
    scale, budget = [(1.0, 0.0), (1e-3, 0.0), (3.0, 1e6), (1.0, 1e9)][seed % 4]
    f = random_convex(rng, players, scale, budget)
    g = co.ConvexGame(players, f)
    dense = dense_of(players, f)
    assert dense.is_convex()
    spread = float(np.max(np.abs(np.asarray(dense.zero_normalized().values))))
    tol = 1e-9 * spread + 1e-15 * budget * n
    nu = g.nucleolus()
    assert nu.label == "nucleolus" and nu.players == tuple(players)
    np.testing.assert_allclose(np.asarray(nu), np.asarray(dense.nucleolus()), atol=tol, rtol=0)
    np.testing.assert_allclose(np.asarray(g.prenucleolus()), np.asarray(dense.prenucleolus()), atol=tol, rtol=0)
    check_least_core(g.least_core(), dense, tol)
    # Other methods use the dense game built from the same function.
    np.testing.assert_allclose(np.asarray(g.shapley()), np.asarray(dense.shapley()), atol=tol, rtol=0)


def test_a_bankruptcy_game_by_function_has_the_talmud_nucleolus():
    # Aumann and Maschler (1985): the nucleolus of a bankruptcy game is the Talmud rule.
    rng = np.random.default_rng(1985)
    claims = {f"c{i}": float(c) for i, c in enumerate(rng.integers(1, 400, 20))}
    estate = 0.45 * sum(claims.values())
    g = co.ConvexGame(claims, lambda s: max(0.0, estate - sum(c for p, c in claims.items() if p not in s)))
    np.testing.assert_allclose(
        np.asarray(g.nucleolus()), np.asarray(co.talmud(estate, list(claims.values()))), atol=1e-9 * estate
    )


def test_each_worth_is_computed_once():
    calls = {}

    def f(s):
        calls[s] = calls.get(s, 0) + 1
        return len(s) ** 2

    g = co.ConvexGame([f"p{i}" for i in range(9)], f)
    g.nucleolus()
    g.least_core()
    g.prenucleolus()
    assert max(calls.values()) == 1
    assert g.evaluations == len(calls)


def test_errors_are_typed():
    with pytest.raises(co.InvalidGame) as e:
        co.ConvexGame(["a", "b"], 3)
    assert e.value.code == "invalid_parameter" and e.value.name == "f"
    with pytest.raises(co.InvalidGame) as e:
        co.ConvexGame(["a", "a"], len)
    assert e.value.code == "duplicate_player"
    with pytest.raises(co.GameTooLarge) as e:
        co.ConvexGame([f"p{i}" for i in range(65)], len)
    assert e.value.code == "limit_exceeded" and e.value.asked == 65
    with pytest.raises(co.InvalidGame) as e:
        co.ConvexGame(["a", "b", "c"], lambda s: float("nan") if len(s) == 2 else 1.0).nucleolus()
    assert e.value.code == "model_value"

    def broken(s):
        if len(s) == 2:
            raise KeyError("model down")
        return len(s) ** 2

    with pytest.raises(KeyError, match="model down"):
        co.ConvexGame(["a", "b", "c"], broken).least_core()
    g = co.ConvexGame(["a", "b"], len)
    with pytest.raises(co.InvalidGame) as e:
        g.check_convex(samples=-1)
    assert e.value.code == "invalid_parameter" and e.value.name == "samples"


def test_a_function_that_is_not_supermodular_is_named():
    # |S|^2 with a bump of 100 on {a, b}: b adds 103 to {a} but less to larger coalitions.
    players = list("abcdef")
    g = co.ConvexGame(players, lambda s: len(s) ** 2 + (100 if s == {"a", "b"} else 0))
    with pytest.raises(co.InvalidGame) as e:
        g.nucleolus()
    err = e.value
    assert err.code == "not_convex" and err.gain_smaller > err.gain_larger
    assert err.player in players
    with pytest.raises(co.InvalidGame) as e:
        g.check_convex(2000, seed=7)
    assert e.value.code == "not_convex"
    co.ConvexGame(players, lambda s: len(s) ** 2).check_convex(500)


def test_convex_game_reads_as_a_game():
    g = co.ConvexGame(["x", "y", "z"], lambda s: len(s) ** 2)
    assert g.n == 3 and g.players == ("x", "y", "z") and g.kind == "value"
    assert g.value(["x", "y"]) == 4.0
    again = co.Game.from_json(g.to_json())
    assert list(again.values) == [0, 1, 1, 4, 1, 4, 4, 9]
    assert "ConvexGame" in repr(g) and "evaluations" in g._repr_html_()
    # Worths through the sampler's batch path come from the same function.
    assert list(g._evaluate(np.array([3, 7], dtype=np.uint64))) == [4.0, 9.0]


def test_docstring_examples():
    for module in (coalitional._oracles, coalitional._convex):
        result = doctest.testmod(module, raise_on_error=False)
        assert result.failed == 0 and result.attempted > 0, module.__name__
