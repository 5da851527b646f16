"""The ``shock`` command: DebtRank shock propagation, or every actor's systemic impact.

A plain function; :mod:`dependencia.cli` registers it as a command.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .console import deliver, progress
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
    SchedulerOpt,
    StrictOpt,
    TopOpt,
    WorkersOpt,
    check_parallel,
    load_network,
)

# the computation (pandas, Numba, ...) is imported inside the command: `dependencia --help` stays fast


def shock(
    network: NetworkArg,
    fail: Annotated[
        Optional[list[str]],
        typer.Option("--fail", metavar="ID",
                     help="This actor or infrastructure fails (repeatable). Without --fail: the systemic impact "
                     "of every actor."),
    ] = None,
    actors: ActorsOpt = None,
    infrastructures: InfrastructuresOpt = None,
    ownership: OwnershipOpt = None,
    control: ControlOpt = None,
    control_threshold: ControlThresholdOpt = None,
    strict: StrictOpt = False,
    dimension: DimensionOpt = None,
    owner_impairs: Annotated[
        bool,
        typer.Option("--owner-impairs/--no-owner-impairs",
                     help="An infrastructure is impaired as much as its owner (a failed actor takes its "
                     "infrastructures with it); --no-owner-impairs: only when it fails itself."),
    ] = True,
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    top: TopOpt = None,
    format: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Shock propagation (DebtRank): who is impaired when nodes fail (--fail), or each actor's systemic impact.

    Each dependent loses, round by round, the share of its dependency
    strength that runs through impaired nodes (a route counts for its
    provider and for each infrastructure it passes); each node passes its
    impairment on once (Battiston et al. 2012). With --fail: the impaired
    nodes, by round, with the impaired share of all actors (weighted by their
    dependency strength) and the DebtRank (that less the failed actors' own
    share). Without --fail: every actor's systemic impact, the impaired share
    when it alone fails (with its infrastructures), ranked. See
    docs/model.md#shock-propagation.
    """
    from ..measures.shock import failed_positions

    check_parallel(workers, scheduler)
    net = load_network(network, actors, infrastructures, ownership=ownership, control=control,
                       control_threshold=control_threshold, strict=strict)
    if fail:
        failed_positions(net, fail, name="--fail")  # an unknown id: one message naming --fail and the id
        _shock(net, fail, dimension, owner_impairs, top, format, output)
    else:
        _systemic_impact(net, dimension, owner_impairs, workers, scheduler, top, format, output)


def _shock(net, fail: list[str], dimension, owner_impairs: bool, top, format: Format, output) -> None:
    import numpy as np

    from ..measures.shock import shock as measure_shock

    with progress("shock propagation") as _:
        frame = measure_shock(net, fail, dimensions=dimension, owner_impairs=owner_impairs)
    attrs = dict(frame.attrs)
    n_actors = net.n_actors
    rows = frame[frame["impairment"] > 0].copy()
    rows.insert(0, "kind", np.where(frame.index.get_indexer(rows.index) < n_actors, "actor", "infrastructure"))
    rows["round"] = rows["round"].astype(int)
    order = np.lexsort((rows.index.to_numpy(dtype=object).astype(str), -rows["impairment"].to_numpy(),
                        rows["round"].to_numpy()))
    rows = rows.iloc[order][["kind", "round", "impairment"]]
    if top is not None:
        rows = rows.iloc[:top]
    header = {"measure": "shock", "failed": attrs["failed"], "impaired_share": attrs["impaired_share"],
              "total_impairment": attrs["impaired_share"],
              "debtrank": attrs["debtrank"], "rounds": attrs["rounds"], "impaired_nodes": int((frame["impairment"] > 0).sum()),
              "n_nodes": len(frame), "dimensions": attrs["dimensions"], "owner_impairs": attrs["owner_impairs"]}
    caption = (f"impaired share of all actors {attrs['impaired_share']:.4g}, DebtRank {attrs['debtrank']:.4g}; "
               f"{header['impaired_nodes']} of {len(frame)} nodes impaired in {attrs['rounds']} rounds (the rest: 0)")
    deliver(format.value, header, rows, title=f"shock propagation: {', '.join(attrs['failed'])} fail",
            caption=caption, output=output)


def _systemic_impact(net, dimension, owner_impairs: bool, workers, scheduler, top, format: Format, output) -> None:
    from ..base import output as _output
    from ..measures.shock import systemic_impact

    with progress("systemic impact") as _:
        frame = systemic_impact(net, dimensions=dimension, owner_impairs=owner_impairs, workers=workers,
                                scheduler=scheduler)
    rows = _output.ranked(frame, "systemic_impact")
    if top is not None:
        rows = rows.iloc[:top]
    header = {"measure": "systemic_impact", "n_actors": net.n_actors, "dimensions": frame.attrs["dimensions"],
              "owner_impairs": frame.attrs["owner_impairs"]}
    caption = ("share of all actors (weighted by dependency strength) impaired when the actor alone fails"
               + (" with its infrastructures" if owner_impairs else "") + "; DebtRank: less its own share")
    deliver(format.value, header, rows, title="systemic impact (DebtRank)", caption=caption, output=output)

