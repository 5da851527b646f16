"""The ``experiment`` command: a treatment against a control over seeds (docs/experiments.md).

A plain function; :mod:`dependencia.cli` registers it as a command.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from .console import emit, progress, render_table
from .options import Format, FormatOpt, SchedulerOpt, WorkersOpt, check_parallel

_SHOWN = ("n", "control_mean", "treatment_mean", "mean", "median", "low", "high", "share_positive",
          "share_negative", "effect_size")


def experiment(
    spec: Annotated[Path, typer.Argument(metavar="SPEC", help="An experiment spec (YAML): scenario, steps, seeds, "
                                                             "paired, control, treatment, fixed, metrics, "
                                                             "bootstrap, sensitivity.")],
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    out: Annotated[
        Optional[Path],
        typer.Option("--out", help="Experiment folder (default experiments/SPEC_NAME); a rerun skips the runs "
                                   "already complete."),
    ] = None,
    format: FormatOpt = Format.table,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
) -> None:
    """Run a control and a treatment arm over seeds; write effects with intervals (and sensitivity) tables."""
    from ..batch.experiment import experiment as run_experiment

    check_parallel(workers, scheduler, local_cluster=True)
    folder = Path("experiments") / spec.stem if out is None else out
    with progress("runs", quiet=quiet, eta=True, fields=("failed",)) as advance:
        report = None if advance is None else (lambda done, failed, total: advance(done, total, failed=failed))
        result = run_experiment(spec, out=folder, workers=workers, scheduler=scheduler, progress=report)
    runs = result.runs
    failed = runs[runs["status"] == "failed"]
    tables = "runs, outcomes, differences, effects" + (", sensitivity, sign_regions"
                                                       if result.sensitivity is not None else "")
    typer.echo(f"wrote {folder}: {len(runs)} runs, {len(runs) - len(failed)} complete ({result.skipped} already "
               f"complete before), {len(failed)} failed; {tables} (.parquet), summary.md", err=True)
    for run_id, error in failed["error"].head(5).items():
        typer.echo(f"  failed {run_id}: {error}", err=True)
    if len(failed) > 5:
        typer.echo(f"  ... and {len(failed) - 5} more (see runs.parquet)", err=True)
    effects = result.effects.reset_index()
    if format is Format.json:
        from ..base.output import records

        document = {"effects": records(effects, index=False),
                    "sensitivity": [] if result.sensitivity is None else records(result.sensitivity, index=False)}
        emit(json.dumps(document, allow_nan=False) + "\n", None)
    elif format is Format.csv:
        from ..base.output import to_csv

        emit(to_csv(effects, index=False), None)
    else:
        kind = str(effects["effect_size_kind"].iloc[0]) if len(effects) else ""
        shown = result.effects[list(_SHOWN)]
        render_table("effects (treatment minus control)", shown,
                     f"95% bootstrap intervals; effect size {kind}; {folder / 'summary.md'}", to_file=False,
                     names_as_is=True)
