"""Cells of the CSV formats: id lists, free attributes, and writing tables as text.

Shared by the CSV bundle and the edge list. An id list (``via``, the
``dimensions`` an infrastructure serves) is one cell of semicolon-separated
ids. A free attribute column holds numbers when every non-empty cell is a
number, text otherwise.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"id": ["x"], "via": [("a", "b")], "n": [3], "f": [0.1]})
>>> print(frame_to_csv(frame), end="")
id,via,n,f
x,a;b,3,0.1
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError, shown
from ..network import schema as schema
from ..network.schema import TRANSIT, VIA_SEPARATOR
from ._columns import Notes
from ._files import is_missing
from .csvtable import CsvTable, numeric_column

__all__ = [
    "TRANSIT",
    "cell",
    "check_separator",
    "check_transit",
    "csv_lossy",
    "frame_to_csv",
    "free_attribute",
    "known_or_free",
    "lossy_columns",
    "split_ids",
]


def split_ids(table: CsvTable, column: str, what: str) -> pd.Series:
    """Parse a column of semicolon-separated ids into tuples (empty cell: no ids).

    Raises
    ------
    InputError
        An empty id inside a list, such as ``a;;b`` (with its line).
    """
    cells = table.frame[column]
    parts = cells.str.split(VIA_SEPARATOR).astype(object)
    present = cells.notna().to_numpy()
    lists = [tuple(value) if ok else () for value, ok in zip(parts.tolist(), present)]
    for row, ids in enumerate(lists):
        if any(not i for i in ids):
            raise table.error(
                f"{column} must be {what} ids separated by '{VIA_SEPARATOR}'; "
                f"{shown(cells.iloc[row])} has an empty one",
                row, column,
            )
    return pd.Series(lists, index=cells.index, dtype=object)


def check_transit(table: CsvTable, notes: Notes) -> None:
    """Check an infrastructures file's ``transit`` column: ``open``, ``closed`` or empty (closed).

    Raises
    ------
    InputError
        Another value, with its line (docs/model.md#graphs).
    """
    if "transit" not in table.frame.columns:
        return
    cells = table.frame["transit"]
    bad = cells.notna().to_numpy() & ~cells.isin(TRANSIT).to_numpy()
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise table.error(f"transit must be open or closed (or empty), got {shown(cells.iloc[row])}", row, "transit")


def free_attribute(table: CsvTable, column: str) -> pd.Series:
    """A free attribute column: numbers (int or float per cell) when all cells are numbers, else text."""
    numbers = numeric_column(table.frame[column], integers=True)
    if numbers is not None:
        return numbers
    values = table.frame[column].astype(object)
    return values.where(values.notna(), None)


def known_or_free(table: CsvTable, name: str, column: str) -> pd.Series:
    """Column ``column`` of a CSV file of table ``name``, ready for the model's validation.

    Known fields stay text (the model converts them); id lists are split;
    optional text fields (``label``) get None where empty; free attributes
    become numbers where every cell is one (:func:`free_attribute`).
    """
    fields = {f.name: f for f in schema.SCHEMAS[name].fields}
    field = fields.get(column)
    if field is None:
        return table.frame[column] if column == "id" and schema.SCHEMAS[name].keyed else free_attribute(table, column)
    if field.kind == "ids":
        return split_ids(table, column, "infrastructure" if column == "via" else "dimension")
    if field.kind == "text":
        values = table.frame[column].astype(object)
        return values.where(values.notna(), None)
    return table.frame[column]


def cell(value: Any) -> str:
    """One value as CSV cell text: '' for missing, ';'-joined ids for tuples, repr precision for floats."""
    if isinstance(value, np.generic):
        value = value.item()
    if is_missing(value):
        return ""
    if isinstance(value, (tuple, list)):
        return VIA_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def frame_to_csv(frame: pd.DataFrame) -> str:
    """Render a table (every column through :func:`cell`) as CSV text with a header.

    Lines end with ``\n``, or with ``\r\n`` when a cell holds a carriage
    return (the CSV writer quotes only cells with characters of its line end).
    """
    text = pd.DataFrame({name: frame[name].map(cell, na_action=None) for name in frame.columns}, columns=frame.columns)
    has_return = any(text[name].astype(str).str.contains("\r", regex=False).any() for name in text.columns)
    buffer = io.StringIO()
    text.to_csv(buffer, index=False, lineterminator="\r\n" if has_return else "\n")
    return buffer.getvalue()


def csv_lossy(values: pd.Series) -> bool:
    """True when a free attribute column would not read back equal from CSV text.

    It reads back equal when its values are all numbers (int or float, not
    bool), or all non-empty text of which at least one is not a number.
    """
    present = [v.item() if isinstance(v, np.generic) else v for v in values.tolist() if not is_missing(v)]
    if not present:
        return False
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return False
    if all(isinstance(v, str) for v in present):
        if any(v == "" for v in present):
            return True
        numbers = pd.to_numeric(pd.Series(present, dtype=object), errors="coerce")
        return bool(numbers.notna().all())
    return True


def lossy_columns(frame: pd.DataFrame, columns: list[str]) -> list[str]:
    """The columns among ``columns`` whose values CSV text would change."""
    return [name for name in columns if csv_lossy(frame[name])]


def check_separator(ids: pd.Series, what: str) -> None:
    """Refuse to write ids that contain the id-list separator (they would split on reading)."""
    flat = {i for t in ids.tolist() for i in t}
    bad = sorted(i for i in flat if VIA_SEPARATOR in i)
    if bad:
        raise InputError(
            f"{what} id {bad[0]!r} contains '{VIA_SEPARATOR}', which separates ids in a CSV cell; "
            "write a model file (.yaml or .json) instead"
        )
