"""Games whose worth is expensive: evaluated on demand, cached on disk by the Rust core (a
crash-safe, checksummed, shareable file), in parallel through any ``concurrent.futures``
executor; sampling estimates come from :mod:`._sampling`."""

from __future__ import annotations

import itertools
import math
import os
import time
import warnings
from concurrent.futures import Executor
from typing import Any, Callable, Dict, FrozenSet, Iterable, List, Optional, Tuple, Union, cast

import numpy as np

from . import _coalitional as _native
from ._allocation import _Kind
from .backends import Backend, Job, backend_of
from ._convert import count, kind_name, model_value, tag
from ._game import Game, _members, _player_names
from ._network import Edges, edge_pairs
from ._progress import Progress
from ._sampling import SamplingMixin

_RUNS = itertools.count()


def _evaluate_chunk(f: Callable[[FrozenSet[str]], Any], coalitions: List[FrozenSet[str]],
                    token: Tuple[int, int]) -> Tuple[List[Tuple[bool, Any]], float]:
    """Runs ``f`` on a chunk of coalitions: ``(True, value)`` or ``(False, exception)`` each, so
    that one failure does not lose the others, and the seconds it took. Module level, so that
    process pools can pickle it; ``token`` makes every submission unique (Dask would otherwise
    reuse the result of an identical earlier call)."""
    out: List[Tuple[bool, Any]] = []
    start = time.perf_counter()
    for c in coalitions:
        try:
            out.append((True, f(c)))
        except Exception as exc:  # noqa: BLE001 - every model failure is recorded, not raised
            out.append((False, exc))
    return out, time.perf_counter() - start


#: With ``chunksize=None``, chunks grow until one takes about the back-end's ``chunk_seconds``
#: of model time (``backends.CHUNK_SECONDS``, 0.05 s, for pools and Dask), and hold at most
#: this many coalitions.
MAX_CHUNK = 4096


class LazyGame(SamplingMixin):
    """A game whose worth ``f(frozenset_of_names)`` (the *model*) is computed only where a
    method needs it.

    - ``f`` must return a finite real number (``int``, ``float``, numpy integer or floating,
      ``Fraction``, ``Decimal``; not a bool, a string or a complex number): the rule of
      :meth:`Game.from_function` (:func:`._convert.model_value`). Anything else is a failure of
      that coalition, with an ``InvalidGame`` naming it.
    - ``cache``: a file path. Each value is appended to it as soon as it lands and loaded when
      the game is created again, so a study that stops (Ctrl-C, kill -9, a crash) loses at most
      the evaluations in flight. Every line carries a CRC-32: a damaged line is skipped,
      reported once with a :class:`CacheWarning` naming the file and the coalition, and
      recomputed; NaN and infinite values never load. Several processes (or machines, on a file
      system with working locks) may share one cache: each reads the others' new values before
      every evaluation and skips them. The cache of another game (other players or kind) is
      refused with :class:`CacheError`; caches of the first format (no checksums) are upgraded.
    - ``executor``: any ``concurrent.futures.Executor`` (a thread pool, a process pool, or a Dask
      cluster's ``client.get_executor()``), or a back-end of :mod:`coalitional.backends`: a loky
      process pool that runs lambdas and closures (``co.backends.loky(2)``), Slurm job arrays
      (``co.backends.submitit(folder, ...)``), a Dask client (``co.backends.dask(client)``).
      Coalitions go to it in chunks of ``chunksize``, at most about twice as many chunks as it
      has workers at a time (its ``in_flight``); results land in the cache chunk by chunk, as
      they arrive, whatever the back-end. The default, ``chunksize=None``, starts with one
      coalition per chunk and grows chunks (up to 4096) until one takes about 0.05 s of model
      time (a minute for Slurm jobs): a model that runs for minutes goes one coalition at a
      time (a crash loses only what is running), a cheap one in large chunks. A job that fails
      as a whole (a worker that died, a model that cannot be pickled, a Slurm job killed) is a
      failure of each coalition of its chunk. Without an executor, ``f`` runs here.
    - A model that raises (an ``Exception``) or returns something that is not a number does not
      stop the evaluation: every other coalition is still evaluated and stored, and the call
      then raises one :class:`ModelError` naming the failed coalitions, with ``failures`` (a
      list of ``(frozenset_of_names, exception)``), ``succeeded`` (a count), and the first
      failure's exception as ``__cause__``. A rerun evaluates only what failed or is missing.
      With ``max_failures=k``, evaluation stops as soon as more than ``k`` coalitions have
      failed: pending work is cancelled at once (work already running in a pool finishes, and
      is stored if it lands before the error is raised). ``KeyboardInterrupt`` stops at once.

    - ``graph``: pairs of player names (or a networkx graph), the links along which players
      can cooperate (Myerson 1977). The model then runs only on *connected* coalitions; the
      worth of any other coalition is the sum of the worths of its connected components, so
      the game answered is the graph-restricted game: ``to_game()`` equals
      ``Game.graph_restricted(graph)`` of the full model game, and sampling estimates are
      those of that game. Nine cities on a path need 45 model runs instead of 511 (a path of
      n players has n(n+1)/2 connected coalitions, a star 2**(n-1) + n - 1); ``calls`` counts
      the model runs. The cache holds only model worths, so it may be shared with a lazy game
      of the same model without a graph.

    ``value``, ``evaluate``, ``shapley_sample`` and ``banzhaf_sample`` work for up to 64 players
    without ever enumerating 2**n coalitions; ``to_game()`` evaluates all of them (memory
    checked first) and returns a dense :class:`Game` for the exact methods.

    >>> import coalitional as co
    >>> cities = [f"c{i}" for i in range(1, 10)]
    >>> path = list(zip(cities, cities[1:]))
    >>> lazy = co.LazyGame(cities, lambda s: float(len(s)) ** 2, graph=path)
    >>> lazy.to_game().value(["c1", "c3"]), lazy.calls
    (2.0, 45)
    """

    def __init__(self, players: Iterable[str], f: Callable[[FrozenSet[str]], float], *, kind: _Kind = "value",
                 cache: Union[str, "os.PathLike[str]", None] = None, executor: Union[Executor, Backend, None] = None,
                 chunksize: Optional[int] = None, max_failures: Optional[int] = None,
                 graph: Optional[Edges] = None) -> None:
        names = _player_names(players)
        self.chunksize = None if chunksize is None else count(chunksize, "chunksize", minimum=1)
        self.max_failures = None if max_failures is None else count(max_failures, "max_failures", minimum=0)
        self._core: Any = _native.LazyCore(names, kind_name(kind), None if cache is None else os.fspath(cache),
                                           None if graph is None else edge_pairs(graph, "graph"))
        self._players: Tuple[str, ...] = tuple(names)
        self.f = f
        self.executor = executor
        self._chunk = self.chunksize or 1
        self._warn()

    @property
    def executor(self) -> Union[Executor, Backend, None]:
        """Where the model runs: the executor or back-end given (None: here)."""
        return self._executor

    @executor.setter
    def executor(self, executor: Union[Executor, Backend, None]) -> None:
        self._backend = None if executor is None else backend_of(executor)
        self._executor = executor

    @property
    def players(self) -> Tuple[str, ...]:
        return self._players

    @property
    def kind(self) -> _Kind:
        return cast(_Kind, str(self._core.kind))

    @property
    def n(self) -> int:
        return len(self._players)

    @property
    def graph(self) -> Optional[List[Tuple[str, str]]]:
        """The communication graph's distinct edges as pairs of names (None without a graph)."""
        edges = self._core.graph
        return None if edges is None else [tuple(e) for e in edges]  # type: ignore[misc]

    @property
    def cache_path(self) -> Optional[str]:
        """The cache file, if any."""
        return self._core.cache_path  # type: ignore[no-any-return]

    @property
    def calls(self) -> int:
        """Model evaluations that landed in this process (successes and failures)."""
        return int(self._core.calls)

    @property
    def evaluated(self) -> int:
        """Number of coalitions known (evaluated or cached), the empty one excluded."""
        return int(self._core.evaluated)

    @property
    def failures(self) -> List[Tuple[FrozenSet[str], BaseException]]:
        """The coalitions whose last evaluation failed, with their exceptions."""
        return list(self._core.failures())

    def known_masks(self) -> np.ndarray:
        """The bit masks of the known coalitions (the empty one excluded), increasing."""
        return self._core.known_masks()  # type: ignore[no-any-return]

    def _checked(self, coalition: FrozenSet[str], value: Any) -> float:
        """``value`` as a finite float by the rule of :meth:`Game.from_function`
        (:func:`._convert.model_value`), or ``InvalidGame`` naming the coalition."""
        if type(value) is float and math.isfinite(value):  # the common case, fast
            return value
        return model_value(value, [p for p in self._players if p in coalition])

    def _model(self) -> Callable[[FrozenSet[str]], float]:
        """The model with its result checked, for evaluation in this process."""
        f, checked = self.f, self._checked

        def model(coalition: FrozenSet[str]) -> float:
            return checked(coalition, f(coalition))

        return model

    def _warn(self) -> None:
        for message in self._core.take_reports():
            warnings.warn(message, _native.CacheWarning, stacklevel=3)

    # -- evaluation --------------------------------------------------------------------------
    def _masks(self, masks: Any) -> np.ndarray:
        n = self.n
        if isinstance(masks, np.ndarray) and masks.dtype.kind in "ui":
            arr = masks.ravel()
            if arr.size and (arr.min() < 0 or (n < 64 and int(arr.max()) >> n)):
                first = next(int(m) for m in arr.tolist() if m < 0 or m >> n)
                raise tag(_native.InvalidGame(f"coalition mask {first} is outside 0..2**{n} - 1"), "invalid_parameter",
                          name="masks", mask=first)
            return arr.astype(np.uint64)
        wanted = [int(m) for m in masks]
        bad = next((m for m in wanted if not 0 <= m < 1 << n), None)
        if bad is not None:
            raise tag(_native.InvalidGame(f"coalition mask {bad} is outside 0..2**{n} - 1"), "invalid_parameter",
                      name="masks", mask=bad)
        return np.array(wanted, dtype=np.uint64)

    def _run(self, masks: Optional[np.ndarray], progress: bool = False) -> None:
        """Evaluates the planned coalitions (``masks``; all if None) that are not known; with
        ``progress``, under a tqdm bar (:class:`._progress.Progress`) over those."""
        bar = Progress(self._missing(masks), "evaluating coalitions") if progress else None
        try:
            self._core.plan(masks, self.max_failures)
            if self._backend is None:
                model = self._model()
                self._core.run(model if bar is None else bar.counting(model))
            else:
                self._run_backend(self._backend, bar)
                self._core.finish()
        finally:
            if bar is not None:
                bar.close()
            self._warn()

    def _missing(self, masks: Optional[np.ndarray]) -> int:
        """How many model runs ``masks`` (all nonempty coalitions if None) need now (with a
        graph: their connected components not known yet)."""
        return int(self._core.missing(masks))

    def _run_backend(self, backend: Backend, bar: Optional[Progress] = None) -> None:
        """Keeps ``backend.in_flight`` chunks submitted (each batch of free slots in one
        ``submit``), lands each chunk as its job is done, and on any exit (done, stopped,
        Ctrl-C) cancels the jobs still pending, keeping those that landed meanwhile."""
        core = self._core
        pending: Dict[Job, List[int]] = {}
        slots = max(1, int(backend.in_flight))
        target = float(backend.chunk_seconds)
        self._chunk = self.chunksize or 1
        broken = False
        try:
            while True:
                chunks: List[List[int]] = []
                while len(pending) + len(chunks) < slots and not core.stopped and not broken:
                    chunk = core.next_batch(self._chunk)
                    if not chunk:
                        break
                    chunks.append(chunk)
                if chunks:
                    # ``token`` makes every call unique (Dask would otherwise reuse the result
                    # of an identical earlier call).
                    calls = [(self.f, core.coalitions(chunk), (os.getpid(), next(_RUNS))) for chunk in chunks]
                    try:
                        jobs = backend.submit(_evaluate_chunk, calls)
                    except Exception as exc:  # noqa: BLE001 - a broken back-end, an unpicklable model
                        for chunk in chunks:
                            core.land(chunk, [(False, exc)] * len(chunk))
                        broken = True
                    else:
                        pending.update(zip(jobs, chunks))
                if not pending:
                    return
                for job in backend.wait(list(pending)):
                    landed = pending.pop(job)
                    self._land(landed, job, target)
                    if bar is not None:
                        bar.add(len(landed))
                if core.stopped:
                    return
        finally:
            for job in pending:
                job.cancel()
            for job, chunk in pending.items():
                if job.done() and not job.cancelled():  # landed while we were stopping: keep it
                    self._land(chunk, job, target, stopping=True)

    def _land(self, chunk: List[int], job: Job, target: float, stopping: bool = False) -> None:
        """Stores the outcome of ``job`` (done) for the coalitions of ``chunk``; with
        ``chunksize=None``, sizes the next chunks from its model time (``target`` seconds a
        chunk). A job that failed as a whole fails each coalition; one that was cancelled
        stores nothing; a ``KeyboardInterrupt`` it carries is raised, unless ``stopping``."""
        if job.cancelled():
            return
        try:
            results, seconds = job.result()
        except Exception as exc:  # noqa: BLE001 - the chunk as a whole failed (a worker died, pickling)
            outcomes = [(False, exc)] * len(chunk)
        except BaseException:
            if stopping:
                return
            raise
        else:
            if self.chunksize is None:
                per_call = seconds / max(1, len(chunk))
                self._chunk = max(1, min(MAX_CHUNK, int(target / max(per_call, 1e-9))))
            outcomes = []
            for coalition, (ok, value) in zip(self._core.coalitions(chunk), results):
                if ok:
                    try:
                        value = self._checked(coalition, value)
                    except _native.InvalidGame as refused:
                        ok, value = False, refused
                outcomes.append((ok, value))
        self._core.land(chunk, outcomes)

    def evaluate(self, masks: Iterable[int], *, progress: bool = False) -> np.ndarray:
        """The worth of each coalition (bit masks), computing only the ones not known; raises
        :class:`ModelError` (after evaluating everything else) if the model failed for some.
        ``progress=True`` shows a tqdm bar over the coalitions to compute, with the time left
        (needs tqdm: ``pip install "coalitional[progress]"``)."""
        wanted = self._masks(masks)
        self._run(wanted, progress)
        return self._core.values(wanted)  # type: ignore[no-any-return]

    def _evaluate(self, masks: np.ndarray) -> np.ndarray:
        return self.evaluate(masks)

    def value(self, names: Union[str, Iterable[str]]) -> float:
        """The worth of the coalition of the named players."""
        index = {p: i for i, p in enumerate(self.players)}
        mask = 0
        for p in _members(names):
            if p not in index:
                raise tag(_native.UnknownPlayer(f"unknown player {p!r}; the players are {', '.join(self.players)}"),
                          "unknown_player", name=p, players=", ".join(self.players))
            mask |= 1 << index[p]
        return float(self.evaluate([mask])[0])

    def to_game(self, *, progress: bool = False) -> Game:
        """The dense game: every coalition evaluated (known ones skipped). Memory is checked
        first for what this needs: the game's 2**n values (8 bytes each) plus, unless this lazy
        game holds one already, one dense array of 2**n values of its own; nothing else grows
        with 2**n. ``progress=True`` shows a tqdm bar over the coalitions still to compute, with
        the time left, updated every 0.1 s (needs tqdm: ``pip install "coalitional[progress]"``)."""
        self._core.prepare_dense()
        self._run(None, progress)
        return Game._wrap(self._core.to_game())

    def sync(self) -> None:
        """Flushes the cache file to the disk now (otherwise done at most once a second and
        when the game is dropped; a killed process loses nothing that was written)."""
        self._core.sync()

    def __repr__(self) -> str:
        where = f", cache={self.cache_path!r}" if self.cache_path else ""
        graph = self.graph
        links = "" if graph is None else f", graph={len(graph)} edges"
        return f"LazyGame(n={self.n}, kind={self.kind!r}, evaluated={self.evaluated}{links}{where})"
