"""Table schemas of the model and their column-wise validation.

A :class:`~dependencia.network.model.Network` is a handful of tables (actors,
dimensions, dependencies, ...). Each table has a schema: its known fields,
their types, defaults and allowed ranges. Validation works column by column on
whole arrays (no loop over rows), so a million dependencies validate in well
under a second; when a value is wrong, the first offending row is reported
through a *locator* that turns (table, row, field) into a file position.

Fields not in a schema are kept as free attributes, untouched. The schemas
themselves, the defaults and :func:`fail` live in :mod:`~dependencia.network.fields`
(no pandas) and are re-exported here.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ..errors import shown
from .fields import (  # the tables' names and defaults, re-exported (pandas-free there)
    ACTORS,
    AUTHORITY,
    CHANNELS,
    DEFAULT_CHANNEL,
    DEFAULT_DIMENSION,
    DEFAULT_KIND,
    DEPENDENCIES,
    DIMENSIONS,
    INFRASTRUCTURES,
    NEEDS,
    OWNERSHIP,
    PUBLIC_KINDS,
    SCHEMAS,
    TRANSIT,
    UNMONETIZED_BY_DEFAULT,
    VIA_SEPARATOR,
    Field,
    Locator,
    Schema,
    fail,
    record_locator,
)

__all__ = [
    'ACTORS', 'AUTHORITY', 'CHANNELS', 'DEFAULT_CHANNEL', 'DEFAULT_DIMENSION', 'DEFAULT_KIND', 'DEPENDENCIES',
    'DIMENSIONS', 'Field', 'INFRASTRUCTURES', 'Locator', 'MAX_IDS_TO_COMPARE', 'NEEDS', 'OWNERSHIP',
    'PUBLIC_KINDS', 'SCHEMAS', 'Schema', 'TRANSIT', 'UNMONETIZED_BY_DEFAULT', 'VIA_SEPARATOR',
    'check_id_lists', 'check_references', 'fail', 'normalize', 'record_locator',
]


def _first(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


def normalize(frame: pd.DataFrame | None, schema: Schema, locate: Locator) -> pd.DataFrame:
    """Check and convert one table to its canonical column types.

    Returns a new frame: keyed tables get their ``id`` column as the index;
    known fields come first in schema order, free attributes after them.
    Missing values of a field with a default take the default.
    """
    if frame is None:
        frame = pd.DataFrame()
    frame = frame.reset_index(drop=not _has_named_index(frame, schema))
    n = len(frame)
    out: dict[str, pd.Series] = {}
    if schema.keyed:
        if "id" not in frame.columns:
            if n == 0:
                frame = frame.assign(id=pd.Series([], dtype=object))
            else:
                raise fail(locate, schema.table, None, "id", "the 'id' field is missing")
        out["id"] = _strings(frame["id"], schema.table, Field("id", "str"), locate)
    for field in schema.fields:
        column = frame[field.name] if field.name in frame.columns else pd.Series([None] * n, dtype=object)
        out[field.name] = _convert(column.reset_index(drop=True), schema.table, field, locate)
    for name in frame.columns:
        if name not in out:
            out[name] = frame[name].reset_index(drop=True)
    result = pd.DataFrame(out, index=pd.RangeIndex(n))
    if schema.keyed:
        _check_unique(result["id"], schema.table, locate)
        result = result.set_index("id", drop=True)
    return result


def _has_named_index(frame: pd.DataFrame, schema: Schema) -> bool:
    return schema.keyed and frame.index.name == "id"


def _convert(column: pd.Series, table: str, field: Field, locate: Locator) -> pd.Series:
    if field.kind == "str":
        if field.default is not None:
            column = _with_default(column, field.default)
        values = _strings(column, table, field, locate)
        if field.choices is not None:
            bad = ~values.isin(field.choices).to_numpy()
            if bad.any():
                row = _first(bad)
                raise fail(
                    locate, table, row, field.name,
                    f"{field.name} must be one of {', '.join(field.choices)}; got {shown(values.iloc[row])}",
                )
        return values
    if field.kind == "text":
        present = column.notna().to_numpy()
        ok = np.array([isinstance(v, str) for v in column.tolist()], dtype=bool)
        if (present & ~ok).any():
            row = _first(present & ~ok)
            raise fail(locate, table, row, field.name, f"{field.name} must be text, got {shown(column.iloc[row])}")
        return column.astype(object).where(column.notna(), None)
    if field.kind == "float":
        return _floats(column, table, field, locate)
    if field.kind == "ids":
        return _id_tuples(column, table, field, locate)
    raise AssertionError(f"unknown field kind {field.kind}")


def _with_default(column: pd.Series, default: str) -> pd.Series:
    """``column`` with ``default`` where missing; an object column gets the one ``default`` object in every such row.

    (``Series.where`` would make a string per row: 95,000 copies of ``"default"``
    for an edge list without a dimension column; issue 19, peak memory.)
    """
    missing = column.isna().to_numpy()
    if not missing.any():
        return column
    if column.dtype != object:
        return column.where(~missing, default)
    values = column.to_numpy(dtype=object, copy=True)
    values[missing] = default
    return pd.Series(values, index=column.index, dtype=object)


def _strings(column: pd.Series, table: str, field: Field, locate: Locator) -> pd.Series:
    values = column.astype(object)
    missing = values.isna().to_numpy()
    if missing.any():
        raise fail(locate, table, _first(missing), field.name, f"{field.name} is missing")
    if pd.api.types.is_string_dtype(column.dtype) and not pd.api.types.is_object_dtype(column.dtype):
        values = column.astype(str).astype(object)
    else:
        kinds = values.map(type)
        bad = ~kinds.isin([str]).to_numpy()
        if bad.any():
            row = _first(bad)
            raise fail(
                locate, table, row, field.name,
                f"{field.name} must be a string, got {shown(values.iloc[row])} ({type(values.iloc[row]).__name__})",
            )
    # blank values looked for among the distinct ones: no stripped copy of every row (issue 19: peak memory)
    blank = [value for value in pd.unique(values.to_numpy()) if not value.strip()]
    if blank:
        empty = values.isin(blank).to_numpy()
        raise fail(locate, table, _first(empty), field.name, f"{field.name} is empty")
    return values


def _floats(column: pd.Series, table: str, field: Field, locate: Locator) -> pd.Series:
    present = column.notna().to_numpy()
    if column.dtype == object:
        is_bool = column.map(lambda v: isinstance(v, (bool, np.bool_))).to_numpy(dtype=bool)
        if is_bool.any():
            row = _first(is_bool)
            raise fail(locate, table, row, field.name, f"{field.name} must be a number, got {shown(column.iloc[row])}")
    try:
        values = pd.to_numeric(column, errors="coerce").astype(float).to_numpy()
    except OverflowError:  # an integer beyond a float's range: infinite, refused below
        values = np.array([_as_float(v) for v in column.tolist()], dtype=float)
    bad = present & np.isnan(values)
    if bad.any():
        row = _first(bad)
        raise fail(locate, table, row, field.name, f"{field.name} must be a number, got {shown(column.iloc[row])}")
    infinite = np.isinf(values)
    if infinite.any():
        row = _first(infinite)
        raise fail(locate, table, row, field.name, f"{field.name} must be finite, got {shown(column.iloc[row])}")
    with np.errstate(invalid="ignore"):
        too_low = values <= field.low if field.low_open else values < field.low
        out_of_range = present & (too_low | (values > field.high))
    if out_of_range.any():
        row = _first(out_of_range)
        raise fail(locate, table, row, field.name,
                   f"{field.name} must be {_range(field)}, got {shown(column.iloc[row])}")
    if field.default is not None:
        values = np.where(np.isnan(values), float(field.default), values)
    return pd.Series(values, dtype=float)


def _as_float(value: Any) -> float:
    """One value as a float: NaN where it is not a number, infinite where it is too large for one."""
    if isinstance(value, (bool, np.bool_)):
        return math.nan
    if isinstance(value, int):
        try:
            return float(value)
        except OverflowError:
            return math.inf if value > 0 else -math.inf
    try:
        return float(pd.to_numeric(value, errors="coerce"))
    except (TypeError, ValueError, OverflowError):
        return math.nan


def _range(field: Field) -> str:
    low = f"> {field.low:g}" if field.low_open else f">= {field.low:g}"
    if math.isinf(field.high):
        return low
    return f"{low} and <= {field.high:g}"


def _id_tuples(column: pd.Series, table: str, field: Field, locate: Locator) -> pd.Series:
    def as_tuple(value: Any) -> tuple[str, ...] | None:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return ()
        if isinstance(value, (tuple, list)) and all(isinstance(v, str) and v.strip() for v in value):
            return tuple(value)
        return None

    values = [as_tuple(v) for v in column.tolist()] if len(column) else []
    for row, value in enumerate(values):
        if value is None:
            raise fail(
                locate, table, row, field.name,
                f"{field.name} must be a list of ids, got {shown(column.iloc[row])}",
            )
    return pd.Series(values, dtype=object)


def _check_unique(ids: pd.Series, table: str, locate: Locator) -> None:
    duplicated = ids.duplicated().to_numpy()
    if duplicated.any():
        row = _first(duplicated)
        raise fail(locate, table, row, "id", f"duplicate id {shown(ids.iloc[row])}")


def check_references(
    values: pd.Series, known: pd.Index, table: str, field: str, what: str, locate: Locator,
    *, optional: bool = False,
) -> None:
    """Raise if any value of ``values`` is not in ``known`` (e.g. an unknown actor).

    With ``optional=True`` missing values (None) are allowed.
    """
    bad = ~values.isin(known).to_numpy()
    if optional:
        bad &= values.notna().to_numpy()
    if bad.any():
        row = _first(bad)
        value = values.iloc[row]
        raise fail(locate, table, row, field, f"unknown {what} {shown(value)}{_did_you_mean(value, known)}")


def check_id_lists(
    values: pd.Series, known: pd.Index, table: str, field: str, what: str, locate: Locator
) -> None:
    """Raise if an id inside the tuples of ``values`` is not in ``known``."""
    lengths = values.map(len).to_numpy()
    if not lengths.any():
        return
    rows = np.repeat(np.arange(len(values)), lengths)
    flat = pd.Series([v for t in values.tolist() for v in t], dtype=object)
    bad = ~flat.isin(known).to_numpy()
    if bad.any():
        i = _first(bad)
        value = flat.iloc[i]
        raise fail(locate, table, int(rows[i]), field, f"unknown {what} {shown(value)}{_did_you_mean(value, known)}")


#: Above this many known ids, an unknown one gets no "did you mean" (difflib compares with each).
MAX_IDS_TO_COMPARE = 50_000


def _did_you_mean(value: Any, known: pd.Index) -> str:
    """`` (did you mean 'x'?)`` with the known id closest to ``value``, or nothing."""
    if not isinstance(value, str) or len(known) > MAX_IDS_TO_COMPARE:
        return ""
    import difflib

    close = difflib.get_close_matches(value, [k for k in known.tolist() if isinstance(k, str)], n=1, cutoff=0.75)
    return f" (did you mean {shown(close[0])}?)" if close else ""
