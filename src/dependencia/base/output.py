"""Rendering result tables for the command line: a Rich table, CSV or JSON.

Rows are ranked by a measure, descending, comparing values rounded to 12
significant digits (so that floating-point noise does not reorder ties), then
by id. The rank of a row is 1 + the number of rows with a strictly higher
rounded value: tied rows share a rank.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"betweenness": [0.5, 0.5000000000000001, 0.0]},
...                      index=pd.Index(["b", "a", "c"], name="id"))
>>> ranked(frame, "betweenness").index.tolist()
['a', 'b', 'c']
>>> ranked(frame, "betweenness")["rank"].tolist()
[1, 1, 3]
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # Rich is imported where a table is drawn
    import rich.table

SIGNIFICANT_DIGITS = 12


def rounded(values: pd.Series) -> np.ndarray:
    """Values rounded to 12 significant digits, for ordering and ranking."""
    return np.array([float(f"{v:.{SIGNIFICANT_DIGITS}g}") for v in values.to_numpy(dtype=float)])


def ranked(frame: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Sort by ``measure`` descending (rounded), then by id; add a ``rank`` column."""
    key = rounded(frame[measure])
    ids = frame.index.to_numpy(dtype=object).astype(str)
    order = np.lexsort((ids, -key))
    result = frame.iloc[order].copy()
    sorted_key = key[order]
    # rank = 1 + number of strictly higher values = position of the first equal value + 1
    first_of_value = np.searchsorted(-sorted_key, -sorted_key, side="left")
    result.insert(0, "rank", first_of_value + 1)
    return result


def joined_lists(rows: pd.DataFrame, separator: str) -> pd.DataFrame:
    """Columns holding lists (e.g. ``formal_authority_over``) as text joined by ``separator``."""
    result = rows.copy()
    for name in result.columns:
        if result[name].dtype == object and result[name].map(lambda v: isinstance(v, list)).any():
            result[name] = result[name].map(lambda v: separator.join(v) if isinstance(v, list) else v)
    return result


def records(frame: pd.DataFrame, *, index: bool = True) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts (:func:`json_value`), the index as ``id`` first (none when not ``index``).

    Examples
    --------
    >>> records(pd.DataFrame({"x": [1.5, float("nan")]}, index=["a", "b"]))
    [{'id': 'a', 'x': 1.5}, {'id': 'b', 'x': None}]
    """
    rows = []
    for ident, row in zip(frame.index.tolist(), frame.to_dict(orient="records")):
        record = {"id": str(ident)} if index else {}
        record.update({str(key): json_value(value) for key, value in row.items()})
        rows.append(record)
    return rows


def json_value(value: Any) -> Any:
    """A value as JSON can hold it: NumPy scalars as Python's, arrays and tuples as lists, NaN and the
    infinities as None (JSON has none of them, and ``json.dumps(allow_nan=False)`` refuses them).

    Examples
    --------
    >>> json_value(np.float64("nan")), json_value(np.int64(3)), json_value(np.array([1.0, np.inf]))
    (None, 3, [1.0, None])
    """
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (list, tuple, np.ndarray)):
        return [json_value(item) for item in value]
    return value


def to_json(header: dict[str, Any], rows: pd.DataFrame) -> str:
    """One JSON object: the header fields, then ``rows`` as a list of objects with ``id``."""
    return "".join(json_chunks(header, rows))


#: Rows turned into Python objects at a time by :func:`json_chunks`.
JSON_BLOCK_ROWS = 1000


def json_chunks(header: dict[str, Any], rows: pd.DataFrame) -> Iterator[str]:
    """The text of :func:`to_json` in pieces, :data:`JSON_BLOCK_ROWS` rows at a time.

    The same characters as ``json.dumps({**header, "rows": records(rows)},
    allow_nan=False) + "\\n"`` (the separators of ``json.dumps``), without
    holding every row as a dict at once: 20,000 rows of actor power were
    20 MB of dicts, a second list of them and two copies of the text
    (issue 19: peak memory).

    Examples
    --------
    >>> rows = pd.DataFrame({"x": [1.5, float("nan")]}, index=["a", "b"])
    >>> "".join(json_chunks({"measure": "m"}, rows))
    '{"measure": "m", "rows": [{"id": "a", "x": 1.5}, {"id": "b", "x": null}]}\\n'
    """
    if "rows" in header:  # the rows would take the header's place: the whole document at once
        yield json.dumps({**header, "rows": records(rows)}, allow_nan=False) + "\n"
        return
    opening = json.dumps(header, allow_nan=False)[:-1]
    yield opening + (", " if header else "") + '"rows": ['
    for first in range(0, len(rows), JSON_BLOCK_ROWS):
        block = records(rows.iloc[first:first + JSON_BLOCK_ROWS])
        yield (", " if first else "") + ", ".join(json.dumps(record, allow_nan=False) for record in block)
    yield "]}\n"


def to_csv(rows: pd.DataFrame, *, index: bool = True) -> str:
    """The rows as CSV with an ``id`` column first (none when not ``index``); floats keep every digit."""
    buffer = io.StringIO()
    rows.to_csv(buffer, index=index, index_label="id" if index else None, float_format=None, lineterminator="\n")
    return buffer.getvalue()


def to_rich_table(title: str, rows: pd.DataFrame, caption: str | None = None, *,
                  names_as_is: bool = False) -> rich.table.Table:
    """A readable Rich table of the rows (numbers shown with 4 significant digits); returns a ``rich.table.Table``.

    Column headers show ``_`` as a space, unless ``names_as_is`` (``query``:
    the headers are the SQL names a user types back).
    """
    from rich.table import Table

    table = Table(title=title, caption=caption, show_lines=False)
    key = rows.index.name or "id"
    frame = rows.reset_index(names=key)
    leading = [c for c in ("rank", key) if c in frame.columns]
    frame = frame[leading + [c for c in frame.columns if c not in leading]]
    for name in frame.columns:
        numeric = name != key and pd.api.types.is_numeric_dtype(frame[name])
        header = str(name) if names_as_is else str(name).replace("_", " ")
        table.add_column(header, justify="right" if numeric else "left")
    for values in frame.itertuples(index=False):
        table.add_row(*(_cell(v) for v in values))
    return table


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (float, np.floating)):
        return "" if math.isnan(value) else f"{value:.4g}"
    return str(value)
