"""ScenarioGame (expected game, rules per scenario, robust least core) and
IntervalGame.nucleolus_range, against numpy oracles, closed forms for two players, and the
order-statistics coverage of fresh draws."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

import coalitional as co

NAMES = ["A", "B", "C"]


def random_games(seed: int, k: int, n: int = 3, scale: float = 1.0, shift: float = 0.0):
    rng = np.random.default_rng(seed)
    games = []
    for _ in range(k):
        v = np.zeros(2**n)
        for s in range(1, 2**n):
            size = bin(s).count("1")
            v[s] = scale * (size * size + 4 * rng.random()) + shift * size
        games.append(co.Game(v, NAMES[:n]))
    return games


def x_of(x, s):
    return sum(x[i] for i in range(len(x)) if s >> i & 1)


def test_expected_game_by_numpy():
    games = random_games(1, 3)
    p = [0.2, 0.5, 0.3]
    sg = co.ScenarioGame(games, p, names=["low", "mid", "high"])
    want = sum(pk * g.values for pk, g in zip(p, games))
    np.testing.assert_allclose(sg.expected().values, want, rtol=1e-15, atol=1e-15)
    assert sg.names == ("low", "mid", "high")
    assert sg.players == tuple(NAMES) and sg.n == 3 and sg.kind == "value"
    np.testing.assert_array_equal(sg.probabilities, p)
    assert [list(g.values) for g in sg.games] == [list(g.values) for g in games]
    assert "high" in repr(sg)
    # Default names.
    assert co.ScenarioGame(games[:2], [0.5, 0.5]).names == ("scenario 1", "scenario 2")


def test_robust_least_core_two_players_closed_form():
    # u(A) = max v_k(A), u(B) = max v_k(B), u(AB) = E v(AB): epsilon = (u(A) + u(B) - u(AB)) / 2.
    a = co.Game([0, 1, 2, 10], ["A", "B"])
    b = co.Game([0, 3, 0, 4], ["A", "B"])
    sg = co.ScenarioGame([a, b], [0.75, 0.25], names=["base", "dry"])
    e_grand = 0.75 * 10 + 0.25 * 4
    r = sg.robust_least_core()
    assert r.epsilon == pytest.approx((3 + 2 - e_grand) / 2, abs=1e-12)
    assert r.stable_in_every_scenario
    assert r.allocation["A"] == pytest.approx(3 - r.epsilon, abs=1e-12)
    assert isinstance(r.allocation, co.Allocation) and isinstance(r.centre, co.Allocation)
    assert r.worst == co.WorstCase("dry", ("A",))
    scenario, coalition = r.worst
    assert (scenario, coalition) == ("dry", ("A",))
    assert r.worst_scenarios == ("dry",)
    assert "robust least core" in repr(r) and "dry" in repr(r)


@pytest.mark.parametrize("seed", range(5))
def test_robust_least_core_reaches_epsilon_in_some_scenario(seed):
    games = random_games(seed, 3)
    p = [0.3, 0.3, 0.4]
    sg = co.ScenarioGame(games, p)
    r = sg.robust_least_core()
    grand = sum(pk * g.values[-1] for pk, g in zip(p, games))
    for x in (r.allocation, r.centre):
        x = np.asarray(x)
        assert x.sum() == pytest.approx(grand, abs=1e-9)
        worst = max(g.values[s] - x_of(x, s) for g in games for s in range(1, 7))
        assert worst == pytest.approx(r.epsilon, abs=1e-7)
    # No efficient point does better: any of the scenarios' least-core points, the Shapley
    # value of the expected game, or points on a grid around the answer.
    candidates = [np.asarray(sg.expected().shapley())]
    for d in itertools.product([-0.3, 0, 0.3], repeat=2):
        candidates.append(np.asarray(r.centre) + np.array([d[0], d[1], -d[0] - d[1]]))
    for x in candidates:
        worst = max(g.values[s] - x_of(x, s) for g in games for s in range(1, 7))
        assert worst >= r.epsilon - 1e-9
    assert r.stable_in_every_scenario == (r.epsilon <= r.tolerance)


def test_robust_least_core_scales_with_budgets_of_1e8():
    small = random_games(7, 2)
    big = random_games(7, 2, scale=1.0, shift=1e8)
    rs = co.ScenarioGame(small, [0.4, 0.6]).robust_least_core()
    rb = co.ScenarioGame(big, [0.4, 0.6]).robust_least_core()
    assert rb.epsilon == pytest.approx(rs.epsilon, abs=1e-6)
    np.testing.assert_allclose(np.asarray(rb.centre), np.asarray(rs.centre) + 1e8, rtol=0, atol=1e-6)
    assert rb.stable_in_every_scenario == rs.stable_in_every_scenario


def test_table_every_rule_per_scenario_and_expected():
    games = random_games(3, 2)
    # A third scenario with no imputation: v(N) < sum of v({i}) (no nucleolus there).
    games.append(co.Game([0, 1, 1, 2, 1, 2, 2, 0.5], NAMES))
    sg = co.ScenarioGame(games, [0.5, 0.3, 0.2], names=["a", "b", "c"])
    df = sg.table()
    assert list(df.columns) == ["a", "b", "c", "expected"]
    assert df.index.names == ["rule", "player"]
    rules = list(dict.fromkeys(df.index.get_level_values("rule")))
    assert rules == list(co._compare.DEFAULT_RULES)
    for name, g in zip(["a", "b", "c", "expected"], [*games, sg.expected()]):
        np.testing.assert_allclose(df.loc["shapley", name].to_numpy(), np.asarray(g.shapley()), atol=1e-12)
    np.testing.assert_allclose(df.loc["nucleolus", "a"].to_numpy(), np.asarray(games[0].nucleolus()), atol=1e-9)
    assert df.loc["nucleolus", "c"].isna().all()
    err = df.attrs["failures"][("nucleolus", "c")]
    assert isinstance(err, co.UndefinedSolution) and err.code == "undefined"
    only = sg.table(rules=["Shapley", "tau"])
    assert list(dict.fromkeys(only.index.get_level_values("rule"))) == ["shapley", "tau"]


def test_errors_are_typed():
    g2 = co.Game([0, 1, 1, 3], ["A", "B"])
    other = co.Game([0, 1, 1, 3], ["B", "A"])
    cost = co.Game([0, 1, 1, 3], ["A", "B"], kind="cost")
    cases = [
        (lambda: co.ScenarioGame([], []), "games"),
        (lambda: co.ScenarioGame([g2, other], [0.5, 0.5]), "games"),
        (lambda: co.ScenarioGame([g2, cost], [0.5, 0.5]), "games"),
        (lambda: co.ScenarioGame([g2, [0, 1, 1, 3]], [0.5, 0.5]), "games"),
        (lambda: co.ScenarioGame([g2, g2], [0.5, 0.6]), "probabilities"),
        (lambda: co.ScenarioGame([g2, g2], [-0.5, 1.5]), "probabilities"),
        (lambda: co.ScenarioGame([g2, g2], [1.0]), "probabilities"),
        (lambda: co.ScenarioGame([g2, g2], [0.5, 0.5], names=["x", "x"]), "names"),
        (lambda: co.ScenarioGame([g2, g2], [0.5, 0.5], names=["x", "expected"]), "names"),
        (lambda: co.ScenarioGame([g2, g2], [0.5, 0.5]).table(rules=["nonsense"]), "rule"),
    ]
    for make, name in cases:
        with pytest.raises(co.InvalidGame) as info:
            make()
        assert info.value.code == "invalid_parameter" and info.value.name == name, name
    with pytest.raises(co.InvalidGame) as info:
        co.ScenarioGame([g2, other], [0.5, 0.5])
    assert "scenario 1" in str(info.value)
    solo = co.Game([0, 2], ["A"])
    with pytest.raises(co.UndefinedSolution):
        co.ScenarioGame([solo, solo], [0.5, 0.5]).robust_least_core()


# -- IntervalGame.nucleolus_range -------------------------------------------------------------


def two_player_box():
    # v(A) in [0, 1], v(B) in [0.5, 2], v(AB) in [5, 8]: x_A = (v(AB) + v(A) - v(B)) / 2 in
    # [1.5, 4.25] exactly.
    return co.IntervalGame([0, 0, 0.5, 5], [0, 1, 2, 8], ["A", "B"])


def test_nucleolus_range_inside_the_closed_form_and_reproducible():
    g = two_player_box()
    r = g.nucleolus_range(samples=2000, seed=3)
    assert isinstance(r, co.SampledIntervalAllocation) and isinstance(r, co.IntervalAllocation)
    assert 1.5 - 1e-9 <= r.lower["A"] <= r.upper["A"] <= 4.25 + 1e-9
    # Corner argument (see tests/interval_range.rs): within 0.3 of each end with overwhelming
    # probability for 2000 draws.
    assert r.lower["A"] - 1.5 < 0.3 and 4.25 - r.upper["A"] < 0.3
    assert (r.samples, r.undefined, r.seed) == (2000, 0, 3)
    assert r.expected_coverage == pytest.approx(1999 / 2001)
    again = g.nucleolus_range(samples=2000, seed=3)
    np.testing.assert_array_equal(np.asarray(again.lower), np.asarray(r.lower))
    assert "2000 sampled games" in repr(r)
    df = r.to_pandas()
    assert list(df.columns) == ["lower", "upper"]
    pre = g.nucleolus_range(10, 1, pre=True)
    assert pre.label == "prenucleolus range"


def test_nucleolus_range_coverage_of_fresh_draws():
    # R pairs (range of m = 4 draws, one fresh draw), all independent seeds: hits ~
    # Binomial(R, 0.6). Hoeffding: P(|rate - 0.6| >= 0.15) <= 2 exp(-2 * 400 * 0.0225)
    # = 2 exp(-18) < 4e-8, the false-failure probability over the choice of seeds; 0.8 =
    # m / (m + 1) would be told apart.
    g = co.IntervalGame([0, 0, 1, 2, 0.5, 3, 4, 9], [0, 1, 2, 6, 1.5, 5, 7, 12], NAMES)
    rounds, hits = 400, 0
    for r in range(rounds):
        rng = g.nucleolus_range(4, seed=r)
        fresh = g.nucleolus_range(1, seed=10**6 + r).lower["B"]
        hits += rng.lower["B"] <= fresh <= rng.upper["B"]
    assert rng.expected_coverage == 0.6
    assert abs(hits / rounds - 0.6) < 0.15


def test_wilks_confidence_against_integral():
    g = two_player_box()
    for m in (2, 10, 93):
        r = g.nucleolus_range(m, 0)
        for p in (0.5, 0.9, 0.95):
            c = np.linspace(p, 1, 200_001)
            density = m * (m - 1) * c ** (m - 2) * (1 - c)
            want = float(np.sum((density[1:] + density[:-1]) / 2 * np.diff(c)))
            assert r.confidence(p) == pytest.approx(want, abs=1e-8)
    with pytest.raises(co.InvalidGame) as info:
        r.confidence(1.5)
    assert info.value.code == "invalid_parameter" and info.value.name == "p"


def test_nucleolus_range_errors():
    g = two_player_box()
    for bad in (-1, 2.5, True, "3"):
        with pytest.raises(co.InvalidGame):
            g.nucleolus_range(bad)
    with pytest.raises(co.InvalidGame) as info:
        g.nucleolus_range(0)
    assert info.value.name == "samples"
    never = co.IntervalGame([0, 1, 1, 0], [0, 1, 1, 1], ["A", "B"])
    with pytest.raises(co.UndefinedSolution):
        never.nucleolus_range(5)
    half = co.IntervalGame([0, 1, 1, 0], [0, 1, 1, 4], ["A", "B"])
    r = half.nucleolus_range(100, 2)
    assert r.samples + r.undefined == 100 and r.undefined > 0
    assert "left out" in repr(r)
    assert not math.isnan(r.lower["A"])
