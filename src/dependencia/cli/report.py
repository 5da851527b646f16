"""The ``report`` command: the self-contained HTML report of a network, a run, or two side by side.

A plain function; :mod:`dependencia.cli` registers it as a command.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..base.constants import LABEL_TOP, MAX_NODES, TOP_ACTORS  # = report.data's, without loading it for `--help`
from .console import progress
from .options import (
    ActorsOpt,
    ControlOpt,
    ControlThresholdOpt,
    InfrastructuresOpt,
    OwnershipOpt,
    SchedulerOpt,
    StrictOpt,
    WorkersOpt,
    check_parallel,
    load_network,
)

if TYPE_CHECKING:  # pandas stays unloaded for `--help`
    from ..network.model import Network


def report(
    source: Annotated[str, typer.Argument(metavar="NETWORK_OR_RUN_DIR",
                                          help="A network file, a shipped example, a complete run folder, "
                                               "or an experiment folder (its effects page).")],
    other: Annotated[Optional[str], typer.Argument(metavar="[RUN_DIR]",
                                                   help="A second run (or network), shown beside the first.")] = None,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="The HTML file to write.",
                                                   show_default="report.html")] = None,
    actors: ActorsOpt = None,
    infrastructures: InfrastructuresOpt = None,
    ownership: OwnershipOpt = None,
    control: ControlOpt = None,
    control_threshold: ControlThresholdOpt = None,
    strict: StrictOpt = False,
    title: Annotated[Optional[str], typer.Option("--title", help="The page's title.")] = None,
    max_nodes: Annotated[int, typer.Option("--max-nodes", min=1, help="Above this many nodes the network view "
                                           "shows the most powerful actors and their neighbours.")] = MAX_NODES,
    top: Annotated[int, typer.Option("--top", min=1, help="Actors kept by power in such a reduced view.")] = TOP_ACTORS,
    label_top: Annotated[int, typer.Option("--label-top", min=0, help="Name this many of the most powerful actors "
                                           "in the network view (the rest on hover).")] = LABEL_TOP,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Seed of the network layout.")] = 0,
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress display.")] = False,
) -> None:
    """Write one self-contained HTML report (works offline): network view, charts, sortable table, run summary."""
    from ..report.html import report as build_report

    check_parallel(workers, scheduler)
    target = output or Path("report.html")
    if other is None and (Path(source) / "effects.parquet").is_file():  # an experiment folder: its own page
        from ..report.experiment_page import experiment_page

        page_text = experiment_page(source, out=target, title=title)
        typer.echo(f"wrote {target} ({len(page_text.encode()) / 2**20:.1f} MiB)", err=True)
        return
    items: list[Network | Path] = []
    labels: list[str | None] = []
    for item in (source, other):
        if item is None:
            continue
        path = Path(item)
        if path.is_dir():
            from ..batch.sweep import refuse_sweep_folder

            refuse_sweep_folder(path)  # a sweep folder is neither a run nor a CSV bundle: say what to pass
        side_files = actors is not None or infrastructures is not None
        if side_files or not (path.is_dir() and (path / "manifest.json").exists()):  # a network file or an example
            items.append(load_network(item, actors, infrastructures, ownership=ownership, control=control,
                       control_threshold=control_threshold, strict=strict))
            labels.append(path.name if path.exists() else item)
        else:
            items.append(path)
            labels.append(None)
    with progress("measuring and drawing", quiet=quiet) as advance:
        page = build_report(*items, out=target, title=title, labels=labels, seed=seed, max_nodes=max_nodes, top=top,
                            label_top=label_top, workers=workers, scheduler=scheduler, progress=advance)
    typer.echo(f"wrote {target} ({len(page.html.encode()) / 2**20:.1f} MiB)", err=True)
