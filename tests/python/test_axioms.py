"""Axioms of the Shapley and Banzhaf values on random games (hypothesis)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import coalitional as co
from conftest import shapley_by_permutations

finite = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False)


@st.composite
def games(draw, max_n=6):
    n = draw(st.integers(1, max_n))
    values = draw(arrays(np.float64, 1 << n, elements=finite))
    values[0] = 0.0
    return values, n


@settings(max_examples=60, deadline=None)
@given(games())
def test_shapley_is_the_average_of_all_marginal_vectors(data):
    values, n = data
    np.testing.assert_allclose(np.asarray(co.Game(values).shapley()), shapley_by_permutations(values, n), atol=1e-8)


@settings(max_examples=60, deadline=None)
@given(games(max_n=10))
def test_efficiency(data):
    values, _ = data
    assert co.Game(values).shapley().total() == np.float64(values[-1]) or abs(
        co.Game(values).shapley().total() - values[-1]
    ) < 1e-8 * (1 + abs(values[-1]))


@settings(max_examples=40, deadline=None)
@given(games(max_n=8), st.integers(0, 7))
def test_null_player(data, k):
    values, n = data
    k %= n
    masks = np.arange(1 << n)
    null = values[masks & ~(1 << k)]
    g = co.Game(null)
    assert abs(g.shapley()[k]) < 1e-9 and abs(g.banzhaf()[k]) < 1e-9


@settings(max_examples=40, deadline=None)
@given(games(max_n=8))
def test_symmetry_of_players_0_and_1(data):
    values, n = data
    if n < 2:
        return
    masks = np.arange(1 << n)
    b0, b1 = (masks & 1), (masks >> 1) & 1
    swapped = (masks & ~3) | (b0 << 1) | b1
    sym = (values + values[swapped]) / 2
    g = co.Game(sym)
    phi, beta = g.shapley(), g.banzhaf()
    assert abs(phi[0] - phi[1]) < 1e-9 * (1 + abs(phi[0]))
    assert abs(beta[0] - beta[1]) < 1e-9 * (1 + abs(beta[0]))


@settings(max_examples=40, deadline=None)
@given(games(max_n=8), st.data())
def test_additivity(data, more):
    v, n = data
    w = more.draw(arrays(np.float64, 1 << n, elements=finite))
    w[0] = 0.0
    gv, gw, gs = co.Game(v), co.Game(w), co.Game(v + w)
    np.testing.assert_allclose(np.asarray(gs.shapley()), np.asarray(gv.shapley()) + np.asarray(gw.shapley()), atol=1e-8)
    np.testing.assert_allclose(np.asarray(gs.banzhaf()), np.asarray(gv.banzhaf()) + np.asarray(gw.banzhaf()), atol=1e-8)
