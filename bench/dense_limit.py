"""The dense solvers at the limit (issue 18): nucleolus, prenucleolus and least core at
n = 20..28 for every game family, with the time and the peak memory of each call.

    python bench/dense_limit.py [--n 20 22 24 26] [--families random glove ...]
                                [--concepts nucleolus prenucleolus least_core]
                                [--readme README.md]

Each (family, n, concept) runs in a fresh process: the game's values are built there
(numpy), handed to the Rust core (one array of 8 * 2**n bytes) and the numpy copy freed; then
the peak resident memory is reset (Linux: ``/proc/self/clear_refs``) and the concept is timed.
"peak over the game" is the highest resident memory during the call minus the resident memory
just before it: what the solver itself allocates, with the game's own 8 * 2**n bytes excluded.

Families (seeded, numpy):
- random: v(S) = |S| * U(0, 1), v(N) = n (an empty core);
- convex: v(S) = (sum of weights in S)^2, weights U(0, 1);
- voting: weighted majority, integer weights 1..9, quota half the total + 1;
- bankruptcy: claims U(1, 100), estate half the total claim;
- airport: cost game, c(S) = max cost in S, costs U(1, 100) (the savings are convex);
- glove: half the players hold a left glove, half a right one, v(S) = min(#left, #right)
  (a level of C(n, n/2) tied coalitions at the nucleolus);
- assignment: a market of n/2 sellers and n/2 buyers, pair values integers 0..3 (many ties).

Prints a Markdown table; with ``--readme`` it also replaces the table between the markers
``<!-- dense-limit:begin -->`` and ``<!-- dense-limit:end -->`` in that file.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time

import numpy as np

FAMILIES = ["random", "convex", "voting", "bankruptcy", "airport", "glove", "assignment"]
CONCEPTS = ["nucleolus", "prenucleolus", "least_core"]
TARGETS = {20: 0.1, 22: None, 24: 1.0, 26: 5.0, 28: None}


def sums(n: int, weights: np.ndarray) -> np.ndarray:
    """x(S) for every mask S, by doubling (one pass per player, no 2**n x n temporary)."""
    out = np.zeros(1, dtype=np.float64)
    for w in weights:
        out = np.concatenate([out, out + w])
    return out


def counts(n: int, members: np.ndarray) -> np.ndarray:
    """How many of the players flagged in ``members`` each mask holds (uint8)."""
    out = np.zeros(1, dtype=np.uint8)
    for flag in members:
        out = np.concatenate([out, out + np.uint8(flag)])
    return out


def build(family: str, n: int):
    import coalitional as co

    rng = np.random.default_rng(1000 + n)
    if family == "random":
        size = counts(n, np.ones(n, dtype=np.uint8)).astype(np.float64)
        values = rng.random(1 << n) * size
        del size
        values[0], values[-1] = 0.0, float(n)
        return co.Game(values)
    if family == "convex":
        return co.Game(sums(n, rng.random(n)) ** 2)
    if family == "voting":
        w = rng.integers(1, 10, n).astype(np.float64)
        return co.Game((sums(n, w) >= w.sum() // 2 + 1).astype(np.float64))
    if family == "bankruptcy":
        claims = rng.uniform(1, 100, n)
        values = claims.sum() / 2 - (claims.sum() - sums(n, claims))
        np.maximum(values, 0.0, out=values)
        return co.Game(values)
    if family == "airport":
        return co.airport(list(rng.uniform(1, 100, n))).dense()
    if family == "glove":
        left = counts(n, np.arange(n) < n // 2)
        right = counts(n, np.arange(n) >= n // 2)
        return co.Game(np.minimum(left, right).astype(np.float64))
    if family == "assignment":
        m = n // 2
        weights = rng.integers(0, 4, (m, n - m)).astype(float).tolist()
        return co.assignment(weights, [f"s{i}" for i in range(m)], [f"b{j}" for j in range(n - m)]).dense()
    raise SystemExit(f"unknown family {family!r}")


def rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def peak() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def one(family: str, n: int, concept: str) -> dict:
    """Runs in the child process: build, reset the peak, time the concept."""
    import gc

    g = build(family, n)
    gc.collect()
    before = rss()
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass
    t0 = time.perf_counter()
    error = None
    try:
        getattr(g, concept)()
    except Exception as exc:  # noqa: BLE001 - a failure is a result of the benchmark
        error = f"{type(exc).__name__}: {exc}"[:160]
    seconds = time.perf_counter() - t0
    return {"family": family, "n": n, "concept": concept, "seconds": seconds,
            "peak_mb": max(0, peak() - before) / 2**20, "game_mb": 8 * 2**n / 2**20, "error": error}


def run(family: str, n: int, concept: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", family, str(n), concept],
                         capture_output=True, text=True)
    if out.returncode != 0:
        return {"family": family, "n": n, "concept": concept, "seconds": float("nan"), "peak_mb": float("nan"),
                "game_mb": 8 * 2**n / 2**20, "error": (out.stderr.strip().splitlines() or ["crashed"])[-1][:160]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def table(results: list, ns: list, concepts: list) -> str:
    head = "| family | concept | " + " | ".join(f"n = {n}" for n in ns) + " |"
    rule = "|---|---|" + "---|" * len(ns)
    lines = [head, rule]
    for family in dict.fromkeys(r["family"] for r in results):
        for concept in concepts:
            cells = []
            for n in ns:
                r = next((r for r in results if r["family"] == family and r["n"] == n and r["concept"] == concept), None)
                if r is None:
                    cells.append("")
                elif r["error"]:
                    cells.append("fails")
                else:
                    cells.append(f"{r['seconds']:.3g} s")
            lines.append(f"| {family} | {concept} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def memory_table(results: list, n: int, concepts: list) -> str:
    rows = [r for r in results if r["n"] == n and not r["error"]]
    if not rows:
        return ""
    lines = [f"Peak memory at n = {n} beyond the game's own {8 * 2**n / 2**20:.0f} MiB (largest over the families):",
             "", "| concept | peak over the game | family |", "|---|---|---|"]
    for concept in concepts:
        mine = [r for r in rows if r["concept"] == concept]
        if mine:
            top = max(mine, key=lambda r: r["peak_mb"])
            lines.append(f"| {concept} | {top['peak_mb']:.0f} MiB | {top['family']} |")
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        family, n, concept = sys.argv[2], int(sys.argv[3]), sys.argv[4]
        print(json.dumps(one(family, n, concept)))
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, nargs="+", default=[20, 22, 24, 26])
    ap.add_argument("--families", nargs="+", default=FAMILIES, choices=FAMILIES)
    ap.add_argument("--concepts", nargs="+", default=CONCEPTS, choices=CONCEPTS)
    ap.add_argument("--readme", help="replace the table between the dense-limit markers in this file")
    args = ap.parse_args()
    results = []
    for family in args.families:
        for n in args.n:
            for concept in args.concepts:
                r = run(family, n, concept)
                results.append(r)
                status = r["error"] or f"{r['seconds']:.3f} s, peak {r['peak_mb']:.0f} MiB over the game"
                print(f"{family:>10} n={n:2d} {concept:>12}: {status}", file=sys.stderr, flush=True)
    text = table(results, args.n, args.concepts)
    memory = memory_table(results, max(args.n), args.concepts)
    body = text + ("\n\n" + memory if memory else "")
    print(body)
    if args.readme:
        with open(args.readme) as f:
            readme = f.read()
        pattern = re.compile(r"(<!-- dense-limit:begin -->\n).*?(<!-- dense-limit:end -->)", re.S)
        if not pattern.search(readme):
            raise SystemExit(f"{args.readme} has no dense-limit markers")
        with open(args.readme, "w") as f:
            f.write(pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(2), readme))


if __name__ == "__main__":
    main()
