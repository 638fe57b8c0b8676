import numpy as np
import pytest

import coalitional as co
from conftest import raises_error


def test_hierarchy():
    for exc in (co.InvalidGame, co.UnknownPlayer, co.FormatError, co.GameTooLarge, co.UndefinedSolution, co.SolverError):
        assert issubclass(exc, co.GameError)
    assert issubclass(co.GameError, ValueError)
    assert issubclass(co.UnknownPlayer, co.InvalidGame)


@pytest.mark.parametrize(
    "values, players, code, fields",
    [
        ([0, 1, 2], None, "not_power_of_two", {"len": 3}),
        ([], None, "not_power_of_two", {"len": 0}),
        ([0, 1, 2, 3], ["A"], "length_mismatch", {"len": 4, "bits": 2, "players": 1, "expected": 2}),
        ([0, float("nan"), 1, 2], ["A", "B"], "non_finite", {"coalition": "{A}", "index": 1, "value": float("nan")}),
        ([0, 1, float("inf"), 2], ["A", "B"], "non_finite", {"coalition": "{B}", "index": 2, "value": float("inf")}),
        ([1, 1, 1, 2], ["A", "B"], "nonzero_empty", {"value": 1.0}),
        ([0, 1, 1, 2], ["A", "A"], "duplicate_player", {"name": "A", "first": 0, "second": 1}),
        ([0, 1, 1, 2], ["A", ""], "empty_player_name", {"index": 1}),
        ([[0, 1], [1, 2]], None, "invalid_parameter", {"name": "values", "index": 0}),
        (["a", "b"], None, "invalid_parameter", {"name": "values", "index": 0}),
        ([0, 1, 1, 2], ["A", 7], "invalid_parameter", {"name": "players", "index": 1}),
    ],
)
def test_bad_values_are_invalid_game(values, players, code, fields):
    with raises_error(co.InvalidGame, code, **fields):
        co.Game(values, players)


def test_unknown_kind():
    with raises_error(co.InvalidGame, "unknown_kind", kind="benefit"):
        co.Game([0, 1], kind="benefit")


def test_missing_coalition_is_named():
    with raises_error(co.InvalidGame, "missing_coalition", coalition="{A, B}", missing=1, total=3):
        co.Game.from_coalitions(["A", "B"], {("A",): 1, ("B",): 1})


def test_unknown_and_repeated_players_in_coalitions():
    with raises_error(co.UnknownPlayer, "unknown_player", name="C", players="A, B"):
        co.Game.from_coalitions(["A", "B"], {("A",): 1, ("B",): 1, ("A", "C"): 2})
    with raises_error(co.InvalidGame, "repeated_member", coalition="{A, A}", name="A"):
        co.Game.from_coalitions(["A", "B"], {("A", "A"): 1})
    with raises_error(co.InvalidGame, "invalid_parameter", name="the value of coalition ('A',)"):
        co.Game.from_coalitions(["A"], {("A",): None})
    g = co.Game([0, 1, 1, 3], ["A", "B"])
    with raises_error(co.UnknownPlayer, "unknown_player", name="Z", players="A, B"):
        g.value(["Z"])
    with raises_error(co.InvalidGame, "invalid_order"):
        g.marginal_vector(["A"])


def test_function_errors_propagate_and_bad_returns_are_named():
    failure = RuntimeError("model run failed")

    def boom(s):
        raise failure

    with pytest.raises(RuntimeError) as info:
        co.Game.from_function(["A", "B"], boom)
    assert info.value is failure  # unchanged
    with raises_error(co.InvalidGame, "model_value", coalition="{A}"):
        co.Game.from_function(["A", "B"], lambda s: "x")
    with raises_error(co.InvalidGame, "model_value", coalition="{A}"):
        co.Game.from_function(["A", "B"], lambda s: float("nan"))


def test_too_many_players_for_memory_is_refused_before_any_call():
    # Beyond the fixed cap of a dense game (36 players): a limit, whatever the machine.
    calls = []
    with raises_error(co.GameTooLarge, "limit_exceeded", what="players for a dense game", asked=40, limit=36):
        co.Game.from_function([f"p{i}" for i in range(40)], lambda s: calls.append(s) or 0.0)
    # Within the cap but beyond the memory available: the bytes needed (8 per value) and those
    # available (None when the system refused the allocation).
    with raises_error(co.GameTooLarge, "too_large", needed=8 * 2**36) as info:
        co.Game.from_function([f"p{i}" for i in range(36)], lambda s: calls.append(s) or 0.0)
    available = info.value.available
    assert available is None or (isinstance(available, int) and available < info.value.needed)
    assert calls == []


def test_format_errors():
    with raises_error(co.FormatError, "format"):
        co.Game.from_json('{"values": [0, 1], "vals": 2}')
    with raises_error(co.FormatError, "format"):
        co.Game.from_json("{")


def test_normalised_banzhaf_of_zero_game_is_undefined():
    with raises_error(co.UndefinedSolution, "undefined", concept="the normalised Banzhaf value"):
        co.Game(np.zeros(4)).banzhaf(normalized=True)


def test_superadditivity_limit():
    g = co.Game(np.zeros(1 << 21))
    with raises_error(co.UndefinedSolution, "undefined", concept="the superadditivity check"):
        g.is_superadditive()
