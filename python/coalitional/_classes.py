"""Structured games: weighted voting, claims (bankruptcy), airport and assignment games.

Each is a :class:`Game` that keeps its few parameters and answers what has a fast or closed
form (power indices, division rules, the optimal pairing) without the 2**n values; any other
method builds the dense game on first use (memory checked first).
"""

from __future__ import annotations

import html
from typing import Any, Dict, Iterable, List, Literal, Mapping, Optional, Sequence, Tuple

import numpy as np

from . import _coalitional as _native
from ._allocation import Allocation, LeastCore, _Kind
from ._convert import BoundsLike, float_matrix, float_vector, player_names, real_number
from ._coalitional import InvalidGame
from ._game import Game
from ._power import PowerIndices
from ._structured import AirportStability, AssignmentStability
from ._oracles import VotingStability


def _names(players: Optional[Iterable[str]], what: str = "players") -> Optional[List[str]]:
    return None if players is None else player_names(players, what)


def _floats(name: str, xs: Any) -> List[float]:
    return [float(x) for x in float_vector(xs, name)]


class StructuredGame(Game):
    """Base of the structured classes: the dense game is built only when a method needs it."""

    __slots__ = ("_structure",)
    _KIND: _Kind = "value"

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
        return str(self._structure.to_json(**self.metadata))

    def _evaluate(self, masks: np.ndarray) -> np.ndarray:
        """Worths of coalitions given as bit masks, from the parameters (no dense game; for the
        samplers, up to 64 players)."""
        return np.asarray(self._structure.worths(np.ascontiguousarray(masks, dtype=np.uint64)))

    def _worth(self) -> Any:
        """The samplers evaluate the class's own worths, never its dense game."""
        return self._evaluate

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


class WeightedVotingGame(VotingStability, StructuredGame):
    """A weighted majority game ``[quota; weights]``: a coalition wins (worth 1) when its weight
    reaches the quota. Shapley–Shubik and Banzhaf indices by exact counting over weights
    (pseudo-polynomial, up to 128 players), never by 2**n values."""

    __slots__ = ()

    @property
    def quota(self) -> int:
        return int(self._structure.quota)

    @property
    def weights(self) -> Tuple[int, ...]:
        return tuple(self._structure.weights)

    def shapley(self, *, progress: bool = False) -> Allocation:
        """The Shapley–Shubik index (exact counts, one rounding per player; quick, so
        ``progress`` shows no bar)."""
        return self._allocation(self._structure.shapley(), "Shapley–Shubik index")

    def banzhaf(self, normalized: bool = False, *, progress: bool = False) -> Allocation:
        """The raw Banzhaf index (swings / 2**(n-1)), or normalised to sum 1 (no bar, as for
        :meth:`shapley`)."""
        label = "normalised Banzhaf index" if normalized else "Banzhaf index"
        return self._allocation(self._structure.banzhaf(normalized), label)

    def swings(self) -> Dict[str, int]:
        """The exact number of coalitions of the others that each player turns into winners."""
        return dict(zip(self.players, self._structure.swings()))

    def power_indices(self) -> PowerIndices:
        """Johnston, Deegan–Packel, Holler and Coleman indices (see :class:`PowerIndices`) by
        pseudo-polynomial counting with exact integers, never by 2**n values: tables over
        (size, weight) below twice the quota, O(n**3 q) at worst (100 voters of total weight
        3000: a fraction of a second). ``minimal_winning`` is listed on first access.

        >>> import coalitional as co
        >>> eec = co.weighted_voting(12, [4, 4, 4, 2, 2, 1], ["F", "G", "I", "B", "N", "L"])
        >>> eec.power_indices()["holler"]["B"]  # Holler's paradox: as much as France
        0.2
        """
        return PowerIndices(
            self._structure.power_indices(), self, lambda: self._structure.minimal_winning(100_000)
        )

    def minimal_winning(self, limit: int = 100_000) -> List[List[str]]:
        """The minimal winning coalitions as lists of names (in bit-mask order), found by a
        search that never enters a dead branch; more than ``limit`` of them is a
        ``GameTooLarge`` (``code == "limit_exceeded"``, ``asked`` = their exact number)."""
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise InvalidGame(f"limit must be a whole number >= 0, got {limit!r}")
        names = self.players
        return [[names[i] for i in m] for m in self._structure.minimal_winning(limit)]

    def _parameters(self) -> Dict[str, Any]:
        return {"players": list(self.players), "quota": self.quota, "weights": list(self.weights)}


class ClaimsGame(StructuredGame):
    """A bankruptcy (claims) problem and its game v(S) = max(0, E - sum of claims outside S),
    with the classical division rules."""

    __slots__ = ()

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

    def nucleolus(self, *, bounds: Optional[BoundsLike] = None, progress: bool = False) -> Allocation:
        """The nucleolus of the claims game without its 2**n values: the Talmud rule, which is
        the nucleolus of every bankruptcy game (Aumann and Maschler 1985); O(n log n), so 1,000
        claimants are instant. With ``bounds`` (see :meth:`Game.nucleolus`), the dense
        computation over the 2**n values."""
        if bounds is not None:
            return super().nucleolus(bounds=bounds, progress=progress)
        return self._rule("talmud", "nucleolus")

    def least_core(self, *, bounds: Optional[BoundsLike] = None, progress: bool = False) -> LeastCore:
        """The least core without the 2**n values: the separation engine with the O(n) claims
        oracle (see :class:`OracleGame`); epsilon <= 0, as the game is convex. With ``bounds``
        (see :meth:`Game.least_core`), the dense computation over the 2**n values."""
        if bounds is not None:
            return super().least_core(bounds=bounds, progress=progress)
        native = _native.claims_least_core(self.estate, list(self.claims), list(self.players))
        return LeastCore(native.epsilon, self._allocation(native.allocation, "least core"))

    def random_arrival(self) -> Allocation:
        """The random arrival rule (O'Neill 1982); equals the Shapley value of the game."""
        return self._rule("random_arrival", "random arrival")

    def _parameters(self) -> Dict[str, Any]:
        return {"players": list(self.players), "estate": self.estate, "claims": list(self.claims)}


class AirportGame(AirportStability, StructuredGame):
    """The airport cost game c(S) = max of the runway costs in S, with the Littlechild–Owen
    closed-form Shapley value."""

    __slots__ = ()
    _KIND: _Kind = "cost"

    @property
    def costs(self) -> Tuple[float, ...]:
        return tuple(self._structure.costs)

    def shapley(self, *, progress: bool = False) -> Allocation:
        """Each runway segment shared equally by the players who need it (O(n log n); no bar
        for ``progress``)."""
        return self._allocation(self._structure.shapley(), "Shapley value")

    def _parameters(self) -> Dict[str, Any]:
        return {"players": list(self.players), "costs": list(self.costs)}


class AssignmentGame(AssignmentStability, StructuredGame):
    """The assignment game of a two-sided market (Shapley and Shubik 1971): row players (e.g.
    donor provinces) pair with column players (e.g. stricken cities); pair (r, c) creates
    ``weights[r][c]``; a coalition is worth its best pairing. The core is never empty."""

    __slots__ = ()

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
    if matrix.ndim != 2:  # an empty list: no rows (the core decides whether that fits the names)
        matrix = matrix.reshape(0, len(col_names))
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


_CLASSES: Dict[type, Any] = {
    _native.WeightedVotingCore: WeightedVotingGame,
    _native.ClaimsCore: ClaimsGame,
    _native.AirportCore: AirportGame,
    _native.AssignmentCore: AssignmentGame,
}


def structured_from_native(core: Any, metadata: Mapping[str, Optional[str]]) -> "StructuredGame":
    """The structured game for a class core read from JSON (``_native.read_game``)."""
    game: StructuredGame = _CLASSES[type(core)](core)
    game.metadata.update(metadata)
    return game
