"""Compact HTML summaries for Jupyter (``_repr_html_``): static, escaped, no JavaScript.

Every string that comes from the user (scenario names, actor ids) passes
through :func:`html.escape`; numbers are formatted by Python. The sparkline
is an inline SVG polyline built from numbers only.

Examples
--------
>>> sparkline([0.5, 1.0, 0.0], width=40, height=10)[:4]
'<svg'
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

__all__ = ["run_html", "sparkline"]

TOP = 5


def sparkline(values: Sequence[float], *, width: int = 120, height: int = 24, label: str = "") -> str:
    """A tiny inline SVG line of ``values`` (NaN skipped), scaled to [min, max] of the finite values.

    Parameters
    ----------
    values : sequence of float
    width, height : int
        Size in pixels.
    label : str
        Text for screen readers (escaped).

    Returns
    -------
    str
        An ``<svg>`` element, or an empty string when fewer than two values
        are finite.
    """
    v = np.asarray(values, dtype=float)
    steps = np.flatnonzero(np.isfinite(v))
    if len(steps) < 2:
        return ""
    low, high = float(v[steps].min()), float(v[steps].max())
    span = high - low if high > low else 1.0
    pad = 2.0
    xs = pad + (width - 2 * pad) * steps / max(len(v) - 1, 1)
    ys = pad + (height - 2 * pad) * (1.0 - (v[steps] - low) / span)
    if high == low:
        ys = np.full(len(steps), height / 2.0)
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys))
    title = html.escape(label)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{title}" style="vertical-align:middle">'
            f'<polyline fill="none" stroke="#0072B2" stroke-width="1.5" points="{points}"/></svg>')


def run_html(manifest: dict, steps: pd.DataFrame, actors: pd.DataFrame, directory: Path | None) -> str:
    """A compact summary of a run: scenario, seed, steps, last-step concentration, top actors, a sparkline.

    The top actors are the five with the highest aggregate power share at
    the last step (ties by id).
    """
    from .series import last_step, order_by_value

    manifest = manifest or {}
    rows = [("scenario", _escape(manifest.get("scenario") or "(none)")),
            ("seed", _escape(manifest.get("seed"))),
            ("steps", _escape(len(steps)))]
    if directory is not None:
        rows.append(("folder", _escape(directory)))
    if len(steps):
        last = steps.iloc[-1]
        parts = [f"{column} {_number(last[column])}" for column in ("gini", "hhi", "top5_share")
                 if column in steps.columns]  # the steps.parquet column names
        rows.append((f"concentration at step {int(last['step'])}", _escape(", ".join(parts))))
    if "top5_share" in steps.columns and len(steps) > 1:
        series = steps["top5_share"].to_numpy(dtype=float)
        line = sparkline(series, label="top5_share over the steps")
        rows.append(("top5_share over the steps",
                     f"{line} {_number(series[0])} &rarr; {_number(series[-1])}"))
    top = ""
    if len(actors) and {"dimension", "power", "power_share"} <= set(actors.columns):
        final = last_step(actors)
        leaders = final.iloc[order_by_value(final["power_share"], final["actor"])[:TOP]]
        cells = "".join(f"<tr><td>{_escape(a)}</td><td style='text-align:right'>{_number(s)}</td></tr>"
                        for a, s in zip(leaders["actor"], leaders["power_share"]))
        top = (f"<table><caption>top {len(leaders)} actors by power at the last step</caption>"
               f"<tr><th style='text-align:left'>actor</th><th style='text-align:right'>power share</th></tr>"
               f"{cells}</table>")
    head = "".join(f"<tr><th style='text-align:left'>{_escape(k)}</th><td>{v}</td></tr>" for k, v in rows)
    return f"<div><table><caption>dependencia Run</caption>{head}</table>{top}</div>"


def _escape(value: object) -> str:
    return html.escape(str(value), quote=True)


def _number(value: object) -> str:
    x = float(value)  # type: ignore[arg-type]
    return "" if not math.isfinite(x) else f"{x:.3g}"
