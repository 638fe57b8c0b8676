"""Side-by-side timings of coalitional and the other pip-installable cooperative-game libraries.

    python bench/peers.py [--install] [--timeout SECONDS]

Times, on this machine and in one run, the dense Shapley value at n = 10, 15, 20, 25 and the
nucleolus at n = 10, 15, 20 of random games v(S) = |S| U(0, 1) with v(N) = n (seeded, the family
of bench/nucleolus.py). Each (library, method, n) runs in its own subprocess with a timeout, the
game is built before the clock starts, and the best of 3 runs is kept (1 run above n = 20). The
peers' answers are compared with coalitional's (largest absolute difference).

Peers tried (``--install`` pip-installs the missing ones into this interpreter's environment):
- ``coopgame-py`` (module ``coopgame``): a Rust library with Python bindings (Shapley, nucleolus);
- ``coalitions`` (module ``coalitions.coalitionalgame``): pure Python, Shapley over all orders.
Other cooperative-game packages on PyPI were looked at and left out: ``pyshapley`` clamps
payoffs at 0 (a different value), ``pyCoopGame`` needs Pyomo and an external LP solver.

Prints a Markdown table recorded in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
import time

import numpy as np

PEERS = {"coopgame": "coopgame-py", "coalitions.coalitionalgame": "coalitions"}
OFFERS = {"coalitional": {"shapley", "nucleolus"}, "coopgame": {"shapley", "nucleolus"},
          "coalitions.coalitionalgame": {"shapley"}}
SHAPLEY_N = [10, 15, 20, 25]
NUCLEOLUS_N = [10, 15, 20]


def game_values(n: int) -> np.ndarray:
    rng = np.random.default_rng(n)
    sizes = np.array([bin(m).count("1") for m in range(1 << n)], dtype=float)
    values = rng.random(1 << n) * sizes
    values[0] = 0.0
    values[-1] = float(n)
    return values


def prepare(lib: str, values: np.ndarray):
    """Builds the library's game object (not timed); returns {method: callable -> vector}."""
    n = values.size.bit_length() - 1
    if lib == "coalitional":
        import coalitional as co

        g = co.Game(values)
        return {"shapley": lambda: np.asarray(g.shapley()), "nucleolus": lambda: np.asarray(g.nucleolus())}
    if lib == "coopgame":
        cg = importlib.import_module("coopgame")
        g = cg.Game(values[1:])
        return {
            "shapley": lambda: np.asarray(cg.shapley(g)),
            "nucleolus": lambda: np.asarray(cg.nucleolus(g)["allocation"]),
        }
    if lib == "coalitions.coalitionalgame":
        mod = importlib.import_module("coalitions.coalitionalgame")
        table = {tuple(i for i in range(n) if m >> i & 1): float(values[m]) for m in range(1, 1 << n)}
        g = mod.CoalitionalGame(table)

        def shapley():
            out = g.get_shapley_values()
            return np.array([out[i] for i in range(n)])

        return {"shapley": shapley}
    raise ValueError(lib)


def worker(lib: str, method: str, n: int) -> None:
    values = game_values(n)
    methods = prepare(lib, values)
    if method not in methods:
        print(json.dumps({"error": "not offered"}))
        return
    best, result = float("inf"), None
    for _ in range(3 if n <= 20 else 1):
        t0 = time.perf_counter()
        result = methods[method]()
        best = min(best, time.perf_counter() - t0)
    print(json.dumps({"seconds": best, "result": [float(x) for x in result]}))


def run(lib: str, method: str, n: int, timeout: float) -> dict:
    try:
        out = subprocess.run(
            [sys.executable, __file__, "--worker", lib, method, str(n)],
            capture_output=True, text=True, timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"> {timeout:g} s"}
    if out.returncode != 0:
        last = (out.stderr.strip().splitlines() or ["failed"])[-1]
        return {"error": last[:60]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def available(install: bool) -> list:
    libs = []
    for module, package in PEERS.items():
        try:
            importlib.import_module(module)
        except ImportError:
            if not install:
                print(f"# {package}: not installed (use --install)", file=sys.stderr)
                continue
            subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", package], check=False)
            try:
                importlib.import_module(module)
            except ImportError:
                print(f"# {package}: not installable here", file=sys.stderr)
                continue
        libs.append(module)
    return libs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", nargs=3)
    parser.add_argument("--install", action="store_true")
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], args.worker[1], int(args.worker[2]))
        return
    peers = available(args.install)
    print("| method | n | coalitional (s) | " + " | ".join(f"{p} (s) | ratio | max diff" for p in peers) + " |")
    print("|---|---|---|" + "---|---|---|" * len(peers))
    gave_up = {}  # (peer, method) -> n at which it timed out: larger n are not tried
    for method, sizes in (("shapley", SHAPLEY_N), ("nucleolus", NUCLEOLUS_N)):
        for n in sizes:
            ours = run("coalitional", method, n, args.timeout)
            cells = [method, str(n), f"{ours['seconds']:.3g}" if "seconds" in ours else ours["error"]]
            for p in peers:
                if method not in OFFERS[p]:
                    cells += ["not offered", "-", "-"]
                    continue
                if (p, method) in gave_up:
                    cells += [f"not run (> {args.timeout:g} s at n = {gave_up[(p, method)]})", "-", "-"]
                    continue
                theirs = run(p, method, n, args.timeout)
                if theirs.get("error", "").startswith(">"):
                    gave_up[(p, method)] = n
                if "seconds" in theirs and "seconds" in ours:
                    diff = float(np.max(np.abs(np.array(theirs["result"]) - np.array(ours["result"]))))
                    cells += [f"{theirs['seconds']:.3g}", f"{theirs['seconds'] / ours['seconds']:.3g}x", f"{diff:.1e}"]
                else:
                    cells += [theirs.get("error", "-"), "-", "-"]
            print("| " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
