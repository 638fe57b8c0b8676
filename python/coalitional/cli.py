"""The ``coalitional`` command line: ``coalitional report FILE``, ``coalitional demo`` and
``coalitional check``.

``FILE`` is a game in JSON, or a table of coalition values (``.csv``, ``.xlsx``) read by
:meth:`Game.from_csv` / :meth:`Game.from_excel` (``--kind``, ``--missing``, ``--sheet``; see
:func:`load_game`). The report opens with the rules side by side (``co.compare``) and ends with
an explanation (``explain(lang=...)``); ``--lang zh`` writes its headings, column headers,
fixed phrases and memos in simplified Chinese, from one table of words per language
(:data:`._render._OWN_WORDS`, completed with the plots' ``plot.TEXT`` and the comparison's words;
the renderings are in :mod:`._render`).

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
import json
import math
import os
import sys
from typing import Any, Dict, List, Optional

from . import _coalitional as _native
from ._coalitional import FormatError, GameError, InvalidGame, __version__
from ._convert import MAX_SEED, a_type, read_json_file, real_number, shown, tag
from ._export import display_width, write_excel
from ._game import Game
from ._render import _escaped, _tables, render, render_html, render_latex, render_markdown, safe, to_json
from ._report import DENSE_PLAYERS, SAMPLE_ROUNDS, settlement, summary
from ._words import parse_lang

__all__ = ["main", "summary", "settlement", "render", "render_markdown", "render_html", "render_latex",
           "to_json", "load_status_quo", "load_game", "safe", "display_width"]


_STATUS_QUO_KEYS = ("format", "version", "status_quo", "name", "description", "source")


_SQ_PLAYER_NAMES = ("player", "players", "name", "city", "成员", "城市", "参与者")
_SQ_VALUE_NAMES = ("value", "status quo", "status_quo", "amount", "share", "现状", "数值", "金额")


def _status_quo_table(path: str, encoding: Optional[str] = None) -> Dict[str, Any]:
    """A status quo from a table (.csv, .xlsx): a player column and a value column (found by
    name: player/name/成员/城市 and value/status quo/现状/金额; else the first two columns),
    one row per player. Cells are returned as read (checked by the caller)."""
    from ._tables import read_csv, read_excel

    where = f"status quo file {path}"
    suffix = os.path.splitext(path)[1].lower()
    frame = read_csv(path, encoding) if suffix == ".csv" else read_excel(path, 0)
    columns = list(frame.columns)
    by_norm = {str(c).strip().lower(): c for c in reversed(columns)}
    player = next((by_norm[n] for n in _SQ_PLAYER_NAMES if n in by_norm), None)
    value = next((by_norm[n] for n in _SQ_VALUE_NAMES if n in by_norm), None)
    if player is None or value is None:
        if len(columns) != 2:
            raise tag(FormatError(f"the status quo table {path} needs a player column and a value column "
                                  f"(columns: {', '.join(map(str, columns))})"), "format", name=where)
        player, value = columns
    out: Dict[str, Any] = {}
    for i, (name, x) in enumerate(zip(frame[player], frame[value])):
        name = str(name).strip()
        if name in out:
            raise tag(FormatError(f"the status quo table {path} names {name!r} twice (row {i + 2})"), "format",
                      name=where, player=name)
        if isinstance(x, str):
            try:
                x = float(x.strip())
            except ValueError:
                raise tag(FormatError(f"the status quo of {name!r} in {path} (row {i + 2}) is {x!r}, not a number"),
                          "format", name=where, player=name) from None
        out[name] = x
    return out


def load_status_quo(path: str, encoding: Optional[str] = None) -> Dict[str, float]:
    """A status quo from JSON (UTF-8): ``{"name": value, ...}``, or a document with a
    ``"status_quo"`` field holding that mapping (``"format": "coalitional.status_quo"``,
    ``"version": 1``; ``name``, ``description`` and ``source`` allowed); or from a table
    (``.csv``, ``.xlsx``, ``.xlsm``) with a player column and a value column (``encoding``: of
    a CSV file, default UTF-8 then GB18030). Values are finite numbers; anything else is a
    ``FormatError`` naming the file and the field or player."""
    if os.path.splitext(path)[1].lower() in (".csv", ".xlsx", ".xlsm"):
        doc: Any = _status_quo_table(path, encoding)
    else:
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


def _lang(text: str) -> str:
    """``--lang``: en or zh in any case (parsed by the library's one rule)."""
    try:
        return parse_lang(text)
    except GameError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


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
        help='what each player gets today: JSON {"name": value, ...}, or a CSV/XLSX table with a player column '
             "and a value column; without it the report shows the target allocation and its stability, no payments",
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
    parser.add_argument("--lang", type=_lang, default="en", metavar="{en,zh}",
                        help="language of the headings, column headers and explanation: en (default) or zh "
                             "(simplified Chinese); JSON keys stay English")


TABLE_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".xls")


def _add_table_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kind", choices=("value", "cost"),
                        help="for a table: read the numbers as values or costs (default: cost when the value "
                             "column is named cost, c or 成本, else value)")
    parser.add_argument("--missing", choices=("error", "additive"),
                        help="for a table: a coalition absent from it is an error (default), or worth the sum of "
                             "its members' standalone values (additive)")
    parser.add_argument("--encoding", metavar="ENCODING",
                        help="for a CSV file (the game and a CSV status quo): its text encoding (default: UTF-8, "
                             "else GB18030/GBK as Chinese Excel writes, with a note)")
    parser.add_argument("--sheet", metavar="SHEET",
                        help="for an Excel file: the sheet's name, or its position counting from 0 (default: the "
                             "first sheet)")


def _sheet(path: str, sheet: Optional[str]) -> Any:
    """The sheet to read: a sheet of that name, else a whole number as a position."""
    if sheet is None:
        return 0
    if sheet.strip().isdigit():
        from ._export import require_excel

        pd = require_excel("coalitional report FILE.xlsx")
        try:
            with pd.ExcelFile(path, engine="openpyxl") as book:
                names = book.sheet_names
        except (OSError, ImportError):
            raise
        except Exception:  # unreadable: Game.from_excel says why
            names = []
        if sheet not in names:
            return int(sheet)
    return sheet


def load_game(path: str, kind: Optional[str] = None, missing: Optional[str] = None,
              sheet: Optional[str] = None, encoding: Optional[str] = None) -> Game:
    """The game in ``path``: a table (``.csv``, ``.xlsx``, ``.xlsm``, ``.xls``; read by
    :meth:`Game.from_csv` / :meth:`Game.from_excel`, with ``kind``, ``missing`` and
    ``sheet``) or a game in JSON (any other name; the table options are then an error).
    A table that cannot be read, or that lacks coalitions, is a typed error whose one-line
    message names the file and says what to do."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in TABLE_SUFFIXES:
        given = [f"--{name}" for name, value in (("kind", kind), ("missing", missing), ("sheet", sheet),
                                                 ("encoding", encoding)) if value is not None]
        if given:
            raise tag(FormatError(f"{', '.join(given)} applies to tables ({', '.join(TABLE_SUFFIXES)}); {path} is "
                                  "read as a game in JSON"), "format", name=path)
        return Game.load(path)
    if sheet is not None and suffix == ".csv":
        raise tag(FormatError(f"--sheet applies to Excel files; {path} is a CSV file"), "format", name=path)
    if encoding is not None and suffix != ".csv":
        raise tag(FormatError(f"--encoding applies to CSV files; {path} is an Excel file"), "format", name=path)
    options: Dict[str, Any] = {"kind": kind, "missing": missing or "error"}
    try:
        if suffix == ".csv":
            game = Game.from_csv(path, encoding=encoding or "utf-8-sig", **options)
        else:
            game = Game.from_excel(path, _sheet(path, sheet), **options)
    except InvalidGame as exc:
        if getattr(exc, "code", None) != "missing_coalition":
            raise tag(type(exc)(f"{path}: {exc}"), str(getattr(exc, "code", "invalid_game")),
                      **{k: v for k, v in vars(exc).items() if k != "code"}) from None
        raise _missing_in(path, exc, missing == "additive") from None
    except (GameError, OSError, ImportError):
        raise
    except Exception as exc:  # pandas, openpyxl and zipfile errors of a malformed file
        hint = " (the old .xls format is not read: save the sheet as .xlsx or .csv)" if suffix == ".xls" else ""
        raise tag(FormatError(f"cannot read {path} as a table{hint}: {type(exc).__name__}: {exc}"), "format",
                  name=path) from None
    if not game.metadata.get("source"):
        game.metadata["source"] = os.path.basename(path)
    return game


def _missing_in(path: str, exc: GameError, additive: bool) -> GameError:
    """The error of a table without some coalitions, in the command line's words."""
    listed = list(getattr(exc, "coalitions", []) or [])
    count = int(getattr(exc, "missing", len(listed)))
    shown_labels = ", ".join(listed[:5]) + (f" and {count - 5} more" if count > 5 else "")
    if additive:
        message = (f"{path} lacks the standalone value of {count} players ({shown_labels}); --missing additive "
                   "needs every v({i})")
    else:
        message = (f"{path} gives no value for {count} of {getattr(exc, 'total', '?')} coalitions ({shown_labels}); "
                   "add them, or pass --missing additive to value each at the sum of its members' standalone values")
    return tag(InvalidGame(message), "missing_coalition",
               **{k: v for k, v in vars(exc).items() if k != "code"})


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
                   samples=args.samples, lang=args.lang)
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
    rep = sub.add_parser("report", help="print the benefit-sharing report of a game in a JSON, CSV or Excel file")
    rep.add_argument("game", help="path to a game: coalitional's JSON format, or a table of coalition values "
                                  "(.csv, .xlsx) as Game.to_csv writes it or in long form (coalition, value)")
    _add_options(rep)
    _add_table_options(rep)
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
        encoding = getattr(args, "encoding", None)
        status_quo = load_status_quo(args.status_quo, encoding) if args.status_quo else None
        if args.command == "demo":
            from . import example, example_status_quo

            game = example("g60_corridor")
            if status_quo is None:
                status_quo = example_status_quo("g60_corridor")
        else:
            game = load_game(args.game, args.kind, args.missing, args.sheet, encoding)
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
