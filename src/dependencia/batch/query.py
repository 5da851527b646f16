"""SQL over the tables of runs, through DuckDB (docs/cli.md, ``dependencia query``): ``dependencia query DIR "SQL"``.

A run folder (docs/simulation.md#results-the-run-folder) or a sweep folder (``runs/<run_id>/`` run
folders, ``runs.parquet``, ``summary.parquet``) is opened as the views
``runs``, ``steps``, ``actors``, ``events`` (the last three with a ``run_id``
column) and ``summary``. On a single run folder the same views exist with one
run (its ``run_id`` is the folder's name) and an empty ``summary``. The views
read the Parquet files where they lie; nothing is copied, and the database is
in memory and read-only towards the files.

Examples
--------
>>> import tempfile, dependencia as dp
>>> net = dp.Network.from_records([{"id": "a"}, {"id": "b"}], [{"dependent": "a", "provider": "b"}])
>>> folder = tempfile.mkdtemp() + "/run"
>>> _ = dp.Simulation(net).run(2, out=folder)
>>> query(folder, "SELECT run_id, count(*) AS steps FROM steps GROUP BY run_id").to_dict(orient="records")
[{'run_id': 'run', 'steps': 2}]
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError, UsageError

if TYPE_CHECKING:  # DuckDB returns the frame; the CLI help reads VIEWS without loading pandas
    import pandas as pd

__all__ = ["VIEWS", "query"]

VIEWS = ("runs", "steps", "actors", "events", "summary")
_RUN_TABLES = ("steps", "actors", "events")
_SUMMARY_COLUMNS = ("point VARCHAR, outcome VARCHAR, mean DOUBLE, std DOUBLE, ci_low DOUBLE, ci_high DOUBLE, "
                    "n BIGINT")


def query(folder: str | os.PathLike[str], sql: str) -> pd.DataFrame:
    """Run ``sql`` over the views of a run or sweep folder; the result as a DataFrame.

    Raises
    ------
    InputError
        ``folder`` is neither a run folder (``manifest.json``) nor a sweep
        folder (``runs/``), or holds no finished tables.
    UsageError
        The SQL is not valid, or names something that does not exist (the
        message is DuckDB's, with the views listed).
    """
    import duckdb

    path = Path(folder)
    runs = _run_folders(path)
    con = duckdb.connect(":memory:")
    try:
        _create_views(con, path, runs)
        try:
            return con.execute(sql).df()
        except duckdb.Error as problem:
            raise UsageError(f"query failed: {str(problem).splitlines()[0]} (views: {', '.join(VIEWS)})") from None
    finally:
        con.close()


def _run_folders(path: Path) -> dict[str, Path]:
    """run_id -> run folder with finished tables."""
    if (path / "manifest.json").exists():
        candidates = {path.resolve().name: path}
    elif (path / "runs").is_dir():
        candidates = {p.name: p for p in sorted((path / "runs").iterdir()) if p.is_dir()}
    else:
        raise InputError("not a run folder (no manifest.json) nor a sweep folder (no runs/)", source=str(path))
    finished = {run_id: p for run_id, p in candidates.items() if all((p / f"{t}.parquet").exists() for t in _RUN_TABLES)}
    if not finished:
        raise InputError("no finished run here yet (its tables are written when it completes)", source=str(path))
    return finished


def _literal(value: str | Path) -> str:
    """A SQL string literal (quotes doubled)."""
    return "'" + str(value).replace("'", "''") + "'"


def _create_views(con, path: Path, runs: dict[str, Path]) -> None:
    for table in _RUN_TABLES:
        parts = [f"SELECT {_literal(run_id)} AS run_id, * FROM read_parquet({_literal(folder / f'{table}.parquet')})"
                 for run_id, folder in runs.items()]
        con.execute(f"CREATE VIEW {table} AS " + " UNION ALL BY NAME ".join(parts))
    if (path / "runs.parquet").exists():
        con.execute(f"CREATE VIEW runs AS SELECT * FROM read_parquet({_literal(path / 'runs.parquet')})")
    else:
        ids = ", ".join(f"({_literal(run_id)})" for run_id in runs)
        con.execute(f"CREATE VIEW runs AS SELECT run_id, 'complete' AS status FROM (VALUES {ids}) AS t(run_id)")
    if (path / "summary.parquet").exists():
        con.execute(f"CREATE VIEW summary AS SELECT * FROM read_parquet({_literal(path / 'summary.parquet')})")
    else:
        con.execute(f"CREATE TABLE summary ({_SUMMARY_COLUMNS})")
