"""Lazy games (cache, resume, executors, Dask) and sampling estimates against exact values."""

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pytest

import coalitional as co
from conftest import CITIES, MAPPING, assert_fields, raises_error

WEIGHTS = [1 + (i * 13 + 5) % 17 for i in range(50)]
QUOTA = sum(WEIGHTS) // 2 + 1
VOTERS = [f"v{i}" for i in range(50)]
INDEX = {p: i for i, p in enumerate(VOTERS)}


def vote(coalition):
    """Module level, so that process pools can pickle it."""
    return float(sum(WEIGHTS[INDEX[p]] for p in coalition) >= QUOTA)


def cities_worth(coalition):
    return float(MAPPING[tuple(p for p in CITIES if p in coalition)]) if coalition else 0.0


def test_sampling_error_within_hoeffding_on_fifty_voters():
    exact = co.weighted_voting(QUOTA, WEIGHTS, VOTERS).shapley()
    lazy = co.LazyGame(VOTERS, vote)
    est = lazy.shapley_sample(epsilon=0.05, delta=0.05, value_range=1.0, seed=1)
    assert est.converged and est.bound == "hoeffding"
    assert est.samples == co._coalitional.hoeffding_rounds(50, "permutation", 0.05, 0.05, 1.0)
    err = np.abs(np.asarray(est.values) - np.asarray(exact))
    assert np.all(err <= est.half_widths)
    assert np.all(est.half_widths <= 0.05 + 1e-12)
    assert est.values.total() == pytest.approx(1.0)  # efficient order by order
    lo, hi = est.intervals().T
    assert np.all(lo <= np.asarray(exact)) and np.all(np.asarray(exact) <= hi)
    assert list(est.to_pandas().columns) == ["estimate", "std error", "lower", "upper"]
    assert "hoeffding bound" in repr(est) and "<table>" in est._repr_html_()


def test_structured_and_dense_games_sample_without_python_calls():
    game = co.weighted_voting(QUOTA, WEIGHTS, VOTERS)  # 50 voters: no dense game, vectorised wins
    est = game.banzhaf_sample(epsilon=0.05, value_range=1.0, seed=2)
    exact = np.asarray(game.banzhaf())
    assert np.all(np.abs(np.asarray(est.values) - exact) <= est.half_widths)
    assert game._native is None
    dense = co.Game.from_coalitions(CITIES, MAPPING)
    est = dense.shapley_sample(epsilon=1.0, method="stratified", seed=3)
    assert est.converged
    assert np.all(np.abs(np.asarray(est.values) - np.asarray(dense.shapley())) <= est.half_widths)
    with raises_error(co.InvalidGame, "invalid_parameter", name="method"):
        dense.shapley_sample(method="magic")
    with raises_error(co.InvalidGame, "invalid_parameter", name="epsilon"):
        dense.shapley_sample(epsilon=0)


def test_seed_reproduces_and_empirical_bernstein_stopping():
    lazy = co.LazyGame(VOTERS, vote)
    a = lazy.shapley_sample(epsilon=0.2, seed=7)
    b = co.LazyGame(VOTERS, vote).shapley_sample(epsilon=0.2, seed=7)
    assert np.array_equal(np.asarray(a.values), np.asarray(b.values))
    assert a.bound == "empirical-bernstein" and a.converged and np.all(a.half_widths <= 0.2)
    capped = lazy.shapley_sample(epsilon=1e-6, max_rounds=40, seed=7)
    assert not capped.converged and "NOT converged" in repr(capped)


def test_cache_resume_skips_done_coalitions(tmp_path):
    path = tmp_path / "study.cache"
    first = co.LazyGame(CITIES, cities_worth, cache=path)
    assert first.value(["Songjiang", "Suzhou"]) == 90
    assert first.calls == 1
    # Rerun (a new process would do the same): nothing evaluated twice.
    again = co.LazyGame(CITIES, cities_worth, cache=path)
    assert again.evaluated == 1
    dense = again.to_game()
    assert again.calls == 6  # the other six nonempty coalitions
    np.testing.assert_allclose(dense.shapley(), [55, 50, 45])
    third = co.LazyGame(CITIES, cities_worth, cache=path)
    third.to_game()
    assert third.calls == 0
    # A cache of another game is refused.
    with raises_error(co.CacheError, "cache", path=str(path)):
        co.LazyGame(["a", "b"], lambda s: 0.0, cache=path)


def test_interrupted_run_leaves_no_garbage_and_resumes(tmp_path):
    path = tmp_path / "voters.cache"
    calls = {"n": 0}

    def flaky(coalition):
        calls["n"] += 1
        if calls["n"] == 3000:
            raise KeyboardInterrupt  # Ctrl-C in the middle of a batch
        return vote(coalition)

    lazy = co.LazyGame(VOTERS, flaky, cache=path, chunksize=500)
    with pytest.raises(KeyboardInterrupt):
        lazy.shapley_sample(epsilon=0.1, value_range=1.0, seed=4)
    saved = co.LazyGame(VOTERS, vote, cache=path)
    assert saved.evaluated == 2999  # every value stored as it landed, the interrupted one lost
    masks = saved.known_masks()
    values = saved.evaluate(masks)
    assert saved.calls == 0
    for mask, value in zip(masks.tolist(), values.tolist()):
        assert value == vote(frozenset(p for i, p in enumerate(VOTERS) if mask >> i & 1))
    # Resuming gives exactly the uninterrupted answer, without recomputing what was saved.
    resumed = saved.shapley_sample(epsilon=0.1, value_range=1.0, seed=4)
    fresh = co.LazyGame(VOTERS, vote).shapley_sample(epsilon=0.1, value_range=1.0, seed=4)
    assert np.array_equal(np.asarray(resumed.values), np.asarray(fresh.values))
    assert saved.calls < fresh.evaluations


def test_truncated_cache_line_is_ignored(tmp_path):
    path = tmp_path / "c.cache"
    g = co.LazyGame(CITIES, cities_worth, cache=path)
    g.to_game()
    text = path.read_text()
    path.write_text(text[:-3])  # the process died while writing the last line
    again = co.LazyGame(CITIES, cities_worth, cache=path)
    assert again.evaluated == 6
    again.to_game()
    assert again.calls == 1
    assert co.LazyGame(CITIES, cities_worth, cache=path).evaluated == 7


@pytest.mark.parametrize("pool", [ThreadPoolExecutor, ProcessPoolExecutor])
def test_executor_evaluation(pool):
    with pool(max_workers=2) as ex:
        lazy = co.LazyGame(VOTERS, vote, executor=ex, chunksize=256)
        est = lazy.shapley_sample(epsilon=0.1, value_range=1.0, seed=5)
    serial = co.LazyGame(VOTERS, vote).shapley_sample(epsilon=0.1, value_range=1.0, seed=5)
    assert np.array_equal(np.asarray(est.values), np.asarray(serial.values))


def test_dask_local_cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            lazy = co.LazyGame(CITIES, cities_worth, executor=client.get_executor(), chunksize=2)
            game = lazy.to_game()
            assert lazy.calls == 7
            np.testing.assert_allclose(game.shapley(), [55, 50, 45])
            voters = co.LazyGame(VOTERS, vote, executor=client.get_executor(), chunksize=512)
            est = voters.shapley_sample(epsilon=0.1, value_range=1.0, seed=6)
    serial = co.LazyGame(VOTERS, vote).shapley_sample(epsilon=0.1, value_range=1.0, seed=6)
    assert np.array_equal(np.asarray(est.values), np.asarray(serial.values))


def test_bad_values_and_inputs():
    lazy = co.LazyGame(CITIES, lambda s: "lots")
    for model, name in ((lambda s: "lots", "Songjiang"), (lambda s: float("nan"), "Suzhou")):
        with raises_error(co.ModelError, "model", failed=1, succeeded=0, first_coalition="{" + name + "}") as info:
            co.LazyGame(CITIES, model).value([name])
        assert [c for c, _ in info.value.failures] == [frozenset({name})]
        assert isinstance(info.value.__cause__, co.InvalidGame)
        assert_fields(info.value.__cause__, "model_value", coalition="{" + name + "}")
    with raises_error(co.UnknownPlayer, "unknown_player", name="Beijing", players=", ".join(CITIES)):
        co.LazyGame(CITIES, cities_worth).value(["Beijing"])
    with raises_error(co.InvalidGame, "invalid_parameter", name="players"):
        co.LazyGame([f"p{i}" for i in range(65)], lambda s: 0.0)
    with raises_error(co.GameTooLarge, "limit_exceeded", asked=40, limit=36):
        co.LazyGame([f"p{i}" for i in range(40)], lambda s: 0.0).to_game()


def test_progress_bar():
    pytest.importorskip("tqdm")
    est = co.LazyGame(VOTERS, vote).shapley_sample(epsilon=0.2, value_range=1.0, seed=1, progress=True)
    assert est.converged
