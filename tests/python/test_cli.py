import json
import subprocess
import sys

import coalitional as co
from coalitional import cli
from conftest import published_vector


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
    assert "Core: EMPTY" in out and "cost of stability (least outside subsidy): 0.5" in out
    assert "tau value: undefined:" in out
    assert cli.main(["report", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["tau_value"] is None


def test_demo_settles_the_g60_status_quo(capsys):
    assert cli.main(["demo", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    st = data["settlement"]
    assert st["rule"] == "nucleolus" and st["status_quo_source"] == "given"
    assert st["status_quo"] == co.example_status_quo()
    assert abs(st["gap"]) < 1e-9 and len(st["payments"]) <= len(data["players"]) - 1
    paid = {p: 0.0 for p in data["players"]}
    for q in st["payments"]:
        paid[q["payer"]] -= q["amount"]
        paid[q["payee"]] += q["amount"]
    for p in data["players"]:
        assert abs(paid[p] - st["net_transfers"][p]) < 1e-9
    assert st["in_core"] and st["individually_rational"]


def test_report_with_status_quo_and_rule(tmp_path, capsys):
    g = co.Game([0, 0, 0, 90, 0, 80, 70, 150], ["S", "Z", "H"])
    game, sq = tmp_path / "g.json", tmp_path / "sq.json"
    g.save(game)
    sq.write_text(json.dumps({"S": 70, "Z": 50, "H": 30}))
    assert cli.main(["report", str(game), "--status-quo", str(sq), "--rule", "shapley"]) == 0
    out = capsys.readouterr().out
    # Shapley (55, 50, 45): S pays H 15.
    assert "S pays H 15\n" in out and "to the Shapley value" in out
    sq.write_text(json.dumps({"format": "coalitional.status_quo", "version": 1, "status_quo": {"S": 50, "Z": 50, "H": 30}}))
    assert cli.main(["report", str(game), "--status-quo", str(sq), "--json"]) == 0
    st = json.loads(capsys.readouterr().out)["settlement"]
    assert abs(st["gap"] - 20) < 1e-9  # the nucleolus hands out 150, today only 130
    assert any(q["payer"] == "(outside)" for q in st["payments"])
    sq.write_text(json.dumps({"S": "a lot"}))
    assert cli.main(["report", str(game), "--status-quo", str(sq)]) == 2
    assert "must map each player's name to a number" in capsys.readouterr().err
    sq.write_text(json.dumps({"S": 1, "Z": 2}))
    assert cli.main(["report", str(game), "--status-quo", str(sq)]) == 2
    assert "missing ['H']" in capsys.readouterr().err


def test_report_on_a_structured_game(tmp_path, capsys):
    path = tmp_path / "talmud.json"
    co.bankruptcy(200, [100, 200, 300], ["a", "b", "c"]).save(path)
    assert cli.main(["report", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [round(x, 9) for x in data["nucleolus"]] == list(published_vector("Talmud, estate 200", "nucleolus"))
