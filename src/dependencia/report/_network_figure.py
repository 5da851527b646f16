"""The ``network`` figure: nodes placed by the seeded layout, area by power, colour by kind, edges by dimension.

Actors are circles whose area grows linearly with their power
(:data:`MIN_AREA` for none, :data:`MIN_AREA` + :data:`AREA_RANGE` for the
most powerful, both shrunk by ``sqrt(150 / nodes shown)`` when more than 150
nodes are shown); infrastructures are small grey squares (their power counts
in their owners'). Edges are drawn once per dimension they carry, in that
dimension's colour, from dependent to provider (hops of routes through
infrastructure included). The :data:`LABELS` most powerful actors are
named.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import UsageError
from ..graph.compiled import CompiledGraph, compile_graph
from ..simulation.series import order_by_value
from ._figure_input import FigureInput, power_at
from .figure_style import LARGE_NETWORK, PALETTE, TOP_ACTORS, new_figure, text
from .layout import network_layout

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ..network.model import Network

__all__ = ["network_figure"]

MIN_AREA = 14.0
AREA_RANGE = 420.0
INFRASTRUCTURE_AREA = 22.0
LABELS = 8
INFRASTRUCTURE = "infrastructure"
#: Edge colours, one per dimension in the network's order (muted, distinct from the node palette's use).
OWNERSHIP_COLOUR = "#555555"
EDGE_COLOURS = ("#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB", "#222255")


def network_figure(data: FigureInput, *, step: int | None) -> "Figure":
    """Draw the network ``data`` holds at ``step`` (default: the last step it holds)."""
    if not data.is_run and step is not None:
        raise UsageError("--step applies to a run folder; a network file holds one network")
    chosen = data.network_steps[-1] if step is None else step
    network = data.network(chosen)
    power = power_at(data, chosen).reindex(network.actors.index).fillna(0.0).astype(float)
    graph = compile_graph(network, paths="hub")
    ids = pd.Index(graph.node_ids, dtype=object)
    shown, note = _shown_nodes(graph, power)
    positions = network_layout(network, seed=0, nodes=None if shown is None else list(ids[shown]))
    keep = np.ones(len(ids), dtype=bool) if shown is None else np.isin(np.arange(len(ids)), shown)

    xy = positions.reindex(ids).to_numpy(dtype=float)
    span = np.ptp(xy[keep], axis=0) + 0.08 if keep.any() else np.ones(2)
    figure, axes = new_figure(7.2, float(np.clip(5.0 * span[1] / max(span[0], 1e-9) + 0.7, 3.6, 7.0)))
    axes.set_axis_off()
    axes.set_aspect("equal")
    edge_handles = _draw_edges(axes, network, ids, keep, xy)
    kind_handles = _draw_nodes(axes, network, ids, keep, xy, power)
    _label_top(axes, power, positions, area=pd.Series(_areas(power, int(keep.sum())), index=power.index))
    if keep.any():
        low, high = np.nanmin(xy[keep], axis=0) - 0.04, np.nanmax(xy[keep], axis=0) + 0.04
        axes.set_xlim(low[0], high[0])
        axes.set_ylim(low[1], high[1])
    figure.legend(handles=kind_handles, title="kind (area: power)", loc="outside right upper",
                  title_fontsize=8.0, alignment="left")
    if edge_handles:
        figure.legend(handles=edge_handles, title="edges", loc="outside right lower", title_fontsize=8.0,
                      alignment="left")
    label = " (start)" if chosen == 0 else " (end)" if chosen == data.final_step else ""
    when = f"at step {chosen}{label}" if data.is_run else ""
    counts = f"{network.n_actors:,} actors, {network.n_infrastructures:,} infrastructures"
    title = f"Dependency network {when}".rstrip() + f": {counts}"
    axes.set_title(title if note is None else f"{title}\n{note}")
    return figure


def _shown_nodes(graph: CompiledGraph, power: pd.Series) -> tuple[np.ndarray | None, str | None]:
    """All nodes (None), or the top actors by power and their neighbours on large graphs."""
    if graph.n_nodes <= LARGE_NETWORK:
        return None, None
    actors = pd.Series(power.to_numpy(dtype=float))
    top = order_by_value(actors, pd.Series(power.index.to_numpy(dtype=object)))[:TOP_ACTORS]
    chosen = np.zeros(graph.n_nodes, dtype=bool)
    chosen[top] = True
    touching = chosen[graph.source] | chosen[graph.target]
    chosen[graph.source[touching]] = True
    chosen[graph.target[touching]] = True
    shown = np.flatnonzero(chosen)
    note = (f"showing the top {min(TOP_ACTORS, len(power))} actors by power and their neighbours: "
            f"{len(shown):,} of {graph.n_nodes:,} nodes")
    return shown, note


def _draw_edges(axes: Axes, network: Network, ids: pd.Index, keep: np.ndarray, xy: np.ndarray) -> list:
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    handles = []
    for i, dimension in enumerate(network.dimensions.index):
        graph = compile_graph(network, dimensions=[dimension], paths="hub")
        inside = keep[graph.source] & keep[graph.target]
        if not inside.any():
            continue
        segments = np.stack([xy[graph.source[inside]], xy[graph.target[inside]]], axis=1)
        colour = EDGE_COLOURS[i % len(EDGE_COLOURS)]
        crowded = keep.sum() > 300
        axes.add_collection(LineCollection(list(segments), colors=colour, linewidths=0.4 if crowded else 0.7,
                                           alpha=0.35 if crowded else 0.6, zorder=1,
                                           gid=f"edges-{i}"))
        handles.append(Line2D([], [], color=colour, linewidth=1.5, label=text(dimension)))
    owned = _ownership_segments(network, ids, keep, xy)
    if len(owned):
        axes.add_collection(LineCollection(list(owned), colors=OWNERSHIP_COLOUR, linewidths=0.8, linestyles=(0, (2, 2)),
                                           zorder=1, gid="ownership"))
        handles.append(Line2D([], [], color=OWNERSHIP_COLOUR, linewidth=1.0, linestyle=(0, (2, 2)),
                              label="owns / controls"))
    return handles


def _ownership_segments(network: Network, ids: pd.Index, keep: np.ndarray, xy: np.ndarray) -> np.ndarray:
    """Owner to infrastructure, and owner to owned actor (ownership and authority are not paths)."""
    infra = network.infrastructures["owner"].dropna()
    owners = list(infra.to_numpy()) + list(network.ownership["owner"])
    owned = list(infra.index) + list(network.ownership["owned"])
    if not owners:
        return np.zeros((0, 2, 2))
    a, b = ids.get_indexer(pd.Index(owners, dtype=object)), ids.get_indexer(pd.Index(owned, dtype=object))
    valid = (a >= 0) & (b >= 0)
    a, b = a[valid], b[valid]
    inside = keep[a] & keep[b]
    return np.stack([xy[a[inside]], xy[b[inside]]], axis=1)


def _draw_nodes(axes: Axes, network: Network, ids: pd.Index, keep: np.ndarray, xy: np.ndarray, power: pd.Series) -> list:
    from matplotlib.lines import Line2D

    n_actors = network.n_actors
    kinds = (network.actors["kind"] if "kind" in network.actors.columns else pd.Series("actor", network.actors.index))
    kinds = kinds.fillna("actor").astype(str).to_numpy(dtype=object)
    area = _areas(power, int(keep.sum()))
    handles = []
    for i, kind in enumerate(sorted(set(kinds[keep[:n_actors]]))):
        rows = np.flatnonzero((kinds == kind) & keep[:n_actors])
        colour = PALETTE[i % len(PALETTE)]
        order = rows[np.argsort(-area[rows], kind="stable")]  # small nodes drawn over big ones
        axes.scatter(xy[order, 0], xy[order, 1], s=area[order], color=colour, edgecolors="white", linewidths=0.5,
                     zorder=3, gid=f"nodes-{i}", label=text(kind))
        handles.append(Line2D([], [], marker="o", linestyle="", color=colour, markersize=6, label=text(kind)))
    infra = np.flatnonzero(keep[n_actors:]) + n_actors
    if len(infra):
        axes.scatter(xy[infra, 0], xy[infra, 1], s=INFRASTRUCTURE_AREA, marker="s", color="#777777",
                     edgecolors="white", linewidths=0.5, zorder=2, gid="nodes-infrastructure", label=INFRASTRUCTURE)
        handles.append(Line2D([], [], marker="s", linestyle="", color="#777777", markersize=5, label=INFRASTRUCTURE))
    return handles


def _areas(power: pd.Series, shown: int) -> np.ndarray:
    """Marker areas (points squared): linear in power, MIN_AREA for none, MIN_AREA + AREA_RANGE at the peak.

    Both shrink by sqrt(150 / shown) above 150 nodes shown, so that crowded drawings stay legible.
    """
    values = power.to_numpy(dtype=float)
    peak = float(values.max()) if len(values) else 0.0
    scale = min(1.0, float(np.sqrt(150 / max(shown, 1))))
    return scale * (MIN_AREA + (AREA_RANGE * values / peak if peak > 0 else np.zeros(len(values))))


def _label_top(axes: Axes, power: pd.Series, positions: pd.DataFrame, *, area: pd.Series) -> None:
    from matplotlib.patheffects import withStroke

    present = power[power.index.isin(positions.index) & (power > 0)]
    if present.empty:
        return
    order = order_by_value(pd.Series(present.to_numpy()), pd.Series(present.index.to_numpy(dtype=object)))[:LABELS]
    for actor in present.index[order]:
        x, y = positions.loc[actor, ["x", "y"]]
        offset = 0.35 * float(np.sqrt(area[actor])) + 1.5  # just outside the marker (diameter sqrt(area) points)
        axes.annotate(text(actor), (x, y), xytext=(offset, offset), textcoords="offset points", fontsize=7,
                      zorder=4, color="#222222", path_effects=[withStroke(linewidth=2.0, foreground="white")])
