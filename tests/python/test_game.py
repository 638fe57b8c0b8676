import json

import numpy as np
import pytest

import coalitional as co
from conftest import CITIES, MAPPING, published, published_vector, shapley_by_permutations, weighted_voting_values



def test_done_criterion_two_player_game():
    a = co.Game([0, 1, 1, 3], ["A", "B"]).shapley()
    assert a.to_dict() == {"A": 1.5, "B": 1.5}
    assert "A" in repr(a) and "1.5" in str(a)


def test_design_example_three_cities():
    g = co.Game.from_coalitions(CITIES, MAPPING)
    phi = g.shapley()
    # By hand: Songjiang 90/6 + 80/6 + (150-70)/3 = 55, Suzhou 50, Hangzhou 45.
    np.testing.assert_allclose(np.asarray(phi), [55, 50, 45], atol=1e-12)
    assert phi["Suzhou"] == pytest.approx(50, abs=1e-12)
    assert g.players == tuple(CITIES)
    assert g.n == 3 and g.kind == "value"
    assert g.value(("Suzhou", "Songjiang")) == 90
    assert g.value("Hangzhou") == 0
    assert g.values.shape == (8,) and not g.values.flags.writeable


def test_allocation_behaves_like_a_vector():
    g = co.Game.from_coalitions(CITIES, MAPPING)
    a = g.shapley()
    assert len(a) == 3
    assert list(a) == pytest.approx([55, 50, 45])
    assert a[0] == pytest.approx(55) and a[-1] == pytest.approx(45)
    arr = np.asarray(a)
    assert arr.dtype == np.float64 and not arr.flags.writeable
    assert a.players == tuple(CITIES)
    s = a.to_pandas()
    assert list(s.index) == CITIES and s["Hangzhou"] == pytest.approx(45)
    assert "<table>" in a._repr_html_()
    with pytest.raises(co.UnknownPlayer):
        a["Hefei"]


def test_glove_game(glove):
    np.testing.assert_allclose(np.asarray(glove.shapley()), published_vector("glove game", "shapley"), atol=1e-12)
    np.testing.assert_allclose(np.asarray(glove.banzhaf()), published_vector("glove game", "banzhaf"), atol=1e-12)


def test_eec_council_1958():
    # Shapley–Shubik and Banzhaf indices as published (tests/data/cases.json).
    g = co.Game(weighted_voting_values(12, [4, 4, 4, 2, 2, 1]), ["FR", "DE", "IT", "BE", "NL", "LU"])
    eec = "EEC Council of Ministers, 1958"
    np.testing.assert_allclose(np.asarray(g.shapley()), published_vector(eec, "shapley"), atol=1e-12)
    np.testing.assert_allclose(np.asarray(g.banzhaf(normalized=True)), published_vector(eec, "banzhaf_normalized"),
                               atol=1e-12)


def test_un_security_council_1965():
    g = co.Game(weighted_voting_values(39, [7] * 5 + [1] * 10))
    phi = np.asarray(g.shapley())
    for i, want in published("UN Security Council, 1965", "shapley"):
        assert phi[i] == pytest.approx(want, abs=1e-12)
    assert phi[1:5] == pytest.approx([phi[0]] * 4, abs=1e-15) and phi[6:] == pytest.approx([phi[5]] * 9, abs=1e-15)
    assert g.players[0] == "0" and g.players[-1] == "14"


def test_three_player_majority_and_properties():
    g = co.Game(weighted_voting_values(2, [1, 1, 1]), ["A", "B", "C"])
    np.testing.assert_allclose(np.asarray(g.shapley()), published_vector("three-player majority game", "shapley"),
                               atol=1e-12)
    assert g.is_superadditive() and g.is_monotone() and g.is_essential() and not g.is_convex()


def test_marginal_vector_and_pioneers():
    g = co.Game.from_coalitions(CITIES, MAPPING)
    m = g.marginal_vector(["Songjiang", "Suzhou", "Hangzhou"])
    assert m.to_dict() == {"Songjiang": 0, "Suzhou": 90, "Hangzhou": 60}
    brute = np.mean(
        [np.asarray(g.marginal_vector(o)) for o in __import__("itertools").permutations(CITIES)], axis=0
    )
    np.testing.assert_allclose(np.asarray(g.shapley()), brute, atol=1e-12)


def test_numpy_array_input_of_any_dtype_and_stride():
    values = np.zeros(16)
    values[1:] = np.arange(1, 16)
    g1 = co.Game(values)
    g2 = co.Game(values.astype(np.int64))
    strided = np.zeros(32)
    strided[::2] = values
    g3 = co.Game(strided[::2])
    for g in (g2, g3):
        np.testing.assert_array_equal(g.values, g1.values)
    np.testing.assert_allclose(np.asarray(g1.shapley()), shapley_by_permutations(values, 4), atol=1e-12)


def test_from_function_receives_frozensets():
    seen = []

    def f(s):
        seen.append(s)
        return len(s) ** 2

    g = co.Game.from_function(["a", "b", "c"], f)
    assert all(isinstance(s, frozenset) and s for s in seen) and len(seen) == 7
    np.testing.assert_allclose(np.asarray(g.shapley()), [3, 3, 3], atol=1e-12)


def test_cost_game_and_savings():
    # Airport game with runway costs 1, 2, 3: c(S) = max cost in S. Littlechild–Owen shares
    # (1/3, 1/3 + 1/2, 1/3 + 1/2 + 1), published in tests/data/cases.json.
    costs = {"a": 1.0, "b": 2.0, "c": 3.0}
    g = co.Game.from_function(list(costs), lambda s: max(costs[p] for p in s), kind="cost")
    assert g.kind == "cost"
    a = g.shapley()
    assert a.kind == "cost" and "cost shares" in repr(a)
    np.testing.assert_allclose(np.asarray(a), published_vector("airport, runways 1, 2, 3", "shapley"), atol=1e-12)
    assert g.is_superadditive() and g.is_convex() and g.is_essential()
    s = g.savings()
    assert s.kind == "value" and s.value(["a", "b", "c"]) == 3.0


def test_json_round_trip_is_exact(tmp_path):
    values = np.concatenate([[0.0], np.random.default_rng(1).normal(size=15) * 1e6])
    g = co.Game(values, ["w", "x", "y", "z"], kind="cost")
    g.metadata["description"] = "illustrative"
    path = tmp_path / "g.json"
    g.save(path)
    back = co.Game.load(path)
    assert back.values.tobytes() == g.values.tobytes()
    assert back.kind == "cost" and back.players == g.players
    assert back.metadata["description"] == "illustrative"
    doc = json.loads(path.read_text())
    assert doc["format"] == "coalitional.game" and len(doc["values"]) == 16


def test_bundled_example():
    g = co.example()
    assert g.n == 9 and "ILLUSTRATIVE" in g.metadata["description"]
    assert g.shapley().total() == pytest.approx(g.values[-1], abs=1e-9)
    assert "Songjiang" in repr(g)
    assert "<table>" in g._repr_html_()


def test_game_to_pandas():
    g = co.Game([0, 1, 2, 6], ["A", "B"])
    df = g.to_pandas()
    assert list(df.index) == ["A", "B", "A + B"]
    assert list(df["value"]) == [1, 2, 6] and list(df["size"]) == [1, 1, 2]
    assert "cost" in co.airport([1, 2]).to_pandas().columns
