"""The ``rents`` command: one period's prices, payments, rents by source and latent power.

A plain function; :mod:`dependencia.cli` registers it as a command.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Annotated

import typer

from ..economics.config import PRICING_RULES, WAGE_RULES, Economy  # light: the defaults below; the rest in the command
from ..errors import UsageError
from .console import emit, progress, render_table
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

ROW_FIELDS = (
    "income", "spending", "net", "power_share", "income_share", "latent_power",
    "income_markup", "income_toll", "income_transfer", "income_cost_recovery", "income_wages",
)
_DEFAULT = Economy()
_FLAGS = {"pricing": "--pricing", "leaders": "--leaders", "markup_base": "--markup-base",
          "markup_slope": "--markup-slope", "elasticity": "--elasticity", "rent_tax": "--rent-tax",
          "care_shadow_price": "--care-price", "wage_rule": "--wage-rule", "subsistence": "--subsistence",
          "wage_markup": "--wage-markup"}


def rents(
    network: NetworkArg,
    actors: ActorsOpt = None,
    infrastructures: InfrastructuresOpt = None,
    ownership: OwnershipOpt = None,
    control: ControlOpt = None,
    control_threshold: ControlThresholdOpt = None,
    strict: StrictOpt = False,
    pricing: Annotated[
        str, typer.Option("--pricing", help=f"Price rule: {' or '.join(PRICING_RULES)} (Lee; the default).")
    ] = _DEFAULT.pricing,
    leaders: Annotated[
        int, typer.Option("--leaders", help="Price leaders per dimension (the most powerful providers there).")
    ] = _DEFAULT.leaders,
    markup_base: Annotated[
        float, typer.Option("--markup-base", help="Markup of a provider with no power in the dimension.")
    ] = _DEFAULT.markup_base,
    markup_slope: Annotated[
        float, typer.Option("--markup-slope", help="Added markup per unit of power share in the dimension.")
    ] = _DEFAULT.markup_slope,
    elasticity: Annotated[
        float, typer.Option("--elasticity", help="Marginalist pricing: price ~ (demand/capacity)^(1/elasticity).")
    ] = _DEFAULT.elasticity,
    rent_tax: Annotated[
        float, typer.Option("--rent-tax", help="Share of private rent income (markup, toll) taxed for the public.")
    ] = _DEFAULT.rent_tax,
    care_price: Annotated[
        float, typer.Option("--care-price", help="Shadow price of one unit of unpaid care.")
    ] = _DEFAULT.care_shadow_price,
    wage_rule: Annotated[
        str, typer.Option("--wage-rule", help=f"Wage of labour dependencies without a 'wage': {' or '.join(WAGE_RULES)} "
                          "(subsistence x (1 + wage markup), the default; or x (1 + the worker's markup in labour)).")
    ] = _DEFAULT.wage_rule,
    subsistence: Annotated[
        float, typer.Option("--subsistence", help="A worker's cost of one unit of labour (an actor's 'subsistence' wins).")
    ] = _DEFAULT.subsistence,
    wage_markup: Annotated[
        float, typer.Option("--wage-markup", help="Administered wage: its margin over subsistence.")
    ] = _DEFAULT.wage_markup,
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
    """Prices, payments along routes, incomes by source, and latent power (power share - income share).

    One period: every dependency pays strength x its dimension's monetized
    share at the provider's price, plus a toll to the owner of every
    infrastructure on its route; unit costs not bought inside the network go
    to the world account; dependencies in the dimension ``labour`` pay
    their provider, the worker, a wage. Rows are ranked by income. CSV prints the actor
    rows; JSON adds prices, totals and the outside accounts.
    """
    from ..base import output as _output
    from ..economics import rents as compute_rents

    try:
        economy = Economy(
            pricing=pricing, leaders=leaders, markup_base=markup_base, markup_slope=markup_slope,
            elasticity=elasticity, rent_tax=rent_tax, care_shadow_price=care_price, wage_rule=wage_rule,
            subsistence=subsistence, wage_markup=wage_markup,
        )
    except UsageError as problem:  # name the option the user typed, not the setting behind it
        message = str(problem)
        for setting, flag in _FLAGS.items():
            message = message.replace(f"economy.{setting} ", f"{flag} ")
        raise UsageError(message) from None
    check_parallel(workers, scheduler)
    net = load_network(network, actors, infrastructures, ownership=ownership, control=control,
                       control_threshold=control_threshold, strict=strict)
    with progress("prices and rents") as _:
        result = compute_rents(net, economy=economy, dimensions=dimension, directed=not undirected,
                               length=length, workers=workers, scheduler=scheduler, paths=paths.value)
    rows = _output.ranked(result.actors, "income")
    if top is not None:
        rows = rows.iloc[:top]
    prices = result.prices.set_index("provider")
    if format is Format.json:
        document = {
            "measure": "rents",
            "pricing": economy.pricing,
            "economy": _settings(economy),
            "directed": not undirected,
            "length": length,
            "dimensions": sorted(result.prices["dimension"].unique().tolist()),
            "n_actors": net.n_actors,
            "rows": _output.records(rows),
            "prices": [{"provider": r.pop("id"), **r} for r in _output.records(prices)],
            "totals": result.totals,
            "accounts": [{"account": r.pop("id"), **r} for r in _output.records(result.accounts)],
        }
        emit(json.dumps(document, allow_nan=False) + "\n", output)
        return
    if format is Format.csv:
        emit(_output.to_csv(rows), output)
        return
    t = result.totals
    summary = (
        f"{economy.pricing} prices; paid = received = {t['paid']:.6g} (to world {t['to_world']:.6g}, "
        f"tolls {t['tolls']:.6g}, transfers {t['transfers']:.6g}, taxes {t['taxes']:.6g}, wages {t['wages']:.6g}); "
        f"unpaid care valued at {t['unpaid_care_value']:.6g}"
    )
    to_file = output is not None
    parts = [
        render_table(f"rents of {net.n_actors} actors, ranked by income", rows[["rank", *ROW_FIELDS]],
                     "latent power = power share - income share; "
                     "income = markup + toll + transfer + cost recovery + wages (+ taxes, the public's)",
                     to_file=to_file),
        render_table("prices per provider and dimension", prices, "leader: sets the price others follow",
                     to_file=to_file),
    ]
    if to_file:
        emit("\n".join([*parts, summary]) + "\n", output)
    else:
        typer.echo(summary)


def _settings(economy: Economy) -> dict:
    values = dataclasses.asdict(economy)
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in values.items()}
