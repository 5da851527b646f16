"""The ``sweep`` command: parameter sweeps and seed ensembles (docs/cli.md, ``dependencia sweep``).

A plain function; :mod:`dependencia.cli` registers it as a command.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .console import progress
from .options import SchedulerOpt, WorkersOpt, check_parallel


def sweep(
    spec: Annotated[Path, typer.Argument(metavar="SPEC", help="A sweep spec (YAML): scenario, steps, seeds, design, "
                                                             "vary, fixed, outcomes.")],
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    out: Annotated[
        Optional[Path],
        typer.Option("--out", help="Sweep folder (default sweeps/SPEC_NAME); a rerun skips the runs already complete."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
) -> None:
    """Run a scenario over a grid or Latin hypercube of parameters and seeds; write runs and summary tables.

    --scheduler dask starts a local cluster of --workers processes; on a cluster at an address the workers
    must see the --out folder.
    """
    from ..batch.sweep import sweep as run_sweep

    check_parallel(workers, scheduler, local_cluster=True)
    folder = Path("sweeps") / spec.stem if out is None else out
    with progress("runs", quiet=quiet, eta=True, fields=("failed",)) as advance:
        report = None if advance is None else (lambda done, failed, total: advance(done, total, failed=failed))
        runs = run_sweep(spec, out=folder, workers=workers, scheduler=scheduler, progress=report)
    failed = runs[runs["status"] == "failed"]
    skipped = runs.attrs.get("skipped", 0)
    line = (f"wrote {folder}: {len(runs)} runs, {len(runs) - len(failed)} complete "
            f"({skipped} already complete before), {len(failed)} failed; runs.parquet, summary.parquet")
    typer.echo(line, err=True)
    for run_id, error in failed["error"].head(5).items():
        typer.echo(f"  failed {run_id}: {error}", err=True)
    if len(failed) > 5:
        typer.echo(f"  ... and {len(failed) - 5} more (see runs.parquet)", err=True)
