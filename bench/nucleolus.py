"""Python-side benchmark: nucleolus and prenucleolus on random dense games.

    python bench/nucleolus.py [n ...]        (default: 10 15 20)

Game family: v(S) = |S| * U(0, 1), seeded, with v(N) = n so that imputations exist (empty
core). Prints a Markdown table recorded in BENCHMARKS.md.
"""

import sys
import time

import numpy as np

import coalitional as co


def random_game(n):
    rng = np.random.default_rng(n)
    sizes = np.array([bin(m).count("1") for m in range(1 << n)], dtype=float)
    values = rng.random(1 << n) * sizes
    values[0] = 0.0
    values[-1] = float(n)
    return co.Game(values)


def main(sizes):
    print("| n | nucleolus (s) | prenucleolus (s) |")
    print("|---|---|---|")
    for n in sizes:
        g = random_game(n)
        t0 = time.perf_counter()
        g.nucleolus()
        t1 = time.perf_counter()
        g.prenucleolus()
        t2 = time.perf_counter()
        print(f"| {n} | {t1 - t0:.3f} | {t2 - t1:.3f} |", flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10, 15, 20])
