"""The ``simulate`` and ``resume`` commands.

Plain functions; :mod:`dependencia.cli` registers them as commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ._console import progress
from .errors import UsageError
from .simulation import Run, Simulation, resume as resume_run
from .simulation.scenario import has_simulation_section, load_scenario, scenario_names


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
    steps: Annotated[Optional[int], typer.Option("--steps", min=0, help="Steps to run (default: the scenario's).")] = None,
    seed: Annotated[Optional[int], typer.Option("--seed", help="Seed (default: the scenario's).")] = None,
    set_: Annotated[
        Optional[list[str]],
        typer.Option("--set", metavar="KEY=VALUE", help="Override a parameter: dotted.key=value (repeatable), "
                                                         "e.g. policies.debt_brake.borrowing_cap=0."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
) -> None:
    """Run the co-evolution of dependencies and infrastructure; write steps, actors and events tables to --out."""
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
    simulation = Simulation(network, config, scenario=scenario)
    with progress("step", quiet=quiet, eta=True) as advance:
        run = simulation.run(total, out=out, progress=advance)
    _summary(run)


def resume(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="A run folder written by simulate.")],
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
) -> None:
    """Continue a killed or unfinished run from its last checkpoint; the tables equal an undisturbed run's."""
    if not directory.is_dir():
        raise UsageError(f"{directory} is not a run folder")
    with progress("step", quiet=quiet, eta=True) as advance:
        run = resume_run(directory, progress=advance)
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
    steps = run.steps
    line = f"wrote {run.directory}: {len(steps)} steps"
    if len(steps):
        last = steps.iloc[-1]
        line += (f"; last step: top-5 share {last['top5_share']:.3g}, HHI {last['hhi']:.3g}, "
                 f"{int(last['public_infrastructures'])} public / {int(last['private_infrastructures'])} private "
                 f"infrastructures, {int(last['privatized'])} privatized")
    typer.echo(line, err=True)
