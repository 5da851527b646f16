"""The ``plot`` command: a static figure (PNG, SVG or PDF) of a run or a network.

A plain function; :mod:`dependencia.cli` registers it as a command.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import UsageError


class Kind(str, Enum):
    concentration = "concentration"
    power = "power"
    lorenz = "lorenz"
    network = "network"


def plot(
    source: Annotated[
        str,
        typer.Argument(metavar="RUN_DIR",
                       help="A run folder; for --kind lorenz and network also a NETWORK (a network file or a "
                            "shipped example).", show_default=False),
    ],
    kind: Annotated[
        Kind,
        typer.Option("--kind", help="concentration: Gini, HHI and top-5 share over the steps; power: the top actors' "
                                    "power share over the steps; lorenz: the Lorenz curve of power at a step; "
                                    "network: the network at a step the folder holds (its start, a checkpoint or its end).",
                     show_default=False),
    ],
    output: Annotated[
        Optional[Path],
        typer.Option("-o", "--output", help="The figure file; .png, .svg or .pdf (the format follows the suffix). "
                                            "Default RUN_DIR/KIND.png."),
    ] = None,
    dimension: Annotated[
        Optional[str], typer.Option("--dimension", help="power, lorenz: one dimension instead of the aggregate.")
    ] = None,
    top: Annotated[Optional[int], typer.Option("--top", min=1, help="power: how many actors (default 10).")] = None,
    step: Annotated[
        Optional[int], typer.Option("--step", min=0, help="lorenz, network: the step (default the last held).")
    ] = None,
    dpi: Annotated[int, typer.Option("--dpi", min=50, max=1200, help="Resolution of a PNG.")] = 200,
) -> None:
    """Draw a figure for a paper: concentration, power of the top actors, Lorenz curve, or the network."""
    from ..report.plots import FORMATS, save_figure
    from ..report.plots import plot as draw

    if output is not None and output.suffix.lower() not in FORMATS:
        raise UsageError(f"{output}: the figure format follows the suffix, one of {', '.join(FORMATS)} "
                         f"(got {output.suffix or 'none'!r})")
    target = output if output is not None else _default_output(Path(source), kind.value)
    figure = draw(source, kind=kind.value, dimension=dimension, top=top, step=step)
    save_figure(figure, target, dpi=dpi)
    typer.echo(f"wrote {target}", err=True)


def _default_output(source: Path, kind: str) -> Path:
    """RUN_DIR/KIND.png for a folder; NAME-KIND.png beside a network file (in the current folder for an example)."""
    if source.is_dir():
        return source / f"{kind}.png"
    if source.exists():
        return source.with_name(f"{source.stem}-{kind}.png")
    return Path(f"{source.name}-{kind}.png")
