"""``progress=True`` on the computations in Rust (Game.shapley, banzhaf, nucleolus, least_core,
...) and on sampling: a fake tqdm records what the bar is told. The bar gets a total and a
final count, the nucleolus its stages, a slow sampled model its first update early (batches
sized by time), the bar is closed on errors and on KeyboardInterrupt, and progress=False
makes no bar."""

import sys
import signal
import threading
import time
import types

import numpy as np
import pytest

import coalitional as co
from coalitional import _coalitional as native


class FakeBar:
    bars = []

    def __init__(self, total=None, **options):
        self.total, self.options = total, options
        self.n = 0
        self.updates = []  # (seconds since the bar started, count)
        self.descriptions = []
        self.totals = [total]
        self.closed = False
        self.start = time.monotonic()
        FakeBar.bars.append(self)

    def __setattr__(self, name, value):
        if name == "total" and "totals" in self.__dict__:
            self.totals.append(value)
        object.__setattr__(self, name, value)

    def update(self, k):
        assert not self.closed, "update after close"
        self.updates.append((time.monotonic() - self.start, k))
        self.n += k

    def set_description(self, desc, refresh=True):
        self.descriptions.append(desc)

    def refresh(self):
        pass

    def close(self):
        self.closed = True


@pytest.fixture
def bars(monkeypatch):
    FakeBar.bars = []
    monkeypatch.setitem(sys.modules, "tqdm.auto", types.SimpleNamespace(tqdm=FakeBar))
    return FakeBar.bars


def random_game(n, seed=0):
    rng = np.random.default_rng(seed)
    sizes = np.array([bin(m).count("1") for m in range(1 << n)], dtype=float)
    values = 10 * sizes**1.5 + rng.uniform(0, 10, 1 << n)
    values[0] = 0.0
    return co.Game(values)


def test_dense_shapley_gets_a_total_and_a_final_count(bars):
    g = random_game(22)
    phi = g.shapley(progress=True)
    assert np.array_equal(np.asarray(phi), np.asarray(g.shapley()))
    (bar,) = bars
    assert bar.total == 2**22 and bar.n == 2**22 and bar.closed
    assert bar.updates, "at least the final update"
    assert all(k > 0 for _, k in bar.updates)
    assert bar.options.get("unit") == "coalition"


def test_banzhaf_and_properties(bars):
    g = random_game(12)
    assert np.array_equal(np.asarray(g.banzhaf(normalized=True, progress=True)),
                          np.asarray(g.banzhaf(normalized=True)))
    assert g.is_monotone(progress=True) == g.is_monotone()
    assert g.is_convex(progress=True) == g.is_convex()
    assert len(bars) == 3
    assert all(b.closed and b.total == 2**12 and b.n == 2**12 for b in bars)


def test_nucleolus_shows_its_stages(bars):
    g = random_game(8, seed=3)
    nu = g.nucleolus(progress=True)
    assert np.allclose(np.asarray(nu), np.asarray(g.nucleolus()), atol=1e-12)
    (bar,) = bars
    assert bar.total == 2 * 7 and bar.n == 2 * 7 and bar.closed
    assert bar.descriptions and bar.descriptions[-1] == "nucleolus: Kohlberg check"
    assert all(d.startswith("nucleolus: ") for d in bar.descriptions)
    g.prenucleolus(progress=True)
    assert bars[1].descriptions[-1] == "prenucleolus: Kohlberg check"


def test_nucleolus_reports_while_it_runs_are_consistent():
    """A callback on the native method directly: every report (about every 50 ms while the
    work runs, and once at the end) has the total 2 (n - 1), a count that never goes back,
    and a known stage."""
    rng = np.random.default_rng(1)
    n = 20
    sizes = np.array([bin(m).count("1") for m in range(1 << n)], dtype=float)
    values = rng.uniform(0, 1, 1 << n) * sizes
    values[0] = 0.0
    seen = []
    co.Game(values)._core.nucleolus(progress=lambda done, total, stage: seen.append((done, total, stage)))
    assert seen[-1] == (38, 38, "Kohlberg check")
    counts = [d for d, t, _ in seen if t == 38]
    assert counts == sorted(counts)
    assert all(s is None or s.startswith("LP stage") or s in ("polish", "Kohlberg check") for _, _, s in seen)


def test_constraint_generation_has_no_total(bars):
    g = random_game(7, seed=5)
    lc = g.least_core(progress=True)
    assert lc.epsilon == g.least_core().epsilon
    assert g.core_is_empty(progress=True) == g.core_is_empty()
    assert g.cost_of_stability(progress=True) == g.cost_of_stability()
    assert len(bars) == 3
    for bar in bars:
        assert bar.closed and bar.total is None and bar.n >= 1
        assert bar.options.get("unit") == "round"


def test_no_bar_without_progress(bars):
    g = random_game(6)
    g.shapley(), g.banzhaf(), g.nucleolus(), g.prenucleolus(), g.least_core()
    g.core_is_empty(), g.cost_of_stability(), g.is_convex(), g.is_monotone()
    g.shapley(progress=False)
    g.shapley_sample(epsilon=5.0, seed=1)
    assert bars == []


def test_the_bar_is_closed_on_errors(bars):
    # No imputation: v(N) below the standalone values.
    g = co.Game([0.0, 5.0, 5.0, 1.0])
    with pytest.raises(co.UndefinedSolution):
        g.nucleolus(progress=True)
    (bar,) = bars
    assert bar.closed


def test_a_failing_callback_stops_the_work_and_raises():
    g = random_game(22)

    def broken(done, total, stage):
        raise RuntimeError("bar broke")

    with pytest.raises(RuntimeError, match="bar broke"):
        g._core.shapley(progress=broken)


def test_keyboard_interrupt_closes_the_bar(bars):
    """Ctrl-C during a long Shapley pass: KeyboardInterrupt, and the bar is closed. Python's
    own SIGINT handler is installed for the test: a process started in the background by a
    non-interactive shell inherits SIGINT ignored, and then interrupt_main() does nothing."""
    g = random_game(25)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    timer = threading.Timer(0.1, lambda: __import__("_thread").interrupt_main())
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            for _ in range(50):  # each pass takes a while; the interrupt lands in one
                g.shapley(progress=True)
    finally:
        timer.cancel()
        signal.signal(signal.SIGINT, previous)
    assert bars and all(b.closed for b in bars)


def test_sampling_a_slow_model_updates_early(bars):
    """A LazyGame model that sleeps 1 ms per coalition: the first update comes after a few
    model runs (batches grow from one round), not after a default batch of 4096."""
    calls = []

    def slow(s):
        time.sleep(0.001)
        calls.append(len(s))
        return float(len(s)) ** 2

    players = [f"p{i}" for i in range(10)]
    lazy = co.LazyGame(players, slow)
    seen = []
    original = FakeBar.update

    def recording(self, k):
        seen.append(len(calls))
        original(self, k)

    FakeBar.update = recording
    try:
        est = lazy.shapley_sample(epsilon=5.0, value_range=20.0, seed=3, max_rounds=200, progress=True)
    finally:
        FakeBar.update = original
    assert seen and seen[0] < 300, seen[:5]
    (bar,) = bars
    assert bar.closed
    # The same numbers as without a bar (default batches).
    again = co.LazyGame(players, lambda s: float(len(s)) ** 2).shapley_sample(
        epsilon=5.0, value_range=20.0, seed=3, max_rounds=200)
    assert np.array_equal(np.asarray(est.values), np.asarray(again.values))


def test_sampling_batches_grow_from_one_round_with_a_listener():
    voters = [f"v{i}" for i in range(10)]
    sizes = []

    def evaluate(masks):
        sizes.append(len(masks))
        return np.zeros(len(masks))

    native.shapley_sample(voters, evaluate, method="permutation", epsilon=1e-9, delta=0.05, value_range=1.0,
                          max_rounds=1000, seed=0, progress=lambda r, t: None)
    assert sizes[0] == 10 and sum(sizes) == 10 * 1000
    assert all(b <= 2 * a for a, b in zip(sizes, sizes[1:]))
    assert max(sizes) <= 4090
