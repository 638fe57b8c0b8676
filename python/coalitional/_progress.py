"""The tqdm bar of ``progress=True`` for model evaluations (:meth:`Game.from_function`,
:meth:`LazyGame.evaluate`, :meth:`LazyGame.to_game`): a total known up front, so tqdm shows
the rate and the time left, and updates by elapsed time (at most every :data:`INTERVAL`
seconds), never by a fixed count of evaluations, so that the first one comes as soon as the
first evaluation after :data:`INTERVAL` lands, however slow the model.

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

