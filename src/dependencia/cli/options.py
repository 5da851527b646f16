"""Options and arguments shared by the commands of the command line, and reading NETWORK."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..errors import InputError, UsageError

if TYPE_CHECKING:  # the command modules import this one for `--help`: pandas only when a network is read
    from ..network.model import Network


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


class By(str, Enum):
    node = "node"
    actor = "actor"


class Paths(str, Enum):
    routed = "routed"
    hub = "hub"


NetworkArg = Annotated[
    str,
    typer.Argument(
        metavar="NETWORK",
        help="A model file (.yaml/.yml/.json), a CSV bundle folder, an edge list (.csv), "
        ".graphml, .gexf, or the name of any shipped scenario (e.g. florentine; 'dependencia scenarios list' "
        "lists them).",
        show_default=False,
    ),
]
ActorsOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--actors",
        help="Actors CSV (an `id` column and attributes) for an edge-list NETWORK; every target must be listed.",
    ),
]
InfrastructuresOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--infrastructures",
        help="Infrastructures CSV (`id`, `owner`; optional `dimensions`, `transit`, `build_cost`, `upkeep`) for an "
        "edge-list NETWORK: who owns what `via` names.",
    ),
]
OwnershipOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--ownership",
        help="Ownership register CSV (`owner`, `owned`, a share column: fractions, or percent as detected) for any "
        "NETWORK: its holdings replace the network's (docs/data.md#an-ownership-register).",
    ),
]


class Control(str, Enum):
    majority = "majority"
    linear = "linear"
    threshold = "threshold"


ControlOpt = Annotated[
    Optional[Control],
    typer.Option(
        "--control",
        help="Model of control: majority, linear (integrated ownership above the threshold) or threshold (direct "
        "holdings above it); without it, the network's own (majority unless its file says otherwise). "
        "docs/model.md#control.",
        show_default=False,
    ),
]
ControlThresholdOpt = Annotated[
    Optional[float],
    typer.Option("--control-threshold", help="The threshold of --control linear or threshold, in (0, 1) "
                 "(default 0.5).", show_default=False),
]
StrictOpt = Annotated[
    bool,
    typer.Option(
        "--strict",
        help="Refuse input that is otherwise read with a warning (a column or field that looks misspelled).",
    ),
]
FormatOpt = Annotated[Format, typer.Option("--format", help="Output format.")]
OutputOpt = Annotated[
    Optional[Path], typer.Option("-o", "--output", help="Write to this file (atomically) instead of stdout.")
]

DimensionOpt = Annotated[
    Optional[list[str]], typer.Option("--dimension", help="Use only this dimension (repeatable).")
]
LengthOpt = Annotated[
    Optional[str], typer.Option("--length", help="Dependency attribute to use as path length (hops otherwise).")
]
UndirectedOpt = Annotated[bool, typer.Option("--undirected", help="Ignore the direction of dependencies.")]
WorkersOpt = Annotated[
    Optional[int],
    typer.Option("--workers", min=1, help="Parallel workers: processes, or threads where the computation runs on them "
                 "(default: all cores); the values do not depend on it."),
]
SchedulerOpt = Annotated[
    Optional[str],
    typer.Option(
        "--scheduler",
        help="Run on Dask: a scheduler address (tcp://host:8786), or 'dask' for a local cluster. The values do not "
        "depend on it.",
    ),
]
TopOpt = Annotated[Optional[int], typer.Option("--top", min=1, help="Only the first N rows.")]
PathsOpt = Annotated[
    Paths,
    typer.Option(
        "--paths",
        help="routed: a path passes a closed infrastructure only along a declared route (chains of dependencies "
        "that exist); hub: every infrastructure is one node joining all its routes (docs/model.md#graphs).",
    ),
]


def check_parallel(workers: int | None, scheduler: str | None, *, local_cluster: bool = False) -> None:
    """Refuse ``--workers`` beside ``--scheduler``: a cluster has its own workers.

    With ``local_cluster`` (``sweep``), ``--scheduler dask`` starts a local
    cluster of ``--workers`` processes, and only a scheduler address is refused.
    """
    if workers is None or scheduler is None or (local_cluster and scheduler == "dask"):
        return
    what = "--scheduler ADDRESS" if local_cluster else "--scheduler"
    raise UsageError(f"--workers and {what} exclude each other (a cluster has its own workers)")


def load_network(
    network: str, actors: Path | None = None, infrastructures: Path | None = None, *,
    ownership: Path | None = None, control: str | None = None, control_threshold: float | None = None,
    strict: bool = False, warnings_out: list[str] | None = None,
) -> Network:
    """Read NETWORK: a path, or the name of a shipped example when no such path exists.

    ``ownership`` (a register) replaces its holdings, and ``control`` (with
    ``control_threshold``) its model of control, as ``dp.read(...,
    ownership=)`` and ``Network.with_control`` do. The reader's warnings
    (:class:`~dependencia.errors.InputWarning`) are printed on stderr as
    ``warning: ...``, and also appended to ``warnings_out`` when given; with
    ``strict`` they are errors.
    """
    import warnings

    from ..errors import InputWarning
    from ..io import examples, read

    if control_threshold is not None and control in (None, "majority"):
        raise UsageError("--control-threshold applies to --control linear or threshold")
    path = Path(network)
    if not path.exists() and network in examples.names():
        if actors is not None or infrastructures is not None:
            option = "--actors" if actors is not None else "--infrastructures"
            raise UsageError(f"{option} applies to edge-list files, not to a shipped example")
        path = examples.path(network)
    elif not path.exists():
        hint = "" if path.suffix else f" (and no shipped example of that name: {', '.join(examples.names())})"
        raise InputError(f"no such file or folder{hint}", source=network)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InputWarning)
        net = read(path, actors=actors, infrastructures=infrastructures, ownership=ownership, strict=strict)
    for item in caught:
        if isinstance(item.message, InputWarning):
            typer.echo(f"warning: {item.message}", err=True)
            if warnings_out is not None:
                warnings_out.append(str(item.message))
        else:  # not ours: as Python would have shown it
            warnings.warn_explicit(item.message, item.category, item.filename, item.lineno)
    if control is not None:
        net = net.with_control(str(getattr(control, "value", control)), control_threshold)
    return net
