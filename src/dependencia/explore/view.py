"""What the explorer's page shows, as plain JSON-ready data: what stays (sent once) and what an edit changes.

The network view is the report's (:func:`~dependencia.report.graph_view.graph_view`):
the start network laid out once (above ``max_nodes`` nodes its ``top``
actors by power and their neighbours), so that an edit moves nothing but
what it changes. :meth:`View.fixed` is what no edit changes (the nodes,
their places, their power at the start, the ids of the start network), sent
with the first state only; :meth:`View.state` is what an edit changes: which
of the view's nodes are present, their power now, the edges now, the
``TABLE_ROWS`` actors whose power changed most (with their count), the
changes list, the history. Every actor's values are in the table export
(``/api/export/table``).

Examples
--------
>>> import dependencia as dp
>>> from dependencia.explore.state import Explorer
>>> view = View(Explorer(dp.examples.load("ai-stack")).apply({"op": "remove", "id": "azure"}))
>>> state = view.state()
>>> state["history"], state["changes"][0]["id"], "fixed" in state, "fixed" in view.payload()
(['remove azure'], 'microsoft', False, True)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..base import constants as _constants
from ..graph.hops import hops
from ..report.graph_view import Frame, graph_view
from ..report.json_values import floats, number, text
from .operations import OPERATIONS
from .state import Explorer

__all__ = ["CHANGE_TOLERANCE", "TABLE_ROWS", "View"]

#: A change in normalized power smaller than this is no change (rounding between two exact computations).
CHANGE_TOLERANCE = 1e-12
#: How many actors the page's table and changes list get per state (those whose power changed most).
TABLE_ROWS = 300


class View:
    """The page's data for an :class:`~dependencia.explore.state.Explorer`, laid out once at the start.

    Parameters
    ----------
    explorer : Explorer
    label : str
        The network's name on the page.
    seed, max_nodes, top, label_top :
        As for :func:`dependencia.report`.
    rows : int, default TABLE_ROWS
        How many actors the table and the changes list show.
    """

    def __init__(self, explorer: Explorer, *, label: str = "network", seed: int = 0,
                 max_nodes: int = _constants.MAX_NODES, top: int = _constants.TOP_ACTORS,
                 label_top: int = _constants.LABEL_TOP, rows: int = TABLE_ROWS) -> None:
        self.explorer = explorer
        self.label = label
        self.rows = rows
        start = explorer.start
        self.graph = graph_view([Frame("start", start, explorer.power(0)["power"])], seed=seed, max_nodes=max_nodes,
                                top=top, label_top=label_top)
        self._ids = pd.Index(self.graph["nodes"]["id"], dtype=object)
        self._start_nodes = start.actors.index.append(start.infrastructures.index)
        self._local = np.full(len(self._start_nodes), -1, dtype=np.int64)  # a start node's place in the view, or -1
        self._local[self._start_nodes.get_indexer(self._ids)] = np.arange(len(self._ids))
        self._kinds = start.actors["kind"]
        self.note = _view_note(self.graph, min(top, start.n_actors), max_nodes, rows)

    def fixed(self) -> dict[str, Any]:
        """What no edit changes: the view's nodes and their places, power at the start, the start's ids."""
        start = self.explorer.start
        nodes = {key: self.graph["nodes"][key] for key in ("id", "label", "kind", "owner", "infrastructure", "x", "y")}
        return {
            "label": self.label, "nodes": nodes, "note": self.note, "total_nodes": self.graph["total_nodes"],
            "label_top": self.graph["label_top"], "power_start": self.graph["frames"][0]["power"],
            "actors": [str(x) for x in start.actors.index],
            "infrastructures": [str(x) for x in start.infrastructures.index],
            "rows": self.rows, "operations": {op: [name for name, _ in fields] for op, fields in OPERATIONS.items()},
        }

    def payload(self) -> dict[str, Any]:
        """The first state the page draws: :meth:`state` with :meth:`fixed` under ``"fixed"``."""
        return {**self.state(), "fixed": self.fixed()}

    def state(self) -> dict[str, Any]:
        """What an edit changes, as the page draws it."""
        explorer = self.explorer
        network = explorer.network
        measured = explorer.power()
        changes = explorer.changes()
        now = network.actors.index.append(network.infrastructures.index)
        history = explorer.history(all_steps=True)
        attrs = measured.attrs
        return {
            "position": explorer.position,
            "history": history,
            "can_undo": explorer.position > 0,
            "can_redo": explorer.position < len(history),
            "exact": bool(attrs.get("exact", True)),
            "power_note": _power_note(attrs),
            "graph": {
                "present": self._ids.isin(now).astype(int).tolist(),
                "power": floats(measured["power"].reindex(self._ids).to_numpy(dtype=float)),
                "edges": self._edges(network, now),
            },
            "table": self._table(network, changes),
            "table_total": len(changes),
            **self._changes(changes),
            "choices": {"removed": [str(x) for x in self._start_nodes.difference(now, sort=False)],
                        "new_actors": [str(x) for x in network.actors.index.difference(self._start_nodes, sort=False)],
                        "new_infrastructures": [str(x) for x in
                                                network.infrastructures.index.difference(self._start_nodes, sort=False)],
                        "dimensions": [str(x) for x in network.dimensions.index]},
        }

    def _edges(self, network: Any, now: pd.Index) -> list[int]:
        """The view's edges now, as flat pairs of its node positions: the hops of every dependency on the hub
        graph (every dimension in one: the page draws them alike) between two nodes of the view, each pair once.

        The same edges as the report's :func:`~dependencia.report.graph_view.frame_edges`, merged over the
        dimensions, from the hops alone (no compiled graph per dimension: on 20,000 actors a third of an edit).
        """
        new = now.difference(self._start_nodes, sort=False)
        index = self._start_nodes.append(new) if len(new) else self._start_nodes
        local = np.concatenate([self._local, np.full(len(new), -1, dtype=np.int64)]) if len(new) else self._local
        deps = network.dependencies
        hop = hops(index.get_indexer(deps["dependent"]), index.get_indexer(deps["provider"]),
                   deps["via"].to_numpy(dtype=object), index)
        source, target = local[hop.source], local[hop.target]
        drawn = (source >= 0) & (target >= 0)
        n = max(len(self._ids), 1)
        pairs = np.unique(source[drawn] * n + target[drawn])
        return np.column_stack([pairs // n, pairs % n]).ravel().tolist()

    def _table(self, network: Any, changes: pd.DataFrame) -> list[dict[str, Any]]:
        """The ``rows`` actors whose power changed most (then the most powerful now, then by id)."""
        change = changes["change"].abs().fillna(0.0).to_numpy()
        after = changes["power_after"].fillna(0.0).to_numpy()
        ids = changes.index.astype(str).to_numpy()
        top = changes.iloc[np.lexsort((ids, -after, -change))[:self.rows]]
        kinds = network.actors["kind"].reindex(top.index).fillna(self._kinds.reindex(top.index))
        columns = {name: floats(top[name].to_numpy(dtype=float)) for name in
                   ("power_before", "power_after", "change", "share_before", "share_after")}
        return [{"id": str(actor), "kind": text(kind), **{name: values[k] for name, values in columns.items()}}
                for k, (actor, kind) in enumerate(zip(top.index, kinds))]

    def _changes(self, changes: pd.DataFrame) -> dict[str, Any]:
        """The changes list (largest first, at most ``rows``), its length, and the actors gone."""
        moved = changes[changes["change"].abs() > CHANGE_TOLERANCE]
        ranked = moved.iloc[np.argsort(-moved["change"].abs().to_numpy(), kind="stable")[:self.rows]]
        gone = changes.index[changes["power_after"].isna()]
        return {"changes": [{"id": str(actor), "before": number(before), "after": number(after), "change": number(c)}
                            for actor, before, after, c in zip(ranked.index, ranked["power_before"],
                                                                ranked["power_after"], ranked["change"])],
                "changes_total": len(moved), "gone": [str(actor) for actor in gone]}


def _view_note(graph: dict[str, Any], top: int, max_nodes: int, rows: int) -> str | None:
    """The explorer's own note on a reduced view (the report's says its table covers every actor; this one does not)."""
    if graph["note"] is None:
        return None
    return (f"Showing the {top:,} most powerful actors at the start and their neighbours: "
            f"{len(graph['nodes']['id']):,} of {graph['total_nodes']:,} nodes (the view keeps at most {max_nodes:,}). "
            f"The table lists the {rows:,} actors whose power changed most; the table export has every actor.")


def _power_note(attrs: dict[str, Any]) -> str:
    if attrs.get("exact", True):
        return "exact power (routed paths)"
    return (f"approximate power: every value within {attrs.get('epsilon')} of the exact one with probability "
            f"at least {1 - float(attrs.get('delta') or 0.1):g} (the network is above the explorer's exact cost limit)")
