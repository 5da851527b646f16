"""Options and arguments shared by the commands of the command line, and reading NETWORK."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import examples
from .errors import InputError, UsageError
from .io import read
from .model import Network


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


class By(str, Enum):
    node = "node"
    actor = "actor"


NetworkArg = Annotated[
    str,
    typer.Argument(
        metavar="NETWORK",
        help="A model file (.yaml/.yml/.json), a CSV bundle folder, an edge list (.csv), "
        ".graphml, .gexf, or the name of a shipped example (florentine, ai-stack).",
        show_default=False,
    ),
]
ActorsOpt = Annotated[
    Optional[Path],
    typer.Option("--actors", help="Actors CSV (an `id` column and attributes) for an edge-list NETWORK."),
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
WorkersOpt = Annotated[Optional[int], typer.Option("--workers", min=1, help="Worker processes (default: all cores).")]
TopOpt = Annotated[Optional[int], typer.Option("--top", min=1, help="Only the first N rows.")]


def load_network(network: str, actors: Path | None = None) -> Network:
    """Read NETWORK: a path, or the name of a shipped example when no such path exists."""
    path = Path(network)
    if not path.exists() and network in examples.names():
        if actors is not None:
            raise UsageError("--actors applies to edge-list files, not to a shipped example")
        return read(examples.path(network))
    if not path.exists():
        hint = "" if path.suffix else f" (and no shipped example of that name: {', '.join(examples.names())})"
        raise InputError(f"no such file or folder{hint}", source=network)
    return read(path, actors=actors)
