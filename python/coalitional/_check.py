"""Regression cases: games with expected results and their source, checked in CI.

A cases file (``"format": "coalitional.cases"``) lists cases, each with a ``name``, a
``source``, a ``game`` (any form :meth:`Game.from_json` reads), ``expected`` results and an
optional ``tolerance`` (default 1e-9, relative to the game's ``spread``, the scale of what
cooperation adds, plus a few units in the last place of the expected number: a budget of 1e8
with a surplus of 3 is checked to 3e-9, not to 0.1). Expected vectors are
lists in player order or ``{name: value}`` mappings naming some of the players.

The checking is Rust's (``coalitional::cases``, the checker ``cargo test`` runs on
tests/data/cases.json): this module reads the file strictly and presents the reports.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, List, Union

from ._coalitional import FormatError, check_cases
from ._convert import read_json_file, tag


def check_file(path: Union[str, "os.PathLike[str]"]) -> List[Dict[str, Any]]:
    """Runs every case of a cases file; one ``{"name", "source", "passed", "failures"}`` per
    case (``failures``: one line each). A file that is not a valid cases document raises
    ``FormatError`` naming the file, the case and the field."""
    where = f"cases file {os.fspath(path)}"
    doc = read_json_file(path, "cases file")
    try:
        reports = check_cases(json.dumps(doc))
    except FormatError as exc:
        reason = getattr(exc, "reason", str(exc))
        raise tag(FormatError(f"{where}: {reason}"), "format", name=where, reason=reason) from None
    return [report.to_dict() for report in reports]


def render(results: List[Dict[str, Any]]) -> str:
    """The lines ``coalitional check`` prints: ``PASS  name``, or ``FAIL  name`` and one
    indented line per failure, then how many cases passed."""
    lines = []
    for r in results:
        lines.append(f"{'PASS' if r['passed'] else 'FAIL'}  {r['name']}")
        lines += [f"      {f}" for f in r["failures"]]
    passed = sum(r["passed"] for r in results)
    lines.append(f"{passed} of {len(results)} cases passed")
    return "\n".join(lines)


__all__ = ["check_file", "render"]
