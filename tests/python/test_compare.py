"""co.compare: rules side by side, checked against the individual methods, closed forms and
brute force; failures become NaN columns with their typed error."""

import math

import numpy as np
import pytest

import coalitional as co

CITIES = ["Songjiang", "Suzhou", "Hangzhou"]
VALUES = [0, 0, 0, 90, 0, 80, 70, 150]  # by mask: {S}=1, {Su}=2, {S,Su}=3, {H}=4, ...


@pytest.fixture
def corridor():
    return co.Game(VALUES, CITIES)


def standalone_game(alone, surplus, kind="value"):
    """Standalone values ``alone``, the grand coalition adding ``surplus`` (cost games: saving
    it), other coalitions additive."""
    n = len(alone)
    sign = -1.0 if kind == "cost" else 1.0
    full = (1 << n) - 1
    values = [sum(a for i, a in enumerate(alone) if m >> i & 1) + (sign * surplus if m == full else 0.0)
              for m in range(1 << n)]
    return co.Game(values, [f"p{i}" for i in range(n)], kind=kind)


def test_columns_are_the_individual_methods(corridor):
    c = co.compare(corridor)
    assert c.rules == ("shapley", "banzhaf", "nucleolus", "tau", "least_core", "proportional", "equal_surplus")
    want = {
        "shapley": corridor.shapley(),
        "banzhaf": corridor.banzhaf(normalized=True),
        "nucleolus": corridor.nucleolus(),
        "tau": corridor.tau_value(),
        "least_core": corridor.least_core().allocation,
    }
    for rule, x in want.items():
        j = c.rules.index(rule)
        np.testing.assert_allclose(c.shares[:, j], np.asarray(x), rtol=0, atol=1e-9)
        assert c.allocations[rule].isclose(x, abs_tol=1e-9)
        assert c.in_core[rule] == corridor.in_core(x)
    df = c.to_pandas()
    assert list(df.index) == CITIES and list(df.columns) == list(c.rules)
    assert df.loc["Suzhou", "shapley"] == pytest.approx(50.0)


def test_largest_complaint_is_the_brute_force_maximum_excess(corridor):
    c = co.compare(corridor, rules=["shapley", "equal surplus"])
    for rule in c.rules:
        x = np.asarray(c.allocations[rule])
        excess = {m: VALUES[m] - sum(x[i] for i in range(3) if m >> i & 1) for m in range(1, 7)}
        best = max(excess.values())
        b = c.largest_complaint[rule]
        mask = sum(1 << CITIES.index(p) for p in b.members)
        assert b.excess == pytest.approx(best, abs=1e-9)
        assert excess[mask] == pytest.approx(best, abs=1e-9)


@pytest.mark.parametrize("kind", ["value", "cost"])
def test_proportional_and_equal_surplus_closed_forms(kind):
    alone = [10.0, 20.0, 30.0, 40.0]
    g = standalone_game(alone, 12.0, kind)
    grand = float(g.values[-1])
    c = co.compare(g, rules=["proportional", "equal_surplus"])
    prop = c.shares[:, 0]
    esd = c.shares[:, 1]
    np.testing.assert_allclose(prop, [grand * a / sum(alone) for a in alone], rtol=1e-12)
    sign = -1.0 if kind == "cost" else 1.0
    np.testing.assert_allclose(esd, [a + sign * 12.0 / 4 for a in alone], rtol=1e-12)
    assert c.labels == {"proportional": "proportional rule", "equal_surplus": "equal surplus division"}
    for rule in c.rules:
        assert c.allocations[rule].total() == pytest.approx(grand)


def test_equal_surplus_is_exact_on_large_budgets():
    g = co.Game([0, 1e9, 2e9, 3e9 + 3], ["a", "b"])
    c = co.compare(g, rules=["equal_surplus", "proportional"])
    assert c.shares[:, 0].tolist() == [1e9 + 1.5, 2e9 + 1.5]
    assert c.shares[:, 1].tolist() == [1e9 + 1.0, 2e9 + 2.0]


def test_a_failing_rule_is_a_nan_column_with_its_typed_error():
    # v(N) < v({0}) + v({1}): no imputation, so no nucleolus (and not quasi-balanced, so no
    # tau value); standalone values of both signs, so no proportional rule. The other rules
    # still fill their columns.
    g = co.Game([0, 5, -1, 3], ["a", "b"])
    c = co.compare(g)
    for rule in ("nucleolus", "tau", "proportional"):
        j = c.rules.index(rule)
        assert np.isnan(c.shares[:, j]).all()
        err = c.failures[rule]
        assert isinstance(err, co.UndefinedSolution) and err.code == "undefined"
        assert rule not in c.allocations and rule not in c.in_core
    assert set(c.failures) == {"nucleolus", "tau", "proportional"}
    j = c.rules.index("shapley")
    np.testing.assert_allclose(c.shares[:, j], np.asarray(g.shapley()))
    summary = c.to_pandas("summary")
    assert math.isnan(summary.loc["nucleolus", "largest_complaint"])
    assert isinstance(summary.loc["nucleolus", "failure"], str)
    assert not isinstance(summary.loc["shapley", "failure"], str)


def test_status_quo_changes_are_shares_minus_status_quo(corridor):
    sq = {"Songjiang": 70, "Suzhou": 50, "Hangzhou": 30}
    c = co.compare(corridor, rules=["shapley", "nucleolus"], status_quo=sq)
    for rule in c.rules:
        want = np.asarray(c.allocations[rule]) - np.array([70, 50, 30])
        np.testing.assert_allclose(np.asarray(c.changes[rule]), want, atol=1e-9)
    changes = c.to_pandas("changes")
    assert changes.loc["Hangzhou", "shapley"] == pytest.approx(15.0)
    assert co.compare(corridor, status_quo=[70, 50, 30]).status_quo.to_dict() == {
        "Songjiang": 70.0, "Suzhou": 50.0, "Hangzhou": 30.0}
    with pytest.raises(co.InvalidGame) as info:
        co.compare(corridor).to_pandas("changes")
    assert info.value.code == "invalid_parameter"


def test_rule_names_are_parsed_by_rust(corridor):
    c = co.compare(corridor, rules=["Shapley", "least-core", "tau_value", "shapley"])
    assert c.rules == ("shapley", "least_core", "tau")
    with pytest.raises(co.InvalidGame) as info:
        co.compare(corridor, rules=["median"])
    assert info.value.code == "invalid_parameter" and info.value.name == "rule"
    with pytest.raises(co.InvalidGame) as info:
        co.compare(corridor, rules=[])
    assert info.value.name == "rules"


def test_markdown_table_shape(corridor):
    c = co.compare(corridor, rules=["shapley", "nucleolus", "proportional"], status_quo=[70, 50, 30])
    md = c.to_markdown()
    tables = [block for block in md.split("\n\n") if block.startswith("|")]
    assert len(tables) == 3  # shares, changes, summary
    shares, changes, summary = (t.splitlines() for t in tables)
    assert len(shares) == 2 + 3 and all(line.count("|") == 3 + 2 for line in shares)
    assert len(changes) == 2 + 3 and all(line.count("|") == 4 + 2 for line in changes)
    assert len(summary) == 2 + 3 and all(line.count("|") == 5 + 1 for line in summary)
    assert shares[2].split("|")[1].strip() == "Songjiang"
    assert "n/a" in shares[2]  # the proportional rule is undefined (standalone values 0)
    assert "proportional rule" in md.split("\n\n")[-1]  # listed as a failure


def test_numbers_shown_through_the_rounding_rule():
    g = co.Game([0, 0, 0, 1, 0, 1, 1, 1], ["a", "b", "c"])  # majority game: thirds
    c = co.compare(g, rules=["shapley"])
    for text in (c.to_markdown(), repr(c), c._repr_html_()):
        assert "0.3333333333333" not in text and "0.333333333" in text
    assert "<caption>" in c._repr_html_()


def test_plot_draws_one_bar_per_rule_and_player(corridor):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    c = co.compare(corridor, rules=["shapley", "nucleolus", "proportional"])
    ax = c.plot()
    assert len(ax.patches) == 2 * 3  # the failed rule draws nothing
    with pytest.raises(co.InvalidGame) as info:
        c.plot(lang="fr")
    assert info.value.name == "lang"


def test_explain_names_the_rules_in_the_core_and_the_failures():
    g = co.Game([0, 5, -1, 3], ["a", "b"])  # no nucleolus, no proportional rule
    c = co.compare(g, rules=["shapley", "nucleolus", "equal_surplus"])
    e = c.explain()
    assert e.subject == "comparison"
    assert e.in_core_rules == tuple(r for r in c.rules if c.in_core.get(r))
    assert "nucleolus" in e
    zh = c.explain("zh")
    assert "核仁" in zh and all(d == 0 for d in zh.spread.values())  # Shapley and equal surplus agree
    with pytest.raises(co.InvalidGame) as info:
        c.explain(lang="de")
    assert info.value.code == "invalid_parameter" and info.value.name == "lang"


# -- exports: one set of tables (shares, changes, summary, failures) in every format ----------

ODD = ["R&D_1", "50% <b>", "#x{y}"]  # LaTeX and HTML special characters in every name


def test_latex_escapes_names_and_titles_each_table():
    g = co.Game(VALUES, ODD)
    c = co.compare(g, rules=["shapley", "proportional"], status_quo=[70, 50, 30])
    tex = c.to_latex()
    assert r"R\&D\_1" in tex and r"50\% <b>" in tex and r"\#x\{y\}" in tex
    assert "R&D" not in tex and "50% " not in tex
    titles = [line for line in tex.splitlines() if line.startswith("% ")]
    assert titles == ["% Shares under each rule (payoffs)", "% Change from the status quo",
                      "% Stability of each rule", "% Rules that could not be applied"]
    assert tex.count(r"\begin{tabular}") == 4 and "n/a" in tex
    assert "% 各规则的分配比较（收益）" in c.to_latex(lang="zh")


def test_html_escapes_names_and_captions_each_table():
    g = co.Game(VALUES, ODD)
    c = co.compare(g, rules=["shapley", "proportional"])
    page = c.to_html()
    assert "R&amp;D_1" in page and "50% &lt;b&gt;" in page and "#x{y}" in page
    assert "<b>" not in page
    captions = ["Shares under each rule (payoffs)", "Stability of each rule", "Rules that could not be applied"]
    assert all(f"<caption>{t}</caption>" in page for t in captions)
    assert c._repr_html_() == page


def test_markdown_titles_and_cost_games():
    g = co.Game([0, 10, 12, 15], ["a", "b"], kind="cost")
    md = co.compare(g, rules=["shapley", "nucleolus"]).to_markdown()
    assert md.startswith("**Shares under each rule (cost shares)**")
    assert "**Stability of each rule**" in md and "Rules that could not be applied" not in md


def test_excel_cells_hold_full_floats(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    g = co.Game([0, 0, 0, 1, 0, 1, 1, 1], ["a", "b", "c"])  # majority game: thirds
    c = co.compare(g, rules=["shapley", "proportional"], status_quo=[0.1, 0.2, 0.7])
    path = tmp_path / "comparison.xlsx"
    c.to_excel(path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["shares", "changes", "summary", "failures"]
    shares = list(book["shares"].iter_rows(values_only=True))
    assert shares[0] == ("player", "Shapley value", "proportional rule")
    assert [row[1] for row in shares[1:]] == list(np.asarray(c.allocations["shapley"]))  # bit for bit
    assert all(row[2] is None for row in shares[1:])  # the failed rule: empty cells
    changes = list(book["changes"].iter_rows(values_only=True))
    assert [row[2] for row in changes[1:]] == list(np.asarray(c.changes["shapley"]))
    summary = list(book["summary"].iter_rows(values_only=True))
    assert summary[0] == ("rule", "in the core", "coalition with the largest complaint", "total",
                          "largest complaint")
    assert summary[1][3] == float(np.sum(c.shares[:, 0]))
    assert summary[1][4] == c.largest_complaint["shapley"].excess
    failures = list(book["failures"].iter_rows(values_only=True))
    assert failures[1][0] == "proportional rule" and "standalone" in failures[1][1]


def test_game_repr_numbers_follow_the_rounding_rule():
    g = co.Game([0, 1 / 3, 2 / 3, 1 + 2e-16], ["a", "b"])
    assert repr(g).endswith("v(N)=1)")
    page = g._repr_html_()
    assert "0.333333333<" in page and "0.333333333333" not in page and "v(N) = 1<" in page


def test_least_core_column_is_symmetric_and_ties_are_not_noise():
    g = co.Game.from_function(["a", "b", "c", "d"], lambda S: [0, 0, 1, 1.6, 2][len(S)])
    c = co.compare(g, rules=["least_core", "shapley", "Shapley value", "NUCLEOLUS"], progress=False)
    assert c.rules == ("least_core", "shapley", "nucleolus")
    x = c.shares[:, 0]
    assert np.allclose(x, x[0])
    e = c.explain()
    assert all(d == 0 for d in e.spread.values())
    assert "most under" not in e
    assert repr(co.compare(g, ["shapley"])).startswith("Comparison of 1 rule ")


def test_compare_passes_progress_and_failure_reasons_in_chinese():
    g = co.Game([0, 0, 0, 1], ["a", "b"])
    c = co.compare(g, rules=["proportional", "least_core", "nucleolus"], progress=True)
    assert "proportional" in c.failures and "least_core" in c.allocations
    zh = c.explain(lang="ZH")
    assert zh.lang == "zh" and "比例分配" in zh and "均为 0" in zh


def test_issue_17_rules_side_by_side_match_their_methods():
    # Every parameterless concept of issue 17 is a rule: compare, settle and the report read it
    # by name, and its column is the method's allocation.
    g = co.Game([0, 1, 2, 5, 1, 4, 5, 9], ["A", "B", "C"])
    methods = {
        "gately": g.gately_point, "solidarity": g.solidarity, "ensc": g.ensc,
        "per_capita_nucleolus": g.per_capita_nucleolus, "proportional_nucleolus": g.proportional_nucleolus,
        "disruption_nucleolus": g.disruption_nucleolus, "kernel": g.kernel_point,
    }
    c = co.compare(g, rules=list(methods))
    df = c.to_pandas()
    for name, method in methods.items():
        expected = np.asarray(method())
        assert np.allclose(df[name].to_numpy(), expected, atol=1e-9), name
        assert np.allclose(np.asarray(co.settle(g, name).target), expected, atol=1e-9), name
