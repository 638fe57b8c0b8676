"""co.OracleGame: games given by a worth function and a separation oracle (issue 18), checked
against the dense Game on small games with brute-force oracles written here, plus exceptions
and bad oracle answers."""

from itertools import combinations

import numpy as np
import pytest

import coalitional as co


def brute_force(game: co.Game):
    """worth and most_violated of a dense game, by listing every coalition."""
    players = list(game.players)
    values = np.asarray(game.values)
    sign = -1.0 if game.kind == "cost" else 1.0
    index = {p: i for i, p in enumerate(players)}
    calls = {"n": 0}

    def mask(s):
        return sum(1 << index[p] for p in s)

    def worth(s):
        return float(values[mask(s)])

    def most_violated(x, include, exclude):
        calls["n"] += 1
        assert isinstance(x, np.ndarray) and x.shape == (len(players),)
        inc, exc = mask(include), mask(exclude)
        best = None
        for m in range(len(values)):
            if m & inc != inc or m & exc:
                continue
            xs = sum(x[i] for i in range(len(players)) if m >> i & 1)
            e = sign * (values[m] - xs)
            if best is None or e > best[1]:
                best = (m, e)
        if best is None:
            return None
        m, e = best
        return frozenset(p for i, p in enumerate(players) if m >> i & 1), e

    return worth, most_violated, calls


def random_game(rng, n, kind="value"):
    values = np.round(100 * rng.random(2**n))
    values[0] = 0.0
    return co.Game(values, [f"p{i}" for i in range(n)], kind=kind)


@pytest.mark.parametrize("n", [2, 3, 5, 7])
def test_agrees_with_the_dense_game(n):
    rng = np.random.default_rng(n)
    for _ in range(4):
        g = random_game(rng, n)
        worth, mv, calls = brute_force(g)
        og = co.OracleGame(g.players, worth, mv)
        tol = 1e-9 * 100
        assert np.allclose(og.prenucleolus(), g.prenucleolus(), atol=tol, rtol=0)
        try:
            dense = g.nucleolus()
        except co.UndefinedSolution:
            with pytest.raises(co.UndefinedSolution):
                og.nucleolus()
        else:
            nu = og.nucleolus()
            assert isinstance(nu, co.Allocation) and nu.players == g.players
            assert np.allclose(nu, dense, atol=tol, rtol=0)
        lc = og.least_core()
        assert isinstance(lc, co.LeastCore)
        assert abs(lc.epsilon - g.least_core().epsilon) <= tol
        assert calls["n"] > 0


def test_cost_games_return_cost_shares():
    rng = np.random.default_rng(5)
    n = 5
    values = np.array([0.0] + [10 * np.sqrt(bin(m).count("1")) + np.round(5 * rng.random()) for m in range(1, 2**n)])
    g = co.Game(values, [f"c{i}" for i in range(n)], kind="cost")
    worth, mv, _ = brute_force(g)
    og = co.OracleGame(g.players, worth, mv, kind="cost")
    nu = og.nucleolus()
    assert nu.kind == "cost"
    assert np.allclose(nu, g.nucleolus(), atol=1e-7, rtol=0)
    assert abs(og.least_core().epsilon - g.least_core().epsilon) <= 1e-7


def test_budgets_with_a_small_surplus():
    # Budgets of 1e8 with a surplus of a few units: the answer is at the surplus's scale.
    rng = np.random.default_rng(9)
    n = 5
    base = 1e8 * (1 + rng.random(n))
    values = np.array([
        sum(base[i] for i in range(n) if m >> i & 1) + (0 if bin(m).count("1") < 2 else np.round(5 * rng.random()))
        for m in range(2**n)
    ])
    g = co.Game(values, [f"p{i}" for i in range(n)])
    worth, mv, _ = brute_force(g)
    og = co.OracleGame(g.players, worth, mv)
    assert np.allclose(og.nucleolus(), g.nucleolus(), atol=1e-6, rtol=0)


def test_claims_oracle_vectorised_gives_the_talmud_rule():
    # A bankruptcy game of 60 claimants: excess = max(-x(S), E - C + sum_S (c_i - x_i)),
    # maximised by taking every free player with a positive term.
    rng = np.random.default_rng(3)
    claims = np.round(1 + 99 * rng.random(60))
    estate = float(np.round(0.3 * claims.sum()))
    players = [f"k{i}" for i in range(60)]
    index = {p: i for i, p in enumerate(players)}

    def worth(s):
        outside = sum(claims[i] for p, i in index.items() if p not in s)
        return max(0.0, estate - outside)

    def most_violated(x, include, exclude):
        inc = np.array([p in include for p in players])
        exc = np.array([p in exclude for p in players])
        best = None
        for take in (x < 0, claims > x):
            s = inc | (~exc & take)
            members = frozenset(p for p, t in zip(players, s) if t)
            e = worth(members) - float(x[s].sum())
            if best is None or e > best[1]:
                best = (members, e)
        return best

    og = co.OracleGame(players, worth, most_violated)
    talmud = co.bankruptcy(estate, claims.tolist(), players).talmud()
    assert np.allclose(og.nucleolus(), talmud, atol=1e-7, rtol=0)


class Boom(Exception):
    pass


def test_callback_exceptions_come_back_as_themselves():
    g = random_game(np.random.default_rng(1), 4)
    worth, mv, _ = brute_force(g)
    raised = Boom("model failed")

    def bad_worth(s):
        raise raised

    with pytest.raises(Boom) as info:
        co.OracleGame(g.players, bad_worth, mv).nucleolus()
    assert info.value is raised

    def bad_oracle(x, include, exclude):
        raise KeyError("oracle")

    with pytest.raises(KeyError):
        co.OracleGame(g.players, worth, bad_oracle).least_core()


def test_bad_oracle_answers_are_typed_errors():
    g = random_game(np.random.default_rng(2), 4)
    worth, mv, _ = brute_force(g)

    def answers(f):
        with pytest.raises(co.InvalidGame) as info:
            co.OracleGame(g.players, worth, f).prenucleolus()
        assert info.value.code == "invalid_parameter"
        return info.value

    # A player that is not in the game.
    err = answers(lambda x, i, e: (frozenset({"nobody"}), 0.0))
    assert err.name == "most_violated"
    # An excess that disagrees with worth - x(S).
    def off(x, i, e):
        s, ex = mv(x, i, e)
        return s, ex + 1.0
    assert answers(off).name == "most_violated"
    # Not a pair.
    assert answers(lambda x, i, e: 3.0).name == "most_violated"
    # A coalition against the restriction asked for.
    def ignores(x, i, e):
        return mv(x, frozenset(), frozenset())
    assert answers(ignores).name == "most_violated"
    # worth must return a number.
    with pytest.raises(co.InvalidGame) as info:
        co.OracleGame(g.players, lambda s: "ten", mv).prenucleolus()
    assert info.value.name == "worth"


def test_construction_errors_and_tiny_games():
    worth = lambda s: float(len(s))  # noqa: E731
    mv = lambda x, i, e: None  # noqa: E731
    with pytest.raises(co.InvalidGame) as info:
        co.OracleGame(["a", "b"], worth, mv, kind="profit")
    assert info.value.code == "unknown_kind"
    with pytest.raises(co.InvalidGame) as info:
        co.OracleGame(["a", "b"], 3.0, mv)
    assert info.value.code == "invalid_parameter"
    with pytest.raises(co.InvalidGame):
        co.OracleGame(["a", "a"], worth, mv).nucleolus()
    one = co.OracleGame(["solo"], lambda s: 5.0 if s else 0.0, mv)
    assert list(one.nucleolus()) == [5.0]
    with pytest.raises(co.UndefinedSolution):
        one.least_core()
    assert "OracleGame(n=1" in repr(one)


def test_no_imputation_is_undefined():
    values = np.array([0.0, 2.0, 2.0, 3.0, 2.0, 3.0, 3.0, 3.0])
    g = co.Game(values, ["a", "b", "c"])
    worth, mv, _ = brute_force(g)
    og = co.OracleGame(g.players, worth, mv)
    with pytest.raises(co.UndefinedSolution):
        og.nucleolus()
    assert np.allclose(og.prenucleolus(), g.prenucleolus(), atol=1e-9)


def test_claims_least_core_without_the_dense_game():
    rng = np.random.default_rng(17)
    for _ in range(5):
        claims = np.round(1 + 99 * rng.random(6)).tolist()
        estate = round(0.4 * sum(claims))
        b = co.bankruptcy(estate, claims)
        lc = b.least_core()
        assert isinstance(lc, co.LeastCore) and lc.allocation.players == b.players
        assert abs(lc.epsilon - b.dense().least_core().epsilon) <= 1e-9 * estate
        assert b.dense().in_core(lc.allocation, tol=1e-9 * estate)
    # 300 claimants: far beyond the dense game.
    claims = (1 + np.arange(300) * 37 % 101).astype(float).tolist()
    big = co.bankruptcy(0.3 * sum(claims), claims)
    lc = big.least_core()
    assert lc.epsilon <= 1e-9 and abs(sum(lc.allocation) - big.estate) <= 1e-6
