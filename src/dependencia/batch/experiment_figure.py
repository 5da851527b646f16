"""The figures of an experiment: the effect's interval per metric, and the sensitivity indices as bars.

Both are SVG written with fixed metadata and ids (no date, a fixed hash
salt), so the same tables give the same bytes; the batch layer sits below
the report, so the few settings that make it so are repeated here from
``report/figure_style.py``.

Examples
--------
>>> import tempfile, pathlib
>>> import pandas as pd
>>> effects = pd.DataFrame({"metric": ["hhi"], "mean": [0.1], "low": [0.05], "high": [0.2]})
>>> path = pathlib.Path(tempfile.mkdtemp()) / "effects.svg"
>>> effects_figure(effects, path)
>>> path.read_bytes().startswith(b"<?xml")
True
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..base.atomic import write_atomic

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["effects_figure", "sensitivity_figure"]

_STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 9.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "legend.fontsize": 8.0,
    "svg.hashsalt": "dependencia",
    "svg.id": "dependencia",
    "svg.fonttype": "path",
}
_BLUE, _ORANGE, _GREY = "#0072B2", "#D55E00", "#7F7F7F"  # Okabe and Ito's palette, as the report's figures


def _save(figure: Figure, path: str | os.PathLike[str]) -> None:
    from matplotlib import rc_context

    def write(stream: Any) -> None:
        with rc_context(_STYLE):  # type: ignore[arg-type]  # matplotlib's stubs want literal keys
            figure.savefig(stream, format="svg", metadata={"Date": None, "Creator": "dependencia"})

    write_atomic(path, write)


def _text(value: object) -> str:
    """A label shown literally: matplotlib would read ``$...$`` as mathematics."""
    return str(value).replace("\\", "\\\\").replace("$", r"\$")


def _figure(width: float, height: float) -> Figure:
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    with rc_context(_STYLE):  # type: ignore[arg-type]
        return Figure(figsize=(width, height), layout="constrained")


def effects_figure(effects: pd.DataFrame, path: str | os.PathLike[str]) -> None:
    """One row per metric: the mean effect (a dot) and its 95% interval (a line), against a line at 0.

    Each metric has its own horizontal scale (metrics have their own units).
    """
    from matplotlib import rc_context

    metrics = list(effects["metric"])
    figure = _figure(6.0, 0.3 + 0.7 * max(len(metrics), 1))
    with rc_context(_STYLE):  # type: ignore[arg-type]
        axes = figure.subplots(max(len(metrics), 1), 1, squeeze=False)[:, 0]
        for ax, (_, row) in zip(axes, effects.iterrows()):
            low, high, mean = (float(row[name]) for name in ("low", "high", "mean"))
            ax.axvline(0.0, color=_GREY, linewidth=0.8)
            if math.isfinite(low) and math.isfinite(high):
                ax.plot([low, high], [0, 0], color=_BLUE, linewidth=2.0, solid_capstyle="butt")
            if math.isfinite(mean):
                ax.plot([mean], [0], "o", color=_BLUE, markersize=5)
            span = [v for v in (low, high, mean, 0.0) if math.isfinite(v)]
            pad = (max(span) - min(span)) * 0.1 or 1.0
            ax.set_xlim(min(span) - pad, max(span) + pad)
            ax.set_yticks([0], [_text(row["metric"])])
            ax.set_ylim(-1, 1)
            ax.set_axisbelow(True)
            ax.grid(axis="y", visible=False)
        axes[0].set_title("effect (treatment minus control), mean and 95% bootstrap interval", fontsize=9)
    _save(figure, path)


def sensitivity_figure(indices: pd.DataFrame, path: str | os.PathLike[str]) -> None:
    """Bars per metric (rows) and method (columns): Morris' mu* (with its interval), Sobol's S1 and ST."""
    from matplotlib import rc_context

    metrics = list(dict.fromkeys(indices["metric"]))
    methods = list(dict.fromkeys(indices["method"]))
    figure = _figure(4.0 * len(methods), 0.6 + 1.8 * len(metrics))
    with rc_context(_STYLE):  # type: ignore[arg-type]
        axes = figure.subplots(len(metrics), len(methods), squeeze=False)
        for i, metric in enumerate(metrics):
            for j, method in enumerate(methods):
                ax = axes[i, j]
                rows = indices[(indices["metric"] == metric) & (indices["method"] == method)]
                names = [_text(p) for p in rows["parameter"]]
                y = np.arange(len(names), dtype=float)
                if method == "morris":
                    ax.barh(y, rows["mu_star"].fillna(0.0), xerr=rows["mu_star_conf"].fillna(0.0), color=_BLUE,
                            height=0.6, error_kw={"linewidth": 0.8})
                    ax.set_xlabel("Morris mu* (effect change over the range)")
                else:
                    ax.barh(y - 0.18, rows["st"].fillna(0.0), xerr=rows["st_conf"].fillna(0.0), color=_BLUE,
                            height=0.36, label="total order ST", error_kw={"linewidth": 0.8})
                    ax.barh(y + 0.18, rows["s1"].fillna(0.0), xerr=rows["s1_conf"].fillna(0.0), color=_ORANGE,
                            height=0.36, label="first order S1", error_kw={"linewidth": 0.8})
                    ax.set_xlabel("Sobol index (share of the effect's variance)")
                    if i == 0 and j == len(methods) - 1:
                        figure.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncols=2)
                ax.set_yticks(y, names if j == 0 else [""] * len(names))
                ax.set_axisbelow(True)
                ax.invert_yaxis()
                ax.grid(axis="y", visible=False)
                ax.set_title(_text(f"{metric} ({method})"), fontsize=9)
    _save(figure, Path(path))
