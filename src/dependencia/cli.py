"""The ``dependencia`` command line: a thin Typer layer over the Python API.

Exit codes: 0 success; 2 bad input or usage (one message on stderr, no
traceback); 1 an internal error (the traceback only with ``--debug``).
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from collections.abc import Callable
from typing import Annotated, Optional

import pandas as pd
import typer

from . import _output, examples
from ._atomic import write_text_atomic
from .errors import DependenciaError, InputError, UsageError
from .graph import compile_graph
from .io import read, write
from .measures.betweenness import EXACT_COST_LIMIT, graph_betweenness
from .measures.chokepoints import chokepoints as measure_chokepoints
from .measures.concentration import concentration as measure_concentration
from .measures.explain import OTHER_PAIRS
from .measures.explain import explain as measure_explain
from .measures.power import graph_power
from .measures.reach import reach as measure_reach
from .measures.structural_holes import structural_holes
from .measures.whatif import whatif as measure_whatif
from .model import Network

app = typer.Typer(
    name="dependencia",
    help="Power as betweenness centrality in a multi-dimensional network of dependencies.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

_state = {"debug": False}


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


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")] = False,
) -> None:
    """Power as betweenness centrality in a multi-dimensional network of dependencies."""
    _state["debug"] = debug


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


@app.command()
def validate(
    network: NetworkArg,
    actors: ActorsOpt = None,
    format: FormatOpt = Format.table,
) -> None:
    """Check a network file against the model's rules and summarize it."""
    net = load_network(network, actors)
    summary = net.summary()
    if format is Format.json:
        typer.echo(json.dumps({"valid": True, "network": network, **summary}, indent=2))
        return
    if format is Format.csv:
        typer.echo("field,value")
        for key, value in summary.items():
            typer.echo(f"{key},{_flat(value)}")
        return
    typer.echo(f"ok: {network} is a valid dependencia network")
    for key, value in summary.items():
        typer.echo(f"  {key.replace('_', ' ')}: {_flat(value)}")


def _flat(value: object) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, list):
        return ";".join(map(str, value))
    return str(value)


@app.command()
def power(
    network: NetworkArg,
    actors: ActorsOpt = None,
    by: Annotated[
        By,
        typer.Option(
            "--by",
            help="actor: power of each actor through everything it controls; node: betweenness of every node "
            "(actors and infrastructures).",
        ),
    ] = By.actor,
    dimension: Annotated[
        Optional[list[str]], typer.Option("--dimension", help="Use only this dimension (repeatable).")
    ] = None,
    length: Annotated[
        Optional[str], typer.Option("--length", help="Dependency attribute to use as path length (hops otherwise).")
    ] = None,
    undirected: Annotated[bool, typer.Option("--undirected", help="Ignore the direction of dependencies.")] = False,
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
    seed: Annotated[Optional[int], typer.Option("--seed", help="Seed of the approximation (default 0).")] = None,
    workers: Annotated[
        Optional[int],
        typer.Option("--workers", min=1, help="Worker processes (default: all cores); results do not depend on it."),
    ] = None,
    scheduler: Annotated[
        Optional[str],
        typer.Option(
            "--scheduler",
            help="Run on Dask: a scheduler address (tcp://host:8786), or 'dask' for a local cluster.",
        ),
    ] = None,
    burt: Annotated[
        bool, typer.Option("--burt", help="Add Burt's constraint and effective size (NetworkX; slow on big graphs).")
    ] = False,
    top: Annotated[Optional[int], typer.Option("--top", min=1, help="Only the first N rows.")] = None,
    format: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Rank power: of each actor through what it controls (--by actor), or of every node (--by node).

    Actor power is the group betweenness of the nodes an actor controls over
    pairs of actors, normalized by the pairs outside its group unless --raw.
    Node values follow networkx.betweenness_centrality: directed, hop-count
    paths, normalized by (n-1)(n-2) unless --raw; exact up to a cost of
    n*m = 1e10, approximate above it (Riondato-Kornaropoulos sampling with
    error epsilon and confidence 1-delta); the output says which.
    """
    if burt and by is By.node:
        raise UsageError("--burt adds columns to the actor table (--by actor)")
    if by is By.actor and endpoints:
        raise UsageError("--endpoints applies to node betweenness (--by node), not to actor power")
    if by is By.actor and (epsilon is not None or delta is not None):
        raise UsageError("approximate actor power is not available yet: use exact values, or --by node")
    if exact and epsilon is not None:
        raise UsageError("--exact and --epsilon exclude each other")
    if workers is not None and scheduler is not None:
        raise UsageError("--workers and --scheduler exclude each other (a cluster has its own workers)")
    if delta is not None and epsilon is None and exact:
        raise UsageError("--delta applies to approximate values, not with --exact")
    net = load_network(network, actors)
    graph = compile_graph(net, dimensions=dimension, length=length, directed=not undirected)
    what = "power" if by is By.actor else "betweenness"
    if by is By.actor and graph.n_nodes * graph.n_edges > EXACT_COST_LIMIT:
        typer.echo(f"note: actor power is computed exactly (n*m above {EXACT_COST_LIMIT:.0e}): this may take long",
                   err=True)
    with _progress(f"{what} on {graph.n_nodes:,} nodes, {graph.n_edges:,} edges") as progress:
        if by is By.actor:
            frame = graph_power(
                net, graph, normalized=not raw, workers=workers, scheduler=scheduler, progress=progress
            )
        else:
            frame = graph_betweenness(
                graph,
                normalized=not raw,
                endpoints=endpoints,
                exact=True if exact else None,
                epsilon=epsilon,
                delta=delta,
                seed=seed,
                workers=workers,
                scheduler=scheduler,
                progress=progress,
            )
    attrs = dict(frame.attrs)
    kinds = list(net.actors["kind"]) + ["infrastructure"] * net.n_infrastructures
    frame.insert(0, "kind", kinds[: len(frame)])
    if by is By.actor:  # reach and asymmetry beside power: they can disagree, and both are reported
        frame = frame.join(measure_reach(net, directed=not undirected, dimensions=dimension))
        if burt:
            frame = frame.join(structural_holes(net, directed=not undirected, dimensions=dimension))
    else:
        frame["dependents"] = graph.in_degree()
        frame["dependencies"] = graph.out_degree()
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
        "n_nodes": graph.n_nodes,
        "n_actors": graph.n_actors,
        "n_edges": graph.n_edges,
        "dimensions": list(graph.dimensions),
        "length": length,
        "epsilon": attrs["epsilon"],
        "delta": attrs["delta"],
        "seed": attrs["seed"],
    }
    if format is Format.json:
        text = _output.to_json(header, rows)
    elif format is Format.csv:
        text = _output.to_csv(_output.joined_lists(rows, ";"))
    else:
        table_rows = _output.joined_lists(_table_columns(rows, by), ", ")
        text = _render_table(_power_title(header), table_rows, _power_caption(header), to_file=output is not None)
        if output is None:
            return
    _emit(text, output)


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
        return f"actor power ({scale}, {direction}, {paths}) of {header['n_actors']} actors"
    return f"betweenness ({scale}, {direction}, {paths}) of {header['n_nodes']} nodes"


def _power_caption(header: dict) -> str:
    if header["exact"]:
        return "exact values"
    return (
        f"APPROXIMATE: every value within epsilon={header['epsilon']:g} of the exact one "
        f"with probability >= {1 - header['delta']:g} (seed {header['seed']})"
    )


def _render_table(title: str, rows, caption: str, *, to_file: bool) -> str:
    from rich.console import Console

    table = _output.to_rich_table(title, rows, caption)
    if to_file:
        console = Console(record=True, width=160, file=_NullWriter(), color_system=None)
        console.print(table)
        return console.export_text()
    Console(width=None if sys.stdout.isatty() else 160).print(table)
    return ""


class _NullWriter:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    write_text_atomic(output, text)


class _progress:
    """A progress bar on stderr while long work runs, only when stderr is a terminal.

    Yields a callback ``(done, total)`` for the computation, or None when
    there is nothing to show.
    """

    def __init__(self, description: str):
        self.description = description
        self._bar = None

    def __enter__(self) -> Callable[[int, int], None] | None:
        if not sys.stderr.isatty():
            return None
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self._bar = Progress(
            TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(), console=Console(stderr=True), transient=True,
        )
        self._bar.__enter__()
        task = self._bar.add_task(self.description, total=None)

        def advance(done: int, total: int) -> None:
            self._bar.update(task, completed=done, total=total)

        return advance

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)


@app.command()
def concentration(
    network: NetworkArg,
    actors: ActorsOpt = None,
    dimension: Annotated[
        Optional[list[str]], typer.Option("--dimension", help="Report only this dimension (repeatable).")
    ] = None,
    length: Annotated[
        Optional[str], typer.Option("--length", help="Dependency attribute to use as path length (hops otherwise).")
    ] = None,
    undirected: Annotated[bool, typer.Option("--undirected", help="Ignore the direction of dependencies.")] = False,
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, help="Worker processes.")] = None,
    format: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Concentration of power: Gini, HHI and top-k shares of top-level actors, overall (*) and per dimension."""
    net = load_network(network, actors)
    with _progress("concentration of power") as _:
        frame = measure_concentration(
            net, dimensions=dimension, directed=not undirected, length=length, workers=workers
        )
    header = {"measure": "concentration", "directed": not undirected, "length": length,
              "n_actors": net.n_actors, "dimensions": [s for s in frame.index if s != "*"]}
    if format is Format.json:
        text = _output.to_json(header, frame)
    elif format is Format.csv:
        text = _output.to_csv(frame)
    else:
        text = _render_table("concentration of power (top-level actors' shares)", frame,
                             "* = all dimensions together", to_file=output is not None)
        if output is None:
            return
    _emit(text, output)


@app.command()
def explain(
    network: NetworkArg,
    actor: Annotated[str, typer.Argument(metavar="ACTOR", help="The actor whose power to explain.")],
    actors: ActorsOpt = None,
    top: Annotated[int, typer.Option("--top", min=1, help="How many actor pairs to list.")] = 10,
    dimension: Annotated[
        Optional[list[str]], typer.Option("--dimension", help="Use only this dimension (repeatable).")
    ] = None,
    length: Annotated[
        Optional[str], typer.Option("--length", help="Dependency attribute to use as path length (hops otherwise).")
    ] = None,
    undirected: Annotated[bool, typer.Option("--undirected", help="Ignore the direction of dependencies.")] = False,
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, help="Worker processes.")] = None,
    format: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Where an actor's power comes from: by controlled node, top actor pairs, per dimension, authority."""
    net = load_network(network, actors)
    with _progress(f"explaining {actor}") as _:
        why = measure_explain(net, actor, top=top, directed=not undirected, length=length, dimensions=dimension,
                              workers=workers)
    labels = [d if d == OTHER_PAIRS else f"{d} -> {p}" for d, p in zip(why.top_pairs["dependent"], why.top_pairs["provider"])]
    pairs = why.top_pairs.set_index(pd.Index(labels))
    pairs.index.name = "pair"
    if format is Format.json:
        document = {
            "actor": why.actor, "power": why.power, "raw_power": why.raw_power, "power_share": why.power_share,
            "by_node": _output.records(why.by_node), "top_pairs": why.top_pairs.to_dict(orient="records"),
            "by_dimension": _output.records(why.by_dimension),
            "depends_on": _output.records(_output.joined_lists(why.depends_on.assign(via=why.depends_on["via"].map(list)), ";")),
            "authority_held": why.authority_held, "authority_over_it": why.authority_over_it,
        }
        _emit(json.dumps(document, allow_nan=False) + "\n", output)
        return
    if format is Format.csv:
        _emit(_output.to_csv(why.by_node) + "\n" + _output.to_csv(pairs) + "\n" + _output.to_csv(why.by_dimension),
              output)
        return
    heading = (f"power of {why.actor}: {why.power:.4g} normalized, {why.raw_power:.4g} raw, "
               f"share {why.power_share:.4g}")
    authority = (f"formal authority held over: {', '.join(why.authority_held) or 'nothing'}; "
                 f"subject to: {', '.join(why.authority_over_it) or 'nobody'} (authority confers no power)")
    if output is None:
        typer.echo(heading)
    parts = [
        heading,
        _render_table("by controlled node", why.by_node, "each path credited to the first node it meets",
                      to_file=output is not None),
        _render_table(f"top {top} actor pairs through its nodes", pairs[["share"]],
                      "share of each pair's shortest paths; the last row sums the rest", to_file=output is not None),
        _render_table("power on each dimension alone", why.by_dimension, "views, not a decomposition",
                      to_file=output is not None),
        authority,
    ]
    if output is None:
        typer.echo(authority)
    else:
        _emit("\n".join(parts) + "\n", output)


@app.command()
def chokepoints(
    network: NetworkArg,
    actors: ActorsOpt = None,
    top: Annotated[Optional[int], typer.Option("--top", min=1, help="Only the first N rows.")] = None,
    candidates: Annotated[
        Optional[int], typer.Option("--candidates", min=1, help="Remove only the N nodes of highest betweenness.")
    ] = None,
    sample: Annotated[
        Optional[int], typer.Option("--sample", min=1, help="Evaluate N sampled dependency pairs (error bound shown).")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the sample.")] = 0,
    dimension: Annotated[
        Optional[list[str]], typer.Option("--dimension", help="Use only this dimension (repeatable).")
    ] = None,
    length: Annotated[
        Optional[str], typer.Option("--length", help="Dependency attribute to use as path length (hops otherwise).")
    ] = None,
    undirected: Annotated[bool, typer.Option("--undirected", help="Ignore the direction of dependencies.")] = False,
    format: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Which nodes cut or lengthen declared dependencies when removed, and their share of all shortest paths."""
    net = load_network(network, actors)
    with _progress("chokepoints") as _:
        frame = measure_chokepoints(net, directed=not undirected, length=length, dimensions=dimension,
                                    candidates=candidates, sample=sample, seed=seed)
    attrs = dict(frame.attrs)
    rows = frame.iloc[:top] if top is not None else frame
    header = {"measure": "chokepoints", "pairs": attrs["pairs"], "sampled": attrs["sampled"],
              "epsilon": attrs["epsilon"], "delta": attrs["delta"]}
    if format is Format.json:
        text = _output.to_json(header, rows)
    elif format is Format.csv:
        text = _output.to_csv(rows)
    else:
        caption = f"shares of {attrs['pairs']} declared dependency pairs"
        if attrs["sampled"]:
            caption += f" (sampled: within {attrs['epsilon']:.3g} with probability {1 - attrs['delta']:g})"
        text = _render_table("chokepoints (removal cuts or lengthens) and panopticons (share of shortest paths)",
                             rows, caption, to_file=output is not None)
        if output is None:
            return
    _emit(text, output)


def _dependency_spec(spec: str, *, with_route: bool) -> dict:
    parts = spec.split(":")
    if len(parts) not in ((3, 4) if with_route else (3,)) or not all(parts[:3]):
        shape = "DEPENDENT:PROVIDER:DIMENSION" + ("[:VIA]" if with_route else "")
        raise UsageError(f"{spec!r} is not {shape}")
    record = {"dependent": parts[0], "provider": parts[1], "dimension": parts[2]}
    if len(parts) == 4 and parts[3]:
        record["via"] = [x.strip() for x in parts[3].split(";")]
    return record


@app.command()
def whatif(
    network: NetworkArg,
    actors: ActorsOpt = None,
    remove: Annotated[
        Optional[list[str]], typer.Option("--remove", help="Remove this actor or infrastructure (repeatable).")
    ] = None,
    remove_dependency: Annotated[
        Optional[list[str]],
        typer.Option("--remove-dependency", help="Remove DEPENDENT:PROVIDER:DIMENSION (repeatable)."),
    ] = None,
    add_dependency: Annotated[
        Optional[list[str]],
        typer.Option("--add-dependency", help="Add DEPENDENT:PROVIDER:DIMENSION[:VIA], VIA as X;Y (repeatable)."),
    ] = None,
    dimension: Annotated[
        Optional[list[str]], typer.Option("--dimension", help="Use only this dimension (repeatable).")
    ] = None,
    length: Annotated[
        Optional[str], typer.Option("--length", help="Dependency attribute to use as path length (hops otherwise).")
    ] = None,
    undirected: Annotated[bool, typer.Option("--undirected", help="Ignore the direction of dependencies.")] = False,
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, help="Worker processes.")] = None,
    top: Annotated[Optional[int], typer.Option("--top", min=1, help="Only the first N rows.")] = None,
    format: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """What if actors, infrastructures or dependencies were removed or added? Power, lost dependencies, path length."""
    removed_deps = [_dependency_spec(s, with_route=False) for s in remove_dependency or []]
    added = [_dependency_spec(s, with_route=True) for s in add_dependency or []]
    if not (remove or removed_deps or added):
        raise UsageError("say what changes: --remove, --remove-dependency or --add-dependency")
    net = load_network(network, actors)
    with _progress("what-if") as _:
        result = measure_whatif(
            net, remove=remove or [],
            remove_dependencies=[(d["dependent"], d["provider"], d["dimension"]) for d in removed_deps],
            add_dependencies=added, directed=not undirected, length=length, dimensions=dimension, workers=workers,
        )
    rows = _output.ranked(result.actors, "power_after")
    if top is not None:
        rows = rows.iloc[:top]
    header = {
        "measure": "whatif", "removed": remove or [], "removed_dependencies": removed_deps,
        "added_dependencies": added, "lost_dependencies": result.lost_dependencies,
        "lost": result.lost.to_dict(orient="records"),
        "mean_path_length_before": result.mean_path_length_before,
        "mean_path_length_after": result.mean_path_length_after,
    }
    if format is Format.json:
        text = _output.to_json(header, rows)
    elif format is Format.csv:
        text = _output.to_csv(rows)
    else:
        caption = (
            f"{result.lost_dependencies} declared dependencies lose all paths; mean path length "
            f"{result.mean_path_length_before:.4g} -> {result.mean_path_length_after:.4g}"
        )
        text = _render_table("what if: actor power before and after", rows, caption, to_file=output is not None)
        if output is None:
            return
    _emit(text, output)


@app.command()
def convert(
    source: Annotated[str, typer.Argument(metavar="IN", help="Network to read (any supported format).")],
    target: Annotated[Path, typer.Argument(metavar="OUT", help="File or folder to write; the suffix names the format.")],
    actors: ActorsOpt = None,
) -> None:
    """Convert a network between formats, naming anything the target format drops."""
    net = load_network(source, actors)
    dropped = write(net, target)
    for item in dropped:
        typer.echo(f"dropped (not expressible in {target.suffix or 'a CSV bundle'}): {item}", err=True)
    typer.echo(f"wrote {target}", err=True)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``dependencia`` command; returns the exit code."""
    args = sys.argv[1:] if argv is None else argv
    _state["debug"] = "--debug" in args
    try:
        app(args=args, prog_name="dependencia", standalone_mode=True)
        code = 0
    except SystemExit as stop:  # Typer/Click exit here, usage errors with code 2
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except DependenciaError as problem:
        typer.echo(f"error: {problem}", err=True)
        code = 2
    except BrokenPipeError:
        code = 0
    except OSError as problem:
        if _state["debug"]:
            raise
        name = f"{problem.filename}: " if problem.filename else ""
        typer.echo(f"error: {name}{problem.strerror or problem}", err=True)
        code = 2
    except Exception as problem:  # an internal error: say so, traceback only with --debug
        if _state["debug"]:
            raise
        typer.echo(
            f"internal error: {type(problem).__name__}: {problem} (rerun with --debug for the traceback)", err=True
        )
        code = 1
    sys.stdout.flush()
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
