"""Static figures for papers: concentration, power of the top actors, Lorenz curve, the network.

Each figure is a :class:`matplotlib.figure.Figure` built directly (no
pyplot, so no global figure state), drawn with the style of :data:`~.figure_style.STYLE`
inside :func:`matplotlib.rc_context` (nothing leaks into the caller's
settings). :func:`save_figure` writes PNG, SVG or PDF, the format following
the file's suffix, atomically, and with fixed metadata and SVG ids, so that
the same input always gives the same bytes.

Kinds (:data:`KINDS`):

- ``concentration``: ``gini``, ``hhi`` and ``top5_share`` over the steps
  (the run's ``steps`` table, by its column names);
- ``power``: the power share of the top actors over the steps
  (:func:`~dependencia.simulation.series.top_actor_series`);
- ``lorenz``: the Lorenz curve of the power shares of top-level actors at a
  step, with their Gini coefficient (the one the ``steps`` table records);
- ``network``: the network at a step the run holds (its start, a
  checkpoint, or its end), laid out by :func:`~dependencia.report.layout.network_layout`
  with seed 0; node area by power, colour by kind, edges coloured by
  dimension. Above :data:`LARGE_NETWORK` nodes only the :data:`TOP_ACTORS`
  most powerful actors and their neighbours are drawn, and the title says so.

Examples
--------
>>> import dependencia as dp
>>> figure = dp.plot(dp.examples.load("florentine"), kind="lorenz")
>>> figure.axes[0].get_title()
'Lorenz curve of power (Gini 0.560)'
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "lorenz.svg"
>>> save_figure(figure, path)
>>> path.read_bytes()[:5]
b'<?xml'
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import numpy as np

from ..errors import UsageError
from ..simulation.series import lorenz_points, top_actor_series
from ._figure_input import FigureInput, figure_input, top_level_shares
from .figure_style import FORMATS, PALETTE, SERIES_COLOURS, STYLE, new_figure, save_figure, text

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ..network.model import Network
    from ..simulation.run import Run

__all__ = ["FORMATS", "KINDS", "plot", "save_figure"]

KINDS = ("concentration", "power", "lorenz", "network")


def plot(source: "Run | Network | str | os.PathLike[str]", *, kind: str, dimension: str | None = None,
         top: int | None = None, step: int | None = None) -> "Figure":
    """A static figure of a run or a network.

    Parameters
    ----------
    source : Run, Network, or path
        A run (:class:`~dependencia.simulation.run.Run`, or its folder), or
        a network (an object, a network file, or a shipped example's name);
        a network serves the kinds ``lorenz`` and ``network``.
    kind : {"concentration", "power", "lorenz", "network"}
    dimension : str, optional
        ``power`` and ``lorenz``: one dimension instead of the aggregate.
    top : int, optional
        ``power``: how many actors (default 10).
    step : int, optional
        ``lorenz`` and ``network``: the step (default the last one held).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    UsageError
        For an unknown kind, an option the kind does not take, a step or
        dimension the input lacks, or a run-only kind on a network.
    InputError
        For input that is not a run folder nor a network.

    Examples
    --------
    The Lorenz curve of the Florentine families' power; its Gini is the one
    :func:`~dependencia.concentration` reports:

    >>> import dependencia as dp
    >>> net = dp.examples.load("florentine")
    >>> figure = dp.plot(net, kind="lorenz")
    >>> round(float(dp.concentration(net).loc["*", "gini"]), 3)
    0.56
    >>> len(figure.axes[0].lines[1].get_xdata())  # 15 families and the origin
    16
    """
    if kind not in KINDS:
        raise UsageError(f"unknown kind {kind!r}: choose one of {', '.join(KINDS)}")
    if dimension is not None and kind not in ("power", "lorenz"):
        raise UsageError("--dimension applies to --kind power and lorenz")
    if top is not None and kind != "power":
        raise UsageError("--top applies to --kind power")
    if top is not None and top < 1:
        raise UsageError(f"--top must be >= 1, got {top}")
    if step is not None and kind not in ("lorenz", "network"):
        raise UsageError("--step applies to --kind lorenz and network")
    data = figure_input(source)
    if not data.is_run and kind in ("concentration", "power"):
        raise UsageError(f"--kind {kind} needs a run folder (its steps and actors tables); {data.name} is a network")
    from matplotlib import rc_context

    with rc_context(STYLE):  # type: ignore[arg-type]  # matplotlib's stubs want literal keys
        if kind == "concentration":
            return _concentration(data)
        if kind == "power":
            return _power(data, top=10 if top is None else top, dimension=dimension or "*")
        if kind == "lorenz":
            return _lorenz(data, step=step, dimension=dimension or "*")
        from ._network_figure import network_figure

        return network_figure(data, step=step)


def _integer_steps(axes: "Axes") -> None:
    from matplotlib.ticker import MaxNLocator

    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("step")


def _concentration(data: FigureInput) -> "Figure":
    steps = data.table("steps")
    needed = [c for c in ("step", "gini", "hhi", "top5_share") if c not in steps.columns]
    if needed:
        raise UsageError(f"the steps table of {data.name} lacks {', '.join(needed)}")
    if steps.empty:
        raise UsageError(f"the run {data.name} has no steps to draw")
    figure, axes = new_figure(6.4, 3.6)
    marker = "o" if len(steps) <= 25 else None
    for column, colour in (("gini", PALETTE[0]), ("hhi", PALETTE[1]), ("top5_share", PALETTE[2])):
        # the steps.parquet column names, as simulate, the demo, the report and query call them
        axes.plot(steps["step"].to_numpy(), steps[column].to_numpy(dtype=float), label=column, color=colour,
                  marker=marker, markersize=3.5, gid=column)
    axes.set_ylim(0, 1.02)
    axes.set_ylabel("concentration of power")
    axes.set_title("Concentration of power among top-level actors")
    _integer_steps(axes)
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return figure


def _power(data: FigureInput, *, top: int, dimension: str) -> "Figure":
    series = top_actor_series(data.table("actors"), top, column="power_share", dimension=dimension)
    figure, axes = new_figure(6.4, 3.6 if len(series.columns) <= 12 else 4.8)
    marker = "o" if len(series) <= 25 else None
    styles = ("-", "--", ":", "-.")
    for i, actor in enumerate(series.columns):
        colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        axes.plot(series.index.to_numpy(), series[actor].to_numpy(dtype=float), label=text(actor), color=colour,
                  linestyle=styles[(i // len(SERIES_COLOURS)) % len(styles)], marker=marker, markersize=3,
                  gid=f"actor-{i}")
    axes.set_ylim(bottom=0)
    axes.set_ylabel("power share" if dimension == "*" else f"power share in {text(dimension)}")
    shown = f"the top {len(series.columns)} actors" if len(series.columns) > 1 else "the top actor"
    where = "" if dimension == "*" else f" in {text(dimension)}"
    axes.set_title(f"Power share of {shown}{where} (ranked at the last step)")
    _integer_steps(axes)
    columns = 1 if len(series.columns) <= 16 else 2
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), ncols=columns, title="actor",
                title_fontsize=8.0, alignment="left")
    return figure


def _lorenz(data: FigureInput, *, step: int | None, dimension: str) -> "Figure":
    chosen, shares = top_level_shares(data, step=step, dimension=dimension)
    if len(shares) == 0:
        raise UsageError(f"no top-level actors to draw a Lorenz curve for in {data.name}")
    x, y = lorenz_points(shares)
    area = float(np.sum((y[1:] + y[:-1]) / 2 * np.diff(x)))
    gini = 1.0 - 2.0 * area
    figure, axes = new_figure(4.4, 4.4)
    axes.plot([0, 1], [0, 1], color="#888888", linestyle="--", linewidth=1.0, label="equality", gid="equality")
    axes.fill_between(x, y, x, color=PALETTE[0], alpha=0.12, linewidth=0)
    axes.plot(x, y, color=PALETTE[0], marker="o" if len(shares) <= 40 else None, markersize=3,
              label="power", gid="lorenz")
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    axes.set_aspect("equal")
    axes.grid(True, axis="both")
    axes.set_xlabel("cumulative share of actors (least powerful first)")
    axes.set_ylabel("cumulative share of power")
    where = "" if dimension == "*" else f" in {text(dimension)}"
    when = "" if chosen is None else f", step {chosen}"
    axes.set_title(f"Lorenz curve of power{where}{when} (Gini {gini:.3f})")
    axes.legend(loc="upper left")
    return figure

