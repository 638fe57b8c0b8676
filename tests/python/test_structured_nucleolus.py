"""The claims game's nucleolus without 2**n values (issue 18, first piece): the Talmud rule,
against the dense nucleolus of the same game (Aumann and Maschler 1985)."""

import numpy as np
import pytest

import coalitional as co


@pytest.mark.parametrize("seed", range(10))
def test_claims_nucleolus_matches_the_dense_nucleolus(seed):
    rng = np.random.default_rng(seed)
    n = 2 + seed % 5
    claims = rng.integers(1, 100, n).astype(float)
    estate = float(np.round(claims.sum() * rng.uniform(0.05, 0.95)))
    g = co.bankruptcy(estate, claims)
    fast = g.nucleolus()
    assert fast.label == "nucleolus"
    dense = co.Game(g.values, g.players).nucleolus()
    np.testing.assert_allclose(np.asarray(fast), np.asarray(dense), rtol=0, atol=1e-9 * estate)
    assert list(fast) == list(g.talmud())


def test_a_thousand_claimants_and_bounds_fall_back_to_the_dense_solver():
    g = co.bankruptcy(100_000, list(range(1, 1001)))
    assert float(np.sum(np.asarray(g.nucleolus()))) == pytest.approx(100_000)
    small = co.bankruptcy(200, [100, 200, 300], ["a", "b", "c"])
    assert list(small.nucleolus()) == [50, 75, 75]
    capped = small.nucleolus(bounds={"c": (None, 60)})
    assert capped["c"] == pytest.approx(60) and capped.label == "nucleolus within bounds"
