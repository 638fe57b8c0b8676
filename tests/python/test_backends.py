"""LazyGame through the back-ends of co.backends, for real: a loky process pool (2 workers),
submitit's local executor (each job a process, in a tmp folder) and a Dask LocalCluster of two
worker processes. Models are lambdas and closures (they travel by cloudpickle). For each: the
same dense game as direct evaluation, results in the cache as they land (Ctrl-C after part of
the work, then a rerun evaluates only the rest), a failing coalition named in the ModelError, a
worker that dies (os._exit) giving failures and not a hang, and an unpicklable model.

Expected values come from the closed form ``expected`` (numpy), never from the code under test.
"""

import os
import sys
import threading
import time
import warnings

import numpy as np
import pytest

import coalitional as co
from conftest import raises_error

N = 5
PLAYERS = [f"p{i}" for i in range(N)]
WEIGHTS = {p: 1.0 + 0.5 * i for i, p in enumerate(PLAYERS)}
CRASH = frozenset({"p1", "p3"})
#: The longest a back-end call in these tests may take before it counts as a hang.
GUARD = 90.0


def expected():
    """v(S) = (sum of weights)^2 - |S| for every mask, by numpy."""
    masks = np.arange(1 << N)
    bits = (masks[:, None] >> np.arange(N)) & 1
    w = np.array([WEIGHTS[p] for p in PLAYERS])
    return (bits @ w) ** 2 - bits.sum(axis=1)


def closure(weights, crash=None, fail=None, delay=0.0):
    """A model closing over ``weights`` (pickled by value: the workers need no test module).
    ``crash``: the coalition whose run kills the worker process; ``fail``: the one that raises."""

    def model(coalition):
        if coalition == crash:
            os._exit(3)  # the worker dies: a segfault, the OOM killer
        if coalition == fail:
            raise ValueError(f"no convergence for {sorted(coalition)}")
        if delay:
            time.sleep(delay)
        return sum(weights[p] for p in coalition) ** 2 - len(coalition)

    return model


def names_of(mask):
    return frozenset(p for i, p in enumerate(PLAYERS) if mask >> i & 1)


def within(seconds, f):
    """``f()`` in a thread, failing the test if it has not finished after ``seconds`` (a hang);
    returns its value or raises its exception."""
    box = {}

    def run():
        try:
            box["value"] = f()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s: a hang"
    if "error" in box:
        raise box["error"]
    return box.get("value")


def until(condition, every=0.05):
    while not condition():
        time.sleep(every)


def cached_values_are_right(path):
    """Opens the cache (with a model that must not run), checks that every stored value is the
    closed form's, and returns how many there are."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", co.CacheWarning)
        lazy = co.LazyGame(PLAYERS, lambda s: pytest.fail("a cached value was recomputed"), cache=path)
    masks = lazy.known_masks()
    np.testing.assert_allclose(lazy.evaluate(masks), expected()[masks.astype(np.int64)], rtol=1e-12)
    return lazy.evaluated


# -- the back-ends ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def loky_backend():
    pytest.importorskip("loky")
    with co.backends.loky(2) as backend:
        yield backend


@pytest.fixture(scope="module")
def dask_client():
    dask = pytest.importorskip("dask")
    distributed = pytest.importorskip("distributed")
    # A task whose worker dies is not retried on another worker: one crash, one KilledWorker.
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=None) as cluster:
            with distributed.Client(cluster) as client:
                yield client


@pytest.fixture(params=["loky", "submitit", "dask"])
def backend(request, tmp_path):
    if request.param == "loky":
        return request.getfixturevalue("loky_backend")
    if request.param == "submitit":
        pytest.importorskip("submitit")
        # Each job is two Python processes here: few, large chunks (in_flight=2, 2 cores).
        return co.backends.submitit(tmp_path / "jobs", cluster="local", in_flight=2, timeout_min=2)
    return co.backends.dask(request.getfixturevalue("dask_client"))


def chunk_for(backend):
    """A chunk size that keeps the number of jobs small where jobs are processes (submitit)."""
    return 16 if isinstance(backend, co.backends.Submitit) else None


class InterruptAt:
    """A back-end that hands everything to ``inner`` and raises ``KeyboardInterrupt`` in its
    ``at``-th ``wait``, as Ctrl-C there would; written against the protocol only."""

    def __init__(self, inner, at, in_flight=None):
        self.inner, self.at, self.waits, self.jobs = inner, at, 0, []
        self._in_flight = in_flight

    @property
    def in_flight(self):
        return self._in_flight or self.inner.in_flight

    @property
    def chunk_seconds(self):
        return self.inner.chunk_seconds

    def submit(self, fn, calls):
        jobs = self.inner.submit(fn, calls)
        self.jobs.extend(jobs)
        return jobs

    def wait(self, jobs):
        self.waits += 1
        if self.waits == self.at:
            raise KeyboardInterrupt
        return self.inner.wait(jobs)


# -- for each back-end ------------------------------------------------------------------------

def test_a_lambda_or_closure_gives_the_game_of_direct_evaluation(backend):
    direct = co.Game.from_function(PLAYERS, closure(WEIGHTS)).values
    np.testing.assert_allclose(direct, expected(), rtol=1e-12)
    lazy = co.LazyGame(PLAYERS, closure(WEIGHTS), executor=backend, chunksize=chunk_for(backend))
    np.testing.assert_array_equal(within(GUARD, lazy.to_game).values, direct)
    assert lazy.calls == 31 and lazy.executor is backend
    w = WEIGHTS
    square = co.LazyGame(PLAYERS, lambda s: float(len(s)) ** 2 + w["p0"], executor=backend, chunksize=16)
    assert within(GUARD, lambda: square.value(["p1", "p2"])) == 5.0


def test_results_land_in_the_cache_as_they_arrive_and_a_rerun_runs_only_the_rest(backend, tmp_path):
    path = tmp_path / "study.cache"
    # loky marks as running the calls its 2 workers hold and the 5 queued for them: keep more
    # in flight, so that some are still pending at Ctrl-C.
    interrupting = InterruptAt(backend, at=2, in_flight=12 if isinstance(backend, co.backends.Loky) else None)
    lazy = co.LazyGame(PLAYERS, closure(WEIGHTS, delay=0.05), executor=interrupting, cache=path, chunksize=2)
    with pytest.raises(KeyboardInterrupt):
        within(GUARD, lazy.to_game)
    kept = cached_values_are_right(path)
    assert 0 < kept < 31 and kept == lazy.evaluated
    # Ctrl-C cancelled the jobs that had not finished (submitit: job.cancel(), loky and Dask:
    # future.cancel(); a loky call already running finishes in its worker, unused).
    cancelled = [job for job in interrupting.jobs if job.cancelled()]
    assert cancelled
    if isinstance(backend, co.backends.Submitit):  # the cancelled jobs' processes end
        within(GUARD, lambda: until(lambda: all(job.job.done() for job in cancelled)))
    again = co.LazyGame(PLAYERS, closure(WEIGHTS), executor=backend, cache=path, chunksize=chunk_for(backend))
    np.testing.assert_allclose(within(GUARD, again.to_game).values, expected(), rtol=1e-12)
    assert again.calls == 31 - kept


def test_a_failing_coalition_is_a_model_error_naming_it(backend, tmp_path):
    path = tmp_path / "fail.cache"
    lazy = co.LazyGame(PLAYERS, closure(WEIGHTS, fail=CRASH), executor=backend, cache=path,
                       chunksize=chunk_for(backend))
    with raises_error(co.ModelError, "model", failed=1, succeeded=30, first_coalition="{p1, p3}") as info:
        within(GUARD, lazy.to_game)
    ((coalition, exc),) = info.value.failures
    assert coalition == CRASH and isinstance(exc, ValueError) and "no convergence" in str(exc)
    assert isinstance(info.value.__cause__, ValueError)
    assert cached_values_are_right(path) == 30
    again = co.LazyGame(PLAYERS, closure(WEIGHTS), executor=backend, cache=path)
    np.testing.assert_allclose(within(GUARD, again.to_game).values, expected(), rtol=1e-12)
    assert again.calls == 1


def test_a_dying_worker_fails_its_coalitions_and_does_not_hang(backend, tmp_path):
    path = tmp_path / "dying.cache"
    lazy = co.LazyGame(PLAYERS, closure(WEIGHTS, crash=CRASH), executor=backend, cache=path,
                       chunksize=chunk_for(backend))
    with raises_error(co.ModelError, "model") as info:
        within(GUARD, lazy.to_game)
    err = info.value
    failed = {c for c, _ in err.failures}
    assert CRASH in failed
    # The job that held the crash failed as a whole: an error of the back-end (loky's
    # TerminatedWorkerError, submitit's UncompletedJobError, Dask's KilledWorker).
    assert all(isinstance(e, Exception) and not isinstance(e, ValueError) for _, e in err.failures)
    assert err.failed == len(failed) and err.failed + err.succeeded == 31
    kept = cached_values_are_right(path)
    assert kept == err.succeeded
    assert {names_of(m) for m in range(1, 32)} - {names_of(int(m)) for m in lazy.known_masks()} == failed
    again = co.LazyGame(PLAYERS, closure(WEIGHTS), executor=backend, cache=path)
    np.testing.assert_allclose(within(GUARD, again.to_game).values, expected(), rtol=1e-12)
    assert again.calls == len(failed)


def test_a_model_that_cannot_be_pickled_is_a_failure_not_a_crash(backend):
    lock = threading.Lock()  # cloudpickle refuses locks
    lazy = co.LazyGame(PLAYERS, lambda s: (lock, 1.0)[1], executor=backend, chunksize=chunk_for(backend))
    with raises_error(co.ModelError, "model", succeeded=0) as info:
        within(GUARD, lazy.to_game)
    assert info.value.failed >= 1 and all(isinstance(e, Exception) for _, e in info.value.failures)
    assert lazy.evaluated == 0


# -- one back-end at a time -------------------------------------------------------------------

def test_sampling_through_loky_reproduces_the_serial_estimate(loky_backend):
    """The sampler's batches go through the pool (workers kept between batches); a seed gives
    the same estimate whatever evaluates the coalitions."""
    players = [f"r{i}" for i in range(12)]
    weights = {p: 1 + (i * 7) % 5 for i, p in enumerate(players)}

    def vote(coalition):
        return float(sum(weights[p] for p in coalition) >= 13)

    serial = co.LazyGame(players, vote).shapley_sample(max_rounds=300, seed=4)
    pooled = co.LazyGame(players, vote, executor=loky_backend)
    estimate = within(GUARD, lambda: pooled.shapley_sample(max_rounds=300, seed=4))
    np.testing.assert_array_equal(np.asarray(estimate.values), np.asarray(serial.values))
    np.testing.assert_array_equal(estimate.half_widths, serial.half_widths)


def test_a_worker_death_in_loky_restarts_the_pool_for_the_rest(loky_backend):
    """Unlike a standard process pool (broken for good), loky starts new workers: every
    coalition that was not in flight with the crash is still evaluated."""
    players = [f"p{i}" for i in range(7)]
    crash = frozenset({"p0"})
    lazy = co.LazyGame(players, closure({p: 1.0 for p in players}, crash=crash, delay=0.002),
                       executor=loky_backend, chunksize=2)
    with raises_error(co.ModelError, "model") as info:
        within(GUARD, lazy.to_game)
    # At most the 4 chunks in flight (2 coalitions each) fail; the other 119 are evaluated.
    assert crash in {c for c, _ in info.value.failures} and info.value.failed <= 8
    assert info.value.succeeded == 127 - info.value.failed


def test_submitit_submits_each_batch_as_one_job_array(tmp_path):
    pytest.importorskip("submitit")
    backend = co.backends.submitit(tmp_path / "jobs", cluster="debug", in_flight=4)
    arrays = []
    map_array = backend.executor.map_array

    def counted(fn, *columns):
        arrays.append(len(columns[0]))
        return map_array(fn, *columns)

    backend.executor.map_array = counted
    lazy = co.LazyGame(PLAYERS, closure(WEIGHTS), executor=backend, chunksize=3)
    np.testing.assert_allclose(lazy.to_game().values, expected(), rtol=1e-12)
    assert sum(arrays) == 11 and arrays[0] == 4 and len(arrays) < 11, arrays  # 31 coalitions, 11 chunks


def test_submitit_takes_a_ready_executor_and_its_parameters(tmp_path):
    submitit = pytest.importorskip("submitit")
    executor = submitit.LocalExecutor(folder=tmp_path / "jobs")
    backend = co.backends.submitit(executor, in_flight=2, timeout_min=1)
    assert backend.executor is executor and backend.cluster == "local"
    assert executor.parameters["timeout_min"] == 1
    lazy = co.LazyGame(PLAYERS, closure(WEIGHTS), executor=backend, chunksize=16)
    np.testing.assert_allclose(within(GUARD, lazy.to_game).values, expected(), rtol=1e-12)
    with raises_error(co.InvalidGame, "invalid_parameter", name="cluster"):
        co.backends.submitit(executor, cluster="slurm")


def test_an_executor_is_taken_as_it_was_and_anything_else_is_refused():
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(3) as pool:
        lazy = co.LazyGame(PLAYERS, closure(WEIGHTS), executor=pool)
        assert lazy.executor is pool
        np.testing.assert_allclose(lazy.to_game().values, expected(), rtol=1e-12)
        wrapped = co.backends.futures(pool)
        assert (wrapped.in_flight, wrapped.chunk_seconds) == (6, 0.05)
        assert co.backends.futures(pool, in_flight=1, chunk_seconds=2).in_flight == 1
    class DuckPool:  # an executor in all but name: its submit returns concurrent.futures futures
        def __init__(self):
            self.pool = ThreadPoolExecutor(1)

        def submit(self, fn, *args):
            return self.pool.submit(fn, *args)

    duck = DuckPool()
    lazy = co.LazyGame(PLAYERS, closure(WEIGHTS), executor=duck, chunksize=4)
    np.testing.assert_allclose(lazy.to_game().values, expected(), rtol=1e-12)
    duck.pool.shutdown()
    for bad in (object(), "threads", 4):
        with raises_error(co.InvalidGame, "invalid_parameter", name="executor"):
            co.LazyGame(PLAYERS, closure(WEIGHTS), executor=bad)
    lazy = co.LazyGame(PLAYERS, closure(WEIGHTS))
    with raises_error(co.InvalidGame, "invalid_parameter", name="executor"):
        lazy.executor = object()
    assert lazy.executor is None


@pytest.mark.parametrize("call, name", [
    (lambda: co.backends.loky(0), "max_workers"),
    (lambda: co.backends.loky(2, in_flight=0), "in_flight"),
    (lambda: co.backends.loky(2, chunk_seconds=0), "chunk_seconds"),
    (lambda: co.backends.loky(2, idle_timeout=float("nan")), "idle_timeout"),
    (lambda: co.backends.futures(None), "executor"),
    (lambda: co.backends.submitit("jobs", cluster="local", in_flight=1.5), "in_flight"),
    (lambda: co.backends.submitit("jobs", cluster="local", result_grace=-1), "result_grace"),
    (lambda: co.backends.submitit("jobs", cluster="local", poll_interval=True), "poll_interval"),
    (lambda: co.backends.dask(object()), "client"),
])
def test_bad_parameters_are_refused_with_their_name(call, name, tmp_path, monkeypatch):
    for module in ("loky", "submitit", "distributed"):
        pytest.importorskip(module)
    monkeypatch.chdir(tmp_path)
    with raises_error(co.InvalidGame, "invalid_parameter", name=name):
        call()


@pytest.mark.parametrize("factory, module", [
    (lambda: co.backends.loky(2), "loky"),
    (lambda: co.backends.submitit("jobs"), "submitit"),
    (lambda: co.backends.dask(None), "distributed"),
])
def test_a_missing_package_names_the_cluster_extra(factory, module, monkeypatch):
    monkeypatch.setitem(sys.modules, module, None)  # import fails as if it were not installed
    with pytest.raises(ImportError, match=r"coalitional\[cluster\]") as info:
        factory()
    assert info.value.name == module


def test_a_dask_client_goes_through_its_adapter(dask_client):
    with raises_error(co.InvalidGame, "invalid_parameter", name="executor"):
        co.LazyGame(PLAYERS, closure(WEIGHTS), executor=dask_client)
    backend = co.backends.dask(dask_client)
    assert backend.in_flight == 4 and co.backends.dask(dask_client, in_flight=9).in_flight == 9  # 2 x 1 thread
    lazy = co.LazyGame(PLAYERS, closure(WEIGHTS), executor=dask_client.get_executor())  # as before
    np.testing.assert_allclose(within(GUARD, lazy.to_game).values, expected(), rtol=1e-12)
