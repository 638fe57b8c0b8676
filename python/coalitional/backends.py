"""Where the model runs of a :class:`~coalitional.LazyGame` go: one small protocol, and thin
adapters for a process pool that runs closures and lambdas (loky), Slurm job arrays (submitit)
and Dask clusters.

A lazy game hands its coalitions to a *back-end* in chunks and drives it through four
operations, the whole of the :class:`Backend` protocol:

- ``submit(fn, calls)``: start one job per call ``fn(*args)`` (a batch: a Slurm job array, one
  scheduler message...) and return the jobs, one per call, in order;
- ``wait(jobs)``: block until at least one of ``jobs`` is done and return the done ones;
- on a done job, ``result()``: the value, or raise the failure of the job as a whole (a worker
  that died, a pickling error, a Slurm job killed at its time limit);
- ``cancel()`` on a job not needed any more (Ctrl-C, ``max_failures`` passed).

and two numbers: ``in_flight``, how many jobs to keep submitted at a time, and
``chunk_seconds``, the model time a chunk should take when the lazy game sizes chunks itself
(``chunksize=None``). A job is anything with ``done()``, ``cancelled()``, ``cancel()`` and
``result()`` (the :class:`Job` protocol), so a ``concurrent.futures.Future`` is one.

The lazy game stores each chunk's values in its cache as the chunk lands, whatever the
back-end; a job that fails as a whole is a failure of each coalition in its chunk (the
:class:`~coalitional.ModelError` at the end names them, and a rerun evaluates them again).

``LazyGame(..., executor=...)`` takes a back-end from this module, or any
``concurrent.futures.Executor`` (taken as :func:`futures` of it). The adapters:

==========================  ================================================================
:func:`futures`             any ``concurrent.futures.Executor`` (threads, processes, a Dask
                            ``client.get_executor()``): what ``executor=`` did before
:func:`loky`                a loky process pool: models may be lambdas and closures
                            (cloudpickle); a worker that dies fails the chunks in flight, and
                            the pool restarts for the rest
:func:`submitit`            Slurm job arrays (or submitit's local executor): each chunk one
                            array task, a batch of chunks one ``sbatch``
:func:`dask`                a Dask ``distributed.Client`` (local, or a cluster's scheduler)
==========================  ================================================================

The packages come with the ``cluster`` extra: ``pip install "coalitional[cluster]"``. Another
back-end is any object with ``submit``, ``wait``, ``in_flight`` and ``chunk_seconds`` as above.

Why one protocol with thin adapters: the lazy game owns everything that must not differ
between back-ends (chunking, landing values in the cache as they arrive, failures, ``max_failures``,
Ctrl-C), in one loop; an adapter only translates four calls, so a back-end cannot get those
rules wrong, and a new one is a few lines.
"""

from __future__ import annotations

import abc
import concurrent.futures as cf
import importlib
import math
import os
import time
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Collection, List, Optional, Protocol, Sequence, Tuple, Union

from ._coalitional import InvalidGame
from ._convert import count, real_number, shown, tag

__all__ = ["Backend", "Job", "Futures", "Loky", "Submitit", "Dask", "futures", "loky", "submitit", "dask"]

#: The model time a chunk should take (``chunksize=None``) in a pool on this machine or a
#: Dask cluster: long against the cost of a job there (about a millisecond), short enough that
#: a crash loses little.
CHUNK_SECONDS = 0.05
#: The same for a Slurm job, which waits in a queue and starts a Python process.
SLURM_CHUNK_SECONDS = 60.0


class Job(Protocol):
    """A submitted call: what :meth:`Backend.submit` returns, one per call."""

    def done(self) -> bool:
        """Whether the job has finished (with a result or a failure) or was cancelled."""

    def cancelled(self) -> bool:
        """Whether :meth:`cancel` stopped it before it finished."""

    def cancel(self) -> Any:
        """Stops the job if it can (a job already running may finish anyway)."""

    def result(self) -> Any:
        """The job's value, or raises its failure; called only once :meth:`done`."""


class Backend(Protocol):
    """What a :class:`~coalitional.LazyGame` drives (see the module's documentation)."""

    @property
    def in_flight(self) -> int:
        """How many jobs to keep submitted and not yet landed."""

    @property
    def chunk_seconds(self) -> float:
        """The model time a chunk should take when the lazy game sizes chunks."""

    def submit(self, fn: Callable[..., Any], calls: Sequence[Tuple[Any, ...]]) -> Sequence[Job]:
        """One job per call ``fn(*args)``, in order. Raises if none of them could be submitted;
        the lazy game then counts every call as failed and submits nothing more."""

    def wait(self, jobs: Collection[Job]) -> Collection[Job]:
        """Blocks until at least one of ``jobs`` is done; returns the done ones."""


def _positive(x: Any, name: str) -> float:
    value = real_number(x, name)
    if not (math.isfinite(value) and value > 0):
        raise tag(InvalidGame(f"{name} must be a positive number of seconds, got {shown(x)}"), "invalid_parameter",
                  name=name)
    return value


def _optional_count(x: Any, name: str) -> Optional[int]:
    return None if x is None else count(x, name, minimum=1)


def _module(name: str, what: str) -> Any:
    """The module ``name``, or ``ImportError`` naming it and the ``cluster`` extra."""
    try:
        return importlib.import_module(name)
    except ImportError:
        raise ImportError(f'{what} needs {name.split(".")[0]}: pip install "coalitional[cluster]"',
                          name=name.split(".")[0]) from None


class _Pool(abc.ABC):
    """The back-end of a ``concurrent.futures.Executor``: jobs are its futures, ``wait`` is
    ``concurrent.futures.wait``. Subclasses say which executor and how many workers."""

    _in_flight: Optional[int]
    _chunk_seconds: float

    @abc.abstractmethod
    def _executor(self) -> Executor:
        """The executor to submit to now."""

    @abc.abstractmethod
    def _workers(self) -> int:
        """How many calls the executor runs at a time."""

    @property
    def in_flight(self) -> int:
        return self._in_flight if self._in_flight is not None else 2 * self._workers()

    @property
    def chunk_seconds(self) -> float:
        return self._chunk_seconds

    def submit(self, fn: Callable[..., Any], calls: Sequence[Tuple[Any, ...]]) -> List["cf.Future[Any]"]:
        executor = self._executor()
        jobs: List["cf.Future[Any]"] = []
        for args in calls:
            try:
                jobs.append(executor.submit(fn, *args))
            except Exception as exc:  # noqa: BLE001 - a broken or shut-down executor
                if not jobs:
                    raise
                # Part of the batch is running: the rest fail with the reason, and the next
                # batch raises (then nothing more is submitted).
                failed: "cf.Future[Any]" = cf.Future()
                failed.set_exception(exc)
                jobs.append(failed)
        return jobs

    def wait(self, jobs: Collection[Any]) -> Collection[Any]:
        done, _ = cf.wait(jobs, return_when=cf.FIRST_COMPLETED)
        return done


class Futures(_Pool):
    """A ``concurrent.futures.Executor`` as a back-end (see :func:`futures`)."""

    def __init__(self, executor: Executor, *, in_flight: Optional[int] = None,
                 chunk_seconds: float = CHUNK_SECONDS) -> None:
        if not callable(getattr(executor, "submit", None)):
            raise tag(InvalidGame(f"executor must be a concurrent.futures.Executor, not {shown(executor)}"),
                      "invalid_parameter", name="executor")
        self.executor = executor
        self._in_flight = _optional_count(in_flight, "in_flight")
        self._chunk_seconds = _positive(chunk_seconds, "chunk_seconds")

    def _executor(self) -> Executor:
        return self.executor

    def _workers(self) -> int:
        """``max_workers``, a Dask client executor's threads, else the CPUs here."""
        executor = self.executor
        workers = getattr(executor, "_max_workers", None)
        client = getattr(executor, "_client", None)
        if workers is None and client is not None:
            try:
                workers = sum(client.nthreads().values())
            except Exception:  # noqa: BLE001 - any client without nthreads()
                workers = None
        return max(1, int(workers or os.cpu_count() or 2))

    def __repr__(self) -> str:
        return f"Futures({type(self.executor).__name__})"


def futures(executor: Executor, *, in_flight: Optional[int] = None, chunk_seconds: float = CHUNK_SECONDS) -> Futures:
    """Any ``concurrent.futures.Executor`` (a thread pool, a process pool, a Dask
    ``client.get_executor()``, a loky executor) as a back-end, with ``in_flight`` jobs at a time
    (default: twice its workers) and chunks of about ``chunk_seconds`` of model time.
    ``LazyGame(..., executor=pool)`` means ``executor=futures(pool)``.

    A standard ``ProcessPoolExecutor`` pickles the model by reference: it must be a module-level
    function (use :func:`loky` for lambdas and closures). A worker that dies breaks such a pool:
    the chunks in flight fail, and nothing more is submitted.

    >>> from concurrent.futures import ThreadPoolExecutor
    >>> import coalitional as co
    >>> with ThreadPoolExecutor(2) as pool:
    ...     backend = co.backends.futures(pool, chunk_seconds=0.1)
    ...     lazy = co.LazyGame(["a", "b", "c"], lambda s: float(len(s)) ** 2, executor=backend)
    ...     lazy.to_game().value(["a", "c"]), backend.in_flight
    (4.0, 4)
    """
    return Futures(executor, in_flight=in_flight, chunk_seconds=chunk_seconds)


class Loky(_Pool):
    """A loky process pool as a back-end (see :func:`loky`)."""

    def __init__(self, max_workers: Optional[int] = None, *, idle_timeout: float = 300.0,
                 in_flight: Optional[int] = None, chunk_seconds: float = CHUNK_SECONDS) -> None:
        self._loky = _module("loky", "co.backends.loky")
        self.max_workers = count(max_workers, "max_workers", minimum=1) if max_workers is not None \
            else max(1, int(self._loky.cpu_count()))
        self.idle_timeout = _positive(idle_timeout, "idle_timeout")
        self._in_flight = _optional_count(in_flight, "in_flight")
        self._chunk_seconds = _positive(chunk_seconds, "chunk_seconds")
        self._pool: Optional[Executor] = None

    def _executor(self) -> Executor:
        """This back-end's pool, started on first use."""
        if self._pool is None:
            self._pool = self._loky.ProcessPoolExecutor(max_workers=self.max_workers, timeout=self.idle_timeout)
        return self._pool

    def _workers(self) -> int:
        return self.max_workers

    def submit(self, fn: Callable[..., Any], calls: Sequence[Tuple[Any, ...]]) -> List["cf.Future[Any]"]:
        try:
            return super().submit(fn, calls)
        except BrokenProcessPool:
            # A worker died: its pool failed the calls it held and takes no more. A new one
            # takes the rest.
            self.shutdown(wait=False)
            return super().submit(fn, calls)

    def shutdown(self, wait: bool = True) -> None:
        """Stops the workers now (otherwise they exit when idle for ``idle_timeout`` seconds,
        or with this process); a later evaluation starts new ones."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=wait)

    def __enter__(self) -> "Loky":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.shutdown()

    def __repr__(self) -> str:
        return f"Loky(max_workers={self.max_workers})"


def loky(max_workers: Optional[int] = None, *, idle_timeout: float = 300.0, in_flight: Optional[int] = None,
         chunk_seconds: float = CHUNK_SECONDS) -> Loky:
    """A process pool on this machine (loky) with ``max_workers`` workers (default: the CPUs
    loky sees, which respects cgroup limits). Models may be lambdas and closures: they travel
    to the workers by cloudpickle, with every chunk.

    The workers start on first use and stay for later calls (sampling batches, reruns, other
    lazy games given the same back-end) until idle for ``idle_timeout`` seconds, the end of a
    ``with`` block, or :meth:`Loky.shutdown`. A worker that dies (``os._exit``, a segfault, the
    OOM killer) fails the chunks that the pool had in flight (each of their coalitions is a
    failure in the :class:`~coalitional.ModelError`, with loky's ``TerminatedWorkerError``); a
    new pool takes the rest. ``in_flight`` defaults to twice ``max_workers``. Needs ``pip
    install "coalitional[cluster]"`` (or ``pip install loky``)."""
    return Loky(max_workers, idle_timeout=idle_timeout, in_flight=in_flight, chunk_seconds=chunk_seconds)


class _SubmititJob:
    """A submitit job seen through the :class:`Job` protocol. A job that ends without a result
    file (killed, out of memory or time, a worker that called ``os._exit``) is done once its
    file has not appeared for ``grace`` seconds (a shared file system may show it late), and
    its ``result()`` raises submitit's ``UncompletedJobError`` with the job's state and the end
    of its error log, without waiting in this call."""

    def __init__(self, job: Any, grace: Optional[float], lost: Callable[[str], Exception]) -> None:
        self.job = job
        self._grace = grace
        self._lost = lost
        self._ended: Optional[float] = None
        self._finished = False
        self._cancelled = False

    def _has_result(self) -> bool:
        return self._grace is None or bool(self.job.paths.result_pickle.exists())

    def done(self) -> bool:
        if self._finished or self._cancelled:
            return True
        if not self.job.done():
            return False
        if self._has_result():
            self._finished = True
        else:
            now = time.monotonic()
            if self._ended is None:
                self._ended = now
            self._finished = now - self._ended >= (self._grace or 0.0)
        return self._finished

    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> bool:
        if self._finished or self._cancelled:
            return False
        self._cancelled = True
        try:
            self.job.cancel(check=False)  # scancel; the local executor interrupts the process
        except Exception:  # noqa: BLE001 - e.g. scancel not found: the job is dropped all the same
            pass
        return True

    def result(self) -> Any:
        if self._cancelled:
            raise cf.CancelledError(f"job {self.job.job_id} was cancelled")
        if not self._has_result():
            log = ""
            try:
                log = (self.job.stderr() or "").strip()
            except Exception:  # noqa: BLE001 - the log is a courtesy
                pass
            tail = "\n".join(log.splitlines()[-20:])
            raise self._lost(f"submitit job {self.job.job_id} ended without a result (state {self.job.state})"
                             + (f"; its error log ends with:\n{tail}" if tail else ""))
        return self.job.result()

    def __repr__(self) -> str:
        return f"<submitit job {self.job.job_id}>"


class Submitit:
    """A submitit executor as a back-end (see :func:`submitit`)."""

    def __init__(self, folder: Union[str, "os.PathLike[str]", Any], *, cluster: Optional[str] = None,
                 in_flight: int = 32, poll_interval: Optional[float] = None, result_grace: Optional[float] = None,
                 chunk_seconds: float = SLURM_CHUNK_SECONDS, **params: Any) -> None:
        module = _module("submitit", "co.backends.submitit")
        self._in_flight = count(in_flight, "in_flight", minimum=1)
        self._chunk_seconds = _positive(chunk_seconds, "chunk_seconds")
        grace = None if result_grace is None else real_number(result_grace, "result_grace")
        if grace is not None and not (math.isfinite(grace) and grace >= 0):
            raise tag(InvalidGame(f"result_grace must be a number of seconds >= 0, got {shown(result_grace)}"),
                      "invalid_parameter", name="result_grace")
        poll = None if poll_interval is None else _positive(poll_interval, "poll_interval")
        if isinstance(folder, module.Executor):
            if cluster is not None:
                raise tag(InvalidGame("cluster is given by the submitit executor passed; leave it out"),
                          "invalid_parameter", name="cluster")
            self.executor = folder
        else:
            self.executor = module.AutoExecutor(folder=os.fspath(folder), cluster=cluster)
        if params:
            self.executor.update_parameters(**params)
        self.cluster = str(getattr(self.executor, "cluster", None) or type(self.executor).name())
        local = self.cluster in ("local", "debug")
        self.poll_interval = poll if poll is not None else 0.05 if local else 2.0
        # The debug executor runs jobs here, when asked whether they are done: no result files.
        self.result_grace: Optional[float] = None if self.cluster == "debug" else \
            grace if grace is not None else 0.0 if local else 15.0
        self._lost = importlib.import_module("submitit.core.utils").UncompletedJobError

    @property
    def in_flight(self) -> int:
        return self._in_flight

    @property
    def chunk_seconds(self) -> float:
        return self._chunk_seconds

    def submit(self, fn: Callable[..., Any], calls: Sequence[Tuple[Any, ...]]) -> List[_SubmititJob]:
        jobs = self.executor.map_array(fn, *zip(*calls)) if calls else []
        return [_SubmititJob(job, self.result_grace, self._lost) for job in jobs]

    def wait(self, jobs: Collection[Any]) -> Collection[Any]:
        while True:
            done = [job for job in jobs if job.done()]
            if done or not jobs:
                return done
            time.sleep(self.poll_interval)

    def __repr__(self) -> str:
        return f"Submitit(cluster={self.cluster!r}, folder={str(self.executor.folder)!r})"


def submitit(folder: Union[str, "os.PathLike[str]", Any], *, cluster: Optional[str] = None, in_flight: int = 32,
             poll_interval: Optional[float] = None, result_grace: Optional[float] = None,
             chunk_seconds: float = SLURM_CHUNK_SECONDS, **params: Any) -> Submitit:
    """Slurm job arrays through submitit: each chunk is one array task, and the chunks the lazy
    game submits together (up to ``in_flight`` queued or running) are one job array, one
    ``sbatch``.

    - ``folder``: where submitit keeps the jobs' pickles and logs, on a file system that the
      compute nodes share (or a ready ``submitit.Executor``, e.g. a ``SlurmExecutor``).
    - ``cluster``: ``None`` picks Slurm where ``sbatch`` exists and the local executor
      elsewhere; ``"local"`` runs each job as a process here (for tests), ``"debug"`` in this
      process.
    - ``params``: submitit's ``update_parameters``, e.g. ``slurm_partition="cpu"``,
      ``timeout_min=120``, ``cpus_per_task=1``, ``mem_gb=4``, ``slurm_array_parallelism=16``.
    - ``chunk_seconds`` (default 60): model time per chunk when the lazy game sizes chunks
      (``chunksize=None``): chunks start at one coalition and grow until a job computes for
      about a minute, so that a slow model runs one coalition per job and a fast one does not
      pay a job per coalition.
    - ``poll_interval``: seconds between looks at the jobs (0.05 s local, 2 s on a cluster;
      submitit itself asks Slurm at most every few seconds, and first looks for the result file).
    - ``result_grace``: how long a job that ended without a result file may take to show one
      (a shared file system can be late) before its chunk counts as failed (0 s local, 15 s on
      a cluster).

    A job that fails (killed at its time limit, out of memory, a node lost) is a failure of
    each coalition of its chunk, with submitit's exception; Ctrl-C and ``max_failures`` cancel
    the jobs still queued or running (``scancel``). Needs ``pip install "coalitional[cluster]"``
    (or ``pip install submitit``); the compute nodes need the same Python environment."""
    return Submitit(folder, cluster=cluster, in_flight=in_flight, poll_interval=poll_interval,
                    result_grace=result_grace, chunk_seconds=chunk_seconds, **params)


class Dask(Futures):
    """A Dask ``distributed.Client`` as a back-end (see :func:`dask`)."""

    def __init__(self, client: Any, *, in_flight: Optional[int] = None, chunk_seconds: float = CHUNK_SECONDS) -> None:
        _module("distributed", "co.backends.dask")
        if not callable(getattr(client, "get_executor", None)):
            raise tag(InvalidGame(f"client must be a distributed.Client, not {shown(client)}"), "invalid_parameter",
                      name="client")
        self.client = client
        super().__init__(client.get_executor(pure=False), in_flight=in_flight, chunk_seconds=chunk_seconds)

    def _workers(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def __repr__(self) -> str:
        return f"Dask({self.client!r})"


def dask(client: Any, *, in_flight: Optional[int] = None, chunk_seconds: float = CHUNK_SECONDS) -> Dask:
    """A Dask cluster through its ``distributed.Client`` (a ``LocalCluster``, a scheduler's
    address, a dask-jobqueue ``SLURMCluster``): ``in_flight`` defaults to twice the threads of
    the workers connected at the start of each evaluation; give it for an adaptive cluster that
    starts with few workers. Models may be lambdas and closures (Dask pickles them with
    cloudpickle). A worker that dies is retried by the scheduler; a task that kills workers too
    often fails with ``KilledWorker``, a failure of the coalitions of its chunk. Needs
    ``pip install "coalitional[cluster]"`` (or ``pip install distributed``)."""
    return Dask(client, in_flight=in_flight, chunk_seconds=chunk_seconds)


def backend_of(executor: Any) -> Backend:
    """The back-end that ``LazyGame(..., executor=executor)`` drives: a back-end as it is, a
    ``concurrent.futures.Executor`` (or any object whose ``submit`` returns
    ``concurrent.futures`` futures) as :func:`futures` of it; anything else, a Dask client
    among them, is an ``InvalidGame`` naming ``executor``."""
    if isinstance(executor, Executor):
        return Futures(executor)
    if all(callable(getattr(executor, name, None)) for name in ("submit", "wait")) and all(
            hasattr(type(executor), name) or hasattr(executor, name) for name in ("in_flight", "chunk_seconds")):
        return executor  # type: ignore[no-any-return]
    hint = ""
    if callable(getattr(executor, "get_executor", None)):  # its futures are not concurrent.futures ones
        hint = " (for a Dask client, pass co.backends.dask(client))"
    elif callable(getattr(executor, "submit", None)):  # an executor in all but name, as before
        return Futures(executor)
    raise tag(InvalidGame(f"executor must be a concurrent.futures.Executor or a co.backends back-end, not "
                          f"{shown(executor)}{hint}"), "invalid_parameter", name="executor")
