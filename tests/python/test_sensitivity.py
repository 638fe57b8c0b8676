"""Game.sensitivity against finite differences through co.Game, and largest() ordering."""

import math

import numpy as np
import pytest

import coalitional as co


def _random_values(n, rng, scale=1.0, shift=0.0):
    v = np.array([shift * bin(m).count("1") + scale * rng.uniform(-1, 1) for m in range(1 << n)])
    v[0] = 0.0
    return v


@pytest.mark.parametrize("concept", ["shapley", "banzhaf"])
@pytest.mark.parametrize("kind", ["value", "cost"])
@pytest.mark.parametrize("scale,shift", [(100.0, 0.0), (1e8, -3e8)])
def test_matches_finite_differences(concept, kind, scale, shift):
    rng = np.random.default_rng(7)
    for n in range(1, 6):
        values = _random_values(n, rng, scale, shift)
        g = co.Game(values, kind=kind)
        table = g.sensitivity(concept)
        base = np.asarray(getattr(g, concept)())
        h = 1e-3 * scale
        for m in range(1, 1 << n):
            moved = values.copy()
            moved[m] += h
            fd = (np.asarray(getattr(co.Game(moved, kind=kind), concept)()) - base) / h
            np.testing.assert_allclose(fd, table.matrix[m - 1], rtol=0, atol=1e-7)


def test_shapley_rows_follow_efficiency_and_the_published_weights():
    g = co.Game.from_function(["A", "B", "C", "D"], lambda s: len(s) ** 2)
    m = g.sensitivity().matrix
    sums = m.sum(axis=1)
    assert sums[-1] == pytest.approx(1.0)
    assert np.allclose(sums[:-1], 0.0, atol=1e-15)
    # v({A}): A gets 0!3!/4! = 1/4, each other player -1!2!/4! = -1/12.
    assert m[0] == pytest.approx([0.25, -1 / 12, -1 / 12, -1 / 12])
    assert not m.flags.writeable


def test_to_pandas_labels_rows_like_game_to_pandas():
    pytest.importorskip("pandas")
    g = co.Game.from_function(["A", "B", "C"], lambda s: float(len(s)))
    df = g.sensitivity("banzhaf").to_pandas()
    assert list(df.columns) == ["A", "B", "C"]
    assert list(df.index) == list(g.to_pandas().index)
    assert df.loc["A + C", "B"] == pytest.approx(-0.25)


def test_largest_is_ordered_by_magnitude_with_labels():
    g = co.Game.from_function(["A", "B", "C", "D", "E"], lambda s: math.sqrt(len(s)))
    s = g.sensitivity("shapley")
    top = s.largest(12)
    assert len(top) == 12
    mags = [abs(d) for _, _, d in top]
    assert mags == sorted(mags, reverse=True)
    assert mags[0] == pytest.approx(np.abs(s.matrix).max())
    df_pairs = {(lab, p) for lab, p, _ in top}
    assert len(df_pairs) == 12
    for label, player, d in top:
        mask = sum(1 << g.players.index(q) for q in label.split(" + "))
        assert s.matrix[mask - 1, g.players.index(player)] == d
    assert len(s.largest()) == 10
    assert len(s.largest(10_000)) == 31 * 5
    assert "Shapley value" in repr(s)


def test_unknown_concept_names_the_parameter():
    g = co.Game([0.0, 1.0, 1.0, 3.0])
    with pytest.raises(co.InvalidGame, match="concept"):
        g.sensitivity("nucleolus")
