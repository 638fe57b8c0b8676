"""`IntervalGame`: worths known only within bounds; exact value bounds and the robust core.

The mathematics lives in Rust (``coalitional::interval``): every linear value used here
(Shapley, Banzhaf, marginal vectors, Owen) is a sum of marginal contributions with nonnegative
weights, so its range over the box of games ``lower <= v <= upper`` is attained at a vertex
of the box, and is computed exactly. This module converts and labels.
"""

from __future__ import annotations

import importlib
from typing import Any, Iterable, List, Optional, Tuple

import numpy as np

from . import _coalitional as _native
from ._allocation import Allocation, _Kind
from ._coalitional import InvalidGame
from ._convert import a_type, float_vector, kind_name, player_names, tag
from ._game import Game


class IntervalAllocation:
    """Per-player bounds of a value over every game in the box: ``lower[p] <= value[p] <=
    upper[p]`` for every admissible game, with both ends attained. ``.lower`` and ``.upper``
    are :class:`Allocation` objects (labelled, in player order)."""

    __slots__ = ("lower", "upper", "label")

    def __init__(self, lower: Allocation, upper: Allocation, label: str) -> None:
        self.lower = lower
        self.upper = upper
        self.label = label

    @property
    def players(self) -> Tuple[str, ...]:
        return self.lower.players

    @property
    def width(self) -> Allocation:
        """``upper - lower`` per player: how much the uncertainty in the worths matters."""
        return self.upper - self.lower

    def to_pandas(self) -> Any:
        """A ``pandas.DataFrame`` indexed by player name, with columns ``lower`` and ``upper``."""
        pd = importlib.import_module("pandas")
        return pd.DataFrame(
            {"lower": np.asarray(self.lower).copy(), "upper": np.asarray(self.upper).copy()},
            index=pd.Index(self.players, name="player"),
        )

    def __repr__(self) -> str:
        lo, hi = np.asarray(self.lower).tolist(), np.asarray(self.upper).tolist()
        shown = _native.shown_numbers(lo + hi, None, None)
        n = len(lo)
        width = max((len(p) for p in self.players), default=0)
        rows = [f"  {p.ljust(width)}  [{shown[i]}, {shown[n + i]}]" for i, p in enumerate(self.players)]
        return "\n".join([f"IntervalAllocation: {self.label}", *rows])


class SampledIntervalAllocation(IntervalAllocation):
    """The smallest and largest (pre)nucleolus share per player over games drawn uniformly
    from the box (:meth:`IntervalGame.nucleolus_range`): an inner estimate of the range, with

    - ``samples``: the draws used (``m``), ``undefined``: draws with no nucleolus, left out,
      ``seed``: the seed that reproduces them;
    - ``expected_coverage``: ``(m - 1) / (m + 1)``, the probability that ``[lower, upper]`` of a
      player covers that player's share in a fresh draw;
    - ``confidence(p)``: ``1 - m p^(m-1) + (m - 1) p^m``, the confidence that it covers at
      least the fraction ``p`` of the shares' distribution (Wilks 1941).
    """

    __slots__ = ("samples", "undefined", "seed", "expected_coverage", "_range")

    def __init__(self, lower: Allocation, upper: Allocation, label: str, native: Any) -> None:
        super().__init__(lower, upper, label)
        self._range = native
        self.samples = int(native.samples)
        self.undefined = int(native.undefined)
        self.seed = int(native.seed)
        self.expected_coverage = float(native.expected_coverage)

    def confidence(self, p: float) -> float:
        """The confidence that ``[lower, upper]`` covers at least the fraction ``p`` of each
        player's share distribution (Wilks 1941); ``p`` in [0, 1]."""
        return float(self._range.confidence(float(p)))

    def __repr__(self) -> str:
        head, _, rows = super().__repr__().partition("\n")
        left_out = f", {self.undefined} left out (no {self._range.concept})" if self.undefined else ""
        info = (f"{head} over {self.samples} sampled games{left_out}; "
                f"covers a fresh draw with probability {self.expected_coverage:.3f}")
        return f"{info}\n{rows}" if rows else info


class IntervalGame:
    """A cooperative interval game: every worth ``v(S)`` lies in ``[lower(S), upper(S)]``.

    ``lower`` and ``upper`` are sequences (or 1-D arrays) of length ``2**n`` indexed by bit
    mask, with ``lower[0] == upper[0] == 0`` and ``lower <= upper`` everywhere (otherwise
    :class:`InvalidGame` names the coalition). ``kind="cost"`` for costs.

    The robust core is the set of payoff vectors stable and affordable in every game of the box:
    ``x(S) >= upper(S)`` for every proper coalition and ``x(N) <= lower(N)`` (costs:
    ``x(S) <= lower(S)``, ``x(N) >= upper(N)``).

    >>> import coalitional as co
    >>> g = co.IntervalGame([0, 0, 0, 4], [0, 1, 0, 6], ["A", "B"])
    >>> s = g.shapley()
    >>> float(s.lower["A"]), float(s.upper["A"])
    (2.0, 3.5)
    """

    __slots__ = ("_native",)

    def __init__(
        self, lower: Any, upper: Any, players: Optional[Iterable[str]] = None, *, kind: _Kind = "value"
    ) -> None:
        names = None if players is None else player_names(players)
        lo = float_vector(lower, "lower")
        hi = float_vector(upper, "upper")
        self._native: Any = _native.IntervalGameCore(lo.tolist(), hi.tolist(), names, kind_name(kind))

    @property
    def lower_game(self) -> Game:
        """The game of lower bounds."""
        return Game._wrap(self._native.lower_game())

    @property
    def upper_game(self) -> Game:
        """The game of upper bounds."""
        return Game._wrap(self._native.upper_game())

    @property
    def players(self) -> Tuple[str, ...]:
        return self.lower_game.players

    @property
    def n(self) -> int:
        return len(self.players)

    @property
    def kind(self) -> _Kind:
        return self.lower_game.kind

    def _bounds(self, native: Any, label: str) -> IntervalAllocation:
        players, kind = self.players, self.kind
        lo = Allocation(native.lower, players, label=f"{label}, lower bound", kind=kind)
        hi = Allocation(native.upper, players, label=f"{label}, upper bound", kind=kind)
        return IntervalAllocation(lo, hi, label)

    def shapley(self) -> IntervalAllocation:
        """Exact bounds of the Shapley value over the box, per player."""
        return self._bounds(self._native.shapley(), "Shapley value")

    def banzhaf(self) -> IntervalAllocation:
        """Exact bounds of the raw Banzhaf value over the box, per player."""
        return self._bounds(self._native.banzhaf(), "Banzhaf value")

    def marginal_vector(self, order: Iterable[str]) -> IntervalAllocation:
        """Exact bounds of the marginal vector of a joining order (names, each once)."""
        return self._bounds(self._native.marginal_vector(player_names(order, "order")), "marginal vector")

    def owen(self, unions: Iterable[Iterable[str]]) -> IntervalAllocation:
        """Exact bounds of the Owen value for a priori unions (lists of names partitioning the
        players)."""
        if isinstance(unions, (str, bytes)) or not hasattr(unions, "__iter__"):
            raise tag(InvalidGame(f"unions must be a list of lists of names, not {a_type(unions)}"),
                      "invalid_parameter", name="unions")
        groups: List[List[str]] = [player_names(u, f"unions[{i}]", ordered=False) for i, u in enumerate(unions)]
        return self._bounds(self._native.owen(groups), "Owen value")

    def nucleolus_range(self, samples: int = 200, seed: int = 0, *, pre: bool = False) -> SampledIntervalAllocation:
        """The smallest and largest nucleolus share per player (``pre=True``: prenucleolus)
        over ``samples`` games with every worth drawn independently and uniformly from its
        interval (reproducible with ``seed``). The nucleolus is not linear, so its exact range
        is not known; this inner estimate states its coverage (``expected_coverage``,
        ``confidence(p)``). Draws with no nucleolus (no imputation) are counted in
        ``undefined`` and left out; :class:`UndefinedSolution` when all are."""
        native = self._native.nucleolus_range(_count(samples, "samples"), _count(seed, "seed"), bool(pre))
        label = "prenucleolus range" if pre else "nucleolus range"
        players, kind = self.players, self.kind
        lo = Allocation(native.lower, players, label=f"{label}, smallest sampled", kind=kind)
        hi = Allocation(native.upper, players, label=f"{label}, largest sampled", kind=kind)
        return SampledIntervalAllocation(lo, hi, label, native)

    def robust_core_is_empty(self) -> bool:
        """True when no payoff vector is stable and affordable in every game of the box."""
        return bool(self._native.robust_core_is_empty())

    def robust_core_point(self) -> Optional[Allocation]:
        """A point of the robust core (it distributes ``lower(N)``; costs: ``upper(N)``), or
        None when the robust core is empty."""
        x = self._native.robust_core_point()
        if x is None:
            return None
        return Allocation(x, self.players, label="robust core point", kind=self.kind)

    def __repr__(self) -> str:
        return f"IntervalGame(n={self.n}, players={list(self.players)!r}, kind={self.kind!r})"


def _count(value: Any, name: str) -> int:
    """A nonnegative whole number (not a bool), or :class:`InvalidGame` naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise tag(InvalidGame(f"{name} must be a whole number >= 0, not {value!r}"),
                  "invalid_parameter", name=name)
    return int(value)
