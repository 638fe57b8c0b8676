"""The resilient report (issue 15): independent sections, large structured games, no status
quo, usage errors, formats, UTF-8 JSON and alignment by display width."""

import json
import subprocess
import sys
import unicodedata

import numpy as np
import pytest

import coalitional as co
from coalitional import cli


def saved(tmp_path, game, name="g.json"):
    path = tmp_path / name
    game.save(path)
    return str(path)


def display_width(text):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_28_voters_print_shapley_and_skip_the_nucleolus(tmp_path, capsys):
    path = saved(tmp_path, co.weighted_voting(15, [1] * 28))
    assert cli.main(["report", path]) == 0
    out = capsys.readouterr().out
    assert "Shapley" in out and "0.035714286" in out  # 1/28 each
    assert "nucleolus" in out and "skipped" in out and "28 players" in out
    assert cli.main(["report", path, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["shapley"] == pytest.approx([1 / 28] * 28, abs=1e-12)
    assert data["nucleolus"] is None and data["settlement"] is None
    assert data["sections"]["nucleolus"]["status"] == "skipped"
    assert {s["section"] for s in data["skipped"]} >= {"nucleolus", "least_core", "settlement"}


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
    assert "**Values by player**" in md and "| player | standalone | Shapley |" in md
    assert "| --- | ---: |" in md and "| 上海 | 0 | 55 |" in md and "Z\\|<b>" in md
    out = tmp_path / "report.html"
    assert cli.main(["report", path, "--format", "html", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "<caption>Values by player</caption>" in page and "Z|&lt;b&gt;" in page and "<b>" not in page.split("<body>")[1]
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
            "sections", "skipped"} <= set(data)
    assert data["skipped"] == [{"section": "core_vertices", "status": "skipped",
                                "reason": data["sections"]["core_vertices"]["reason"]}]
    assert np.isclose(sum(data["nucleolus"]), data["grand_coalition_value"])
