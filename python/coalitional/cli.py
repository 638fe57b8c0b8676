"""The ``coalitional`` command line: ``coalitional report GAME.json`` and ``coalitional demo``.

Everything it prints from the input (player names, metadata, messages that quote them) goes
through :func:`safe`, so a name cannot move the cursor or clear the screen; ``--json`` output is
plain ASCII (``json.dumps`` escapes every control and non-ASCII character). A library error
prints one line ``coalitional: error: ...`` and exits with status 2 (as argparse does for bad
arguments; ``check`` exits 1 when a case fails); Ctrl-C prints ``coalitional: interrupted``
and exits with status 130, without a traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import textwrap
from typing import Any, Dict, List, Optional, Union, cast

from ._allocation import Allocation
from ._coalitional import FormatError, GameError, UndefinedSolution
from ._convert import a_type, read_json_file, real_number, shown, tag
from ._game import Game
from ._settle import RULES, _RuleName, Settlement, coalition_label, settle


def _escapes() -> Dict[int, str]:
    table = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}
    for code in [*range(0x20), 0x7F, *range(0x80, 0xA0)]:  # C0, DEL, C1 (0x1b and 0x9b start ANSI codes)
        table.setdefault(code, f"\\x{code:02x}")
    # Line and paragraph separators, and the marks and overrides that reorder a line.
    for code in [0x061C, 0x200E, 0x200F, 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]:
        table[code] = f"\\u{code:04x}"
    return table


_ESCAPES = _escapes()


def safe(text: Any) -> str:
    """``text`` fit for a terminal: control characters (C0, DEL, C1, so every ANSI escape
    sequence), line separators and bidirectional overrides are written as escapes
    (``\\x1b``, ``\\n``, ``\\u202e``); everything else, e.g. Chinese names, is kept."""
    return str(text).translate(_ESCAPES)


def _escaped(data: Any) -> Any:
    """``data`` (plain JSON-like values) with every string value passed through :func:`safe`."""
    if isinstance(data, str):
        return safe(data)
    if isinstance(data, dict):
        return {k: _escaped(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_escaped(v) for v in data]
    return data


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


_STATUS_QUO_KEYS = ("format", "version", "status_quo", "name", "description", "source")


def load_status_quo(path: str) -> Dict[str, float]:
    """A status quo from JSON (UTF-8): ``{"name": value, ...}``, or a document with a
    ``"status_quo"`` field holding that mapping (``"format": "coalitional.status_quo"``,
    ``"version": 1``; ``name``, ``description`` and ``source`` allowed). Values are finite
    numbers; anything else is a ``FormatError`` naming the file and the field or player."""
    doc = read_json_file(path, "status quo file")
    where = f"status quo file {path}"  # the name load_json gives its errors
    if isinstance(doc, dict) and isinstance(doc.get("status_quo"), dict):
        unknown = [k for k in doc if k not in _STATUS_QUO_KEYS]
        if unknown:
            raise tag(FormatError(f"unknown field {json.dumps(unknown[0])} in the status quo file {path}"), "format",
                      name=where, field=unknown[0])
        version = doc.get("version", 1)
        if doc.get("format", "coalitional.status_quo") != "coalitional.status_quo" or type(version) is not int or version != 1:
            raise tag(FormatError(f'the status quo file {path} needs "format": "coalitional.status_quo" and "version": 1'),
                      "format", name=where)
        doc = doc["status_quo"]
    if not isinstance(doc, dict):
        raise tag(FormatError(f"the status quo in {path} must map each player's name to a number, not {a_type(doc)}"),
                  "format", name=where)
    out = {}
    for name, value in doc.items():
        try:
            x = real_number(value, f"the entry of {name!r}", error=FormatError)
            if not math.isfinite(x):
                raise FormatError(f"the entry of {name!r} is {x}, not a finite number")
        except FormatError as exc:
            raise tag(FormatError(f"the status quo in {path} must map each player's name to a number: {exc}"), "format",
                      name=where, player=name) from None
        out[name] = x
    return out


def settlement(
    game: Game,
    rule: Optional[str],
    status_quo: Optional[Dict[str, float]],
    top: int = 5,
    known: Optional[Dict[str, Optional[Allocation]]] = None,
) -> Dict[str, Any]:
    """The settlement part of the report: to ``rule`` (default: the nucleolus, or the Shapley
    value when the game has no nucleolus) from ``status_quo`` (default: standalone values).
    ``known`` holds rule allocations already computed, which are not computed again."""

    def target(name: str) -> Union[Allocation, _RuleName]:
        found = (known or {}).get(name)
        return cast(_RuleName, name) if found is None else found

    note = None
    chosen = rule or "nucleolus"
    try:
        s: Settlement = settle(game, target(chosen), status_quo, top=top)
    except UndefinedSolution as exc:
        if rule is not None:
            raise
        note = f"the nucleolus is undefined ({exc}); settling to the Shapley value instead"
        chosen = "shapley"
        s = settle(game, target(chosen), status_quo, top=top)
    data = s.to_dict()
    data["rule"] = chosen
    data["status_quo_source"] = "given" if status_quo is not None else "standalone values v({i})"
    data["note"] = note
    return data


def summary(game: Game, rule: Optional[str] = None, status_quo: Optional[Dict[str, float]] = None, top: int = 5) -> dict:
    """The report as plain data: players, standalone values, Shapley, Banzhaf, properties,
    stability and the settlement to ``rule`` from ``status_quo``."""
    try:
        normalized: Optional[List[float]] = list(game.banzhaf(normalized=True))
    except UndefinedSolution:
        normalized = None
    def optional(method: str) -> Optional[Allocation]:
        try:
            value: Allocation = getattr(game, method)()
            return value
        except GameError:
            return None

    def listed(a: Optional[Allocation]) -> Optional[List[float]]:
        return None if a is None else list(a)

    phi = game.shapley()
    known = {"shapley": phi, "nucleolus": optional("nucleolus"), "tau": optional("tau_value")}
    stability: Dict[str, Optional[float]] = {"core_is_empty": None, "least_core_epsilon": None, "cost_of_stability": None}
    settled = None
    if game.n >= 2:
        settled = settlement(game, rule, status_quo, top, known)
        stability["core_is_empty"] = game.core_is_empty()
        stability["least_core_epsilon"] = game.least_core().epsilon
        stability["cost_of_stability"] = settled["cost_of_stability"]
    return {
        "metadata": dict(game.metadata),
        "kind": game.kind,
        "players": list(game.players),
        "grand_coalition_value": float(game.values[-1]),
        "standalone": [float(game.values[1 << i]) for i in range(game.n)],
        "shapley": list(phi),
        "banzhaf": list(game.banzhaf()),
        "banzhaf_normalized": normalized,
        "nucleolus": listed(known["nucleolus"]),
        "tau_value": listed(known["tau"]),
        "stability": stability,
        "properties": _properties(game),
        "settlement": settled,
    }


def _fmt(x: Optional[float]) -> str:
    return "-" if x is None else f"{x:,.4f}"


def render(data: dict) -> str:
    """The report as text."""
    meta = data["metadata"]
    lines: List[str] = []
    title = safe(meta.get("name") or f"{data['kind']} game of {len(data['players'])} players")
    lines += [title, "=" * len(title)]
    if meta.get("description"):
        lines += textwrap.wrap(safe(meta["description"]), 92)
    if meta.get("source"):
        lines.append(f"Source: {safe(meta['source'])}")
    noun = "cost" if data["kind"] == "cost" else "value"
    lines.append("")
    lines.append(f"Players: {len(data['players'])}    {noun} of the grand coalition v(N) = {_fmt(data['grand_coalition_value'])}")
    surplus = data["grand_coalition_value"] - sum(data["standalone"])
    label = "saving from cooperation" if data["kind"] == "cost" else "surplus from cooperation"
    lines.append(f"{label}: v(N) - sum v({{i}}) = {_fmt(-surplus if data['kind'] == 'cost' else surplus)}")
    lines.append("")
    width = max(len("player"), *(len(safe(p)) for p in data["players"]))
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
        lines.append(f"{safe(p):<{width}}  " + "  ".join(f"{_fmt(x):>15}" for x in row))
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
    if data.get("settlement"):
        lines += [""] + _render_settlement(data["settlement"], data["players"], width)
    return "\n".join(lines)


def _render_settlement(st: dict, players: List[str], width: int) -> List[str]:
    cost = st["kind"] == "cost"
    title = f"Settlement: to the {safe(st['target']['label'])} from {'the given status quo' if st['status_quo_source'] == 'given' else 'standalone values'}"
    lines = [title, "-" * len(title)]
    if st.get("note"):
        lines.append(f"Note: {safe(st['note'])}")
    sign = "(+ pays more)" if cost else "(+ receives)"
    lines.append(f"{'player':<{width}}  {'status quo':>15}  {'target':>15}  {'net transfer':>15}  {sign}")
    for p in players:
        row = [st["status_quo"][p], st["target"]["shares"][p], st["net_transfers"][p]]
        lines.append(f"{safe(p):<{width}}  " + "  ".join(f"{_fmt(x):>15}" for x in row))
    if abs(st["gap"]) > 0 and any("(outside)" in (q["payer"], q["payee"]) for q in st["payments"]):
        more = st["gap"] > 0
        what = ("the outside must add" if more != cost else "left over for the outside")
        lines.append(f"The target and the status quo differ in total by {_fmt(st['gap'])}: {what} {_fmt(abs(st['gap']))}.")
    lines.append("")
    if st["payments"]:
        lines.append(f"Payments ({len(st['payments'])}):")
        lines += [f"  {safe(q['payer'])} pays {safe(q['payee'])} {_fmt(q['amount'])}" for q in st["payments"]]
    else:
        lines.append("Payments: none needed.")
    lines.append("")
    verdict = "in the core" if st["in_core"] else "NOT in the core"
    rational = "yes" if st["individually_rational"] else "no: worse than alone for " + ", ".join(map(safe, st["below_standalone"]))
    lines.append(f"Target {verdict}; individually rational: {rational}; cost of stability {_fmt(st['cost_of_stability'])}")
    if st["blocking"]:
        gain = "saving" if cost else "gain"
        lines.append(f"Coalitions closest to walking away (excess = what they would {gain} by leaving):")
        for b in st["blocking"]:
            lines.append(f"  {safe(coalition_label(players, b['members']))}: worth {_fmt(b['worth'])}, allocated {_fmt(b['allocated'])}, excess {_fmt(b['excess'])}")
    return lines


def _report(game: Game, args: argparse.Namespace, status_quo: Optional[Dict[str, float]]) -> None:
    data = summary(game, args.rule, status_quo, args.top)
    print(json.dumps(data, indent=2, ensure_ascii=True) if args.json else render(data))


def _whole(text: str) -> int:
    """A whole number >= 0 for ``--top`` (argparse reports anything else as a usage error)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {shown(text)}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be at least 0, got {value}")
    return min(value, sys.maxsize)


def _error(exc: BaseException) -> int:
    """Prints one line for a failure and returns the exit status 2."""
    print(f"coalitional: error: {safe(exc)}", file=sys.stderr)
    return 2


def _add_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--status-quo",
        metavar="FILE",
        help='what each player gets today: JSON {"name": value, ...} (default: standalone values)',
    )
    parser.add_argument("--rule", choices=RULES, help="the fair split to settle to (default: nucleolus)")
    parser.add_argument("--top", type=_whole, default=5, help="coalitions listed in the stability report (default 5)")


def main(argv: Optional[List[str]] = None) -> int:
    """Entry point of the ``coalitional`` command: 0 on success, 1 when ``check`` finds a
    failing case, 2 on an error (one line on stderr), 130 on Ctrl-C."""
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("coalitional: interrupted", file=sys.stderr)
        return 130


def _main(argv: Optional[List[str]]) -> int:
    parser = argparse.ArgumentParser(
        prog="coalitional",
        description="Fair benefit sharing in cooperative games: Shapley, nucleolus, tau and Banzhaf values, core and cost of stability.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report", help="print the benefit-sharing report of a game in a JSON file")
    rep.add_argument("game", help="path to a game in coalitional's JSON format")
    _add_options(rep)
    chk = sub.add_parser("check", help="check regression cases (games with expected results) from a JSON file")
    chk.add_argument("cases", help='a cases file: {"format": "coalitional.cases", "version": 1, "cases": [...]}')
    chk.add_argument("--json", action="store_true", help="print the results as JSON")
    demo = sub.add_parser(
        "demo", help="the report for the bundled nine-city G60 corridor (illustrative), with its status quo"
    )
    _add_options(demo)
    args = parser.parse_args(argv)
    if args.command == "check":
        from . import _check

        try:
            results = _check.check_file(args.cases)
        except (GameError, OSError) as exc:
            return _error(exc)
        except UnicodeDecodeError as exc:
            return _error(FormatError(f"{args.cases} is not UTF-8 text: byte {exc.start} is invalid"))
        except RecursionError:
            return _error(FormatError(f"invalid JSON in {args.cases}: nested too deeply"))
        print(json.dumps(results, indent=2, ensure_ascii=True) if args.json else _check.render(_escaped(results)))
        return 0 if all(r["passed"] for r in results) else 1
    try:
        status_quo = load_status_quo(args.status_quo) if args.status_quo else None
        if args.command == "demo":
            from . import example, example_status_quo

            game = example("g60_corridor")
            if status_quo is None:
                status_quo = example_status_quo("g60_corridor")
        else:
            game = Game.load(args.game)
        _report(game, args, status_quo)
    except (GameError, OSError) as exc:
        if isinstance(exc, BrokenPipeError):  # e.g. `coalitional demo | head`
            return 0
        return _error(exc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
