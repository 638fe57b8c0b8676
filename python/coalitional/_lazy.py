"""Games whose worth is expensive: evaluated on demand, cached on disk, in parallel through any
``concurrent.futures.Executor``; sampling estimates come from :mod:`._sampling`."""

from __future__ import annotations

import json
import math
import os
from concurrent.futures import Executor
from typing import Any, Callable, Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _coalitional as _native
from ._game import Game, _members, _player_names
from ._sampling import SamplingMixin

CACHE_FORMAT = "coalitional.cache"


def _evaluate_chunk(f: Callable[[FrozenSet[str]], Any], coalitions: List[FrozenSet[str]]) -> List[Any]:
    """Runs ``f`` on a chunk of coalitions (module level, so that process pools can pickle it)."""
    return [f(c) for c in coalitions]


class LazyGame(SamplingMixin):
    """A game whose worth ``f(frozenset_of_names)`` is computed only where a method needs it.

    - ``cache``: a file path; evaluated coalitions are appended to it as they complete and
      loaded when the game is created again, so a long study that stops halfway loses nothing.
    - ``executor``: any ``concurrent.futures.Executor`` (a thread pool, a process pool, or a Dask
      cluster's ``client.get_executor()``); coalitions are sent to it in chunks of
      ``chunksize``. Without one, ``f`` runs in this process.

    ``value``, ``evaluate``, ``shapley_sample`` and ``banzhaf_sample`` work for up to 64 players
    without ever enumerating 2**n coalitions; ``to_game()`` evaluates all of them (memory
    checked first) and returns a dense :class:`Game` for the exact methods.
    """

    def __init__(self, players: Iterable[str], f: Callable[[FrozenSet[str]], float], *, kind: str = "value",
                 cache: Union[str, "os.PathLike[str]", None] = None, executor: Optional[Executor] = None,
                 chunksize: int = 64) -> None:
        self._players: Tuple[str, ...] = tuple(_player_names(players))
        if not self._players:
            raise _native.InvalidGame("a game needs at least one player; got none")
        if len(set(self.players)) != len(self.players):
            raise _native.InvalidGame("player names must be unique")
        if len(self.players) > 64:
            raise _native.InvalidGame(f"a lazy game supports at most 64 players (coalitions are 64-bit masks); got {len(self.players)}")
        if kind not in ("value", "cost"):
            raise _native.InvalidGame(f'unknown game kind {kind!r}; expected "value" or "cost"')
        self._kind = kind
        self.f = f
        self.executor = executor
        self.chunksize = max(1, int(chunksize))
        self.cache_path = None if cache is None else os.fspath(cache)
        self._cache: Dict[int, float] = {0: 0.0}
        self.calls = 0
        if self.cache_path is not None:
            self._load_cache()

    @property
    def players(self) -> Tuple[str, ...]:
        return self._players

    @property
    def kind(self) -> str:
        return self._kind

    @property
    def n(self) -> int:
        return len(self.players)

    @property
    def evaluated(self) -> int:
        """Number of coalitions known (cached), the empty one excluded."""
        return len(self._cache) - 1

    # -- cache -------------------------------------------------------------------------------
    def _header(self) -> str:
        return json.dumps({"format": CACHE_FORMAT, "version": 1, "players": list(self.players), "kind": self.kind})

    def _load_cache(self) -> None:
        assert self.cache_path is not None
        if not os.path.exists(self.cache_path):
            with open(self.cache_path, "w", encoding="utf-8") as fh:
                fh.write(self._header() + "\n")
            return
        with open(self.cache_path, encoding="utf-8") as fh:
            text = fh.read()
        lines = text.split("\n")
        try:
            header = json.loads(lines[0])
        except json.JSONDecodeError:
            raise _native.FormatError(f"{self.cache_path} is not a coalitional cache (bad header line)") from None
        if header.get("format") != CACHE_FORMAT or header.get("players") != list(self.players) or header.get("kind") != self.kind:
            raise _native.FormatError(
                f"{self.cache_path} caches a different game (players {header.get('players')}, kind {header.get('kind')}); "
                "use another file"
            )
        body = lines[1:]
        # A run stopped mid-write leaves at most one incomplete last line: ignored.
        complete = body[:-1] if not text.endswith("\n") else body
        for k, line in enumerate(complete):
            if not line:
                continue
            try:
                mask_text, value_text = line.split(" ")
                self._cache[int(mask_text)] = float(value_text)
            except ValueError:
                raise _native.FormatError(f"{self.cache_path}, line {k + 2}: expected 'mask value', got {line!r}") from None
        if not text.endswith("\n"):
            with open(self.cache_path, "w", encoding="utf-8") as fh:
                fh.write("\n".join(lines[:-1]) + "\n")

    def _store(self, masks: Sequence[int], values: Sequence[float]) -> None:
        for m, v in zip(masks, values):
            self._cache[m] = v
        if self.cache_path is not None:
            with open(self.cache_path, "a", encoding="utf-8") as fh:
                fh.write("".join(f"{m} {v!r}\n" for m, v in zip(masks, values)))

    # -- evaluation --------------------------------------------------------------------------
    def _names(self, mask: int) -> FrozenSet[str]:
        return frozenset(p for i, p in enumerate(self.players) if mask >> i & 1)

    def _checked(self, mask: int, value: Any) -> float:
        try:
            x = float(value)
        except (TypeError, ValueError):
            raise _native.InvalidGame(
                f"f returned {value!r} for coalition {{{', '.join(sorted(self._names(mask)))}}}; it must return a number"
            ) from None
        if not math.isfinite(x):
            raise _native.InvalidGame(
                f"f returned {x} for coalition {{{', '.join(sorted(self._names(mask)))}}}; values must be finite"
            )
        return x

    def evaluate(self, masks: Iterable[int]) -> np.ndarray:
        """The worth of each coalition (bit masks), computing only the ones not cached."""
        wanted = [int(m) for m in masks]
        limit = 1 << self.n
        bad = next((m for m in wanted if not 0 <= m < limit), None)
        if bad is not None:
            raise _native.InvalidGame(f"coalition mask {bad} is outside 0..2**{self.n} - 1")
        missing = sorted({m for m in wanted if m not in self._cache})
        chunks = [missing[k:k + self.chunksize] for k in range(0, len(missing), self.chunksize)]
        if self.executor is None:
            for chunk in chunks:
                raw = _evaluate_chunk(self.f, [self._names(m) for m in chunk])
                self.calls += len(chunk)
                self._store(chunk, [self._checked(m, v) for m, v in zip(chunk, raw)])
        else:
            futures = [(chunk, self.executor.submit(_evaluate_chunk, self.f, [self._names(m) for m in chunk]))
                       for chunk in chunks]
            try:
                for chunk, fut in futures:
                    raw = fut.result()
                    self.calls += len(chunk)
                    self._store(chunk, [self._checked(m, v) for m, v in zip(chunk, raw)])
            except BaseException:
                for _, fut in futures:
                    fut.cancel()
                raise
        return np.array([self._cache[m] for m in wanted], dtype=np.float64)

    def _evaluate(self, masks: np.ndarray) -> np.ndarray:
        return self.evaluate(masks.tolist())

    def value(self, names: Union[str, Iterable[str]]) -> float:
        """The worth of the coalition of the named players."""
        index = {p: i for i, p in enumerate(self.players)}
        mask = 0
        for p in _members(names):
            if p not in index:
                raise _native.UnknownPlayer(f"unknown player {p!r}; the players are {', '.join(self.players)}")
            mask |= 1 << index[p]
        return float(self.evaluate([mask])[0])

    def to_game(self) -> Game:
        """The dense game: every coalition evaluated (cached ones skipped; memory checked first)."""
        _native.check_dense(self.n, 2)
        values = self.evaluate(range(1 << self.n))
        return Game(values, self.players, kind=self.kind)

    def __repr__(self) -> str:
        where = f", cache={self.cache_path!r}" if self.cache_path else ""
        return f"LazyGame(n={self.n}, kind={self.kind!r}, evaluated={self.evaluated}{where})"
