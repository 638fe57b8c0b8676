"""`ClosestPoint`: the stable split nearest to a reference (``Game.closest_core_point``).

The computation is Rust's (``coalitional::solution::closest``: LPs for L1 and L∞, the Clarabel
QP for L2, an exact polish and a KKT check); this module labels the result.
"""

from __future__ import annotations

import html
import importlib
from typing import TYPE_CHECKING, Any, Optional

import numpy as np

from ._allocation import Allocation

if TYPE_CHECKING:
    from ._game import Game
    from ._settle import Settlement


class ClosestPoint:
    """The stable allocation nearest to a reference (:meth:`Game.closest_core_point`).

    ``allocation`` (an :class:`Allocation`), ``reference`` (the reference as an Allocation),
    ``norm`` ("l1", "l2" or "linf"), ``distance`` (in that norm), ``target`` ("core", or
    "least_core" when the core is empty) and ``epsilon`` (the least core's value then, else
    ``None``). ``changes`` is ``allocation - reference``; ``settlement()`` the payments that
    take the players from the reference (or another status quo) to the point.
    """

    __slots__ = ("allocation", "reference", "norm", "distance", "target", "epsilon", "_text", "_game")

    def __init__(self, game: "Game", native: Any) -> None:
        self.norm: str = native.norm
        self.target: str = native.target
        self.epsilon: Optional[float] = native.epsilon
        self.distance: float = float(native.distance)
        where = "core" if self.target == "core" else "least core"
        self.allocation: Allocation = game._allocation(native.allocation, f"closest {where} point ({self.norm})")
        self.reference: Allocation = game._allocation(native.reference, "reference")
        self._text: str = str(native)
        self._game = game

    @property
    def changes(self) -> Allocation:
        """``allocation - reference`` per player: who gains and who gives up, and how much."""
        return self.allocation - self.reference

    def settlement(self, status_quo: Any = None, *, top: int = 5) -> "Settlement":
        """The settlement from ``status_quo`` (default: the reference) to the closest point:
        ``co.settle(game, self.allocation, status_quo)``."""
        from ._settle import settle

        return settle(self._game, self.allocation, self.reference if status_quo is None else status_quo, top=top)

    def to_pandas(self) -> Any:
        """A DataFrame indexed by player: ``reference``, ``closest`` and ``change``."""
        pd = importlib.import_module("pandas")
        ref, x = np.asarray(self.reference).copy(), np.asarray(self.allocation).copy()
        return pd.DataFrame(
            {"reference": ref, "closest": x, "change": x - ref},
            index=pd.Index(list(self.allocation.players), name="player"),
        )

    def __repr__(self) -> str:
        return self._text

    def _repr_html_(self) -> str:
        head, _, _ = self._text.partition("\n")
        return f"<p>{html.escape(head)}</p>" + self.allocation._repr_html_()
