import numpy as np
import pytest

import coalitional as co


def test_hierarchy():
    for exc in (co.InvalidGame, co.UnknownPlayer, co.FormatError, co.GameTooLarge, co.UndefinedSolution, co.SolverError):
        assert issubclass(exc, co.GameError)
    assert issubclass(co.GameError, ValueError)
    assert issubclass(co.UnknownPlayer, co.InvalidGame)


@pytest.mark.parametrize(
    "values, players, match",
    [
        ([0, 1, 2], None, "length 3, which is not a power of two"),
        ([], None, "length 0"),
        ([0, 1, 2, 3], ["A"], r"2 player names|1 player names"),
        ([0, float("nan"), 1, 2], ["A", "B"], r"coalition \{A\} \(index 1\) is NaN"),
        ([0, 1, float("inf"), 2], ["A", "B"], r"\{B\} \(index 2\) is inf"),
        ([1, 1, 1, 2], ["A", "B"], "empty coalition .* must be 0, got 1"),
        ([0, 1, 1, 2], ["A", "A"], 'name "A" is used twice'),
        ([0, 1, 1, 2], ["A", ""], "position 1 is empty"),
        ([[0, 1], [1, 2]], None, "one-dimensional"),
        (["a", "b"], None, "must be numbers"),
        ([0, 1, 1, 2], ["A", 7], "must be strings"),
    ],
)
def test_bad_values_are_invalid_game(values, players, match):
    with pytest.raises(co.InvalidGame, match=match):
        co.Game(values, players)


def test_unknown_kind():
    with pytest.raises(co.InvalidGame, match="unknown game kind"):
        co.Game([0, 1], kind="benefit")


def test_missing_coalition_is_named():
    with pytest.raises(co.InvalidGame, match=r"no value given for coalition \{A, B\}"):
        co.Game.from_coalitions(["A", "B"], {("A",): 1, ("B",): 1})


def test_unknown_and_repeated_players_in_coalitions():
    with pytest.raises(co.UnknownPlayer, match='"C" is not a player'):
        co.Game.from_coalitions(["A", "B"], {("A",): 1, ("B",): 1, ("A", "C"): 2})
    with pytest.raises(co.InvalidGame, match='lists player "A" twice'):
        co.Game.from_coalitions(["A", "B"], {("A", "A"): 1})
    with pytest.raises(co.InvalidGame, match="not a number"):
        co.Game.from_coalitions(["A"], {("A",): None})
    g = co.Game([0, 1, 1, 3], ["A", "B"])
    with pytest.raises(co.UnknownPlayer):
        g.value(["Z"])
    with pytest.raises(co.InvalidGame, match="invalid joining order"):
        g.marginal_vector(["A"])


def test_function_errors_propagate_and_bad_returns_are_named():
    def boom(s):
        raise RuntimeError("model run failed")

    with pytest.raises(RuntimeError, match="model run failed"):
        co.Game.from_function(["A", "B"], boom)
    with pytest.raises(co.InvalidGame, match=r"returned 'x' for coalition \{A\}"):
        co.Game.from_function(["A", "B"], lambda s: "x")
    with pytest.raises(co.InvalidGame, match=r"returned nan for coalition \{A\}; values must be finite"):
        co.Game.from_function(["A", "B"], lambda s: float("nan"))


def test_too_many_players_for_memory_is_refused_before_any_call():
    calls = []
    with pytest.raises(co.GameTooLarge, match=r"needs 2\^40 values = 8.0 TiB"):
        co.Game.from_function([f"p{i}" for i in range(40)], lambda s: calls.append(s) or 0.0)
    assert calls == []


def test_format_errors():
    with pytest.raises(co.FormatError, match="unknown field"):
        co.Game.from_json('{"values": [0, 1], "vals": 2}')
    with pytest.raises(co.FormatError):
        co.Game.from_json("{")


def test_normalised_banzhaf_of_zero_game_is_undefined():
    with pytest.raises(co.UndefinedSolution, match="sum to zero"):
        co.Game(np.zeros(4)).banzhaf(normalized=True)


def test_superadditivity_limit():
    g = co.Game(np.zeros(1 << 21))
    with pytest.raises(co.UndefinedSolution, match="n <= 20"):
        g.is_superadditive()
