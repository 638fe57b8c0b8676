"""Python-side benchmark (issue 18): nucleolus, prenucleolus and least core without 2**n values,
through the separation engine, for weighted voting (dynamic-programming oracle) and convex games
given by a Python function (submodular-minimisation oracle).

    python bench/structured_oracles.py [voters] [convex players]     (default: 50 40)

Games (deterministic):
- voting: weights 1 + (37 i + 11) mod 100 (so 1..100), quota half the total + 1;
- bankruptcy by function: claims 1 + 7919 i mod 400, estate 40 % of the total claim, given as a
  Python function of the coalition (``co.ConvexGame``), checked against the Talmud rule;
- smooth: v(S) = a(S)^2 + max(0, a(S) - A/2)^3 / A with 13 distinct weights a_i (ties).
Each convex run starts from a fresh game (empty memo), so every worth the engine needs is a call
of the Python function inside the timing. Prints a Markdown table recorded in BENCHMARKS.md.
"""

import sys
import time

import numpy as np

import coalitional as co


def timed(f):
    t = time.perf_counter()
    out = f()
    return out, time.perf_counter() - t


def voting(n):
    weights = [1 + (37 * i + 11) % 100 for i in range(n)]
    return co.weighted_voting(sum(weights) // 2 + 1, weights)


def bankruptcy(n):
    claims = {f"c{i}": 1.0 + (i * 7919) % 400 for i in range(n)}
    total = sum(claims.values())
    estate = 0.4 * total

    def f(s):
        return max(0.0, estate - (total - sum(claims[p] for p in s)))

    return co.ConvexGame(claims, f), estate, list(claims.values())


def smooth(n):
    a = {f"p{i}": 1.0 + ((i * 31) % 13) / 4.0 for i in range(n)}
    total = sum(a.values())

    def f(s):
        w = sum(a[p] for p in s)
        return w * w + max(0.0, w - total / 2) ** 3 / total

    return co.ConvexGame(a, f)


def main(voters=50, players=40):
    print("| game | n | concept | seconds | worths computed |")
    print("|---|---|---|---|---|")
    g = voting(voters)
    for concept in ("nucleolus", "prenucleolus", "least_core"):
        _, s = timed(getattr(g, concept))
        print(f"| weighted voting, weights 1..100 | {voters} | {concept} | {s:.3f} | - |")
    for concept in ("nucleolus", "least_core"):
        game, estate, claims = bankruptcy(players)
        out, s = timed(getattr(game, concept))
        if concept == "nucleolus":
            err = float(np.max(np.abs(np.asarray(out) - np.asarray(co.talmud(estate, claims)))))
            assert err <= 1e-9 * estate, err
        print(f"| bankruptcy by a Python function | {players} | {concept} | {s:.2f} | {game.evaluations} |")
    for concept in ("nucleolus", "least_core"):
        game = smooth(players)
        _, s = timed(getattr(game, concept))
        print(f"| a(S)^2 + cubic term, Python function | {players} | {concept} | {s:.2f} | {game.evaluations} |")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
