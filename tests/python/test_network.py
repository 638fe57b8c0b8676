"""Cooperation on a network from Python: Game.graph_restricted, Game.myerson,
Game.position_value and LazyGame(..., graph=edges), against published examples, brute force
written here with numpy (components by depth-first search, Shapley values by all orders),
axioms, scale covariance, model-run counts and typed errors."""

import doctest
import itertools
import math
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import coalitional as co
import coalitional._network


def components(members, edges):
    """Connected components of the set ``members`` by depth-first search."""
    adj = {p: set() for p in members}
    for a, b in edges:
        if a in adj and b in adj:
            adj[a].add(b)
            adj[b].add(a)
    seen, out = set(), []
    for start in members:
        if start in seen:
            continue
        comp, stack = [], [start]
        seen.add(start)
        while stack:
            k = stack.pop()
            comp.append(k)
            for nb in adj[k]:
                if nb not in seen:
                    seen.add(nb)
                    stack.append(nb)
        out.append(frozenset(comp))
    return out


def restricted_brute(game, edges):
    players = game.players
    out = np.zeros(1 << game.n)
    for mask in range(1, 1 << game.n):
        members = [p for i, p in enumerate(players) if mask >> i & 1]
        out[mask] = sum(game.value(sorted(c, key=players.index)) for c in components(members, edges))
    return out


def shapley_orders(n, worth):
    """Shapley value of ``worth(frozenset of indices)`` by all n! orders."""
    phi = np.zeros(n)
    for order in itertools.permutations(range(n)):
        before = frozenset()
        for i in order:
            phi[i] += worth(before | {i}) - worth(before)
            before = before | {i}
    return phi / math.factorial(n)


def position_brute(game, edges):
    edges = sorted({tuple(sorted(e, key=game.players.index)) for e in edges})
    everyone = list(game.players)
    single = {p: game.value([p]) for p in everyone}

    def r(links):
        return sum(game.value(sorted(c, key=everyone.index)) - sum(single[p] for p in c)
                   for c in components(everyone, [edges[k] for k in links]))

    phi = shapley_orders(len(edges), r) if edges else []
    pi = np.array([single[p] for p in everyone])
    for (a, b), share in zip(edges, phi):
        pi[everyone.index(a)] += share / 2
        pi[everyone.index(b)] += share / 2
    return pi


def random_game(rng, n, kind="value"):
    values = rng.uniform(-2, 8, 1 << n) * np.array([bin(m).count("1") for m in range(1 << n)])
    values[0] = 0.0
    return co.Game(values, [f"p{i}" for i in range(n)], kind=kind)


def random_edges(rng, players, p):
    return [(a, b) for a, b in itertools.combinations(players, 2) if rng.random() < p]


def majority3():
    return co.Game.from_function(["1", "2", "3"], lambda s: float(len(s) >= 2))


LINE = [("1", "2"), ("2", "3")]


def test_myerson_1977_majority_on_a_line():
    # Myerson (1977), Math. Oper. Res. 2(3): the middle player of the line gets 2/3.
    np.testing.assert_allclose(majority3().myerson(LINE), [1 / 6, 2 / 3, 1 / 6], rtol=0, atol=1e-12)
    # Borm, Owen and Tijs (1992): each link is worth 1/2 in the link game, so (1/4, 1/2, 1/4).
    np.testing.assert_allclose(majority3().position_value(LINE), [0.25, 0.5, 0.25], rtol=0, atol=1e-12)


def test_unanimity_of_the_ends_separates_the_two_values():
    g = co.Game.from_function(["1", "2", "3"], lambda s: float({"1", "3"} <= s))
    vg = g.graph_restricted(LINE)
    assert isinstance(vg, co.Game)
    assert list(vg.values) == [0, 0, 0, 0, 0, 0, 0, 1]  # the unanimity game of N
    np.testing.assert_allclose(g.myerson(LINE), [1 / 3] * 3, atol=1e-12)
    np.testing.assert_allclose(g.position_value(LINE), [0.25, 0.5, 0.25], atol=1e-12)
    assert g.myerson(LINE).label == "Myerson value"
    assert g.position_value(LINE).label == "position value"


@pytest.mark.parametrize("n", range(2, 8))
def test_random_games_against_brute_force(n):
    rng = np.random.default_rng(100 + n)
    for p in (0.25, 0.5, 0.8):
        g = random_game(rng, n)
        edges = random_edges(rng, g.players, p)
        want = restricted_brute(g, edges)
        np.testing.assert_allclose(g.graph_restricted(edges).values, want, rtol=1e-9, atol=1e-9)
        vg = co.Game(want, g.players)
        mu = shapley_orders(n, lambda s: want[sum(1 << i for i in s)]) if n <= 6 else vg.shapley()
        np.testing.assert_allclose(g.myerson(edges), mu, rtol=1e-9, atol=1e-9)
        if len(edges) <= 6:
            np.testing.assert_allclose(g.position_value(edges), position_brute(g, edges), rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("n", range(2, 7))
def test_axioms(n):
    rng = np.random.default_rng(n)
    g = random_game(rng, n)
    edges = random_edges(rng, g.players, 0.4)
    mu, pi = g.myerson(edges), g.position_value(edges)
    for c in components(list(g.players), edges):
        worth = g.value(sorted(c))
        assert sum(mu[p] for p in c) == pytest.approx(worth, abs=1e-9)  # component efficiency
        assert sum(pi[p] for p in c) == pytest.approx(worth, abs=1e-9)
    for k, (a, b) in enumerate(edges):  # fairness (Myerson 1977)
        nu = g.myerson(edges[:k] + edges[k + 1:])
        assert mu[a] - nu[a] == pytest.approx(mu[b] - nu[b], abs=1e-9)
    complete = list(itertools.combinations(g.players, 2))
    np.testing.assert_allclose(g.myerson(complete), g.shapley(), atol=1e-9)
    alone = [g.value([p]) for p in g.players]
    np.testing.assert_allclose(g.myerson([]), alone, atol=1e-12)
    np.testing.assert_allclose(g.position_value([]), alone, atol=1e-12)


def test_scale_and_shift_covariance_at_1e8():
    rng = np.random.default_rng(8)
    for n in (3, 5, 6):
        g = random_game(rng, n)
        edges = random_edges(rng, g.players, 0.5)
        shift = 1e8 * (1 + np.arange(n))
        masks = np.arange(1 << n)
        add = np.array([shift[[i for i in range(n) if m >> i & 1]].sum() for m in masks])
        for kind in ("value", "cost"):
            big = co.Game(2.5 * g.values + add, g.players, kind=kind)
            for rule in ("myerson", "position_value"):
                small = np.asarray(getattr(g, rule)(edges))
                large = np.asarray(getattr(big, rule)(edges))
                # Budgets of 1e8, surpluses of a few units: to 1e-6 of the surplus.
                np.testing.assert_allclose(large - shift, 2.5 * small, rtol=0, atol=1e-6)
            assert big.graph_restricted(edges).kind == kind


def test_edges_may_come_from_a_graph_object_and_repeat():
    class Network:  # what networkx offers: edges() yields pairs of nodes
        def edges(self):
            return [("1", "2"), ("3", "2")]

    g = majority3()
    np.testing.assert_array_equal(g.myerson(Network()), g.myerson(LINE))
    np.testing.assert_array_equal(g.position_value(LINE + [("2", "1")]), g.position_value(LINE))


def test_bad_edges_are_typed_errors():
    g = majority3()
    with pytest.raises(co.UnknownPlayer) as e:
        g.graph_restricted([("1", "9")])
    assert e.value.code == "unknown_player" and e.value.name == "9"
    with pytest.raises(co.InvalidGame) as e:
        g.myerson([("2", "2")])
    assert e.value.code == "invalid_parameter" and e.value.name == "edges"
    with pytest.raises(co.InvalidGame) as e:
        g.myerson([("1", "2"), ("1", "2", "3")])
    assert e.value.code == "invalid_parameter" and e.value.name == "edges" and e.value.index == 1
    with pytest.raises(co.InvalidGame) as e:
        g.position_value([("1", 2)])
    assert e.value.index == 0
    with pytest.raises(co.InvalidGame) as e:
        g.myerson("12")
    assert e.value.name == "edges"
    g8 = co.Game.from_function([f"p{i}" for i in range(8)], lambda s: float(len(s)))
    complete = list(itertools.combinations(g8.players, 2))  # 28 edges
    with pytest.raises(co.GameTooLarge) as e:
        g8.position_value(complete)
    assert e.value.code == "limit_exceeded" and e.value.asked == 28 and e.value.limit == 25
    np.testing.assert_allclose(g8.myerson(complete), np.ones(8), atol=1e-12)


def model(s):
    return math.sin(3.7 * sum(int(p[1:]) ** 2 for p in s)) + len(s) ** 2


def is_connected(coalition, edges):
    return len(components(list(coalition), edges)) == 1


PLAYERS9 = [f"c{i}" for i in range(9)]
PATH9 = list(zip(PLAYERS9, PLAYERS9[1:]))


@pytest.mark.parametrize(
    "n, edges, runs",
    [
        (9, PATH9, 45),  # path: n (n + 1) / 2
        (7, [("c0", f"c{i}") for i in range(1, 7)], 2**6 + 6),  # star: 2^(n-1) + n - 1
        (6, [(f"c{i}", f"c{(i + 1) % 6}") for i in range(6)], 6 * 5 + 1),  # cycle: n (n - 1) + 1
        (5, list(itertools.combinations(PLAYERS9[:5], 2)), 31),  # complete: 2^n - 1
        (4, [], 4),  # no links: the singletons
    ],
)
def test_lazy_game_runs_the_model_on_connected_coalitions(n, edges, runs):
    players = PLAYERS9[:n]
    seen = []

    def f(s):
        seen.append(s)
        return model(s)

    lazy = co.LazyGame(players, f, graph=edges)
    assert lazy._missing(None) == runs
    game = lazy.to_game()
    assert lazy.calls == runs == len(seen) == len(set(seen)) == lazy.evaluated
    assert all(is_connected(s, edges) for s in seen)
    full = co.Game.from_function(players, model)
    np.testing.assert_array_equal(game.values, full.graph_restricted(edges).values)
    lazy.to_game()
    assert lazy.calls == runs  # nothing twice


def test_lazy_game_with_an_executor_counts_the_same():
    with ThreadPoolExecutor(2) as pool:
        lazy = co.LazyGame(PLAYERS9, model, graph=PATH9, executor=pool, chunksize=4)
        game = lazy.to_game()
    assert lazy.calls == 45
    np.testing.assert_array_equal(game.values, co.Game.from_function(PLAYERS9, model).graph_restricted(PATH9).values)


def test_lazy_game_on_a_graph_evaluates_and_samples_the_restricted_game():
    players = [f"c{i}" for i in range(12)]
    edges = list(zip(players, players[1:])) + [("c0", "c6")]
    seen = []

    def f(s):
        seen.append(s)
        return model(s)

    lazy = co.LazyGame(players, f, graph=edges)
    assert lazy.graph == sorted(edges, key=lambda e: (players.index(e[0]), players.index(e[1])))
    assert "graph=12 edges" in repr(lazy)
    # {c0, c2, c11}: three singletons, three model runs.
    assert lazy.value(["c0", "c2", "c11"]) == pytest.approx(model({"c0"}) + model({"c2"}) + model({"c11"}), abs=1e-12)
    assert lazy.calls == 3
    est = lazy.shapley_sample(epsilon=0.5, max_rounds=100, seed=3)
    assert all(is_connected(s, edges) for s in seen)
    assert lazy.calls == len(set(seen)) < 2**12 - 1
    # The same seed on the dense restricted game gives the same estimate, bit for bit.
    dense = co.Game.from_function(players, model).graph_restricted(edges)
    np.testing.assert_array_equal(est.values, dense.shapley_sample(epsilon=0.5, max_rounds=100, seed=3).values)


def test_graph_lazy_game_never_reads_cached_worths_of_disconnected_coalitions(tmp_path):
    cache = tmp_path / "model.cache"
    players = PLAYERS9[:5]
    co.LazyGame(players, model, cache=cache).to_game()  # every coalition's model worth

    def never(s):
        raise AssertionError("the cache should hold everything")

    path = list(zip(players, players[1:]))
    lazy = co.LazyGame(players, never, cache=cache, graph=path)
    game = lazy.to_game()
    assert lazy.calls == 0
    np.testing.assert_array_equal(game.values, co.Game.from_function(players, model).graph_restricted(path).values)


def test_lazy_graph_errors():
    with pytest.raises(co.UnknownPlayer):
        co.LazyGame(["a", "b"], model, graph=[("a", "z")])
    with pytest.raises(co.InvalidGame) as e:
        co.LazyGame(["a", "b"], model, graph=[("a", "a")])
    assert e.value.name == "edges"
    with pytest.raises(co.InvalidGame) as e:
        co.LazyGame(["a", "b"], model, graph="ab")
    assert e.value.name == "graph"


def test_docstring_examples():
    assert doctest.testmod(coalitional._network).failed == 0
    assert doctest.testmod(coalitional._lazy).failed == 0
