"""An experiment's ``summary.md``: its settings and tables in markdown, every number formatted one way.

Numbers are shown with 4 significant digits (``format_number``), shares as
such (0.9 is 90% of the seeds), NaN as ``n/a``. The text is made from the
tables alone, so that it can be quoted and checked against them.

Examples
--------
>>> format_number(0.123456), format_number(float("nan")), format_number(12345.0), format_number(-0.0)
('0.1235', 'n/a', '1.234e+04', '0')
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from .experiment_spec import ExperimentSpec

__all__ = ["format_number", "summary_markdown"]


def format_number(value: Any) -> str:
    """A number with 4 significant digits; ``n/a`` for NaN, ``inf``/``-inf`` for infinities; a list as ``[a, b]``;
    others as text."""
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(format_number(item) for item in value) + "]"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "n/a"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return f"{value + 0.0:.4g}"  # + 0.0: no "-0"
    return str(value)


def _cell(value: Any) -> str:
    if hasattr(value, "item"):
        value = value.item()
    return format_number(value).replace("|", "\\|").replace("\n", " ")


def _table(frame: pd.DataFrame, columns: Sequence[str]) -> list[str]:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for _, row in frame.iterrows():
        lines.append("| " + " | ".join(_cell(row[c]) for c in columns) + " |")
    return lines


def _settings(values: Mapping[str, Any]) -> str:
    return ", ".join(f"`{k}={format_number(v)}`" for k, v in values.items()) or "the scenario's settings"


def _seeds(seeds: Iterable[int]) -> str:
    seeds = list(seeds)
    if len(seeds) == 1:
        return f"1 seed ({seeds[0]})"
    if seeds == list(range(seeds[0], seeds[0] + len(seeds))):
        return f"{len(seeds)} seeds ({seeds[0]} to {seeds[-1]})"
    return f"{len(seeds)} seeds ({', '.join(map(str, seeds))})"


def summary_markdown(spec: ExperimentSpec, tables: Mapping[str, pd.DataFrame]) -> str:
    """The markdown summary of an experiment from its tables (``runs``, ``effects``, optional ``sensitivity``)."""
    runs, effects = tables["runs"], tables["effects"]
    failed = int((runs["status"] == "failed").sum())
    lines = [
        f"# Experiment: {spec.scenario}",
        "",
        f"- scenario: `{spec.scenario}`, {spec.steps} steps; metrics read at the last step (`sum:` ones summed over the steps)",
        f"- control: {_settings(spec.control)}",
        f"- treatment: {_settings(spec.treatment)}",
        f"- both arms: {_settings(spec.fixed)}",
        f"- control seeds: {_seeds(spec.seeds)}; treatment seeds: "
        + ("the same (paired by seed)" if spec.paired else _seeds(spec.treatment_seeds) + " (unpaired)"),
        f"- runs: {len(runs)}, of which {failed} failed",
        "",
        "## Effects (treatment minus control)",
        "",
        "`mean` and `median` of the " + ("paired differences" if spec.paired else "arms' difference")
        + f"; `low`, `high`: 95% percentile bootstrap interval of the mean ({spec.resamples} resamples, "
        f"seed {spec.bootstrap_seed}); shares of "
        + ("seeds" if spec.paired else "all (control, treatment) combinations")
        + " with a positive, negative or zero difference; effect size: "
        + ("Cohen's d_z (mean difference over its standard deviation)." if spec.paired
           else "Hedges' g (difference of means over the pooled standard deviation, small-sample corrected)."),
        "",
        *_table(effects, ["metric", "n", "control_mean", "treatment_mean", "mean", "median", "low", "high",
                          "share_positive", "share_negative", "share_zero", "effect_size"]),
        "",
        "![effects](effects.svg)",
        "",
    ]
    if "sensitivity" in tables:
        lines += _sensitivity_section(spec, tables["sensitivity"], tables["sign_regions"])
    return "\n".join(lines)


def _sensitivity_section(spec: ExperimentSpec, indices: pd.DataFrame, regions: pd.DataFrame) -> list[str]:
    sens = spec.sensitivity
    assert sens is not None
    ranges = ", ".join(f"`{r.key}` " + (f"in [{format_number(r.low)}, {format_number(r.high)}]" if r.levels is None
                                        else "over " + ", ".join(format_number(v) for v in r.levels))
                       for r in sens.ranges)
    lines = [
        "## Sensitivity of the effect",
        "",
        f"Parameters: {ranges}; methods: {', '.join(sens.methods)}; {_seeds(sens.seeds)} per point; "
        f"design seed {sens.seed}. The output is the effect (treatment minus control) at each point.",
        "",
    ]
    for method in sens.methods:
        rows = indices[indices["method"] == method]
        columns = (["metric", "parameter", "mu_star", "mu_star_conf", "sigma", "mu"] if method == "morris"
                   else ["metric", "parameter", "s1", "s1_conf", "st", "st_conf"])
        lines += [f"### {method.capitalize()}", "", *_table(rows, columns), ""]
    flips = regions[regions["flips"]]
    lines += ["### Where the effect's sign flips", ""]
    if len(flips):
        lines += ["Regions of a parameter's range in which the mean effect has the sign opposite to the main "
                  "effect's:", "",
                  *_table(flips, ["metric", "method", "parameter", "region", "n_points", "mean_effect",
                                  "main_effect", "share_opposite"]), ""]
    else:
        lines += ["In no region of any parameter does the mean effect have the sign opposite to the main effect's.",
                  ""]
    lines += ["![sensitivity](sensitivity.svg)", ""]
    return lines
