"""Single-valued rules and transforms (issue 17 item 3): Game.gately_point, solidarity, ensc,
scrb, propensity_to_disrupt, utopia_payoffs, minimal_rights, dual, zero_normalized,
aumann_dreze, and the four rules in compare / settle / ScenarioGame / payment_schedule.
Oracles: numpy brute force from the definitions, Gately's (1974) published point, axioms."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

import coalitional as co

GATELY = [0, 0, 0, 1170, 0, 770, 210, 1530]  # Gately (1974): three regions' savings


def random_game(rng: np.random.Generator, n: int, kind: str = "value") -> co.Game:
    alone = rng.integers(0, 20, n).astype(float)
    sign = -1.0 if kind == "cost" else 1.0
    v = np.zeros(1 << n)
    for m in range(1, 1 << n):
        members = [i for i in range(n) if m >> i & 1]
        v[m] = alone[members].sum()
        if len(members) > 1:
            v[m] += sign * round((rng.random() * 10 * len(members) - 3) * 64) / 64
    return co.Game(v, [f"p{i}" for i in range(n)], kind=kind)


def solidarity_oracle(v: np.ndarray, n: int) -> np.ndarray:
    psi = np.zeros(n)
    for m in range(1, 1 << n):
        members = [k for k in range(n) if m >> k & 1]
        s = len(members)
        avg = sum(v[m] - v[m & ~(1 << k)] for k in members) / s
        w = math.factorial(n - s) * math.factorial(s - 1) / math.factorial(n)
        for i in members:
            psi[i] += w * avg
    return psi


def shapley_oracle(v: np.ndarray, members: list) -> np.ndarray:
    """Shapley value of the subgame on ``members`` by all orders."""
    phi = np.zeros(len(members))
    orders = list(itertools.permutations(range(len(members))))
    for order in orders:
        mask = 0
        for k in order:
            nxt = mask | 1 << members[k]
            phi[k] += v[nxt] - v[mask]
            mask = nxt
    return phi / len(orders)


@pytest.mark.parametrize("kind", ["value", "cost"])
def test_random_games_against_numpy_definitions(kind):
    rng = np.random.default_rng(17)
    for n in range(2, 7):
        for _ in range(4):
            g = random_game(rng, n, kind)
            v = np.asarray(g.values)
            tol = 1e-9 * max(1.0, np.abs(v).max())
            full = (1 << n) - 1
            m = np.array([v[full] - v[full ^ (1 << i)] for i in range(n)])
            a = np.array([v[1 << i] for i in range(n)])
            np.testing.assert_allclose(g.solidarity(), solidarity_oracle(v, n), rtol=0, atol=tol)
            np.testing.assert_allclose(g.ensc(), m + (v[full] - m.sum()) / n, rtol=0, atol=tol)
            np.testing.assert_allclose(g.utopia_payoffs(), m, rtol=0, atol=tol)
            d = (m - a).sum()
            if abs(d) > 1e-6:
                s = v[full] - a.sum()
                x = g.gately_point()
                np.testing.assert_allclose(x, a + s * (m - a) / d, rtol=0, atol=tol * (1 + abs(s / d)))
                assert x.label == "Gately point" and x.kind == kind
            blocks = [g.players[: n // 2], g.players[n // 2:]]
            ad = g.aumann_dreze(blocks)
            for block in blocks:
                idx = [g.players.index(p) for p in block]
                np.testing.assert_allclose([ad[p] for p in block], shapley_oracle(v, idx), rtol=0, atol=tol)
            dual = g.dual()
            assert dual.kind == kind
            np.testing.assert_allclose(dual.values, [v[full] - v[full ^ s] for s in range(1 << n)], rtol=0, atol=0)
            np.testing.assert_allclose(dual.dual().values, v, rtol=0, atol=1e-12 * np.abs(v).max())
            z = g.zero_normalized()
            want = [v[s] - sum(a[i] for i in range(n) if s >> i & 1) for s in range(1 << n)]
            np.testing.assert_allclose(z.values, want, rtol=0, atol=0)


def test_gately_published_point_and_equal_propensity():
    g = co.Game(GATELY, ["A", "B", "C"])
    x = g.gately_point()
    np.testing.assert_allclose(x, [827.7049, 476.5574, 225.7377], atol=1e-4)
    d = g.propensity_to_disrupt(x)
    assert d.label == "propensity to disrupt"
    np.testing.assert_allclose(d, [2440 / 1530 - 1] * 3, rtol=1e-12)
    np.testing.assert_allclose(g.scrb(), x, rtol=1e-12)  # SCRB = Gately where defined
    # A dict works as well; a player at its standalone value whose partners would lose: inf.
    d = g.propensity_to_disrupt({"A": 1530, "B": 0, "C": 0})
    assert d["B"] == math.inf and d["C"] == math.inf
    np.testing.assert_allclose(d["A"], (0 - 210) / 1530)


def test_scrb_hand_computed_cost_table():
    # SC = (40, 80, 50), NSC = 80, remaining benefits (60, 60, 40): (70, 110, 70).
    c = co.Game([0, 100, 140, 200, 90, 170, 210, 250], ["nav", "flood", "power"], kind="cost")
    assert list(c.scrb()) == pytest.approx([70.0, 110.0, 70.0], abs=1e-12)
    np.testing.assert_allclose(c.ensc(), np.array([40, 80, 50]) + 80 / 3, atol=1e-12)
    # ENSC is the equal surplus division (CIS value) of the dual game.
    cis_of_dual = co.compare(c.dual(), rules=["equal_surplus"]).shares[:, 0]
    np.testing.assert_allclose(cis_of_dual, c.ensc(), atol=1e-12)


def test_solidarity_axioms():
    # Glove game by hand: 4/9, 5/18, 5/18.
    g = co.Game([0, 0, 0, 1, 0, 1, 0, 1], ["L", "R1", "R2"])
    np.testing.assert_allclose(g.solidarity(), [4 / 9, 5 / 18, 5 / 18], atol=1e-15)
    # A null player shares (not the Shapley null-player axiom) ...
    h = co.Game([0, 0, 0, 1, 0, 0, 0, 1])
    assert h.solidarity()["2"] == pytest.approx(2 / 9, abs=1e-15)
    # ... an A-null player (A(S) = 0 whenever it is in S) gets 0.
    rng = np.random.default_rng(3)
    n, i = 4, 3
    v = np.zeros(1 << n)
    for m in sorted(range(1, 1 << n), key=lambda m: bin(m).count("1")):
        if m >> i & 1:
            members = [k for k in range(n) if m >> k & 1]
            v[m] = sum(v[m & ~(1 << k)] for k in members) / len(members)
        else:
            v[m] = float(rng.integers(0, 50))
    assert abs(co.Game(v).solidarity()[i]) < 1e-12


@pytest.mark.parametrize("kind", ["value", "cost"])
def test_covariance_at_budget_scale(kind):
    rng = np.random.default_rng(23)
    small = random_game(rng, 4, kind)
    a = np.array([1, 2, 3, 4]) * 123_456_789.0
    add = np.array([sum(a[i] for i in range(4) if s >> i & 1) for s in range(16)])
    for c in (1 / 1024, 1.0, 256.0):
        big = co.Game(c * np.asarray(small.values) + add, small.players, kind=kind)
        tol = 1e-9 * c * np.abs(small.values).max() + 1e-6
        for rule in ("gately_point", "ensc", "scrb", "minimal_rights"):
            try:
                want = c * np.asarray(getattr(small, rule)()) + a
            except co.UndefinedSolution:
                with pytest.raises(co.UndefinedSolution):
                    getattr(big, rule)()
                continue
            np.testing.assert_allclose(getattr(big, rule)(), want, rtol=0, atol=tol, err_msg=rule)
        # Solidarity is linear: psi(c v + a) = c psi(v) + psi(a), psi(a) by the definition.
        want = c * np.asarray(small.solidarity()) + solidarity_oracle(add, 4)
        np.testing.assert_allclose(big.solidarity(), want, rtol=0, atol=tol)
        np.testing.assert_allclose(big.zero_normalized().values, c * np.asarray(small.zero_normalized().values),
                                   rtol=0, atol=tol)


def test_typed_errors():
    additive = co.Game.from_function(["a", "b", "c"], lambda s: 1e8 * len(s))
    for method, concept in [("gately_point", "the Gately point"), ("scrb", "separable costs remaining benefits")]:
        with pytest.raises(co.UndefinedSolution) as info:
            getattr(additive, method)()
        assert (info.value.code, info.value.concept) == ("undefined", concept)
    c = co.Game([0, 1, 1, 3], ["a", "b"], kind="cost")
    with pytest.raises(co.UndefinedSolution) as info:
        c.scrb()
    assert "a" in info.value.reason
    g = co.Game(GATELY, ["A", "B", "C"])
    with pytest.raises(co.InvalidGame) as info:
        g.aumann_dreze([["A", "B"], ["B", "C"]])
    assert (info.value.code, info.value.name) == ("invalid_parameter", "blocks")
    with pytest.raises(co.InvalidGame) as info:
        g.aumann_dreze([["A", "B"]])
    assert (info.value.code, info.value.name) == ("invalid_parameter", "blocks")
    with pytest.raises(co.InvalidGame) as info:
        g.aumann_dreze("AB")
    assert info.value.name == "blocks"
    with pytest.raises(co.UnknownPlayer):
        g.aumann_dreze([["A", "B", "Z"]])
    with pytest.raises(co.InvalidGame) as info:
        g.propensity_to_disrupt([1.0, 2.0])
    assert info.value.code == "allocation_length"
    with pytest.raises(co.InvalidGame) as info:
        g.propensity_to_disrupt([1.0, math.inf, 0.0])
    assert (info.value.code, info.value.name) == ("invalid_parameter", "x")


def test_rules_in_compare_settle_scenarios_and_schedules():
    g = co.Game(GATELY, ["A", "B", "C"])
    rules = ["gately", "solidarity", "ensc", "scrb"]
    c = co.compare(g, rules=rules)
    assert c.rules == tuple(rules)
    assert c.labels == {"gately": "Gately point", "solidarity": "solidarity value", "ensc": "ENSC value",
                        "scrb": "SCRB allocation"}
    for j, method in enumerate(["gately_point", "solidarity", "ensc", "scrb"]):
        np.testing.assert_allclose(c.shares[:, j], getattr(g, method)(), rtol=1e-15)
    # Labels are accepted too, and the rule names are the native list's.
    assert co.compare(g, rules=["Gately point"]).rules == ("gately",)
    assert set(rules) <= set(co._coalitional.RULES)
    assert "gately" not in co._compare.DEFAULT_RULES
    s = co.settle(g, "gately", status_quo={"A": 800, "B": 500, "C": 230})
    np.testing.assert_allclose(s.target, g.gately_point())
    assert s.target.label == "Gately point"
    # A rule undefined for the game is a NaN column with its typed error.
    additive = co.Game([0, 1, 2, 3])
    c = co.compare(additive, rules=["scrb", "ensc"])
    assert np.isnan(c.shares[:, 0]).all() and c.failures["scrb"].code == "undefined"
    # ScenarioGame tables and payment schedules take the names.
    sc = co.ScenarioGame([g, co.Game(2 * np.asarray(g.values), g.players)], [0.5, 0.5])
    table = sc.table(rules=["solidarity", "gately"])
    np.testing.assert_allclose(table.loc["solidarity"]["expected"], sc.expected().solidarity())
    sched = co.payment_schedule([g, g], rule="ensc")
    assert sched.rule == "ensc"
    np.testing.assert_allclose(np.asarray(sched.payments).sum(axis=0), 2 * np.asarray(g.ensc()), rtol=1e-12)


def test_labels_kinds_and_docstrings_examples():
    c = co.Game([0, 100, 140, 200, 90, 170, 210, 250], ["nav", "flood", "power"], kind="cost")
    for method, label in [("utopia_payoffs", "utopia payoffs"), ("minimal_rights", "minimal rights"),
                          ("ensc", "ENSC value"), ("solidarity", "solidarity value")]:
        x = getattr(c, method)()
        assert (x.label, x.kind, x.players) == (label, "cost", ("nav", "flood", "power"))
    assert c.zero_normalized().kind == "cost"
    assert list(c.zero_normalized().values) == [0, 0, 0, -40, 0, -20, -20, -80]
