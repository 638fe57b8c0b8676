"""`co.report(game)`: the benefit-sharing report of ``coalitional report`` as an object, for
notebooks and scripts, with the same sections, words (``lang="en"`` or ``"zh"``) and numbers,
and the same exports (text, Markdown, HTML, LaTeX, JSON, Excel)."""

from __future__ import annotations

import os
from typing import Any, Dict, Literal, Optional, Union

from ._export import write_excel
from ._game import Game
from ._render import _tables, render, render_html, render_latex, render_markdown, to_json
from ._report import DENSE_PLAYERS, SAMPLE_ROUNDS, summary


class Report:
    """One report: ``data`` holds it as plain data (full floats; the JSON of ``coalitional
    report --format json``), and each ``to_*`` renders it. In a notebook it shows as HTML."""

    __slots__ = ("data",)

    def __init__(self, data: Dict[str, Any]) -> None:
        self.data = data

    def to_text(self) -> str:
        """The report as the command line prints it (columns aligned by display width)."""
        return render(self.data)

    def to_markdown(self) -> str:
        """The report as Markdown (titled pipe tables)."""
        return render_markdown(self.data)

    def to_html(self) -> str:
        """The report as an HTML page fragment (escaped, titled tables)."""
        return render_html(self.data)

    def to_latex(self) -> str:
        """The report as LaTeX (tabular environments, special characters escaped)."""
        return render_latex(self.data)

    def to_json(self) -> str:
        """The report as JSON (full floats, Chinese kept as UTF-8)."""
        return to_json(self.data)

    def to_excel(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """The report's tables as an .xlsx workbook, one sheet per table, full floats in the
        cells (needs openpyxl: ``pip install "coalitional[excel]"``)."""
        write_excel(os.fspath(path), _tables(self.data), what="Report.to_excel")

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        return self.to_html()


def report(
    game: Game,
    rule: Optional[str] = None,
    status_quo: Optional[Any] = None,
    *,
    top: int = 5,
    lang: Literal["en", "zh"] = "en",
    max_dense: int = DENSE_PLAYERS,
    seed: int = 0,
    samples: int = SAMPLE_ROUNDS,
) -> Report:
    """The benefit-sharing report of ``game``, as ``coalitional report`` writes it: the rules
    side by side, stability, the settlement to ``rule`` (default: the nucleolus) from
    ``status_quo`` (an Allocation, a ``{player: value}`` dict or a sequence in player order;
    none: the target allocation and its stability, no payments), and an explanation in
    ``lang``. Each section is computed on its own: one that fails or is out of reach for the
    game's size (``max_dense`` players for the dense methods) says why, and the rest is there.

    >>> import coalitional as co
    >>> g = co.Game([0, 0, 0, 90, 0, 80, 70, 150], ["Songjiang", "Suzhou", "Hangzhou"])
    >>> r = co.report(g)
    >>> r.data["settlement"]["target"]["shares"]["Songjiang"]
    60.0
    """
    sq: Optional[Dict[str, float]] = None
    if status_quo is not None:
        given = status_quo.to_dict() if hasattr(status_quo, "to_dict") else status_quo
        sq = dict(zip(game.players, game._vector(given, "status_quo").tolist()))
    return Report(summary(game, rule, sq, top, max_dense=max_dense, seed=seed, samples=samples, lang=lang))


__all__ = ["Report", "report"]
