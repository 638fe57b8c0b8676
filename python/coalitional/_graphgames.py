"""Network and production games: minimum-cost spanning tree games (Bird 1976), induced subgraph
games (Deng and Papadimitriou 1994) and linear production games (Owen 1975).

Each is a :class:`StructuredGame`: the worth of a coalition comes from the parameters (a
spanning tree, a sum of edge weights, a linear program), the class's own rule (Bird's rule, the
closed-form Shapley value, the shadow-price allocation) needs no 2**n values, and every other
method of :class:`Game` builds the dense game on first use (memory checked first).
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from . import _coalitional as _native
from ._allocation import Allocation, _Kind
from ._classes import StructuredGame
from ._coalitional import GameError, InvalidGame
from ._convert import a_type, float_vector, player_names, real_number, shown, tag
from ._game import Game, Names, _members

Edge = Tuple[str, str, float]


def _invalid(name: str, reason: str) -> GameError:
    """An InvalidGame with the code and fields of Rust's ``Error::InvalidParameter``."""
    return tag(InvalidGame(f"invalid {name}: {reason}"), "invalid_parameter", name=name, reason=reason)


def _rows(x: Any, what: str) -> List[List[float]]:
    """A matrix (list of rows or 2-D array) as lists of floats; ragged rows pass, so that the
    core reports the shape it expected."""
    if isinstance(x, (str, bytes, bytearray, Mapping)) or not hasattr(x, "__iter__"):
        raise _invalid(what, f"{what} must be a matrix (a sequence of rows), not {a_type(x)} ({shown(x)})")
    return [[float(v) for v in float_vector(row, what)] for row in x]


class _NetworkGame(StructuredGame):
    """Shared behaviour: worths by name from the parameters, the dense game on request, JSON
    through the dense game (these classes have no class form in the JSON format)."""

    __slots__ = ()

    def value(self, names: Names) -> float:
        """The worth (or cost) of the coalition of the named players, from the parameters."""
        return float(self._structure.value(_members(names)))

    def to_game(self) -> Game:
        """The dense :class:`Game` (all 2**n worths, memory checked first)."""
        return self.dense()

    def to_json(self) -> str:
        """The dense game as JSON (these classes have no class form in the JSON format)."""
        return self.dense().to_json()

    def __str__(self) -> str:
        return str(self._structure.describe())


class SpanningTreeGame(_NetworkGame):
    """The minimum-cost spanning tree game (Bird 1976), a cost game: c(S) is the cost of a
    cheapest tree connecting S and the source through S's own members (Prim's algorithm,
    O(|S|**2) per coalition)."""

    __slots__ = ()
    _KIND: _Kind = "cost"

    @property
    def source(self) -> str:
        """The source's name."""
        return str(self._structure.source)

    @property
    def costs(self) -> List[List[float]]:
        """The symmetric (n+1) x (n+1) cost matrix, the source first (zero diagonal)."""
        return [list(row) for row in self._structure.costs]

    def bird(self) -> Allocation:
        """Bird's rule (Bird 1976): each player pays the edge that connects it towards the source
        in a minimum spanning tree (:meth:`minimum_spanning_tree`); in the core. O(n**2).

        Ties: Prim's algorithm from the source connects next the player with the cheapest edge
        (the lowest index among equals), through the node connected first among equals."""
        return self._allocation(self._structure.bird(), "Bird's rule")

    def minimum_spanning_tree(self) -> List[Tuple[str, str, float]]:
        """The tree Bird's rule uses, as (parent, player, cost) edges in the order Prim's
        algorithm connects the players (parent is the source's name or a player's)."""
        names = self.players
        return [
            (self.source if parent is None else names[parent], names[child], float(cost))
            for parent, child, cost in self._structure.minimum_spanning_tree()
        ]

    def __repr__(self) -> str:
        shown_players = ", ".join(self.players[:10]) + (", ..." if self.n > 10 else "")
        return f"SpanningTreeGame(n={self.n}, source={self.source!r}, players=[{shown_players}])"

    def _parameters(self) -> Dict[str, Any]:
        return {"players": list(self.players), "source": self.source, "costs": self.costs}


class InducedSubgraphGame(_NetworkGame):
    """The induced subgraph game (Deng and Papadimitriou 1994): v(S) is the total weight of the
    edges with both ends in S (weights may be negative). The Shapley value has a closed form,
    phi_i = 1/2 * sum of the weights at i; the core is nonempty iff no cut has negative weight,
    and then contains the Shapley value (with non-negative weights the game is convex)."""

    __slots__ = ()

    @property
    def edges(self) -> List[Edge]:
        """The edges as (name, name, weight), in the order given."""
        names = self.players
        return [(names[a], names[b], float(w)) for a, b, w in self._structure.edges]

    def shapley(self, *, progress: bool = False) -> Allocation:
        """phi_i = 1/2 * sum of the weights of the edges at i (Deng and Papadimitriou 1994;
        O(n + |E|), no 2**n; ``progress`` shows no bar)."""
        return self._allocation(self._structure.shapley(), "Shapley value")

    def is_convex(self, *, progress: bool = False) -> bool:
        """True when every pair's total weight is >= 0 (O(n**2), no 2**n)."""
        return bool(self._structure.is_convex())

    def _parameters(self) -> Dict[str, Any]:
        return {"players": list(self.players), "edges": self.edges}


class LinearProductionGame(_NetworkGame):
    """Owen's (1975) linear production game: v(S) = max p.y s.t. A y <= sum of the resources of
    S, y >= 0 (one linear program per coalition)."""

    __slots__ = ()

    @property
    def technology(self) -> List[List[float]]:
        """A (m x k): units of resource r per unit of product p."""
        return [list(row) for row in self._structure.technology]

    @property
    def prices(self) -> List[float]:
        """The k product prices."""
        return list(self._structure.prices)

    @property
    def resources(self) -> Dict[str, List[float]]:
        """Each player's m resources."""
        return {p: list(row) for p, row in zip(self.players, self._structure.resources)}

    def production_plan(self, names: Names) -> List[float]:
        """The best production plan y (k amounts) of the coalition of the named players."""
        return [float(y) for y in self._structure.production_plan(_members(names))]

    def shadow_prices(self) -> List[float]:
        """z*: an optimal solution of the dual of the grand coalition's program,
        min z.b(N) s.t. z^T A >= p, z >= 0 (the resources' prices)."""
        return [float(z) for z in self._structure.shadow_prices()]

    def shadow_price_allocation(self) -> Allocation:
        """Owen's allocation x_i = z*.b_i: each player is paid its resources at the shadow
        prices. Efficient (z*.b(N) = v(N), checked) and in the core (Owen 1975)."""
        return self._allocation(self._structure.shadow_price_allocation(), "shadow-price allocation")

    def _parameters(self) -> Dict[str, Any]:
        return {
            "players": list(self.players),
            "technology": self.technology,
            "prices": self.prices,
            "resources": self.resources,
        }


def spanning_tree_game(
    costs: Any, players: Optional[Iterable[str]] = None, *, source: str = "source"
) -> SpanningTreeGame:
    """The minimum-cost spanning tree game (Bird 1976) of the symmetric (n+1) x (n+1) matrix
    ``costs``, the source first (row and column 0), then the players in order; ``source`` names
    the source in displays.

    >>> import coalitional as co
    >>> g = co.spanning_tree_game([[0, 4, 5], [4, 0, 1], [5, 1, 0]], ["A", "B"], source="plant")
    >>> g.bird().to_dict()
    {'A': 4.0, 'B': 1.0}
    """
    names = None if players is None else player_names(players)
    if not isinstance(source, str):
        raise _invalid("source", f"source must be a name (str), not {a_type(source)} ({shown(source)})")
    return SpanningTreeGame(_native.SpanningTreeCore(_rows(costs, "costs"), names, source))


def induced_subgraph_game(
    edges_with_weights: Union[Iterable[Sequence[Any]], Mapping[Tuple[str, str], float]],
    players: Optional[Iterable[str]] = None,
) -> InducedSubgraphGame:
    """The induced subgraph game (Deng and Papadimitriou 1994) of weighted edges, given as
    ``(a, b, weight)`` triples or a mapping ``{(a, b): weight}``; ``players`` defaults to the
    names in the order they first appear.

    >>> import coalitional as co
    >>> g = co.induced_subgraph_game([("A", "B", 6), ("B", "C", 4), ("A", "C", -2)])
    >>> g.shapley().to_dict()
    {'A': 2.0, 'B': 5.0, 'C': 1.0}
    """
    if isinstance(edges_with_weights, Mapping):
        items: List[Any] = [(*pair, w) for pair, w in edges_with_weights.items()]
    elif isinstance(edges_with_weights, (str, bytes)) or not hasattr(edges_with_weights, "__iter__"):
        raise _invalid("edges", f"edges must be (a, b, weight) triples, not {a_type(edges_with_weights)}")
    else:
        items = list(edges_with_weights)
    edges: List[Edge] = []
    for k, e in enumerate(items):
        if isinstance(e, (str, bytes)) or not hasattr(e, "__len__") or len(e) != 3:
            raise _invalid("edges", f"edge {k} must be an (a, b, weight) triple, not {shown(e)}")
        a, b = player_names([e[0], e[1]], f"edge {k}")
        edges.append((a, b, real_number(e[2], f"the weight of edge {k}")))
    if players is None:
        seen: Dict[str, None] = {}
        for a, b, _ in edges:
            seen.setdefault(a)
            seen.setdefault(b)
        names = list(seen)
    else:
        names = player_names(players)
    return InducedSubgraphGame(_native.InducedSubgraphCore(edges, names))


def linear_production(
    technology: Any, prices: Sequence[float], resources: Any, players: Optional[Iterable[str]] = None
) -> LinearProductionGame:
    """Owen's (1975) linear production game: ``technology`` A (m resources x k products, units of
    resource per unit of product), ``prices`` (k), ``resources`` (n x m, row i = player i's).

    >>> import coalitional as co
    >>> g = co.linear_production([[1, 2]], [3, 5], [[4], [6]], ["A", "B"])
    >>> [round(v, 9) for v in g.shadow_price_allocation()]
    [12.0, 18.0]
    """
    names = None if players is None else player_names(players)
    price_list = [float(p) for p in float_vector(prices, "prices")]
    return LinearProductionGame(
        _native.LinearProductionCore(_rows(technology, "technology"), price_list, _rows(resources, "resources"), names)
    )

