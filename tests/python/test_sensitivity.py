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
    with pytest.raises(co.InvalidGame, match="concept") as err:
        g.sensitivity("tau")
    assert err.value.code == "invalid_parameter"


def _solve(values, kind, concept):
    return np.asarray(getattr(co.Game(values, kind=kind), concept)())


def _central_difference(values, kind, concept, m, spread):
    """(x(v + h e_S) - x(v - h e_S)) / 2h at the largest step h = spread 2**-k that agrees with
    h/2 to the rounding of the shares (piecewise linear: inside the piece both are exact)."""
    big = np.abs(values).max()
    for k in range(6, 31):
        h = spread * 0.5**k
        tol = 1e-7 + 16 * np.finfo(float).eps * big / h

        def cd(step):
            up, down = values.copy(), values.copy()
            up[m] += step
            down[m] -= step
            return (_solve(up, kind, concept) - _solve(down, kind, concept)) / (2 * step)

        a, b = cd(h), cd(h / 2)
        if np.abs(a - b).max() <= 2 * tol:
            return a, tol
    raise AssertionError(f"no stable central difference for mask {m}")


@pytest.mark.parametrize("concept", ["nucleolus", "prenucleolus"])
@pytest.mark.parametrize("kind,budget", [("value", 0.0), ("value", 1e8), ("cost", 1e8)])
def test_nucleolus_matches_central_differences(concept, kind, budget):
    rng = np.random.default_rng(11)
    sign = -1.0 if kind == "cost" else 1.0
    for n in (3, 4, 5):
        b = np.round(budget * rng.uniform(0, 1, n))
        values = np.array(
            [sum(b[i] for i in range(n) if m >> i & 1) + 5.0 * rng.uniform(-1, 1) for m in range(1 << n)]
        )
        values[0] = 0.0
        values[-1] += sign * 5.0 * (n + 1)  # v(N) above the standalone values: imputations exist
        g = co.Game(values, kind=kind)
        table = g.sensitivity(concept)
        assert table.concept == concept
        assert table.two_sided.all()  # random worths: no level holds more than it needs
        spread = g.spread
        for m in range(1, 1 << n):
            fd, tol = _central_difference(values, kind, concept, m, spread)
            np.testing.assert_allclose(table.matrix[m - 1], fd, rtol=0, atol=2 * tol)
        sums = table.matrix.sum(axis=1)
        assert sums[-1] == pytest.approx(1.0) and np.allclose(sums[:-1], 0.0, atol=1e-9)


def test_nucleolus_two_players_and_pairs_at_the_top_closed_forms():
    # Two players: x_A = (v(N) + v(A) - v(B)) / 2.
    t = co.Game([0.0, 1.0, 2.0, 6.0]).sensitivity("nucleolus")
    assert t.matrix == pytest.approx(np.array([[0.5, -0.5], [-0.5, 0.5], [0.5, 0.5]]))
    # v(i) = 0, v(AB) = .8, v(AC) = .6, v(BC) = .4, v(N) = 1: the pairs' excesses are equal,
    # x_k = (v(N) + sum of pairs) / 3 - v(pair without k).
    t = co.Game([0.0, 0.0, 0.0, 0.8, 0.0, 0.6, 0.4, 1.0]).sensitivity("prenucleolus")
    assert t.matrix[0b011 - 1] == pytest.approx([1 / 3, 1 / 3, -2 / 3])
    assert t.matrix[0b111 - 1] == pytest.approx([1 / 3] * 3)


def test_majority_game_rows_are_one_sided_for_an_increase():
    pytest.importorskip("pandas")
    players = ["A", "B", "C", "D", "E"]
    g = co.Game.from_function(players, lambda s: 1.0 if len(s) >= 3 else 0.0)
    t = g.sensitivity("nucleolus")
    values = np.asarray(g.values, dtype=float)
    base = _solve(values, "value", "nucleolus")
    triples = [m for m in range(1, 32) if bin(m).count("1") == 3]
    assert sorted(np.flatnonzero(~t.two_sided) + 1) == triples
    assert not t.two_sided.flags.writeable
    for m in range(1, 32):
        up = values.copy()
        up[m] += 1e-3
        fwd = (_solve(up, "value", "nucleolus") - base) / 1e-3
        np.testing.assert_allclose(t.matrix[m - 1], fwd, rtol=0, atol=1e-7)
    assert "one-sided rows" in repr(t) and "10 of 31" in repr(t)
    df = t.to_pandas()
    assert list(df.columns) == players + ["two_sided"]
    assert not df.loc["A + B + C", "two_sided"] and df.loc["A + B + C + D + E", "two_sided"]
    assert "one-sided" not in repr(g.sensitivity("shapley"))


def test_nucleolus_of_an_inessential_game_is_undefined():
    g = co.Game([0.0, 1.0, 2.0, 3.0])
    with pytest.raises(co.UndefinedSolution) as err:
        g.sensitivity("nucleolus")
    assert err.value.code == "undefined"
    assert g.sensitivity("prenucleolus").two_sided.all()
