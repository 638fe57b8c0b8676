"""Hostile input (issue 13): every bad input is a typed GameError whose message names the field,
index, player or coalition; never a raw TypeError/ValueError/OverflowError/RecursionError, a
warning, a crash or a silently wrong number. The command line escapes what it prints."""

import datetime
import decimal
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

PAIR = co.Game([0, 1, 1, 3], ["A", "B"])


def refused(call, exc, *fragments):
    """``call()`` raises exactly ``exc`` (or a subclass), with no warning on the way, and its
    message contains every fragment; returns the message."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(exc) as info:
            call()
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    return message


# -- numbers and arrays ---------------------------------------------------------------------

BAD_ARRAYS = [
    (np.array([0, 1 + 1j, 1, 2]), "complex"),
    (np.array([0, 1 + 0j, 1, 2]), "complex"),  # a zero imaginary part is still refused
    (np.array(["0", "1", "1", "2"]), "strings"),
    (np.array(["0", "1", "1", "2"], dtype=bytes), "byte strings"),
    (np.array(["2024-01-01"] * 4, dtype="datetime64[D]"), "dates"),
    (np.array([1, 2, 3, 4], dtype="timedelta64[s]"), "time spans"),
    (np.array([False, True, True, True]), "booleans"),
    (np.array([0, object(), 1, 2], dtype=object), "[1]"),
    (np.ma.masked_array([0.0, 1, 1, 2], mask=[0, 1, 0, 0]), "masked"),
    ([0, True, 1, 2], "[1] is True, a bool"),
    ([0, np.True_, 1, 2], "[1] is np.True_, a bool"),
    ([0, "1", 1, 2], "[1] is '1', a str"),
    ([0, None, 1, 2], "[1] is None, a NoneType"),
    ([0, 1j, 1, 2], "[1] is 1j, a complex"),
    ([0, [1, 2], 1, 2], "one-dimensional"),
    ([0, np.array([1.0]), 1, 2], "one-dimensional"),
    ([[0, 1], [1, 2]], "one-dimensional"),
    (np.zeros((2, 2)), "shape (2, 2)"),
    ([0, 10**400, 1, 2], "[1] is 1000"),
    ([0, datetime.date(2024, 1, 1), 1, 2], "a date"),
    ("0112", "not a str"),
    (b"\x00\x01", "not a bytes"),
    ({"a": 1}, "not a dict"),
    ({0.0, 1.0}, "unordered set"),
    (3.0, "not a float"),
]


@pytest.mark.parametrize("values, fragment", BAD_ARRAYS)
def test_game_values_are_refused_by_type(values, fragment):
    refused(lambda: co.Game(values), co.InvalidGame, "values", fragment)


@pytest.mark.parametrize("values, fragment", [a for a in BAD_ARRAYS if not isinstance(a[0], dict) and getattr(a[0], "ndim", 1) == 1])
def test_every_array_argument_uses_the_same_rule(values, fragment):
    two = values[:2] if isinstance(values, (list, np.ndarray)) and len(values) == 4 else values
    refused(lambda: PAIR.in_core(two), co.InvalidGame, "x", fragment)
    refused(lambda: co.settle(PAIR, "shapley", two), co.InvalidGame, "status_quo", fragment)
    if isinstance(values, str):  # a string target is a rule name
        refused(lambda: co.settle(PAIR, two), co.InvalidGame, "unknown rule '0112' as target")
    else:
        refused(lambda: co.settle(PAIR, two), co.InvalidGame, "target", fragment)
    refused(lambda: co.airport(values), co.InvalidGame, "costs", fragment)
    refused(lambda: co.bankruptcy(10, values), co.InvalidGame, "claims", fragment)
    refused(lambda: co.weighted_voting(2, values), co.InvalidGame, "weights", fragment)
    refused(lambda: co.Allocation(two, ["A", "B"]), co.InvalidGame, "allocation", fragment)


def test_good_numbers_of_every_kind_are_accepted():
    exact = [0, fractions.Fraction(1, 2), decimal.Decimal("1.5"), np.float32(2.0)]
    assert co.Game(exact).values.tolist() == [0.0, 0.5, 1.5, 2.0]
    assert co.Game(np.array([0, 1, 1, 2], dtype=np.uint8)).values.tolist() == [0, 1, 1, 2]
    assert co.Game(np.array([0, 1, 1, 2], dtype=object)).values.tolist() == [0, 1, 1, 2]
    assert co.Game(x for x in (0, 1, 1, 2)).values.tolist() == [0, 1, 1, 2]
    assert co.Game([0, 2**60, 1, 2**61]).values[1] == 2.0**60


def test_scalars_name_their_parameter():
    refused(lambda: co.bankruptcy("200", [100, 200]), co.InvalidGame, "estate", "'200', a str")
    refused(lambda: co.weighted_voting(True, [1, 1]), co.InvalidGame, "quota", "a bool")
    refused(lambda: co.Game([0, 1], kind=1), co.InvalidGame, "kind", "an int")
    refused(lambda: co.Game.from_coalitions(["A"], {("A",): "1"}), co.InvalidGame, "coalition ('A',)", "a str")
    refused(lambda: co.Game.from_coalitions(["A"], {("A",): True}), co.InvalidGame, "coalition ('A',)", "a bool")
    refused(lambda: co.Game.from_coalitions(["A"], [(("A",), 1)]), co.InvalidGame, "mapping")
    refused(lambda: PAIR.in_core({"A": "1", "B": 2}), co.InvalidGame, "x['A']", "a str")
    refused(lambda: co.settle(PAIR, "shapley", {"A": None, "B": 1}), co.InvalidGame, "status_quo['A']")


@pytest.mark.parametrize("tol, fragment", [(float("nan"), "NaN"), (-1e-9, "-0.000000001"), (-1, "-1"),
                                           ("1e-9", "a str"), (True, "a bool"), ([1e-9], "a list")])
def test_in_core_tolerance_is_checked(tol, fragment):
    refused(lambda: PAIR.in_core([1.5, 1.5], tol=tol), co.InvalidGame, "tol", fragment)


def test_in_core_good_tolerances():
    for tol in (None, 0, 0.0, 1e-9, np.float32(1e-6), decimal.Decimal("0.001")):
        assert PAIR.in_core([1.5, 1.5], tol=tol) is True
    assert PAIR.in_core([1.5, 1.4], tol=0.01) is False and PAIR.in_core([1.5, 1.4], tol=0.1) is True


def test_assignment_matrices():
    refused(lambda: co.assignment([[1, 2], [3]], ["a", "b"], ["c", "d"]), co.InvalidGame, "ragged", "row 1")
    refused(lambda: co.assignment([[1, "2"]], ["a"], ["c", "d"]), co.InvalidGame, "weights[0][1]", "a str")
    refused(lambda: co.assignment(np.zeros((2, 2, 2)), ["a", "b"], ["c", "d"]), co.InvalidGame, "two-dimensional")
    refused(lambda: co.assignment(np.ones((1, 2), dtype=complex), ["a"], ["c", "d"]), co.InvalidGame, "complex")
    refused(lambda: co.assignment([], ["a"], ["b"]), co.InvalidGame, "weights is empty")
    refused(lambda: co.assignment("12", ["a"], ["b"]), co.InvalidGame, "weights", "a str")


# -- names -----------------------------------------------------------------------------------

@pytest.mark.parametrize("players, exc_fragment", [
    ("ab", "not one str ('ab')"),
    (b"ab", "not a bytes"),
    ([b"a", b"b"], "got b'a' (bytes) at position 0"),
    ([1, 2], "got 1 (int) at position 0"),
    (["a", None], "got None (NoneType) at position 1"),
    ({"a", "b"}, "definite order"),
    (5, "not an int"),
    (["a", "\udc80"], "position 1 of players is not valid Unicode"),
])
def test_bad_player_lists(players, exc_fragment):
    for build in (lambda: co.Game([0, 1, 1, 2], players),
                  lambda: co.Game.from_function(players, len),
                  lambda: co.airport([1, 2], players),
                  lambda: co.LazyGame(players, len)):
        refused(build, co.InvalidGame, exc_fragment)


def test_duplicate_and_control_character_names():
    refused(lambda: co.Game([0, 1, 1, 2], ["A", "A"]), co.InvalidGame, '"A" is used twice')
    names = ["A\x1b[2J", "B\u202e\x9b\n"]
    g = co.Game([0, 1, 1, 2], names)
    assert g.players == tuple(names) and co.Game.from_json(g.to_json()).players == tuple(names)
    assert co.Game([0, 1, 1, 2], np.array(["a", "b"])).players == ("a", "b")


def test_names_in_other_arguments():
    refused(lambda: PAIR.marginal_vector("AB"), co.InvalidGame, "order", "not one str")
    refused(lambda: PAIR.owen("AB"), co.InvalidGame, "unions")
    refused(lambda: PAIR.owen(None), co.InvalidGame, "unions")
    refused(lambda: PAIR.owen([["A"], "B"]), co.InvalidGame, "unions[1]")
    refused(lambda: PAIR.value(b"A"), co.InvalidGame, "coalition", "bytes")
    refused(lambda: co.assignment([[1]], "a", ["b"]), co.InvalidGame, "rows")
    refused(lambda: co.pioneer_view(PAIR, "AB"), co.InvalidGame, "order")
    assert PAIR.value("A") == 1.0 and PAIR.value({"A", "B"}) == 3.0


# -- models ----------------------------------------------------------------------------------

@pytest.mark.parametrize("value, fragment", [
    (True, "True for coalition {A}, a bool"),
    (np.bool_(False), "a bool"),
    ("3", "'3' for coalition {A}, a str"),
    (None, "a NoneType"),
    (1 + 0j, "a complex"),
    (np.array([1.0]), "ndarray"),
    (10**400, "too large for a float64"),
    (float("nan"), "nan for coalition {A}; values must be finite"),
    (float("-inf"), "-inf for coalition {A}"),
    (np.float32("inf"), "np.float32(inf) for coalition {A}"),
])
def test_model_values_refused(value, fragment):
    refused(lambda: co.Game.from_function(["A", "B"], lambda s: value), co.InvalidGame, fragment)
    refused(lambda: _convert.model_value(value, frozenset(["A"])), co.InvalidGame, fragment)


@pytest.mark.parametrize("value", [2, 2.0, np.int8(2), np.float32(2), np.float64(2), fractions.Fraction(2),
                                   decimal.Decimal(2), np.array(2.0), np.uint64(2)])
def test_model_values_accepted(value):
    assert co.Game.from_function(["A"], lambda s: value).values.tolist() == [0.0, 2.0]
    assert _convert.model_value(value, ["A"]) == 2.0


def test_model_coalitions_are_named_in_player_order_and_errors_propagate():
    refused(lambda: co.Game.from_function(["B", "A", "C"], lambda s: "x" if len(s) == 2 else 1.0),
            co.InvalidGame, "coalition {B, A}")
    refused(lambda: co.Game.from_function(["A"], 3), co.InvalidGame, "f must be a function")

    def interrupted(s):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        co.Game.from_function(["A", "B"], interrupted)


# -- counts ----------------------------------------------------------------------------------

@pytest.mark.parametrize("top, fragment", [(-1, "at least 0"), (2.5, "2.5 (a float)"), ("3", "'3' (a str)"),
                                           (True, "a bool"), (float("inf"), "inf")])
def test_settle_top(top, fragment):
    refused(lambda: co.settle(PAIR, "shapley", top=top), co.InvalidGame, "top", fragment)


def test_settle_top_large_and_integral():
    assert len(co.settle(PAIR, "shapley", top=10**30).blocking) == 2
    assert len(co.settle(PAIR, "shapley", top=1.0).blocking) == 1
    assert len(co.settle(PAIR, "shapley", top=np.int64(0)).blocking) == 0


@pytest.mark.parametrize("seed, fragment", [(-1, "at least 0"), (2**64, "at most"), (1.5, "a float"), ("1", "a str"),
                                            (None, "a NoneType"), (np.True_, "a bool")])
def test_seed_rule(seed, fragment):
    refused(lambda: _convert.seed_value(seed), co.InvalidGame, "seed", fragment)


def test_seed_rule_accepts_the_whole_u64_range():
    assert _convert.seed_value(0) == 0 and _convert.seed_value(2**64 - 1) == 2**64 - 1
    assert _convert.seed_value(np.uint64(7)) == 7 and _convert.seed_value(1e6) == 10**6


# -- JSON ------------------------------------------------------------------------------------

def class_doc(**fields):
    return json.dumps({"format": "coalitional.game", "version": 1, **fields})


@pytest.mark.parametrize("text, fragments", [
    (class_doc(**{"class": "airport", "costs": [1, 2], "colour": 1}), ['unknown field "colour"', "airport"]),
    (class_doc(**{"class": "weighted_voting", "quota": "3", "weights": [2, 2]}), ['field "quota"', "a str"]),
    (class_doc(**{"class": "weighted_voting", "quota": 3, "weights": ["3", 2]}), ['field "weights"[0]', "a str"]),
    (class_doc(**{"class": "weighted_voting", "quota": True, "weights": [1, 1]}), ['field "quota"', "a bool"]),
    (class_doc(**{"class": "airport", "costs": [True, 1]}), ['field "costs"[0]', "a bool"]),
    (class_doc(**{"class": "bankruptcy", "claims": [1]}), ['needs the field "estate"']),
    (class_doc(**{"class": "assignment", "weights": [[1]], "rows": ["a"]}), ['needs the field "cols"']),
    (class_doc(**{"class": "airport", "costs": 5}), ['field "costs"', "an int"]),
    (class_doc(**{"class": "airport", "costs": {"a": 1}}), ['field "costs"', "a dict"]),
    (class_doc(**{"class": "airport", "costs": [[1], 2]}), ['field "costs"', "one-dimensional"]),
    (class_doc(**{"class": "airport", "costs": [1, 2], "players": "ab"}), ['field "players"', "not one str"]),
    (class_doc(**{"class": "airport", "costs": [1, 2], "players": [1, 2]}), ['field "players"', "(int)"]),
    (class_doc(**{"class": "airport", "costs": [1, 2], "name": 3}), ['field "name"', "an int"]),
    (class_doc(**{"class": "assignment", "weights": [[1]], "rows": None, "cols": ["b"]}), ['field "rows"']),
    (class_doc(**{"class": ["airport"]}), ['field "class"']),
    (class_doc(**{"class": "lottery"}), ["unknown game class 'lottery'"]),
    (json.dumps({"format": "coalitional.game", "version": True, "class": "airport", "costs": [1]}), ['"version": True']),
    (json.dumps({"format": "coalitional.game", "version": 1.0, "class": "airport", "costs": [1]}), ['"version": 1.0']),
    (json.dumps({"class": "airport", "costs": [1]}), ['"format": "coalitional.game"']),
    ('{"format": "coalitional.game", "version": 1, "class": "airport", "costs": [NaN]}', ["NaN is not a JSON number"]),
    ('{"format": "coalitional.game", "version": 1, "class": "airport", "costs": [1e400]}', ["1e400", "float64"]),
    ('{"format": "coalitional.game", "version": 1, "class": "airport", "costs": [' + "9" * 5000 + "]}",
     ["5000 digits"]),
    ('{"format": "coalitional.game", "version": 1, "class": "airport", "costs": [-' + "9" * 309 + "]}",
     ['field "costs"[0]', "too large"]),
    (class_doc(**{"class": "airport"})[:-1] + ', "costs": [1], "costs": [2]}', ['"costs"', "twice"]),
    ('{"values": [0, 1e400]}', ["out of range"]),
    ('{"values": [0, Infinity]}', ["invalid game JSON"]),
    ('{"values": [0, ' + "9" * 5000 + "]}", ["out of range"]),
    ('{"class": ' + "[" * 100_000 + "]" * 100_000 + "}", ["nested too deeply"]),
    ('{"values": ' + "[" * 100_000 + "]" * 100_000 + "}", ["invalid game JSON"]),
    ('{"name": ' + '{"a": ' * 100_000 + "1" + "}" * 100_000 + "}", ["recursion limit"]),
    ('{"values": [0, 1], "name": "\udc80"}', ["lone surrogate"]),
    (b'{"values": [0, 1], "name": "\xff"}', ["not UTF-8", "byte 28 (0xff)"]),
    (b"\xfe\xff\x00{", ["not UTF-8", "byte 0"]),
    (5, ["str or UTF-8 bytes", "an int"]),
])
def test_bad_json_is_a_format_error(text, fragments):
    refused(lambda: co.Game.from_json(text), co.FormatError, *fragments)


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
    refused(lambda: co.Game.load(path), co.FormatError, str(path), "not UTF-8", "byte 31 (0xe9)")
    refused(lambda: co.Game.load(tmp_path / "missing.json"), FileNotFoundError)


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
    assert out.isascii()
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


@pytest.mark.parametrize("content, fragments", [
    (b'{"A": 1, "B": "\xff"}', ["not UTF-8", "byte 15"]),
    (b'{"A": 1, "B": 1e400}', ["1e400", "float64"]),
    (b'{"A": 1, "B": NaN}', ["NaN is not a JSON number"]),
    (b'{"A": 1, "B": true}', ["'B'", "a bool"]),
    (b'{"A": 1, "B": "2"}', ["'B'", "a str"]),
    (b"[1, 2]", ["not a list"]),
    (b'{"A": 1, "B": 2, "A": 3}', ['"A" appears twice']),
    (b'{"format": "coalitional.status_quo", "version": 1, "status_quo": {"A": 1, "B": 2}, "colour": 1}',
     ['unknown field "colour"']),
    (b'{"format": "coalitional.status_quo", "version": true, "status_quo": {"A": 1, "B": 2}}', ['"version": 1']),
    (b'{"A": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", ["nested too deeply"]),
])
def test_bad_status_quo_files(tmp_path, capsys, content, fragments):
    game, sq = tmp_path / "g.json", tmp_path / "sq.json"
    PAIR.save(game)
    sq.write_bytes(content)
    refused(lambda: cli.load_status_quo(str(sq)), co.FormatError, str(sq), *fragments)
    assert cli.main(["report", str(game), "--status-quo", str(sq)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("coalitional: error:") and err.count("\n") == 1


def test_cli_bad_game_files(tmp_path, capsys):
    path = tmp_path / "g.json"
    for content, fragment in [(b'{"values": [0, 1], "name": "\xff"}', "not UTF-8"),
                              (b'{"values": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "invalid game JSON"),
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


@pytest.mark.parametrize("kwargs, fragments", [
    ({"seed": -1}, ["seed", "at least 0"]),
    ({"seed": 2**64}, ["seed", "at most 18446744073709551615"]),
    ({"seed": 0.5}, ["seed", "0.5 (a float)"]),
    ({"seed": "7"}, ["seed", "a str"]),
    ({"max_rounds": -5}, ["max_rounds", "at least 1"]),
    ({"max_rounds": 0}, ["max_rounds", "at least 1"]),
    ({"max_rounds": "10"}, ["max_rounds", "a str"]),
    ({"max_rounds": 2.5}, ["max_rounds", "a float"]),
    ({"batch": 0}, ["batch", "at least 1"]),
    ({"batch": -(2**70)}, ["batch", "at least 1"]),
    ({"batch": True}, ["batch", "a bool"]),
    ({"epsilon": "0.1"}, ["epsilon", "a str"]),
    ({"delta": None}, ["delta", "a NoneType"]),
    ({"value_range": "1"}, ["value_range", "a str"]),
])
def test_sampling_parameters(kwargs, fragments):
    for sample in SAMPLED:
        refused(lambda: sample(**kwargs), co.InvalidGame, *fragments)


def test_sampling_extreme_but_valid_counts():
    run = PAIR.shapley_sample(seed=2**64 - 1, max_rounds=1e3, batch=2**70)
    assert run.values.total() == pytest.approx(3.0)
    again = PAIR.shapley_sample(seed=np.uint64(2**64 - 1), max_rounds=1000, batch=7)
    assert np.asarray(again.values).tolist() == np.asarray(run.values).tolist()  # batching changes no draw
    assert PAIR.shapley_sample(max_rounds=10**30, epsilon=10.0).converged


@pytest.mark.parametrize("value, reason", [(True, "bool"), (np.bool_(True), "bool"), ("3", "must return a number"),
                                           (None, "must return a number"), (1 + 2j, "must return a number"),
                                           (np.complex128(1 + 2j), "must return a number"),
                                           (np.complex64(1), "must return a number"),
                                           (float("nan"), "values must be finite"), (-np.inf, "values must be finite")])
def test_lazy_and_dense_models_share_one_rule(value, reason):
    # The same values are refused, naming the same value and coalition (players in their order);
    # a LazyGame collects the refusal as a model failure (ModelError, the InvalidGame as cause).
    def f(s):
        return value if len(s) == 2 else 1.0

    players = ["B", "A", "C"]
    named = f"f returned {_convert.shown(value)} for coalition {{B, A}}"
    refused(lambda: co.Game.from_function(players, f), co.InvalidGame, named, reason)
    with warnings.catch_warnings(record=True) as caught:  # not as errors: a warning must not decide
        warnings.simplefilter("always")
        with pytest.raises(co.ModelError) as info:
            co.LazyGame(players, f).to_game()
    assert not caught, [str(w.message) for w in caught]
    assert isinstance(info.value.__cause__, co.InvalidGame)
    assert named in str(info.value.__cause__) and reason in str(info.value.__cause__)


def test_lazy_and_dense_models_accept_the_same_numbers():
    for value in (2, 2.5, np.int8(2), np.uint64(2), np.float32(0.5), fractions.Fraction(1, 4),
                  decimal.Decimal("1.5"), np.array(2.0)):
        dense = co.Game.from_function(["B", "A"], lambda s: value).values.tolist()
        assert co.LazyGame(["B", "A"], lambda s: value).to_game().values.tolist() == dense == [0.0] + [float(value)] * 3
