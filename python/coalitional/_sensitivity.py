"""`Sensitivity`: how much each player's share moves per unit change of each coalition's worth."""

from __future__ import annotations

import importlib
from typing import Any, Callable, List, Sequence, Tuple

import numpy as np

from . import _coalitional as _native


class Sensitivity:
    """The table ``d x_i / d v(S)`` of a linear value (``Game.sensitivity``): one row per
    nonempty coalition (row ``r`` is the coalition with bit mask ``r + 1``), one column per
    player. Exact: the Shapley and raw Banzhaf values are linear in the worths, so the table
    does not depend on them. For a cost game the rows are costs ``c(S)`` and the entries cost
    shares (the same numbers).

    ``matrix`` is the read-only numpy table, ``to_pandas()`` a DataFrame indexed by coalition
    label (``"A + B"``), ``largest(k)`` the ``k`` entries largest in absolute value: the model
    runs whose precision matters most.
    """

    __slots__ = ("_core", "_players", "_kind", "_label_of", "_matrix")

    def __init__(
        self, core: _native.SensitivityCore, players: Sequence[str], kind: str, label_of: Callable[[int], str]
    ) -> None:
        self._core = core
        self._players = list(players)
        self._kind = kind
        self._label_of = label_of
        matrix = np.asarray(core.matrix, dtype=np.float64)
        matrix.flags.writeable = False
        self._matrix = matrix

    @property
    def players(self) -> List[str]:
        """Player names, in column order."""
        return list(self._players)

    @property
    def concept(self) -> str:
        """The value differentiated: ``"shapley"`` or ``"banzhaf"``."""
        return self._core.concept

    @property
    def kind(self) -> str:
        """The game's kind, ``"value"`` or ``"cost"``."""
        return self._kind

    @property
    def matrix(self) -> np.ndarray:
        """The ``(2**n - 1) × n`` table (read-only); row ``r`` is coalition mask ``r + 1``."""
        return self._matrix

    def to_pandas(self) -> Any:
        """A DataFrame: index the coalition labels (``"A + B"``, named ``coalition``), one
        column per player. Needs pandas."""
        pd = importlib.import_module("pandas")
        index = pd.Index([self._label_of(m) for m in range(1, len(self._matrix) + 1)], name="coalition")
        return pd.DataFrame(self._matrix, index=index, columns=list(self._players))

    def largest(self, k: int = 10) -> List[Tuple[str, str, float]]:
        """The ``k`` entries largest in absolute value, largest first (ties in coalition-mask
        order, then player order), as ``(coalition label, player, derivative)``."""
        if k < 0:
            raise ValueError(f"k must be nonnegative, got {k}")
        return [(self._label_of(m), self._players[i], d) for m, i, d in self._core.largest(k)]

    def __repr__(self) -> str:
        n = len(self._players)
        what = "c" if self._kind == "cost" else "v"
        top = self.largest(5)
        shown = _native.shown_numbers([d for _, _, d in top])
        lines = [
            f"Sensitivity of the {self._core.label}: d share / d {what}(S), "
            f"{len(self._matrix)} coalitions × {n} players; largest entries:"
        ]
        lines += [f"  {what}({s}) → {p}: {t}" for (s, p, _), t in zip(top, shown)]
        return "\n".join(lines)
