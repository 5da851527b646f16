"""The ``query`` command: SQL over run and sweep folders through DuckDB.

A plain function; :mod:`dependencia.cli` registers it as a command.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from ..batch.query import VIEWS  # light: the query loads DuckDB (and _output pandas) when it runs
from ..batch.query import query as run_query
from .console import emit, render_table
from .options import Format, FormatOpt, OutputOpt


def query(
    folder: Annotated[Path, typer.Argument(metavar="SWEEP_OR_RUN_DIR", help="A run folder or a sweep folder.")],
    sql: Annotated[str, typer.Argument(metavar="SQL", help=f"A query over the views {', '.join(VIEWS)}.")],
    format: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """SQL over a run's (or a sweep's) tables: the views runs, steps, actors, events (with run_id) and summary."""
    from ..base.output import joined_lists, records, to_csv

    frame = run_query(folder, sql)
    if format is Format.json:
        rows = [{k: _text_unless_json(v) for k, v in row.items()} for row in records(frame, index=False)]
        emit(json.dumps({"columns": [str(c) for c in frame.columns], "rows": rows}, allow_nan=False) + "\n", output)
        return
    if format is Format.csv:  # the SQL column names, exactly (no id column added)
        emit(to_csv(joined_lists(frame, ";"), index=False) if len(frame.columns) else "", output)
        return
    shown = frame.set_index(frame.columns[0]) if len(frame.columns) else frame
    text = render_table(f"{len(frame)} rows", joined_lists(shown, ", "), sql, to_file=output is not None,
                        names_as_is=True)
    if output is not None:
        emit(text, output)


def _text_unless_json(value: Any) -> Any:
    """A value JSON holds as it is (after :func:`~dependencia.base.output.json_value`), else its text (a date)."""
    if value is None or isinstance(value, (str, int, float, bool, list)):
        return value
    return str(value)
