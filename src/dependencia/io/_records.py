"""Tables of a Network as plain records, and back: shared by the writers.

A writer turns each table into a list of dicts of plain Python values
(numpy scalars become Python numbers, tuples become lists, missing values are
left out) and says which values a target format cannot hold.

Examples
--------
>>> from dependencia.network.model import Network
>>> net = Network.from_records([{"id": "a", "kind": "firm"}, {"id": "b"}],
...                            [{"dependent": "a", "provider": "b"}])
>>> table_records(net, "actors")
[{'id': 'a', 'kind': 'firm'}, {'id': 'b', 'kind': 'actor'}]
>>> table_records(net, "dependencies")[0]
{'dependent': 'a', 'provider': 'b', 'dimension': 'default', 'strength': 1.0, 'channel': 'market'}
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ..network import schema as schema
from ..network.model import Network

__all__ = ["SECTIONS", "free_columns", "plain", "table_records", "with_column_order"]

#: Tables in the order the model file and the CSV bundle list them.
SECTIONS = ("dimensions", "actors", "infrastructures", "dependencies", "needs", "ownership", "authority")


def free_columns(network: Network, table: str) -> list[str]:
    """The free attribute columns of a table (those its schema does not know)."""
    known = set(schema.SCHEMAS[table].names)
    return [c for c in getattr(network, table).columns if c not in known]


def plain(value: Any) -> Any:
    """``value`` as a plain Python value: None for missing, lists for tuples.

    Examples
    --------
    >>> plain(np.int64(3)), plain(np.float64("nan")), plain(("a", "b"))
    (3, None, ['a', 'b'])
    """
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return [plain(v) for v in value.tolist()]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def table_records(network: Network, table: str) -> list[dict[str, Any]]:
    """The rows of one table as dicts: ``id`` first for keyed tables, missing values left out.

    Empty id lists (``via``, infrastructure ``dimensions``) count as missing.
    """
    frame = getattr(network, table)
    keyed = schema.SCHEMAS[table].keyed
    columns = list(frame.columns)
    data = [frame[c].tolist() for c in columns]
    ids = frame.index.tolist() if keyed else None
    records = []
    for row in range(len(frame)):
        record: dict[str, Any] = {"id": ids[row]} if ids is not None else {}
        for name, values in zip(columns, data):
            value = plain(values[row])
            if value is None or (isinstance(value, list) and not value and name in ("via", "dimensions")):
                continue
            record[name] = value
        records.append(record)
    return records


def with_column_order(records: list[dict[str, Any]], free: list[str]) -> list[dict[str, Any]]:
    """Make the records' first appearance of free attributes follow ``free``.

    A Network orders free attribute columns by their first appearance in the
    records; where leaving out missing values would change that order (or drop
    a column that is missing everywhere), the first record names every free
    attribute, with None where it has no value.
    """
    if not free or not records:
        return records
    seen: dict[str, None] = {}
    for record in records:
        for key in record:
            if key in free:
                seen.setdefault(key, None)
    if list(seen) == free:
        return records
    first = {k: v for k, v in records[0].items() if k not in free}
    first.update({name: records[0].get(name) for name in free})
    return [first, *records[1:]]


def dimension_settings_lost(network: Network, named: list[pd.Series]) -> str | None:
    """Describe what of the dimensions table is lost when it is derived from ``named``.

    A format without a dimensions table gets the dimensions back from the
    dimension columns it keeps (``named``, in order of first use), with the
    default ``monetized``. Returns None when that gives the same table.
    """
    dims = network.dimensions
    derived = list(pd.unique(pd.concat([s.astype(object) for s in named], ignore_index=True))) if named else []
    parts = []
    default = np.where(dims.index.isin(list(schema.UNMONETIZED_BY_DEFAULT)), 0.0, 1.0)
    if (dims["monetized"].to_numpy(dtype=float) != default).any():
        parts.append("monetized")
    unused = [d for d in dims.index if d not in set(derived)]
    if unused:
        parts.append(f"unused dimensions {', '.join(map(str, unused))}")
    if [d for d in dims.index if d in set(derived)] != derived:
        parts.append("order")
    if free_columns(network, "dimensions"):
        parts.append("attributes")
    return f"dimension settings ({', '.join(parts)})" if parts else None


def id_list_column(values: pd.Series) -> pd.Series:
    """The ids inside a column of id tuples, flattened, as a Series."""
    return pd.Series([i for ids in values.tolist() for i in ids], dtype=object)
