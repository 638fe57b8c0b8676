"""Python-side benchmark: nucleolus and least core of the airport and assignment games without
their 2**n values (issue 18, "structured" helper).

    python bench/structured.py [repeats]        (default: 5)

Instances (seeded):
- airport: n runway costs U(0, 1e6), whole numbers 1..50 (many ties), and 1.01^j (one player
  per stage, the O(n^2) case), n = 1,000 and 10,000;
- assignment, 200 x 200 unless said: weights whole numbers 0..99, reals U(0, 100), 0..2 (huge
  ties), all equal (every pairing optimal), a_rc = r c (supermodular: one optimal pairing, a
  chain of nested cores), and 200 x 300 reals.
Prints a Markdown table (median wall time of `repeats` runs, through the Python API) recorded
in BENCHMARKS.md, and checks each answer: efficient, and in the core (no blocking pair).
"""

import statistics
import sys
import time

import numpy as np

import coalitional as co


def timed(f, repeats):
    times, out = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def airports():
    rng = np.random.default_rng(1)
    for n in (1000, 10_000):
        yield f"airport, n = {n:,}, costs U(0, 1e6)", co.airport(rng.uniform(0, 1e6, n))
        yield f"airport, n = {n:,}, costs 1..50", co.airport(rng.integers(1, 51, n).astype(float))
        # Steep costs: every stage of Littlechild's algorithm pins a single player (the O(n^2) case).
        yield f"airport, n = {n:,}, costs 1.01^j", co.airport(1.01 ** np.arange(n))


def markets():
    rng = np.random.default_rng(2)
    r200 = [f"r{i}" for i in range(200)]
    c200, c300 = [f"c{j}" for j in range(200)], [f"c{j}" for j in range(300)]
    idx = np.arange(200.0)
    yield "assignment 200 x 200, weights 0..99", rng.integers(0, 100, (200, 200)).astype(float), r200, c200
    yield "assignment 200 x 200, weights U(0, 100)", rng.uniform(0, 100, (200, 200)), r200, c200
    yield "assignment 200 x 200, weights 0..2", rng.integers(0, 3, (200, 200)).astype(float), r200, c200
    yield "assignment 200 x 200, all weights 1", np.ones((200, 200)), r200, c200
    yield "assignment 200 x 200, a_rc = r c", np.outer(idx + 1, idx + 1), r200, c200
    yield "assignment 200 x 300, weights U(0, 100)", rng.uniform(0, 100, (200, 300)), r200, c300


def main():
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    print("| instance | nucleolus | least core |")
    print("|---|---|---|")
    for label, game in airports():
        t_nu, x = timed(game.nucleolus, repeats)
        t_lc, lc = timed(game.least_core, repeats)
        x = np.asarray(x)
        assert abs(x.sum() - max(game.costs)) <= 1e-9 * max(game.costs) and np.all(x >= 0)
        print(f"| {label} | {t_nu * 1e3:.2f} ms | {t_lc * 1e3:.2f} ms |")
    for label, w, rows, cols in markets():
        game = co.assignment(w, rows, cols)
        t_nu, x = timed(game.nucleolus, repeats)
        t_lc, lc = timed(game.least_core, repeats)
        x = np.asarray(x)
        m = len(rows)
        scale = float(np.max(w))
        assert abs(x.sum() - game.optimal_value()) <= 1e-9 * scale * m
        assert np.min(x[:m, None] + x[None, m:] - w) >= -1e-9 * scale and lc.epsilon == 0
        print(f"| {label} | {t_nu * 1e3:.0f} ms | {t_lc * 1e3:.0f} ms |")


if __name__ == "__main__":
    main()
