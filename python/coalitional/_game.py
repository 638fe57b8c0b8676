"""`Game`: a dense TU game over named players (values indexed by bit mask)."""

from __future__ import annotations

import html
import os
from typing import Any, Callable, Dict, FrozenSet, Iterable, Mapping, Optional, Sequence, Union

import numpy as np
import numpy.typing as npt

from . import _coalitional as _core
from ._allocation import Allocation, LeastCore
from ._coalitional import InvalidGame
from ._sampling import SamplingMixin

Names = Union[str, Iterable[str]]


def _player_names(players: Iterable[Any]) -> list:
    names = list(players)
    for i, p in enumerate(names):
        if not isinstance(p, str):
            raise InvalidGame(
                f"player names must be strings; got {p!r} ({type(p).__name__}) at position {i}"
            )
    return names


def _members(key: Names) -> list:
    if isinstance(key, str):
        return [key]
    return _player_names(key)


def _values_array(values: Any) -> np.ndarray:
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidGame(f"values must be numbers: {exc}") from None
    if arr.ndim != 1:
        raise InvalidGame(
            f"values must be one-dimensional (index = bit mask), got an array of shape {arr.shape}"
        )
    return arr


class Game(SamplingMixin):
    """A transferable-utility game of n named players, stored as 2**n values.

    ``values[mask]`` is the worth of the coalition whose members are the set bits of ``mask``
    (bit i set = player i is a member); ``values[0]`` must be 0. ``kind="cost"`` marks the
    numbers as costs c(S), whose solutions are cost shares.

    >>> g = Game([0, 1, 1, 3], ["A", "B"])
    >>> g.shapley()["A"]
    1.5
    """

    __slots__ = ("_native", "_values", "metadata")

    def __init__(self, values: Any, players: Optional[Iterable[str]] = None, *, kind: str = "value") -> None:
        names = None if players is None else _player_names(players)
        self._native: Any = _core.GameCore(_values_array(values), names, kind)
        self._values: Optional[np.ndarray] = None
        self.metadata: Dict[str, Optional[str]] = {"name": None, "description": None, "source": None}

    @classmethod
    def _wrap(cls, core: Any, metadata: Optional[Mapping[str, Optional[str]]] = None) -> "Game":
        game = cls.__new__(cls)
        game._native = core
        game._values = None
        game.metadata = {"name": None, "description": None, "source": None}
        if metadata:
            game.metadata.update(metadata)
        return game

    @classmethod
    def from_coalitions(
        cls, players: Iterable[str], mapping: Mapping[Any, float], *, kind: str = "value"
    ) -> "Game":
        """A game from ``{tuple_of_names: value}`` covering every nonempty coalition.

        A key may be a tuple, list, set or frozenset of names, or a single name; members may
        come in any order. The empty coalition may be given with value 0. A missing coalition is
        an ``InvalidGame`` error that names it.
        """
        entries = []
        for key, value in mapping.items():
            members = _members(key)
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise InvalidGame(f"the value of coalition {key!r} is {value!r}, not a number") from None
            entries.append((members, number))
        return cls._wrap(_core.GameCore.from_coalitions(_player_names(players), entries, kind))

    @classmethod
    def from_function(
        cls, players: Iterable[str], f: Callable[[FrozenSet[str]], float], *, kind: str = "value"
    ) -> "Game":
        """A game from ``f(frozenset_of_names) -> float``, called once per nonempty coalition.

        v(empty) is 0 by definition; ``f`` is not called for it. Memory for the 2**n values is
        checked before any call.
        """
        return cls._wrap(_core.GameCore.from_function(_player_names(players), f, kind))

    @classmethod
    def from_json(cls, text: str) -> "Game":
        """A game from the JSON format described in the README (metadata kept in ``.metadata``);
        a document with a ``"class"`` field gives the structured game it describes."""
        if '"class"' in text:
            import json

            from ._classes import game_from_class

            try:
                doc = json.loads(text)
            except json.JSONDecodeError as exc:
                raise _core.FormatError(f"invalid game JSON: {exc}") from None
            if isinstance(doc, dict) and "class" in doc:
                if doc.get("format") != "coalitional.game" or doc.get("version") != 1:
                    raise _core.FormatError(
                        'invalid game JSON: expected "format": "coalitional.game" and "version": 1'
                    )
                return game_from_class(doc)
        core, meta = _core.read_game(text)
        return cls._wrap(core, meta)

    @classmethod
    def load(cls, path: Union[str, "os.PathLike[str]"]) -> "Game":
        """A game from a JSON file."""
        with open(path, encoding="utf-8") as fh:
            return cls.from_json(fh.read())

    def to_json(self) -> str:
        """The game (with its metadata) as JSON; reading it back gives the same bits."""
        return self._core.to_json(**self.metadata)

    def save(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Writes the game as JSON."""
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(self.to_json())

    @property
    def _core(self) -> Any:
        """The native dense game (structured subclasses build it on first use)."""
        return self._native

    @property
    def n(self) -> int:
        """Number of players."""
        return self._core.n

    @property
    def players(self) -> tuple:
        """Player names, in index order."""
        return tuple(self._core.players)

    @property
    def kind(self) -> str:
        """``"value"`` or ``"cost"``."""
        return self._core.kind

    @property
    def values(self) -> np.ndarray:
        """The 2**n values by bit mask, as a read-only float64 array."""
        if self._values is None:
            arr = self._core.values()
            arr.flags.writeable = False
            self._values = arr
        return self._values

    def value(self, names: Names) -> float:
        """The worth of the coalition of the named players (a single name is allowed)."""
        return self._core.value(_members(names))

    def to_pandas(self) -> Any:
        """A pandas DataFrame with one row per nonempty coalition (index: member names joined
        by " + "), columns ``size``, ``mask`` and ``value`` (``cost`` for cost games); 2**n - 1
        rows, so meant for small games."""
        import importlib

        pd = importlib.import_module("pandas")
        masks = np.arange(1, 1 << self.n)
        names = [" + ".join(p for i, p in enumerate(self.players) if m >> i & 1) for m in masks]
        sizes = [bin(int(m)).count("1") for m in masks]
        column = "cost" if self.kind == "cost" else "value"
        return pd.DataFrame(
            {"size": sizes, "mask": masks, column: self.values[1:]},
            index=pd.Index(names, name="coalition"),
        )

    def _evaluate(self, masks: np.ndarray) -> np.ndarray:
        """Values of coalitions given as bit masks (for the samplers)."""
        return self.values[np.asarray(masks, dtype=np.int64)]

    def _allocation(self, values: np.ndarray, label: str) -> Allocation:
        return Allocation(values, self.players, label=label, kind=self.kind)

    def shapley(self) -> Allocation:
        """The Shapley value: each player's average marginal contribution over all joining orders."""
        return self._allocation(self._core.shapley(), "Shapley value")

    def banzhaf(self, normalized: bool = False) -> Allocation:
        """The raw Banzhaf value, or with ``normalized=True`` rescaled to sum to v(N)."""
        label = "normalised Banzhaf value" if normalized else "Banzhaf value"
        return self._allocation(self._core.banzhaf(normalized), label)

    def marginal_vector(self, order: Iterable[str]) -> Allocation:
        """What each player adds when the players join in ``order`` (names, each once)."""
        return self._allocation(self._core.marginal_vector(_player_names(order)), "marginal vector")

    def is_superadditive(self) -> bool:
        """v(S | T) >= v(S) + v(T) for disjoint S, T (cost games: subadditive). n <= 20."""
        return self._core.is_superadditive()

    def is_convex(self) -> bool:
        """Supermodular: marginal contributions grow with the coalition (cost games: concave)."""
        return self._core.is_convex()

    def is_monotone(self) -> bool:
        """v(S) <= v(T) whenever S is a subset of T."""
        return self._core.is_monotone()

    def is_essential(self) -> bool:
        """v(N) > sum of v({i}) (cost games: c(N) < sum of c({i}))."""
        return self._core.is_essential()

    def least_core(self) -> LeastCore:
        """The least core: min e such that an efficient x has x(S) >= v(S) - e for every proper
        nonempty S (cost games: x(S) <= c(S) + e); ``.epsilon`` and ``.allocation``."""
        epsilon, x = self._core.least_core()
        return LeastCore(epsilon, self._allocation(x, "least core"))

    def nucleolus(self) -> Allocation:
        """The nucleolus (Schmeidler 1969): the imputation whose sorted excesses v(S) - x(S)
        are lexicographically smallest; verified by Kohlberg's criterion. ``UndefinedSolution``
        when there is no imputation (v(N) < sum of v({i}))."""
        return self._allocation(self._core.nucleolus(), "nucleolus")

    def prenucleolus(self) -> Allocation:
        """The prenucleolus: as the nucleolus, over all efficient allocations."""
        return self._allocation(self._core.prenucleolus(), "prenucleolus")

    def tau_value(self) -> Allocation:
        """The tau value (Tijs 1981): the efficient compromise between the utopia payoffs
        M_i = v(N) - v(N minus i) and the minimal rights m_i; ``UndefinedSolution`` when the
        game is not quasi-balanced (the message names the failing condition)."""
        return self._allocation(self._core.tau_value(), "tau value")

    def core_vertices(self) -> npt.NDArray[np.float64]:
        """The vertices of the core as a float64 array of shape (k, n): one row per vertex, in
        lexicographic order, columns in the order of ``players``; k = 0 when the core is empty.
        Convex games list their distinct marginal vectors (Shapley 1971), other games use the
        double description method. At most 8 players (``UndefinedSolution`` above)."""
        return self._core.core_vertices()

    def owen(self, unions: Iterable[Iterable[str]]) -> Allocation:
        """The Owen value (Owen 1977) for a priori unions: lists of names that partition the
        players (provinces of cities, ministries of departments). Equals the Shapley value when
        every union is one player or one union holds everyone."""
        groups = [_player_names(u) for u in unions]
        return self._allocation(self._core.owen(groups), "Owen value")

    def core_is_empty(self) -> bool:
        """True when no efficient allocation satisfies every coalition (least-core epsilon > 0)."""
        return self._core.core_is_empty()

    def in_core(self, x: Any, tol: Optional[float] = None) -> bool:
        """True when ``x`` (an Allocation, a sequence in player order, or a {name: value} dict
        naming every player) is efficient and satisfies every coalition within ``tol``.

        ``tol`` defaults to the game's own :attr:`tolerance` (relative to what cooperation
        adds, not to the standalone budgets), so the answer does not change when every value
        is rescaled or shifted by standalone amounts. It is widened by the rounding of ``x``
        itself (a few units in the last place of its largest entry). A negative or NaN ``tol``
        raises ``InvalidParameter``."""
        return self._core.in_core(self._vector(x), None if tol is None else float(tol))

    @property
    def tolerance(self) -> float:
        """The tolerance of this game's yes/no answers (core emptiness and membership, the
        properties): ``1e-9 * spread`` plus the rounding of the inputs (``n`` units in the last
        place of the largest ``|v(S)|``)."""
        return self._core.tolerance()

    @property
    def spread(self) -> float:
        """The scale of the zero-normalised game, ``max |v(S) - sum of v({i}) over S|``
        (cost games: of the savings game): what cooperation adds or takes away. Every
        stability solver works at this scale (1 for an additive game)."""
        return self._core.spread()

    def cost_of_stability(self) -> float:
        """The least outside subsidy that makes a stable split exist:
        min sum(x) - v(N) s.t. x(S) >= v(S) for all S (0 when the core is nonempty)."""
        return self._core.cost_of_stability()

    def _vector(self, x: Any) -> np.ndarray:
        if isinstance(x, Mapping):
            missing = [p for p in self.players if p not in x]
            extra = [k for k in x if k not in self.players]
            if missing or extra:
                raise InvalidGame(
                    f"the allocation must name every player exactly: missing {missing}, unknown {extra}"
                )
            x = [x[p] for p in self.players]
        arr = _values_array(x)
        if arr.shape[0] != self.n:
            raise InvalidGame(f"the allocation has {arr.shape[0]} entries but the game has {self.n} players")
        return arr

    def savings(self) -> "Game":
        """For a cost game, the savings game v(S) = sum of c({i}) over S minus c(S)."""
        return Game._wrap(self._core.savings(), self.metadata)

    def __repr__(self) -> str:
        shown = ", ".join(self.players[:10]) + (", ..." if self.n > 10 else "")
        return f"Game(n={self.n}, kind={self.kind!r}, players=[{shown}], v(N)={format(float(self.values[-1]), '.10g')})"

    def _repr_html_(self) -> str:
        title = html.escape(self.metadata.get("name") or f"{self.kind} game of {self.n} players")
        rows = "".join(
            f"<tr><td>{html.escape(p)}</td><td style='text-align:right'>{format(float(self.values[1 << i]), '.6g')}</td></tr>"
            for i, p in enumerate(self.players)
        )
        return (
            f"<table><caption>{title}: v(N) = {format(float(self.values[-1]), '.6g')}</caption>"
            f"<thead><tr><th>player</th><th>v({{i}})</th></tr></thead><tbody>{rows}</tbody></table>"
        )
