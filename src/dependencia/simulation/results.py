"""The tables of a run (ARCHITECTURE §2.3) and how they are written.

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

EVENT_KINDS = ("build", "reroute", "adopt", "spillover", "decay", "privatize", "insolvency", "divest", "policy")

_INT, _FLOAT, _TEXT = pa.int64(), pa.float64(), pa.string()
SCHEMAS = {
    "steps": pa.schema([
        ("step", _INT), ("gini", _FLOAT), ("hhi", _FLOAT), ("top1_share", _FLOAT), ("top5_share", _FLOAT),
        ("private_hhi", _FLOAT), ("private_top5_share", _FLOAT),
        ("public_infrastructures", _INT), ("private_infrastructures", _INT), ("private_route_share", _FLOAT),
        ("privatized", _INT), ("formerly_public_private_share", _FLOAT), ("total_paid", _FLOAT),
        ("to_world", _FLOAT), ("unpaid_care_value", _FLOAT), ("public_budget", _FLOAT), ("public_debt", _FLOAT),
        ("borrowed", _FLOAT), ("built", _INT), ("adopted", _INT), ("n_actors", _INT), ("n_dependencies", _INT),
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
