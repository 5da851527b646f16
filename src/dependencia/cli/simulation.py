"""The ``simulate`` and ``resume`` commands.

Plain functions; :mod:`dependencia.cli` registers them as commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..errors import UsageError
from ..simulation.scenario import has_simulation_section, load_scenario, scenario_names  # light: names for --help
from .console import progress
from .options import SchedulerOpt, WorkersOpt, check_parallel

if TYPE_CHECKING:  # the simulation (pandas, Numba) is imported inside the commands
    from ..simulation import Run


def simulate(
    scenario: Annotated[
        str,
        typer.Argument(metavar="SCENARIO_OR_FILE",
                       help=f"A scenario file (a model file with a simulation: section) or a shipped scenario "
                            f"({', '.join(scenario_names())})."),
    ],
    out: Annotated[
        Optional[Path],
        typer.Option("--out", help="Run folder to write (must not hold a run yet); default runs/NAME-seedS "
                                   "(with -2, -3, ... when that holds a run)."),
    ] = None,
    steps: Annotated[
        Optional[int],
        typer.Option("--steps", min=0, help="Steps to run (default: the scenario's): N steps, numbered 0 to N-1, "
                                            "one row each in steps.parquet."),
    ] = None,
    seed: Annotated[Optional[int], typer.Option("--seed", help="Seed (default: the scenario's).")] = None,
    set_: Annotated[
        Optional[list[str]],
        typer.Option("--set", metavar="KEY=VALUE", help="Override a parameter: dotted.key=value (repeatable), "
                                                         "e.g. policies.debt_brake.borrowing_cap=0."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
) -> None:
    """Run the co-evolution of dependencies and infrastructure; write steps, actors and events tables to --out."""
    from ..simulation import Simulation

    check_parallel(workers, scheduler)
    network, config = load_scenario(scenario)
    if not has_simulation_section(scenario):
        typer.echo(f"note: {scenario} has no simulation: section; running with the defaults (nobody invests "
                   "unless --set investors=... says so)", err=True)
    overrides = list(set_ or [])
    if seed is not None:
        overrides.append(f"seed={seed}")
    config = config.with_overrides(overrides)
    total = config.steps if steps is None else steps
    if out is None:
        out = _default_folder(scenario, config.seed)
    simulation = Simulation(network, config, scenario=scenario, workers=workers, scheduler=scheduler)
    with progress("step", quiet=quiet, eta=True) as advance:
        run = simulation.run(total, out=out, progress=advance)
    _summary(run)


def resume(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="A run folder written by simulate.")],
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
) -> None:
    """Continue a killed or unfinished run from its last checkpoint; the tables equal an undisturbed run's."""
    from ..simulation import resume as resume_run

    check_parallel(workers, scheduler)
    if not directory.is_dir():
        raise UsageError(f"{directory} is not a run folder")
    from ..batch.sweep import is_sweep_folder

    if is_sweep_folder(directory):
        raise UsageError(f"{directory} is a sweep folder: to resume the sweep, run `dependencia sweep SPEC --out "
                         f"{directory}` again (finished runs are kept, unfinished ones resumed)")
    with progress("step", quiet=quiet, eta=True) as advance:
        run = resume_run(directory, progress=advance, workers=workers, scheduler=scheduler)
    if run.already_complete:
        typer.echo(f"{directory}: the run is already complete ({len(run.steps)} steps); nothing to do", err=True)
        return
    _summary(run)


def _default_folder(scenario: str, seed: int) -> Path:
    """runs/NAME-seedS, or the first of runs/NAME-seedS-2, -3, ... that holds no run yet."""
    base = Path("runs") / f"{Path(scenario).stem}-seed{seed}"
    candidate, number = base, 1
    while (candidate / "manifest.json").exists():
        number += 1
        candidate = base.with_name(f"{base.name}-{number}")
    return candidate


def _summary(run: Run) -> None:
    """What ran, then the last row of steps.parquet: each figure by its column name, value and meaning."""
    from ..simulation.results import summary_lines

    steps = run.steps
    if not len(steps):
        typer.echo(f"wrote {run.directory}: 0 steps", err=True)
        return
    last = steps.iloc[-1]
    lines = [f"wrote {run.directory}: {len(steps)} steps (step 0 to {int(last['step'])}); "
             f"step {int(last['step'])}, the last row of steps.parquet:", *summary_lines(last)]
    typer.echo("\n".join(lines), err=True)
