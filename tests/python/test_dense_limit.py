"""The dense nucleolus at n = 20 on games with huge tie levels (issue 18): glove games against
their closed form (also at budgets of 1e8), assignment markets that failed the Kohlberg check
before (levels of thousands of tied coalitions), weighted voting with repeated weights
(symmetric players get equal shares: the symmetry axiom)."""

import numpy as np
import pytest

import coalitional as co


def counts(n, flags):
    out = np.zeros(1, dtype=np.int64)
    for f in flags:
        out = np.concatenate([out, out + int(f)])
    return out


def glove(left, right):
    n = left + right
    lefts = counts(n, [i < left for i in range(n)])
    rights = counts(n, [i >= left for i in range(n)])
    return np.minimum(lefts, rights).astype(float)


@pytest.mark.parametrize("left,right", [(10, 10), (8, 12)])
@pytest.mark.parametrize("scale,shift", [(1.0, 0.0), (1e8, 3e8)])
def test_glove_games_have_the_closed_form_nucleolus(left, right, scale, shift):
    n = left + right
    b = shift * (1.0 + np.arange(n))
    values = scale * glove(left, right) + counts_weighted(n, b)
    g = co.Game(values)
    # Balanced: 1/2 each; more right gloves: the core is one point, 1 to each left glove.
    want = np.array([0.5] * n if left == right else [1.0] * left + [0.0] * right)
    for concept in ("nucleolus", "prenucleolus"):
        got = np.array(list(getattr(g, concept)()))
        np.testing.assert_allclose(got, scale * want + b, rtol=0, atol=1e-9 * scale)


def counts_weighted(n, b):
    out = np.zeros(1)
    for w in b:
        out = np.concatenate([out, out + w])
    return out


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_assignment_markets_with_huge_ties(seed):
    # 10 x 10 markets with pair worths 0..3, the cases that failed the Kohlberg check before:
    # the dense nucleolus equals the assignment game's own (essential coalitions only, no
    # 2^n values; a different method), lies in the core (nonempty: Shapley and Shubik 1972)
    # and equals the dense prenucleolus.
    rng = np.random.default_rng(1000 * seed + 20)
    w = rng.integers(0, 4, (10, 10)).astype(float).tolist()
    market = co.assignment(w, [f"s{i}" for i in range(10)], [f"b{j}" for j in range(10)])
    g = market.dense()
    nu = np.array(list(g.nucleolus()))
    pre = np.array(list(g.prenucleolus()))
    np.testing.assert_allclose(nu, np.array(list(market.nucleolus())), atol=1e-9)
    np.testing.assert_allclose(nu, pre, atol=1e-9)
    assert g.in_core(list(nu), tol=1e-9)


def test_sparse_markets_agree_with_the_structured_method():
    # 40 random 7 x 9 markets with sparse worths up to 50 (the family in which the dense
    # solver failed intermittently, depending on hash order, before issue 18).
    rng = np.random.default_rng(7)
    for _ in range(40):
        w = (rng.integers(0, 50, (7, 9)) * (rng.random((7, 9)) < 0.35)).astype(float).tolist()
        market = co.assignment(w, [f"s{i}" for i in range(7)], [f"b{j}" for j in range(9)])
        dense = np.array(list(market.dense().nucleolus()))
        np.testing.assert_allclose(dense, np.array(list(market.nucleolus())), atol=1e-9 * 50)


def test_weighted_voting_with_repeated_weights_treats_equals_alike():
    weights = [1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 5, 5, 6, 6]
    n = len(weights)
    sums = counts_weighted(n, weights)
    g = co.Game((sums >= sum(weights) // 2 + 1).astype(float))
    for concept in ("nucleolus", "prenucleolus"):
        x = np.array(list(getattr(g, concept)()))
        assert abs(x.sum() - 1.0) < 1e-12
        for w in set(weights):
            group = x[[i for i, wi in enumerate(weights) if wi == w]]
            assert np.ptp(group) < 1e-12, (concept, w, group)
        # Heavier voters never get less (desirability: a heavier voter is at least as
        # desirable, and the nucleolus respects the desirability order).
        order = [x[weights.index(w)] for w in sorted(set(weights))]
        assert all(a <= b + 1e-12 for a, b in zip(order, order[1:]))
