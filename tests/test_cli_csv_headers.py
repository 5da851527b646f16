"""CSV and JSON say the same thing: every command with ``--format`` writes CSV headers equal to its JSON keys.

JSON is the contract (docs/cli.md): each command's CSV table must carry
the same column names, in the same order, as the keys of the JSON rows, and the
same values. ``query`` must keep the SQL column names exactly (its CSV once
renamed the first column to ``id``), in CSV and in the table.

The list of commands is read from the Typer app: a new command with a
``--format`` option fails :func:`test_every_format_command_is_covered` until a
case is added here.
"""

from __future__ import annotations

import csv
import inspect
import io
import json
import math
from pathlib import Path

import pandas as pd
import pytest

from dependencia import cli

# command (as typed) -> the argument lists to run it with; "{run}" is a small run folder
CASES: dict[str, list[list[str]]] = {
    "power": [["power", "ai-stack"], ["power", "florentine", "--burt"], ["power", "ai-stack", "--by", "node"],
              ["power", "florentine", "--by", "node"]],
    "concentration": [["concentration", "ai-stack"]],
    "chokepoints": [["chokepoints", "ai-stack"], ["chokepoints", "florentine"]],
    "whatif": [["whatif", "ai-stack", "--remove", "microsoft"], ["whatif", "florentine", "--remove", "Medici"]],
    "rents": [["rents", "ai-stack"]],
    "measures": [["measures", "florentine"],
                 ["measures", "ai-stack", "--measure", "power", "--measure", "katz", "--compare"]],
    "shock": [["shock", "ai-stack"], ["shock", "ai-stack", "--fail", "azure"]],
    "explain": [["explain", "florentine", "Medici", "--top", "3"], ["explain", "ai-stack", "microsoft"]],
    "improve": [["improve", "florentine", "Medici", "--links", "2", "--strategy", "top-degree"]],
    "validate": [["validate", "ai-stack"], ["validate", "florentine"]],
    "query": [["query", "{run}", "SELECT hhi, step, run_id FROM steps ORDER BY step"],
              ["query", "{run}", "SELECT run_id AS my_run, count(*) AS n_events FROM events GROUP BY run_id"],
              ["query", "{run}", "SELECT * FROM actors ORDER BY step, actor LIMIT 5"]],
    "scenarios list": [["scenarios", "list"]],
    "experiment": [["experiment", "{spec}", "--workers", "1", "--quiet"]],
}



@pytest.fixture(scope="module")
def run_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("csv-headers") / "run"
    assert cli.main(["simulate", "ai-stack", "--steps", "2", "--out", str(folder), "--quiet"]) == 0
    return folder


@pytest.fixture(scope="module")
def experiment_spec(tmp_path_factory) -> Path:
    """A two-seed experiment on the tiny scenario of tests/batch (its own output folder)."""
    folder = tmp_path_factory.mktemp("csv-headers-experiment")
    scenario = Path(__file__).parent / "batch" / "aa_scenario.yaml"
    spec = folder / "spec.yaml"
    spec.write_text(f"scenario: {scenario}\nsteps: 1\nseeds: 2\ncontrol: {{infrastructure.build_cost: 5.0}}\n"
                    f"treatment: {{infrastructure.build_cost: 60.0}}\nmetrics: [hhi, total_paid]\n")
    return spec


def _invoke(capsys, args: list[str], run_folder: Path | None = None, spec: Path | None = None) -> str:
    args = [str(run_folder) if a == "{run}" else a for a in args]
    if spec is not None and "{spec}" in args:
        out = spec.parent / f"out-{len(list(spec.parent.iterdir()))}"
        args = [str(spec) if a == "{spec}" else a for a in args] + ["--out", str(out)]
    code = cli.main(args)
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def _csv_tables(text: str) -> list[list[list[str]]]:
    """CSV sections separated by a blank line, each as rows of cells (the header first)."""
    return [list(csv.reader(io.StringIO(part.strip("\n")))) for part in text.split("\n\n") if part.strip()]


def _same_value(cell: str, value: object) -> bool:
    """A CSV cell says the same as a JSON value (None is empty, lists are ;-joined, floats every digit)."""
    if value is None:
        return cell == "" or cell.lower() == "nan"
    if isinstance(value, bool):
        return cell == str(value)
    if isinstance(value, (int, float)):
        return cell != "" and (float(cell) == float(value) or (math.isnan(float(cell)) and math.isnan(value)))
    if isinstance(value, list):
        return cell == ";".join(map(str, value))
    return cell == str(value)


def _check_table(table: list[list[str]], rows: list[dict]) -> None:
    header, body = table[0], table[1:]
    assert rows, "the JSON has no rows to compare with"
    assert header == list(rows[0]), f"CSV header {header} != JSON keys {list(rows[0])}"
    assert len(body) == len(rows)
    for cells, row in zip(body, rows):
        for name, cell in zip(header, cells):
            assert _same_value(cell, row[name]), (name, cell, row[name])


def _json_tables(command: str, document: dict) -> list[list[dict]]:
    """The lists of JSON rows that the CSV sections print, in order."""
    if command == "explain":
        return [document["by_node"], document["top_pairs"], document["by_dimension"]]
    if command == "improve":
        summary = {key: value for key, value in document.items() if key != "added"}
        return [[summary], document["added"]]
    if command == "scenarios list":
        return [document["scenarios"]]
    if command == "experiment":
        return [document["effects"]]
    if command == "measures" and "pairs" in document:
        return [document["pairs"], document["movers"]]
    return [document["rows"]]


@pytest.mark.parametrize("args", [a for cases in CASES.values() for a in cases], ids=lambda a: " ".join(a))
def test_csv_header_and_values_equal_the_json_rows(capsys, run_folder, experiment_spec, args):
    command = "scenarios list" if args[0] == "scenarios" else args[0]
    document = json.loads(_invoke(capsys, args + ["--format", "json"], run_folder, experiment_spec))
    tables = _csv_tables(_invoke(capsys, args + ["--format", "csv"], run_folder, experiment_spec))
    if command == "validate":  # one field per line: the JSON object's keys beside the verdict and the file
        (table,) = tables
        assert table[0] == ["field", "value"]
        assert [field for field, _ in table[1:]] == [k for k in document if k not in ("valid", "network")]
        return
    if command == "query":  # the SQL names, as JSON's "columns" lists them
        assert tables[0][0] == document["columns"]
    expected = _json_tables(command, document)
    assert len(tables) == len(expected)
    for table, rows in zip(tables, expected):
        _check_table(table, rows)


def test_query_keeps_the_sql_names_against_the_parquet_file(capsys, run_folder):
    steps = pd.read_parquet(run_folder / "steps.parquet")  # the oracle: the table the view reads
    sql = "SELECT hhi, step, private_hhi AS p_hhi FROM steps ORDER BY step"
    table = _csv_tables(_invoke(capsys, ["query", str(run_folder), sql, "--format", "csv"]))[0]
    assert table[0] == ["hhi", "step", "p_hhi"]  # the first column is not renamed to id
    assert [int(r[1]) for r in table[1:]] == steps["step"].tolist()
    assert [float(r[0]) for r in table[1:]] == steps["hhi"].tolist()
    assert [float(r[2]) for r in table[1:]] == steps["private_hhi"].tolist()


def test_query_table_shows_the_sql_names_unchanged(capsys, run_folder):
    out = _invoke(capsys, ["query", str(run_folder), "SELECT run_id, step, top5_share FROM steps"])
    header = next(line for line in out.splitlines() if "run" in line and "step" in line and "top5" in line)
    assert "run_id" in header and "top5_share" in header
    assert "run id" not in header and "top5 share" not in header


def test_every_format_command_is_covered():
    """Each command (and sub-command) with a --format option has a case above."""
    def commands(app, prefix=""):
        for command in app.registered_commands:
            name = prefix + (command.name or command.callback.__name__.replace("_", "-"))
            if "format" in inspect.signature(command.callback).parameters:
                yield name
        for group in app.registered_groups:
            yield from commands(group.typer_instance, prefix + group.name + " ")

    assert set(commands(cli.app)) == set(CASES)
