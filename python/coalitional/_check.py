"""Regression cases: games with expected results and their source, checked in CI.

A cases file (``"format": "coalitional.cases"``) lists cases, each with a ``name``, a
``source``, a ``game`` (any form :meth:`Game.from_json` reads), ``expected`` results and an
optional ``tolerance`` (default 1e-9, relative to the game's ``spread``, the scale of what
cooperation adds, plus a few units in the last place of the expected number: a budget of 1e8
with a surplus of 3 is checked to 3e-9, not to 0.1). Expected vectors are
lists in player order or ``{name: value}`` mappings naming some of the players.
"""

from __future__ import annotations

import json
import math
from typing import Any, Callable, Dict, List, Optional

from ._coalitional import FormatError, GameError
from ._convert import read_json_file, real_number, tag
from ._game import Game

_VECTORS: Dict[str, Callable[[Game], Any]] = {
    "shapley": lambda g: g.shapley(),
    "banzhaf": lambda g: g.banzhaf(),
    "banzhaf_normalized": lambda g: g.banzhaf(normalized=True),
    "nucleolus": lambda g: g.nucleolus(),
    "prenucleolus": lambda g: g.prenucleolus(),
    "tau_value": lambda g: g.tau_value(),
}
_NUMBERS: Dict[str, Callable[[Game], Any]] = {
    "least_core_epsilon": lambda g: g.least_core().epsilon,
    "cost_of_stability": lambda g: g.cost_of_stability(),
    "core_is_empty": lambda g: g.core_is_empty(),
}


class _Spread:
    """The game's spread, computed on first use (structured games build their values then)."""

    def __init__(self, game: Game) -> None:
        self.game = game
        self.value: Optional[float] = None

    def __call__(self) -> float:
        if self.value is None:
            self.value = float(self.game.spread)
        return self.value


def _close(got: float, want: float, tol: float, scale: "_Spread") -> bool:
    if got == want:
        return True
    return abs(got - want) <= tol * scale() + 4 * _EPS * abs(want)


_EPS = 2.0**-52


def check_case(case: Dict[str, Any]) -> Dict[str, Any]:
    """Runs one case; returns ``{"name", "passed", "failures": [...]}``."""
    name = case.get("name", "?")
    failures: List[str] = []
    try:
        tol = real_number(case.get("tolerance", 1e-9), "tolerance", error=FormatError)
        if not (tol >= 0 and math.isfinite(tol)):
            raise tag(FormatError(f"tolerance {tol} must be a nonnegative number"), "invalid_parameter", name="tolerance")
        game = Game.from_json(json.dumps(case["game"]))
        scale = _Spread(game)
        for key, want in case.get("expected", {}).items():
            if key in _VECTORS:
                got = _VECTORS[key](game)
                pairs = want.items() if isinstance(want, dict) else zip(game.players, want)
                if not isinstance(want, dict) and len(want) != game.n:
                    failures.append(f"{key}: expected {len(want)} entries for {game.n} players")
                    continue
                for player, w in pairs:
                    if not _close(got[player], float(w), tol, scale):
                        failures.append(f"{key}[{player}]: got {got[player]!r}, expected {w!r}")
            elif key in _NUMBERS:
                got_value = _NUMBERS[key](game)
                if isinstance(want, bool):
                    if bool(got_value) != want:
                        failures.append(f"{key}: got {got_value}, expected {want}")
                elif not _close(float(got_value), float(want), tol, scale):
                    failures.append(f"{key}: got {got_value!r}, expected {want!r}")
            else:
                failures.append(f"unknown expected result {key!r}")
    except KeyError as exc:
        failures.append(f"the case has no {exc.args[0]!r}")
    except GameError as exc:
        failures.append(f"{type(exc).__name__}: {exc}")
    return {"name": name, "source": case.get("source"), "passed": not failures, "failures": failures}


def check_file(path: str) -> List[Dict[str, Any]]:
    """Runs every case of a cases file."""
    doc = read_json_file(path, "cases file")
    if not isinstance(doc, dict) or doc.get("format") != "coalitional.cases" or not isinstance(doc.get("cases"), list):
        raise tag(FormatError(f'{path}: expected {{"format": "coalitional.cases", "version": 1, "cases": [...]}}'),
                  "format", name=f"cases file {path}")
    return [check_case(c) for c in doc["cases"]]


def render(results: List[Dict[str, Any]]) -> str:
    lines = []
    for r in results:
        lines.append(f"{'PASS' if r['passed'] else 'FAIL'}  {r['name']}")
        lines += [f"      {f}" for f in r["failures"]]
    passed = sum(r["passed"] for r in results)
    lines.append(f"{passed} of {len(results)} cases passed")
    return "\n".join(lines)


__all__ = ["check_case", "check_file", "render"]
