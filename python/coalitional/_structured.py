"""Nucleolus, prenucleolus and least core of the airport and assignment games without their
2**n values (issue 18): thin methods over the Rust core (``classes::airport_nucleolus``,
``classes::assignment_nucleolus``), mixed into :class:`AirportGame` and
:class:`AssignmentGame`. With ``bounds`` they fall back to the dense computation.
"""

from __future__ import annotations

from typing import Any, Optional

from . import _coalitional as _native
from ._allocation import Allocation, LeastCore
from ._convert import BoundsLike
from ._game import Game


class _Stable(Game):
    """Shared wrapping: the class's own stability methods, dense only with ``bounds``."""

    __slots__ = ()
    _structure: Any
    _NATIVE = ""
    #: How the report describes the methods beyond the dense limit.
    _NUCLEOLUS_METHOD = ""
    _LEAST_CORE_METHOD = ""

    def _nucleolus_values(self) -> Any:
        return getattr(_native, f"{self._NATIVE}_nucleolus")(self._structure)

    def nucleolus(self, *, bounds: Optional[BoundsLike] = None, progress: bool = False) -> Allocation:
        if bounds is not None:
            return super().nucleolus(bounds=bounds, progress=progress)
        return self._allocation(self._nucleolus_values(), "nucleolus")

    def prenucleolus(self, *, bounds: Optional[BoundsLike] = None, progress: bool = False) -> Allocation:
        if bounds is not None:
            return super().prenucleolus(bounds=bounds, progress=progress)
        return self._allocation(self._nucleolus_values(), "prenucleolus")

    def least_core(self, *, bounds: Optional[BoundsLike] = None, progress: bool = False) -> LeastCore:
        if bounds is not None:
            return super().least_core(bounds=bounds, progress=progress)
        native = getattr(_native, f"{self._NATIVE}_least_core")(self._structure)
        return LeastCore(native.epsilon, self._allocation(native.allocation, "least core"))


class AirportStability(_Stable):
    """The airport game's nucleolus and least core by Littlechild's algorithm."""

    __slots__ = ()
    _NATIVE = "airport"
    _NUCLEOLUS_METHOD = "Littlechild's algorithm for the airport game (Littlechild 1974; no 2^n values)"
    _LEAST_CORE_METHOD = "the first stage of Littlechild's algorithm (no 2^n values)"

    def nucleolus(self, *, bounds: Optional[BoundsLike] = None, progress: bool = False) -> Allocation:
        """The cost nucleolus (shares x minimising the sorted excesses x(S) - c(S)) by
        Littlechild's algorithm (Littlechild 1974), without the 2**n values: with the costs
        sorted, c_1 <= ... <= c_n, the cheapest players pay
        lambda_1 = min_{j < n} c_j / (j + 1) (up to the last minimiser), the next ones the same
        minimum over the rest after what is paid, and the largest user the remainder.
        O(n**2) at worst: 1,000 runways take about a millisecond. With ``bounds`` (see
        :meth:`Game.nucleolus`), the dense computation.

        >>> import coalitional as co
        >>> [float(v) for v in co.airport([1, 3, 6]).nucleolus()]
        [0.5, 1.25, 4.25]
        """
        return super().nucleolus(bounds=bounds, progress=progress)

    def prenucleolus(self, *, bounds: Optional[BoundsLike] = None, progress: bool = False) -> Allocation:
        """The prenucleolus: the nucleolus again, as the airport game's core is nonempty (it
        is concave) and the prenucleolus lies in the core whenever the core is nonempty. With
        ``bounds``, the dense computation."""
        return super().prenucleolus(bounds=bounds, progress=progress)

    def least_core(self, *, bounds: Optional[BoundsLike] = None, progress: bool = False) -> LeastCore:
        """The least core without the 2**n values: epsilon = -min_{j < n} c_j / (j + 1)
        (costs sorted; the first stage of Littlechild's algorithm), with the nucleolus as its
        allocation (a point of the least core; the dense method returns a vertex of its linear
        program instead, which may differ). Two players at least (``UndefinedSolution``
        otherwise). With ``bounds``, the dense computation.

        >>> import coalitional as co
        >>> co.airport([1, 3, 6]).least_core().epsilon
        -0.5
        """
        return super().least_core(bounds=bounds, progress=progress)


class AssignmentStability(_Stable):
    """The assignment game's nucleolus and least core over its essential coalitions."""

    __slots__ = ()
    _NATIVE = "assignment"
    _NUCLEOLUS_METHOD = ("the lexicographic centre of the core over the essential coalitions (Huberman 1980; "
                         "Solymosi and Raghavan 1994; no 2^n values)")
    _LEAST_CORE_METHOD = "epsilon = 0 (the core) or -a/2 for a single pair; no 2^n values"

    def nucleolus(self, *, bounds: Optional[BoundsLike] = None, progress: bool = False) -> Allocation:
        """The nucleolus without the 2**n values: the lexicographic centre of the core with
        respect to the essential coalitions, the singletons and the mixed pairs (Huberman
        1980; Solymosi and Raghavan 1994). The core is a system of difference constraints on
        the matched rows' payoffs; each stage finds its minimum-mean cycles (Karp 1978) and
        contracts them, O(p**4) at worst for p matched pairs: a 200 x 200 market in a fraction
        of a second. Rows first, then columns. With ``bounds`` (see :meth:`Game.nucleolus`),
        the dense computation.

        >>> import coalitional as co
        >>> g = co.assignment([[3, 5]], ["donor"], ["r1", "r2"])
        >>> [round(float(v), 9) for v in g.nucleolus()]
        [4.0, 0.0, 1.0]
        """
        return super().nucleolus(bounds=bounds, progress=progress)

    def prenucleolus(self, *, bounds: Optional[BoundsLike] = None, progress: bool = False) -> Allocation:
        """The prenucleolus: the nucleolus again, as the core is nonempty (Shapley and Shubik
        1971) and the prenucleolus lies in the core whenever the core is nonempty. With
        ``bounds``, the dense computation."""
        return super().prenucleolus(bounds=bounds, progress=progress)

    def least_core(self, *, bounds: Optional[BoundsLike] = None, progress: bool = False) -> LeastCore:
        """The least core without the 2**n values: epsilon = 0, the least core being the core
        (the matched pairs and unmatched players split N into proper coalitions whose excesses
        add up to 0), except for a single row and column, where epsilon = -a/2; the allocation
        is the nucleolus. Two players at least (``UndefinedSolution`` otherwise). With
        ``bounds``, the dense computation."""
        return super().least_core(bounds=bounds, progress=progress)
