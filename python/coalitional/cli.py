"""The ``coalitional`` command line: ``coalitional report GAME.json`` and ``coalitional demo``."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from typing import Dict, List, Optional

from ._coalitional import GameError, UndefinedSolution
from ._game import Game



def _properties(game: Game) -> Dict[str, Optional[bool]]:
    try:
        superadditive: Optional[bool] = game.is_superadditive()
    except UndefinedSolution:  # the 3^n check is refused for large n (the core says where)
        superadditive = None
    return {
        "superadditive": superadditive,
        "convex": game.is_convex(),
        "monotone": game.is_monotone(),
        "essential": game.is_essential(),
    }


def summary(game: Game) -> dict:
    """The report as plain data: players, standalone values, Shapley, Banzhaf, properties."""
    try:
        normalized: Optional[List[float]] = list(game.banzhaf(normalized=True))
    except UndefinedSolution:
        normalized = None
    def optional(method: str) -> Optional[List[float]]:
        try:
            return list(getattr(game, method)())
        except GameError:
            return None

    stability: Dict[str, Optional[float]] = {"core_is_empty": None, "least_core_epsilon": None, "cost_of_stability": None}
    if game.n >= 2:
        stability["core_is_empty"] = game.core_is_empty()
        stability["least_core_epsilon"] = game.least_core().epsilon
        stability["cost_of_stability"] = game.cost_of_stability()
    return {
        "metadata": dict(game.metadata),
        "kind": game.kind,
        "players": list(game.players),
        "grand_coalition_value": float(game.values[-1]),
        "standalone": [float(game.values[1 << i]) for i in range(game.n)],
        "shapley": list(game.shapley()),
        "banzhaf": list(game.banzhaf()),
        "banzhaf_normalized": normalized,
        "nucleolus": optional("nucleolus"),
        "tau_value": optional("tau_value"),
        "stability": stability,
        "properties": _properties(game),
    }


def _fmt(x: Optional[float]) -> str:
    return "-" if x is None else f"{x:,.4f}"


def render(data: dict) -> str:
    """The report as text."""
    meta = data["metadata"]
    lines: List[str] = []
    title = meta.get("name") or f"{data['kind']} game of {len(data['players'])} players"
    lines += [title, "=" * len(title)]
    if meta.get("description"):
        lines += textwrap.wrap(meta["description"], 92)
    if meta.get("source"):
        lines.append(f"Source: {meta['source']}")
    noun = "cost" if data["kind"] == "cost" else "value"
    lines.append("")
    lines.append(f"Players: {len(data['players'])}    {noun} of the grand coalition v(N) = {_fmt(data['grand_coalition_value'])}")
    surplus = data["grand_coalition_value"] - sum(data["standalone"])
    label = "saving from cooperation" if data["kind"] == "cost" else "surplus from cooperation"
    lines.append(f"{label}: v(N) - sum v({{i}}) = {_fmt(-surplus if data['kind'] == 'cost' else surplus)}")
    lines.append("")
    width = max(len("player"), *(len(p) for p in data["players"]))
    cols = ["standalone", "Shapley", "nucleolus", "tau value", "Banzhaf", "Banzhaf (norm.)"]
    lines.append(f"{'player':<{width}}  " + "  ".join(f"{c:>15}" for c in cols))
    lines.append("-" * (width + 2 + 17 * len(cols)))
    blank: List[Optional[float]] = [None] * len(data["players"])
    norm = data["banzhaf_normalized"] or blank
    nucleolus = data["nucleolus"] or blank
    tau = data["tau_value"] or blank

    def total(xs: List[Optional[float]]) -> Optional[float]:
        return None if any(x is None for x in xs) else sum(x for x in xs if x is not None)

    for k, p in enumerate(data["players"]):
        row = [data["standalone"][k], data["shapley"][k], nucleolus[k], tau[k], data["banzhaf"][k], norm[k]]
        lines.append(f"{p:<{width}}  " + "  ".join(f"{_fmt(x):>15}" for x in row))
    totals = [total(data["standalone"]), total(data["shapley"]), total(nucleolus), total(tau), total(data["banzhaf"]), total(norm)]
    lines.append(f"{'total':<{width}}  " + "  ".join(f"{_fmt(x):>15}" for x in totals))
    lines.append("")
    props = data["properties"]
    shown = {True: "yes", False: "no", None: "not checked (too many players for the 3^n check)"}
    names = {
        "superadditive": "subadditive (cost)" if data["kind"] == "cost" else "superadditive",
        "convex": "concave (cost)" if data["kind"] == "cost" else "convex",
        "monotone": "monotone",
        "essential": "essential",
    }
    st = data["stability"]
    if st["core_is_empty"] is not None:
        verdict = "EMPTY: some group always does better on its own" if st["core_is_empty"] else "nonempty: a stable split exists"
        lines.append(f"Core: {verdict}")
        lines.append(f"Least core epsilon: {_fmt(st['least_core_epsilon'])}    cost of stability (least outside subsidy): {_fmt(st['cost_of_stability'])}")
    lines.append("(- : undefined for this game)")
    lines.append("Properties: " + ", ".join(f"{names[k]}: {shown[v]}" for k, v in props.items()))
    return "\n".join(lines)


def _report(game: Game, as_json: bool) -> None:
    data = summary(game)
    print(json.dumps(data, indent=2) if as_json else render(data))


def main(argv: Optional[List[str]] = None) -> int:
    """Entry point of the ``coalitional`` command."""
    parser = argparse.ArgumentParser(
        prog="coalitional",
        description="Fair benefit sharing in cooperative games: Shapley, nucleolus, tau and Banzhaf values, core and cost of stability.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report", help="print the benefit-sharing report of a game in a JSON file")
    rep.add_argument("game", help="path to a game in coalitional's JSON format")
    rep.add_argument("--json", action="store_true", help="print the report as JSON")
    demo = sub.add_parser("demo", help="the report for the bundled nine-city G60 corridor (illustrative)")
    demo.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    try:
        if args.command == "demo":
            from . import example

            game = example("g60_corridor")
        else:
            game = Game.load(args.game)
        _report(game, args.json)
    except (GameError, OSError) as exc:
        if isinstance(exc, BrokenPipeError):  # e.g. `coalitional demo | head`
            return 0
        print(f"coalitional: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
