"""The resilient report (issue 15): independent sections, large structured games, no status
quo, usage errors, formats, UTF-8 JSON and alignment by display width."""

import json
import re
import subprocess
import sys
import unicodedata

import numpy as np
import pytest

import coalitional as co
from coalitional import _render, cli


def saved(tmp_path, game, name="g.json"):
    path = tmp_path / name
    game.save(path)
    return str(path)


def display_width(text):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_28_voters_print_shapley_and_the_class_nucleolus(tmp_path, capsys):
    path = saved(tmp_path, co.weighted_voting(15, [1] * 28))
    assert cli.main(["report", path]) == 0
    out = capsys.readouterr().out
    assert "Shapley" in out and "0.035714286" in out  # 1/28 each
    assert "nucleolus" in out and "by the WeightedVotingGame method (no 2^n values)" in out
    assert cli.main(["report", path, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["shapley"] == pytest.approx([1 / 28] * 28, abs=1e-12)
    # Since issue 18 the class has its own nucleolus and least core (separation engine).
    assert data["nucleolus"] == pytest.approx([1 / 28] * 28, abs=1e-9)
    assert data["stability"]["least_core_epsilon"] is not None
    assert data["settlement"] is None
    assert data["sections"]["nucleolus"]["status"] != "skipped"
    assert {s["section"] for s in data["skipped"]} >= {"settlement"}


def test_40_voters_use_the_class_method(tmp_path, capsys):
    path = saved(tmp_path, co.weighted_voting(21, [1 + i % 3 for i in range(40)]))
    assert cli.main(["report", path, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    game = co.Game.load(path)
    assert data["shapley"] == list(game.shapley())
    assert "WeightedVotingGame" in data["sections"]["shapley"]["method"]
    assert cli.main(["report", path]) == 0
    assert "Shapley value: exact, by the WeightedVotingGame formula" in capsys.readouterr().out


def test_large_claims_game_samples_shapley_and_uses_the_talmud_rule(tmp_path, capsys):
    claims = [10.0 + i for i in range(30)]
    path = saved(tmp_path, co.bankruptcy(300, claims))
    assert cli.main(["report", path, "--json", "--samples", "200", "--seed", "7"]) == 0
    data = json.loads(capsys.readouterr().out)
    shapley = data["sections"]["shapley"]
    assert "sampling" in shapley["method"] and shapley["seed"] == 7 and len(shapley["half_widths"]) == 30
    assert data["nucleolus"] == list(co.talmud(300, claims))
    assert cli.main(["report", path, "--samples", "200"]) == 0
    out = capsys.readouterr().out
    assert "Shapley ±" in out and "sampling estimate" in out and "Talmud rule" in out


def test_a_failing_section_does_not_stop_the_report(tmp_path, capsys, monkeypatch):
    def broken(self):
        raise co.SolverError("the LP gave up")

    monkeypatch.setattr(co.Game, "least_core", broken)
    path = saved(tmp_path, co.Game([0, 0, 0, 90, 0, 80, 70, 150], ["S", "Z", "H"]))
    assert cli.main(["report", path]) == 0
    out = capsys.readouterr().out
    assert "least core: FAILED: SolverError" in out and "Shapley" in out and "Allocation: the nucleolus" in out


def test_no_status_quo_means_no_outside_payments(tmp_path, capsys):
    path = saved(tmp_path, co.example())
    assert cli.main(["report", path]) == 0
    out = capsys.readouterr().out
    assert "(outside)" not in out and "must add" not in out
    assert "Allocation: the nucleolus" in out and "Target in the core" in out
    assert cli.main(["report", path, "--json"]) == 0
    st = json.loads(capsys.readouterr().out)["settlement"]
    assert st["payments"] == [] and st["status_quo"] is None and st["status_quo_source"] is None
    assert st["in_core"] is True and st["target"]["label"] == "nucleolus"


@pytest.mark.parametrize("option", [["--top", "-1"], ["--seed", "-1"], ["--seed", str(2**64)], ["--samples", "0"],
                                    ["--max-dense", "37"], ["--rule", "fairest"], ["--format", "pdf"]])
def test_bad_options_are_usage_errors(option, tmp_path, capsys):
    path = saved(tmp_path, co.Game([0, 1, 2, 6], ["A", "B"]))
    with pytest.raises(SystemExit) as info:
        cli.main(["report", path, *option])
    err = capsys.readouterr().err
    assert info.value.code == 2 and "usage:" in err and option[0] in err and "Traceback" not in err


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["--version"])
    assert info.value.code == 0 and capsys.readouterr().out.strip() == f"coalitional {co.__version__}"


def test_rule_ignores_case(tmp_path, capsys):
    path = saved(tmp_path, co.Game([0, 0, 0, 90, 0, 80, 70, 150], ["S", "Z", "H"]))
    for name in ["NUCLEOLUS", "Shapley", "Least-Core", "tau_value"]:
        assert cli.main(["report", path, "--rule", name, "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["settlement"]["rule"] in co._coalitional.RULES


def test_json_keeps_chinese(tmp_path, capsys):
    path = saved(tmp_path, co.Game([0, 0, 0, 90, 0, 80, 70, 150], ["上海", "苏州", "杭州"]))
    assert cli.main(["report", path, "--json"]) == 0
    out = capsys.readouterr().out
    assert '"上海"' in out and "\\u4e0a" not in out
    assert json.loads(out)["players"] == ["上海", "苏州", "杭州"]


def test_json_falls_back_to_escapes_when_the_output_cannot_encode(tmp_path):
    path = saved(tmp_path, co.Game([0, 0, 0, 90, 0, 80, 70, 150], ["上海", "苏州", "杭州"]))
    done = subprocess.run([sys.executable, "-m", "coalitional.cli", "report", path, "--json"], capture_output=True,
                          env={"PYTHONIOENCODING": "ascii", "PATH": ""}, check=True)
    assert done.stdout.isascii() and json.loads(done.stdout)["players"][0] == "上海"


def test_columns_align_by_display_width(tmp_path, capsys):
    path = saved(tmp_path, co.Game([0, 0, 0, 90, 0, 80, 70, 150], ["上海", "Suzhou", "杭"]))
    assert cli.main(["report", path]) == 0
    out = capsys.readouterr().out.splitlines()
    start = next(i for i, line in enumerate(out) if line.startswith("player") and "Shapley" in line)
    rows = out[start:start + 6]  # header, rule, three players, total
    assert [r.split()[0] for r in rows[2:]] == ["上海", "Suzhou", "杭", "total"]
    header = rows[0]
    # The Shapley column (right-aligned) ends at the same display column in every row.
    end = display_width(header[: header.index("Shapley") + len("Shapley")])
    for row in rows[2:]:
        player, standalone, shapley = row.split()[:3]
        after = row.index(standalone, len(player)) + len(standalone)
        prefix = row[: row.index(shapley, after) + len(shapley)]
        assert display_width(prefix) == end, (row, header)
    assert cli.display_width("上海 A") == 6


def test_format_md_and_html(tmp_path, capsys):
    path = saved(tmp_path, co.Game([0, 0, 0, 90, 0, 80, 70, 150], ["上海", "Z|<b>", "H"]))
    assert cli.main(["report", path, "--format", "md"]) == 0
    md = capsys.readouterr().out
    assert "**Shares under each rule (payoffs)**" in md and "| player | standalone | Shapley |" in md
    assert "| --- | ---: |" in md and "| 上海 | 0 | 55 |" in md and "Z\\|<b>" in md
    out = tmp_path / "report.html"
    assert cli.main(["report", path, "--format", "html", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "<caption>Shares under each rule (payoffs)</caption>" in page and "Z|&lt;b&gt;" in page and "<b>" not in page.split("<body>")[1]
    assert cli.main(["report", path, "--format", "tex"]) == 0
    assert r"\begin{tabular}" in capsys.readouterr().out


def test_xlsx_needs_out(tmp_path, capsys):
    pytest.importorskip("openpyxl")
    path = saved(tmp_path, co.Game([0, 1, 2, 6], ["A", "B"]))
    with pytest.raises(SystemExit):
        cli.main(["report", path, "--format", "xlsx"])
    out = tmp_path / "r.xlsx"
    assert cli.main(["report", path, "--format", "xlsx", "--out", str(out)]) == 0
    assert out.stat().st_size > 0


def test_summary_keeps_its_keys():
    data = cli.summary(co.example(), None, co.example_status_quo())
    assert {"metadata", "kind", "players", "grand_coalition_value", "standalone", "shapley", "banzhaf",
            "banzhaf_normalized", "nucleolus", "tau_value", "stability", "properties", "settlement",
            "sections", "skipped", "comparison", "lang", "explanation"} <= set(data)
    assert data["skipped"] == [{"section": "core_vertices", "status": "skipped",
                                "reason": data["sections"]["core_vertices"]["reason"]}]
    assert np.isclose(sum(data["nucleolus"]), data["grand_coalition_value"])


# -- tables in, rules side by side, --lang (issue 15) -------------------------------------------

THREE = ([0, 0, 0, 90, 0, 80, 70, 150], ["上海", "苏州", "杭州"])


def noisy(text):
    """Numbers with more significant digits than the rounding rule shows (it keeps at most 10),
    or runs of 0s or 9s that betray a float sum."""
    for number in re.findall(r"\d+\.\d+", text):
        if len(number.replace(".", "").lstrip("0")) > 10 or re.search(r"0{7}\d|9{7}", number):
            return number
    return None


def three_cities():
    return co.Game(*THREE)


def test_report_from_a_csv_written_by_to_csv(tmp_path, capsys):
    g = three_cities()
    path = tmp_path / "城市.csv"
    g.to_csv(path)
    assert cli.main(["report", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["players"] == ["上海", "苏州", "杭州"] and data["shapley"] == list(g.shapley())
    assert data["metadata"]["source"] == "城市.csv"
    assert cli.main(["report", str(path)]) == 0
    out = capsys.readouterr().out
    assert "上海" in out and "Source: 城市.csv" in out and "Rules side by side" in out


def test_report_from_xlsx(tmp_path, capsys):
    pytest.importorskip("openpyxl")
    g = co.airport([1, 2, 3], ["a", "b", "c"])
    path = tmp_path / "airport.xlsx"
    g.to_excel(path)
    assert cli.main(["report", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "cost" and data["nucleolus"] == pytest.approx(list(g.nucleolus()), abs=1e-12)
    assert cli.main(["report", str(path), "--sheet", "0", "--kind", "value", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["kind"] == "value"
    assert cli.main(["report", str(path), "--sheet", "no such sheet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such sheet" in err and "Traceback" not in err


def test_long_form_csv_with_a_missing_coalition(tmp_path, capsys):
    path = tmp_path / "long.csv"
    path.write_text("coalition,value\nA,1\nB,2\nC,0\nA + B,5\nA + B + C,9\n", encoding="utf-8")
    assert cli.main(["report", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "A + C" in err and "B + C" in err and "--missing additive" in err
    assert cli.main(["report", str(path), "--missing", "additive", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["players"] == ["A", "B", "C"] and data["grand_coalition_value"] == 9
    # Without a standalone value the additive rule has nothing to add up.
    path.write_text("coalition,value\nA,1\nB,2\nA + B + C,9\n", encoding="utf-8")
    assert cli.main(["report", str(path), "--missing", "additive"]) == 2
    assert "standalone value" in capsys.readouterr().err


@pytest.mark.parametrize("content, name, option", [
    (None, "g.json", ["--missing", "additive"]),
    ("not a spreadsheet", "g.xls", []),
    ("not a spreadsheet", "g.xlsx", []),
    ("", "g.csv", []),
    ("coalition,value\nA,lots\n", "g.csv", []),
    ("coalition,value\nA,1\n", "g.csv", ["--sheet", "1"]),
])
def test_bad_tables_are_one_line_errors(content, name, option, tmp_path, capsys):
    path = tmp_path / name
    if content is None:
        co.Game([0, 1, 2, 6], ["A", "B"]).save(path)
    else:
        path.write_text(content, encoding="utf-8")
    assert cli.main(["report", str(path), *option]) == 2
    err = capsys.readouterr().err
    assert err.startswith("coalitional: error: ") and err.count("\n") == 1 and "Traceback" not in err


def test_comparison_lists_every_rule_and_matches_compare(tmp_path, capsys):
    g = three_cities()
    path = saved(tmp_path, g)
    sq = tmp_path / "sq.json"
    today = {"上海": 70, "苏州": 50, "杭州": 30}
    sq.write_text(json.dumps(today, ensure_ascii=False), encoding="utf-8")
    assert cli.main(["report", path, "--status-quo", str(sq)]) == 0
    out = capsys.readouterr().out
    section = out[out.index("Rules side by side"):out.index("\nStability\n")]
    c = co.compare(g, status_quo=today)
    for rule in co._compare.DEFAULT_RULES:
        assert _render._rule_head(rule, c.labels[rule], "en") in section
    assert "Stability of each rule" in section and "Change from the status quo" in section
    assert "Rules that could not be applied" in section and "proportional rule:" in section  # v({i}) = 0
    assert cli.main(["report", path, "--status-quo", str(sq), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    cmp = data["comparison"]
    assert cmp["rules"] == list(c.rules) and cmp["labels"] == c.labels
    for j, rule in enumerate(c.rules):
        if rule in c.failures:
            assert cmp["shares"][rule] is None and cmp["failures"][rule]["code"] == c.failures[rule].code
            continue
        assert list(cmp["shares"][rule].values()) == list(c.shares[:, j])
        assert cmp["in_core"][rule] == c.in_core[rule]
        b = c.largest_complaint[rule]
        assert cmp["largest_complaint"][rule]["members"] == list(b.members)
        assert cmp["largest_complaint"][rule]["excess"] == b.excess
        assert cmp["changes"][rule] == c.changes[rule].to_dict()
    assert cmp["status_quo"] == today
    # The old keys stay, and the explanation is there.
    assert data["shapley"] == list(g.shapley()) and data["lang"] == "en"
    assert data["explanation"]["comparison"] == str(c.explain("en"))


def test_large_games_skip_the_comparison_with_a_reason(tmp_path, capsys):
    path = saved(tmp_path, co.weighted_voting(15, [1] * 28))
    assert cli.main(["report", path, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["comparison"] is None and data["sections"]["comparison"]["status"] == "skipped"
    assert "28 players" in data["sections"]["comparison"]["reason"]
    assert cli.main(["report", path]) == 0
    out = capsys.readouterr().out
    assert "Values by player" in out and "rules side by side" in out  # the table, and the reason


def test_lang_zh_has_chinese_headings_explanation_and_no_float_noise(tmp_path, capsys):
    g = co.Game([0, 0, 0, 1, 0, 1, 1, 1], ["甲", "乙", "丙"])  # thirds everywhere, empty core
    path = saved(tmp_path, g)
    sq = tmp_path / "sq.json"
    sq.write_text(json.dumps({"甲": 0.5, "乙": 0.25, "丙": 0.25}, ensure_ascii=False), encoding="utf-8")
    assert cli.main(["report", path, "--status-quo", str(sq), "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    for heading in ["各规则并列比较", "稳定性", "说明", "结算", "成员", "沙普利值", "合计"]:
        assert heading in out, heading
    assert "0.333333333" in out and not noisy(out), noisy(out)
    assert "Rules side by side" not in out and "Explanation" not in out
    explanation = out[out.index("\n说明\n"):]
    assert str(g.nucleolus().explain("zh")).replace(" ", "") in re.sub(r"\s", "", explanation)  # the target's memo
    assert "核心" in explanation and "各规则给出的分配相同" in explanation  # a symmetric game: the rules agree
    memos = explanation[:explanation.index("\n\n", 8)]
    assert all(cli.display_width(line) <= 92 for line in memos.splitlines()), memos  # wrapped by display width
    assert cli.main(["report", path, "--status-quo", str(sq), "--lang", "zh", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["lang"] == "zh" and set(data["explanation"]) == {"allocation", "settlement", "comparison"}
    assert all("\u4e00" <= ch <= "\u9fff" for ch in data["explanation"]["settlement"][:2])
    assert "comparison" in data and "shares" in data["comparison"]  # keys stay English


def test_format_md_lang_zh(tmp_path, capsys):
    path = saved(tmp_path, three_cities())
    assert cli.main(["report", path, "--format", "md", "--lang", "zh"]) == 0
    md = capsys.readouterr().out
    assert "## 各规则并列比较" in md and "**各规则的分配比较（收益）**" in md and "## 说明" in md
    assert "| 成员 | 单独行动 | 沙普利值 |" in md and "| 上海 | 0 | 55 |" in md
    assert not noisy(md), noisy(md)
    out = tmp_path / "r.html"
    assert cli.main(["report", path, "--format", "html", "--lang", "zh", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "<h2>各规则并列比较</h2>" in page and "<h2>说明</h2>" in page


def test_xlsx_out_has_the_comparison(tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("openpyxl")
    g = three_cities()
    path = saved(tmp_path, g)
    out = tmp_path / "r.xlsx"
    assert cli.main(["report", path, "--format", "xlsx", "--out", str(out)]) == 0
    sheets = pd.read_excel(out, sheet_name=None, index_col=0)
    shares = sheets["Rules side by side"]
    assert list(shares.index) == ["上海", "苏州", "杭州", "total"]
    assert list(shares["Shapley"][:3]) == list(g.shapley())  # full floats in the cells
    assert "Explanation" in sheets
    assert "Stability of each rule" in sheets and "Explanation" in sheets


def test_chinese_text_wraps_by_display_width():
    text = "本表比较了 7 种分配规则。" * 20
    lines = _render._wrap(text, 40)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(cli.display_width(line) <= 40 for line in lines)
    assert not any(line.startswith(("。", "，", "）")) for line in lines)


def test_every_sampled_column_comes_with_its_intervals(tmp_path, capsys):
    # 40 airport players: Banzhaf is sampled, so its column is followed by the half-widths.
    path = tmp_path / "air.json"
    co.airport([float(i % 7 + 1) for i in range(40)], [f"p{i}" for i in range(40)]).save(path)
    assert cli.main(["report", str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    half = data["sections"]["banzhaf"].get("half_widths")
    assert half is not None and len(half) == 40
    assert cli.main(["report", str(path)]) == 0
    header = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("player"))
    assert "Banzhaf ±" in header


def test_report_shows_voting_power_of_simple_games_only():
    # Issue 17: the Johnston, Deegan-Packel and Holler indices join the report for simple games
    # (weighted voting without 2^n values, dense 0/1 games), equal to power_indices(); other
    # games have no such columns and no section.
    from coalitional import _report

    wv = co.weighted_voting(39, [7] * 5 + [1] * 10)
    data = _report.summary(wv)
    p = wv.power_indices()
    for key in ("johnston", "deegan_packel", "holler"):
        assert data[key] == pytest.approx(list(p[key]))
    assert data["sections"]["power_indices"]["status"] == "done"
    assert data["deegan_packel"][0] == pytest.approx(1 / 9)      # 210 minimal winning, size 9
    corridor = _report.summary(co.example())
    assert corridor["johnston"] is None and "power_indices" not in corridor["sections"]
