"""What the explorer's page shows, as plain JSON-ready data: the network view, the table, the changes, the history.

The network view is the report's (:func:`~dependencia.report.graph_view.graph_view`):
the start network laid out once (above ``max_nodes`` nodes its ``top``
actors by power and their neighbours, as the report shows them), so that an
edit moves nothing but what it changes. Each state adds which of those
nodes are present, their power now and at the start, and the edges now.

Examples
--------
>>> import dependencia as dp
>>> from dependencia.explore.state import Explorer
>>> view = View(Explorer(dp.examples.load("ai-stack")).apply({"op": "remove", "id": "azure"}))
>>> state = view.payload()
>>> state["history"], state["changes"][0]["id"]
(['remove azure'], 'microsoft')
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..base import constants as _constants
from ..report.graph_view import Frame, frame_edges, graph_view
from ..report.json_values import number, text
from .operations import OPERATIONS
from .state import Explorer

__all__ = ["CHANGE_TOLERANCE", "View"]

#: A change in normalized power smaller than this is no change (rounding between two exact computations).
CHANGE_TOLERANCE = 1e-12


class View:
    """The page's data for an :class:`~dependencia.explore.state.Explorer`, laid out once at the start.

    Parameters
    ----------
    explorer : Explorer
    label : str
        The network's name on the page.
    seed, max_nodes, top, label_top :
        As for :func:`dependencia.report`.
    """

    def __init__(self, explorer: Explorer, *, label: str = "network", seed: int = 0,
                 max_nodes: int = _constants.MAX_NODES, top: int = _constants.TOP_ACTORS,
                 label_top: int = _constants.LABEL_TOP) -> None:
        self.explorer = explorer
        self.label = label
        start = explorer.start
        self.graph = graph_view([Frame("start", start, explorer.power(0)["power"])], seed=seed, max_nodes=max_nodes,
                                top=top, label_top=label_top)
        every = list(start.actors.index) + list(start.infrastructures.index)
        self._index = {node: i for i, node in enumerate(every)}
        self._local = np.full(len(every), -1, dtype=np.int64)
        self._local[[self._index[node] for node in self.graph["nodes"]["id"]]] = np.arange(len(self.graph["nodes"]["id"]))
        self._start_power = [value for value in self.graph["frames"][0]["power"]]

    def payload(self) -> dict[str, Any]:
        """The whole state as the page draws it."""
        explorer = self.explorer
        network = explorer.network
        measured = explorer.power()
        changes = explorer.changes()
        ids = self.graph["nodes"]["id"]
        present = set(network.actors.index) | set(network.infrastructures.index)
        edges = {}
        for dimension, pairs in frame_edges(network, self._index).items():
            local = self._local[pairs]
            edges[dimension] = local[(local >= 0).all(axis=1)].ravel().tolist()
        moved = changes[changes["change"].abs() > CHANGE_TOLERANCE]
        gone = changes[changes["power_after"].isna()]
        ranked = moved.reindex(moved["change"].abs().sort_values(ascending=False, kind="stable").index)
        nodes = {key: self.graph["nodes"][key] for key in ("id", "label", "kind", "owner", "infrastructure", "x", "y")}
        attrs = measured.attrs
        return {
            "label": self.label,
            "position": explorer.position,
            "history": explorer.history(all_steps=True),
            "can_undo": explorer.position > 0,
            "can_redo": explorer.position < len(explorer.history(all_steps=True)),
            "exact": bool(attrs.get("exact", True)),
            "power_note": _power_note(attrs),
            "graph": {
                "nodes": nodes, "note": self.graph["note"], "total_nodes": self.graph["total_nodes"],
                "label_top": self.graph["label_top"], "dimensions": sorted(str(d) for d in network.dimensions.index),
                "present": [int(node in present) for node in ids],
                "power_start": self._start_power,
                "power": [number(measured["power"].get(node)) if node in measured.index else None for node in ids],
                "edges": edges,
            },
            "table": [{"id": str(actor), "kind": text(network.actors["kind"].get(actor, "")),
                       "power_before": number(row.power_before), "power_after": number(row.power_after),
                       "change": number(row.change), "share_before": number(row.share_before),
                       "share_after": number(row.share_after)}
                      for actor, row in zip(changes.index, changes.itertuples(index=False))],
            "changes": [{"id": str(actor), "before": number(row.power_before), "after": number(row.power_after),
                         "change": number(row.change)}
                        for actor, row in zip(ranked.index, ranked.itertuples(index=False))],
            "gone": [str(actor) for actor in gone.index],
            "choices": _choices(explorer),
            "operations": {op: [name for name, _ in fields] for op, fields in OPERATIONS.items()},
        }


def _choices(explorer: Explorer) -> dict[str, list[str]]:
    """The ids the page's forms offer: actors and infrastructures now, the removed ones, dimensions."""
    network, start = explorer.network, explorer.start
    now = list(network.actors.index) + list(network.infrastructures.index)
    here = set(now)
    removed = [node for node in list(start.actors.index) + list(start.infrastructures.index) if node not in here]
    return {"actors": [str(x) for x in network.actors.index],
            "infrastructures": [str(x) for x in network.infrastructures.index],
            "nodes": [str(x) for x in now], "removed": [str(x) for x in removed],
            "dimensions": [str(x) for x in network.dimensions.index]}


def _power_note(attrs: dict[str, Any]) -> str:
    if attrs.get("exact", True):
        return "exact power (routed paths)"
    return (f"approximate power: every value within {attrs.get('epsilon')} of the exact one with probability "
            f"at least {1 - float(attrs.get('delta') or 0.1):g} (the network is above the explorer's exact cost limit)")
