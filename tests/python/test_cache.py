"""The LazyGame model cache and model failures: kill -9 at random moments, flipped bytes and
truncations, NaN lines, other games, old files, two processes on one cache, failing models with
each executor kind, max_failures, what a model may return, and the memory of to_game().

Every expected value comes from the deterministic model below, never from the code under test."""

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
import warnings
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

import coalitional as co
from conftest import raises_error

CacheWarning = co._coalitional.CacheWarning

MODEL = """
def model(coalition):
    mask = sum(1 << int(p[1:]) for p in coalition)
    return mask * mask / 7.0 - len(coalition) ** 0.5
"""
exec(MODEL)  # defines model(); the subprocesses below run the same text


def players(n):
    return [f"p{i}" for i in range(n)]


def names_of(mask, n):
    return frozenset(p for i, p in enumerate(players(n)) if mask >> i & 1)


def expected(n):
    return np.array([0.0] + [model(names_of(m, n)) for m in range(1, 1 << n)])  # noqa: F821


def loaded_values_are_right(path, n):
    """Opens the cache, checks that nothing was reported and that every value it yields is
    the model's, bit for bit; returns how many it holds."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        lazy = co.LazyGame(players(n), lambda s: pytest.fail("a cached value was recomputed"), cache=path)
    assert not [w for w in caught if issubclass(w.category, CacheWarning)], [str(w.message) for w in caught]
    masks = lazy.known_masks()
    np.testing.assert_array_equal(lazy.evaluate(masks), expected(n)[masks.astype(np.int64)])
    return lazy.evaluated


WRITER = MODEL + """
import sys
from concurrent.futures import ThreadPoolExecutor
import coalitional as co
path, n, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
names = [f"p{i}" for i in range(n)]
print("ready", flush=True)
if mode == "serial":
    co.LazyGame(names, model, cache=path).to_game()
else:  # big batches: one write of ~100 KB per landing chunk
    with ThreadPoolExecutor(2) as ex:
        co.LazyGame(names, model, cache=path, executor=ex, chunksize=3000).to_game()
print("done", flush=True)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs kill -9")
def test_kill_minus_nine_at_random_moments_loses_only_what_was_in_flight(tmp_path):
    n, path, script = 15, tmp_path / "killed.cache", tmp_path / "writer.py"
    script.write_text(WRITER)
    rng = random.Random(13)
    held = 0
    for k in range(6):
        size = path.stat().st_size if path.exists() else 0
        target = size + rng.uniform(0, 150_000)  # kill once the file has grown past a random point
        proc = subprocess.Popen([sys.executable, str(script), str(path), str(n), ["serial", "batch"][k % 2]],
                                stdout=subprocess.PIPE)
        assert proc.stdout is not None and proc.stdout.readline() == b"ready\n"
        deadline = time.monotonic() + 10
        while proc.poll() is None and time.monotonic() < deadline and (
                not path.exists() or path.stat().st_size < target):
            time.sleep(0.0002)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = loaded_values_are_right(path, n)
        assert now >= held  # nothing that was stored is ever lost
        held = now
    assert held < (1 << n) - 1  # the kills did interrupt the study
    lazy = co.LazyGame(players(n), model, cache=path)  # noqa: F821
    np.testing.assert_array_equal(lazy.to_game().values, expected(n))
    assert lazy.calls == (1 << n) - 1 - held


def _filled(path, n):
    lazy = co.LazyGame(players(n), model, cache=path)  # noqa: F821
    lazy.to_game()
    return path.read_bytes()


def test_every_truncation_loads_and_yields_only_right_values(tmp_path):
    path = tmp_path / "cut.cache"
    full = _filled(path, 3)
    for cut in range(len(full)):
        path.write_bytes(full[:cut])
        loaded_values_are_right(path, 3)
        lazy = co.LazyGame(players(3), model, cache=path)  # noqa: F821
        np.testing.assert_array_equal(lazy.to_game().values, expected(3))


def test_flipped_bytes_are_detected_reported_once_and_recomputed(tmp_path):
    path = tmp_path / "flip.cache"
    full = _filled(path, 4)
    header = full.index(b"\n") + 1
    rng = random.Random(7)
    for pos in rng.sample(range(header, len(full) - 1), 60):
        data = bytearray(full)
        data[pos] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(data))
        with pytest.warns(CacheWarning) as caught:
            lazy = co.LazyGame(players(4), model, cache=path)  # noqa: F821
        message = str(caught[0].message)
        assert str(path) in message and "line" in message, message
        np.testing.assert_array_equal(lazy.to_game().values, expected(4))
        assert 1 <= lazy.calls <= 2
        del lazy
        assert loaded_values_are_right(path, 4) == 15  # reported once: silent from now on
    # A damaged header is refused (the records cannot be matched to a game).
    data = bytearray(full)
    data[5] ^= 0x01
    path.write_bytes(bytes(data))
    with raises_error(co.CacheError, "cache", path=str(path)):
        co.LazyGame(players(4), model, cache=path)  # noqa: F821


def test_nan_and_garbage_lines_never_load(tmp_path):
    path = tmp_path / "nan.cache"
    full = _filled(path, 3)
    path.write_bytes(full + b"5 nan\n3 inf 00000000\nhello\n")
    with pytest.warns(CacheWarning) as caught:
        lazy = co.LazyGame(players(3), model, cache=path)  # noqa: F821
    messages = [str(w.message) for w in caught]
    assert len(messages) == 3 and "{p0, p2}" in messages[0], messages
    np.testing.assert_array_equal(lazy.to_game().values, expected(3))
    assert lazy.calls == 0  # the damaged lines were extra: every value was there already


def test_other_games_and_first_format_files(tmp_path):
    path = tmp_path / "study.cache"
    _filled(path, 3)
    with raises_error(co.CacheError, "cache", path=str(path)):  # another game's cache: more players
        co.LazyGame(players(4), model, cache=path)  # noqa: F821
    with raises_error(co.CacheError, "cache", path=str(path)):  # another kind
        co.LazyGame(players(3), model, cache=path, kind="cost")  # noqa: F821
    with raises_error(co.InvalidGame, "empty_player_name", index=1):
        co.LazyGame(["a", ""], model, cache=tmp_path / "x.cache")  # noqa: F821
    other = tmp_path / "notes.txt"
    other.write_text("shopping list\n")
    with raises_error(co.CacheError, "cache", path=str(other)):  # not a coalitional cache
        co.LazyGame(players(3), model, cache=other)  # noqa: F821
    old = tmp_path / "old.cache"
    header = '{"format": "coalitional.cache", "version": 1, "players": ["p0", "p1", "p2"], "kind": "value"}'
    old.write_text(header + "\n" + "".join(f"{m} {model(names_of(m, 3))!r}\n" for m in (1, 2, 3)) + "4 1.")  # noqa: F821
    with pytest.warns(CacheWarning):  # upgraded from format 1
        lazy = co.LazyGame(players(3), model, cache=old)  # noqa: F821
    assert lazy.evaluated == 3
    np.testing.assert_array_equal(lazy.to_game().values, expected(3))
    assert lazy.calls == 4
    del lazy
    assert loaded_values_are_right(old, 3) == 7


SHARER = MODEL + """
import os, sys, time
import numpy as np
import coalitional as co
path, counter, out, start = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
def counted(coalition):
    fd = os.open(counter, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    os.write(fd, b"x")
    os.close(fd)
    time.sleep(0.0005)
    return model(coalition)
time.sleep(max(0.0, start - time.time()))  # both start together, on a cache nobody created yet
np.save(out, co.LazyGame([f"p{i}" for i in range(10)], counted, cache=path).to_game().values)
"""


def test_two_processes_fill_one_cache_without_repeating_work(tmp_path):
    script, path, counter = tmp_path / "sharer.py", tmp_path / "shared.cache", tmp_path / "count"
    script.write_text(SHARER)
    start = time.time() + 1.0
    procs = [subprocess.Popen([sys.executable, str(script), str(path), str(counter), str(tmp_path / f"v{k}.npy"),
                               str(start)]) for k in range(2)]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    for k in range(2):
        np.testing.assert_array_equal(np.load(tmp_path / f"v{k}.npy"), expected(10))
    evaluations = len(counter.read_bytes())
    assert 1023 <= evaluations <= 1023 + 40, evaluations


def failing(coalition):
    """Module level (process pools pickle it): fails for the coalitions of two players."""
    if len(coalition) == 2:
        raise ValueError(f"no convergence for {sorted(coalition)}")
    return model(coalition)  # noqa: F821


def dying(coalition):
    if len(coalition) == 2:
        os._exit(3)  # the worker process dies (a segfault, the OOM killer)
    return model(coalition)  # noqa: F821


def test_a_dying_worker_is_a_failure_not_a_crash(tmp_path):
    path = tmp_path / "dying.cache"
    with ProcessPoolExecutor(1) as pool:
        lazy = co.LazyGame(players(3), dying, cache=path, executor=pool)
        with pytest.raises(co.ModelError) as info:
            lazy.to_game()
    assert info.value.failures and all(isinstance(e, Exception) for _, e in info.value.failures)
    kept = loaded_values_are_right(path, 3)
    again = co.LazyGame(players(3), model, cache=path)  # noqa: F821
    np.testing.assert_array_equal(again.to_game().values, expected(3))
    assert again.calls == 7 - kept


def slow_failure(coalition):
    time.sleep(0.02)
    raise RuntimeError("license server down")


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            yield client


@pytest.fixture(params=["serial", "threads", "processes", "dask"])
def executor(request):
    if request.param == "serial":
        yield None
    elif request.param == "threads":
        with ThreadPoolExecutor(2) as ex:
            yield ex
    elif request.param == "processes":
        with ProcessPoolExecutor(2) as ex:
            yield ex
    else:
        yield request.getfixturevalue("dask_client").get_executor()


def test_failures_keep_finished_work_and_a_rerun_evaluates_only_them(tmp_path, executor):
    path = tmp_path / "fail.cache"
    lazy = co.LazyGame(players(5), failing, cache=path, executor=executor, chunksize=3)
    with pytest.raises(co.ModelError) as info:
        lazy.to_game()
    err = info.value
    pairs = {names_of(m, 5) for m in range(32) if bin(m).count("1") == 2}
    assert {c for c, _ in err.failures} == pairs
    assert all(isinstance(e, ValueError) and "no convergence" in str(e) for _, e in err.failures)
    assert err.succeeded == 21 and isinstance(err.__cause__, ValueError)
    assert (err.code, err.failed, err.succeeded) == ("model", 10, 21)
    first = next(iter(err.failures))[0]
    assert err.first_coalition == "{" + ", ".join(p for p in players(5) if p in first) + "}"  # in player order
    assert lazy.evaluated == 21 and len(lazy.failures) == 10
    # A rerun (here, or another process on the same cache) evaluates only the ten failures.
    again = co.LazyGame(players(5), model, cache=path, executor=executor)  # noqa: F821
    np.testing.assert_array_equal(again.to_game().values, expected(5))
    assert again.calls == 10


def test_max_failures_cancels_pending_work(executor):
    lazy = co.LazyGame(players(6), slow_failure, executor=executor, max_failures=2)
    started = time.monotonic()
    with raises_error(co.ModelError, "model") as info:  # stopped at once, beyond max_failures=2
        lazy.to_game()
    assert 3 <= len(info.value.failures) <= 12 and lazy.calls <= 12
    assert isinstance(info.value.__cause__, RuntimeError)
    assert time.monotonic() - started < 0.02 * 63 / 2  # far less than running all 63
    if executor is None:
        assert lazy.calls == 3


def test_bad_limits_are_refused():
    with raises_error(co.InvalidGame, "invalid_parameter", name="max_failures"):
        co.LazyGame(players(2), model, max_failures=-1)  # noqa: F821
    with raises_error(co.InvalidGame, "invalid_parameter", name="chunksize"):
        co.LazyGame(players(2), model, chunksize=0)  # noqa: F821
    with raises_error(co.InvalidGame, "unknown_kind", kind="profit"):
        co.LazyGame(players(2), model, kind="profit")  # noqa: F821


def test_keyboard_interrupt_stops_at_once_and_keeps_what_landed(tmp_path):
    path, calls = tmp_path / "ctrl-c.cache", []

    def interrupted(coalition):
        calls.append(coalition)
        if len(calls) == 20:
            raise KeyboardInterrupt
        return model(coalition)  # noqa: F821

    with pytest.raises(KeyboardInterrupt):
        co.LazyGame(players(6), interrupted, cache=path).to_game()
    assert loaded_values_are_right(path, 6) == 19


class CountingPool(ThreadPoolExecutor):
    submitted = 0

    def submit(self, *args, **kwargs):
        self.submitted += 1
        return super().submit(*args, **kwargs)


def test_chunks_grow_for_cheap_models_and_stay_single_for_slow_ones():
    with CountingPool(2) as pool:
        np.testing.assert_array_equal(co.LazyGame(players(12), model, executor=pool).to_game().values,  # noqa: F821
                                      expected(12))
    assert pool.submitted < 60, pool.submitted  # 4095 coalitions

    def slow(coalition):
        time.sleep(0.06)
        return model(coalition)  # noqa: F821

    with CountingPool(2) as pool:
        co.LazyGame(players(3), slow, executor=pool).to_game()
    assert pool.submitted == 7


ACCEPTED = [2, 1.5, np.float64(2.5), np.int32(3), np.float32(0.5), Fraction(1, 4), Decimal("1.5"), np.array(2.0)]
REFUSED = ["1.5", None, float("nan"), float("inf"), 1 + 2j, np.complex128(1), [1.0], True, np.bool_(False)]


@pytest.mark.parametrize("value", ACCEPTED, ids=repr)
def test_a_model_may_return_a_real_number(value, tmp_path):
    for executor in (None, ThreadPoolExecutor(1)):
        lazy = co.LazyGame(["a", "b"], lambda s: value, executor=executor, cache=tmp_path / f"{executor}.cache")
        assert lazy.to_game().values.tolist() == [0.0] + [float(value)] * 3
    assert co.Game.from_function(["a", "b"], lambda s: value).value(["a"]) == float(value)


@pytest.mark.parametrize("value", REFUSED, ids=repr)
def test_anything_else_is_a_model_failure_as_in_game_from_function(value):
    for executor in (None, ThreadPoolExecutor(1)):
        with raises_error(co.ModelError, "model", failed=1, succeeded=0, first_coalition="{b, a}") as info:
            co.LazyGame(["b", "a"], lambda s: value, executor=executor).value(["a", "b"])
        assert isinstance(info.value.__cause__, co.InvalidGame)
        assert info.value.__cause__.code == "model_value" and info.value.__cause__.coalition == "{b, a}"
        assert len(info.value.failures) == 1
    with pytest.raises(co.InvalidGame):
        co.Game.from_function(["b", "a"], lambda s: value)


MEMORY = """
import coalitional as co
def field(name):
    for line in open("/proc/self/status"):
        if line.startswith(name):
            return int(line.split()[1]) * 1024
lazy = co.LazyGame([f"p{i}" for i in range(18)], lambda s: float(len(s)))
lazy.value(["p0"])
before = field("VmRSS:")
game = lazy.to_game()
print((field("VmHWM:") - before) / 2 ** 18)
"""


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads /proc/self/status")
def test_to_game_needs_about_two_value_arrays():
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(MEMORY)], capture_output=True, text=True,
                         check=True)
    per_coalition = float(out.stdout)
    # The game's 8 bytes plus the lazy game's dense array of 8, and a little slack for the
    # allocator: the dict of Python floats this replaced took 158 to 286 bytes.
    assert per_coalition < 24, per_coalition
