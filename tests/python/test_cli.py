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
