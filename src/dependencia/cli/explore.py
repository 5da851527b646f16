"""The ``explore`` command: a live what-if explorer of a network in the browser, served on 127.0.0.1.

A plain function; :mod:`dependencia.cli` registers it as a command.
"""

from __future__ import annotations

from typing import Annotated

import typer

from ..base.constants import LABEL_TOP, MAX_NODES, TOP_ACTORS  # = report.data's, without loading it for `--help`
from .options import ActorsOpt, InfrastructuresOpt, StrictOpt, load_network


def explore(
    network: Annotated[str, typer.Argument(metavar="NETWORK_OR_SCENARIO",
                                           help="A network file or a shipped scenario's name.")],
    port: Annotated[int, typer.Option("--port", min=0, max=65535,
                                      help="The port on 127.0.0.1 (0: one the system picks).")] = 0,
    actors: ActorsOpt = None,
    infrastructures: InfrastructuresOpt = None,
    strict: StrictOpt = False,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Do not open a browser; print the address only.")]
    = False,
    max_nodes: Annotated[int, typer.Option("--max-nodes", min=1, help="Above this many nodes the network view "
                                           "shows the most powerful actors and their neighbours.")] = MAX_NODES,
    top: Annotated[int, typer.Option("--top", min=1, help="Actors kept by power in such a reduced view.")] = TOP_ACTORS,
    label_top: Annotated[int, typer.Option("--label-top", min=0, help="Name this many of the most powerful actors "
                                           "in the network view.")] = LABEL_TOP,
) -> None:
    """Edit a network in the browser and watch power change: remove or restore nodes, add, remove or reroute
    dependencies, transfer ownership, set holdings between actors, switch transit, apply interoperability; undo, redo,
    export.

    Serves on 127.0.0.1 only, with a random access token in the printed address; Ctrl-C stops.
    """
    from pathlib import Path

    net = load_network(network, actors, infrastructures, strict=strict)  # bad input: exit 2 before serving
    from ..explore.server import serve
    from ..explore.state import Explorer
    from ..explore.view import View

    label = Path(network).name if Path(network).exists() else network
    view = View(Explorer(net, source=network), label=label, max_nodes=max_nodes, top=top, label_top=label_top)
    try:
        serve(view, port=port, open_browser=not no_browser, announce=lambda line: typer.echo(line, err=True))
    except KeyboardInterrupt:
        pass
    typer.echo("dependencia explore: stopped", err=True)
