"""Power indices of simple games (Game.power_indices, WeightedVotingGame.power_indices).

Oracles: a brute force over all coalitions written here with exact fractions (random weighted
games of 2..8 players and random monotone simple games that are not weighted), the EEC Council
of 1958 worked out by hand (see tests/power.rs for the derivation), and axioms."""

from fractions import Fraction
from itertools import combinations
import random

import numpy as np
import pytest

import coalitional as co


def brute(n, wins):
    """Exact indices by the definitions; `wins(frozenset) -> bool`."""
    sets = [frozenset(c) for k in range(n + 1) for c in combinations(range(n), k)]
    win = {s: wins(s) for s in sets}
    W = [s for s in sets if win[s]]
    eta = [sum(1 for s in W if i in s and not win[s - {i}]) for i in range(n)]
    john = [Fraction(0)] * n
    for s in W:
        crit = [i for i in s if not win[s - {i}]]
        for i in crit:
            john[i] += Fraction(1, len(crit))
    M = [s for s in W if all(not win[s - {i}] for i in s)]
    dp = [sum((Fraction(1, len(s)) for s in M if i in s), Fraction(0)) / len(M) for i in range(n)]
    h = [sum(1 for s in M if i in s) for i in range(n)]
    L = len(sets) - len(W)
    return {
        "johnston": [j / sum(john) for j in john],
        "deegan_packel": dp,
        "holler": [Fraction(x, sum(h)) for x in h],
        "coleman_prevent": [Fraction(e, len(W)) for e in eta],
        "coleman_initiate": [Fraction(e, L) for e in eta],
        "coleman_collectivity": Fraction(len(W), 2**n),
        "swings": eta,
        "minimal": M,
    }


def check(p, expect, names):
    assert set(p.keys()) == {"johnston", "deegan_packel", "holler", "coleman_prevent", "coleman_initiate",
                             "coleman_collectivity"}
    for key in ("johnston", "deegan_packel", "holler", "coleman_prevent", "coleman_initiate"):
        assert isinstance(p[key], co.Allocation)
        np.testing.assert_allclose(np.asarray(p[key]), [float(x) for x in expect[key]], rtol=1e-12, atol=1e-15)
    assert p["coleman_collectivity"] == float(expect["coleman_collectivity"])
    assert p.swings == dict(zip(names, expect["swings"]))
    got = sorted(sorted(m) for m in p.minimal_winning)
    assert got == sorted(sorted(names[i] for i in s) for s in expect["minimal"])


@pytest.mark.parametrize("seed", range(40))
def test_weighted_games_against_brute_force(seed):
    rng = random.Random(seed)
    n = 2 + seed % 7
    weights = [rng.randint(0, [3, 8, 30][seed % 3]) for _ in range(n)]
    if sum(weights) == 0:
        weights[0] = 1
    quota = rng.randint(1, sum(weights))
    names = [f"p{i}" for i in range(n)]
    expect = brute(n, lambda s: sum(weights[i] for i in s) >= quota)
    wv = co.weighted_voting(quota, weights, names)
    check(wv.power_indices(), expect, names)
    check(wv.dense().power_indices(), expect, names)


@pytest.mark.parametrize("seed", range(20))
def test_random_simple_games_against_brute_force(seed):
    """Monotone simple games from random generating coalitions (mostly not weighted)."""
    rng = random.Random(100 + seed)
    n = 2 + seed % 5
    gens = [frozenset(i for i in range(n) if rng.random() < 0.5) or frozenset({0}) for _ in range(3)]
    wins = lambda s: any(g <= s for g in gens)  # noqa: E731
    values = [1.0 if wins(frozenset(i for i in range(n) if m >> i & 1)) else 0.0 for m in range(2**n)]
    names = [f"p{i}" for i in range(n)]
    check(co.Game(values, names).power_indices(), brute(n, wins), names)


def test_eec_1958_by_hand_and_table():
    names = ["France", "Germany", "Italy", "Belgium", "Netherlands", "Luxembourg"]
    p = co.weighted_voting(12, [4, 4, 4, 2, 2, 1], names).power_indices()
    assert list(p.holler) == [0.2] * 5 + [0.0]
    assert p.johnston.to_dict() == {"France": 0.25, "Germany": 0.25, "Italy": 0.25, "Belgium": 0.125,
                                    "Netherlands": 0.125, "Luxembourg": 0.0}
    assert p.deegan_packel["France"] == pytest.approx(5 / 24, rel=1e-15)
    assert p.deegan_packel["Belgium"] == pytest.approx(3 / 16, rel=1e-15)
    assert p.coleman_collectivity == 7 / 32
    assert (p.winning_count, p.losing_count, p.minimal_winning_count) == (14, 50, 4)
    df = p.to_pandas()
    assert list(df.columns) == ["johnston", "deegan_packel", "holler", "coleman_prevent", "coleman_initiate",
                                "shapley_shubik", "banzhaf"]
    assert list(df.index) == names and df.index.name == "player"
    # Published: Shapley–Shubik 14/60 and 9/60 (Felsenthal and Machover 1998).
    assert df.loc["France", "shapley_shubik"] == pytest.approx(14 / 60, rel=1e-14)
    assert df.loc["Belgium", "banzhaf"] == pytest.approx(6 / 42, rel=1e-14)
    assert df.attrs["coleman_collectivity"] == 7 / 32
    assert "johnston" in repr(p) and "<table>" in p._repr_html_()
    assert p.minimal_winning[0] == ["France", "Germany", "Italy"]


def test_large_weighted_game_axioms():
    weights = [1 + (i * 37 + 11) % 59 for i in range(100)]
    wv = co.weighted_voting(sum(weights) // 2 + 1, weights)
    p = wv.power_indices()
    for key in ("johnston", "deegan_packel", "holler"):
        a = np.asarray(p[key])
        assert a.sum() == pytest.approx(1.0, rel=1e-12)
        for i in range(100):
            for j in range(100):
                if weights[i] == weights[j]:
                    assert a[i] == a[j]
    eta = np.array([p.swings[name] for name in p.players], dtype=float)
    np.testing.assert_allclose(np.asarray(p.coleman_prevent), eta / p.winning_count, rtol=1e-15)
    assert p.winning_count + p.losing_count == 2**100
    with pytest.raises(co.GameTooLarge) as info:
        p.minimal_winning
    assert info.value.code == "limit_exceeded" and info.value.asked == p.minimal_winning_count


def test_errors():
    with pytest.raises(co.UndefinedSolution) as info:
        co.Game([0, 0.5, 0, 1], ["A", "B"]).power_indices()
    assert (info.value.code, info.value.coalition) == ("not_simple", "{A}")
    assert isinstance(info.value.reason, str)
    with pytest.raises(co.UndefinedSolution) as info:
        co.Game([0, 1, 0, 1, 0, 0, 0, 1], ["A", "B", "C"]).power_indices()  # {A} wins, {A, C} loses
    assert (info.value.code, info.value.coalition) == ("not_simple", "{A}")
    with pytest.raises(co.UndefinedSolution) as info:
        co.Game([0, 0, 0, 0], ["A", "B"]).power_indices()
    assert (info.value.code, info.value.coalition) == ("not_simple", "{A, B}")
    with pytest.raises(co.UndefinedSolution) as info:
        co.Game([0, 0, 0, 1], ["A", "B"], kind="cost").power_indices()
    assert info.value.code == "undefined"
    wv = co.weighted_voting(3, [1, 1, 1, 1])
    with pytest.raises(co.GameTooLarge) as info:
        wv.minimal_winning(limit=3)
    assert (info.value.code, info.value.asked, info.value.limit) == ("limit_exceeded", 4, 3)
    with pytest.raises(co.InvalidGame):
        wv.minimal_winning(limit=-1)
    assert len(wv.minimal_winning()) == 4
    with pytest.raises(KeyError):
        wv.power_indices()["shapley"]
