"""Nucleolus, prenucleolus and least core of the airport game (Littlechild 1974) and the
assignment game (essential coalitions; Solymosi and Raghavan 1994) without 2**n values
(issue 18): against the dense solver on the same game, a brute-force numpy oracle for the
least core's excesses, hand-computed examples, scale covariance, errors and the report."""

import json

import numpy as np
import pytest

import coalitional as co
from coalitional import cli


def masks_matrix(n):
    """Row S of the 0/1 membership matrix of every proper nonempty coalition."""
    masks = np.arange(1, 2**n - 1)
    return ((masks[:, None] >> np.arange(n)) & 1).astype(float), masks


def max_excess(game, x):
    """Brute force: max over proper S of v(S) - x(S) (cost games: x(S) - c(S))."""
    member, masks = masks_matrix(game.n)
    sign = -1.0 if game.kind == "cost" else 1.0
    return float(np.max(sign * (np.asarray(game.values)[masks] - member @ np.asarray(x))))


def dense(game):
    return co.Game(game.values, game.players, kind=game.kind)


@pytest.mark.parametrize("seed", range(40))
def test_airport_matches_the_dense_solver(seed):
    rng = np.random.default_rng(seed)
    n = 2 + seed % 10
    base = [0.0, 0.0, 1e6, 1e9][seed % 4]
    costs = base + (rng.integers(0, 6, n) if seed % 2 == 0 else rng.uniform(0, 20, n))
    g = co.airport(costs)
    d = dense(g)
    tol = d.tolerance  # 1e-9 of the spread plus the rounding of the inputs
    fast = g.nucleolus()
    assert fast.label == "nucleolus" and fast.kind == "cost"
    np.testing.assert_allclose(np.asarray(fast), np.asarray(d.nucleolus()), rtol=0, atol=tol)
    np.testing.assert_allclose(np.asarray(g.prenucleolus()), np.asarray(fast), rtol=0, atol=0)
    lc = g.least_core()
    assert lc.epsilon == pytest.approx(d.least_core().epsilon, abs=tol)
    assert np.sum(np.asarray(lc.allocation)) == pytest.approx(max(costs), abs=tol)
    assert max_excess(d, lc.allocation) <= lc.epsilon + tol


@pytest.mark.parametrize("seed", range(40))
def test_assignment_matches_the_dense_solver(seed):
    rng = np.random.default_rng(100 + seed)
    m, k = 1 + seed % 4, 1 + (seed // 4) % 5
    weights = rng.integers(-1, 6, (m, k)).astype(float) if seed % 2 else rng.uniform(0, 9, (m, k))
    if seed % 5 == 4:
        weights = 1e6 + rng.integers(0, 4, (m, k))
    g = co.assignment(weights, [f"r{i}" for i in range(m)], [f"c{j}" for j in range(k)])
    d = dense(g)
    tol = d.tolerance
    np.testing.assert_allclose(np.asarray(g.nucleolus()), np.asarray(d.nucleolus()), rtol=0, atol=tol)
    np.testing.assert_allclose(np.asarray(g.prenucleolus()), np.asarray(d.prenucleolus()), rtol=0, atol=tol)
    if g.n >= 2:
        lc = g.least_core()
        assert lc.epsilon == pytest.approx(d.least_core().epsilon, abs=tol)
        assert max_excess(d, lc.allocation) <= lc.epsilon + tol


def test_hand_examples_and_scale():
    a = co.airport([1, 3, 6], ["small", "medium", "large"])
    assert list(a.nucleolus()) == [0.5, 1.25, 4.25]
    assert a.least_core().epsilon == -0.5
    big = co.airport([1e8, 3e8, 6e8])
    np.testing.assert_allclose(np.asarray(big.nucleolus()), 1e8 * np.asarray(a.nucleolus()), rtol=1e-15)
    g = co.assignment([[3, 5]], ["donor"], ["r1", "r2"])
    np.testing.assert_allclose(np.asarray(g.nucleolus()), [4, 0, 1], atol=1e-12)
    assert g.nucleolus()["donor"] == pytest.approx(4)
    scaled = co.assignment([[3e7, 5e7]], ["donor"], ["r1", "r2"])
    np.testing.assert_allclose(np.asarray(scaled.nucleolus()), [4e7, 0, 1e7], rtol=1e-12)
    pair = co.assignment([[6]], ["r"], ["c"])
    lc = pair.least_core()
    assert lc.epsilon == -3 and list(lc.allocation) == [3, 3]


def test_target_sizes_answer_quickly():
    rng = np.random.default_rng(0)
    a = co.airport(rng.uniform(0, 1e6, 1000))
    x = np.asarray(a.nucleolus())
    assert x.sum() == pytest.approx(max(a.costs), rel=1e-12) and np.all(x >= 0)
    w = rng.integers(0, 100, (200, 200)).astype(float)
    g = co.assignment(w, [f"r{i}" for i in range(200)], [f"c{j}" for j in range(200)])
    y = np.asarray(g.nucleolus())
    assert y.sum() == pytest.approx(g.optimal_value(), rel=1e-12)
    assert np.min(y[:200, None] + y[None, 200:] - w) >= -1e-9 * 100  # no blocking pair
    assert g.least_core().epsilon == 0


def test_errors_and_bounds():
    with pytest.raises(co.UndefinedSolution) as info:
        co.airport([5]).least_core()
    assert (info.value.code, info.value.concept) == ("undefined", "the least core")
    with pytest.raises(co.UndefinedSolution) as info:
        co.assignment([], ["alone"], []).least_core()
    assert info.value.code == "undefined"
    # With bounds, the dense computation within them.
    a = co.airport([1, 3, 6], ["s", "m", "l"])
    capped = a.nucleolus(bounds={"l": (4.5, None)})
    assert capped["l"] == pytest.approx(4.5) and capped.label == "nucleolus within bounds"
    assert a.least_core(bounds={"l": (4.5, None)}).allocation["l"] >= 4.5 - 1e-9


def test_report_beyond_the_dense_limit_uses_the_class_methods(tmp_path, capsys):
    path = tmp_path / "airport.json"
    co.airport([float(1 + i % 7) for i in range(40)]).save(path)
    assert cli.main(["report", str(path), "--json", "--samples", "100", "--seed", "1"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "Littlechild" in data["sections"]["nucleolus"]["method"]
    assert "Littlechild" in data["sections"]["least_core"]["method"]
    assert data["nucleolus"] == list(co.airport([float(1 + i % 7) for i in range(40)]).nucleolus())
    path = tmp_path / "market.json"
    rows, cols = [f"d{i}" for i in range(20)], [f"c{j}" for j in range(20)]
    co.assignment(np.arange(400.0).reshape(20, 20) % 7, rows, cols).save(path)
    assert cli.main(["report", str(path), "--json", "--samples", "100", "--seed", "1"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "essential coalitions" in data["sections"]["nucleolus"]["method"]
    assert data["sections"]["least_core"]["status"] == "done"
