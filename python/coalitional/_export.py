"""Tables of results for people: Markdown, LaTeX, HTML and Excel, from one description.

A :class:`Table` is what every result (``Allocation``, ``Settlement``, ``Comparison``...)
hands to the writers here::

    Table(
        title="Allocation: Shapley value (payoffs)",    # caption / sheet title
        label_header="player",                          # header of the row-label column
        labels=["Songjiang", "Suzhou"],                 # one label per row
        columns=["Shapley value"],                      # headers of the number columns
        numbers=[[55.0], [50.0]],                       # rows x columns, full float64
        text=[("payee", ["Suzhou", "Hangzhou"])],       # optional text columns (header, cells)
        scale=None,                                     # magnitude of numbers shown alongside
        resolution=None,                                # the game's tolerance (wins over scale)
        sheet="allocation",                             # Excel sheet name (default: from title)
    )

Columns come in the order label, text columns, number columns. Numbers shown as text
(Markdown, LaTeX, HTML) go through Rust's one rounding rule, all the numbers of a table
together (``_native.shown_numbers(numbers.ravel(), scale, resolution)``), so a table never shows
float noise and shows the same digits as the object's ``repr``; when the game is known its
``tolerance`` is the ``resolution`` (decimals the tolerance supports, equal numbers within it
shown identically). Excel cells hold the full floats.

- :meth:`Table.markdown`: a pipe table (header, separator, one line per row); ``|`` in a
  cell is escaped and line breaks become spaces; with ``title=True`` a bold title line and a
  blank line come first.
- :meth:`Table.latex`: a ``tabular`` (``l`` for labels and text, ``r`` for numbers, ``\\hline``
  rules) preceded by the title as a ``%`` comment; ``& % $ # _ { } ~ ^ \\`` are escaped in
  every cell. Chinese text is kept as is (compile with XeLaTeX and ``xeCJK`` or ``ctex``).
- :meth:`Table.html`: a ``<table>`` with the title as ``<caption>``, every text escaped.
- :func:`write_excel`: one sheet per table (openpyxl through pandas), labels in the first
  column, full floats in the number cells.
- :func:`join_markdown`, :func:`join_latex`, :func:`join_html`: several tables of one result,
  separated by blank lines (Markdown, LaTeX) or in one ``<div>`` (HTML), after an optional
  heading.
"""

from __future__ import annotations

import html
import importlib
import math
import os
import re
import unicodedata
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _coalitional as _native

PathLike = Union[str, "os.PathLike[str]"]

_LATEX = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: East Asian wide and fullwidth characters (e.g.
    Chinese) count 2, combining marks 0, everything else 1."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` display columns (``right``: aligned right)."""
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def latex_escape(text: str) -> str:
    """``text`` safe in LaTeX text mode: the ten special characters escaped, line breaks as spaces."""
    return "".join(_LATEX.get(c, c) for c in " ".join(str(text).splitlines()))


def markdown_escape(text: str) -> str:
    """``text`` safe in a pipe-table cell: ``|`` escaped, line breaks as spaces."""
    return " ".join(str(text).splitlines()).replace("|", "\\|")


def require_excel(what: str) -> Any:
    """pandas, after checking that openpyxl is installed; when either is missing, an
    ``ImportError`` whose ``name`` is the missing module and whose message names the extra
    (``pip install "coalitional[excel]"``)."""
    for module in ("openpyxl", "pandas"):
        try:
            importlib.import_module(module)
        except ImportError:
            raise ImportError(f'{what} needs {module}: pip install "coalitional[excel]"', name=module) from None
    return importlib.import_module("pandas")


class Table:
    """A titled table of row labels, optional text columns and a 2-D array of floats (see the
    module docstring for the renderings)."""

    __slots__ = ("title", "label_header", "labels", "columns", "numbers", "text", "scale", "resolution", "sheet")

    def __init__(
        self,
        title: str,
        label_header: str,
        labels: Sequence[str],
        columns: Sequence[str],
        numbers: Any,
        *,
        text: Sequence[Tuple[str, Sequence[str]]] = (),
        scale: Optional[float] = None,
        resolution: Optional[float] = None,
        sheet: Optional[str] = None,
    ) -> None:
        self.title = str(title)
        self.label_header = str(label_header)
        self.labels = [str(x) for x in labels]
        self.columns = [str(c) for c in columns]
        arr = np.array(numbers, dtype=np.float64)
        self.numbers = arr.reshape(len(self.labels), len(self.columns))
        self.text = [(str(h), [str(x) for x in cells]) for h, cells in text]
        for header, cells in self.text:
            if len(cells) != len(self.labels):
                raise ValueError(f"text column {header!r} has {len(cells)} cells for {len(self.labels)} rows")
        self.scale = scale
        self.resolution = resolution
        self.sheet = sheet

    def header(self) -> List[str]:
        """All column headers, in order: label, text columns, number columns."""
        return [self.label_header, *(h for h, _ in self.text), *self.columns]

    def shown(self) -> List[List[str]]:
        """The cells as text, row by row (numbers by Rust's rounding rule, all together)."""
        flat = self.numbers.ravel().tolist()
        numbers = [str(x) for x in _native.shown_numbers(flat, self.scale, self.resolution)] if flat else []
        k = len(self.columns)
        return [
            [label, *(cells[i] for _, cells in self.text), *numbers[i * k : (i + 1) * k]]
            for i, label in enumerate(self.labels)
        ]

    def _aligns(self) -> List[str]:
        return ["l"] * (1 + len(self.text)) + ["r"] * len(self.columns)

    def markdown(self, title: bool = False) -> str:
        """A pipe table: header, separator, one line per row (``title``: a bold title first)."""

        def line(cells: Sequence[str]) -> str:
            return "| " + " | ".join(markdown_escape(c) for c in cells) + " |"

        rule = "|" + "|".join(" --- " if a == "l" else " ---: " for a in self._aligns()) + "|"
        lines = [line(self.header()), rule, *(line(row) for row in self.shown())]
        head = [f"**{markdown_escape(self.title)}**", ""] if title else []
        return "\n".join(head + lines)

    def latex(self) -> str:
        """A ``tabular`` with the title as a ``%`` comment above it."""

        def line(cells: Sequence[str]) -> str:
            return " & ".join(latex_escape(c) for c in cells) + r" \\"

        return "\n".join(
            [
                "% " + " ".join(self.title.splitlines()),
                r"\begin{tabular}{" + "".join(self._aligns()) + "}",
                r"\hline",
                line(self.header()),
                r"\hline",
                *(line(row) for row in self.shown()),
                r"\hline",
                r"\end{tabular}",
            ]
        )

    def html(self) -> str:
        """A ``<table>`` with the title as caption; every text escaped."""
        e = html.escape
        aligns = self._aligns()

        def cell(tag: str, text: str, align: str) -> str:
            style = " style='text-align:right'" if align == "r" else ""
            return f"<{tag}{style}>{e(text)}</{tag}>"

        head = "".join(cell("th", h, a) for h, a in zip(self.header(), aligns))
        body = "".join(
            "<tr>" + "".join(cell("td", c, a) for c, a in zip(row, aligns)) + "</tr>" for row in self.shown()
        )
        return f"<table><caption>{e(self.title)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def frame(self) -> Any:
        """A pandas DataFrame: labels as the index, text columns, then full-float number columns."""
        pd = importlib.import_module("pandas")
        data: Dict[str, Any] = {h: cells for h, cells in self.text}
        for j, c in enumerate(self.columns):
            data[c] = self.numbers[:, j].copy()
        return pd.DataFrame(data, index=pd.Index(self.labels, name=self.label_header), columns=list(data))


def _sheet_name(table: Table, taken: List[str]) -> str:
    base = _SHEET_FORBIDDEN.sub(" ", table.sheet or table.title).strip().strip("'")[:31] or "table"
    name, k = base, 2
    while name.lower() in (t.lower() for t in taken):
        suffix = f" ({k})"
        name, k = base[: 31 - len(suffix)] + suffix, k + 1
    taken.append(name)
    return name


def _exact_floats(worksheet: Any) -> None:
    """Makes openpyxl write every float cell with the shortest digits that read back to the
    same float64. openpyxl writes ``"%.16g"``, which loses the last bit of some numbers (a
    budget of 1e8 with a surplus in the eighth decimal); the cell keeps its numeric type."""
    for row in worksheet.iter_rows():
        for cell in row:
            value = cell.value
            if cell.data_type == "n" and isinstance(value, float) and math.isfinite(value):
                if float("%.16g" % value) != value:
                    cell._value = repr(value)  # written verbatim as the cell's number


def check_xlsx_path(path: Any, what: str = "to_excel") -> str:
    """``path`` as a string, after checking that it names an .xlsx file (any case); anything
    else is an ``InvalidGame`` with code ``invalid_parameter`` and name ``path`` (openpyxl
    writes only .xlsx, and an .xls or .csv name would hold a file Excel refuses)."""
    from ._coalitional import InvalidGame
    from ._convert import tag

    try:
        text = os.fspath(path)
    except TypeError:
        text = None
    if not isinstance(text, str) or not text.lower().endswith(".xlsx"):
        raise tag(
            InvalidGame(f"{what} writes .xlsx files: give a path ending in .xlsx, not {path!r}"),
            "invalid_parameter",
            name="path",
        )
    return text


def write_frames(path: PathLike, frames: Sequence[Tuple[str, Any]], what: str = "to_excel") -> None:
    """Writes pandas DataFrames to an .xlsx file, ``(sheet name, frame)`` each, every float
    bit for bit (needs openpyxl and pandas). A path not ending in .xlsx is an ``InvalidGame``
    (code ``invalid_parameter``, name ``path``)."""
    path = check_xlsx_path(path, what)
    pd = require_excel(what)
    with pd.ExcelWriter(os.fspath(path), engine="openpyxl") as writer:
        for name, frame in frames:
            frame.to_excel(writer, sheet_name=name)
            _exact_floats(writer.sheets[name])


def write_excel(path: PathLike, tables: Sequence[Table], what: str = "to_excel") -> None:
    """Writes ``tables`` to an .xlsx file, one sheet each (needs openpyxl and pandas). A path
    not ending in .xlsx is an ``InvalidGame`` (code ``invalid_parameter``, name ``path``)."""
    check_xlsx_path(path, what)
    require_excel(what)
    taken: List[str] = []
    write_frames(path, [(_sheet_name(t, taken), t.frame()) for t in tables], what)


def join_markdown(tables: Sequence[Table], heading: Optional[str] = None) -> str:
    """Several titled pipe tables, separated by blank lines, after an optional bold heading."""
    parts = [f"**{markdown_escape(heading)}**"] if heading else []
    return "\n\n".join(parts + [t.markdown(title=True) for t in tables])


def join_latex(tables: Sequence[Table], heading: Optional[str] = None) -> str:
    """Several tabulars, separated by blank lines, after an optional heading (a ``%`` comment)."""
    parts = ["% " + " ".join(heading.splitlines())] if heading else []
    return "\n\n".join(parts + [t.latex() for t in tables])


def join_html(tables: Sequence[Table], heading: Optional[str] = None) -> str:
    """Several tables in one ``<div>``, after an optional heading paragraph."""
    head = f"<p><b>{html.escape(heading)}</b></p>" if heading else ""
    return "<div>" + head + "".join(t.html() for t in tables) + "</div>"
