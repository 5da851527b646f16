"""The network view of a report, as plain data: nodes, positions, and one frame per step shown.

Every frame (the start of a run, each checkpoint, the end; or the one state
of a network) says which nodes exist, their power and the edges of each
dimension; the nodes are the union over the frames, laid out once
(:func:`~dependencia.report.layout.edge_layout`), so that the step slider
moves nothing but what changes. Above ``max_nodes`` nodes the view keeps the
``top`` actors by power at the last frame and then their neighbours, most
powerful first, and ``note`` says so.

Examples
--------
>>> import dependencia as dp
>>> net = dp.Network.from_records([{"id": i} for i in "abc"],
...     [{"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "c"}])
>>> view = graph_view([Frame("network", net, dp.power(net)["power"])])
>>> view["nodes"]["id"], view["frames"][0]["power"], view["frames"][0]["edges"]
(['a', 'b', 'c'], [0.0, 0.5, 0.0], {'default': [0, 1, 1, 2]})
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..base import constants as _constants
from ..graph.compiled import compile_graph
from ..network.model import Network
from .json_values import number, text
from .layout import edge_layout

__all__ = ["Frame", "frame_edges", "graph_view", "power_controllers"]

MAX_NODES = _constants.MAX_NODES
TOP_ACTORS = _constants.TOP_ACTORS
LABEL_TOP = _constants.LABEL_TOP


@dataclass(frozen=True)
class Frame:
    """One state of the network shown by the step slider: its label, network and actors' power."""

    label: str
    network: Network
    power: pd.Series  # normalized power by actor id


def graph_view(frames: list[Frame], *, seed: int = 0, max_nodes: int = MAX_NODES,
               top: int = TOP_ACTORS, label_top: int = LABEL_TOP) -> dict[str, Any]:
    """Nodes, positions and per-frame edges of the network view; the page names the ``label_top`` most powerful."""
    nodes = _union_nodes(frames)
    index = {node: i for i, node in enumerate(nodes["id"])}
    per_frame = [frame_edges(frame.network, index) for frame in frames]
    chosen, note = _choose_nodes(nodes, frames[-1], per_frame[-1], max_nodes=max_nodes, top=top)
    keep = np.zeros(len(nodes["id"]), dtype=bool)
    keep[chosen] = True
    local = np.cumsum(keep) - 1
    shown = [{dim: pairs[keep[pairs[:, 0]] & keep[pairs[:, 1]]] for dim, pairs in edges.items()} for edges in per_frame]
    every = [pairs for edges in shown for pairs in edges.values()]
    pairs = np.concatenate(every) if every else np.zeros((0, 2), dtype=np.int64)
    ids = nodes["id"][keep]
    positions = edge_layout(list(ids), local[pairs[:, 0]], local[pairs[:, 1]], seed=seed)
    dimensions = sorted({str(d) for frame in frames for d in frame.network.dimensions.index})
    payload_frames = []
    for frame, edges in zip(frames, shown):
        present = set(frame.network.actors.index) | set(frame.network.infrastructures.index)
        payload_frames.append({
            "label": frame.label,
            "present": [int(node in present) for node in ids],
            "power": [number(frame.power.get(node)) if node in frame.power.index else None for node in ids],
            "edges": {dim: local[pairs].ravel().tolist() for dim, pairs in edges.items()},
        })
    return {
        "nodes": {"id": [str(x) for x in ids], "label": [nodes["label"][i] for i in chosen],
                  "kind": [nodes["kind"][i] for i in chosen], "owner": [nodes["owner"][i] for i in chosen],
                  "infrastructure": [bool(nodes["infrastructure"][i]) for i in chosen],
                  "x": positions["x"].tolist(), "y": positions["y"].tolist()},
        "dimensions": dimensions, "frames": payload_frames, "note": note,
        "total_nodes": int(len(nodes["id"])), "shown_nodes": int(keep.sum()), "label_top": int(label_top),
    }


def _union_nodes(frames: list[Frame]) -> dict[str, Any]:
    seen: dict[str, dict[str, Any]] = {}
    for frame in frames:  # a later frame's kind and owner win (ownership changes hands)
        net = frame.network
        control = power_controllers(net)
        labels = net.actors["label"] if "label" in net.actors else pd.Series(dtype=object)
        for actor, kind in net.actors["kind"].items():
            seen[actor] = {"kind": text(kind) or "actor", "owner": control.get(actor, actor),
                           "label": text(labels.get(actor)), "infrastructure": False}
        for infra, owner in net.infrastructures["owner"].items():
            owner = None if owner is None or (isinstance(owner, float) and math.isnan(owner)) else owner
            seen[infra] = {"kind": "infrastructure", "owner": control.get(infra, owner or "(none)"),
                           "label": text(net.infrastructures["label"].get(infra)) if "label" in net.infrastructures
                           else "", "infrastructure": True}
    ids = list(seen)
    return {"id": np.array(ids, dtype=object), **{key: [seen[i][key] for i in ids]
                                                    for key in ("kind", "owner", "label", "infrastructure")}}


def power_controllers(network: Network) -> dict[str, str]:
    """Each actor's and infrastructure's ultimate controller (an actor controlled by none controls itself)."""
    groups = network.control_groups()
    controlled = {member for head, members in groups.items() for member in members if member != head}
    return {member: str(head) for head, members in groups.items() if head not in controlled for member in members}


def frame_edges(network: Network, index: dict[str, int]) -> dict[str, np.ndarray]:
    edges = {}
    for dim in network.dimensions.index:
        if not (network.dependencies["dimension"] == dim).any():
            continue
        graph = compile_graph(network, dimensions=[dim], paths="hub")  # drawn edges: actors and infrastructures
        to_union = np.array([index[node] for node in graph.node_ids], dtype=np.int64)
        edges[str(dim)] = np.column_stack([to_union[graph.source], to_union[graph.target]])
    return edges


def _choose_nodes(nodes: dict[str, np.ndarray], last: Frame, edges: dict[str, np.ndarray], *, max_nodes: int,
                  top: int) -> tuple[np.ndarray, str | None]:
    n = len(nodes["id"])
    if n <= max_nodes:
        return np.arange(n), None
    value = pd.Series(nodes["id"]).map(last.power).fillna(-1.0).to_numpy(dtype=float)
    order = np.lexsort((nodes["id"], -value))
    actors = order[~np.asarray(nodes["infrastructure"])[order]][:top]
    chosen = set(actors.tolist())
    pairs = np.concatenate(list(edges.values())) if edges else np.zeros((0, 2), dtype=np.int64)
    inner = np.isin(pairs[:, 0], actors) | np.isin(pairs[:, 1], actors)
    neighbours = set(pairs[inner].ravel().tolist()) - chosen
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    for node in sorted(neighbours, key=rank.__getitem__)[: max(0, max_nodes - len(chosen))]:
        chosen.add(node)
    note = (f"Showing the {len(actors):,} most powerful actors and their neighbours: {len(chosen):,} of {n:,} nodes "
            f"(the view keeps at most {max_nodes:,}). The table and the charts cover every actor.")
    return np.array(sorted(chosen), dtype=np.int64), note
