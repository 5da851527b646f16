"""`dependencia query`: SQL through DuckDB over run folders (and folders of runs, as sweeps write them)."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

import dependencia as dp
from dependencia.batch.query import query
from dependencia.cli import main
from dependencia.errors import InputError, UsageError


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    network, config = dp.simulation.scenario.load_scenario("platform")
    folder = tmp_path_factory.mktemp("q") / "one"
    dp.Simulation(network, config).run(3, out=folder)
    return folder


def test_views_of_a_run_folder_match_its_tables(run_folder):
    steps = query(run_folder, "SELECT * FROM steps ORDER BY step")
    expected = pd.read_parquet(run_folder / "steps.parquet")
    assert list(steps.columns) == ["run_id", *expected.columns]
    assert (steps["run_id"] == "one").all()
    pd.testing.assert_frame_equal(steps.drop(columns="run_id"), expected, check_dtype=False)
    counts = query(run_folder, "SELECT count(*) AS n FROM actors")["n"].iloc[0]
    assert counts == len(pd.read_parquet(run_folder / "actors.parquet"))
    assert query(run_folder, "SELECT * FROM runs").to_dict(orient="records") == [{"run_id": "one", "status": "complete"}]
    assert query(run_folder, "SELECT count(*) AS n FROM summary")["n"].iloc[0] == 0


def test_a_folder_of_runs_is_the_union(run_folder, tmp_path):
    for run_id in ("a", "b"):
        shutil.copytree(run_folder, tmp_path / "runs" / run_id)
    result = query(tmp_path, "SELECT run_id, count(*) AS steps FROM steps GROUP BY run_id ORDER BY run_id")
    assert result.to_dict(orient="records") == [{"run_id": "a", "steps": 3}, {"run_id": "b", "steps": 3}]


def test_cli_json_contract(run_folder, capsys):
    assert main(["query", str(run_folder), "SELECT step, hhi FROM steps ORDER BY step", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["columns"] == ["step", "hhi"]
    assert [row["step"] for row in document["rows"]] == [0, 1, 2]


def test_cli_json_writes_lists_as_lists_and_non_finite_numbers_as_null(run_folder, capsys):
    """A SQL list is a JSON list (it was a crash for two items, a bare number for one), NaN and infinity null,
    a date its text: the values as SQL wrote them."""
    sql = ("SELECT [1, 2] AS two, [3] AS one, ['nan'::DOUBLE, 0.5] AS mixed, 'inf'::DOUBLE AS big, "
           "DATE '2020-01-02' AS day")
    assert main(["query", str(run_folder), sql, "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["rows"] == [{"two": [1, 2], "one": [3], "mixed": [None, 0.5], "big": None,
                                 "day": "2020-01-02 00:00:00"}]


def test_bad_sql_and_bad_folders_exit_2(run_folder, tmp_path, capsys):
    assert main(["query", str(run_folder), "SELECT * FROM nope"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: query failed") and "Traceback" not in err and "steps" in err
    assert main(["query", str(tmp_path), "SELECT 1"]) == 2
    assert "not a run folder" in capsys.readouterr().err
    with pytest.raises(UsageError):
        query(run_folder, "SELEC")
    with pytest.raises(InputError):
        query(tmp_path, "SELECT 1")
