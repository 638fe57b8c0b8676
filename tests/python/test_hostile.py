"""Hostile input (issue 13): every bad input is a typed GameError whose attributes name the field,
index, player or coalition (``code`` and ``name``, ``index``, ``coalition``...); never a raw
TypeError/ValueError/OverflowError/RecursionError, a warning, a crash or a silently wrong number.
The command line escapes what it prints."""

import datetime
import decimal
import errno
import fractions
import json
import signal
import subprocess
import sys
import unicodedata
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import coalitional as co
from coalitional import _convert, cli
from conftest import assert_fields

PAIR = co.Game([0, 1, 1, 3], ["A", "B"])


def refused(call, exc, code, **fields):
    """``call()`` raises exactly ``exc`` (or a subclass), with no warning on the way, whose
    ``code`` is ``code`` and whose attributes equal ``fields`` (the field, index, player or
    coalition at fault); returns the error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(exc) as info:
            call()
    return assert_fields(info.value, code, **fields)


# -- numbers and arrays ---------------------------------------------------------------------

# (values, the index of the entry at fault, or None when the whole array is refused)
BAD_ARRAYS = [
    pytest.param(np.array([0, 1 + 1j, 1, 2]), None, id="complex"),
    pytest.param(np.array([0, 1 + 0j, 1, 2]), None, id="complex, zero imaginary part"),  # still refused
    pytest.param(np.array(["0", "1", "1", "2"]), None, id="strings"),
    pytest.param(np.array(["0", "1", "1", "2"], dtype=bytes), None, id="byte strings"),
    pytest.param(np.array(["2024-01-01"] * 4, dtype="datetime64[D]"), None, id="dates"),
    pytest.param(np.array([1, 2, 3, 4], dtype="timedelta64[s]"), None, id="time spans"),
    pytest.param(np.array([False, True, True, True]), None, id="booleans"),
    pytest.param(np.array([0, object(), 1, 2], dtype=object), 1, id="an object"),
    pytest.param(np.ma.masked_array([0.0, 1, 1, 2], mask=[0, 1, 0, 0]), None, id="masked"),
    pytest.param([0, True, 1, 2], 1, id="a bool"),
    pytest.param([0, np.True_, 1, 2], 1, id="a numpy bool"),
    pytest.param([0, "1", 1, 2], 1, id="a str"),
    pytest.param([0, None, 1, 2], 1, id="None"),
    pytest.param([0, 1j, 1, 2], 1, id="a complex"),
    pytest.param([0, [1, 2], 1, 2], 1, id="a nested list"),
    pytest.param([0, np.array([1.0]), 1, 2], 1, id="a nested array"),
    pytest.param([[0, 1], [1, 2]], 0, id="a list of lists"),
    pytest.param(np.zeros((2, 2)), None, id="shape (2, 2)"),
    pytest.param([0, 10**400, 1, 2], 1, id="an int beyond float64"),
    pytest.param([0, datetime.date(2024, 1, 1), 1, 2], 1, id="a date"),
    pytest.param("0112", None, id="not a str"),
    pytest.param(b"\x00\x01", None, id="not a bytes"),
    pytest.param({"a": 1}, None, id="not a dict"),
    pytest.param({0.0, 1.0}, None, id="unordered set"),
    pytest.param(3.0, None, id="not a float"),
]


def at(index):
    """The ``index`` field to expect: the entry at fault, when one is."""
    return {} if index is None else {"index": index}


@pytest.mark.parametrize("values, index", BAD_ARRAYS)
def test_game_values_are_refused_by_type(values, index):
    refused(lambda: co.Game(values), co.InvalidGame, "invalid_parameter", name="values", **at(index))


@pytest.mark.parametrize(
    "values, index",
    [p for p in BAD_ARRAYS if not isinstance(p.values[0], dict) and getattr(p.values[0], "ndim", 1) == 1],
)
def test_every_array_argument_uses_the_same_rule(values, index):
    two = values[:2] if isinstance(values, (list, np.ndarray)) and len(values) == 4 else values
    refused(lambda: PAIR.in_core(two), co.InvalidGame, "invalid_parameter", name="x", **at(index))
    refused(lambda: co.settle(PAIR, "shapley", two), co.InvalidGame, "invalid_parameter", name="status_quo",
            **at(index))
    if isinstance(values, str):  # a string target is a rule name
        refused(lambda: co.settle(PAIR, two), co.InvalidGame, "invalid_parameter", name="rule")
    else:
        refused(lambda: co.settle(PAIR, two), co.InvalidGame, "invalid_parameter", name="target", **at(index))
    refused(lambda: co.airport(values), co.InvalidGame, "invalid_parameter", name="costs", **at(index))
    refused(lambda: co.bankruptcy(10, values), co.InvalidGame, "invalid_parameter", name="claims", **at(index))
    refused(lambda: co.weighted_voting(2, values), co.InvalidGame, "invalid_parameter", name="weights", **at(index))
    refused(lambda: co.Allocation(two, ["A", "B"]), co.InvalidGame, "invalid_parameter",
            name="the allocation's values", **at(index))


def test_good_numbers_of_every_kind_are_accepted():
    exact = [0, fractions.Fraction(1, 2), decimal.Decimal("1.5"), np.float32(2.0)]
    assert co.Game(exact).values.tolist() == [0.0, 0.5, 1.5, 2.0]
    assert co.Game(np.array([0, 1, 1, 2], dtype=np.uint8)).values.tolist() == [0, 1, 1, 2]
    assert co.Game(np.array([0, 1, 1, 2], dtype=object)).values.tolist() == [0, 1, 1, 2]
    assert co.Game(x for x in (0, 1, 1, 2)).values.tolist() == [0, 1, 1, 2]
    assert co.Game([0, 2**60, 1, 2**61]).values[1] == 2.0**60


def test_scalars_name_their_parameter():
    bad_as = "invalid_parameter"
    refused(lambda: co.bankruptcy("200", [100, 200]), co.InvalidGame, bad_as, name="estate")
    refused(lambda: co.weighted_voting(True, [1, 1]), co.InvalidGame, bad_as, name="quota")
    refused(lambda: co.Game([0, 1], kind=1), co.InvalidGame, "unknown_kind", kind=1)
    refused(lambda: co.Game.from_coalitions(["A"], {("A",): "1"}), co.InvalidGame, bad_as,
            name="the value of coalition ('A',)")
    refused(lambda: co.Game.from_coalitions(["A"], {("A",): True}), co.InvalidGame, bad_as,
            name="the value of coalition ('A',)")
    refused(lambda: co.Game.from_coalitions(["A"], [(("A",), 1)]), co.InvalidGame, bad_as, name="mapping")
    refused(lambda: PAIR.in_core({"A": "1", "B": 2}), co.InvalidGame, bad_as, name="x['A']")
    refused(lambda: co.settle(PAIR, "shapley", {"A": None, "B": 1}), co.InvalidGame, bad_as, name="status_quo['A']")


@pytest.mark.parametrize("tol", [float("nan"), -1e-9, -1, "1e-9", True, [1e-9]])
def test_in_core_tolerance_is_checked(tol):
    refused(lambda: PAIR.in_core([1.5, 1.5], tol=tol), co.InvalidGame, "invalid_parameter", name="tol")


def test_in_core_good_tolerances():
    for tol in (None, 0, 0.0, 1e-9, np.float32(1e-6), decimal.Decimal("0.001")):
        assert PAIR.in_core([1.5, 1.5], tol=tol) is True
    assert PAIR.in_core([1.5, 1.4], tol=0.01) is False and PAIR.in_core([1.5, 1.4], tol=0.1) is True


def test_assignment_matrices():
    def weights(call, **fields):
        refused(call, co.InvalidGame, "invalid_parameter", **{"name": "weights", **fields})

    weights(lambda: co.assignment([[1, 2], [3]], ["a", "b"], ["c", "d"]), index=1)  # ragged: row 1
    weights(lambda: co.assignment([[1, "2"]], ["a"], ["c", "d"]), name="weights[0]", index=1)
    weights(lambda: co.assignment(np.zeros((2, 2, 2)), ["a", "b"], ["c", "d"]))
    weights(lambda: co.assignment(np.ones((1, 2), dtype=complex), ["a"], ["c", "d"]))
    weights(lambda: co.assignment([], ["a"], ["b"]))
    weights(lambda: co.assignment("12", ["a"], ["b"]))


# -- names -----------------------------------------------------------------------------------

@pytest.mark.parametrize("players, index", [
    pytest.param("ab", None, id="one str"),
    pytest.param(b"ab", None, id="bytes"),
    pytest.param([b"a", b"b"], 0, id="bytes names"),
    pytest.param([1, 2], 0, id="int names"),
    pytest.param(["a", None], 1, id="None name"),
    pytest.param({"a", "b"}, None, id="no definite order"),
    pytest.param(5, None, id="an int"),
    pytest.param(["a", "\udc80"], 1, id="not valid Unicode"),
])
def test_bad_player_lists(players, index):
    for build in (lambda: co.Game([0, 1, 1, 2], players),
                  lambda: co.Game.from_function(players, len),
                  lambda: co.airport([1, 2], players),
                  lambda: co.LazyGame(players, len)):
        refused(build, co.InvalidGame, "invalid_parameter", name="players", **at(index))


def test_duplicate_and_control_character_names():
    refused(lambda: co.Game([0, 1, 1, 2], ["A", "A"]), co.InvalidGame, "duplicate_player", name="A", first=0,
            second=1)
    names = ["A\x1b[2J", "B\u202e\x9b\n"]
    g = co.Game([0, 1, 1, 2], names)
    assert g.players == tuple(names) and co.Game.from_json(g.to_json()).players == tuple(names)
    assert co.Game([0, 1, 1, 2], np.array(["a", "b"])).players == ("a", "b")


def test_names_in_other_arguments():
    for call, name in [(lambda: PAIR.marginal_vector("AB"), "order"),
                       (lambda: PAIR.owen("AB"), "unions"),
                       (lambda: PAIR.owen(None), "unions"),
                       (lambda: PAIR.owen([["A"], "B"]), "unions[1]"),
                       (lambda: PAIR.value(b"A"), "coalition"),
                       (lambda: co.assignment([[1]], "a", ["b"]), "rows"),
                       (lambda: co.pioneer_view(PAIR, "AB"), "order")]:
        refused(call, co.InvalidGame, "invalid_parameter", name=name)
    assert PAIR.value("A") == 1.0 and PAIR.value({"A", "B"}) == 3.0


# -- models ----------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [True, np.bool_(False), "3", None, 1 + 0j, np.array([1.0]), 10**400, float("nan"),
                                   float("-inf"), np.float32("inf")], ids=repr)
def test_model_values_refused(value):
    refused(lambda: co.Game.from_function(["A", "B"], lambda s: value), co.InvalidGame, "model_value",
            coalition="{A}")
    refused(lambda: _convert.model_value(value, frozenset(["A"])), co.InvalidGame, "model_value", coalition="{A}")


@pytest.mark.parametrize("value", [2, 2.0, np.int8(2), np.float32(2), np.float64(2), fractions.Fraction(2),
                                   decimal.Decimal(2), np.array(2.0), np.uint64(2)])
def test_model_values_accepted(value):
    assert co.Game.from_function(["A"], lambda s: value).values.tolist() == [0.0, 2.0]
    assert _convert.model_value(value, ["A"]) == 2.0


def test_model_coalitions_are_named_in_player_order_and_errors_propagate():
    refused(lambda: co.Game.from_function(["B", "A", "C"], lambda s: "x" if len(s) == 2 else 1.0),
            co.InvalidGame, "model_value", coalition="{B, A}")
    refused(lambda: co.Game.from_function(["A"], 3), co.InvalidGame, "invalid_parameter", name="f")

    def interrupted(s):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        co.Game.from_function(["A", "B"], interrupted)


# -- counts ----------------------------------------------------------------------------------

@pytest.mark.parametrize("top", [-1, 2.5, "3", True, float("inf")])
def test_settle_top(top):
    refused(lambda: co.settle(PAIR, "shapley", top=top), co.InvalidGame, "invalid_parameter", name="top")


def test_settle_top_large_and_integral():
    assert len(co.settle(PAIR, "shapley", top=10**30).blocking) == 2
    assert len(co.settle(PAIR, "shapley", top=1.0).blocking) == 1
    assert len(co.settle(PAIR, "shapley", top=np.int64(0)).blocking) == 0


@pytest.mark.parametrize("seed", [-1, 2**64, 1.5, "1", None, np.True_])
def test_seed_rule(seed):
    refused(lambda: _convert.seed_value(seed), co.InvalidGame, "invalid_parameter", name="seed")


def test_seed_rule_accepts_the_whole_u64_range():
    assert _convert.seed_value(0) == 0 and _convert.seed_value(2**64 - 1) == 2**64 - 1
    assert _convert.seed_value(np.uint64(7)) == 7 and _convert.seed_value(1e6) == 10**6


# -- JSON ------------------------------------------------------------------------------------

def class_doc(**fields):
    return json.dumps({"format": "coalitional.game", "version": 1, **fields})


# The reader's own errors carry code "format" and the text's ``name`` ("game JSON"; a file's
# path); those of the native reader carry code "format", the ``reason`` and the ``field`` at
# fault (a JSON path, or None for the document as a whole).
NAMED = {"name": "game JSON"}


@pytest.mark.parametrize("text, fields", [
    (class_doc(**{"class": "airport", "costs": [1, 2], "colour": 1}), {"field": "colour"}),
    (class_doc(**{"class": "weighted_voting", "quota": "3", "weights": [2, 2]}), {"field": "quota"}),
    (class_doc(**{"class": "weighted_voting", "quota": 3, "weights": ["3", 2]}), {"field": "weights[0]"}),
    (class_doc(**{"class": "weighted_voting", "quota": True, "weights": [1, 1]}), {"field": "quota"}),
    (class_doc(**{"class": "airport", "costs": [True, 1]}), {"field": "costs[0]"}),
    (class_doc(**{"class": "bankruptcy", "claims": [1]}), {"field": "estate"}),
    (class_doc(**{"class": "assignment", "weights": [[1]], "rows": ["a"]}), {"field": "cols"}),
    (class_doc(**{"class": "airport", "costs": 5}), {"field": "costs"}),
    (class_doc(**{"class": "airport", "costs": {"a": 1}}), {"field": "costs"}),
    (class_doc(**{"class": "airport", "costs": [[1], 2]}), {"field": "costs[0]"}),
    (class_doc(**{"class": "airport", "costs": [1, 2], "players": "ab"}), {"field": "players"}),
    (class_doc(**{"class": "airport", "costs": [1, 2], "players": [1, 2]}), {"field": "players[0]"}),
    (class_doc(**{"class": "airport", "costs": [1, 2], "name": 3}), {"field": "name"}),
    (class_doc(**{"class": "assignment", "weights": [[1]], "rows": None, "cols": ["b"]}), {"field": "rows"}),
    (class_doc(**{"class": ["airport"]}), {"field": "class"}),
    (class_doc(**{"class": "lottery"}), {"field": "class"}),
    (json.dumps({"format": "coalitional.game", "version": True, "class": "airport", "costs": [1]}),
     {"field": "version"}),
    (json.dumps({"format": "coalitional.game", "version": 1.0, "class": "airport", "costs": [1]}),
     {"field": "version"}),
    (json.dumps({"class": "airport", "costs": [1]}), {"field": "format"}),
    ('{"format": "coalitional.game", "version": 1, "class": "airport", "costs": [NaN]}', NAMED),
    ('{"format": "coalitional.game", "version": 1, "class": "airport", "costs": [1e400]}', NAMED),
    ('{"format": "coalitional.game", "version": 1, "class": "airport", "costs": [' + "9" * 5000 + "]}", NAMED),
    ('{"format": "coalitional.game", "version": 1, "class": "airport", "costs": [-' + "9" * 309 + "]}", {}),
    (class_doc(**{"class": "airport"})[:-1] + ', "costs": [1], "costs": [2]}', NAMED),
    ('{"values": [0, 1e400]}', {}),
    ('{"values": [0, Infinity]}', {}),
    ('{"values": [0, ' + "9" * 5000 + "]}", {}),
    ('{"class": ' + "[" * 100_000 + "]" * 100_000 + "}", NAMED),
    ('{"values": ' + "[" * 100_000 + "]" * 100_000 + "}", {}),
    ('{"name": ' + '{"a": ' * 100_000 + "1" + "}" * 100_000 + "}", {}),
    ('{"values": [0, 1], "name": "\udc80"}', NAMED),
    (b'{"values": [0, 1], "name": "\xff"}', NAMED),
    (b"\xfe\xff\x00{", NAMED),
    (5, NAMED),
])
def test_bad_json_is_a_format_error(text, fields):
    refused(lambda: co.Game.from_json(text), co.FormatError, "format", **fields)


def test_good_json_still_reads():
    assert co.Game.from_json(b'\xef\xbb\xbf{"values": [0, 1]}').values.tolist() == [0.0, 1.0]
    assert co.Game.from_json('{"values": [0, 1], "players": ["class"]}').players == ("class",)
    g = co.Game.from_json(class_doc(**{"class": "airport", "costs": [1, 2], "players": None, "name": "runway"}))
    assert g.players == ("0", "1") and g.metadata["name"] == "runway"
    for game in (co.airport([1, 2], ["a", "b"]), co.bankruptcy(200, [100, 300]), co.weighted_voting(3, [2, 1, 1]),
                 co.assignment([[1, 2]], ["r"], ["c", "d"])):
        assert co.Game.from_json(game.to_json()).to_json() == game.to_json()


def test_non_utf8_files(tmp_path):
    path = tmp_path / "game.json"
    path.write_bytes(b'{"values": [0, 1], "name": "caf\xe9"}')  # Latin-1, not UTF-8
    refused(lambda: co.Game.load(path), co.FormatError, "format", name=f"game file {path}")
    refused(lambda: co.Game.load(tmp_path / "missing.json"), FileNotFoundError, None, errno=errno.ENOENT)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.floats(allow_nan=False) | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=12,
)
class_keys = st.sampled_from(["format", "version", "class", "players", "quota", "weights", "estate", "claims",
                              "costs", "rows", "cols", "name", "x"])


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cls=st.sampled_from(["weighted_voting", "bankruptcy", "airport", "assignment", "other"]),
       fields=st.dictionaries(class_keys, json_values, max_size=6))
def test_random_class_documents_give_only_game_errors(cls, fields):
    doc = {"format": "coalitional.game", "version": 1, **fields, "class": cls}
    for text in (json.dumps(doc), json.dumps(doc).encode()):
        try:
            game = co.Game.from_json(text)
        except co.GameError:
            continue
        assert isinstance(game, co.StructuredGame)  # and it was a valid document: it reads back
        assert co.Game.from_json(game.to_json()).players == game.players


# -- the command line ------------------------------------------------------------------------

UNSAFE = {"Cc", "Zl", "Zp"}
BIDI = {"\u061c", "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))}


def assert_terminal_safe(text):
    for ch in text:
        assert ch == "\n" or (unicodedata.category(ch) not in UNSAFE and ch not in BIDI), repr(ch)


def test_safe_escapes_controls_and_keeps_the_rest():
    assert cli.safe("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert cli.safe("\x9b31m\x7f\x00\t\n\r") == "\\x9b31m\\x7f\\x00\\t\\n\\r"
    assert cli.safe("\u202eevil\u2028") == "\\u202eevil\\u2028"
    assert cli.safe("松江 Zürich") == "松江 Zürich"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(st.text(min_size=1, max_size=6), min_size=2, max_size=3, unique=True),
       title=st.text(max_size=8))
def test_cli_output_never_carries_control_characters(tmp_path_factory, capsys, names, title):
    n = len(names)
    path = tmp_path_factory.mktemp("names") / "g.json"
    g = co.Game.from_function(names, lambda s: float(len(s)) ** 2)
    g.metadata.update(name=title or None, description=title or None, source=title or None)
    g.save(path)
    assert cli.main(["report", str(path)]) == 0
    out = capsys.readouterr().out
    assert_terminal_safe(out)
    assert cli.main(["report", str(path), "--json"]) == 0
    out = capsys.readouterr().out
    assert_terminal_safe(out)  # names are kept as UTF-8 (issue 15), unsafe characters escaped
    data = json.loads(out)
    assert data["players"] == names and data["metadata"]["name"] == (title or None)
    assert len(data["shapley"]) == n


def test_cli_errors_are_one_escaped_line(tmp_path, capsys):
    game = tmp_path / "g.json"
    co.Game([0, 1, 1, 3], ["A\x1b[2J", "B"]).save(game)
    sq = tmp_path / "sq.json"
    sq.write_text(json.dumps({"\x1b]0;title\x07": 1, "B": 2}))
    assert cli.main(["report", str(game), "--status-quo", str(sq)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("coalitional: error: status_quo must name every player") and err.count("\n") == 1
    assert_terminal_safe(err)


@pytest.mark.parametrize("content, fields", [
    pytest.param(b'{"A": 1, "B": "\xff"}', {}, id="not UTF-8"),
    pytest.param(b'{"A": 1, "B": 1e400}', {}, id="beyond float64"),
    pytest.param(b'{"A": 1, "B": NaN}', {}, id="NaN"),
    pytest.param(b'{"A": 1, "B": true}', {"player": "B"}, id="a bool"),
    pytest.param(b'{"A": 1, "B": "2"}', {"player": "B"}, id="a str"),
    pytest.param(b"[1, 2]", {}, id="a list"),
    pytest.param(b'{"A": 1, "B": 2, "A": 3}', {}, id="a key twice"),
    pytest.param(b'{"format": "coalitional.status_quo", "version": 1, "status_quo": {"A": 1, "B": 2}, "colour": 1}',
                 {"field": "colour"}, id="unknown field"),
    pytest.param(b'{"format": "coalitional.status_quo", "version": true, "status_quo": {"A": 1, "B": 2}}', {},
                 id="version"),
    pytest.param(b'{"A": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", {}, id="nested too deeply"),
])
def test_bad_status_quo_files(tmp_path, capsys, content, fields):
    game, sq = tmp_path / "g.json", tmp_path / "sq.json"
    PAIR.save(game)
    sq.write_bytes(content)
    refused(lambda: cli.load_status_quo(str(sq)), co.FormatError, "format", name=f"status quo file {sq}", **fields)
    assert cli.main(["report", str(game), "--status-quo", str(sq)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("coalitional: error:") and err.count("\n") == 1


def test_cli_bad_game_files(tmp_path, capsys):
    path = tmp_path / "g.json"
    for content, fragment in [(b'{"values": [0, 1], "name": "\xff"}', "not UTF-8"),
                              (b'{"values": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "invalid JSON document"),
                              (b'{"values": [0, 1e400]}', "out of range")]:
        path.write_bytes(content)
        assert cli.main(["report", str(path)]) == 2
        err = capsys.readouterr().err
        assert err.startswith("coalitional: error:") and fragment in err and err.count("\n") == 1
    path.write_bytes(b"\xff")
    assert cli.main(["check", str(path)]) == 2
    assert "not UTF-8" in capsys.readouterr().err


def test_cli_check_escapes_case_names_and_failures(tmp_path, capsys):
    game = json.loads(co.Game([0, 1, 1, 3], ["L\x1b[31m", "R"]).to_json())
    cases = {"format": "coalitional.cases", "version": 1,
             "cases": [{"name": "\x1b[2Jcleared", "game": game, "expected": {"shapley": [0, 3]}}]}
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(cases))
    assert cli.main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "FAIL  \\x1b[2Jcleared" in out and "shapley[L\\x1b[31m]" in out
    assert_terminal_safe(out)
    assert cli.main(["check", str(path), "--json"]) == 1
    out = capsys.readouterr().out
    assert out.isascii() and json.loads(out)[0]["name"] == "\x1b[2Jcleared"


@pytest.mark.parametrize("top", ["-1", "x", "1.5"])
def test_cli_top_is_checked_by_argparse(top, tmp_path, capsys):
    path = tmp_path / "g.json"
    PAIR.save(path)
    with pytest.raises(SystemExit) as info:
        cli.main(["report", str(path), "--top", top])
    assert info.value.code == 2 and "--top" in capsys.readouterr().err


def test_cli_huge_top_is_fine(tmp_path, capsys):
    path = tmp_path / "g.json"
    PAIR.save(path)
    assert cli.main(["report", str(path), "--top", "1" + "0" * 30, "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["settlement"]["blocking"]) == 2


def test_cli_ctrl_c_in_process(monkeypatch, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "summary", interrupted)
    assert cli.main(["demo"]) == 130
    captured = capsys.readouterr()
    assert captured.err == "coalitional: interrupted\n" and captured.out == ""


def test_cli_ctrl_c_signal():
    # A real SIGINT while the report is being computed: status 130, one line, no traceback.
    script = (
        "import os, signal, sys, time\n"
        "from coalitional import cli\n"
        # Python's own handler, whatever the parent left (a shell's background job ignores SIGINT).
        "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
        "def slow(*a, **k):\n"
        "    os.kill(os.getpid(), signal.SIGINT)\n"
        "    time.sleep(30)\n"
        "cli.summary = slow\n"
        "sys.exit(cli.main(['demo']))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 128 + signal.SIGINT.value == 130, (done.returncode, done.stderr)
    assert done.stderr == "coalitional: interrupted\n" and done.stdout == ""


# -- sampling and lazy games (the checks live in _convert; _sampling.py and _lazy.py call them) --

SAMPLED = [
    lambda **kw: PAIR.shapley_sample(**kw),
    lambda **kw: PAIR.banzhaf_sample(**kw),
    lambda **kw: co.weighted_voting(2, [1, 1]).shapley_sample(**kw),
    lambda **kw: co.LazyGame(["A", "B"], lambda s: float(len(s))).shapley_sample(**kw),
]


@pytest.mark.parametrize("kwargs", [
    {"seed": -1}, {"seed": 2**64}, {"seed": 0.5}, {"seed": "7"},
    {"max_rounds": -5}, {"max_rounds": 0}, {"max_rounds": "10"}, {"max_rounds": 2.5},
    {"batch": 0}, {"batch": -(2**70)}, {"batch": True},
    {"epsilon": "0.1"}, {"delta": None}, {"value_range": "1"},
], ids=repr)
def test_sampling_parameters(kwargs):
    (name,) = kwargs
    for sample in SAMPLED:
        refused(lambda: sample(**kwargs), co.InvalidGame, "invalid_parameter", name=name)


def test_sampling_extreme_but_valid_counts():
    run = PAIR.shapley_sample(seed=2**64 - 1, max_rounds=1e3, batch=2**70)
    assert run.values.total() == pytest.approx(3.0)
    again = PAIR.shapley_sample(seed=np.uint64(2**64 - 1), max_rounds=1000, batch=7)
    assert np.asarray(again.values).tolist() == np.asarray(run.values).tolist()  # batching changes no draw
    assert PAIR.shapley_sample(max_rounds=10**30, epsilon=10.0).converged


@pytest.mark.parametrize("value", [True, np.bool_(True), "3", None, 1 + 2j, np.complex128(1 + 2j), np.complex64(1),
                                   float("nan"), -np.inf], ids=repr)
def test_lazy_and_dense_models_share_one_rule(value):
    # The same values are refused, naming the same coalition (players in their order); a
    # LazyGame collects the refusal as a model failure (ModelError, the InvalidGame as cause).
    def f(s):
        return value if len(s) == 2 else 1.0

    players = ["B", "A", "C"]
    refused(lambda: co.Game.from_function(players, f), co.InvalidGame, "model_value", coalition="{B, A}")
    with warnings.catch_warnings(record=True) as caught:  # not as errors: a warning must not decide
        warnings.simplefilter("always")
        with pytest.raises(co.ModelError) as info:
            co.LazyGame(players, f).to_game()
    assert not caught, [str(w.message) for w in caught]
    assert isinstance(info.value.__cause__, co.InvalidGame)
    assert_fields(info.value.__cause__, "model_value", coalition="{B, A}")
    assert info.value.failures[0][0] == frozenset({"A", "B"})  # the cause is the first failure


def test_lazy_and_dense_models_accept_the_same_numbers():
    for value in (2, 2.5, np.int8(2), np.uint64(2), np.float32(0.5), fractions.Fraction(1, 4),
                  decimal.Decimal("1.5"), np.array(2.0)):
        dense = co.Game.from_function(["B", "A"], lambda s: value).values.tolist()
        assert co.LazyGame(["B", "A"], lambda s: value).to_game().values.tolist() == dense == [0.0] + [float(value)] * 3
