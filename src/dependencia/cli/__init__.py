"""The ``dependencia`` command line: a thin Typer layer over the Python API.

One module per command group (``network``: validate, power, convert; ``analysis``; ``measures``; ``shock``;
``economics``; ``improve``; ``simulation``; ``sweep``; ``experiment``; ``query``; ``plot``; ``report``;
``scenarios``), the shared options in ``options`` and the terminal output in
``console``. Nothing else in the package imports this one.

Exit codes: 0 success; 2 bad input or usage (one message on stderr, no
traceback); 1 an internal error (the traceback only with ``--debug``).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ..errors import DependenciaError
from . import (
    analysis,
    economics,
    experiment,
    explore,
    improve,
    measures,
    network,
    plot,
    query,
    report,
    scenarios,
    shock,
    simulation,
    sweep,
)
from .imports import app as import_app

# Lazy imports: this package's modules import only Typer and light modules at the top, and the
# computation (pandas, NumPy, Numba, igraph, ...) inside each command, so that `dependencia --help`
# starts fast; tests/test_startup.py checks it (docs/architecture.md, "Start-up").

__all__ = ["app", "main"]

app = typer.Typer(
    name="dependencia",
    help="Power as betweenness centrality in a multi-dimensional network of dependencies.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

_state = {"debug": False}


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")] = False,
) -> None:
    """Power as betweenness centrality in a multi-dimensional network of dependencies."""
    _state["debug"] = debug


for _command in (
    network.validate, network.power, network.convert,
    analysis.explain, analysis.whatif, analysis.chokepoints, analysis.concentration, measures.measures, shock.shock,
    economics.rents, improve.improve, simulation.simulate, simulation.resume,
    sweep.sweep, experiment.experiment, query.query, plot.plot, report.report, explore.explore,
):
    app.command()(_command)
app.add_typer(scenarios.app, name="scenarios")
app.add_typer(import_app, name="import")


def _conservation_error() -> type[Exception]:
    """:class:`~dependencia.economics.ConservationError`, without loading the economics if it never ran."""
    ledger = sys.modules.get("dependencia.economics.ledger")
    return ledger.ConservationError if ledger is not None else _NeverRaised


class _NeverRaised(Exception):
    pass


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``dependencia`` command; returns the exit code."""
    args = sys.argv[1:] if argv is None else argv
    _state["debug"] = "--debug" in args
    try:
        app(args=args, prog_name="dependencia", standalone_mode=True)
        code = 0
    except SystemExit as stop:  # Typer/Click exit here, usage errors with code 2
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except _conservation_error() as problem:  # money created or destroyed: a bug, not bad input
        if _state["debug"]:
            raise
        typer.echo(f"internal error: {problem} (rerun with --debug for the traceback)", err=True)
        code = 1
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
