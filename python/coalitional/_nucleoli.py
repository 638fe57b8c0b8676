"""Other nucleoli and the kernel on ``Game``: the per-capita, proportional and disruption
nucleoli, the nucleolus for a coalition structure, a kernel point and the (pre)kernel checks.

All the mathematics is the Rust core's (``solution::nucleolus::variants`` and
``solution::kernel_point``); this mixin converts the arguments and labels the results."""

from __future__ import annotations

from typing import Any, Iterable, Optional

import numpy as np

from . import _coalitional as _native
from ._allocation import Allocation
from ._coalitional import InvalidGame
from ._convert import a_type, player_names, real_number, tag


class NucleoliMixin:
    """Weighted nucleoli, the nucleolus for a coalition structure, and the kernel, for
    ``Game`` (which supplies ``_core``, ``_allocation`` and ``_vector``)."""

    __slots__ = ()

    @property
    def _core(self) -> _native.GameCore:
        raise NotImplementedError

    def _allocation(self, values: np.ndarray, label: str) -> Allocation:
        raise NotImplementedError

    def _vector(self, x: Any, what: str = "the allocation") -> np.ndarray:
        raise NotImplementedError

    def per_capita_nucleolus(self) -> Allocation:
        """The per-capita nucleolus (Grotte 1970; Young, Okada and Hashimoto 1982, "Cost
        allocation in water resources development"): the imputation whose excesses per member,
        ``(v(S) - x(S)) / |S|``, sorted decreasingly, are lexicographically smallest (cost
        games: ``(x(S) - c(S)) / |S|``). Solved by sequential LPs and verified by Kohlberg's
        criterion on the weighted excesses, as :meth:`nucleolus` is. ``UndefinedSolution``
        when there is no imputation.

        >>> import coalitional as co
        >>> g = co.Game([0, 0, 0, 4, 0, 0, 0, 6], ["A", "B", "C"])
        >>> [round(v, 6) for v in g.per_capita_nucleolus()]
        [2.666667, 2.666667, 0.666667]
        """
        return self._allocation(self._core.rule("per_capita_nucleolus"), "per-capita nucleolus")

    def proportional_nucleolus(self) -> Allocation:
        """The proportional nucleolus (Young, Okada and Hashimoto 1982): the imputation whose
        relative excesses ``(v(S) - x(S)) / v(S)`` are lexicographically smallest (cost games:
        ``(x(S) - c(S)) / c(S)``). The weights are the worths (costs) of the game as given, so
        it is defined only when every nonempty coalition has ``v(S) > 0`` (``c(S) > 0``);
        otherwise ``UndefinedSolution`` naming the coalition.

        >>> import coalitional as co
        >>> g = co.Game([0, 1, 1, 4, 1, 2, 2, 6], ["A", "B", "C"])
        >>> [round(v, 6) for v in g.proportional_nucleolus()]
        [2.4, 2.4, 1.2]
        """
        return self._allocation(self._core.rule("proportional_nucleolus"), "proportional nucleolus")

    def disruption_nucleolus(self) -> Allocation:
        """The disruption nucleolus (Littlechild and Vaidya 1976, "The propensity to disrupt
        and the disruption nucleolus of a characteristic function game"): the imputation that
        lexicographically minimises the propensities to disrupt
        ``d(S, x) = (x(N \\ S) - v(N \\ S)) / (x(S) - v(S))``. Since
        ``d(S, x) = -1 - w(S) / e(S, x)`` with ``w(S) = v(N) - v(S) - v(N \\ S)``, it is the
        nucleolus of the weighted excesses ``e(S, x) / w(S)`` (cost games:
        ``w(S) = c(S) + c(N \\ S) - c(N)``). ``UndefinedSolution`` naming a coalition with
        ``w(S) <= 0`` (for instance a dummy player's).

        >>> import coalitional as co
        >>> g = co.Game([0, 1, 1, 4, 1, 2, 2, 6], ["A", "B", "C"])
        >>> [round(v * 7, 6) for v in g.disruption_nucleolus()]
        [16.0, 16.0, 10.0]
        """
        return self._allocation(self._core.rule("disruption_nucleolus"), "disruption nucleolus")

    def structured_nucleolus(self, blocks: Iterable[Iterable[str]]) -> Allocation:
        """The nucleolus for a coalition structure (Aumann and Drèze 1974): ``blocks`` are
        lists of names partitioning the players; the result has ``x(B) = v(B)`` for every block
        and ``x_i >= v({i})``, with the lexicographically smallest sorted excesses over all
        coalitions. With the single block of everyone it is :meth:`nucleolus`. Blocks that do
        not partition the players raise ``InvalidGame`` (``name == "blocks"``); a block worth
        less than its members alone, ``UndefinedSolution``.

        >>> import coalitional as co
        >>> g = co.Game([0, 0, 0, 4, 0, 0, 0, 6], ["A", "B", "C"])
        >>> g.structured_nucleolus([["A", "B"], ["C"]]).to_dict()
        {'A': 2.0, 'B': 2.0, 'C': 0.0}
        """
        if isinstance(blocks, (str, bytes)) or not hasattr(blocks, "__iter__"):
            raise tag(InvalidGame(f"blocks must be a list of lists of names, not {a_type(blocks)}"),
                      "invalid_parameter", name="blocks")
        groups = [player_names(b, f"blocks[{i}]", ordered=False) for i, b in enumerate(blocks)]
        return self._allocation(_native.structured_nucleolus(self._core, groups), "nucleolus for blocks")

    def kernel_point(self) -> Allocation:
        """A point of the kernel (Davis and Maschler 1965), by Stearns' transfer scheme (1968)
        from the equal split of the surplus over the standalone values: while some player
        ``i`` outweighs ``j`` (surplus ``s_ij > s_ji``) and ``j`` is above its standalone value,
        ``min((s_ij - s_ji) / 2, x_j - v({j}))`` moves from ``j`` to ``i`` (the largest such
        transfer first), until no transfer exceeds the game's tolerance. The result passes
        :meth:`in_kernel`. ``UndefinedSolution`` when there is no imputation.

        >>> import coalitional as co
        >>> g = co.Game([0, 0, 0, 4, 0, 0, 0, 6], ["A", "B", "C"])
        >>> [round(v, 6) for v in g.kernel_point()]
        [2.5, 2.5, 1.0]
        """
        return self._allocation(self._core.rule("kernel_point"), "kernel point")

    def in_kernel(self, x: Any, tol: Optional[float] = None) -> bool:
        """True when ``x`` (an Allocation, a sequence in player order, or a {name: value}
        dict) is an imputation and, for every pair, ``s_ij(x) <= s_ji(x)`` or
        ``x_j = v({j})``, within ``tol`` (default :attr:`tolerance`); ``s_ij(x)`` is the
        largest excess ``v(S) - x(S)`` over the coalitions with ``i`` and without ``j``.

        >>> import coalitional as co
        >>> g = co.Game([0, 0, 0, 1, 0, 1, 1, 1], ["A", "B", "C"])
        >>> g.in_kernel(g.nucleolus()), g.in_kernel([0.5, 0.5, 0.0])
        (True, False)
        """
        return _native.in_kernel(self._core, self._vector(x, "x"), None if tol is None else real_number(tol, "tol"))

    def in_prekernel(self, x: Any, tol: Optional[float] = None) -> bool:
        """True when ``x`` is efficient and ``s_ij(x) = s_ji(x)`` for every pair, within
        ``tol`` (default :attr:`tolerance`); see :meth:`in_kernel`."""
        return _native.in_prekernel(self._core, self._vector(x, "x"), None if tol is None else real_number(tol, "tol"))
