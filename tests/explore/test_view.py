"""The page's data: the edges now against the report's frame_edges, the rows sent, the note of a reduced view."""

from __future__ import annotations

import numpy as np
import pytest

import dependencia as dp
from dependencia.explore.state import Explorer
from dependencia.explore.view import View
from dependencia.report.graph_view import frame_edges


def _edges_of_the_report(view: View) -> set[tuple[int, int]]:
    """The report's edges of the network now (per dimension, from compiled hub graphs), merged, in view positions."""
    start = view.explorer.start
    every = list(start.actors.index) + list(start.infrastructures.index)
    where = {node: k for k, node in enumerate(view.graph["nodes"]["id"])}
    pairs = set()
    for edges in frame_edges(view.explorer.network, {node: i for i, node in enumerate(every)}).values():
        for a, b in edges.tolist():
            if every[a] in where and every[b] in where:
                pairs.add((where[every[a]], where[every[b]]))
    return pairs


@pytest.mark.parametrize("edits", [[], [{"op": "remove", "id": "azure"}],
                                   [{"op": "transit", "infrastructure": "gcp", "transit": "open"},
                                    {"op": "remove", "id": "openai"}]])
def test_the_edges_now_are_the_reports(edits):
    view = View(Explorer(dp.examples.load("ai-stack")))
    for spec in edits:
        view.explorer.apply(spec)
    flat = view.state()["graph"]["edges"]
    drawn = list(zip(flat[::2], flat[1::2]))
    assert len(drawn) == len(set(drawn)) and set(drawn) == _edges_of_the_report(view)
    assert len(drawn) > 10


def _chain(actors: int) -> dp.Network:
    rng = np.random.default_rng(3)
    deps = [{"dependent": f"a{k}", "provider": f"a{p}"} for k in range(1, actors) for p in {0, int(rng.integers(k))}]
    return dp.Network.from_records([{"id": f"a{k}"} for k in range(actors)], deps)


def test_a_state_sends_the_rows_that_changed_most_and_the_reduced_views_note_says_so():
    net = _chain(120)
    view = View(Explorer(net), max_nodes=40, top=10, rows=25)
    view.explorer.apply({"op": "remove", "id": "a0"})
    state = view.state()
    oracle = dp.whatif(net, remove=["a0"]).actors
    assert len(state["table"]) == 25 and state["table_total"] == 120 and "fixed" not in state
    changes = [abs(row["change"]) for row in state["table"] if row["change"] is not None]
    assert changes == sorted(changes, reverse=True)
    cutoff = oracle["change"].abs().sort_values(ascending=False).iloc[len(changes)]
    assert min(changes) >= cutoff - 1e-12
    note = view.payload()["fixed"]["note"]
    assert "The table lists the 25 actors whose power changed most" in note and "cover every actor" not in note
    assert len(view.payload()["fixed"]["nodes"]["id"]) <= 40
