"""The ``import`` commands: bring data that economists already have into a network file.

A Typer sub-app; :mod:`dependencia.cli` registers it with
``app.add_typer(imports.app, name="import")``, which gives ``dependencia import
mrio PATH --format FORMAT -o OUT``. pymrio, pandas and NumPy are imported inside
the command (``--help`` stays fast).
"""

from __future__ import annotations

import warnings
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import InputError, InputWarning, UsageError

__all__ = ["app", "mrio"]

app = typer.Typer(
    name="import",
    help="Bring data in: input-output tables (mrio) as dependency networks.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

#: What ``dependencia.write`` can write, by suffix; a folder or a name without suffix is a CSV bundle.
_WRITABLE = (".yaml", ".yml", ".json", ".csv", ".graphml", ".gexf")


class MrioFormat(str, Enum):
    oecd = "oecd"
    wiod = "wiod"
    exiobase = "exiobase"
    eora = "eora"
    pymrio = "pymrio"


class Measure(str, Enum):
    direct = "direct"
    input_share = "input_share"
    total = "total"


@app.callback()
def _group() -> None:
    """Bring data in: input-output tables (mrio) as dependency networks."""


@app.command()
def mrio(
    path: Annotated[Path, typer.Argument(metavar="PATH", show_default=False,
                                         help="The table's file or folder, as its pymrio parser expects it.")],
    table_format: Annotated[MrioFormat, typer.Option(
        "--format", show_default=False,
        help="oecd (ICIO), wiod, exiobase (EXIOBASE 3), eora (Eora26), or pymrio: a folder that pymrio's "
        "save_all wrote (text or Parquet tables).")],
    output: Annotated[Path, typer.Option(
        "-o", "--output", show_default=False,
        help="Network to write: .yaml/.yml/.json (model file), a folder or a name without suffix (CSV bundle), "
        "or .csv, .graphml, .gexf, as `convert` chooses.")],
    measure: Annotated[Measure, typer.Option(
        "--measure", help="direct: pymrio's A (the seller's output per unit of the buyer's); input_share: the "
        "share of the buyer's intermediate inputs; total: the Leontief inverse L.")] = Measure.direct,
    threshold: Annotated[float, typer.Option(
        "--threshold", help="A dependency where the measure is at or above this, in (0, 1].")] = 0.01,
    year: Annotated[Optional[int], typer.Option("--year", help="The year to read (oecd, wiod, eora).")] = None,
    final_demand: Annotated[bool, typer.Option(
        "--final-demand/--no-final-demand",
        help="Add households and government of each region as actors that depend on what they buy.")] = True,
    financial: Annotated[Optional[list[str]], typer.Option(
        "--financial", metavar="SECTOR",
        help="A sector whose sales are financial dependencies (repeatable); by default the sectors whose name "
        "reads as finance or insurance.")] = None,
) -> None:
    """Convert a multi-regional input-output table into a dependency network (docs/data.md).

    Actors are region-sector pairs REGION:SECTOR (and REGION:households, REGION:government); a buyer depends
    on a seller where the measure is at or above the threshold, its strength that value; own-sector purchases
    are left out. Nothing is written when the table is refused.
    """
    from ..io import write
    from ..io.mrio import check_options, from_mrio, read_mrio

    check_options(measure.value, threshold)
    if not (output.is_dir() or not output.suffix or output.suffix.lower() in _WRITABLE):
        raise UsageError(f"cannot write {output}: unsupported format {output.suffix!r}; supported: a folder "
                         f"(CSV bundle), {', '.join(_WRITABLE)}")
    table = read_mrio(path, format=table_format.value, year=year)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", InputWarning)
            net = from_mrio(table, measure=measure.value, threshold=threshold, final_demand=final_demand,
                            financial_sectors=financial)
    except InputError as problem:
        raise problem.located(source=str(path)) from None
    for caught_warning in caught:
        if isinstance(caught_warning.message, InputWarning):
            typer.echo(f"warning: {path}, {caught_warning.message}", err=True)
        else:  # not ours: as Python would have shown it
            warnings.warn_explicit(caught_warning.message, caught_warning.category, caught_warning.filename,
                                   caught_warning.lineno)
    for item in write(net, output):
        typer.echo(f"dropped (not expressible in {output.suffix or 'a CSV bundle'}): {item}", err=True)
    typer.echo(f"wrote {output}: {net.n_actors} actors, {len(net.dependencies)} dependencies "
               f"({measure.value} >= {threshold:g})", err=True)
