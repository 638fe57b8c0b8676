"""Tables in (Game.from_pandas, from_csv, from_excel) and exports out (to_markdown, to_latex,
to_html, to_excel on Allocation and Settlement).

Expected values are written by hand (mask-indexed arrays, sums done on paper) or come from
the writers' own inputs (a round trip must give the same bits); numbers shown to people are
compared with Rust's rounding rule (``_native.shown_numbers``), and errors by class, ``code``
and fields, never by message."""

import importlib
import struct

import numpy as np
import pytest

import coalitional as co
from coalitional import _coalitional as _native
from coalitional._export import Table
from coalitional._tables import MAX_LISTED

pd = pytest.importorskip("pandas")
openpyxl = pytest.importorskip("openpyxl")

CITIES = ["松江", "苏州", "杭州"]
# Budgets of 1e8 with surpluses of a few units and fractions that need all 17 digits.
BUDGETS = [0.0, 1e8, 2e8, 3e8 + 0.1, 1.5e8, 2.5e8 + 1e-7, 3.5e8 + 1 / 3, 4.5e8 + 2 / 7]


def bits(values):
    """The exact IEEE bit patterns, so that a round trip is checked bit for bit."""
    return [struct.pack("<d", float(v)) for v in values]


@pytest.fixture
def budgets():
    return co.Game(BUDGETS, CITIES)


# -- round trips ----------------------------------------------------------------------------


def test_to_pandas_from_pandas_round_trip(budgets):
    back = co.Game.from_pandas(budgets.to_pandas())
    assert back.players == tuple(CITIES)
    assert back.kind == "value"
    assert bits(back.values) == bits(BUDGETS)


def test_rows_in_another_order_keep_the_player_order(budgets):
    shuffled = budgets.to_pandas().iloc[[6, 3, 0, 5, 2, 4, 1]]
    back = co.Game.from_pandas(shuffled)
    assert back.players == tuple(CITIES)
    assert bits(back.values) == bits(BUDGETS)


def test_csv_round_trip(budgets, tmp_path):
    path = tmp_path / "game.csv"
    budgets.to_csv(path)
    back = co.Game.from_csv(path)
    assert back.players == tuple(CITIES)
    assert bits(back.values) == bits(BUDGETS)


def test_csv_round_trip_with_a_byte_order_mark(budgets, tmp_path):
    path = tmp_path / "game.csv"
    budgets.to_csv(path, encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert bits(co.Game.from_csv(path).values) == bits(BUDGETS)


def test_excel_round_trip(budgets, tmp_path):
    path = tmp_path / "game.xlsx"
    budgets.to_excel(path)
    back = co.Game.from_excel(path)
    assert back.players == tuple(CITIES)
    assert bits(back.values) == bits(BUDGETS)
    # The sheet holds numbers (not text) with every bit: openpyxl alone writes 16 digits.
    sheet = openpyxl.load_workbook(path)["game"]
    cells = [row[3] for row in sheet.iter_rows(min_row=2)]
    assert all(c.data_type == "n" for c in cells)
    assert bits(c.value for c in cells) == bits(BUDGETS[1:])


def test_cost_game_round_trip_keeps_the_kind(tmp_path):
    costs = co.Game([0, 4, 5, 7], ["甲", "乙"], kind="cost")
    path = tmp_path / "costs.csv"
    costs.to_csv(path)
    back = co.Game.from_csv(path)
    assert back.kind == "cost"
    assert list(back.values) == [0, 4, 5, 7]
    assert co.Game.from_pandas(costs.to_pandas(), kind="value").kind == "value"


def test_a_series_reads_with_its_index(budgets):
    back = co.Game.from_pandas(budgets.to_pandas()["value"])
    assert back.players == tuple(CITIES)
    assert bits(back.values) == bits(BUDGETS)


@pytest.mark.parametrize("names", [["R+D", "Ops"], ["A", "A + B", "B"], ["a", "a + a", "a + a + a"], [" ", "{}", "z"]])
def test_names_that_look_like_labels_come_back(tmp_path, names):
    # "A + B" is both a name and the label of {A, B}: the size column tells them apart.
    game = co.Game(np.arange(2.0 ** len(names)), names)
    for suffix, write, read in (
        ("csv", game.to_csv, co.Game.from_csv),
        ("xlsx", game.to_excel, co.Game.from_excel),
    ):
        path = tmp_path / f"names.{suffix}"
        write(path)
        back = read(path)
        assert back.players == tuple(names)
        assert list(back.values) == list(range(2 ** len(names)))


# -- the long form --------------------------------------------------------------------------


def test_long_form_with_lists_tuples_sets_and_labels():
    table = pd.DataFrame(
        {
            "coalition": [["A"], ("B",), "C", "A+B", "A + C", {"B", "C"}, ["C", "A", "B"]],
            "value": [1, 2, 3, 4, 5, 6, 7.5],
        }
    )
    game = co.Game.from_pandas(table)
    assert game.players == ("A", "B", "C")
    # by mask: {}, A, B, AB, C, AC, BC, ABC
    assert list(game.values) == [0, 1, 2, 4, 3, 5, 6, 7.5]


def test_long_form_with_named_columns_and_given_players():
    table = pd.DataFrame({"who": ["Y", "X", "X + Y"], "gain": [2.0, 1.0, 5.0], "note": ["", "", ""]})
    game = co.Game.from_pandas(table, ["X", "Y"], coalition="who", value="gain")
    assert game.players == ("X", "Y")
    assert list(game.values) == [0, 1, 2, 5]


def test_long_form_from_a_hand_written_csv(tmp_path):
    path = tmp_path / "hand.csv"
    path.write_text("members,worth\n苏州,2\n松江, 1.5\n松江+苏州,\"4\"\n", encoding="utf-8")
    game = co.Game.from_csv(path)
    assert game.players == ("苏州", "松江")
    assert list(game.values) == [0, 2, 1.5, 4]


def test_empty_coalition_row_with_zero_is_accepted():
    table = pd.DataFrame({"coalition": ["", "A", "B", "A + B"], "value": [0, 1, 1, 3]})
    assert list(co.Game.from_pandas(table).values) == [0, 1, 1, 3]


def test_no_value_column_to_be_found():
    table = pd.DataFrame({"coalition": ["A"], "x": [1.0], "y": [2.0]})
    with pytest.raises(co.InvalidGame) as info:
        co.Game.from_pandas(table)
    assert (info.value.code, info.value.name) == ("invalid_parameter", "value")


def test_a_column_that_is_not_there():
    table = pd.DataFrame({"coalition": ["A"], "value": [1.0]})
    with pytest.raises(co.InvalidGame) as info:
        co.Game.from_pandas(table, value="worth")
    assert (info.value.code, info.value.name) == ("invalid_parameter", "value")


def test_not_a_table():
    with pytest.raises(co.InvalidGame) as info:
        co.Game.from_pandas({"A": 1})
    assert (info.value.code, info.value.name) == ("invalid_parameter", "table")


# -- partial tables -------------------------------------------------------------------------

PARTIAL = pd.DataFrame({"coalition": ["A", "B", "C", "A + B", "A + B + C"], "value": [10.0, 20.0, 5.0, 45.0, 80.0]})


def test_missing_coalitions_are_listed():
    with pytest.raises(co.InvalidGame) as info:
        co.Game.from_pandas(PARTIAL)
    err = info.value
    assert err.code == "missing_coalition"
    assert err.coalitions == ["A + C", "B + C"]
    assert (err.missing, err.total) == (2, 7)


def test_the_list_of_missing_coalitions_is_capped():
    names = [f"p{i}" for i in range(8)]
    table = pd.DataFrame({"coalition": names, "value": [1.0] * 8})
    with pytest.raises(co.InvalidGame) as info:
        co.Game.from_pandas(table)
    err = info.value
    assert err.code == "missing_coalition"
    assert (err.missing, err.total) == (2**8 - 1 - 8, 2**8 - 1)
    assert len(err.coalitions) == MAX_LISTED
    assert err.coalitions[:2] == ["p0 + p1", "p0 + p2"]


def test_missing_additive_against_a_hand_computed_game():
    game = co.Game.from_pandas(PARTIAL, missing="additive")
    # v(A + C) = 10 + 5, v(B + C) = 20 + 5: no synergy beyond the members alone.
    assert list(game.values) == [0, 10, 20, 45, 5, 15, 25, 80]


def test_missing_additive_needs_the_singletons():
    table = pd.DataFrame({"coalition": ["A", "A + B", "A + C", "B + C", "A + B + C"], "value": [1.0, 2, 3, 4, 5]})
    with pytest.raises(co.InvalidGame) as info:
        co.Game.from_pandas(table, missing="additive")
    err = info.value
    assert err.code == "missing_coalition"
    assert err.coalitions == ["B", "C"]
    assert err.missing == 2


def test_missing_rule_must_be_known():
    with pytest.raises(co.InvalidGame) as info:
        co.Game.from_pandas(PARTIAL, missing="zero")
    assert (info.value.code, info.value.name) == ("invalid_parameter", "missing")


def test_missing_none_means_error():
    with pytest.raises(co.InvalidGame) as info:
        co.Game.from_pandas(PARTIAL, missing=None)
    assert info.value.code == "missing_coalition"


# -- bad tables -----------------------------------------------------------------------------


def test_unknown_player_name():
    table = pd.DataFrame({"coalition": ["A", "B", "A + Z"], "value": [1.0, 1.0, 3.0]})
    with pytest.raises(co.UnknownPlayer) as info:
        co.Game.from_pandas(table, ["A", "B"])
    assert (info.value.code, info.value.name) == ("unknown_player", "Z")


def test_repeated_coalition_with_different_values():
    table = pd.DataFrame({"coalition": ["A", "B", "A + B", "B + A"], "value": [1.0, 1.0, 3.0, 4.0]})
    with pytest.raises(co.InvalidGame) as info:
        co.Game.from_pandas(table)
    assert info.value.code == "conflicting_coalition"
    assert (info.value.first, info.value.second) == (3.0, 4.0)


def test_repeated_coalition_with_the_same_value_is_fine():
    table = pd.DataFrame({"coalition": ["A", "B", "A + B", "B + A"], "value": [1.0, 1.0, 3.0, 3.0]})
    assert list(co.Game.from_pandas(table).values) == [0, 1, 1, 3]


def test_a_string_value_in_a_dataframe_is_refused():
    table = pd.DataFrame({"coalition": ["A", "B", "A + B"], "value": [1.0, "2", 3.0]})
    with pytest.raises(co.InvalidGame) as info:
        co.Game.from_pandas(table)
    err = info.value
    assert (err.code, err.name, err.index, err.coalition) == ("invalid_parameter", "value", 1, "B")


def test_a_bool_value_is_refused():
    table = pd.DataFrame({"coalition": ["A", "B", "A + B"], "value": [1.0, True, 3.0]})
    with pytest.raises(co.InvalidGame) as info:
        co.Game.from_pandas(table)
    assert (info.value.code, info.value.index) == ("invalid_parameter", 1)


def test_text_that_is_not_a_number_in_a_csv(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("coalition,value\nA,1\nB,1\nA + B,\"1,000\"\n", encoding="utf-8")
    with pytest.raises(co.InvalidGame) as info:
        co.Game.from_csv(path)
    err = info.value
    assert (err.code, err.name, err.index, err.coalition) == ("invalid_parameter", "value", 2, "A + B")


def test_an_empty_cell_is_not_a_number(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text("coalition,value\nA,1\nB,\nA + B,3\n", encoding="utf-8")
    with pytest.raises(co.InvalidGame) as info:
        co.Game.from_csv(path)
    assert (info.value.code, info.value.index) == ("invalid_parameter", 1)


def test_an_infinite_value_is_refused_by_the_core():
    table = pd.DataFrame({"coalition": ["A", "B", "A + B"], "value": [1.0, 1.0, float("inf")]})
    with pytest.raises(co.InvalidGame) as info:
        co.Game.from_pandas(table)
    assert (info.value.code, info.value.coalition) == ("non_finite", "{A, B}")


def test_a_coalition_cell_that_is_a_number():
    table = pd.DataFrame({"coalition": ["A", 7, "A + B"], "value": [1.0, 1.0, 3.0]})
    with pytest.raises(co.InvalidGame) as info:
        co.Game.from_pandas(table)
    assert (info.value.code, info.value.name, info.value.index) == ("invalid_parameter", "coalition", 1)


def test_excel_without_openpyxl_names_the_module(monkeypatch, tmp_path, budgets):
    real = importlib.import_module

    def without_openpyxl(name, *args, **kwargs):
        if name == "openpyxl":
            raise ImportError("No module named 'openpyxl'")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(importlib, "import_module", without_openpyxl)
    for call in (
        lambda: budgets.to_excel(tmp_path / "g.xlsx"),
        lambda: co.Game.from_excel(tmp_path / "g.xlsx"),
        lambda: budgets.shapley().to_excel(tmp_path / "a.xlsx"),
    ):
        with pytest.raises(ImportError) as info:
            call()
        assert info.value.name == "openpyxl"


# -- exports --------------------------------------------------------------------------------

# The Shapley value of a symmetric game of three players worth 1 together.
THIRDS = co.Allocation([1 / 3, 1 / 3, 1 / 3], ["R&D", "50%", "A_1"], label="Shapley value")


def test_markdown_table_has_a_line_per_player_and_the_rounded_numbers():
    lines = THIRDS.to_markdown().splitlines()
    assert len(lines) == len(THIRDS) + 2
    shown = _native.shown_numbers([1 / 3, 1 / 3, 1 / 3], None)
    assert shown[0] == "0.3333333333"
    for line, name, number in zip(lines[2:], THIRDS.players, shown):
        assert [c.strip() for c in line.strip("|").split("|")] == [name, number]
    assert lines[1].replace(" ", "") == "|---|---:|"


def test_markdown_keeps_chinese_and_escapes_the_pipe():
    a = co.Allocation([1.0, 2.0], ["松江", "a|b"])
    text = a.to_markdown()
    assert "| 松江 |" in text
    assert "a\\|b" in text


def test_latex_escapes_special_characters():
    text = THIRDS.to_latex()
    for escaped in (r"R\&D", r"50\%", r"A\_1"):
        assert escaped in text
    body = [line for line in text.splitlines() if line.endswith(r"\\")]
    assert len(body) == len(THIRDS) + 1
    for line in body:  # every & is a column separator or escaped
        assert line.replace(r"\&", "").count("&") == 1
    assert r"\begin{tabular}{lr}" in text
    assert "& 0.3333333333 \\\\" in text
    assert _native.shown_numbers([1 / 3], None)[0] == "0.3333333333"


def test_latex_keeps_chinese():
    assert "苏州" in co.Allocation([1.0], ["苏州"]).to_latex()


def test_html_escapes_names():
    a = co.Allocation([1.0, 2.0], ["<b>x</b>", "杭州"])
    text = a.to_html()
    assert "&lt;b&gt;x&lt;/b&gt;" in text
    assert "<b>x" not in text
    assert "杭州" in text


def test_allocation_excel_cells_hold_full_floats(tmp_path):
    values = [1e8 + 1 / 3, 2e8 + 2 / 7, -1 / 3]
    a = co.Allocation(values, CITIES, label="Shapley value")
    path = tmp_path / "a.xlsx"
    a.to_excel(path)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("player", "Shapley value")
    assert [r[0] for r in rows[1:]] == CITIES
    assert bits(r[1] for r in rows[1:]) == bits(values)


def test_settlement_exports(tmp_path):
    g = co.Game.from_coalitions(
        ["Songjiang", "Suzhou", "Hangzhou"],
        {
            ("Songjiang",): 0, ("Suzhou",): 0, ("Hangzhou",): 0,
            ("Songjiang", "Suzhou"): 90, ("Songjiang", "Hangzhou"): 80, ("Suzhou", "Hangzhou"): 70,
            ("Songjiang", "Suzhou", "Hangzhou"): 150,
        },
    )
    target = co.Allocation([60 + 1 / 3, 50, 40 - 1 / 3], g.players, label="R&D_split")
    s = co.settle(g, target, status_quo={"Songjiang": 70, "Suzhou": 50, "Hangzhou": 30})
    md = s.to_markdown()
    players_rows = [line for line in md.splitlines() if line.startswith("| Songjiang |")]
    # At the game's tolerance, as repr shows them.
    shown = _native.shown_numbers([70.0, 60 + 1 / 3, (60 + 1 / 3) - 70], resolution=g.tolerance)
    assert shown == ["70", "60.3333333", "-9.6666667"]
    assert [c.strip() for c in players_rows[0].strip("|").split("|")] == ["Songjiang", *shown]
    assert r"R\&D\_split" in s.to_latex()
    assert "R&amp;D_split" in s.to_html()
    path = tmp_path / "s.xlsx"
    s.to_excel(path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["players", "payments", "blocking"]
    rows = list(book["players"].iter_rows(values_only=True))
    assert rows[0] == ("player", "status quo", "R&D_split", "net transfer")
    assert bits(r[2] for r in rows[1:]) == bits(target)
    payments = list(book["payments"].iter_rows(values_only=True))
    assert payments[0] == ("payer", "payee", "amount")
    assert [(p, q, x) for p, q, x in payments[1:]] == [tuple(p) for p in s.transfers]


def test_table_helper_with_text_columns_and_no_rows():
    t = Table("empty", "payer", [], ["amount"], np.zeros((0, 1)), text=[("payee", [])])
    assert t.markdown().splitlines() == ["| payer | payee | amount |", "| --- | --- | ---: |"]
    t = Table("t", "row", ["x", "y"], ["a", "b"], [[1, 2], [3, 1 / 3]], text=[("note", ["n1", "n2"])])
    shown = _native.shown_numbers([1, 2, 3, 1 / 3], None)
    assert t.shown() == [["x", "n1", *shown[:2]], ["y", "n2", *shown[2:]]]
    assert list(t.frame().columns) == ["note", "a", "b"]


# -- any names, any floats ------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

# Any text, and names made to confuse the labels (a name may contain " + ").
_NAME = st.one_of(
    st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=8),
    st.sampled_from(["A", "B", "A + B", "+", " + ", "a + a", " ", "{}", "∅"]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    names=st.lists(_NAME, min_size=1, max_size=3, unique=True),
    data=st.data(),
)
def test_csv_and_pandas_round_trip_any_names(tmp_path, names, data):
    n = len(names)
    rest = data.draw(
        st.lists(st.floats(allow_nan=False, allow_infinity=False, width=64), min_size=2**n - 1, max_size=2**n - 1)
    )
    game = co.Game([0.0, *rest], names)
    back = co.Game.from_pandas(game.to_pandas())
    assert back.players == tuple(names) and bits(back.values) == bits(game.values)
    path = tmp_path / "any.csv"
    game.to_csv(path)
    back = co.Game.from_csv(path)
    assert back.players == tuple(names) and bits(back.values) == bits(game.values)


# -- encodings, separators, row numbers, typed file errors --------------------------------------


def test_a_gbk_csv_reads_with_a_note(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes("联盟,收益\n北京市,10\n上海市,20\n北京市 + 上海市,35\n".encode("gbk"))
    with pytest.warns(UserWarning, match="GB18030"):
        g = co.Game.from_csv(path)
    assert g.players == ("北京市", "上海市")
    assert g.value(["北京市", "上海市"]) == 35.0
    # Said explicitly: no note.
    assert co.Game.from_csv(path, encoding="gbk").players == ("北京市", "上海市")


def test_undecodable_csv_is_a_format_error(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"coalition,value\n\xff\xfe\x80\x81,1\n")
    with pytest.raises(co.FormatError) as info:
        co.Game.from_csv(path, encoding="utf-8")
    assert (info.value.code, info.value.name) == ("format", str(path))


def test_from_excel_on_a_csv_is_a_format_error(tmp_path):
    pytest.importorskip("openpyxl")
    path = tmp_path / "long.csv"
    path.write_text("coalition,value\nA,1\n", encoding="utf-8")
    with pytest.raises(co.FormatError) as info:
        co.Game.from_excel(path)
    assert (info.value.code, info.value.name) == ("format", str(path))


@pytest.mark.parametrize("sep", ["、", "＋", ", ", "；", " + "])
def test_chinese_and_comma_separators_between_known_names(sep):
    frame = pd.DataFrame({"coalition": ["甲", "乙", "丙", f"甲{sep}乙", f"甲{sep}丙", f"乙{sep}丙",
                                        f"甲{sep}乙{sep}丙"], "value": [1, 2, 3, 4, 5, 6, 9]})
    g = co.Game.from_pandas(frame)
    assert g.players == ("甲", "乙", "丙")
    assert (g.value(["甲", "乙"]), g.value(["乙", "丙"]), g.value(["甲", "乙", "丙"])) == (4.0, 6.0, 9.0)


def test_a_player_whose_name_holds_a_separator():
    frame = pd.DataFrame({"coalition": ["甲、乙", "丙", "甲、乙 + 丙"], "value": [1, 2, 4]})
    g = co.Game.from_pandas(frame)
    assert g.players == ("甲、乙", "丙")
    g = co.Game.from_pandas(frame.assign(coalition=["甲、乙", "丙", "甲、乙、丙"]), players=["甲、乙", "丙"])
    assert g.value(["甲、乙", "丙"]) == 4.0


def test_errors_name_1_based_spreadsheet_rows(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("coalition,value\nA,1\nB,x\nA + B,3\n", encoding="utf-8")
    with pytest.raises(co.InvalidGame) as info:
        co.Game.from_csv(path)
    err = info.value
    assert "row 3" in str(err)  # header = row 1, A = row 2, B = row 3
    assert (err.code, err.index, err.row) == ("invalid_parameter", 1, 3)
