"""`PowerIndices`: Johnston, Deegan–Packel, Holler and Coleman indices of a simple game."""

from __future__ import annotations

import html
import importlib
from typing import Any, Callable, Dict, Iterator, List, Mapping, Optional, Union, cast

from . import _coalitional as _native
from ._allocation import Allocation

_KEYS = ("johnston", "deegan_packel", "holler", "coleman_prevent", "coleman_initiate", "coleman_collectivity")
_COLUMNS = ("johnston", "deegan_packel", "holler", "coleman_prevent", "coleman_initiate", "shapley_shubik", "banzhaf")
_LABELS = {
    "johnston": "Johnston index",
    "deegan_packel": "Deegan–Packel index",
    "holler": "Holler public good index",
    "coleman_prevent": "Coleman power to prevent action",
    "coleman_initiate": "Coleman power to initiate action",
    "shapley_shubik": "Shapley–Shubik index",
    "banzhaf": "normalised Banzhaf index",
}


class PowerIndices(Mapping[str, Union[Allocation, float]]):
    """The power indices of a simple game (worths 0 or 1, monotone, v(N) = 1), from exact
    integer counts (computed in Rust). With ``W`` the winning coalitions, ``L`` the losing ones,
    ``M`` the minimal winning ones and ``η_i`` the swings (winning ``S`` that lose without
    ``i``):

    - ``johnston`` (Johnston 1978): each winning coalition with ``k`` critical players gives
      ``1/k`` to each of them; normalised to sum 1;
    - ``deegan_packel`` (Deegan and Packel 1978): each minimal winning coalition ``S`` gives
      ``1/|S|`` to each member, divided by ``|M|``;
    - ``holler`` (Holler 1982, public good index): the number of minimal winning coalitions
      containing ``i``, normalised;
    - ``coleman_prevent`` ``η_i / |W|``, ``coleman_initiate`` ``η_i / |L|`` and
      ``coleman_collectivity`` ``|W| / 2**n`` (Coleman 1971).

    A mapping with exactly those six keys (``result["johnston"]``); the per-player indices are
    :class:`Allocation` s, ``coleman_collectivity`` a float. Also ``swings`` (exact, by name),
    ``minimal_winning`` (lists of names), ``shapley_shubik`` and ``banzhaf`` (normalised) for
    comparison, and ``to_pandas()``: players × indices.
    """

    __slots__ = ("_core", "_game", "_lister", "_cache")

    def __init__(self, core: Any, game: Any, lister: Optional[Callable[[], List[List[int]]]] = None) -> None:
        self._core = core
        self._game = game
        self._lister = lister
        self._cache: Dict[str, Allocation] = {}

    def _index(self, key: str) -> Allocation:
        if key not in self._cache:
            self._cache[key] = self._game._allocation(getattr(self._core, key), _LABELS[key])
        return self._cache[key]

    @property
    def players(self) -> List[str]:
        """Player names."""
        return list(self._core.players)

    @property
    def johnston(self) -> Allocation:
        """The Johnston index (normalised to sum 1)."""
        return self._index("johnston")

    @property
    def deegan_packel(self) -> Allocation:
        """The Deegan–Packel index (sums to 1)."""
        return self._index("deegan_packel")

    @property
    def holler(self) -> Allocation:
        """Holler's public good index (sums to 1)."""
        return self._index("holler")

    @property
    def coleman_prevent(self) -> Allocation:
        """Coleman's power to prevent action, ``η_i / |W|``."""
        return self._index("coleman_prevent")

    @property
    def coleman_initiate(self) -> Allocation:
        """Coleman's power to initiate action, ``η_i / |L|``."""
        return self._index("coleman_initiate")

    @property
    def coleman_collectivity(self) -> float:
        """Coleman's power of the collectivity to act, ``|W| / 2**n``."""
        return float(self._core.coleman_collectivity)

    @property
    def shapley_shubik(self) -> Allocation:
        """The Shapley–Shubik index, for comparison."""
        return self._index("shapley_shubik")

    @property
    def banzhaf(self) -> Allocation:
        """The normalised Banzhaf index ``η_i / Σ_j η_j``, for comparison."""
        return self._index("banzhaf")

    @property
    def swings(self) -> Dict[str, int]:
        """``η_i``: the exact number of winning coalitions that lose without each player."""
        return dict(zip(self._core.players, self._core.swings))

    @property
    def winning_count(self) -> int:
        """``|W|``, exact."""
        return int(self._core.winning_count)

    @property
    def losing_count(self) -> int:
        """``|L|``, exact (``|W| + |L| = 2**n``)."""
        return int(self._core.losing_count)

    @property
    def minimal_winning_count(self) -> int:
        """``|M|``, exact."""
        return int(self._core.minimal_winning_count)

    @property
    def minimal_winning(self) -> List[List[str]]:
        """The minimal winning coalitions as lists of names (in bit-mask order). A weighted
        voting game lists them on first access (at most 100000; more is a ``GameTooLarge``
        that gives their number: see ``WeightedVotingGame.minimal_winning(limit)``)."""
        listed = self._core.minimal_winning
        if listed is None:
            if self._lister is None:
                raise RuntimeError("the minimal winning coalitions were not listed")
            listed = self._lister()
        names = self._core.players
        return [[names[i] for i in members] for members in listed]

    def __getitem__(self, key: str) -> Union[Allocation, float]:
        if key == "coleman_collectivity":
            return self.coleman_collectivity
        if key in _KEYS:
            return self._index(key)
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(_KEYS)

    def __len__(self) -> int:
        return len(_KEYS)

    def to_pandas(self) -> Any:
        """A DataFrame: one row per player (index ``player``), columns johnston,
        deegan_packel, holler, coleman_prevent, coleman_initiate, shapley_shubik, banzhaf
        (normalised); ``df.attrs["coleman_collectivity"]`` holds the collectivity's power.
        Needs pandas."""
        pd = importlib.import_module("pandas")
        df = pd.DataFrame(
            {c: list(self._index(c)) for c in _COLUMNS},
            index=pd.Index(self.players, name="player"),
        )
        df.attrs["coleman_collectivity"] = self.coleman_collectivity
        return df

    def __repr__(self) -> str:
        return str(self._core)

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(c)}</th>" for c in _COLUMNS)
        cols = [_native.shown_numbers(list(self._index(c))) for c in _COLUMNS]
        rows = "".join(
            f"<tr><th>{html.escape(p)}</th>" + "".join(f"<td>{html.escape(col[i])}</td>" for col in cols) + "</tr>"
            for i, p in enumerate(self.players)
        )
        (collectivity,) = _native.shown_numbers([self.coleman_collectivity])
        return (
            f"<table><caption>Power indices (coleman_collectivity {html.escape(collectivity)}, "
            f"{self.minimal_winning_count} minimal winning coalitions)</caption>"
            f"<thead><tr><th>player</th>{head}</tr></thead><tbody>{rows}</tbody></table>"
        )


class PowerMixin:
    """``power_indices()`` for a dense :class:`Game`."""

    __slots__ = ()

    def power_indices(self) -> PowerIndices:
        """Johnston, Deegan–Packel, Holler's public good index and Coleman's powers to prevent
        and to initiate action and of the collectivity to act, with the swings and the minimal
        winning coalitions, of a simple game (worths 0 or 1, monotone, v(N) = 1): see
        :class:`PowerIndices`. One pass over the 2**n coalitions, exact integer counts.

        A game that is not simple raises ``UndefinedSolution`` (``code == "not_simple"``,
        ``coalition`` naming the coalition at fault and ``reason``).

        >>> import coalitional as co
        >>> g = co.Game([0, 0, 0, 1, 0, 1, 0, 1], ["A", "B", "C"])  # A with B or C wins
        >>> g.power_indices()["holler"]["A"]
        0.5
        """
        game = cast(Any, self)
        return PowerIndices(_native.power_indices(game._core), game)
