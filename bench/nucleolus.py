"""Python-side benchmark: nucleolus and prenucleolus on random dense games.

    python bench/nucleolus.py [n ...]        (default: 10 15 20)

Game families (seeded):
- random: v(S) = |S| * U(0, 1), with v(N) = n so that imputations exist (empty core);
- convex: v(S) = (sum of weights in S)^2, weights U(0, 1);
- voting: weighted majority, integer weights 1..9, quota half the total + 1;
- bankruptcy: estate half the total claim, claims U(1, 100).
Prints a Markdown table recorded in BENCHMARKS.md; a method that fails prints its error.
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


def masks_weights(n, weights):
    total = np.zeros(1 << n)
    for i, w in enumerate(weights):
        total[(np.arange(1 << n) >> i) & 1 == 1] += w
    return total


def convex_game(n):
    w = np.random.default_rng(n).random(n)
    return co.Game(masks_weights(n, w) ** 2)


def voting_game(n):
    w = np.random.default_rng(n).integers(1, 10, n)
    quota = w.sum() // 2 + 1
    return co.Game((masks_weights(n, w) >= quota).astype(float))


def bankruptcy_game(n):
    claims = np.random.default_rng(n).uniform(1, 100, n)
    estate = claims.sum() / 2
    outside = claims.sum() - masks_weights(n, claims)
    return co.Game(np.maximum(0.0, estate - outside))


FAMILIES = {"random": random_game, "convex": convex_game, "voting": voting_game, "bankruptcy": bankruptcy_game}


def timed(f):
    t0 = time.perf_counter()
    try:
        f()
    except co.GameError as exc:
        return type(exc).__name__
    return f"{time.perf_counter() - t0:.3f}"


def main(sizes):
    print("| family | n | nucleolus (s) | prenucleolus (s) |")
    print("|---|---|---|---|")
    for family, make in FAMILIES.items():
        for n in sizes:
            g = make(n)
            print(f"| {family} | {n} | {timed(g.nucleolus)} | {timed(g.prenucleolus)} |", flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10, 15, 20])
