"""Cooperation on a network: the graph-restricted game (Myerson 1977), the Myerson value and the
position value (Borm, Owen and Tijs 1992). The mathematics is the Rust core's
(``solution::network``); this module converts the edges and labels the results."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, List, Tuple

import numpy as np

from . import _coalitional as _native
from ._allocation import Allocation
from ._convert import a_type, player_names, shown, tag

if TYPE_CHECKING:
    from ._game import Game

#: Edges: pairs of player names, e.g. ``[("Suzhou", "Songjiang"), ("Songjiang", "Jiaxing")]``,
#: or a graph object with an ``edges()`` method (a networkx graph) whose nodes are the names.
Edges = Iterable[Tuple[str, str]]


def edge_pairs(edges: Any, what: str = "edges") -> List[Tuple[str, str]]:
    """``edges`` as a list of pairs of ``str``: an iterable of two-name pairs, or a graph object
    with an ``edges()`` method (networkx). One string, a mapping, or an entry that is not a pair
    of names is an ``InvalidGame`` with ``code="invalid_parameter"``, ``name="edges"`` and, for
    an entry, its ``index``. Unknown names and self-loops are refused by the Rust core
    (``UnknownPlayer``; ``InvalidGame`` with ``name="edges"``)."""
    if callable(getattr(edges, "edges", None)):
        edges = edges.edges()
    if isinstance(edges, (str, bytes, bytearray, dict)) or not hasattr(edges, "__iter__"):
        raise tag(_native.InvalidGame(f"{what} must be a list of pairs of player names, not {a_type(edges)} "
                                      f"({shown(edges)})"), "invalid_parameter", name=what)
    out: List[Tuple[str, str]] = []
    for k, edge in enumerate(edges):
        pair = None
        if not isinstance(edge, (str, bytes, bytearray, dict)) and hasattr(edge, "__iter__"):
            items = list(edge)
            if len(items) == 2:
                try:
                    a, b = player_names(items, f"{what}[{k}]")
                    pair = (a, b)
                except _native.InvalidGame:
                    pair = None
        if pair is None:
            raise tag(_native.InvalidGame(f"{what}[{k}] must be a pair of player names, got {shown(edge)}"),
                      "invalid_parameter", name=what, index=k)
        out.append(pair)
    return out


class NetworkMixin:
    """``graph_restricted``, ``myerson`` and ``position_value`` for :class:`Game`."""

    __slots__ = ()

    @property
    def _core(self) -> Any:
        raise NotImplementedError

    def _allocation(self, values: np.ndarray, label: str) -> Allocation:
        raise NotImplementedError

    def graph_restricted(self, edges: Edges) -> "Game":
        """The graph-restricted game of Myerson (1977), "Graphs and cooperation in games",
        *Mathematics of Operations Research* 2: when players can cooperate only along the
        ``edges`` (pairs of player names; duplicates are harmless),

            v^G(S) = sum of v(T) over the connected components T of S in the graph,

        so a connected coalition keeps its worth and a disconnected one gets the sum of its
        pieces'. The kind (value or cost) is kept. One pass over the 2**n coalitions
        (O(n 2**n)); memory for the new values is checked first. An unknown name is
        ``UnknownPlayer``, a self-loop ``InvalidGame`` (``name="edges"``).

        >>> import coalitional as co
        >>> g = co.Game.from_function(["a", "b", "c"], lambda s: float(len(s) >= 2))
        >>> g.graph_restricted([("a", "b"), ("b", "c")]).value(["a", "c"])
        0.0
        """
        from ._game import Game

        return Game._wrap(_native.graph_restricted(self._core, edge_pairs(edges)))

    def myerson(self, edges: Edges) -> Allocation:
        """The Myerson value (Myerson 1977): the Shapley value of the graph-restricted game
        ``graph_restricted(edges)``. It is component efficient (each connected component of the
        graph shares exactly its worth) and fair (removing an edge changes both ends' values by
        the same amount); on the complete graph it is the Shapley value. Cost O(n 2**n).

        >>> import coalitional as co
        >>> g = co.Game.from_function(["a", "b", "c"], lambda s: float(len(s) >= 2))
        >>> [round(x, 4) for x in g.myerson([("a", "b"), ("b", "c")])]
        [0.1667, 0.6667, 0.1667]
        """
        return self._allocation(_native.myerson(self._core, edge_pairs(edges)), "Myerson value")

    def position_value(self, edges: Edges) -> Allocation:
        """The position value (Borm, Owen and Tijs 1992, "On the position value for
        communication situations", *SIAM Journal on Discrete Mathematics* 5): the edges are
        the players of the link game r(L) = v^L(N) (what everyone realises when only the links
        L work), and each player gets its standalone worth plus half of the Shapley value of
        each of its links in the zero-normalised link game:

            pi_i = v({i}) + sum over edges e at i of phi_e(r - r(empty)) / 2

        (Borm, Owen and Tijs take v({i}) = 0; the added v({i}) makes it shift covariant). It
        is component efficient. Cost: exponential in the number m of distinct edges, 2**m link
        coalitions of O(m + n) each; more than 25 edges is ``LimitExceeded``.

        >>> import coalitional as co
        >>> g = co.Game.from_function(["a", "b", "c"], lambda s: float(len(s) >= 2))
        >>> list(g.position_value([("a", "b"), ("b", "c")]))
        [0.25, 0.5, 0.25]
        """
        return self._allocation(_native.position_value(self._core, edge_pairs(edges)), "position value")
