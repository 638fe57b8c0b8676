"""`Sensitivity`: how much each player's share moves per unit change of each coalition's worth."""

from __future__ import annotations

import importlib
from typing import Any, Callable, List, Sequence, Tuple

import numpy as np

from . import _coalitional as _native


class Sensitivity:
    """The table ``d x_i / d v(S)`` (``Game.sensitivity``): one row per nonempty coalition
    (row ``r`` is the coalition with bit mask ``r + 1``), one column per player. For the Shapley
    and raw Banzhaf values it is exact and does not depend on the worths (they are linear).
    For the nucleolus and the prenucleolus (piecewise linear) it is the derivative at this
    game: exact and two-sided where the tight excess levels stay put, and, for the coalitions
    of a level that a change of their worth splits, the one-sided derivative for an
    **increase** of the worth; ``two_sided`` tells the rows apart. For a cost game the rows
    are costs ``c(S)`` and the entries cost shares.

    ``matrix`` is the read-only numpy table, ``two_sided`` the read-only boolean per row,
    ``to_pandas()`` a DataFrame indexed by coalition label (``"A + B"``; for the nucleolus and
    the prenucleolus with a last column ``two_sided``), ``largest(k)`` the ``k`` entries
    largest in absolute value: the model runs whose precision matters most.
    """

    __slots__ = ("_core", "_players", "_kind", "_label_of", "_matrix", "_two_sided")

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
        two_sided = np.asarray(core.two_sided, dtype=bool)
        two_sided.flags.writeable = False
        self._two_sided = two_sided

    @property
    def players(self) -> List[str]:
        """Player names, in column order."""
        return list(self._players)

    @property
    def concept(self) -> str:
        """The value differentiated: ``"shapley"``, ``"banzhaf"``, ``"nucleolus"`` or
        ``"prenucleolus"``."""
        return self._core.concept

    @property
    def kind(self) -> str:
        """The game's kind, ``"value"`` or ``"cost"``."""
        return self._kind

    @property
    def matrix(self) -> np.ndarray:
        """The ``(2**n - 1) × n`` table (read-only); row ``r`` is coalition mask ``r + 1``."""
        return self._matrix

    @property
    def two_sided(self) -> np.ndarray:
        """Per row (read-only booleans): ``True`` where the row is the exact two-sided
        derivative, ``False`` where it is the one-sided derivative for an increase of the worth
        (nucleolus and prenucleolus only)."""
        return self._two_sided

    def to_pandas(self) -> Any:
        """A DataFrame: index the coalition labels (``"A + B"``, named ``coalition``), one
        column per player, and for the nucleolus and the prenucleolus a last boolean column
        ``two_sided``. Needs pandas."""
        pd = importlib.import_module("pandas")
        index = pd.Index([self._label_of(m) for m in range(1, len(self._matrix) + 1)], name="coalition")
        df = pd.DataFrame(self._matrix, index=index, columns=list(self._players))
        if not self._core.linear:
            df["two_sided"] = self._two_sided
        return df

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
        one_sided = [m + 1 for m in np.flatnonzero(~self._two_sided)]
        if one_sided:
            labels = ", ".join(self._label_of(int(m)) for m in one_sided[:5])
            more = f", … {len(one_sided) - 5} more" if len(one_sided) > 5 else ""
            lines.append(
                f"one-sided rows (the derivative for an increase of {what}(S)): "
                f"{len(one_sided)} of {len(self._matrix)}: {labels}{more}"
            )
        return "\n".join(lines)
