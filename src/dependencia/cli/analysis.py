"""Commands that analyse power beyond ranking it: concentration, explain, chokepoints, what-if.

Plain functions; :mod:`dependencia.cli` registers them as commands.
"""

from __future__ import annotations

import json
from typing import Annotated, Optional

import typer

from ..errors import UsageError
from .console import deliver, emit, progress, render_table
from .options import (
    ActorsOpt,
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

# the computation (pandas, Numba, ...) is imported inside each command: `dependencia --help` stays fast


def concentration(
    network: NetworkArg,
    actors: ActorsOpt = None,
    infrastructures: InfrastructuresOpt = None,
    ownership: OwnershipOpt = None,
    control: ControlOpt = None,
    control_threshold: ControlThresholdOpt = None,
    strict: StrictOpt = False,
    dimension: Annotated[
        Optional[list[str]], typer.Option("--dimension", help="Report only this dimension (repeatable).")
    ] = None,
    length: LengthOpt = None,
    undirected: UndirectedOpt = False,
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    paths: PathsOpt = Paths.routed,
    format: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Concentration of power: Gini, HHI and top-k shares of top-level actors, overall (*) and per dimension."""
    from ..measures.concentration import concentration as measure_concentration

    check_parallel(workers, scheduler)
    net = load_network(network, actors, infrastructures, ownership=ownership, control=control,
                       control_threshold=control_threshold, strict=strict)
    with progress("concentration of power") as _:
        frame = measure_concentration(
            net, dimensions=dimension, directed=not undirected, length=length, workers=workers, scheduler=scheduler,
            paths=paths.value,
        )
    header = {"measure": "concentration", "directed": not undirected, "length": length,
              "n_actors": net.n_actors, "dimensions": [s for s in frame.index if s != "*"]}
    deliver(format.value, header, frame, title="concentration of power (top-level actors' shares)",
            caption="* = all dimensions together", output=output)


def explain(
    network: NetworkArg,
    actor: Annotated[str, typer.Argument(metavar="ACTOR", help="The actor whose power to explain.")],
    actors: ActorsOpt = None,
    infrastructures: InfrastructuresOpt = None,
    ownership: OwnershipOpt = None,
    control: ControlOpt = None,
    control_threshold: ControlThresholdOpt = None,
    strict: StrictOpt = False,
    top: Annotated[int, typer.Option("--top", min=1, help="How many actor pairs to list.")] = 10,
    switch_length: Annotated[
        float, typer.Option("--switch-length", help="Switching length of the multiplex view (default 1).")
    ] = 1.0,
    dimension: DimensionOpt = None,
    length: LengthOpt = None,
    undirected: UndirectedOpt = False,
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    paths: PathsOpt = Paths.routed,
    format: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Where an actor's power comes from: by controlled node, top actor pairs, per dimension, authority."""
    import pandas as pd

    from ..base import output as _output
    from ..measures.explain import OTHER_PAIRS
    from ..measures.explain import explain as measure_explain

    check_parallel(workers, scheduler)
    net = load_network(network, actors, infrastructures, ownership=ownership, control=control,
                       control_threshold=control_threshold, strict=strict)
    with progress(f"explaining {actor}") as _:
        why = measure_explain(net, actor, top=top, switch_length=switch_length, directed=not undirected,
                              length=length, dimensions=dimension, workers=workers, scheduler=scheduler,
                              paths=paths.value)
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
            "zero_reason": why.zero_reason.to_dict() if why.zero_reason is not None else None,
        }
        emit(json.dumps(document, allow_nan=False) + "\n", output)
        return
    if format is Format.csv:
        tables = [_output.to_csv(why.by_node), _output.to_csv(why.top_pairs, index=False), _output.to_csv(why.by_dimension)]
        emit("\n".join(tables), output)
        return
    heading = (f"power of {why.actor}: {why.power:.4g} normalized, {why.raw_power:.4g} raw, "
               f"share {why.power_share:.4g}")
    if why.zero_reason is not None:
        heading += f"\nwhy 0: {why.zero_reason.text}"
    needs = ", ".join(f"{r.provider} ({r.dimension})" for r in why.depends_on.itertuples()) or "nobody"
    authority = (f"depends on: {needs}\n"
                 f"formal authority held over: {', '.join(why.authority_held) or 'nothing'}; "
                 f"subject to: {', '.join(why.authority_over_it) or 'nobody'} (authority confers no power)")
    if output is None:
        typer.echo(heading)
    parts = [
        heading,
        render_table("by controlled node", why.by_node, "each path credited to the first node it meets",
                      to_file=output is not None),
        render_table(f"top {top} actor pairs through its nodes", pairs[["share"]],
                      "share of each pair's shortest paths; the last row sums the rest", to_file=output is not None),
        render_table("per dimension", why.by_dimension,
                     "power, power share: each dimension alone (views); multiplex credit: the multiplex power "
                     "credited to the dimension where paths first meet its nodes (sums to it)",
                     to_file=output is not None),
        authority,
    ]
    if output is None:
        typer.echo(authority)
    else:
        emit("\n".join(parts) + "\n", output)


def chokepoints(
    network: NetworkArg,
    actors: ActorsOpt = None,
    infrastructures: InfrastructuresOpt = None,
    ownership: OwnershipOpt = None,
    control: ControlOpt = None,
    control_threshold: ControlThresholdOpt = None,
    strict: StrictOpt = False,
    top: TopOpt = None,
    candidates: Annotated[
        Optional[int], typer.Option("--candidates", min=1, help="Remove only the N nodes of highest betweenness.")
    ] = None,
    sample: Annotated[
        Optional[int], typer.Option("--sample", min=1, help="Evaluate N sampled dependency pairs (error bound shown).")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the sample.")] = 0,
    dimension: DimensionOpt = None,
    length: LengthOpt = None,
    undirected: UndirectedOpt = False,
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    paths: PathsOpt = Paths.routed,
    format: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Which nodes cut or lengthen declared dependencies when removed, and their share of all shortest paths."""
    from ..measures.chokepoints import chokepoints as measure_chokepoints

    check_parallel(workers, scheduler)
    net = load_network(network, actors, infrastructures, ownership=ownership, control=control,
                       control_threshold=control_threshold, strict=strict)
    with progress("chokepoints") as _:
        frame = measure_chokepoints(net, directed=not undirected, length=length, dimensions=dimension,
                                    candidates=candidates, sample=sample, seed=seed, workers=workers,
                                    scheduler=scheduler, paths=paths.value)
    attrs = dict(frame.attrs)
    rows = frame.iloc[:top] if top is not None else frame
    header = {"measure": "chokepoints", "pairs": attrs["pairs"], "sampled": attrs["sampled"],
              "epsilon": attrs["epsilon"], "delta": attrs["delta"]}
    caption = f"shares of {attrs['pairs']} declared dependency pairs"
    if attrs["sampled"]:
        caption += f" (sampled: within {attrs['epsilon']:.3g} with probability {1 - attrs['delta']:g})"
    deliver(format.value, header, rows, output=output, caption=caption,
            title="chokepoints (removal cuts or lengthens) and panopticons (share of shortest paths)")


def _dependency_spec(spec: str, *, with_route: bool) -> dict:
    parts = spec.split(":")
    if len(parts) not in ((3, 4) if with_route else (3,)) or not all(parts[:3]):
        shape = "DEPENDENT:PROVIDER:DIMENSION" + ("[:VIA]" if with_route else "")
        raise UsageError(f"{spec!r} is not {shape}")
    record: dict[str, str | list[str]] = {"dependent": parts[0], "provider": parts[1], "dimension": parts[2]}
    if len(parts) == 4 and parts[3]:
        record["via"] = [x.strip() for x in parts[3].split(";")]
    return record


def whatif(
    network: NetworkArg,
    actors: ActorsOpt = None,
    infrastructures: InfrastructuresOpt = None,
    ownership: OwnershipOpt = None,
    control: ControlOpt = None,
    control_threshold: ControlThresholdOpt = None,
    strict: StrictOpt = False,
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
    dimension: DimensionOpt = None,
    length: LengthOpt = None,
    undirected: UndirectedOpt = False,
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    top: TopOpt = None,
    paths: PathsOpt = Paths.routed,
    format: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """What if actors, infrastructures or dependencies were removed or added? Power, lost dependencies, path length."""
    from ..base import output as _output
    from ..measures.whatif import whatif as measure_whatif

    removed_deps = [_dependency_spec(s, with_route=False) for s in remove_dependency or []]
    added = [_dependency_spec(s, with_route=True) for s in add_dependency or []]
    if not (remove or removed_deps or added):
        raise UsageError("say what changes: --remove, --remove-dependency or --add-dependency")
    check_parallel(workers, scheduler)
    net = load_network(network, actors, infrastructures, ownership=ownership, control=control,
                       control_threshold=control_threshold, strict=strict)
    with progress("what-if") as _:
        result = measure_whatif(
            net, remove=remove or [],
            remove_dependencies=[(d["dependent"], d["provider"], d["dimension"]) for d in removed_deps],
            add_dependencies=added, directed=not undirected, length=length, dimensions=dimension, workers=workers,
            scheduler=scheduler, paths=paths.value,
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
    caption = (
        f"{result.lost_dependencies} declared dependencies lose all paths; mean path length "
        f"{result.mean_path_length_before:.4g} -> {result.mean_path_length_after:.4g}"
    )
    deliver(format.value, header, rows, title="what if: actor power before and after", caption=caption,
            output=output)
