"""``progress=True`` on Game.from_function, LazyGame.evaluate and LazyGame.to_game: a tqdm bar
with the right total, updates by elapsed time (the first within about a second, not after
thousands of evaluations), closed on success and on error; ImportError naming the extra
without tqdm. A fake tqdm records what the bar is told."""

import sys
import time
import types
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import coalitional as co
from coalitional import _progress


class FakeBar:
    bars = []

    def __init__(self, total=None, **options):
        self.total, self.options = total, options
        self.n = 0
        self.updates = []  # (seconds since the bar started, count)
        self.closed = False
        self.start = time.monotonic()
        FakeBar.bars.append(self)

    def update(self, k):
        assert not self.closed, "update after close"
        self.updates.append((time.monotonic() - self.start, k))
        self.n += k

    def close(self):
        self.closed = True


@pytest.fixture
def bars(monkeypatch):
    FakeBar.bars = []
    monkeypatch.setitem(sys.modules, "tqdm.auto", types.SimpleNamespace(tqdm=FakeBar))
    return FakeBar.bars


def square(s):
    return float(len(s)) ** 2


def test_from_function_shows_every_call(bars):
    g = co.Game.from_function(list("abcde"), square, progress=True)
    assert g.values[-1] == 25.0
    (bar,) = bars
    assert bar.total == 31 and bar.n == 31 and bar.closed
    assert bar.options.get("unit") == "coalition"


def test_no_bar_without_progress(bars):
    co.Game.from_function(list("abc"), square)
    lazy = co.LazyGame(list("abc"), square)
    lazy.evaluate([1, 2])
    lazy.to_game()
    assert bars == []


def test_updates_come_by_time_not_by_count(bars, monkeypatch):
    """A slow model (20 ms a call): the first update comes after about 0.1 s, and several
    follow, long before the end; a fast one does not update the bar on every call."""
    def slow(s):
        time.sleep(0.02)
        return 1.0

    co.Game.from_function(list("abcdef"), slow, progress=True)  # 63 calls, about 1.3 s
    (bar,) = bars
    first = bar.updates[0][0]
    assert first < 1.0, bar.updates
    assert len(bar.updates) >= 4, bar.updates  # every 0.1 s: about 13
    assert sum(k for _, k in bar.updates) == 63 and bar.closed

    co.Game.from_function([f"p{i}" for i in range(14)], lambda s: 1.0, progress=True)  # 16383 fast calls
    fast = bars[1]
    assert fast.n == fast.total == 2**14 - 1
    assert len(fast.updates) < 2**14 // 10


def test_bar_is_closed_when_the_model_fails(bars):
    calls = []

    def failing(s):
        calls.append(s)
        if len(calls) == 10:
            raise RuntimeError("model broke")
        return 1.0

    with pytest.raises(RuntimeError, match="model broke"):
        co.Game.from_function(list("abcde"), failing, progress=True)
    (bar,) = bars
    assert bar.closed and bar.total == 31 and bar.n == 10


def test_bar_is_closed_on_an_invalid_value(bars):
    with pytest.raises(co.InvalidGame):
        co.Game.from_function(list("abc"), lambda s: "x", progress=True)
    assert bars[0].closed and bars[0].n == 1


def test_no_bar_for_a_game_too_large(bars):
    with pytest.raises(co.GameTooLarge):
        co.Game.from_function([f"p{i}" for i in range(60)], square, progress=True)
    assert bars == []


def test_lazy_to_game_counts_what_is_missing(bars):
    lazy = co.LazyGame(list("abcde"), square)
    lazy.evaluate([1, 2, 3])
    g = lazy.to_game(progress=True)
    assert g.values[-1] == 25.0
    (bar,) = bars
    assert bar.total == 31 - 3 and bar.n == bar.total and bar.closed


def test_lazy_evaluate_counts_distinct_unknown_masks(bars):
    lazy = co.LazyGame(list("abcd"), square)
    lazy.evaluate([1, 2])
    out = lazy.evaluate(np.array([0, 1, 2, 3, 3, 5, 15], dtype=np.uint64), progress=True)
    assert out.tolist() == [0.0, 1.0, 1.0, 4.0, 4.0, 4.0, 16.0]
    (bar,) = bars
    assert bar.total == 3 and bar.n == 3 and bar.closed  # 3, 5 and 15


def test_lazy_with_an_executor(bars):
    with ThreadPoolExecutor(2) as pool:
        lazy = co.LazyGame(list("abcdef"), square, executor=pool, chunksize=4)
        lazy.to_game(progress=True)
    (bar,) = bars
    assert bar.total == 63 and bar.n == 63 and bar.closed
    assert len(bar.updates) >= 1


def test_lazy_failures_still_count_and_close(bars):
    def model(s):
        if "a" in s and "b" in s:
            raise ValueError("no data")
        return 1.0

    lazy = co.LazyGame(list("abcd"), model)
    with pytest.raises(co.ModelError):
        lazy.to_game(progress=True)
    (bar,) = bars
    assert bar.closed and bar.total == 15 and bar.n == 15  # every coalition was tried
    with pytest.raises(co.ModelError):  # a rerun tries only the 4 that failed
        lazy.to_game(progress=True)
    assert bars[1].total == 4 and bars[1].closed


def test_interrupt_closes_the_bar(bars):
    def model(s):
        if len(s) == 3:
            raise KeyboardInterrupt
        return 1.0

    lazy = co.LazyGame(list("abcd"), model)
    with pytest.raises(KeyboardInterrupt):
        lazy.to_game(progress=True)
    assert bars[0].closed


@pytest.mark.parametrize("call", [
    lambda: co.Game.from_function(list("abc"), square, progress=True),
    lambda: co.LazyGame(list("abc"), square).to_game(progress=True),
    lambda: co.LazyGame(list("abc"), square).evaluate([1, 2], progress=True),
])
def test_without_tqdm_an_import_error_names_the_extra(monkeypatch, call):
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    with pytest.raises(ImportError, match=r'pip install "coalitional\[progress\]"'):
        call()


def test_the_real_tqdm(capsys):
    pytest.importorskip("tqdm")
    bar = _progress.Progress(5, "test")
    for _ in range(5):
        bar.add()
    bar.close()
    bar.close()  # idempotent
    assert "5/5" in capsys.readouterr().err
