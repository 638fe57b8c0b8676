"""`co.report(game)`: the command line's report as an object, with the same data and exports."""

import json

import numpy as np
import pytest

import coalitional as co
from coalitional import cli

CITIES = ["上海", "苏州", "杭州"]
# v(S) = 1e8 per member plus savings: 90 for {上海, 苏州}, 80 for {上海, 杭州}, 70 for {苏州, 杭州},
# 150 for all three (a budget-sized game whose surplus is small).
SAVINGS = [0, 0, 0, 90, 0, 80, 70, 150]
GAME = co.Game([1e8 * bin(m).count("1") + s for m, s in enumerate(SAVINGS)], CITIES)


def test_the_report_object_holds_what_the_command_line_prints(tmp_path, capsys):
    path = tmp_path / "g.json"
    GAME.save(path)
    assert cli.main(["report", str(path), "--format", "json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert json.loads(co.report(GAME).to_json()) == printed


def test_the_target_is_the_nucleolus_by_default_and_follows_the_game():
    data = co.report(GAME).data
    shares = data["settlement"]["target"]["shares"]
    # Nucleolus of the savings game (60, 50, 40) on top of the standalone budgets.
    assert np.allclose([shares[c] for c in CITIES], [1e8 + 60, 1e8 + 50, 1e8 + 40], rtol=0, atol=1e-6)
    with_sq = co.report(GAME, "shapley", [1e8 + 10, 1e8 + 20, 1e8 + 30]).data["settlement"]
    assert with_sq["payments"], with_sq


def test_exports_and_languages(tmp_path):
    r = co.report(GAME, lang="zh")
    md, html, tex, text = r.to_markdown(), r.to_html(), r.to_latex(), str(r)
    for out in (md, html, tex, text):
        assert all(c in out for c in CITIES)
    assert r._repr_html_() == html and "<table" in html
    assert "\\begin{tabular}" in tex
    pytest.importorskip("openpyxl")
    path = tmp_path / "report.xlsx"
    r.to_excel(path)
    assert path.stat().st_size > 0


def test_a_bad_status_quo_is_a_typed_error():
    with pytest.raises(co.InvalidGame) as info:
        co.report(GAME, status_quo=[1, 2])
    assert info.value.code == "allocation_length"
