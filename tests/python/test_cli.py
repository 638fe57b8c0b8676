import json
import subprocess
import sys

import coalitional as co
from coalitional import cli


def test_demo_prints_the_report(capsys):
    assert cli.main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "ILLUSTRATIVE" in out and "Songjiang" in out and "Shapley" in out and "Properties" in out


def test_report_json_matches_the_library(tmp_path, capsys):
    g = co.Game([0, 1, 2, 6], ["A", "B"])
    path = tmp_path / "g.json"
    g.save(path)
    assert cli.main(["report", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["players"] == ["A", "B"]
    assert data["shapley"] == [2.5, 3.5]
    assert data["properties"]["superadditive"] is True


def test_bad_file_is_a_clear_error(tmp_path, capsys):
    path = tmp_path / "bad.json"
    path.write_text('{"values": [0, 1, 2]}')
    assert cli.main(["report", str(path)]) == 2
    assert "not a power of two" in capsys.readouterr().err
    assert cli.main(["report", str(tmp_path / "missing.json")]) == 2


def test_console_script_is_installed():
    out = subprocess.run([sys.executable, "-m", "coalitional.cli", "demo"], capture_output=True, text=True, check=True)
    assert "Hefei" in out.stdout


def test_report_has_stability_and_solutions(capsys):
    assert cli.main(["demo", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    st = data["stability"]
    assert st["core_is_empty"] is False and st["cost_of_stability"] == 0.0
    g = co.example()
    assert data["nucleolus"] == list(g.nucleolus())
    assert abs(sum(data["nucleolus"]) - data["grand_coalition_value"]) < 1e-9


def test_report_marks_undefined_solutions(tmp_path, capsys):
    # Majority game: tau undefined (not quasi-balanced), core empty.
    g = co.Game([0, 0, 0, 1, 0, 1, 1, 1], ["A", "B", "C"])
    path = tmp_path / "maj.json"
    g.save(path)
    assert cli.main(["report", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Core: EMPTY" in out and "0.5000" in out
    assert cli.main(["report", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["tau_value"] is None
