"""The ``measures`` command: the panel of power measures, and how far their rankings agree (``--compare``).

A plain function; :mod:`dependencia.cli` registers it as a command.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Optional

import typer

from .console import deliver, emit, progress, render_table
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
    UndirectedOpt,
    WorkersOpt,
    check_parallel,
    load_network,
)

# the computation (pandas, SciPy, igraph, Numba) is imported inside the command: `dependencia --help` stays fast

#: k of the top-k overlap and the number of movers when --compare is given without --top.
COMPARE_TOP = 5


def _list_measures(value: bool) -> None:
    """``--list``: print every measure of the panel, its description and reference, and stop."""
    if not value:
        return
    from ..measures.panel import REGISTRY

    width = max(len(name) for name in REGISTRY)
    for measure in REGISTRY.values():
        typer.echo(f"{measure.name:<{width}}  {measure.description} [{measure.reference}]")
    raise typer.Exit()


def measures(
    network: NetworkArg,
    actors: ActorsOpt = None,
    infrastructures: InfrastructuresOpt = None,
    ownership: OwnershipOpt = None,
    control: ControlOpt = None,
    control_threshold: ControlThresholdOpt = None,
    strict: StrictOpt = False,
    measure: Annotated[
        Optional[list[str]],
        typer.Option("--measure", metavar="NAME",
                     help="A measure of the panel (repeatable; all by default; --list names them)."),
    ] = None,
    paths: PathsOpt = Paths.routed,
    dimension: DimensionOpt = None,
    undirected: UndirectedOpt = False,
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    compare: Annotated[
        bool,
        typer.Option("--compare", help="How far the rankings agree: Kendall's tau-b and top-k overlap of every pair "
                     "of measures, and the actors whose rank moves most."),
    ] = False,
    top: Annotated[
        Optional[int],
        typer.Option("--top", min=1, help=f"Only the first N rows; with --compare, k of the top-k overlap and the "
                     f"number of movers (default {COMPARE_TOP})."),
    ] = None,
    format: FormatOpt = Format.table,
    output: OutputOpt = None,
    list_: Annotated[
        bool,
        typer.Option("--list", is_eager=True, callback=_list_measures, expose_value=False,
                     help="List the measures (name, description, reference) and exit."),
    ] = False,
) -> None:
    """The panel of power measures: betweenness, dominance, reach, traffic, PageRank, Katz, Bonacich, shock."""
    from ..measures import panel


    unknown = [name for name in measure or [] if name not in panel.REGISTRY]
    if unknown:  # Click's usage error (exit 2), as for an unknown --paths
        raise typer.BadParameter(f"unknown measure {unknown[0]!r}; known: {', '.join(panel.REGISTRY)}",
                                 param_hint="'--measure'")
    check_parallel(workers, scheduler)
    net = load_network(network, actors, infrastructures, ownership=ownership, control=control,
                       control_threshold=control_threshold, strict=strict)
    with progress("measures of power") as _:
        frame = panel.measures(net, measures=measure, paths=paths.value, dimensions=dimension, directed=not undirected,
                      workers=workers, scheduler=scheduler)
    attrs = dict(frame.attrs)
    header: dict[str, Any] = {
        "measure": "measures", "measures": attrs["measures"], "paths": attrs["paths"], "directed": attrs["directed"],
        "dimensions": attrs["dimensions"], "n_actors": net.n_actors,
        **{key: attrs[key] for key in ("pagerank_alpha", "katz_alpha", "bonacich_beta", "spectral_radius")
           if key in attrs},
    }
    if not compare:
        rows = _sorted_by(frame, attrs["measures"][0])
        if top is not None:
            rows = rows.iloc[:top]
        deliver(format.value, header, rows, title=f"measures of power (paths: {attrs['paths']})",
                caption=f"sorted by {attrs['measures'][0]}; {_parameters(attrs)}", output=output)
        return
    k = COMPARE_TOP if top is None else top
    pairs = panel.compare(frame, top=k)
    moved = panel.movers(frame, top=k)
    _deliver_comparison(format, {**header, "top": k}, pairs, moved, k, output,
                        rows=_sorted_by(frame, attrs["measures"][0]))


def _sorted_by(frame, name: str):
    """``frame`` by ``name`` descending (values rounded to 12 significant digits), then id; NaN last."""
    import numpy as np

    from ..base.output import rounded

    key = rounded(frame[name])
    missing = np.isnan(key)
    ids = frame.index.to_numpy(dtype=object).astype(str)
    return frame.iloc[np.lexsort((ids, -np.where(missing, 0.0, key), missing))]


def _parameters(attrs: dict) -> str:
    shown = []
    if "pagerank_alpha" in attrs:
        shown.append(f"PageRank damping {attrs['pagerank_alpha']:g}")
    if "katz_alpha" in attrs:
        shown.append(f"Katz alpha {attrs['katz_alpha']:.4g}")
    if "bonacich_beta" in attrs:
        shown.append(f"Bonacich beta {attrs['bonacich_beta']:.4g}")
    if "spectral_radius" in attrs:
        shown.append(f"rho(A) = {attrs['spectral_radius']:.4g}")
    return ", ".join(shown) or "normalized values"


def _deliver_comparison(format: Format, header: dict, pairs, moved, k: int, output, *, rows) -> None:
    """The pairwise table and the movers: one JSON object (``rows``, ``pairs``, ``movers``), two CSV tables, or two
    Rich tables."""
    from ..base import output as _output

    if format is Format.json:
        document = {**header, "rows": _output.records(rows), "pairs": _output.records(pairs, index=False),
                    "movers": _output.records(moved)}
        emit(json.dumps(document, allow_nan=False) + "\n", output)
        return
    if format is Format.csv:
        emit(_output.to_csv(pairs, index=False) + "\n" + _output.to_csv(moved), output)
        return
    to_file = output is not None
    parts = [
        render_table(f"how far the rankings agree (top {k})", pairs.set_index("measure_a"),
                     "kendall tau: Kendall's tau-b (1 the same order, -1 reversed, empty: a constant measure); "
                     f"top k overlap: share of the {k} highest actors both rankings share", to_file=to_file),
        render_table(f"the {k} actors whose rank moves most", moved[moved["mover"]].drop(columns="mover"),
                     "rank under each measure (1 = highest); spread = max - min over the measures that rank anyone",
                     to_file=to_file),
    ]
    if to_file:
        emit("\n".join(parts), output)
