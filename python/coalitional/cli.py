"""The ``coalitional`` command line: ``coalitional report GAME.json``, ``coalitional demo`` and
``coalitional check``.

The report is computed section by section (:mod:`._report`): a section out of reach for the
game's size, or one that fails, says so in one line and the rest is printed. It is written as
text (``--format text``, columns aligned by display width, so Chinese names line up), JSON
(``--format json`` or ``--json``: full floats, text kept as UTF-8 unless the output cannot
encode it), Markdown, HTML, LaTeX or Excel, to stdout or ``--out PATH``. Numbers shown to
people go through Rust's one rounding rule (``_native.shown_numbers``).

Everything it prints from the input (player names, metadata, messages that quote them) goes
through :func:`safe`, so a name cannot move the cursor or clear the screen; JSON output escapes
the same characters. A library error prints one line ``coalitional: error: ...`` and exits with
status 2 (as argparse does for bad arguments; ``check`` exits 1 when a case fails); Ctrl-C
prints ``coalitional: interrupted`` and exits with status 130, without a traceback.
"""

from __future__ import annotations

import argparse
import html
import json
import math
import sys
import textwrap
import unicodedata
from typing import Any, Dict, List, Optional, Sequence, Tuple

from . import _coalitional as _native
from ._coalitional import FormatError, GameError, __version__
from ._convert import MAX_SEED, a_type, read_json_file, real_number, shown, tag
from ._export import Table, join_latex, markdown_escape, write_excel
from ._game import Game
from ._report import DENSE_PLAYERS, SAMPLE_ROUNDS, settlement, summary
from ._settle import coalition_label

__all__ = ["main", "summary", "settlement", "render", "render_markdown", "render_html", "render_latex",
           "to_json", "load_status_quo", "safe", "display_width"]


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
    """``data`` (plain JSON-like values) with every string (keys too) passed through :func:`safe`."""
    if isinstance(data, str):
        return safe(data)
    if isinstance(data, dict):
        return {safe(k) if isinstance(k, str) else k: _escaped(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_escaped(v) for v in data]
    return data


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


# -- renderings: one list of blocks, written as text, Markdown, HTML, LaTeX or Excel ------------

Block = Tuple[str, Any]  # ("title" | "heading" | "text" | "list", str or [str]) or ("table", Table)


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: East Asian wide and fullwidth characters (e.g.
    Chinese) count 2, combining marks 0, everything else 1."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` display columns (``right``: aligned right)."""
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def _columns(rows: Sequence[Sequence[str]], rights: Sequence[bool]) -> List[str]:
    """Rows of cells as aligned lines (by display width), two spaces between columns."""
    widths = [max(display_width(r[j]) for r in rows) for j in range(len(rights))]
    return ["  ".join(_pad(c, w, r) for c, w, r in zip(row, widths, rights)).rstrip() for row in rows]


def _num(x: Optional[float], scale: float) -> str:
    """A number as people see it (Rust's one rounding rule at ``scale``), "-" for none."""
    return "-" if x is None else str(_native.shown_numbers([float(x)], scale)[0])


def _scale(data: Dict[str, Any]) -> float:
    """The magnitude of the game's numbers: the largest of |v(N)| and the |v({i})|."""
    xs = [data["grand_coalition_value"] or 0.0, *(data["standalone"] or [])]
    return max(abs(float(x)) for x in xs)


_COLUMNS = [("standalone", "standalone"), ("shapley", "Shapley"), ("nucleolus", "nucleolus"),
            ("tau_value", "tau value"), ("banzhaf", "Banzhaf"), ("banzhaf_normalized", "Banzhaf (norm.)")]
_STATUS = {"skipped": "skipped", "failed": "FAILED", "undefined": "undefined"}
_SECTION_NAMES = {
    "values": "coalition values", "shapley": "Shapley value", "banzhaf": "Banzhaf value",
    "banzhaf_normalized": "normalised Banzhaf value", "nucleolus": "nucleolus", "tau_value": "tau value",
    "core": "core", "least_core": "least core", "cost_of_stability": "cost of stability",
    "core_vertices": "core vertices", "properties": "properties", "settlement": "settlement",
}


def _values_table(data: Dict[str, Any], scale: float) -> Optional[Table]:
    """Players by the solution columns that were computed, with a total row."""
    players = data["players"]
    cols = [(key, head) for key, head in _COLUMNS if data.get(key) is not None]
    half = data["sections"].get("shapley", {}).get("half_widths")
    if not cols:
        return None
    heads = [head for _, head in cols]
    rows = [[float(data[key][k]) for key, _ in cols] for k in range(len(players))]
    if half is not None:
        at = [key for key, _ in cols].index("shapley") + 1
        heads.insert(at, "Shapley ±")
        for row, h in zip(rows, half):
            row.insert(at, float(h))
    totals = [sum(col) for col in zip(*rows)] if rows else []
    if half is not None:
        totals[heads.index("Shapley ±")] = max(half) if half else 0.0  # the widest interval, not a sum
    return Table("Values by player", "player", [*players, "total"], heads, [*rows, totals], scale=scale)


def _notes(sections: Dict[str, Dict[str, Any]]) -> List[str]:
    """One line per method other than the usual exact one, and one per reason for sections not
    done (the sections that share it named together)."""
    notes: List[str] = []
    missing: Dict[Tuple[str, str], List[str]] = {}
    for name, info in sections.items():
        label = _SECTION_NAMES.get(name, name)
        if info["status"] != "done":
            missing.setdefault((info["status"], str(info["reason"])), []).append(label)
        elif name in _VALUE_SECTIONS and info.get("method") and info["method"] not in _USUAL_METHODS:
            notes.append(f"{label}: {info['method']}")
    for (status, reason), labels in missing.items():
        notes.append(f"{', '.join(labels)}: {_STATUS[status]}: {reason}")
    return notes


_VALUE_SECTIONS = ("shapley", "banzhaf", "nucleolus")
_USUAL_METHODS = ("exact, from the 2^n values", "exact (linear programs, checked by Kohlberg's criterion)")


def _blocks(data: Dict[str, Any]) -> List[Block]:
    """The report (plain data from :func:`summary`, strings already made safe) as blocks."""
    meta, kind, players = data["metadata"], data["kind"], data["players"]
    cost = kind == "cost"
    scale = _scale(data)
    blocks: List[Block] = [("title", meta.get("name") or f"{kind} game of {len(players)} players")]
    if meta.get("description"):
        blocks.append(("text", meta["description"]))
    if meta.get("source"):
        blocks.append(("text", f"Source: {meta['source']}"))
    grand = data["grand_coalition_value"]
    head = f"Players: {len(players)}    {'cost' if cost else 'value'} of the grand coalition v(N) = {_num(grand, scale)}"
    if grand is not None and data["standalone"] is not None:
        surplus = grand - sum(data["standalone"])
        label = "saving from cooperation" if cost else "surplus from cooperation"
        head += f"\n{label}: v(N) - sum v({{i}}) = {_num(-surplus if cost else surplus, scale)}"
    blocks.append(("text", head))
    table = _values_table(data, scale)
    if table is not None:
        blocks.append(("table", table))
    notes = _notes(data["sections"])
    st = data["stability"]
    lines = []
    if st["core_is_empty"] is not None:
        lines.append("Core: " + ("EMPTY: some group always does better on its own" if st["core_is_empty"]
                                 else "nonempty: a stable split exists"))
    if st["least_core_epsilon"] is not None or st["cost_of_stability"] is not None:
        lines.append(f"Least core epsilon: {_num(st['least_core_epsilon'], scale)}    cost of stability "
                     f"(least outside subsidy): {_num(st['cost_of_stability'], scale)}")
    shown_props = {True: "yes", False: "no", None: "not checked"}
    names = {"superadditive": "subadditive (cost)" if cost else "superadditive",
             "convex": "concave (cost)" if cost else "convex", "monotone": "monotone", "essential": "essential"}
    lines.append("Properties: " + ", ".join(f"{names[k]}: {shown_props[v]}" for k, v in data["properties"].items()))
    blocks.append(("heading", "Stability"))
    blocks.append(("text", "\n".join(lines)))
    vertices = data.get("core_vertices")
    if vertices:
        blocks.append(("table", Table(f"Core vertices ({len(vertices)})", "vertex", [str(k + 1) for k in range(len(vertices))],
                                      players, vertices, scale=scale)))
    if data.get("settlement"):
        blocks += _settlement_blocks(data["settlement"], players, scale)
    if notes:
        blocks.append(("heading", "How the sections were computed, and what is missing"))
        blocks.append(("list", notes))
    return blocks


def _settlement_blocks(st: Dict[str, Any], players: List[str], scale: float) -> List[Block]:
    cost = st["kind"] == "cost"
    target = st["target"]["shares"]
    blocks: List[Block] = []
    if st["status_quo"] is None:
        blocks.append(("heading", f"Allocation: the {st['target']['label']} (no status quo given, so no payments)"))
        if st.get("note"):
            blocks.append(("text", f"Note: {st['note']}"))
        blocks.append(("table", Table("Target allocation", "player", players, ["target"],
                                      [[target[p]] for p in players], scale=scale)))
    else:
        blocks.append(("heading", f"Settlement: to the {st['target']['label']} from the given status quo"))
        if st.get("note"):
            blocks.append(("text", f"Note: {st['note']}"))
        sign = "net transfer (+ pays more)" if cost else "net transfer (+ receives)"
        rows = [[st["status_quo"][p], target[p], st["net_transfers"][p]] for p in players]
        blocks.append(("table", Table("From the status quo to the target", "player", players,
                                      ["status quo", "target", sign], rows, scale=scale)))
        if st["gap"] and any("(outside)" in (q["payer"], q["payee"]) for q in st["payments"]):
            what = "the outside must add" if (st["gap"] > 0) != cost else "left over for the outside"
            blocks.append(("text", f"The target and the status quo differ in total by {_num(st['gap'], scale)}: "
                                   f"{what} {_num(abs(st['gap']), scale)}."))
        if st["payments"]:
            blocks.append(("text", f"Payments ({len(st['payments'])}):"))
            blocks.append(("list", [f"{q['payer']} pays {q['payee']} {_num(q['amount'], scale)}" for q in st["payments"]]))
        else:
            blocks.append(("text", "Payments: none needed."))
    rational = "yes" if st["individually_rational"] else "no: worse than alone for " + ", ".join(st["below_standalone"])
    blocks.append(("text", f"Target {'in the core' if st['in_core'] else 'NOT in the core'}; individually rational: "
                           f"{rational}; cost of stability {_num(st['cost_of_stability'], scale)}"))
    if st["blocking"]:
        gain = "saving" if cost else "gain"
        rows = [[b["worth"], b["allocated"], b["excess"]] for b in st["blocking"]]
        blocks.append(("table", Table(f"Coalitions closest to walking away (excess = what they would {gain} by leaving)",
                                      "coalition", [coalition_label(players, b["members"]) for b in st["blocking"]],
                                      ["worth", "allocated", "excess"], rows, scale=scale)))
    return blocks


def render(data: Dict[str, Any]) -> str:
    """The report as text for a terminal (columns aligned by display width)."""
    lines: List[str] = []
    previous = "title"
    for kind, body in _blocks(_escaped(data)):
        if kind not in ("title", "list") and previous != "heading":
            lines.append("")
        if kind == "title":
            lines += [body, "=" * display_width(body)]
        elif kind == "heading":
            lines += [body, "-" * display_width(body)]
        elif kind == "text":
            lines += [w for para in body.split("\n") for w in (textwrap.wrap(para, 92) or [""])]
        elif kind == "list":
            lines += [f"  {item}" for item in body]
        else:
            aligned = _columns([body.header(), *body.shown()], [False] + [True] * len(body.columns))
            rule = "-" * max(display_width(x) for x in aligned)
            lines += [body.title + ":", aligned[0], rule, *aligned[1:]]
        previous = kind
    return "\n".join(lines)


def render_markdown(data: Dict[str, Any]) -> str:
    """The report as Markdown: headings, paragraphs, lists and titled pipe tables."""
    parts: List[str] = []
    for kind, body in _blocks(_escaped(data)):
        if kind == "title":
            parts.append(f"# {markdown_escape(body)}")
        elif kind == "heading":
            parts.append(f"## {markdown_escape(body)}")
        elif kind == "text":
            parts.append("  \n".join(body.split("\n")))
        elif kind == "list":
            parts.append("\n".join(f"- {markdown_escape(item)}" for item in body))
        else:
            parts.append(body.markdown(title=True))
    return "\n\n".join(parts) + "\n"


def render_html(data: Dict[str, Any]) -> str:
    """The report as a standalone HTML page (UTF-8; every text escaped)."""
    e = html.escape
    parts: List[str] = []
    title = "coalitional report"
    for kind, body in _blocks(_escaped(data)):
        if kind == "title":
            title = body
            parts.append(f"<h1>{e(body)}</h1>")
        elif kind == "heading":
            parts.append(f"<h2>{e(body)}</h2>")
        elif kind == "text":
            parts.append("<p>" + "<br>".join(e(x) for x in body.split("\n")) + "</p>")
        elif kind == "list":
            parts.append("<ul>" + "".join(f"<li>{e(x)}</li>" for x in body) + "</ul>")
        else:
            parts.append(body.html())
    return (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{e(title)}</title></head>\n<body>\n"
            + "\n".join(parts) + "\n</body></html>\n")


def render_latex(data: Dict[str, Any]) -> str:
    """The report's tables as LaTeX tabulars (text as ``%`` comments)."""
    parts: List[str] = []
    for kind, body in _blocks(_escaped(data)):
        if kind == "table":
            parts.append(body.latex())
        else:
            text = body if isinstance(body, str) else "\n".join(body)
            parts.append("\n".join("% " + line for line in text.split("\n")))
    return "\n\n".join(parts) + "\n"


def _tables(data: Dict[str, Any]) -> List[Table]:
    return [body for kind, body in _blocks(data) if kind == "table"]


# C1 controls, DEL, line separators and bidi marks are valid raw in JSON strings but unsafe on a
# terminal; json.dumps escapes C0 itself. (These code points occur only inside strings.)
_JSON_ESCAPES = {c: f"\\u{c:04x}" for c in _ESCAPES if c >= 0x7F}


def to_json(data: Dict[str, Any], ascii_only: bool = False) -> str:
    """The report as JSON (full floats): Chinese and other text kept as is, unless
    ``ascii_only``; characters unsafe on a terminal always escaped."""
    return json.dumps(data, indent=2, ensure_ascii=ascii_only).translate(_JSON_ESCAPES)


FORMATS = ("text", "json", "md", "html", "tex", "xlsx")


def _whole_in(minimum: int, maximum: Optional[int] = None, clamp: bool = False) -> Any:
    """An argparse type: a whole number >= ``minimum`` (and <= ``maximum``; with ``clamp`` a
    larger one is taken as ``maximum``); anything else is a usage error (exit status 2)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {shown(text)}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        if maximum is not None and value > maximum:
            if clamp:
                return maximum
            raise argparse.ArgumentTypeError(f"must be at most {maximum}, got {value}")
        return value

    return parse


_whole = _whole_in(0, sys.maxsize, clamp=True)  # --top: more than 2**n - 2 lists them all


def _rule(text: str) -> str:
    """A rule name in any case (``-`` or space for ``_``), parsed by Rust; returns the
    canonical name from ``_native.RULES``."""
    try:
        label = _native.rule_label(text)
    except GameError:
        raise argparse.ArgumentTypeError(f"unknown rule {shown(text)}; choose from {', '.join(_native.RULES)}") from None
    return next((r for r in _native.RULES if _native.rule_label(r) == label), text)


def _error(exc: BaseException) -> int:
    """Prints one line for a failure and returns the exit status 2."""
    print(f"coalitional: error: {safe(exc)}", file=sys.stderr)
    return 2


def _add_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="text (default), json (full floats), md (Markdown), html, tex (LaTeX tables) or "
                             "xlsx (Excel, needs openpyxl and --out)")
    parser.add_argument("--json", dest="format", action="store_const", const="json", help="the same as --format json")
    parser.add_argument("--out", metavar="PATH", help="write the report to PATH (UTF-8) instead of printing it")
    parser.add_argument(
        "--status-quo",
        metavar="FILE",
        help='what each player gets today: JSON {"name": value, ...}; without it the report shows the target '
             "allocation and its stability, no payments",
    )
    parser.add_argument("--rule", type=_rule, metavar="RULE",
                        help=f"the fair split to settle to, any case: {', '.join(_native.RULES)} (default: nucleolus)")
    parser.add_argument("--top", type=_whole, default=5, help="coalitions listed in the stability report (default 5)")
    parser.add_argument("--max-dense", type=_whole_in(0, 36), default=DENSE_PLAYERS, metavar="N",
                        help=f"run the sections that need all 2^n values (nucleolus, core, ...) up to N players "
                             f"(default {DENSE_PLAYERS}, at most 36)")
    parser.add_argument("--seed", type=_whole_in(0, MAX_SEED), default=0,
                        help="seed of the sampling estimates of large games (default 0)")
    parser.add_argument("--samples", type=_whole_in(1), default=SAMPLE_ROUNDS, metavar="ROUNDS",
                        help=f"most rounds of a sampling estimate (default {SAMPLE_ROUNDS})")


def _write(text: str, ascii_fallback: Optional[str] = None) -> None:
    """``text`` on stdout; when stdout cannot encode it, ``ascii_fallback`` (JSON with escapes)
    or the text with backslash escapes for what it cannot encode."""
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        text = ascii_fallback if ascii_fallback is not None else text.encode(encoding, "backslashreplace").decode(encoding)
    print(text)


def _report(game: Game, args: argparse.Namespace, status_quo: Optional[Dict[str, float]]) -> None:
    if status_quo is not None:
        game._vector(status_quo, "status_quo")  # a bad status quo is an error, not a skipped section
    data = summary(game, args.rule, status_quo, args.top, max_dense=args.max_dense, seed=args.seed,
                   samples=args.samples)
    fmt = args.format
    if fmt == "xlsx":
        write_excel(args.out, _tables(_escaped(data)), what="coalitional report --format xlsx")
        return
    renderers = {"text": render, "md": render_markdown, "html": render_html, "tex": render_latex}
    text = to_json(data) if fmt == "json" else renderers[fmt](data)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write(text if text.endswith("\n") else text + "\n")
    else:
        _write(text.rstrip("\n"), to_json(data, ascii_only=True) if fmt == "json" else None)


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
    parser.add_argument("--version", action="version", version=f"coalitional {__version__}")
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
    if args.command != "check" and args.format == "xlsx" and not args.out:
        parser.error("--format xlsx needs --out PATH")
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
    except ImportError as exc:  # --format xlsx without openpyxl
        return _error(exc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
