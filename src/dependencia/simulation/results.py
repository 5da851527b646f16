"""The tables of a run (docs/simulation.md#results-the-run-folder) and how they are written.

``steps.parquet`` (one row per step), ``actors.parquet`` (one row per step,
actor and dimension, ``*`` for all dimensions together) and
``events.parquet`` (one row per event). Each has a fixed Arrow schema, so that
the same values always give the same bytes: a resumed run writes tables
byte-identical to an undisturbed one. Timings live in ``manifest.json`` only.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

__all__ = ["EVENT_KINDS", "Recorder", "SCHEMAS", "TABLES"]

EVENT_KINDS = ("build", "reroute", "adopt", "spillover", "decay", "privatize", "insolvency", "divest", "policy",
               "rescue", "exit")

_INT, _FLOAT, _TEXT = pa.int64(), pa.float64(), pa.string()
SCHEMAS = {
    "steps": pa.schema([
        ("step", _INT), ("gini", _FLOAT), ("hhi", _FLOAT), ("top1_share", _FLOAT), ("top5_share", _FLOAT),
        ("private_hhi", _FLOAT), ("private_top5_share", _FLOAT),
        ("public_infrastructures", _INT), ("private_infrastructures", _INT), ("private_route_share", _FLOAT),
        ("privatized", _INT), ("formerly_public_private_share", _FLOAT), ("total_paid", _FLOAT),
        ("to_world", _FLOAT), ("unpaid_care_value", _FLOAT), ("public_budget", _FLOAT), ("public_debt", _FLOAT),
        ("borrowed", _FLOAT), ("public_borrowing", _FLOAT), ("public_interest", _FLOAT),
        ("public_investment", _FLOAT), ("public_subsidies", _FLOAT), ("public_tax_cuts", _FLOAT),
        ("public_rescue", _FLOAT), ("built", _INT), ("adopted", _INT), ("n_actors", _INT), ("n_dependencies", _INT),
        ("n_needs", _INT),
    ]),
    "actors": pa.schema([
        ("step", _INT), ("actor", _TEXT), ("dimension", _TEXT), ("power", _FLOAT), ("power_share", _FLOAT),
        ("income", _FLOAT), ("budget", _FLOAT), ("price", _FLOAT), ("dependents", _FLOAT),
        ("dependencies", _FLOAT),
    ]),
    "events": pa.schema([
        ("step", _INT), ("kind", _TEXT), ("actor", _TEXT), ("target", _TEXT), ("detail", _TEXT),
    ]),
}
TABLES = tuple(f"{name}.parquet" for name in SCHEMAS)

#: One name for one number: every column of ``steps.parquet`` with its meaning in plain English. The
#: command line, the demo, the report and the figures show a figure as its column name (the name ``query``
#: takes) with this meaning, never under another name. Power and concentration are those measured at
#: the step's start, payments the step's, counts, budgets and debt those at its end (docs/simulation.md).
STEP_COLUMNS = {
    "step": "the step, numbered from 0",
    "gini": "Gini coefficient of the top-level actors' power shares",
    "hhi": "HHI (sum of squared power shares) of all top-level actors, the public included",
    "top1_share": "power share of the most powerful top-level actor",
    "top5_share": "power share of the 5 most powerful top-level actors, the public included",
    "private_hhi": "HHI of private top-level actors' shares of all power (public actors left out)",
    "private_top5_share": "share of all power held by the 5 most powerful private top-level actors",
    "public_infrastructures": "infrastructures owned by public actors",
    "private_infrastructures": "infrastructures owned by private actors",
    "private_route_share": "share of dependencies routed through private infrastructure",
    "privatized": "public infrastructures sold to private owners so far",
    "formerly_public_private_share": "share of the infrastructure the public built or first owned now private",
    "total_paid": "payments in the step",
    "to_world": "payments to outside the network in the step",
    "unpaid_care_value": "value of unpaid care in the step",
    "public_budget": "the public account's budget (negative: arrears)",
    "public_debt": "public debt",
    "borrowed": "public borrowing in the step (the name before issue 17; equals public_borrowing)",
    "public_borrowing": "public borrowing in the step, for every purpose",
    "public_interest": "interest charged on the public debt in the step (rate x the debt at the step's start)",
    "public_investment": "public spending on building and extending infrastructure in the step",
    "public_subsidies": "public subsidies paid to private infrastructure owners in the step",
    "public_tax_cuts": "tax cuts paid out to private actors in the step",
    "public_rescue": "public payments of insolvent private actors' arrears in the step",
    "built": "investment moves made in the step",
    "adopted": "reroutings adopted in the step",
    "n_actors": "actors",
    "n_dependencies": "dependencies",
    "n_needs": "needs (unmet dependencies)",
}

#: The figures ``dependencia simulate`` prints for the last step, and the demo beside each other.
SUMMARY_COLUMNS = ("top5_share", "hhi", "private_top5_share", "private_hhi", "public_infrastructures",
                   "private_infrastructures", "privatized", "formerly_public_private_share", "public_debt")


def summary_value(value: Any) -> str:
    """A figure of the summary as printed: integers whole, other numbers with 4 significant digits.

    Examples
    --------
    >>> summary_value(3), summary_value(0.61587), summary_value(12.0)
    ('3', '0.6159', '12')
    """
    number = float(value)
    return f"{int(number)}" if number.is_integer() and abs(number) < 1e15 else f"{number:.4g}"


def summary_lines(last: Any) -> list[str]:
    """The last step's row (a mapping or Series of ``steps`` columns) as lines ``name  value  meaning``.

    Examples
    --------
    >>> summary_lines({"top5_share": 0.9, "hhi": 0.25, "privatized": 2})[1]
    '  hhi         0.25  HHI (sum of squared power shares) of all top-level actors, the public included'
    """
    names = [c for c in SUMMARY_COLUMNS if c in last]
    width = max(map(len, names), default=0)
    values = [summary_value(last[c]) for c in names]
    value_width = max(map(len, values), default=0)
    return [f"  {c:<{width}}  {v:>{value_width}}  {STEP_COLUMNS[c]}" for c, v in zip(names, values)]


@dataclass
class Recorder:
    """Collects the rows of every step; renders the tables."""

    steps: list[dict[str, Any]] = field(default_factory=list)
    actors: list[pd.DataFrame] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)

    def event(self, step: int, kind: str, actor: str | None, target: str | None, **detail: Any) -> None:
        """Record one event; ``detail`` becomes a JSON object with sorted keys."""
        if kind not in EVENT_KINDS:
            raise ValueError(f"unknown event kind {kind!r}")
        self.events.append({"step": step, "kind": kind, "actor": actor, "target": target,
                            "detail": json.dumps(detail, sort_keys=True, allow_nan=False, default=_plain)})

    def frames(self) -> dict[str, pd.DataFrame]:
        """The three tables as pandas DataFrames (in the schemas' column order)."""
        actors = pd.concat(self.actors, ignore_index=True) if self.actors else None
        return {
            "steps": _frame(self.steps, "steps"),
            "actors": _frame(actors, "actors"),
            "events": _frame(self.events, "events"),
        }

    def to_bytes(self) -> dict[str, bytes]:
        """Each table as Parquet bytes, keyed by file name."""
        return {f"{name}.parquet": parquet_bytes(frame, name) for name, frame in self.frames().items()}

    @classmethod
    def from_bytes(cls, tables: dict[str, bytes]) -> Recorder:
        """The rows recorded before a checkpoint, read back."""
        frames = {name: pq.read_table(io.BytesIO(tables[f"{name}.parquet"])).to_pandas() for name in SCHEMAS}
        recorder = cls()
        recorder.steps = _rows(frames["steps"])
        recorder.actors = [frames["actors"]] if len(frames["actors"]) else []
        recorder.events = _rows(frames["events"])
        return recorder


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: (None if v is None or (isinstance(v, float) and v != v and k in ("actor", "target")) else v)
             for k, v in row.items()} for row in frame.astype(object).to_dict(orient="records")]


def _frame(rows: Any, name: str) -> pd.DataFrame:
    schema = SCHEMAS[name]
    if rows is None or (isinstance(rows, list) and not rows):
        return schema.empty_table().to_pandas()
    frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows)
    return frame[schema.names]


def parquet_bytes(frame: pd.DataFrame, name: str) -> bytes:
    """A table as Parquet bytes with its fixed schema (same values, same bytes)."""
    table = pa.Table.from_pandas(frame, schema=SCHEMAS[name], preserve_index=False).replace_schema_metadata(None)
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd", write_statistics=True)
    return buffer.getvalue()


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(value) if isinstance(value, (set, frozenset)) else list(value)
    raise TypeError(f"not JSON serializable: {type(value).__name__}")
