"""Network and production games from Python: spanning tree games (Bird 1976), induced subgraph
games (Deng and Papadimitriou 1994) and linear production games (Owen 1975), against numpy
brute-force oracles written here, with their typed errors."""

import itertools
import math

import numpy as np
import pytest

import coalitional as co


def _coalitions(n):
    for size in range(1, n + 1):
        yield from itertools.combinations(range(n), size)


def _random_costs(rng, n, base=0.0):
    c = rng.integers(1, 5, size=(n + 1, n + 1)).astype(float) + base
    c = np.triu(c, 1)
    return c + c.T


def _mst(costs, nodes):
    """Kruskal with a union-find, an algorithm other than the library's Prim."""
    parent = {v: v for v in nodes}

    def find(v):
        while parent[v] != v:
            v = parent[v]
        return v

    total = 0.0
    for w, a, b in sorted((costs[a][b], a, b) for a, b in itertools.combinations(nodes, 2)):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
            total += w
    return total


def test_spanning_tree_worths_bird_and_nucleolus():
    rng = np.random.default_rng(17)
    for n in range(2, 6):
        costs = _random_costs(rng, n)
        names = [f"c{i}" for i in range(n)]
        g = co.spanning_tree_game(costs, names, source="plant")
        assert (g.n, g.kind, g.players, g.source) == (n, "cost", tuple(names), "plant")
        for s in _coalitions(n):
            want = _mst(costs, [0] + [i + 1 for i in s])
            assert g.value([names[i] for i in s]) == pytest.approx(want, rel=1e-12)
        dense = g.to_game()
        assert isinstance(dense, co.Game) and dense.kind == "cost"
        x = g.bird()
        assert x.players == tuple(names) and x.label == "Bird's rule"
        assert float(np.sum(x)) == pytest.approx(_mst(costs, list(range(n + 1))))
        # Bird in the core, by brute force over coalitions.
        for s in _coalitions(n):
            assert sum(x[i] for i in s) <= dense.value([names[i] for i in s]) + 1e-9
        # The tree Bird uses: each player's share is its edge's cost.
        tree = g.minimum_spanning_tree()
        assert [c for _, _, c in sorted(tree, key=lambda e: names.index(e[1]))] == list(x)
        assert g.nucleolus().to_dict() == pytest.approx(dense.nucleolus().to_dict())
        assert dense.in_core(g.nucleolus())


def test_spanning_tree_scales_with_the_costs_at_large_budgets():
    rng = np.random.default_rng(3)
    costs = _random_costs(rng, 4)
    g = co.spanning_tree_game(costs)
    for c in (1e-3, 1e6, 1e9):
        h = co.spanning_tree_game(costs * c)
        np.testing.assert_allclose(np.asarray(h.bird()), c * np.asarray(g.bird()), rtol=1e-12)
        np.testing.assert_allclose(h.to_game().values, c * g.to_game().values, rtol=1e-12)
    big = co.spanning_tree_game(_random_costs(rng, 4, base=1e8))
    assert big.in_core(big.bird())


def test_induced_subgraph_shapley_closed_form_against_brute_force():
    rng = np.random.default_rng(5)
    for n in range(2, 6):
        names = [f"v{i}" for i in range(n)]
        edges = [(names[a], names[b], float(rng.normal(2, 3))) for a, b in itertools.combinations(range(n), 2)
                 if rng.random() < 0.7]
        g = co.induced_subgraph_game(edges, names)
        values = {(): 0.0}
        for s in _coalitions(n):
            members = {names[i] for i in s}
            values[s] = sum(w for a, b, w in edges if a in members and b in members)
            assert g.value([names[i] for i in s]) == pytest.approx(values[s], abs=1e-12)
        # Shapley by all n! orders.
        phi = np.zeros(n)
        orders = list(itertools.permutations(range(n)))
        for order in orders:
            before = ()
            for i in order:
                after = tuple(sorted(before + (i,)))
                phi[i] += values[after] - values[before]
                before = after
        phi /= len(orders)
        np.testing.assert_allclose(np.asarray(g.shapley()), phi, atol=1e-12)
        # Core nonempty iff no negative cut, and then the Shapley value is in it.
        dense = g.to_game()
        full = tuple(range(n))
        negative_cut = any(
            values[full] - values[s] - values[tuple(i for i in full if i not in s)] < -1e-9
            for s in _coalitions(n) if len(s) < n
        )
        assert dense.core_is_empty() == negative_cut
        assert g.in_core(g.shapley()) == (not negative_cut)
        assert g.is_convex() == dense.is_convex()


def test_induced_subgraph_inputs():
    g = co.induced_subgraph_game({("A", "B"): 6, ("B", "C"): 4, ("A", "C"): -2})
    assert g.players == ("A", "B", "C") and g.kind == "value"
    assert g.shapley().to_dict() == {"A": 2.0, "B": 5.0, "C": 1.0}
    assert g.value("A") == 0.0 and not math.copysign(1, g.value("A")) < 0
    assert g.edges == [("A", "B", 6.0), ("B", "C", 4.0), ("A", "C", -2.0)]
    lonely = co.induced_subgraph_game([("A", "B", 1)], ["A", "B", "Z"])
    assert lonely.shapley().to_dict() == {"A": 0.5, "B": 0.5, "Z": 0.0}
    assert "A -- B: 1" in str(lonely)


def _vertex_max(a, b, p):
    """max p.y over {A y <= b, y >= 0} for two products, by enumerating the vertices."""
    rows = [(np.asarray(r, float), float(bb)) for r, bb in zip(a, b)] + [(np.array([-1.0, 0.0]), 0.0),
                                                                        (np.array([0.0, -1.0]), 0.0)]
    best = 0.0
    for (r1, c1), (r2, c2) in itertools.combinations(rows, 2):
        m = np.array([r1, r2])
        if abs(np.linalg.det(m)) < 1e-12:
            continue
        y = np.linalg.solve(m, [c1, c2])
        if all(r @ y <= c + 1e-9 * (1 + abs(c)) for r, c in rows):
            best = max(best, float(np.asarray(p) @ y))
    return best


def test_linear_production_against_vertex_enumeration_and_the_core():
    rng = np.random.default_rng(11)
    for n in range(2, 6):
        m = int(rng.integers(1, 4))
        a = rng.uniform(0.2, 3.0, size=(m, 2))
        p = rng.uniform(1, 10, size=2)
        b = rng.uniform(0, 5, size=(n, m))
        names = [f"f{i}" for i in range(n)]
        g = co.linear_production(a, p, b, names)
        assert (g.kind, g.n) == ("value", n)
        for s in _coalitions(n):
            want = _vertex_max(a, b[list(s)].sum(axis=0), p)
            assert g.value([names[i] for i in s]) == pytest.approx(want, rel=1e-9, abs=1e-12)
        x = g.shadow_price_allocation()
        z = np.asarray(g.shadow_prices())
        np.testing.assert_allclose(np.asarray(x), b @ z, rtol=1e-12)
        assert float(np.sum(x)) == pytest.approx(_vertex_max(a, b.sum(axis=0), p), rel=1e-9)  # z*.b(N) = v(N)
        dense = g.to_game()
        for s in _coalitions(n):
            assert sum(x[i] for i in s) >= dense.value([names[i] for i in s]) - 1e-9 * float(np.sum(x))
        assert g.in_core(x)


def test_linear_production_textbook_and_scale():
    # Wyndor Glass (Hillier and Lieberman, Introduction to Operations Research, ch. 3): optimum
    # 36, shadow prices (0, 3/2, 1).
    a = [[1, 0], [0, 2], [3, 2]]
    b = [[4, 0, 6], [0, 12, 6], [0, 0, 6]]
    g = co.linear_production(a, [3, 5], b, ["x", "y", "z"])
    assert g.shadow_prices() == pytest.approx([0, 1.5, 1], abs=1e-9)
    assert g.shadow_price_allocation().to_dict() == pytest.approx({"x": 6, "y": 24, "z": 6})
    assert g.production_plan(["x", "y", "z"]) == pytest.approx([2, 6])
    for c in (1e-2, 1e6, 1e9):
        h = co.linear_production(a, [3 * c, 5 * c], b)
        assert np.asarray(h.shadow_price_allocation()) == pytest.approx(c * np.array([6, 24, 6]), rel=1e-9)
        assert h.in_core(h.shadow_price_allocation())


def _invalid(call, name):
    with pytest.raises(co.InvalidGame) as info:
        call()
    assert (info.value.code, info.value.name) == ("invalid_parameter", name)


def test_bad_input_is_typed():
    _invalid(lambda: co.spanning_tree_game([[0, 1], [2, 0]]), "costs")
    _invalid(lambda: co.spanning_tree_game([[0, -1], [-1, 0]]), "costs")
    _invalid(lambda: co.spanning_tree_game([[0, float("nan")], [float("nan"), 0]]), "costs")
    _invalid(lambda: co.spanning_tree_game([[0, 1, 2], [1, 0]]), "costs")
    _invalid(lambda: co.spanning_tree_game(5), "costs")
    _invalid(lambda: co.spanning_tree_game([[0, 1], [1, 0]], ["s"], source="s"), "source")
    _invalid(lambda: co.spanning_tree_game([[0, 1], [1, 0]], ["a", "b"]), "players")
    _invalid(lambda: co.induced_subgraph_game([("A", "A", 1)]), "edges")
    _invalid(lambda: co.induced_subgraph_game([("A", "B")]), "edges")
    _invalid(lambda: co.induced_subgraph_game([("A", "B", float("inf"))]), "edges")
    _invalid(lambda: co.linear_production([[1, 2]], [1], [[1]]), "technology")
    _invalid(lambda: co.linear_production([[1, 0]], [1, 1], [[1]]), "technology")
    _invalid(lambda: co.linear_production([[1, 2]], [1, -1], [[1]]), "prices")
    _invalid(lambda: co.linear_production([[1, 2]], [1, 1], [[1, 2]]), "resources")
    _invalid(lambda: co.linear_production([[1, 2]], [1, 1], [[-1]]), "resources")
    with pytest.raises(co.UnknownPlayer) as info:
        co.induced_subgraph_game([("A", "Q", 1)], ["A", "B"])
    assert (info.value.code, info.value.name) == ("unknown_player", "Q")
    g = co.spanning_tree_game([[0, 1], [1, 0]], ["a"])
    with pytest.raises(co.UnknownPlayer):
        g.value(["b"])
    with pytest.raises(co.UnknownPlayer):
        co.linear_production([[1]], [1], [[1]]).value("x")


def test_repr_json_and_samplers():
    g = co.spanning_tree_game([[0, 4, 5], [4, 0, 1], [5, 1, 0]], ["A", "B"], source="plant")
    assert repr(g) == "SpanningTreeGame(n=2, source='plant', players=[A, B])"
    assert "plant -- A: 4" in str(g) and "<table>" in g._repr_html_()
    assert co.Game.from_json(g.to_json()).values.tolist() == g.to_game().values.tolist()
    assert g.shapley().to_dict() == pytest.approx(g.to_game().shapley().to_dict())
    p = co.linear_production([[1, 2]], [3, 5], [[4], [6]], ["A", "B"])
    assert repr(p) == "LinearProductionGame(n=2, players=[A, B])"
    assert p.resources == {"A": [4.0], "B": [6.0]}
    # The samplers read worths from the parameters, by bit mask.
    np.testing.assert_allclose(p._evaluate(np.array([1, 2, 3], dtype=np.uint64)), [12, 18, 30], rtol=1e-9)
