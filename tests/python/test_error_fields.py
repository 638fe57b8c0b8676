"""The attribute contract of the exceptions: every error carries ``code`` (the Rust
``Error::code`` of its variant, or the tag the Python layer gives its own errors) and the
variant's fields as attributes of the same names, so callers and tests read data, never the
message. One test per exception class and source. (``SolverError`` carries ``concept``,
``failure`` and, for some failures, ``check`` and ``detail``; no small game provokes it.)"""

import errno
import math

import pytest

import coalitional as co

PAIR = co.Game([0, 1, 1, 3], ["A", "B"])


def test_python_errors_have_no_code_unless_tagged():
    assert co.GameError.code is None
    assert co.InvalidGame("made by hand").code is None


def test_non_finite_names_the_coalition_its_index_and_the_value():
    with pytest.raises(co.InvalidGame) as info:
        co.Game([0, float("nan"), 1, 2], ["A", "B"])
    err = info.value
    assert (err.code, err.coalition, err.index) == ("non_finite", "{A}", 1)
    assert isinstance(err.value, float) and math.isnan(err.value)


def test_unknown_player_names_the_name_and_the_players():
    lazy = co.LazyGame(["A", "B"], lambda s: float(len(s)))
    # The same contract whether Rust (a game) or Python (an allocation, a lazy game) refuses.
    for call in (lambda: PAIR.value(["Z"]), lambda: PAIR.shapley()["Z"], lambda: lazy.value(["Z"])):
        with pytest.raises(co.UnknownPlayer) as info:
            call()
        assert (info.value.code, info.value.name, info.value.players) == ("unknown_player", "Z", "A, B")


def test_limit_exceeded_names_what_was_asked_and_the_limit():
    with pytest.raises(co.GameTooLarge) as info:
        co.Game.from_function([f"p{i}" for i in range(40)], lambda s: 0.0)
    err = info.value
    assert (err.code, err.what, err.asked, err.limit) == ("limit_exceeded", "players for a dense game", 40, 36)


def test_undefined_solution_names_the_concept_and_the_reason():
    no_imputation = co.Game([0, 1, 1, 1], ["A", "B"])  # v({i}) = 1 each, v(N) = 1
    with pytest.raises(co.UndefinedSolution) as info:
        no_imputation.nucleolus()
    err = info.value
    assert (err.code, err.concept) == ("undefined", "the nucleolus")
    assert isinstance(err.reason, str) and err.reason


def test_cache_error_of_a_file_that_cannot_be_opened_is_an_io_error(tmp_path):
    path = tmp_path / "missing" / "study.cache"
    with pytest.raises(co.CacheError) as info:
        co.LazyGame(["A", "B"], lambda s: 0.0, cache=path)
    err = info.value
    assert (err.code, err.path, err.errno) == ("io", str(path), errno.ENOENT)
    assert isinstance(err.action, str) and isinstance(err.strerror, str)


def test_cache_error_of_another_games_cache(tmp_path):
    path = tmp_path / "study.cache"
    co.LazyGame(["A", "B"], lambda s: 1.0, cache=path).to_game()
    with pytest.raises(co.CacheError) as info:
        co.LazyGame(["A", "B", "C"], lambda s: 1.0, cache=path)
    err = info.value
    assert (err.code, err.path) == ("cache", str(path))
    assert isinstance(err.reason, str)


def test_invalid_parameter_from_rust_names_the_parameter_and_the_reason():
    with pytest.raises(co.InvalidGame) as info:
        co.weighted_voting(10, [1, 2])  # the quota exceeds the total weight
    err = info.value
    assert (err.code, err.name) == ("invalid_parameter", "quota")
    assert isinstance(err.reason, str)


def test_invalid_parameter_from_the_python_converters_names_the_parameter():
    with pytest.raises(co.InvalidGame) as info:
        co.settle(PAIR, "shapley", top=-1)
    assert (info.value.code, info.value.name) == ("invalid_parameter", "top")
    with pytest.raises(co.InvalidGame) as info:
        co.Game([0, 1, "2", 3])
    assert (info.value.code, info.value.name, info.value.index) == ("invalid_parameter", "values", 2)


def test_format_error_carries_the_reason():
    with pytest.raises(co.FormatError) as info:
        co.Game.from_json('{"values": [0, 1], "vals": 2}')
    assert info.value.code == "format" and isinstance(info.value.reason, str)


def test_model_error_counts_the_failures_and_names_the_first():
    def model(s):
        if len(s) == 2:
            raise RuntimeError("no convergence")
        return 1.0

    with pytest.raises(co.ModelError) as info:
        co.LazyGame(["B", "A"], model).to_game()
    err = info.value
    assert (err.code, err.failed, err.succeeded, err.first_coalition) == ("model", 1, 2, "{B, A}")
    assert isinstance(err.first_error, str)
    assert [c for c, _ in err.failures] == [frozenset({"A", "B"})]
    assert isinstance(err.__cause__, RuntimeError)
