"""The tqdm bar of ``progress=True`` for model evaluations (:meth:`Game.from_function`,
:meth:`LazyGame.evaluate`, :meth:`LazyGame.to_game`): a total known up front, so tqdm shows
the rate and the time left, and updates by elapsed time (at most every :data:`INTERVAL`
seconds), never by a fixed count of evaluations, so that the first one comes as soon as the
first evaluation after :data:`INTERVAL` lands, however slow the model.

:class:`NativeBar` is the bar of the computations in Rust (exact values, nucleolus, least core).

Nothing of this runs with ``progress=False``: the callers then use the model as it is."""

from __future__ import annotations

import importlib
import time
from typing import Any, Callable, FrozenSet, Optional, TypeVar

#: Seconds between two updates of the bar.
INTERVAL = 0.1

T = TypeVar("T")


def tqdm_class() -> Any:
    """``tqdm.auto.tqdm``, or ImportError naming the ``progress`` extra."""
    try:
        return importlib.import_module("tqdm.auto").tqdm
    except ImportError:
        raise ImportError('progress=True needs tqdm: pip install "coalitional[progress]" (or pip install tqdm)') from None


class Progress:
    """A tqdm bar over ``total`` evaluations. :meth:`add` counts finished ones and passes them
    to the bar when :data:`INTERVAL` has passed since the last update; :meth:`close` shows the
    final count and closes the bar (use it in ``finally``, so an error closes it too)."""

    def __init__(self, total: int, desc: str, unit: str = "coalition") -> None:
        tqdm = tqdm_class()
        self._bar: Any = tqdm(total=total, desc=desc, unit=unit, mininterval=INTERVAL)
        self._done = 0
        self._shown = 0
        self._next = time.monotonic() + INTERVAL

    def add(self, k: int = 1) -> None:
        """Counts ``k`` finished evaluations."""
        self._done += k
        now = time.monotonic()
        if now >= self._next:
            self._flush()
            self._next = now + INTERVAL

    def _flush(self) -> None:
        if self._done > self._shown:
            self._bar.update(self._done - self._shown)
            self._shown = self._done

    def counting(self, f: Callable[[FrozenSet[str]], T]) -> Callable[[FrozenSet[str]], T]:
        """``f`` that counts each call that returns or raises."""
        add = self.add

        def counted(coalition: FrozenSet[str]) -> T:
            try:
                return f(coalition)
            finally:
                add()

        return counted

    def close(self) -> None:
        """Shows the final count and closes the bar (idempotent)."""
        if self._bar is not None:
            try:
                self._flush()
            finally:
                self._bar.close()
                self._bar = None



class NativeBar:
    """The tqdm bar of ``progress=True`` for computations in Rust (:meth:`Game.shapley`,
    :meth:`Game.nucleolus`, ...): the native binding calls it with ``(done, total, stage)``
    about every 0.05 s while the work runs without the GIL (``total`` and ``stage`` may be
    None: constraint generation has no total, only the nucleolus has stages), and once more
    when it succeeds. The bar's total follows ``total``, so tqdm shows the time left; the
    stage is shown after ``desc``. :meth:`close` closes the bar (use it in ``finally``)."""

    def __init__(self, desc: str, unit: str) -> None:
        tqdm = tqdm_class()
        self._desc = desc
        self._bar: Any = tqdm(total=None, desc=desc, unit=unit, mininterval=INTERVAL)
        self._shown = 0
        self._total: Optional[int] = None
        self._stage: Optional[str] = None

    def __call__(self, done: int, total: Optional[int], stage: Optional[str]) -> None:
        bar = self._bar
        if bar is None:
            return
        changed = False
        if total != self._total:
            self._total = bar.total = total
            changed = True
        if stage != self._stage:
            self._stage = stage
            bar.set_description(f"{self._desc}: {stage}" if stage else self._desc, refresh=False)
            changed = True
        if done != self._shown:
            bar.update(done - self._shown)
            self._shown = done
        elif changed:
            bar.refresh()

    def close(self) -> None:
        """Closes the bar (idempotent)."""
        if self._bar is not None:
            try:
                self._bar.close()
            finally:
                self._bar = None


def reporting(desc: str, unit: str, progress: bool, call: Callable[[Optional[NativeBar]], T]) -> T:
    """``call(None)`` without ``progress``; else ``call(bar)`` with a :class:`NativeBar`, which
    is closed however the call ends (an error, Ctrl-C's KeyboardInterrupt)."""
    if not progress:
        return call(None)
    bar = NativeBar(desc, unit)
    try:
        return call(bar)
    finally:
        bar.close()
