"""Coverage of the sampling intervals of the installed ``coalitional`` package.

For each game (ten-player weighted vote, the same vote as city budgets of 1e6..1e8 plus a scaled
surplus, a convex game, a random game), each method (Shapley by permutations, Shapley stratified
by size, Banzhaf), each bound and nominal level 1 - delta, runs ``--seeds`` seeds (default 1000)
and counts how often the reported intervals contain the exact values of all players at once
(simultaneous coverage; exact values by brute force here). Bounds:

- ``empirical-bernstein``: the default (no ``value_range``), with its stopping rule;
- ``hoeffding``: ``value_range`` = the largest spread of any player's marginal contributions,
  the tightest true range (computed here by brute force);
- ``normal (old)``: the former default, no longer offered, replayed for comparison:
  ``z_{1 - delta/(2n)} * standard error``, checked after every batch of
  ``4096 // coalitions_per_round`` rounds, stopping once at least 30 samples per cell and every
  half-width <= epsilon. The standard errors after ``k`` batches are those of a run of the
  driver capped at ``k`` batches' rounds (the same seed draws the same coalitions, whatever
  the stopping rule), so the replay reruns the driver with ``max_rounds`` = 1, 2, ... batches.

Two tolerances per game: ``epsilon = R/4`` (coarse: small samples) and ``R/20`` (fine), with R the
largest spread of a player's marginal contributions (1 for the vote). Prints a Markdown table.

    python bench/sampling_coverage.py [--seeds 1000] > coverage.md
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time

import numpy as np

import coalitional as co

SCALE = 3.7
BUDGETS = np.array([1.234e6 * 10 ** (2 * i / 9) for i in range(10)])
VOTE_WEIGHTS = [9, 7, 6, 5, 4, 3, 3, 2, 1, 1]
CONVEX_WEIGHTS = [1, 2, 2, 3, 3, 4, 5, 6, 8]


def table(n, f):
    return np.array([0.0] + [float(f(m)) for m in range(1, 1 << n)])


def members(m, n):
    return [i for i in range(n) if m >> i & 1]


def games():
    vote = table(10, lambda m: sum(VOTE_WEIGHTS[i] for i in members(m, 10)) >= 26)
    budgets = table(10, lambda m: sum(BUDGETS[i] for i in members(m, 10)) + SCALE * vote[m])
    convex = table(9, lambda m: sum(CONVEX_WEIGHTS[i] for i in members(m, 9)) ** 2 / 10)
    u = np.random.default_rng(2024).uniform(size=1 << 8)
    random = table(8, lambda m: u[m] * bin(m).count("1"))
    return {
        "vote (quota 26, 10 players)": (co.weighted_voting(26, VOTE_WEIGHTS), vote),
        "city budgets (1e6..1e8 + 3.7 vote)": (co.Game(budgets), budgets),
        "convex (9 players)": (co.Game(convex), convex),
        "random (8 players)": (co.Game(random), random),
    }


def marginals(values, n, i):
    return np.array([values[s | 1 << i] - values[s] for s in range(1 << n) if not s >> i & 1])


def exact(values, n, method):
    if method == "banzhaf":
        return np.array([marginals(values, n, i).mean() for i in range(n)])
    phi = np.zeros(n)
    for i in range(n):
        for s in range(1 << n):
            if not s >> i & 1:
                phi[i] += (values[s | 1 << i] - values[s]) / (n * math.comb(n - 1, bin(s).count("1")))
    return phi


def old_normal(game, n, method, epsilon, delta, seed):
    """The former default driver, replayed: normal intervals, checked after every batch. The
    k-th check sees the estimate of the first k batches' rounds: the driver capped there
    (Hoeffding with a tiny epsilon draws exactly max_rounds rounds, with no check before)."""
    z = statistics.NormalDist().inv_cdf(1 - delta / (2 * n))
    per_round = {"permutation": n, "banzhaf": 2 * n, "stratified": 2 * n * n}[method]
    per_batch = max(1, 4096 // per_round)
    rounds = 0
    while rounds < 1_000_000:
        rounds += per_batch
        kw = {"value_range": 1.0, "max_rounds": rounds, "seed": seed}
        if method == "banzhaf":
            est = game.banzhaf_sample(1e-12, delta, **kw)
        else:
            est = game.shapley_sample(1e-12, delta, method=method, **kw)
        half = z * est.std_errors
        if est.samples >= 30 and np.all(half <= epsilon):
            break
    return np.asarray(est.values), half, est.evaluations


def run(game, values, n, method, bound, epsilon, delta, seed, spread):
    if bound == "normal (old)":
        return old_normal(game, n, method, epsilon, delta, seed)
    kw = {"value_range": spread} if bound == "hoeffding" else {}
    if method == "banzhaf":
        est = game.banzhaf_sample(epsilon, delta, seed=seed, **kw)
    else:
        est = game.shapley_sample(epsilon, delta, method=method, seed=seed, **kw)
    return np.asarray(est.values), est.half_widths, est.evaluations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=1000)
    args = parser.parse_args()
    start = time.time()
    print(f"coalitional {co.__version__}, {args.seeds} seeds per row; coverage = share of seeds whose intervals "
          "contain the exact values of all players at once.\n")
    print("| game | method | bound | epsilon | nominal | coverage | mean evaluations | mean max half-width |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for name, (game, values) in games().items():
        n = int(math.log2(len(values)))
        spread = max(np.ptp(marginals(values, n, i)) for i in range(n))
        for method in ("permutation", "stratified", "banzhaf"):
            phi = exact(values, n, method)
            for fraction in (4, 20):
                epsilon = spread / fraction
                for bound in ("empirical-bernstein", "hoeffding", "normal (old)"):
                    for delta in (0.05, 0.2):
                        covered, evaluations, widths = 0, [], []
                        for seed in range(args.seeds):
                            vals, half, ev = run(game, values, n, method, bound, epsilon, delta, seed, spread)
                            covered += bool(np.all(np.abs(vals - phi) <= half))
                            evaluations.append(ev)
                            widths.append(float(np.max(half)))
                        print(f"| {name} | {method} | {bound} | {epsilon:.4g} | {1 - delta:.0%} | "
                              f"{covered / args.seeds:.1%} | {np.mean(evaluations):,.0f} | {np.mean(widths):.3g} |")
                        sys.stdout.flush()
    print(f"\n({time.time() - start:.0f} s)")


if __name__ == "__main__":
    main()
