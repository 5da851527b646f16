"""The ``query`` command: SQL over run and sweep folders through DuckDB.

A plain function; :mod:`dependencia.cli` registers it as a command.
"""

from __future__ import annotations

import json
import math
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
    from ..base.output import joined_lists, to_csv

    frame = run_query(folder, sql)
    if format is Format.json:
        rows = [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]
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


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
