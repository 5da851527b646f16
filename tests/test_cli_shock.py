"""The ``shock`` command (issue 16, item 3): DebtRank from the command line, as the API computes it.

The command runs on the package's Typer app; the exit code of a bad ``--fail`` id is tested through
``dependencia.cli.main``.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import dependencia as dp
from dependencia.cli import app, main
from dependencia.measures.shock import shock, systemic_impact

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, ["shock", *(str(a) for a in args)])


def test_fail_json_is_the_api_result():
    result = invoke("ai-stack", "--fail", "azure", "--fail", "nvidia", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    expected = shock(dp.examples.load("ai-stack"), ["azure", "nvidia"])
    assert doc["measure"] == "shock" and doc["failed"] == ["azure", "nvidia"]
    assert doc["impaired_share"] == pytest.approx(expected.attrs["impaired_share"], rel=1e-15)
    assert doc["debtrank"] == pytest.approx(expected.attrs["debtrank"], rel=1e-15)
    assert doc["rounds"] == expected.attrs["rounds"] and doc["owner_impairs"] is True
    impaired = expected[expected["impairment"] > 0]
    assert doc["impaired_nodes"] == len(impaired) and doc["n_nodes"] == len(expected)
    assert {r["id"]: r["impairment"] for r in doc["rows"]} == impaired["impairment"].to_dict()
    assert {r["id"]: r["round"] for r in doc["rows"]} == impaired["round"].astype(int).to_dict()
    keys = [(r["round"], -r["impairment"], r["id"]) for r in doc["rows"]]
    assert keys == sorted(keys)  # by round, then most impaired first
    assert {r["id"]: r["kind"] for r in doc["rows"]}["azure"] == "infrastructure"


def test_without_fail_every_actor_is_ranked_by_systemic_impact():
    result = invoke("ai-stack", "--format", "json", "--dimension", "compute")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    expected = systemic_impact(dp.examples.load("ai-stack"), dimensions="compute")
    assert doc["measure"] == "systemic_impact" and doc["dimensions"] == ["compute"]
    assert len(doc["rows"]) == len(expected)
    assert {r["id"]: r["systemic_impact"] for r in doc["rows"]} == expected["systemic_impact"].to_dict()
    assert [r["rank"] for r in doc["rows"]][0] == 1
    values = [r["systemic_impact"] for r in doc["rows"]]
    assert values == sorted(values, reverse=True)


def test_csv_table_top_and_output_file(tmp_path):
    result = invoke("ai-stack", "--format", "csv", "--top", "3", "--no-owner-impairs")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "id,rank,systemic_impact,debtrank" and len(lines) == 4
    result = invoke("ai-stack", "--fail", "nvidia")
    assert result.exit_code == 0, result.output
    assert "shock propagation: nvidia fail" in result.stdout and "DebtRank" in result.stdout
    target = tmp_path / "shock.csv"
    result = invoke("ai-stack", "--fail", "nvidia", "--format", "csv", "-o", target)
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_text().splitlines()[0] == "id,kind,round,impairment"


def test_help_says_what_happens_without_fail():
    result = invoke("--help")
    assert result.exit_code == 0
    assert "Without --fail" in result.stdout and "--no-owner-impairs" in result.stdout


def test_a_bad_fail_id_is_a_usage_error_naming_the_option():
    result = invoke("ai-stack", "--fail", "nvidai")
    assert isinstance(result.exception, dp.UsageError)
    assert str(result.exception).startswith("--fail: 'nvidai' is neither")
    assert "did you mean 'nvidia'" in str(result.exception)


def test_a_bad_fail_id_exits_2_with_one_message(capsys):
    code = main(["shock", "ai-stack", "--fail", "nvidia", "--fail", "nvidai"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "error: --fail: 'nvidai' is neither an actor nor an infrastructure of the network (did you mean 'nvidia'?)"
    ]
    assert "Traceback" not in err
