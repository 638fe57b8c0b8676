"""Structured games: weighted voting, claims (bankruptcy), airport and assignment games.

Each is a :class:`Game` that keeps its few parameters and answers what has a fast or closed
form (power indices, division rules, the optimal pairing) without the 2**n values; any other
method builds the dense game on first use (memory checked first).
"""

from __future__ import annotations

import html
import json
from typing import Any, Dict, Iterable, List, Literal, Optional, Sequence, Tuple

import numpy as np

from . import _coalitional as _native
from ._allocation import Allocation, _Kind
from ._convert import article, float_matrix, float_vector, optional_text, player_names, real_number, shown
from ._game import Game


def _names(players: Optional[Iterable[str]], what: str = "players") -> Optional[List[str]]:
    return None if players is None else player_names(players, what)


def _floats(name: str, xs: Any) -> List[float]:
    return [float(x) for x in float_vector(xs, name)]


class StructuredGame(Game):
    """Base of the structured classes: the dense game is built only when a method needs it."""

    __slots__ = ("_structure",)
    _KIND: _Kind = "value"
    _CLASS = ""

    def __init__(self, structure: Any) -> None:
        self._structure = structure
        self._native = None
        self._values = None
        self.metadata = {"name": None, "description": None, "source": None}

    @property
    def _core(self) -> Any:
        if self._native is None:
            self._native = self._structure.to_game()
        return self._native

    @property
    def n(self) -> int:
        return len(self._structure.players)

    @property
    def players(self) -> tuple:
        return tuple(self._structure.players)

    @property
    def kind(self) -> _Kind:
        return self._KIND

    def _parameters(self) -> Dict[str, Any]:
        raise NotImplementedError

    def to_json(self) -> str:
        """The game in the class form of the JSON format (parameters, not 2**n values)."""
        doc: Dict[str, Any] = {"format": "coalitional.game", "version": 1, "class": self._CLASS}
        doc.update({k: v for k, v in self.metadata.items() if v is not None})
        doc.update(self._parameters())
        return json.dumps(doc, indent=2)

    def dense(self) -> Game:
        """The same game as a plain dense :class:`Game` (builds the 2**n values)."""
        return Game._wrap(self._core, self.metadata)

    def __repr__(self) -> str:
        shown = ", ".join(self.players[:10]) + (", ..." if self.n > 10 else "")
        return f"{type(self).__name__}(n={self.n}, players=[{shown}])"

    def _repr_html_(self) -> str:
        params = "".join(
            f"<tr><td>{html.escape(k)}</td><td>{html.escape(str(v))}</td></tr>"
            for k, v in self._parameters().items()
        )
        return f"<table><caption>{html.escape(type(self).__name__)}</caption><tbody>{params}</tbody></table>"


class WeightedVotingGame(StructuredGame):
    """A weighted majority game ``[quota; weights]``: a coalition wins (worth 1) when its weight
    reaches the quota. Shapley–Shubik and Banzhaf indices by exact counting over weights
    (pseudo-polynomial, up to 128 players), never by 2**n values."""

    __slots__ = ()
    _CLASS = "weighted_voting"

    @property
    def quota(self) -> int:
        return int(self._structure.quota)

    @property
    def weights(self) -> Tuple[int, ...]:
        return tuple(self._structure.weights)

    def shapley(self) -> Allocation:
        """The Shapley–Shubik index (exact counts, one rounding per player)."""
        return self._allocation(self._structure.shapley(), "Shapley–Shubik index")

    def banzhaf(self, normalized: bool = False) -> Allocation:
        """The raw Banzhaf index (swings / 2**(n-1)), or normalised to sum 1."""
        label = "normalised Banzhaf index" if normalized else "Banzhaf index"
        return self._allocation(self._structure.banzhaf(normalized), label)

    def _evaluate(self, masks: np.ndarray) -> np.ndarray:
        """Wins (1) and losses (0) of coalitions given as bit masks, from the weights (no dense
        game; for the samplers, up to 64 players)."""
        masks = np.asarray(masks, dtype=np.uint64)
        total = np.zeros(masks.shape, dtype=np.float64)
        for i, w in enumerate(self.weights):
            total += w * ((masks >> np.uint64(i)) & np.uint64(1)).astype(np.float64)
        return (total >= self.quota).astype(np.float64)

    def swings(self) -> Dict[str, int]:
        """The exact number of coalitions of the others that each player turns into winners."""
        return dict(zip(self.players, self._structure.swings()))

    def _parameters(self) -> Dict[str, Any]:
        return {"players": list(self.players), "quota": self.quota, "weights": list(self.weights)}


class ClaimsGame(StructuredGame):
    """A bankruptcy (claims) problem and its game v(S) = max(0, E - sum of claims outside S),
    with the classical division rules."""

    __slots__ = ()
    _CLASS = "bankruptcy"

    @property
    def estate(self) -> float:
        return float(self._structure.estate)

    @property
    def claims(self) -> Tuple[float, ...]:
        return tuple(self._structure.claims)

    def _rule(self, name: str, label: str) -> Allocation:
        return self._allocation(self._structure.rule(name), label)

    def proportional(self) -> Allocation:
        """x_i = E c_i / C."""
        return self._rule("proportional", "proportional")

    def constrained_equal_awards(self) -> Allocation:
        """x_i = min(c_i, lambda), summing to the estate."""
        return self._rule("constrained_equal_awards", "constrained equal awards")

    def constrained_equal_losses(self) -> Allocation:
        """x_i = max(0, c_i - mu), summing to the estate."""
        return self._rule("constrained_equal_losses", "constrained equal losses")

    def talmud(self) -> Allocation:
        """The Talmud rule (Aumann and Maschler 1985); equals the nucleolus of the game."""
        return self._rule("talmud", "Talmud rule")

    def random_arrival(self) -> Allocation:
        """The random arrival rule (O'Neill 1982); equals the Shapley value of the game."""
        return self._rule("random_arrival", "random arrival")

    def _parameters(self) -> Dict[str, Any]:
        return {"players": list(self.players), "estate": self.estate, "claims": list(self.claims)}


class AirportGame(StructuredGame):
    """The airport cost game c(S) = max of the runway costs in S, with the Littlechild–Owen
    closed-form Shapley value."""

    __slots__ = ()
    _KIND: _Kind = "cost"
    _CLASS = "airport"

    @property
    def costs(self) -> Tuple[float, ...]:
        return tuple(self._structure.costs)

    def shapley(self) -> Allocation:
        """Each runway segment shared equally by the players who need it (O(n log n))."""
        return self._allocation(self._structure.shapley(), "Shapley value")

    def _parameters(self) -> Dict[str, Any]:
        return {"players": list(self.players), "costs": list(self.costs)}


class AssignmentGame(StructuredGame):
    """The assignment game of a two-sided market (Shapley and Shubik 1971): row players (e.g.
    donor provinces) pair with column players (e.g. stricken cities); pair (r, c) creates
    ``weights[r][c]``; a coalition is worth its best pairing. The core is never empty."""

    __slots__ = ()
    _CLASS = "assignment"

    @property
    def rows(self) -> Tuple[str, ...]:
        return tuple(self._structure.rows)

    @property
    def cols(self) -> Tuple[str, ...]:
        return tuple(self._structure.cols)

    def optimal_matching(self) -> List[Tuple[str, str, float]]:
        """The best pairing as (row, column, surplus) triples (Hungarian algorithm)."""
        w = self._structure.weights
        return [(self.rows[r], self.cols[c], float(w[r][c])) for r, c in self._structure.optimal_matching()]

    def optimal_value(self) -> float:
        """v(N): the total surplus of the best pairing."""
        return float(self._structure.optimal_value())

    def core_allocation(self, favour: Optional[Literal["rows", "cols"]] = None) -> Allocation:
        """A core allocation from the dual of the assignment LP; ``favour="rows"`` or ``"cols"``
        gives the core point best for that side (the lattice extremes of Shapley and Shubik)."""
        label = "core allocation" if favour is None else f"core allocation ({favour}-optimal)"
        return self._allocation(self._structure.core_allocation(favour), label)

    @property
    def weights(self) -> List[List[float]]:
        """The surplus matrix (negative entries read as 0: such pairs never form)."""
        return [list(row) for row in self._structure.weights]

    def _parameters(self) -> Dict[str, Any]:
        return {"rows": list(self.rows), "cols": list(self.cols), "weights": self.weights}


def weighted_voting(quota: float, weights: Sequence[float], players: Optional[Iterable[str]] = None) -> WeightedVotingGame:
    """The weighted majority game ``[quota; weights]`` (whole-number weights and quota)."""
    return WeightedVotingGame(
        _native.WeightedVotingCore(real_number(quota, "quota"), _floats("weights", weights), _names(players))
    )


def bankruptcy(estate: float, claims: Sequence[float], players: Optional[Iterable[str]] = None) -> ClaimsGame:
    """The claims game v(S) = max(0, estate - sum of the claims outside S)."""
    return ClaimsGame(_native.ClaimsCore(real_number(estate, "estate"), _floats("claims", claims), _names(players)))


def airport(costs: Sequence[float], players: Optional[Iterable[str]] = None) -> AirportGame:
    """The airport cost game (``kind="cost"``) of runway costs ``costs``."""
    return AirportGame(_native.AirportCore(_floats("costs", costs), _names(players)))


def assignment(weights: Any, rows: Iterable[str], cols: Iterable[str]) -> AssignmentGame:
    """The assignment game of the surplus matrix ``weights`` (rows x cols; a pandas DataFrame
    with row and column labels works too: pass ``df.values, df.index, df.columns``)."""
    matrix = float_matrix(weights, "weights")
    row_names, col_names = player_names(rows, "rows"), player_names(cols, "cols")
    if matrix.ndim != 2:  # an empty list: shaped by the names, when there is nothing to pair
        if row_names and col_names:
            raise _native.InvalidGame(
                f"weights is empty but there are {len(row_names)} rows and {len(col_names)} cols"
            )
        matrix = matrix.reshape(len(row_names), len(col_names))
    return AssignmentGame(_native.AssignmentCore(np.ascontiguousarray(matrix), row_names, col_names))


def _claims_rule(name: str, label: str, estate: float, claims: Sequence[float], players: Optional[Iterable[str]]) -> Allocation:
    game = bankruptcy(estate, claims, players)
    return game._allocation(game._structure.rule(name), label)


def proportional(estate: float, claims: Sequence[float], players: Optional[Iterable[str]] = None) -> Allocation:
    """Proportional division of ``estate``: x_i = E c_i / C."""
    return _claims_rule("proportional", "proportional", estate, claims, players)


def constrained_equal_awards(estate: float, claims: Sequence[float], players: Optional[Iterable[str]] = None) -> Allocation:
    """Constrained equal awards: x_i = min(c_i, lambda), summing to the estate."""
    return _claims_rule("constrained_equal_awards", "constrained equal awards", estate, claims, players)


def constrained_equal_losses(estate: float, claims: Sequence[float], players: Optional[Iterable[str]] = None) -> Allocation:
    """Constrained equal losses: x_i = max(0, c_i - mu), summing to the estate."""
    return _claims_rule("constrained_equal_losses", "constrained equal losses", estate, claims, players)


def talmud(estate: float, claims: Sequence[float], players: Optional[Iterable[str]] = None) -> Allocation:
    """The Talmud rule (Aumann and Maschler 1985)."""
    return _claims_rule("talmud", "Talmud rule", estate, claims, players)


def random_arrival(estate: float, claims: Sequence[float], players: Optional[Iterable[str]] = None) -> Allocation:
    """The random arrival rule (O'Neill 1982), the Shapley value of the claims game (O(2**n))."""
    return _claims_rule("random_arrival", "random arrival", estate, claims, players)


_COMMON = ("format", "version", "class", "name", "description", "source")
# class: (required fields, optional fields)
_FIELDS: Dict[str, Tuple[Tuple[str, ...], Tuple[str, ...]]] = {
    "weighted_voting": (("quota", "weights"), ("players",)),
    "bankruptcy": (("estate", "claims"), ("players",)),
    "airport": (("costs",), ("players",)),
    "assignment": (("weights", "rows", "cols"), ()),
}


def _field_check(doc: Dict[str, Any]) -> str:
    """The class of a class-form document whose keys and header are valid (``FormatError``
    naming the field otherwise)."""
    error = _native.FormatError
    if doc.get("format") != "coalitional.game" or type(doc.get("version")) is not int or doc.get("version") != 1:
        raise error(
            'a class-form game needs "format": "coalitional.game" and "version": 1; '
            f'got "format": {shown(doc.get("format"))}, "version": {shown(doc.get("version"))}'
        )
    cls = doc["class"]
    if not isinstance(cls, str) or cls not in _FIELDS:
        raise error(f'unknown game class {shown(cls)} in field "class"; expected {", ".join(_FIELDS)}')
    required, optional = _FIELDS[cls]
    unknown = [k for k in doc if k not in _COMMON and k not in required and k not in optional]
    if unknown:
        allowed = ", ".join(f'"{k}"' for k in (*required, *optional, *_COMMON[3:]))
        raise error(f'unknown field {json.dumps(unknown[0])} in {article(cls)} game; its fields are {allowed}')
    missing = [k for k in required if k not in doc]
    if missing:
        raise error(f'{article(cls)} game needs the field "{missing[0]}"')
    return cls


def game_from_class(doc: Dict[str, Any]) -> Game:
    """A structured game from the class form of the JSON format (see the README). Unknown or
    missing fields and fields of the wrong type (a string or a bool where a number belongs,
    a number where names belong) are ``FormatError`` naming the field; parameters out of range
    are ``InvalidGame`` from the class's constructor."""
    error = _native.FormatError
    cls = _field_check(doc)

    def number(key: str) -> float:
        return real_number(doc[key], f'field "{key}"', error=error)

    def numbers(key: str) -> List[float]:
        return [float(x) for x in float_vector(doc[key], f'field "{key}"', error=error)]

    def names(key: str) -> Optional[List[str]]:
        value = doc.get(key)
        return None if value is None else player_names(value, f'field "{key}"', error=error)

    meta = {k: optional_text(doc.get(k), f'field "{k}"', error=error) for k in ("name", "description", "source")}
    if cls == "weighted_voting":
        game: StructuredGame = weighted_voting(number("quota"), numbers("weights"), names("players"))
    elif cls == "bankruptcy":
        game = bankruptcy(number("estate"), numbers("claims"), names("players"))
    elif cls == "airport":
        game = airport(numbers("costs"), names("players"))
    else:
        matrix = float_matrix(doc["weights"], 'field "weights"', error=error)
        rows, cols = names("rows"), names("cols")
        if rows is None or cols is None:
            raise error(f'field "{"rows" if rows is None else "cols"}" must be a list of names, not null')
        game = assignment(matrix, rows, cols)
    game.metadata.update({k: v for k, v in meta.items() if v is not None})
    return game
