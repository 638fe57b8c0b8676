"""Allocation arithmetic, comparison, selection and hashing; labelled core vertices."""

import math
import pickle

import numpy as np
import pytest

import coalitional as co
from conftest import raises_error

PLAYERS = ["Songjiang", "Suzhou", "Hangzhou"]


@pytest.fixture
def game():
    return co.Game.from_coalitions(PLAYERS, {
        ("Songjiang",): 0, ("Suzhou",): 0, ("Hangzhou",): 0,
        ("Songjiang", "Suzhou"): 90, ("Songjiang", "Hangzhou"): 80, ("Suzhou", "Hangzhou"): 70,
        ("Songjiang", "Suzhou", "Hangzhou"): 150,
    })


def alloc(values, players=("A", "B", "C"), kind="value", label=None):
    return co.Allocation(values, list(players), kind=kind, label=label)


# -- arithmetic ----------------------------------------------------------------------------------

def test_allocation_plus_minus_allocation(game):
    x, y = game.shapley(), game.nucleolus()
    for result, expected in ((x + y, np.asarray(x) + np.asarray(y)), (x - y, np.asarray(x) - np.asarray(y))):
        assert isinstance(result, co.Allocation)
        assert result.players == x.players
        assert result.kind == "value"
        assert result.label is None
        np.testing.assert_array_equal(np.asarray(result), expected)


def test_scalar_arithmetic_on_both_sides():
    x = alloc([1.0, 2.0, 5.0], kind="cost")
    cases = {
        "2 * x": (2 * x, [2, 4, 10]),
        "x * 2": (x * 2, [2, 4, 10]),
        "x / 2": (x / 2, [0.5, 1, 2.5]),
        "x + 1": (x + 1, [2, 3, 6]),
        "1 + x": (1 + x, [2, 3, 6]),
        "10 - x": (10 - x, [9, 8, 5]),
        "x - 1": (x - 1, [0, 1, 4]),
        "10 / x": (10 / x, [10, 5, 2]),
        "-x": (-x, [-1, -2, -5]),
        "+x": (+x, [1, 2, 5]),
        "abs(-x)": (abs(-x), [1, 2, 5]),
        "np.float64(2) * x": (np.float64(2) * x, [2, 4, 10]),
        "x * np.int64(2)": (x * np.int64(2), [2, 4, 10]),
    }
    for what, (result, expected) in cases.items():
        assert isinstance(result, co.Allocation), what
        assert result.players == ("A", "B", "C"), what
        assert result.kind == "cost", what
        np.testing.assert_array_equal(np.asarray(result), expected, err_msg=what)


def test_shares_of_the_total(game):
    x = game.shapley()
    shares = x / x.total()
    assert math.isclose(shares.total(), 1.0)
    assert shares.players == x.players
    assert math.isclose(shares["Songjiang"], x["Songjiang"] / 150)


def test_allocation_times_and_over_allocation():
    x, y = alloc([1.0, 2.0, 3.0]), alloc([2.0, 4.0, 6.0])
    np.testing.assert_array_equal(np.asarray(y / x), [2, 2, 2])
    np.testing.assert_array_equal(np.asarray(x * y), [2, 8, 18])


def test_results_are_read_only():
    y = alloc([1.0, 2.0, 3.0]) + 1
    with pytest.raises(ValueError):
        np.asarray(y)[0] = 5.0
    x = alloc([1.0, 2.0, 3.0])
    z = x + 0  # the operand is not touched either
    assert z is not x and list(x) == [1.0, 2.0, 3.0]


def test_with_a_plain_array_gives_a_plain_array():
    x = alloc([1.0, 2.0, 3.0])
    arr = np.array([1.0, 1.0, 1.0])
    for result in (x + arr, arr + x, x - arr, arr - x, arr * x):
        assert type(result) is np.ndarray
    np.testing.assert_array_equal(arr - x, [0, -1, -2])


def test_ufuncs_still_see_an_array():
    x = alloc([1.0, 4.0, 9.0])
    assert type(np.sqrt(x)) is np.ndarray
    np.testing.assert_array_equal(np.sqrt(x), [1, 2, 3])
    assert np.allclose(x, alloc([1.0, 4.0, 9.0 + 1e-12]))


def test_different_players_are_refused_naming_them():
    x, y = alloc([1, 2, 3]), alloc([1, 2, 3], players=("A", "B", "D"))
    with raises_error(co.InvalidGame, "different_players", only_left=["C"], only_right=["D"]):
        x + y
    with raises_error(co.InvalidGame, "different_players", only_left=["C"], only_right=[]):
        x - alloc([1, 2], players=("A", "B"))


def test_same_players_in_another_order_are_refused():
    x, y = alloc([1, 2, 3]), alloc([3, 2, 1], players=("C", "B", "A"))
    with raises_error(co.InvalidGame, "different_order", left=("A", "B", "C"), right=("C", "B", "A")):
        x + y
    # the message's advice works: reorder by names
    np.testing.assert_array_equal(np.asarray(x + y[list(x.players)]), [2, 4, 6])


def test_value_and_cost_allocations_do_not_mix():
    x, c = alloc([1, 2, 3]), alloc([1, 2, 3], kind="cost")
    for op, left, right in ((lambda: x + c, "value", "cost"), (lambda: c - x, "cost", "value"),
                            (lambda: x * c, "value", "cost"), (lambda: x / c, "value", "cost")):
        with raises_error(co.InvalidGame, "different_kinds", left=left, right=right):
            op()


def test_unsupported_operands_are_type_errors():
    x = alloc([1, 2, 3])
    for bad in ([1, 2, 3], "1", True, None, 1j):
        with pytest.raises(TypeError):
            x + bad
        with pytest.raises(TypeError):
            bad * x


# -- comparison and hashing ---------------------------------------------------------------------

def test_equality_is_exact_and_ignores_the_label(game):
    assert game.shapley() == game.shapley()
    assert alloc([1, 2, 3], label="a") == alloc([1.0, 2.0, 3.0], label="b")
    assert alloc([1, 2, 3]) != alloc([1, 2, 3 + 1e-12])
    assert alloc([1, 2, 3]) != alloc([1, 2, 3], kind="cost")
    assert alloc([1, 2, 3]) != alloc([1, 2, 3], players=("A", "B", "D"))
    assert alloc([1, 2, 3]) != alloc([3, 2, 1], players=("C", "B", "A"))
    assert (alloc([1, 2, 3]) == [1, 2, 3]) is False
    assert alloc([1, 2, 3]) == pytest.approx([1, 2, 3])


def test_isclose():
    x = alloc([1.0, 2.0, 3.0])
    assert x.isclose(alloc([1.0, 2.0, 3.0 * (1 + 1e-12)]))
    assert not x.isclose(alloc([1.0, 2.0, 3.001]))
    assert x.isclose(alloc([1.0, 2.0, 3.001]), rel_tol=1e-3)
    assert not alloc([0.0, 0, 0]).isclose(alloc([1e-12, 0, 0]))
    assert alloc([0.0, 0, 0]).isclose(alloc([1e-12, 0, 0]), abs_tol=1e-9)
    assert not x.isclose(alloc([1.0, 2.0, 3.0], kind="cost"))
    assert not x.isclose(alloc([1.0, 2.0, 3.0], players=("A", "B", "D")))
    with raises_error(co.InvalidGame, "invalid_parameter", name="rel_tol"):
        x.isclose(x, rel_tol=-1)
    with raises_error(co.InvalidGame, "invalid_parameter", name="abs_tol"):
        x.isclose(x, abs_tol=float("nan"))
    with pytest.raises(TypeError):
        x.isclose([1.0, 2.0, 3.0])


def test_hash_agrees_with_equality(game):
    a, b = game.shapley(), game.shapley()
    assert a == b and hash(a) == hash(b)
    assert alloc([0.0, 1, 2]) == alloc([-0.0, 1, 2])
    assert hash(alloc([0.0, 1, 2])) == hash(alloc([-0.0, 1, 2]))
    assert len({a, b, game.nucleolus()}) == 2
    assert {a: "phi"}[b] == "phi"


# -- selection by names -------------------------------------------------------------------------

def test_select_players_by_name(game):
    x = game.shapley()
    sub = x[["Hangzhou", "Songjiang"]]
    assert isinstance(sub, co.Allocation)
    assert sub.players == ("Hangzhou", "Songjiang")
    assert sub["Hangzhou"] == x["Hangzhou"] and sub["Songjiang"] == x["Songjiang"]
    assert sub.kind == x.kind and sub.label == x.label
    assert isinstance(x["Suzhou"], float)
    assert isinstance(x[0], float)
    assert x[("Suzhou",)].players == ("Suzhou",)


def test_select_unknown_or_repeated_names(game):
    x = game.shapley()
    with raises_error(co.UnknownPlayer, "unknown_player", name="Shanghai", players="Songjiang, Suzhou, Hangzhou"):
        x[["Suzhou", "Shanghai"]]
    with raises_error(co.UnknownPlayer, "unknown_player", name="Shanghai"):
        x["Shanghai"]
    with pytest.raises(co.InvalidGame):
        x[["Suzhou", "Suzhou"]]
    with pytest.raises(TypeError):
        x[[0, 1]]
    with pytest.raises(TypeError):
        x[1.5]


# -- labelled core vertices ---------------------------------------------------------------------

def test_core_vertices_are_labelled_and_still_an_array(game):
    v = game.core_vertices()
    assert isinstance(v, co.Vertices) and isinstance(v, np.ndarray)
    assert v.shape == (3, 3) and v.dtype == np.float64
    assert v.players == tuple(PLAYERS) and v.kind == "value"
    np.testing.assert_array_equal(v.sum(axis=1), [150, 150, 150])
    allocations = v.allocations()
    assert all(isinstance(a, co.Allocation) for a in allocations)
    assert [list(a) for a in allocations] == v.tolist()
    assert all(game.in_core(a) for a in allocations)
    assert allocations[0].players == tuple(PLAYERS)


def test_vertices_labels_follow_rows_not_new_numbers(game):
    v = game.core_vertices()
    assert isinstance(v[0], co.Vertices) and v[0].players == tuple(PLAYERS)
    assert isinstance(v[1:], co.Vertices) and v[1:].players == tuple(PLAYERS)
    assert all(isinstance(row, co.Vertices) for row in v)
    for plain in (v[:, 0], v[:, :2], v * 2, v.mean(axis=0), v - v):
        assert type(plain) is np.ndarray
    assert type(np.array(v)) is np.ndarray


def test_vertices_to_pandas(game):
    pd = pytest.importorskip("pandas")
    frame = game.core_vertices().to_pandas()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == PLAYERS
    assert frame.shape == (3, 3)
    assert (frame.sum(axis=1) == 150).all()


def test_empty_core_vertices_keep_the_shape_and_labels():
    majority = co.Game([0, 0, 0, 1, 0, 1, 1, 1], ["A", "B", "C"])
    v = majority.core_vertices()
    assert v.shape == (0, 3) and v.players == ("A", "B", "C")
    assert v.allocations() == []
    pd = pytest.importorskip("pandas")
    assert list(v.to_pandas().columns) == ["A", "B", "C"]


def test_cost_game_vertices_carry_the_kind():
    g = co.airport([1.0, 3.0, 4.0], ["s", "m", "l"])
    v = g.core_vertices()
    assert v.kind == "cost"
    assert all(a.kind == "cost" for a in v.allocations())


def test_vertices_pickle_with_their_labels(game):
    v = game.core_vertices()
    w = pickle.loads(pickle.dumps(v))
    assert isinstance(w, co.Vertices)
    assert w.players == v.players and w.kind == v.kind
    np.testing.assert_array_equal(w, v)


def test_vertices_need_one_column_per_player():
    with raises_error(co.InvalidGame, "invalid_parameter", name="values", shape=(2, 3)):
        co.Vertices(np.zeros((2, 3)), ["A", "B"])
