"""Structured games, division rules, Owen value, settlements: published values (from
tests/data/cases.json), closed forms and axioms."""

import json
from fractions import Fraction
from itertools import permutations

import numpy as np
import pandas as pd
import pytest

import coalitional as co
from conftest import CASES, CITIES, MAPPING, published, published_vector, raises_error


def test_un_security_council_without_dense_values():
    g = co.weighted_voting(39, [7] * 5 + [1] * 10)
    phi = g.shapley()
    for i, want in published("UN Security Council, 1965", "shapley"):
        assert phi[i] == pytest.approx(want, abs=1e-15)
    assert g._native is None  # the 2**15 values were never built
    swings = g.swings()
    assert isinstance(swings["0"], int)
    # Exact counts: a permanent member swings in every winning coalition it belongs to
    # that loses without it; the Banzhaf index is swings / 2**14.
    assert g.banzhaf()[0] == swings["0"] / 2**14
    assert g.nucleolus().total() == pytest.approx(1.0)  # by the separation engine (issue 18)
    assert g._native is None
    assert g.core_is_empty() is False  # other concepts build the dense game on demand
    assert g._native is not None


def test_eec_1958_and_hundred_players():
    name = "EEC Council of Ministers, 1958"
    eec = co.weighted_voting(12, [4, 4, 4, 2, 2, 1], ["FR", "DE", "IT", "BE", "NL", "LU"])
    assert [Fraction(x).limit_denominator(100) for x in eec.shapley()] == [
        Fraction(x).limit_denominator(100) for x in published_vector(name, "shapley")]
    # Exact counts: the raw Banzhaf index is swings / 2**(n - 1).
    assert list(eec.swings().values()) == [int(b * 2**5) for b in published_vector(name, "banzhaf")]
    weights = [1 + (i * 37 + 11) % 59 for i in range(100)]
    big = co.weighted_voting(sum(weights) // 2 + 1, weights)
    phi = np.asarray(big.shapley())
    assert phi.sum() == pytest.approx(1.0, abs=1e-12)
    same = [i for i in range(100) if weights[i] == weights[0]]
    assert np.ptp(phi[same]) < 1e-15


def test_voting_errors():
    with raises_error(co.InvalidGame, "invalid_parameter", name="weights"):  # not whole numbers
        co.weighted_voting(3, [1.5, 2])
    with raises_error(co.InvalidGame, "invalid_parameter", name="quota"):
        co.weighted_voting(10, [1, 2])
    with raises_error(co.InvalidGame, "invalid_parameter", name="quota"):
        co.weighted_voting(0, [1, 2])


def test_talmud_and_the_classical_rules():
    claims = [100, 200, 300]
    for estate in (100, 200, 300):
        # Aumann and Maschler (1985): the Talmud rule is the nucleolus, published for each estate.
        want = published_vector(f"Talmud, estate {estate}", "nucleolus")
        g = co.bankruptcy(estate, claims, ["a", "b", "c"])
        np.testing.assert_allclose(g.talmud(), want, atol=1e-12)
        np.testing.assert_allclose(g.nucleolus(), want, atol=1e-9)
        np.testing.assert_allclose(co.talmud(estate, claims), want, atol=1e-12)
    np.testing.assert_allclose(co.proportional(300, claims), [50, 100, 150])
    np.testing.assert_allclose(co.constrained_equal_awards(300, claims), [100, 100, 100])
    np.testing.assert_allclose(co.constrained_equal_losses(300, claims), [0, 100, 200])
    # Random arrival by its definition: every order, each paid in full while the estate lasts.
    estate, c = 250.0, [40.0, 120.0, 200.0, 75.0]
    total = np.zeros(4)
    orders = list(permutations(range(4)))
    for order in orders:
        left = estate
        for i in order:
            pay = min(c[i], left)
            total[i] += pay
            left -= pay
    np.testing.assert_allclose(co.random_arrival(estate, c), total / len(orders), atol=1e-9)
    np.testing.assert_allclose(co.bankruptcy(estate, c).shapley(), total / len(orders), atol=1e-9)
    with raises_error(co.InvalidGame, "invalid_parameter", name="estate"):  # beyond the total claim
        co.bankruptcy(700, claims)
    with raises_error(co.InvalidGame, "invalid_parameter", name="claims"):
        co.talmud(10, [5, -1])


def test_airport_closed_form_and_cost_core():
    g = co.airport([1, 3, 6], ["small", "medium", "large"])
    assert g.kind == "cost"
    np.testing.assert_allclose(g.shapley(), published_vector("airport, runways 1, 3, 6", "shapley"), atol=1e-15)
    np.testing.assert_allclose(g.dense().shapley(), g.shapley(), atol=1e-12)
    assert g.in_core(g.shapley())
    assert g.value(["small", "large"]) == 6


def test_assignment_game_from_pandas():
    surplus = pd.DataFrame([[3, 5], [4, 1]], index=["Jiangsu", "Zhejiang"], columns=["Wuhan", "Xiaogan"])
    g = co.assignment(surplus.values, surplus.index, surplus.columns)
    assert g.optimal_matching() == [("Jiangsu", "Xiaogan", 5.0), ("Zhejiang", "Wuhan", 4.0)]
    assert g.optimal_value() == 9.0 == g.values[-1]
    donors = g.core_allocation("rows")
    cities = g.core_allocation("cols")
    for x in (g.core_allocation(), donors, cities):
        assert g.in_core(x, tol=1e-7)
    # The donors' best core point gives them at least what any other core point does.
    assert donors["Jiangsu"] + donors["Zhejiang"] >= cities["Jiangsu"] + cities["Zhejiang"] - 1e-9
    vertices = g.core_vertices()
    assert donors["Jiangsu"] + donors["Zhejiang"] == pytest.approx(vertices[:, :2].sum(axis=1).max())
    with raises_error(co.InvalidGame, "invalid_parameter", name="favour"):
        g.core_allocation("both")
    with pytest.raises(co.InvalidGame):
        co.assignment([[1, 2]], ["a", "b"], ["c", "d"])


def test_owen_value():
    glove = co.Game.from_function(["A", "B", "C"], lambda s: float("A" in s and len(s) >= 2))
    np.testing.assert_allclose(glove.owen([["A"], ["B", "C"]]), [0.5, 0.25, 0.25], atol=1e-15)
    g = co.Game.from_coalitions(CITIES, MAPPING)
    np.testing.assert_allclose(g.owen([[c] for c in CITIES]), g.shapley(), atol=1e-12)
    np.testing.assert_allclose(g.owen([CITIES]), g.shapley(), atol=1e-12)
    with raises_error(co.InvalidGame, "invalid_parameter", name="unions"):  # Hangzhou in no union
        g.owen([["Songjiang", "Suzhou"]])
    with pytest.raises(co.UnknownPlayer):
        g.owen([["Songjiang", "Suzhou", "Beijing"]])


def test_design_settlement():
    g = co.Game.from_coalitions(CITIES, MAPPING)
    s = co.settle(g, g.nucleolus(), status_quo={"Songjiang": 70, "Suzhou": 50, "Hangzhou": 30})
    # Nucleolus (60, 50, 40): Songjiang hands 10 to Hangzhou.
    assert [(p.payer, p.payee) for p in s.transfers] == [("Songjiang", "Hangzhou")]
    assert s.transfers[0].amount == pytest.approx(10)
    assert s.payments == s.transfers and s.balanced
    np.testing.assert_allclose(s.net_transfers, [-10, 0, 10], atol=1e-9)
    assert s.in_core and s.individually_rational and s.cost_of_stability == 0
    assert s.blocking[0].excess == pytest.approx(-20)
    table = s.to_pandas()
    assert list(table.columns) == ["status quo", "target", "net transfer"]
    assert list(s.to_pandas("payments").columns) == ["payer", "payee", "amount"]
    assert "coalition" in s.to_pandas("blocking")
    json.dumps(s.to_dict())
    assert "Songjiang -> Hangzhou" in repr(s) and "<table>" in s._repr_html_()
    # A rule name works as the target; standalone values are the default status quo.
    t = co.settle(g, "shapley")
    assert t.target.label == "Shapley value"
    assert sum(p.amount for p in t.transfers) == pytest.approx(150)  # all from the outside
    assert all(p.payer == co.OUTSIDE for p in t.transfers)
    with pytest.raises(co.InvalidGame):  # not one of the rules
        co.settle(g, "median")
    with pytest.raises(co.InvalidGame):
        co.settle(g, [1, 2])


def test_unstable_target_is_reported():
    majority = co.Game([0, 0, 0, 1, 0, 1, 1, 1], ["A", "B", "C"])
    s = co.settle(majority, "shapley", status_quo=[1 / 3] * 3)
    assert not s.in_core and not s.transfers
    assert s.blocking[0].excess == pytest.approx(1 / 3)
    assert s.cost_of_stability == pytest.approx(CASES["three-player majority game"]["expected"]["cost_of_stability"])
    assert "would gain" in repr(s)


def test_pioneer_view():
    g = co.Game.from_coalitions(CITIES, MAPPING)
    view = co.pioneer_view(g, ["Songjiang", "Suzhou", "Hangzhou"])
    # The pioneer adds nothing alone (0) but is worth 55 on average.
    assert view.marginal["Songjiang"] == 0 and view.shapley["Songjiang"] == pytest.approx(55)
    assert view.difference["Songjiang"] == pytest.approx(55)
    assert view.difference.total() == pytest.approx(0)
    frame = view.to_pandas()
    assert list(frame.index) == ["Songjiang", "Suzhou", "Hangzhou"]
    assert "Pioneers" in view._repr_html_()


def test_class_json_round_trip(tmp_path):
    for g in (
        co.weighted_voting(3, [2, 1, 1], ["x", "y", "z"]),
        co.bankruptcy(200, [100, 200, 300]),
        co.airport([1, 3]),
        co.assignment([[1, 2], [3, 0]], ["a", "b"], ["c", "d"]),
    ):
        g.metadata["name"] = "case"
        path = tmp_path / "g.json"
        g.save(path)
        back = co.Game.load(path)
        assert type(back) is type(g) and back.metadata["name"] == "case"
        np.testing.assert_allclose(back.values, g.values)
    with raises_error(co.FormatError, "format"):  # an unknown game class
        co.Game.from_json('{"format": "coalitional.game", "version": 1, "class": "lottery"}')
    with raises_error(co.FormatError, "format"):  # no quota
        co.Game.from_json('{"format": "coalitional.game", "version": 1, "class": "weighted_voting", "weights": [1]}')


def test_class_form_is_read_and_written_by_the_core():
    # Every class-form case of the published file reads into its structured class and writes
    # back the same document; the metadata travel with it.
    classes = {"weighted_voting": co.WeightedVotingGame, "bankruptcy": co.ClaimsGame,
               "airport": co.AirportGame, "assignment": co.AssignmentGame}
    seen = set()
    for case in CASES.values():
        doc = dict(case["game"], name=case["name"], source=case["source"])
        g = co.Game.from_json(json.dumps(doc))
        if "class" not in doc:
            assert type(g) is co.Game
            continue
        seen.add(doc["class"])
        assert type(g) is classes[doc["class"]] and g.metadata["source"] == case["source"]
        assert json.loads(g.to_json()) == doc  # the same fields (2 and 2.0 compare equal)
        assert co.Game.from_json(g.to_json()).to_json() == g.to_json()
        assert g._native is None  # read, written and read again without the 2**n values
    assert seen == set(classes)


def test_structured_worths_come_from_the_parameters():
    # The samplers' evaluator asks the native class for the worths: the same numbers as the
    # dense game, without building it.
    games = [co.weighted_voting(39, [7] * 5 + [1] * 10), co.bankruptcy(200, [100, 200, 300]),
             co.airport([1, 3, 6]), co.assignment([[3, 5], [4, 1]], ["d1", "d2"], ["r1", "r2"])]
    for g in games:
        masks = np.arange(1 << g.n, dtype=np.uint64)
        worths = g._evaluate(masks)
        assert g._native is None
        np.testing.assert_allclose(worths, g.values, rtol=1e-12)
        with pytest.raises(co.UnknownPlayer):
            g._evaluate(np.array([1 << g.n], dtype=np.uint64))
