"""Records (lists of mappings) as tables: what :meth:`Network.from_records` and the edits read.

Examples
--------
>>> from dependencia.network.schema import record_locator
>>> records_to_frame([{"id": 7, "budget": float("nan")}], "actors", record_locator).to_dict("records")
[{'id': '7', 'budget': None}]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from ..errors import shown
from . import schema as schema
from .schema import Locator, fail

__all__ = ["frames_equal", "is_missing", "records_to_frame"]


def is_missing(value: Any) -> bool:
    """True for None and a float NaN (how a table writes "missing")."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def records_to_frame(records: Iterable[Mapping[str, Any]], table: str, locate: Locator) -> pd.DataFrame:
    """Turn a list of dicts into a table, keeping free attributes as columns.

    Rejects what a DataFrame would silently hide: a record that is not a
    mapping, and a NaN in a required field or one with a default (NaN would
    read as "missing" and silently take the default). In an optional field
    (``budget``, ``unit_cost``, ``label``, ``owner``, ``build_cost``,
    ``upkeep``, ``share``, ``monetized``) and in a free attribute, NaN is
    how pandas writes "missing", and means it: a network's own tables round
    trip (``net.actors.reset_index().to_dict("records")``).
    """
    if isinstance(records, Mapping) or isinstance(records, str):
        raise fail(locate, table, None, None, f"'{table}' must be a list of records")
    rows = list(records)
    columns: dict[str, None] = {}
    known = {"id", *schema.SCHEMAS[table].names} if table in schema.SCHEMAS else set()
    optional = {f.name for f in schema.SCHEMAS[table].fields if f.kind in ("float", "text") and f.default is None
                } if table in schema.SCHEMAS else set()
    for row, record in enumerate(rows):
        if not isinstance(record, Mapping):
            raise fail(locate, table, row, None,
                       f"a {table} record must be a mapping of fields, got {shown(record)}")
        missing = []
        for key, value in record.items():
            if not isinstance(key, str):
                raise fail(locate, table, row, shown(key), f"field names must be text, got {shown(key)}")
            if isinstance(value, float) and math.isnan(value):
                if key in optional or key not in known:
                    missing.append(key)  # NaN = missing, as in a DataFrame; the column stays, empty here
                    columns.setdefault(key, None)
                    continue
                raise fail(locate, table, row, key, f"{key} must be a number, got NaN (NaN means missing only in "
                                                    f"optional fields; leave {key} out for its default)")
            if (isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _FLOAT_LIMIT
                    and key not in known):  # a free attribute no float can hold (nor a length, nor a table column)
                raise fail(locate, table, row, key, f"{key} is too large for a number: {shown(value)}")
            columns.setdefault(key, None)
        if missing:
            rows[row] = {k: v for k, v in record.items() if k not in missing}
    data = {
        key: pd.Series([_canonical_value(key, r.get(key)) for r in rows], dtype=object) for key in columns
    }
    return pd.DataFrame(data, index=pd.RangeIndex(len(rows)))


_FLOAT_LIMIT = 2**1024
_ID_FIELDS = frozenset({"id", "dependent", "provider", "owner", "owned", "holder", "subject", "dimension"})


def _canonical_value(key: str, value: Any) -> Any:
    # ids written as YAML integers (id: 7) are ids all the same
    if key in _ID_FIELDS and (
        isinstance(value, int) and not isinstance(value, bool)
    ):
        return str(value)
    if isinstance(value, list):
        return tuple(value)
    return value


def frames_equal(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Equal columns, index and cells in order, a missing value (None or NaN) equal to a missing one.

    Examples
    --------
    >>> frames_equal(pd.DataFrame({"x": [None, 1]}), pd.DataFrame({"x": [float("nan"), 1]}))
    True
    """
    if list(a.columns) != list(b.columns) or not a.index.equals(b.index):
        return False
    for column in a.columns:
        left, right = a[column].tolist(), b[column].tolist()
        if len(left) != len(right):
            return False
        for x, y in zip(left, right):
            if is_missing(x) and is_missing(y):
                continue
            if x != y:
                return False
    return True
