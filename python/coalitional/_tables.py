"""Games from tables (pandas, CSV, Excel) and games written as tables.

The table forms read by :meth:`Game.from_pandas`, :meth:`Game.from_csv` and
:meth:`Game.from_excel`:

- **What** :meth:`Game.to_pandas` **writes** (and :meth:`Game.to_csv`, :meth:`Game.to_excel`):
  one row per coalition, its label (member names joined by ``" + "``) in the index or a
  ``coalition`` column, the columns ``size``, ``mask`` and ``value`` (``cost`` for cost games).
  ``size`` and ``mask`` are not needed; when present and ``players`` is not given, the rows of
  size 1 name the players (verbatim, so a name may contain ``+``) and their masks give the
  player order (so sorting the rows changes nothing). The labels are what count: a ``mask``
  that disagrees with its label is ignored.
- **A long form**: a coalition column and a value column. Coalitions are labels (``"A + B"``;
  spaces around ``+`` optional; between known player names also ``＋``, ``、``, ``,`` or ``；``:
  ``"甲、乙"``) or lists, tuples or sets of names (in a DataFrame). The columns
  are found by name unless given (``coalition=``, ``value=``): ``coalition``, ``coalitions``,
  ``members`` or ``联盟`` (any case), else the index when it holds labels; ``value``, ``worth``,
  ``v``, ``cost``, ``c``, ``价值`` or ``成本``, else the only other column. A Series is read
  with its index as the coalitions.

``kind=None`` (the default) reads a column named ``cost``, ``c`` or ``成本`` as a cost game and
anything else as a value game. The empty coalition may appear (label ``""``, ``"{}"`` or
``"∅"``, or an empty list) with value 0.

Rules (every error is typed; Rust validates the game as it does for
:meth:`Game.from_coalitions`):

- A name that is not a player: ``UnknownPlayer`` (``code="unknown_player"``).
- A coalition given twice with different values: ``InvalidGame`` (``"conflicting_coalition"``);
  twice with the same value is fine. A label naming a player twice: ``"repeated_member"``.
- A value that is not a number: ``InvalidGame`` (``"invalid_parameter"``, with ``name`` the
  column, ``index`` the row position, ``coalition`` the label; from a file, ``row`` is the
  1-based spreadsheet row, the header being row 1, as the message says). An empty cell is not a number
  either. From a DataFrame the numbers follow :mod:`._convert` (strings are refused); from a
  CSV or Excel file, text cells holding a number (``"1.5"``, ``"1e8"``) are read as numbers.
  NaN and infinite values are refused by Rust (``"non_finite"``).
- Coalitions absent from the table: ``InvalidGame`` with ``code="missing_coalition"``,
  ``.missing`` (how many), ``.total`` (2**n - 1), ``.coalitions`` (the first
  :data:`MAX_LISTED` of them as labels ``"A + B"``, in mask order) and ``.coalition`` (the
  first one, as Rust writes it) -- unless ``missing="additive"``: then an absent coalition is
  worth the sum of its members' standalone values v({i}) (added in player order), that is, it
  is assumed to create no synergy beyond its members alone. The singletons must be in the
  table for that (else the same ``"missing_coalition"`` error, listing the absent singletons).

CSV files are read as UTF-8 (a byte-order mark is skipped), else as GB18030 (GBK, what
Chinese Excel writes; with a warning saying so), with every number parsed from its text, so values written by :meth:`Game.to_csv` come back bit for bit; Excel files need
openpyxl (``pip install "coalitional[excel]"``) and are written with the shortest digits that
read back to the same float64.
"""

from __future__ import annotations

import importlib
import io
import math
import os
import re
import warnings
import zipfile
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _coalitional as _core
from ._allocation import _Kind
from ._coalitional import FormatError, GameError, InvalidGame
from ._convert import a_type, kind_name, player_names, real_number, shown, tag
from ._export import require_excel, write_frames

PathLike = Union[str, "os.PathLike[str]"]

#: How many absent coalitions a ``missing_coalition`` error lists in ``.coalitions``.
MAX_LISTED = 50

_COALITION_NAMES = ("coalition", "coalitions", "members", "联盟")
_VALUE_NAMES = ("value", "worth", "v", "价值")
_COST_NAMES = ("cost", "c", "成本")
_EMPTY_LABELS = ("", "{}", "∅")
_MISSING_RULES = ("error", "additive")
#: Separators between member names that a label may use when the names are known players:
#: ``+`` and fullwidth ``＋``, the enumeration comma ``、``, commas and semicolons (ASCII and
#: fullwidth), spaces around them ignored.
_SEPARATORS = re.compile(r"(\s*[+＋、,，;；]\s*)")
_PLUS = re.compile(r"[+＋]")
#: Encodings tried in turn when a CSV file's encoding is not given (``encoding=None``, or the
#: default ``"utf-8-sig"``): UTF-8 (a byte-order mark skipped), then GB18030 (a superset of
#: GBK, what Chinese Excel writes by default).
AUTO_ENCODINGS = ("utf-8-sig", "gb18030")


def _pandas(what: str) -> Any:
    try:
        return importlib.import_module("pandas")
    except ImportError:
        raise ImportError(f'{what} needs pandas: pip install "coalitional[pandas]"', name="pandas") from None


def _norm(name: Any) -> str:
    return str(name).strip().lower()


def _is_empty(x: Any) -> bool:
    """An empty cell: None, NaN (pandas' missing value) or blank text."""
    if x is None or (isinstance(x, str) and not x.strip()):
        return True
    if isinstance(x, (float, np.floating)):
        return bool(math.isnan(x))
    return x is getattr(importlib.import_module("pandas"), "NA", None) or x is getattr(
        importlib.import_module("pandas"), "NaT", None
    )


def _where(row: int, from_text: bool) -> str:
    """A row as people find it: in a file, the 1-based spreadsheet row (the header is row 1);
    in a DataFrame, the 0-based row position."""
    return f"row {row + 2}" if from_text else f"row position {row}"


def _number(x: Any, from_text: bool, column: str, row: int, label: str) -> float:
    """A value cell as a float, or ``InvalidGame`` naming the column, the row and the coalition
    (``index``: the 0-based row position; from a file also ``row``, the spreadsheet row)."""

    def refuse(why: str) -> GameError:
        fields: Dict[str, Any] = {"name": column, "index": row, "coalition": label}
        if from_text:
            fields["row"] = row + 2
        return tag(
            InvalidGame(f"the {column} of coalition {label} ({_where(row, from_text)}) is {why}; it must be a number"),
            "invalid_parameter",
            **fields,
        )

    if _is_empty(x):
        raise refuse("empty")
    if from_text and isinstance(x, str):
        try:
            return float(x.strip())
        except ValueError:
            raise refuse(f"{shown(x)}, text that is not a number") from None
    try:
        return real_number(x, column)
    except InvalidGame:
        raise refuse(f"{shown(x)} ({a_type(x)})") from None


def _split(label: str, known: Optional[set], size: Optional[int] = None) -> List[str]:
    """The members named by a label. With known names: the label split at separators (``+``,
    ``＋``, ``、``, ``,``, ``，``, ``;``, ``；``; a name may itself contain them, longest names
    first; with a ``size`` column the grouping must have that many names). Otherwise names
    joined by ``+`` or ``＋`` with spaces around them ignored."""
    if known is not None:
        # " + " exactly first (what to_pandas writes; names may have spaces at their ends),
        # then any separator with spaces around it ignored.
        tokens = label.split(" + ")
        parts = _known_parts(tokens, [" + "] * (len(tokens) - 1), known, size)
        if parts is None:
            pieces = _SEPARATORS.split(label.strip())
            parts = _known_parts(pieces[0::2], pieces[1::2], known, size)
        if parts is not None:
            return parts
    if label.strip() in _EMPTY_LABELS and size in (None, 0):
        return []
    return [p.strip() for p in _PLUS.split(label)]


def _known_parts(tokens: List[str], seps: List[str], known: set, size: Optional[int]) -> Optional[List[str]]:
    """A label split into ``tokens`` at ``seps``, regrouped into known names (each name as
    written, separators inside it kept), longest names first, into ``size`` names when given;
    None when no grouping works. Memoised on (position, names left): quadratic."""
    memo: Dict[Tuple[int, Optional[int]], Optional[List[str]]] = {}

    def group(i: int, left: Optional[int]) -> Optional[List[str]]:
        if i == len(tokens):
            return [] if left in (None, 0) else None
        if left == 0:
            return None
        key = (i, left)
        if key not in memo:
            memo[key] = None
            for k in range(len(tokens), i, -1):
                name = "".join(t + (seps[j] if j < k - 1 else "") for j, t in enumerate(tokens[i:k], start=i))
                if name in known:
                    rest = group(k, None if left is None else left - 1)
                    if rest is not None:
                        memo[key] = [name, *rest]
                        break
        return memo[key]

    return group(0, size)


def _candidate_names(cells: List[Any]) -> Optional[set]:
    """The player names a long table (without ``size`` column) shows by itself: the labels
    without ``+``, less those that split at separators into two or more other such labels
    (``甲、乙`` next to rows ``甲`` and ``乙`` is their coalition). None when there are none."""
    labels = {c.strip() for c in cells if isinstance(c, str) and c.strip() and not _PLUS.search(c)}
    labels -= set(_EMPTY_LABELS)
    names = set(labels)
    for c in labels:
        parts = [p.strip() for p in _SEPARATORS.split(c)[0::2]]
        if len(parts) >= 2 and all(p in labels and p != c for p in parts):
            names.discard(c)
    return names or None


def _members(
    cell: Any, known: Optional[set], column: str, row: int, size: Optional[int] = None, from_text: bool = False
) -> List[str]:
    """The member names of a coalition cell (a label, or a list, tuple or set of names)."""
    if isinstance(cell, str):
        return _split(cell, known, size)
    if isinstance(cell, tuple):  # also a row of a MultiIndex: padding cells are empty
        cell = [x for x in cell if not _is_empty(x)]
    if isinstance(cell, (list, tuple, set, frozenset, np.ndarray)):
        return player_names(cell, f"the coalition in {_where(row, from_text)}", ordered=False)
    raise tag(
        InvalidGame(
            f"the {column} in {_where(row, from_text)} is {shown(cell)} ({a_type(cell)}); a coalition is a label "
            '("A + B") or a list of names'
        ),
        "invalid_parameter",
        name=column,
        index=row,
    )


def _label(cell: Any, members: List[str]) -> str:
    return cell if isinstance(cell, str) else " + ".join(members)


class _Columns:
    """Where the coalitions, values, sizes and masks of a table are."""

    def __init__(self, table: Any, coalition: Optional[str], value: Optional[str], pd: Any) -> None:
        if isinstance(table, pd.Series):
            self.coalitions = list(table.index)
            self.coalition_name = str(table.index.name or "coalition")
            self.values = list(table.array)
            self.value_name = str(table.name) if table.name is not None else "value"
            self.sizes: Optional[list] = None
            self.masks: Optional[list] = None
            return
        if not isinstance(table, pd.DataFrame):
            raise tag(
                InvalidGame(f"a game table must be a pandas DataFrame or Series, not {a_type(table)}"),
                "invalid_parameter",
                name="table",
            )
        columns = list(table.columns)
        by_norm: Dict[str, Any] = {}
        for c in columns:
            by_norm.setdefault(_norm(c), c)
        index_name = table.index.name
        # The coalitions: a named column, the index by name, or the index when it holds labels.
        if coalition is not None:
            if coalition in columns:
                self.coalitions = list(table[coalition])
            elif index_name is not None and str(index_name) == str(coalition):
                self.coalitions = list(table.index)
            else:
                raise self._no_column("coalition", coalition, columns)
            self.coalition_name = str(coalition)
            used = {coalition}
        else:
            found = next((by_norm[n] for n in _COALITION_NAMES if n in by_norm), None)
            if found is not None:
                self.coalitions, self.coalition_name, used = list(table[found]), str(found), {found}
            elif (index_name is not None and _norm(index_name) in _COALITION_NAMES) or not isinstance(
                table.index, pd.RangeIndex
            ):
                self.coalitions, self.coalition_name, used = list(table.index), str(index_name or "index"), set()
            else:
                raise tag(
                    InvalidGame(
                        f"no coalition column in the table (columns: {', '.join(map(str, columns))}); "
                        "name it 'coalition' or pass coalition="
                    ),
                    "invalid_parameter",
                    name="coalition",
                )
        # Sizes and masks (to_pandas' columns), only to find the players and their order.
        self.sizes = list(table[by_norm["size"]]) if "size" in by_norm else None
        self.masks = list(table[by_norm["mask"]]) if "mask" in by_norm else None
        # The values: a named column, or the one column left.
        if value is not None:
            if value not in columns:
                raise self._no_column("value", value, columns)
            found_value: Any = value
        else:
            found_value = next((by_norm[n] for n in _VALUE_NAMES + _COST_NAMES if n in by_norm), None)
            if found_value is None:
                rest = [c for c in columns if c not in used and _norm(c) not in ("size", "mask")]
                if len(rest) != 1:
                    raise tag(
                        InvalidGame(
                            f"cannot tell which column holds the values (columns: {', '.join(map(str, columns))}); "
                            "name it 'value' (or 'cost') or pass value="
                        ),
                        "invalid_parameter",
                        name="value",
                    )
                found_value = rest[0]
        self.values = list(table[found_value])
        self.value_name = str(found_value)

    @staticmethod
    def _no_column(what: str, given: Any, columns: list) -> GameError:
        return tag(
            InvalidGame(f"{what}={given!r} is not a column of the table (columns: {', '.join(map(str, columns))})"),
            "invalid_parameter",
            name=what,
        )


def _whole(x: Any) -> Optional[int]:
    """A size or mask cell as an int (text allowed), or None."""
    try:
        f = float(x.strip()) if isinstance(x, str) else float(x)
    except (TypeError, ValueError):
        return None
    return int(f) if math.isfinite(f) and f.is_integer() and f >= 0 else None


def _size(cols: _Columns, row: int) -> Optional[int]:
    """The ``size`` cell of a row (to_pandas' column), when there is one and it is a count."""
    return None if cols.sizes is None else _whole(cols.sizes[row])


def _infer_players(cols: _Columns) -> Tuple[List[str], Optional[set]]:
    """Players in order, and the set of names known before reading the labels (singletons)."""
    singles: List[Tuple[Optional[int], str]] = []
    if cols.sizes is not None:
        for i, (cell, size) in enumerate(zip(cols.coalitions, cols.sizes)):
            if isinstance(cell, str) and _whole(size) == 1:
                mask = _whole(cols.masks[i]) if cols.masks is not None else None
                singles.append((mask, cell))
    known = {name for _, name in singles} or None
    if cols.sizes is None:
        known = _candidate_names(cols.coalitions)
    order: Dict[str, None] = {}
    masks = [m for m, _ in singles]
    if singles and sorted(m if m is not None else -1 for m in masks) == [1 << k for k in range(len(singles))]:
        for _, name in sorted(singles, key=lambda s: s[0] or 0):
            order[name] = None
    else:
        for _, name in singles:
            order[name] = None
    for row, cell in enumerate(cols.coalitions):
        try:
            members = _members(cell, known, cols.coalition_name, row, _size(cols, row))
        except InvalidGame:
            continue  # named again, with its row, when the entries are read
        for name in members:
            if isinstance(name, str):
                order.setdefault(name, None)
    return list(order), known


def _missing_error(names: List[str], masks: np.ndarray, total: int, first: Optional[str], note: str) -> GameError:
    labels = [" + ".join(p for i, p in enumerate(names) if int(m) >> i & 1) for m in masks[:MAX_LISTED]]
    shown_labels = ", ".join(labels[:5]) + (f" and {len(masks) - 5} more" if len(masks) > 5 else "")
    return tag(
        InvalidGame(f"the table gives no value for {len(masks)} of {total} coalitions ({shown_labels}); {note}"),
        "missing_coalition",
        coalitions=labels,
        missing=int(len(masks)),
        total=total,
        coalition=first if first is not None else "{" + labels[0].replace(" + ", ", ") + "}",
    )


def game_from_table(
    table: Any,
    players: Optional[Sequence[str]] = None,
    *,
    kind: Optional[_Kind] = None,
    missing: Optional[str] = "error",
    coalition: Optional[str] = None,
    value: Optional[str] = None,
    from_text: bool = False,
) -> Any:
    """The native game of a table (see the module docstring)."""
    pd = _pandas("reading a game table")
    rule = "error" if missing is None else missing
    if not isinstance(rule, str) or rule not in _MISSING_RULES:
        raise tag(InvalidGame(f'missing must be "error" or "additive", not {shown(missing)}'), "invalid_parameter",
                  name="missing")
    cols = _Columns(table, coalition, value, pd)
    if kind is None:
        kind = "cost" if _norm(cols.value_name) in _COST_NAMES else "value"
    kind_text = kind_name(kind)
    if players is not None:
        names = player_names(players)
        known: Optional[set] = set(names)
    else:
        names, known = _infer_players(cols)
        known = set(names) if names else known
    entries: List[Tuple[List[str], float]] = []
    for row, (cell, number) in enumerate(zip(cols.coalitions, cols.values)):
        members = _members(cell, known, cols.coalition_name, row, _size(cols, row), from_text)
        entries.append((members, _number(number, from_text, cols.value_name, row, _label(cell, members))))
    try:
        return _core.GameCore.from_coalitions(names, entries, kind_text)
    except InvalidGame as err:
        if getattr(err, "code", None) != "missing_coalition":
            raise
        first = getattr(err, "coalition", None)
    # Every name is a player and no coalition conflicts (Rust checked): list what is absent.
    n = len(names)
    index = {p: i for i, p in enumerate(names)}
    given = np.zeros(1 << n, dtype=bool)
    given[0] = True
    for members, _ in entries:
        given[sum(1 << index[p] for p in members)] = True
    absent = np.flatnonzero(~given)
    total = (1 << n) - 1
    if rule == "error":
        raise _missing_error(names, absent, total, first,
                             'give them, or pass missing="additive" to value each at the sum of its members\' '
                             "standalone values") from None
    singles = np.array([1 << i for i in range(n)], dtype=np.int64)
    lacking = singles[~given[singles]]
    if len(lacking):
        raise _missing_error(names, lacking, total, None,
                             'missing="additive" needs every standalone value v({i})') from None
    standalone = {p: v for members, v in entries if len(members) == 1 for p in members}
    filled = np.zeros(len(absent), dtype=np.float64)
    for i, p in enumerate(names):  # the sum in player order, as documented
        filled = filled + np.where((absent >> i) & 1 == 1, standalone[p], 0.0)
    entries += [([p for i, p in enumerate(names) if int(m) >> i & 1], float(x)) for m, x in zip(absent, filled)]
    return _core.GameCore.from_coalitions(names, entries, kind_text)


def _unreadable(path: PathLike, why: str) -> GameError:
    return tag(FormatError(f"cannot read {os.fspath(path)}: {why}"), "format", name=os.fspath(path))


def read_csv(path: PathLike, encoding: Optional[str] = None) -> Any:
    """A CSV file as a DataFrame of text cells (numbers parsed later, exactly). ``encoding``
    None or ``"utf-8-sig"`` (the default of :meth:`Game.from_csv`) tries UTF-8, then GB18030
    (GBK, what Chinese Excel writes), warning when the file was read as GB18030; text that no
    encoding decodes is a ``FormatError`` (code ``format``, ``name`` the path)."""
    pd = _pandas("Game.from_csv")
    with open(os.fspath(path), "rb") as fh:
        data = fh.read()
    tried = AUTO_ENCODINGS if encoding is None or _norm(encoding).replace("_", "-") == "utf-8-sig" else (encoding,)
    text: Optional[str] = None
    for enc in tried:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        except LookupError:
            raise tag(InvalidGame(f"unknown encoding {encoding!r}"), "invalid_parameter", name="encoding") from None
        if enc != tried[0]:
            warnings.warn(
                f"{os.fspath(path)} is not UTF-8; read it as {enc.upper()} (Chinese Excel's default). "
                'Save it as "CSV UTF-8" or pass encoding= to silence this.',
                UserWarning,
                stacklevel=3,
            )
        break
    if text is None:
        raise _unreadable(path, f"the text is not {' or '.join(e.upper() for e in tried)}; pass encoding=")
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError:
        raise _unreadable(path, "the file is empty (a header row and one row per coalition are needed)") from None
    except pd.errors.ParserError as exc:
        raise _unreadable(path, f"not a CSV table ({exc})") from None


def read_excel(path: PathLike, sheet: Union[int, str]) -> Any:
    """One sheet of an .xlsx file as a DataFrame of cell values (needs openpyxl). A file that
    is not an .xlsx workbook is a ``FormatError`` (code ``format``, ``name`` the path)."""
    pd = require_excel("Game.from_excel")
    file = os.fspath(path)
    if os.path.isfile(file) and not zipfile.is_zipfile(file):
        raise _unreadable(path, "not an .xlsx workbook (for a CSV file use Game.from_csv)")
    try:
        return pd.read_excel(file, sheet_name=sheet, dtype=object, engine="openpyxl")
    except (zipfile.BadZipFile, KeyError) as exc:
        if isinstance(exc, KeyError) and isinstance(sheet, str):
            raise
        raise _unreadable(path, "not an .xlsx workbook") from None
    except Exception as exc:  # openpyxl's InvalidFileException and friends
        if type(exc).__name__ == "InvalidFileException":
            raise _unreadable(path, "not an .xlsx workbook") from None
        raise


def write_csv(frame: Any, path: PathLike, encoding: str) -> None:
    """Writes a game's table; floats in their shortest round-trip form (pandas' default)."""
    frame.to_csv(os.fspath(path), encoding=encoding)


def write_excel(frame: Any, path: PathLike, sheet: str) -> None:
    write_frames(path, [(sheet, frame)], "Game.to_excel")
