"""Python-side benchmark: least core and cost of stability on random dense games.

    python bench/stability.py [n ...]        (default: 10 15 20 25)

Game family: v(S) = |S| * U(0, 1) (seeded), which has an empty core for n >= 3 in practice,
so the LPs have work to do. Prints a Markdown table recorded in BENCHMARKS.md.
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
    return co.Game(values)


def best_of(f, repeat):
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main(sizes):
    print("| n | least core (s) | epsilon | cost of stability (s) | CoS |")
    print("|---|---|---|---|---|")
    for n in sizes:
        g = random_game(n)
        repeat = 5 if n <= 20 else 2
        t_lc, lc = best_of(g.least_core, repeat)
        t_cos, cos = best_of(g.cost_of_stability, repeat)
        print(f"| {n} | {t_lc:.4f} | {lc.epsilon:.4f} | {t_cos:.4f} | {cos:.4f} |")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10, 15, 20, 25])
