import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import coalitional as co
from conftest import CASES, CITIES, MAPPING, published_vector, raises_error, weighted_voting_values



def test_design_example_is_stable():
    g = co.Game.from_coalitions(CITIES, MAPPING)
    assert not g.core_is_empty()
    assert g.cost_of_stability() == 0.0
    assert g.in_core(g.shapley())  # (55, 50, 45): every pair gets at least its worth
    assert g.in_core({"Songjiang": 55, "Suzhou": 50, "Hangzhou": 45})
    assert not g.in_core([150, 0, 0])
    lc = g.least_core()
    # Adding the pair constraints: 2 * 150 >= (90 + 80 + 70) - 3e, so e >= -20, attained at
    # x = (60, 50, 40), which gives every pair 20 more than its worth and each city >= 20.
    assert lc.epsilon == pytest.approx(-20, abs=1e-8)
    assert isinstance(lc.allocation, co.Allocation) and lc.allocation.label == "least core"
    assert "LeastCore" in repr(lc) and "epsilon" in lc._repr_html_()


def test_majority_game():
    published = CASES["three-player majority game"]["expected"]  # MPS 1979, Bachrach et al. 2009
    g = co.Game(weighted_voting_values(2, [1, 1, 1]), ["A", "B", "C"])
    lc = g.least_core()
    assert lc.epsilon == pytest.approx(published["least_core_epsilon"], abs=1e-9)
    np.testing.assert_allclose(np.asarray(lc.allocation), [1 / 3] * 3, atol=1e-9)  # by symmetry
    assert g.core_is_empty() == published["core_is_empty"]
    assert g.cost_of_stability() == pytest.approx(published["cost_of_stability"], abs=1e-9)


def test_cost_game_subsidy():
    expected = CASES["cost game with an empty core"]["expected"]
    g = co.Game.from_function(["a", "b", "c"], lambda s: [0, 1, 1.2, 2][len(s)], kind="cost")
    assert g.core_is_empty()
    assert g.cost_of_stability() == pytest.approx(expected["cost_of_stability"], abs=1e-9)
    assert g.least_core().allocation.kind == "cost"


def test_errors():
    g = co.Game([0, 1, 1, 3], ["A", "B"])
    with raises_error(co.InvalidGame, "allocation_length", name="x", got=3, n=2):
        g.in_core([1, 1, 1])
    with raises_error(co.InvalidGame, "invalid_parameter", name="x", missing=["B"], unknown=[]):
        g.in_core({"A": 1.5})
    with raises_error(co.UndefinedSolution, "undefined", concept="the least core"):
        co.Game([0, 1]).least_core()


finite = st.floats(min_value=-50, max_value=100, allow_nan=False, allow_infinity=False)


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 6).flatmap(lambda n: arrays(np.float64, 1 << n, elements=finite)))
def test_least_core_and_cost_of_stability_bounds(values):
    values[0] = 0.0
    g = co.Game(values)
    n = g.n
    lc, cos = g.least_core(), g.cost_of_stability()
    assert cos <= n * max(lc.epsilon, 0) + 1e-6
    assert lc.epsilon <= cos * (n - 1) / n + 1e-6
    # core_is_empty means epsilon > 1e-9 max(1, max|v|), and then CoS >= epsilon n/(n-1) > 0.
    if g.core_is_empty():
        assert lc.epsilon > 0 and cos > 0
    else:
        assert lc.epsilon <= 1e-9 * max(1.0, np.abs(values).max()) and cos <= 1e-6


def test_tau_value():
    # Bankruptcy, estate 200, claims 100/200/300: the adjusted proportional rule (Curiel,
    # Maschler and Tijs 1987), published in tests/data/cases.json.
    claims = {"a": 100, "b": 200, "c": 300}
    g = co.Game.from_function(
        list(claims), lambda s: max(0, 200 - sum(c for p, c in claims.items() if p not in s))
    )
    tau = g.tau_value()
    assert tau.label == "tau value"
    np.testing.assert_allclose(np.asarray(tau), published_vector("Talmud, estate 200", "tau_value"), atol=1e-9)
    with raises_error(co.UndefinedSolution, "undefined", concept="the tau value"):
        co.Game(weighted_voting_values(2, [1, 1, 1])).tau_value()


def test_nucleolus_talmud_and_design_example():
    # Aumann and Maschler 1985: estate 200, claims 100/200/300 (tests/data/cases.json).
    talmud = published_vector("Talmud, estate 200", "nucleolus")
    claims = {"a": 100, "b": 200, "c": 300}
    g = co.Game.from_function(
        list(claims), lambda s: max(0, 200 - sum(c for p, c in claims.items() if p not in s))
    )
    nu = g.nucleolus()
    assert nu.label == "nucleolus"
    np.testing.assert_allclose(np.asarray(nu), talmud, atol=1e-9)
    np.testing.assert_allclose(np.asarray(g.prenucleolus()), talmud, atol=1e-9)
    cities = co.Game.from_coalitions(CITIES, MAPPING)
    # The least core point (60, 50, 40) is unique here, so it is the nucleolus.
    np.testing.assert_allclose(np.asarray(cities.nucleolus()), [60, 50, 40], atol=1e-9)
    assert cities.in_core(cities.nucleolus())


def test_nucleolus_without_imputations():
    g = co.Game([0, 1, 1, 1], ["A", "B"])
    with raises_error(co.UndefinedSolution, "undefined", concept="the nucleolus"):
        g.nucleolus()
    np.testing.assert_allclose(np.asarray(g.prenucleolus()), [0.5, 0.5], atol=1e-9)


def test_core_vertices_of_the_design_example():
    # x(pair) >= worth gives x_S <= 80, x_Z <= 70, x_H <= 60 with x >= 0 and x(N) = 150: the
    # triangle where two of the three bounds bind. The game is not convex (double description).
    g = co.Game.from_coalitions(CITIES, MAPPING)
    assert not g.is_convex()
    vertices = g.core_vertices()
    assert vertices.dtype == np.float64 and vertices.shape == (3, 3)
    np.testing.assert_allclose(vertices, [[20, 70, 60], [80, 10, 60], [80, 70, 0]], atol=1e-9)
    for row in vertices:
        assert g.in_core(row)


def test_core_vertices_empty_and_too_large():
    majority = co.Game(weighted_voting_values(2, [1, 1, 1]), ["A", "B", "C"])
    assert majority.core_vertices().shape == (0, 3)
    with raises_error(co.UndefinedSolution, "undefined", concept="the list of core vertices"):
        co.Game(np.arange(2**9, dtype=float)).core_vertices()


def test_core_vertices_of_a_cost_game_are_cost_shares():
    # Airport game, runway costs 1, 3, 6 (concave): vertices are the marginal cost vectors of the
    # orders, e.g. (1, 2, 3) for 1-2-3 and (0, 0, 6) for 3-2-1.
    costs = [1.0, 3.0, 6.0]
    values = [max([costs[i] for i in range(3) if m >> i & 1], default=0.0) for m in range(8)]
    g = co.Game(values, ["a", "b", "c"], kind="cost")
    vertices = g.core_vertices()
    expected = {(0, 0, 6), (0, 3, 3), (1, 0, 5), (1, 2, 3)}
    assert {tuple(map(float, row)) for row in vertices} == expected


def test_least_core_to_pandas():
    g = co.Game(weighted_voting_values(2, [1, 1, 1]), ["A", "B", "C"])
    series = g.least_core().to_pandas()
    assert list(series.index) == ["A", "B", "C"] and "epsilon = 0.333333" in series.name
