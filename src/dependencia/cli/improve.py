"""The ``improve`` command: which new dependents raise an actor's betweenness most.

A plain function; :mod:`dependencia.cli` registers it as a command.
"""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated

import typer

from .console import emit, progress, render_table
from .options import (
    ActorsOpt,
    ControlOpt,
    ControlThresholdOpt,
    DimensionOpt,
    Format,
    FormatOpt,
    InfrastructuresOpt,
    NetworkArg,
    OutputOpt,
    OwnershipOpt,
    Paths,
    PathsOpt,
    SchedulerOpt,
    StrictOpt,
    WorkersOpt,
    check_parallel,
    load_network,
)

# pandas and the computation are imported inside the command: `dependencia --help` stays fast


class Strategy(str, Enum):
    greedy = "greedy"
    top_degree = "top-degree"
    random = "random"


def improve(
    network: NetworkArg,
    actor: Annotated[str, typer.Argument(metavar="ACTOR", help="The actor whose betweenness to raise.")],
    actors: ActorsOpt = None,
    infrastructures: InfrastructuresOpt = None,
    ownership: OwnershipOpt = None,
    control: ControlOpt = None,
    control_threshold: ControlThresholdOpt = None,
    strict: StrictOpt = False,
    links: Annotated[
        int, typer.Option("--links", min=1, help="How many new dependencies u -> ACTOR to add (K).")
    ] = 1,
    strategy: Annotated[
        Strategy,
        typer.Option(
            "--strategy",
            help="greedy: each link of largest exact gain (ties: first node); top-degree: the nodes of highest "
            "out-degree; random: drawn with --seed.",
        ),
    ] = Strategy.greedy,
    seed: Annotated[int, typer.Option("--seed", help="Seed of --strategy random.")] = 0,
    dimension: DimensionOpt = None,
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    paths: PathsOpt = Paths.routed,
    format: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Which K new dependents of ACTOR raise its node betweenness most (Bergamini et al. 2018).

    Adds K edges u -> ACTOR (u any actor or infrastructure without one yet)
    and reports them in the order chosen, with ACTOR's normalized betweenness
    (as power --by node: directed, hops) and rank before and after. Greedy
    evaluates every candidate exactly; it keeps two n x n arrays and is
    limited to 20,000 nodes.
    """
    import pandas as pd

    from ..base import output as _output
    from ..measures.improve import improve as measure_improve

    check_parallel(workers, scheduler)
    net = load_network(network, actors, infrastructures, ownership=ownership, control=control,
                       control_threshold=control_threshold, strict=strict)
    with progress(f"improving {actor} ({strategy.value}, {links} links)") as _:
        result = measure_improve(net, actor, links=links, strategy=strategy.value, dimensions=dimension, seed=seed,
                                 workers=workers, scheduler=scheduler, paths=paths.value)
    if format is Format.json:
        emit(json.dumps(result.to_dict(), allow_nan=False) + "\n", output)
        return
    added = pd.DataFrame(
        {"dependent": [d for d, _ in result.added], "provider": [p for _, p in result.added]},
        index=pd.Index(range(1, len(result.added) + 1), name="link"),
    )
    if format is Format.csv:
        # the JSON keys as headers: the summary (actor first), then the links added, in the order chosen
        summary = pd.DataFrame({key: [value] for key, value in result.to_dict().items() if key != "added"})
        emit(_output.to_csv(summary, index=False) + "\n" + _output.to_csv(added, index=False), output)
        return
    heading = (
        f"betweenness of {result.actor}: {result.betweenness_before:.4g} -> {result.betweenness_after:.4g} "
        f"(normalized); rank {result.rank_before} -> {result.rank_after} of {result.n_nodes} nodes"
    )
    if output is None:
        typer.echo(heading)
    table = render_table(
        f"new dependents of {result.actor} ({result.strategy})", added,
        f"in the order chosen; dimension {result.dimension!r}", to_file=output is not None,
    )
    if output is not None:
        emit(heading + "\n" + table, output)
