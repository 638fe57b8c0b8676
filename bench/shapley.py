"""Python-side benchmark: Game.shapley() / banzhaf() against one pass over the same array.

    python bench/shapley.py [n ...]        (default: 20 25)

Prints a Markdown table; the results are recorded in BENCHMARKS.md. The reference "one pass"
is numpy's ``values.sum()`` (vectorised, pairwise) on the same float64 array.
"""

import sys
import time

import numpy as np

import coalitional as co


def best_of(f, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(sizes):
    print("| n | values | numpy sum (ms) | shapley (ms) | ratio | banzhaf (ms) | ratio |")
    print("|---|---|---|---|---|---|---|")
    for n in sizes:
        values = np.random.default_rng(n).random(1 << n)
        values[0] = 0.0
        g = co.Game(values)
        repeat = 10 if n <= 25 else 3
        t_sum = best_of(values.sum, repeat)
        t_sh = best_of(g.shapley, repeat)
        t_bz = best_of(g.banzhaf, repeat)
        print(
            f"| {n} | 2^{n} | {t_sum * 1e3:.2f} | {t_sh * 1e3:.2f} | {t_sh / t_sum:.2f} "
            f"| {t_bz * 1e3:.2f} | {t_bz / t_sum:.2f} |"
        )
        del g, values


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [20, 25])
