"""`Allocation`: a read-only, labelled float64 vector in player order."""

from __future__ import annotations

import html
import importlib
from typing import Any, Dict, Iterator, Optional, Sequence, Tuple, Union

import numpy as np

from ._coalitional import InvalidGame, UnknownPlayer
from ._convert import float_vector, player_names


class Allocation:
    """What each player receives (value game) or pays (cost game), in player order.

    Behaves like a read-only float64 vector: ``np.asarray(a)``, ``len(a)``, iteration,
    ``a[i]``; and like a mapping by name: ``a["Suzhou"]``, ``a.to_dict()``.

    Built from a one-dimensional sequence of real numbers and as many player names; bools,
    strings, complex numbers or a length mismatch are an ``InvalidGame``.
    """

    __slots__ = ("_values", "_players", "_label", "_kind")

    def __init__(
        self,
        values: Any,
        players: Sequence[str],
        *,
        label: Optional[str] = None,
        kind: str = "value",
    ) -> None:
        arr = np.array(float_vector(values, "the allocation's values"), dtype=np.float64)
        players = tuple(player_names(players))
        if arr.shape[0] != len(players):
            raise InvalidGame(
                f"an allocation needs one value per player: {arr.shape[0]} values for "
                f"{len(players)} players"
            )
        arr.flags.writeable = False
        self._values = arr
        self._players = players
        self._label = label
        self._kind = kind

    @property
    def players(self) -> Tuple[str, ...]:
        """Player names, in order."""
        return self._players

    @property
    def label(self) -> Optional[str]:
        """The solution concept that produced it, e.g. ``"Shapley value"``."""
        return self._label

    @property
    def kind(self) -> str:
        """``"value"`` (payoffs) or ``"cost"`` (cost shares)."""
        return self._kind

    @property
    def values(self) -> np.ndarray:
        """The numbers as a read-only float64 array."""
        return self._values

    def total(self) -> float:
        """Sum over all players."""
        return float(self._values.sum())

    def __array__(self, dtype: Any = None, copy: Optional[bool] = None) -> np.ndarray:
        if copy:
            return np.array(self._values, dtype=dtype, copy=True)
        if dtype is None:
            return self._values
        return self._values.astype(dtype)

    def __len__(self) -> int:
        return len(self._players)

    def __iter__(self) -> Iterator[float]:
        return (float(x) for x in self._values)

    def __getitem__(self, key: Union[int, str]) -> float:
        if isinstance(key, str):
            try:
                index = self._players.index(key)
            except ValueError:
                raise UnknownPlayer(
                    f"{key!r} is not a player of this allocation (players: {', '.join(self._players)})"
                ) from None
            return float(self._values[index])
        if isinstance(key, (int, np.integer)):
            return float(self._values[key])
        raise TypeError(f"index an Allocation by position (int) or player name (str), not {type(key).__name__}")

    def to_dict(self) -> Dict[str, float]:
        """``{player: value}`` in player order."""
        return {p: float(x) for p, x in zip(self._players, self._values)}

    def to_pandas(self) -> Any:
        """A ``pandas.Series`` indexed by player name (needs pandas)."""
        pd = importlib.import_module("pandas")
        return pd.Series(self._values.copy(), index=pd.Index(self._players, name="player"), name=self._label or "allocation")

    def _title(self) -> str:
        what = "cost shares" if self._kind == "cost" else "payoffs"
        return f"Allocation: {self._label} ({what})" if self._label else f"Allocation ({what})"

    def __repr__(self) -> str:
        width = max((len(p) for p in self._players), default=0)
        rows = [f"  {p:<{width}}  {format(float(x), '.10g')}" for p, x in zip(self._players, self._values)]
        return "\n".join([self._title(), *rows])

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(p)}</td><td style='text-align:right'>{format(float(x), '.6g')}</td></tr>"
            for p, x in zip(self._players, self._values)
        )
        return (
            f"<table><caption>{html.escape(self._title())}</caption>"
            f"<thead><tr><th>player</th><th>{'cost share' if self._kind == 'cost' else 'payoff'}</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )


class LeastCore:
    """The least core: the least ``epsilon`` such that an efficient allocation gives every
    proper coalition at least ``v(S) - epsilon`` (cost games: pays at most ``c(S) + epsilon``),
    and one such ``allocation``. The core is nonempty iff ``epsilon <= 0``.
    """

    __slots__ = ("epsilon", "allocation")

    def __init__(self, epsilon: float, allocation: Allocation) -> None:
        self.epsilon = float(epsilon)
        self.allocation = allocation

    def __repr__(self) -> str:
        return f"LeastCore(epsilon={format(self.epsilon, '.10g')})\n{self.allocation!r}"

    def _repr_html_(self) -> str:
        return f"<p>least core: &epsilon; = {format(self.epsilon, '.6g')}</p>" + self.allocation._repr_html_()

    def to_pandas(self) -> Any:
        """The allocation as a pandas Series, named with the least core's epsilon."""
        series = self.allocation.to_pandas()
        series.name = f"least core (epsilon = {format(self.epsilon, '.6g')})"
        return series
