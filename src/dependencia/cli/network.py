"""The commands on one network file: ``validate``, ``power`` and ``convert``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..base.constants import EXACT_COST_LIMIT
from ..errors import UsageError
from .console import deliver, progress
from .options import (
    ActorsOpt,
    By,
    ControlOpt,
    ControlThresholdOpt,
    DimensionOpt,
    Format,
    FormatOpt,
    InfrastructuresOpt,
    LengthOpt,
    NetworkArg,
    OutputOpt,
    OwnershipOpt,
    Paths,
    PathsOpt,
    SchedulerOpt,
    StrictOpt,
    TopOpt,
    UndirectedOpt,
    WorkersOpt,
    check_parallel,
    load_network,
)


def validate(
    network: NetworkArg,
    actors: ActorsOpt = None,
    infrastructures: InfrastructuresOpt = None,
    ownership: OwnershipOpt = None,
    control: ControlOpt = None,
    control_threshold: ControlThresholdOpt = None,
    strict: StrictOpt = False,
    format: FormatOpt = Format.table,
) -> None:
    """Check a network file against the model's rules and summarize it.

    Also names every infrastructure's owner, the free attribute columns (those
    the format does not define: kept, and usable as --length), and warns on
    stderr about columns that look misspelled (errors with --strict) and
    infrastructures without an owner (their power counts to no actor).
    """
    from ..io.validation import validate as validate_network

    warnings: list[str] = []
    net = load_network(network, actors, infrastructures, ownership=ownership, control=control,
                       control_threshold=control_threshold, strict=strict, warnings_out=warnings)
    hint = " (give its owner in an --infrastructures file)" if (
        infrastructures is None and Path(network).suffix.lower() == ".csv") else ""
    report = validate_network(net, read_warnings=warnings, owner_hint=hint)
    advice = report.warnings[len(warnings):]
    for line in advice[:_SHOWN]:
        typer.echo(f"warning: {line}", err=True)
    if len(advice) > _SHOWN:
        typer.echo(f"warning: ... and {len(advice) - _SHOWN} more infrastructures without an owner", err=True)
    summary = report.to_dict()
    if format is Format.json:
        typer.echo(json.dumps({"valid": True, "network": network, **summary}, indent=2))
        return
    if format is Format.csv:
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["field", "value"])
        for key, value in summary.items():
            writer.writerow([key, _flat(value)])
        return
    count = len(summary["warnings"])
    noted = f" ({count} warning{'' if count == 1 else 's'} above)" if count else ""
    typer.echo(f"ok: {network} is a valid dependencia network{noted}")
    for key, value in summary.items():
        if key == "warnings":
            continue
        typer.echo(f"  {key.replace('_', ' ')}: {_flat(value, limit=_SHOWN) if value != [] else 'none'}")


#: How many entries of a list (owners, warnings) the table view of ``validate`` shows.
_SHOWN = 10


def _flat(value: object, limit: int | None = None) -> str:
    if isinstance(value, dict):
        items = list(value.items())
        shown = [f"{k}={_flat(v) if v is not None else '(none)'}" for k, v in items[:limit]]
        more = f"; ... ({len(items) - limit} more)" if limit is not None and len(items) > limit else ""
        return "; ".join(shown) + more
    if isinstance(value, list):
        more = f";... ({len(value) - limit} more)" if limit is not None and len(value) > limit else ""
        return ";".join(map(str, value[:limit])) + more
    return str(value)


def power(
    network: NetworkArg,
    actors: ActorsOpt = None,
    infrastructures: InfrastructuresOpt = None,
    ownership: OwnershipOpt = None,
    control: ControlOpt = None,
    control_threshold: ControlThresholdOpt = None,
    strict: StrictOpt = False,
    by: Annotated[
        By,
        typer.Option(
            "--by",
            help="actor: power of each actor through everything it controls; node: betweenness of every node "
            "(actors and infrastructures).",
        ),
    ] = By.actor,
    dimension: DimensionOpt = None,
    length: LengthOpt = None,
    undirected: UndirectedOpt = False,
    raw: Annotated[bool, typer.Option("--raw", help="Do not normalize (NetworkX's normalized=False).")] = False,
    endpoints: Annotated[bool, typer.Option("--endpoints", help="Count path endpoints (as NetworkX).")] = False,
    exact: Annotated[
        bool,
        typer.Option(
            "--exact",
            help=f"Always compute exact values. Without it, values are exact up to n*m = {EXACT_COST_LIMIT:.0e} "
            "(nodes times edges, about 80 s on one core) and approximate above.",
        ),
    ] = False,
    epsilon: Annotated[
        Optional[float],
        typer.Option("--epsilon", help="Approximate: maximum error on the normalized scale (default 0.01)."),
    ] = None,
    delta: Annotated[
        Optional[float], typer.Option("--delta", help="Approximate: failure probability (default 0.1).")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the approximation.")] = 0,
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    multiplex: Annotated[
        bool, typer.Option("--multiplex", help="Actor power on the multiplex graph (paths may switch dimension).")
    ] = False,
    switch_length: Annotated[
        Optional[float], typer.Option("--switch-length", help="Length of a switch between dimensions (default 1).")
    ] = None,
    burt: Annotated[
        bool, typer.Option("--burt", help="Add Burt's constraint and effective size (NetworkX; slow on big graphs).")
    ] = False,
    top: TopOpt = None,
    paths: PathsOpt = Paths.routed,
    format: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Rank power: of each actor through what it controls (--by actor), or of every node (--by node).

    Actor power is the group betweenness of the nodes an actor controls over
    pairs of actors, normalized by the pairs outside its group unless --raw.
    Node values follow networkx.betweenness_centrality: directed, hop-count
    paths, normalized by (n-1)(n-2) unless --raw; exact up to a cost of
    n*m = 1e10, approximate above it (adaptive path sampling, KADABRA, with
    error epsilon and confidence 1-delta); the output says which.
    """
    if (multiplex or switch_length is not None) and by is By.node:
        raise UsageError("--multiplex applies to actor power (--by actor)")
    if switch_length is not None and not multiplex:
        raise UsageError("--switch-length applies with --multiplex")
    if burt and by is By.node:
        raise UsageError("--burt adds columns to the actor table (--by actor)")
    if by is By.actor and endpoints:
        raise UsageError("--endpoints applies to node betweenness (--by node), not to actor power")
    if by is By.actor and multiplex and (epsilon is not None or delta is not None):
        raise UsageError("multiplex power is exact only for now: leave out --epsilon/--delta")
    if exact and epsilon is not None:
        raise UsageError("--exact and --epsilon exclude each other")
    check_parallel(workers, scheduler)
    if delta is not None and epsilon is None:
        raise UsageError("--delta goes with --epsilon (the guarantee of an approximation)")
    normalized, directed, mode = not raw, not undirected, paths.value
    if by is By.node or not (multiplex or burt):  # a plain edge list: the graph alone, no Network (issue 19)
        plain = _plain_graph(network, actors, infrastructures is None and ownership is None and control is None
                             and control_threshold is None and dimension is None, length, directed, mode)
        if plain is not None:
            what = "betweenness" if by is By.node else "power"
            with progress(f"{what} of {plain.n_actors:,} actors and 0 infrastructures") as advance:
                if by is By.node:
                    from ..measures.betweenness import graph_betweenness, plain_node_columns

                    frame = plain_node_columns(graph_betweenness(
                        plain, normalized=normalized, endpoints=endpoints, exact=True if exact else None,
                        epsilon=epsilon, delta=delta, seed=seed, workers=workers, scheduler=scheduler,
                        progress=advance), plain)
                else:
                    from ..measures.plain_power import plain_power

                    frame = plain_power(plain, normalized=normalized, exact=True if exact else None, epsilon=epsilon,
                                        delta=delta, seed=seed, workers=workers, scheduler=scheduler, progress=advance)
            _deliver_power(frame, by=by, endpoints=endpoints, multiplex=False, switch_length=None, length=length,
                           top=top, format=format, output=output)
            return
    from ..measures.betweenness import node_table
    from ..measures.multiplex import multiplex_power
    from ..measures.power import power as power_table

    net = load_network(network, actors, infrastructures, ownership=ownership, control=control,
                       control_threshold=control_threshold, strict=strict)
    what = "power" if by is By.actor else "betweenness"
    with progress(f"{what} of {net.n_actors:,} actors and {net.n_infrastructures:,} infrastructures") as advance:
        if by is By.actor and multiplex:
            frame = multiplex_power(
                net, switch_length=1.0 if switch_length is None else switch_length, normalized=normalized,
                directed=directed, length=length, dimensions=dimension, workers=workers, scheduler=scheduler,
                paths=mode, burt=burt)
        elif by is By.actor:
            frame = power_table(
                net, normalized=normalized, directed=directed, length=length, dimensions=dimension, workers=workers,
                scheduler=scheduler, epsilon=epsilon, delta=delta, seed=seed, burt=burt, paths=mode,
                exact=True if exact else None, progress=advance)
        else:
            frame = node_table(
                net, normalized=normalized, endpoints=endpoints, directed=directed, length=length,
                dimensions=dimension, exact=True if exact else None, epsilon=epsilon, delta=delta, seed=seed,
                workers=workers, scheduler=scheduler, paths=mode, progress=advance)
    _deliver_power(frame, by=by, endpoints=endpoints, multiplex=multiplex, switch_length=switch_length, length=length,
                   top=top, format=format, output=output)


def _plain_graph(network: str, actors: Path | None, only_edges: bool, length: str | None, directed: bool,
                 paths: str):
    """The graph of a plain edge-list file, read without the model's tables, or None (issue 19: peak memory).

    Only where the command needs nothing but the graph (``only_edges``: no
    other file or option that the Network would carry) and the file is a
    plain edge list (:func:`~dependencia.io.edge_arrays.plain_edge_arrays`);
    the graph is the one compiled from the Network read in full, so the
    values are the same bytes.
    """
    path = Path(network)
    if not only_edges or path.suffix.lower() != ".csv" or not path.is_file():
        return None
    from ..graph.compiled import compile_edge_arrays
    from ..io.edge_arrays import plain_edge_arrays

    arrays = plain_edge_arrays(path, actors=actors, length=length)
    return None if arrays is None else compile_edge_arrays(arrays, length=length, directed=directed, paths=paths)


def _deliver_power(frame, *, by: By, endpoints: bool, multiplex: bool, switch_length: float | None,
                   length: str | None, top: int | None, format: Format, output: Path | None) -> None:
    """The table of ``power``, ranked, with the header that says how it was computed."""
    from ..base import output as _output

    attrs = dict(frame.attrs)
    what = "power" if by is By.actor else "betweenness"
    rows = _output.ranked(frame, what)
    if top is not None:
        rows = rows.iloc[:top]
    header = {
        "measure": what,
        "by": by.value,
        "exact": attrs["exact"],
        "normalized": attrs["normalized"],
        "directed": attrs["directed"],
        "endpoints": endpoints,
        "n_nodes": attrs["n_model_nodes"],
        "n_actors": attrs["n_actors"],
        "n_edges": attrs["n_edges"],
        "paths": attrs["paths"],
        "n_route_nodes": attrs["n_route_nodes"],
        "dimensions": attrs["dimensions"],
        "multiplex": multiplex,
        "switch_length": (1.0 if switch_length is None else switch_length) if multiplex else None,
        "length": length,
        "epsilon": attrs["epsilon"],
        "delta": attrs["delta"],
        "seed": attrs["seed"],
    }
    deliver(format.value, header, rows, title=_power_title(header), caption=_power_caption(header), output=output,
            table_rows=_table_columns(rows, by))


def _table_columns(rows, by: By):
    """What a reader needs on screen: actor tables leave out empty columns and graph degrees."""
    if by is By.node:
        return rows
    keep = [c for c in rows.columns if c not in ("direct_dependents", "direct_dependencies", "dependencies")]
    for optional in ("controlled_by", "formal_authority_over"):
        if not rows[optional].map(bool).any():
            keep.remove(optional)
    return rows[keep]


def _power_title(header: dict) -> str:
    scale = "normalized" if header["normalized"] else "raw"
    direction = "directed" if header["directed"] else "undirected"
    paths = f"length '{header['length']}'" if header["length"] else "hops"
    if header["measure"] == "power":
        view = f"multiplex, switch {header['switch_length']:g}, " if header["multiplex"] else ""
        return f"actor power ({view}{scale}, {direction}, {paths}) of {header['n_actors']} actors"
    return f"betweenness ({scale}, {direction}, {paths}) of {header['n_nodes']} nodes"


def _power_caption(header: dict) -> str:
    if header["exact"]:
        return "exact values"
    return (
        f"APPROXIMATE: every value within epsilon={header['epsilon']:g} of the exact one "
        f"with probability >= {1 - header['delta']:g} (seed {header['seed']})"
    )


def convert(
    source: Annotated[str, typer.Argument(metavar="IN", help="Network to read (any supported format).")],
    target: Annotated[Path, typer.Argument(metavar="OUT", help="File or folder to write; the suffix names the format.")],
    actors: ActorsOpt = None,
    infrastructures: InfrastructuresOpt = None,
    ownership: OwnershipOpt = None,
    control: ControlOpt = None,
    control_threshold: ControlThresholdOpt = None,
    strict: StrictOpt = False,
) -> None:
    """Convert a network between formats, naming anything the target format drops."""
    from ..io import write

    net = load_network(source, actors, infrastructures, ownership=ownership, control=control,
                       control_threshold=control_threshold, strict=strict)
    dropped = write(net, target)
    for item in dropped:
        typer.echo(f"dropped (not expressible in {target.suffix or 'a CSV bundle'}): {item}", err=True)
    typer.echo(f"wrote {target}", err=True)
