"""Overhead per coalition of each LazyGame back-end (``co.backends``) on this machine.

Two models: a trivial one (returns a number at once; 12 players, 4095 coalitions) and one that
sleeps 0.05 s (6 players, 63 coalitions: 3.15 s of model time). Each back-end has 2 workers
(processes or threads; one process runs the model without an executor). For every run:

    overhead per coalition = (wall time - model time / workers) / coalitions

so it counts everything that is not the model: submitting, pickling the model and the
coalitions, starting workers or jobs, waiting, storing the values. "cold" is the first
evaluation with a fresh back-end (worker processes start), "warm" the median of three more
with the same back-end (fresh lazy games, no cache). Chunk sizes are the lazy game's own
(``chunksize=None``). submitit runs on its local executor (every job starts two Python
processes, as a Slurm task starts one); the figure on Slurm adds the queue wait per job.

    python bench/backends.py > backends.md
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any, Callable, Iterator, List, Tuple

import coalitional as co

WORKERS = 2
SLOW = 0.05


def trivial(coalition: frozenset) -> float:
    return float(len(coalition))


def slow(coalition: frozenset) -> float:
    time.sleep(SLOW)
    return float(len(coalition))


MODELS = [("trivial", trivial, 12, 0.0), ("0.05 s", slow, 6, SLOW)]


def wall(players: List[str], model: Callable[[frozenset], float], executor: Any) -> float:
    start = time.perf_counter()
    co.LazyGame(players, model, executor=executor).to_game()
    return time.perf_counter() - start


def backends(folder: str) -> Iterator[Tuple[str, Any, Callable[[], None]]]:
    """(name, executor or back-end, close) for each back-end, started one at a time."""
    yield "none (this process)", None, lambda: None
    threads = ThreadPoolExecutor(WORKERS)
    yield "ThreadPoolExecutor(2)", threads, threads.shutdown
    processes = ProcessPoolExecutor(WORKERS)
    yield "ProcessPoolExecutor(2)", processes, processes.shutdown
    pool = co.backends.loky(WORKERS)
    yield "co.backends.loky(2)", pool, pool.shutdown
    import distributed

    cluster = distributed.LocalCluster(n_workers=WORKERS, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    client = distributed.Client(cluster)

    def close() -> None:
        client.close()
        cluster.close()

    yield "co.backends.dask(LocalCluster: 2 processes)", co.backends.dask(client), close
    yield ("co.backends.submitit(local, in_flight=2)",
           co.backends.submitit(os.path.join(folder, "jobs"), cluster="local", in_flight=WORKERS), lambda: None)
    yield ("co.backends.submitit(local, in_flight=2, chunk_seconds=0.5)",
           co.backends.submitit(os.path.join(folder, "jobs"), cluster="local", in_flight=WORKERS, chunk_seconds=0.5),
           lambda: None)


def main() -> None:
    print(f"Python {sys.version.split()[0]}, coalitional {co.__version__}, {os.cpu_count()} CPUs; "
          f"overhead per coalition in ms (wall time in s)\n")
    print("| back-end | model | coalitions | cold | warm |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for name, executor, close in backends(folder):
            try:
                for label, model, n, seconds in MODELS:
                    players = [f"p{i}" for i in range(n)]
                    coalitions = (1 << n) - 1
                    workers = 1 if executor is None else WORKERS
                    ideal = coalitions * seconds / workers

                    def per_coalition(t: float) -> str:
                        return f"{1e3 * (t - ideal) / coalitions:.2f} ({t:.2f} s)"

                    cold = wall(players, model, executor)
                    warm = statistics.median(wall(players, model, executor) for _ in range(3))
                    print(f"| {name} | {label} | {coalitions} | {per_coalition(cold)} | {per_coalition(warm)} |",
                          flush=True)
            finally:
                close()


if __name__ == "__main__":
    main()
