"""The report page of an experiment folder (``dependencia report DIR`` on an experiment; docs/experiments.md).

One self-contained HTML page that works offline: the effects table, the
effect figure, and, when the experiment had a sensitivity analysis, its
indices, the regions where the effect's sign flips and its figure. Every
value goes through Jinja2's autoescaping; the figures (the folder's own SVG
files) are embedded as ``data:`` images, which run no script.

Examples
--------
>>> import tempfile
>>> from dependencia.batch.experiment import experiment
>>> folder = tempfile.mkdtemp()
>>> spec = {"scenario": "platform", "steps": 2, "seeds": 2, "metrics": ["hhi"],
...         "treatment": {"infrastructure.build_cost": 50.0}}
>>> _ = experiment(spec, out=folder, workers=1)
>>> "<h2>Effects" in experiment_page(folder)
True
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pandas as pd

from ..base.atomic import write_text_atomic
from ..batch.experiment import is_experiment_folder
from ..batch.experiment_summary import format_number
from ..errors import UsageError

__all__ = ["experiment_page"]

_EFFECT_COLUMNS = ("metric", "n", "control_mean", "treatment_mean", "mean", "median", "low", "high",
                   "share_positive", "share_negative", "share_zero", "effect_size")
_MORRIS = ("metric", "parameter", "mu_star", "mu_star_conf", "sigma", "mu")
_SOBOL = ("metric", "parameter", "s1", "s1_conf", "st", "st_conf")
_FLIPS = ("metric", "method", "parameter", "region", "n_points", "mean_effect", "main_effect", "share_opposite")

_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>{{ title }}</title>
<style>
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 14px; margin: 2em auto; max-width: 72em;
       color: #222; padding: 0 1em; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25em 0.6em; text-align: right; }
th:first-child, td:first-child, td.text { text-align: left; }
th { background: #f4f4f4; }
img { max-width: 100%; }
p.note { color: #555; }
</style>
</head>
<body>
<h1>{{ title }}</h1>
<p class="note">{{ runs }} runs ({{ failed }} failed); {{ arms }}. Effects are treatment minus control at the last step
(<code>sum:</code> metrics: summed over the steps), with 95% percentile bootstrap intervals; effect size {{ effect_kind }}.</p>
<h2>Effects (treatment minus control)</h2>
{% for table in [effects] %}{% include "table" %}{% endfor %}
{% if effects_figure %}<p><img alt="effect interval per metric" src="{{ effects_figure }}"></p>{% endif %}
{% if sensitivity %}
<h2>Sensitivity of the effect</h2>
{% for name, table in sensitivity %}<h3>{{ name }}</h3>{% include "table" %}{% endfor %}
<h3>Where the effect's sign flips</h3>
{% if flips.rows %}{% for table in [flips] %}{% include "table" %}{% endfor %}
{% else %}<p>In no region of any parameter does the mean effect have the sign opposite to the main effect's.</p>
{% endif %}
{% if sensitivity_figure %}<p><img alt="sensitivity indices" src="{{ sensitivity_figure }}"></p>{% endif %}
{% endif %}
<p class="note">dependencia {{ version }}; the tables are in {{ folder }}.</p>
</body>
</html>
"""
_TABLE = """<table>
<thead><tr>{% for name in table.columns %}<th>{{ name }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in table.rows %}<tr>{% for cell in row %}<td{% if loop.index > 1 and cell.text %} class="text"\
{% endif %}>{{ cell.value }}</td>{% endfor %}</tr>
{% endfor %}</tbody>
</table>
"""


def _table(frame: pd.DataFrame, columns: tuple[str, ...]) -> dict[str, Any]:
    rows = []
    for _, row in frame.iterrows():
        cells = []
        for name in columns:
            value = row[name]
            value = value.item() if hasattr(value, "item") else value
            cells.append({"value": format_number(value), "text": isinstance(value, str)})
        rows.append(cells)
    return {"columns": list(columns), "rows": rows}


def _image(path: Path) -> str | None:
    if not path.is_file():
        return None
    return "data:image/svg+xml;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def experiment_page(folder: str | Path, *, out: str | Path | None = None, title: str | None = None) -> str:
    """The HTML page of the experiment in ``folder``; written to ``out`` (atomically) when given.

    Raises :class:`~dependencia.errors.UsageError` when ``folder`` holds no
    experiment (no ``effects.parquet``).
    """
    from jinja2 import DictLoader, Environment

    from ..base.constants import VERSION

    folder = Path(folder)
    if not is_experiment_folder(folder):
        raise UsageError(f"{folder} is not an experiment folder (no effects.parquet): run dependencia experiment")
    effects = pd.read_parquet(folder / "effects.parquet")
    runs = pd.read_parquet(folder / "runs.parquet", columns=["arm", "seed", "status"])
    paired = bool(effects["paired"].iloc[0]) if len(effects) else True
    context: dict[str, Any] = {
        "title": title or f"Experiment {folder.name}", "version": VERSION, "folder": str(folder),
        "runs": len(runs), "failed": int((runs["status"] == "failed").sum()),
        "arms": "paired by seed" if paired else "unpaired (each arm its own seeds)",
        "effect_kind": str(effects["effect_size_kind"].iloc[0]) if len(effects) else "",
        "effects": _table(effects, _EFFECT_COLUMNS), "effects_figure": _image(folder / "effects.svg"),
        "sensitivity": None, "flips": None, "sensitivity_figure": None,
    }
    if (folder / "sensitivity.parquet").is_file():
        indices = pd.read_parquet(folder / "sensitivity.parquet")
        regions = pd.read_parquet(folder / "sign_regions.parquet")
        context["sensitivity"] = [
            ("Morris" if method == "morris" else "Sobol",
             _table(indices[indices["method"] == method], _MORRIS if method == "morris" else _SOBOL))
            for method in dict.fromkeys(indices["method"])]
        context["flips"] = _table(regions[regions["flips"]], _FLIPS)
        context["sensitivity_figure"] = _image(folder / "sensitivity.svg")
    environment = Environment(loader=DictLoader({"page": _TEMPLATE, "table": _TABLE}), autoescape=True,
                              keep_trailing_newline=True)
    page = environment.get_template("page").render(**context)
    if out is not None:
        write_text_atomic(out, page)
    return page
