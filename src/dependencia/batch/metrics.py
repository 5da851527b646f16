"""An experiment's outcome metrics: what each name means, its check, and its value in one run.

A metric is read from a run folder (docs/simulation.md#results-the-run-folder) at the end of the run:

- ``COLUMN``: a ``steps.parquet`` column at the last step (a stock: ``private_hhi``);
- ``sum:COLUMN``: the column summed over every step (a flow: ``sum:public_investment``);
- ``power_share:A+B+...``: the named actors' combined ``power_share`` in the aggregate
  (dimension ``*``) of ``actors.parquet`` at the last step; an actor absent then (it
  exited) counts 0. It states a finding about named actors ("the cloud owners' share")
  without a column for them.

Examples
--------
>>> metric_column("sum:public_investment"), share_actors("power_share:amazon+google")
('public_investment', ('amazon', 'google'))
>>> def fail(key, message): return ValueError(f"{key}: {message}")
>>> check_metrics(["hhi", "power_share:a+b"], fail, actors=["a", "b"])
('hhi', 'power_share:a+b')
>>> check_metrics(["power_share:a+z"], fail, actors=["a", "b"])
Traceback (most recent call last):
...
ValueError: metrics: power_share:a+z names 'z', not an actor of the scenario
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import shown
from ..simulation.results import SCHEMAS

__all__ = ["SHARE_PREFIX", "SUM_PREFIX", "check_metrics", "metric_column", "run_metrics", "share_actors"]

#: ``sum:COLUMN`` is the column summed over every step of a run.
SUM_PREFIX = "sum:"
#: ``power_share:A+B`` is the named actors' combined power share at the last step.
SHARE_PREFIX = "power_share:"


def metric_column(metric: str) -> str:
    """The ``steps.parquet`` column behind a steps metric (``sum:public_investment`` -> ``public_investment``)."""
    return metric[len(SUM_PREFIX):] if metric.startswith(SUM_PREFIX) else metric


def share_actors(metric: str) -> tuple[str, ...]:
    """The actors a ``power_share:`` metric names (empty for any other metric)."""
    return tuple(metric[len(SHARE_PREFIX):].split("+")) if metric.startswith(SHARE_PREFIX) else ()


def check_metrics(value: Any, fail: Callable[[str, str], Exception], actors: Collection[str]) -> tuple[str, ...]:
    """The metrics of a spec, each a steps column, ``sum:`` one, or ``power_share:`` of the scenario's actors."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise fail("metrics", "must be a non-empty list of steps.parquet columns")
    numeric = [f.name for f in SCHEMAS["steps"] if f.name != "step"]
    for name in value:
        if isinstance(name, str) and name.startswith(SHARE_PREFIX):
            named = share_actors(name)
            if len(set(named)) != len(named):
                raise fail("metrics", f"{name} names an actor twice")
            missing = next((actor for actor in named if actor not in actors), None)
            if missing is not None:
                raise fail("metrics", f"{name} names {missing!r}, not an actor of the scenario")
        elif not isinstance(name, str) or metric_column(name) not in numeric:
            raise fail("metrics", f"{shown(name)} is not a steps.parquet column, sum: and one, or "
                                  f"{SHARE_PREFIX}ACTOR+ACTOR ({', '.join(numeric)})")
    if len(set(value)) != len(value):
        raise fail("metrics", "lists a metric twice")
    return tuple(value)


def run_metrics(run: Path, metrics: Sequence[str]) -> dict[str, float]:
    """Every metric's value in the complete run folder ``run`` (NaN for a run that recorded no step)."""
    values = dict.fromkeys(metrics, math.nan)
    of_steps = [name for name in metrics if not name.startswith(SHARE_PREFIX)]
    if of_steps:
        columns = sorted({metric_column(name) for name in of_steps})
        steps = pd.read_parquet(run / "steps.parquet", columns=["step", *columns]).sort_values("step")
        if len(steps):
            for name in of_steps:
                column = steps[metric_column(name)]
                values[name] = float(column.sum() if name.startswith(SUM_PREFIX) else column.iloc[-1])
    shares = [name for name in metrics if name.startswith(SHARE_PREFIX)]
    if shares:
        actors = pd.read_parquet(run / "actors.parquet", columns=["step", "actor", "dimension", "power_share"],
                                 filters=[("dimension", "==", "*")])
        if len(actors):
            last = actors[actors["step"] == actors["step"].max()].set_index("actor")["power_share"]
            values.update({name: float(last.reindex(list(share_actors(name))).fillna(0.0).sum())
                           for name in shares})
    return values
