"""The one edit API, ``dependencia.network.edits`` (docs/model.md#co-evolution-the-network-monopoly).

The oracle: the tables each operation should give, built by hand as lists of
records from the old network's records, then validated by
``Network.from_records``; and the graphs compiled from the new network, with
edges, strengths and lengths worked by hand for the hand examples.

Hand examples first (one per operation, with hand-worked values), then the
errors, then hypothesis: random networks with routes, parallel dependencies,
several dimensions, needs and ownership, and sequences of 1 to 6 random
operations, each followed on four graphs (aggregate, one dimension, with a
length attribute, undirected with lengths).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import dependencia as dp
from dependencia.errors import InputError, UsageError
from dependencia.graph import CompiledGraph, compile_graph
from dependencia.network.edits import (
    Edit,
    add_actor,
    add_dependencies,
    add_infrastructure,
    add_needs,
    remove_dependencies,
    remove_infrastructure,
    remove_nodes,
    reroute,
    serve_dimensions,
    serve_needs,
    set_strengths,
    transfer_ownership,
)
from dependencia.network.records import records_to_frame
from dependencia.network.schema import record_locator

# --------------------------------------------------------------------------- oracles
TABLES = ("actors", "dependencies", "needs", "infrastructures", "ownership", "authority")


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def records_of(net: dp.Network) -> dict[str, list[dict[str, Any]]]:
    """The network as records (every column in table order; missing values as None).

    ``out["columns"]`` keeps each table's columns, for a table that ends up empty.
    """
    out: dict[str, Any] = {"columns": {}}
    for name in TABLES:
        table = getattr(net, name)
        keyed = name in ("actors", "infrastructures")
        rows = []
        for key, row in zip(table.index.tolist(), table.to_dict("records")):
            record = {"id": key} if keyed else {}
            record.update({k: (None if _missing(v) else v) for k, v in row.items()})
            rows.append(record)
        out[name] = rows
        out["columns"][name] = list(table.columns)
    if net._dimensions_declared:
        out["dimensions"] = [{"id": k, "monetized": m} for k, m in net.dimensions["monetized"].items()]
    return out


def network_of(records: dict[str, Any]) -> dp.Network:
    """Validate the records as a Network; a table keeps its old columns (new ones come last)."""
    frames = {}
    for name in TABLES:
        rows = records[name]
        columns = (["id"] if name in ("actors", "infrastructures") else []) + records["columns"][name]
        for row in rows:
            columns += [k for k in row if k not in columns]
        frames[name] = records_to_frame(rows, name, record_locator).reindex(columns=columns)
    dimensions = records.get("dimensions")
    if dimensions is not None:
        dimensions = records_to_frame(dimensions, "dimensions", record_locator)
    return dp.Network(frames.pop("actors"), frames.pop("dependencies"), dimensions=dimensions, **frames)


def graph_options(net: dp.Network) -> list[dict[str, Any]]:
    """The four graphs every change is followed on."""
    first = list(net.dimensions.index)[:1]
    return [
        {"paths": "hub"},
        {"dimensions": first, "paths": "hub"},
        {"length": "w", "paths": "hub"},
        {"length": "w", "directed": False, "paths": "hub"},
    ]


def expected_graph(net: dp.Network, options: dict[str, Any]) -> CompiledGraph:
    """compile_graph of ``net``; a chosen dimension the network no longer names has no edges."""
    chosen = options.get("dimensions")
    if chosen is not None:
        missing = [k for k in chosen if k not in net.dimensions.index]
        if missing:
            dims = [{"id": k, "monetized": m} for k, m in net.dimensions["monetized"].items()]
            net = net.replace(dimensions=pd.DataFrame(dims + [{"id": k} for k in missing]))
    return compile_graph(net, **options)


def assert_same_graph(got: CompiledGraph, expected: CompiledGraph) -> None:
    assert got.node_ids.tolist() == expected.node_ids.tolist()
    assert got.n_actors == expected.n_actors
    assert got.directed == expected.directed
    assert got.dimensions == expected.dimensions
    assert got.source.dtype == np.int64 and got.target.dtype == np.int64
    np.testing.assert_array_equal(got.source, expected.source)
    np.testing.assert_array_equal(got.target, expected.target)
    assert got.strength.dtype == np.float64
    # bit for bit: the touched edges are summed in compile_graph's order
    np.testing.assert_array_equal(got.strength, expected.strength)
    if expected.length is None:
        assert got.length is None
    else:
        np.testing.assert_array_equal(got.length, expected.length)
    assert [got.index.get_loc(i) for i in got.node_ids.tolist()] == list(range(got.n_nodes))


def follow(net: dp.Network, edit: Edit, graphs: list[CompiledGraph], options) -> list[CompiledGraph]:
    """The graphs of the edited network (compiled afresh), after checking that the edit started from ``net``."""
    assert edit.before is net and edit.network is not net
    return [expected_graph(edit.network, o) for o in options]


def _net(actors, deps=(), **tables) -> dp.Network:
    return dp.Network.from_records([a if isinstance(a, dict) else {"id": a} for a in actors], list(deps), **tables)


def _edges(graph: CompiledGraph) -> list[tuple[str, str]]:
    ids = graph.node_ids
    return [(ids[u], ids[v]) for u, v in zip(graph.source.tolist(), graph.target.tolist())]


def _routed() -> dp.Network:
    # Actors d, p, q (p owns X, q owns Y); Y serves only 'k'.
    # 0: d -> p via [X] (strength 2, w 3); 1: d -> p direct (1, w 5);
    # 2: q -> p via [X, Y] in k (4, w 1); 3: d -> q direct (0.5, w 2)
    return _net(
        ["d", "p", "q"],
        [
            {"dependent": "d", "provider": "p", "via": ["X"], "strength": 2, "w": 3},
            {"dependent": "d", "provider": "p", "strength": 1, "w": 5},
            {"dependent": "q", "provider": "p", "via": ["X", "Y"], "strength": 4, "w": 1, "dimension": "k"},
            {"dependent": "d", "provider": "q", "strength": 0.5, "w": 2},
        ],
        infrastructures=[{"id": "X", "owner": "p"}, {"id": "Y", "owner": "q", "dimensions": ["k"]}],
        needs=[{"dependent": "q", "dimension": "default"}, {"dependent": "d", "dimension": "k"}],
    )


def _graphs(net):
    options = graph_options(net)
    return [compile_graph(net, **o) for o in options], options


# --------------------------------------------------------------------------- hand examples
def test_add_infrastructure_appends_a_node():
    net = _routed()
    graphs, options = _graphs(net)
    edit = add_infrastructure(net, "Z", owner="q", dimensions=["k"], build_cost=3, upkeep=0.5,
                              built=7, public_origin=False)
    assert edit.nodes_added == ("Z",) and edit.nodes_removed == ()
    assert edit.removed.tolist() == edit.added.tolist() == edit.deleted.tolist() == []
    assert edit.before is net
    records = records_of(net)
    records["infrastructures"].append({"id": "Z", "owner": "q", "dimensions": ("k",), "build_cost": 3.0,
                                       "upkeep": 0.5, "built": 7, "public_origin": False})
    assert edit.network == network_of(records)
    assert list(edit.network.infrastructures.columns)[-2:] == ["built", "public_origin"]
    assert _missing(edit.network.infrastructures.loc["X", "built"])
    updated = follow(net, edit, graphs, options)
    # the new node is the last and isolated: edges keep their endpoints
    assert updated[0].node_ids.tolist() == ["d", "p", "q", "X", "Y", "Z"]
    assert updated[0].n_edges == graphs[0].n_edges


def test_add_infrastructure_ownerless_with_new_dimension():
    net = _routed()
    edit = add_infrastructure(net, "W", owner=None, dimensions="fresh")
    assert edit.network.infrastructures.loc["W", "owner"] is None
    assert list(edit.network.dimensions.index) == ["default", "k", "fresh"]
    graphs, options = _graphs(net)
    updated = follow(net, edit, graphs, options)
    assert updated[0].dimensions == ("default", "k", "fresh")  # the aggregate follows the network
    assert updated[1].dimensions == ("default",)  # a chosen dimension stays chosen


def test_remove_infrastructure_direct():
    # X leaves every route: row 0 d->X->p becomes d->p (parallel to row 1),
    # row 2 q->X->Y->p becomes q->Y->p.
    net = _routed()
    graphs, options = _graphs(net)
    edit = remove_infrastructure(net, "X")
    assert edit.removed.tolist() == [0, 2] and edit.added.tolist() == [0, 2] and edit.deleted.tolist() == []
    assert edit.nodes_removed == ("X",)
    records = records_of(net)
    records["dependencies"][0]["via"] = ()
    records["dependencies"][2]["via"] = ("Y",)
    del records["infrastructures"][0]
    assert edit.network == network_of(records)
    updated = follow(net, edit, graphs, options)
    g = updated[2]  # lengths
    assert _edges(g) == [("d", "p"), ("d", "q"), ("q", "Y"), ("Y", "p")]
    assert g.strength.tolist() == [3.0, 0.5, 4.0, 4.0]
    assert g.length.tolist() == [3.0, 2.0, 1.0, 1.0]
    assert g.node_ids.tolist() == ["d", "p", "q", "Y"]


def test_remove_infrastructure_need():
    # rows 0 and 2 go; d needs 'default' (new), q needs 'k' (new; q's 'default' need stays)
    net = _routed()
    graphs, options = _graphs(net)
    edit = remove_infrastructure(net, "X", fallback="need")
    assert edit.removed.tolist() == [0, 2] and edit.deleted.tolist() == [0, 2] and edit.added.tolist() == []
    records = records_of(net)
    records["dependencies"] = [records["dependencies"][1], records["dependencies"][3]]
    records["needs"] += [{"dependent": "d", "dimension": "default"}, {"dependent": "q", "dimension": "k"}]
    del records["infrastructures"][0]
    assert edit.network == network_of(records)
    updated = follow(net, edit, graphs, options)
    assert _edges(updated[0]) == [("d", "p"), ("d", "q")]


def test_remove_nodes_takes_an_actors_rows_and_makes_needs_of_cut_routes():
    # q goes with rows 2 (q -> p) and 3 (d -> q) and its need; X goes, so row 0 (d -> X -> p) is cut and
    # becomes d's need in 'default'; Y loses its owner q; row 1 (d -> p direct) stays
    net = _routed()
    edit = remove_nodes(net, ["q", "X"])
    assert edit.before is net and edit.nodes_removed == ("q", "X")
    assert edit.deleted.tolist() == [0, 2, 3] and edit.removed.tolist() == [0, 2, 3] and edit.added.tolist() == []
    records = records_of(net)
    records["actors"] = [a for a in records["actors"] if a["id"] != "q"]
    records["dependencies"] = [records["dependencies"][1]]
    records["needs"] = [{"dependent": "d", "dimension": "k"}, {"dependent": "d", "dimension": "default"}]
    records["infrastructures"] = [dict(records["infrastructures"][1], owner=None)]
    assert edit.network == network_of(records)
    assert remove_nodes(net, "X").nodes_removed == ("X",)  # one id as a string
    with pytest.raises(UsageError, match="cannot remove 'nobody'"):
        remove_nodes(net, ["nobody"])


def test_remove_dependencies_deletes_every_matching_row():
    net = _routed()
    edit = remove_dependencies(net, [("d", "p", "default")])  # rows 0 and 1 match
    assert edit.deleted.tolist() == [0, 1] and edit.removed.tolist() == [0, 1] and edit.nodes_removed == ()
    records = records_of(net)
    records["dependencies"] = records["dependencies"][2:]
    assert edit.network == network_of(records)
    with pytest.raises(UsageError, match="no dependency p:d:default to remove"):
        remove_dependencies(net, [("p", "d", "default")])


def test_set_strengths_serve_dimensions_and_add_needs():
    net = _routed()
    halved = set_strengths(net, [2, 0], [2.0, 1.0])  # one value per row, in the order given
    assert halved.removed.tolist() == [0, 2] and halved.added.tolist() == [0, 2]
    records = records_of(net)
    records["dependencies"][0]["strength"], records["dependencies"][2]["strength"] = 1.0, 2.0
    assert halved.network == network_of(records)
    assert set_strengths(net, 1, 3.0).network.dependencies["strength"].tolist() == [2.0, 3.0, 4.0, 0.5]
    with pytest.raises(UsageError, match="2 strengths for 1 dependency rows"):
        set_strengths(net, [0], [1.0, 2.0])
    with pytest.raises(InputError):
        set_strengths(net, [0], -1.0)
    extended = serve_dimensions(net, "Y", "default").network
    assert extended.infrastructures.at["Y", "dimensions"] == ("k", "default")
    assert serve_dimensions(net, "X", "k").network is net  # X serves every dimension already
    needed = add_needs(net, [{"dependent": "q", "dimension": "default"}, {"dependent": "p", "dimension": "k"}])
    records = records_of(net)
    records["needs"].append({"dependent": "p", "dimension": "k"})  # q's 'default' need is there already
    assert needed.network == network_of(records)
    with pytest.raises(UsageError, match="cannot add a need of 'X'"):
        add_needs(net, [{"dependent": "X", "dimension": "k"}])


def test_remove_infrastructure_need_keeps_existing_needs_once():
    net = _net(["a", "b"], [{"dependent": "a", "provider": "b", "via": ["X"]},
                            {"dependent": "a", "provider": "b", "via": ["X"]}],
               infrastructures=[{"id": "X", "owner": "b"}],
               needs=[{"dependent": "a", "dimension": "default"}, {"dependent": "a", "dimension": "default"}])
    after = remove_infrastructure(net, "X", fallback="need").network
    # the existing (duplicate) needs are left alone; the cut dependencies add nothing new
    assert len(after.needs) == 2 and len(after.dependencies) == 0


def test_reroute_one_route_and_one_per_row():
    net = _routed()
    graphs, options = _graphs(net)
    edit = reroute(net, [3, 1], ["X"])
    assert edit.removed.tolist() == [1, 3] and edit.added.tolist() == [1, 3]
    records = records_of(net)
    records["dependencies"][1]["via"] = ("X",)
    records["dependencies"][3]["via"] = ("X",)
    assert edit.network == network_of(records)
    graphs = follow(net, edit, graphs, options)
    # d->X now carries rows 0 and 1 (2 + 1) and row 3 (0.5): 3.5; X->p rows 0, 1, 2: 7
    assert dict(zip(_edges(graphs[0]), graphs[0].strength.tolist()))[("d", "X")] == 3.5
    second = reroute(edit.network, [0, 2], [[], ["Y"]])
    records["dependencies"][0]["via"] = ()
    records["dependencies"][2]["via"] = ("Y",)
    assert second.network == network_of(records)
    follow(edit.network, second, graphs, options)


def test_reroute_to_the_same_route_changes_nothing_for_graphs():
    net = _routed()
    edit = reroute(net, [0], ("X",))
    assert edit.removed.tolist() == [] and edit.network == net
    graphs, options = _graphs(net)
    follow(net, edit, graphs, options)


def test_add_dependencies_appends_rows():
    net = _routed()
    graphs, options = _graphs(net)
    new = [{"dependent": "p", "provider": "d", "w": 4, "strength": 0.25},
           {"dependent": "d", "provider": "p", "via": ["X"], "w": 1, "strength": 3}]
    edit = add_dependencies(net, new)
    assert edit.added.tolist() == [4, 5] and edit.removed.tolist() == []
    records = records_of(net)
    records["dependencies"] += new
    assert edit.network == network_of(records)
    updated = follow(net, edit, graphs, options)
    # d->X: rows 0 and 5 (2 + 3), the shortest length 1
    g = updated[2]
    at = _edges(g).index(("d", "X"))
    assert (g.strength[at], g.length[at]) == (5.0, 1.0)


def test_serve_needs():
    net = _routed()
    graphs, options = _graphs(net)
    edit = serve_needs(net, [1, 0], "p", via=["X"], channel="public", strength=2.0, w=6)
    records = records_of(net)
    records["needs"] = []
    records["dependencies"] += [
        {"dependent": "d", "provider": "p", "dimension": "k", "strength": 2.0, "channel": "public",
         "via": ("X",), "w": 6},
        {"dependent": "q", "provider": "p", "dimension": "default", "strength": 2.0, "channel": "public",
         "via": ("X",), "w": 6},
    ]
    assert edit.network == network_of(records)
    assert edit.added.tolist() == [4, 5]
    follow(net, edit, graphs, options)


def test_transfer_ownership():
    net = _routed()
    graphs, options = _graphs(net)
    edit = transfer_ownership(net, ["X", "Y"], "d")
    records = records_of(net)
    for r in records["infrastructures"]:
        r["owner"] = "d"
    assert edit.network == network_of(records)
    assert sorted(edit.network.controls("d")) == ["X", "Y", "d"]
    follow(net, edit, graphs, options)
    ownerless = transfer_ownership(net, "X", None).network
    assert ownerless.infrastructures.loc["X", "owner"] is None
    assert ownerless.infrastructures.loc["Y", "owner"] == "q"


def test_add_actor_shifts_infrastructure_nodes():
    net = _routed()
    graphs, options = _graphs(net)
    edit = add_actor(net, "e", kind="state", budget=4.0, region="north")
    records = records_of(net)
    records["actors"].append({"id": "e", "kind": "state", "budget": 4.0, "region": "north"})
    assert edit.network == network_of(records)
    updated = follow(net, edit, graphs, options)
    g = updated[0]
    assert g.node_ids.tolist() == ["d", "p", "q", "e", "X", "Y"] and g.n_actors == 4
    # X was node 3, now 4: d -> X is (0, 4)
    assert (0, 4) in list(zip(g.source.tolist(), g.target.tolist()))


def test_parallel_dependency_removed_keeps_the_edge():
    # three a -> b dependencies via X; one leaves X: a->X and X->b keep the other two
    net = _net(["a", "b"], [{"dependent": "a", "provider": "b", "via": ["X"], "strength": s, "w": w}
                            for s, w in [(0.1, 3), (0.2, 1), (0.7, 2)]],
               infrastructures=[{"id": "X", "owner": "b"}])
    graphs, options = _graphs(net)
    edit = reroute(net, [1], [])
    g = follow(net, edit, graphs, options)[2]
    assert _edges(g) == [("a", "b"), ("a", "X"), ("X", "b")]
    assert g.strength.tolist() == [0.2, 0.1 + 0.7, 0.1 + 0.7]
    assert g.length.tolist() == [1.0, 2.0, 2.0]


def test_operations_chain():
    net = _routed()
    graphs, options = _graphs(net)
    for make in [
        lambda n: add_actor(n, "e"),
        lambda n: add_infrastructure(n, "Z", owner="e"),
        lambda n: reroute(n, [1, 3], ["Z"]),
        lambda n: serve_needs(n, [0], "e", via="Z", w=1),
        lambda n: remove_infrastructure(n, "X", fallback="need"),
        lambda n: add_dependencies(n, [{"dependent": "e", "provider": "d", "w": 2}]),
        lambda n: remove_infrastructure(n, "Z"),
    ]:
        edit = make(net)
        graphs = follow(net, edit, graphs, options)
        net = edit.network


def test_empty_network_grows():
    net = _net([])
    for make in [lambda n: add_actor(n, "a"), lambda n: add_actor(n, "b"),
                 lambda n: add_infrastructure(n, "X", owner=None),
                 lambda n: add_dependencies(n, [{"dependent": "a", "provider": "b", "via": ["X"]}])]:
        edit = make(net)
        net = edit.network
    assert _edges(compile_graph(net, paths="hub")) == [("a", "X"), ("X", "b")]
    assert _edges(compile_graph(net)) == [("a", "X@a>X>b"), ("X@a>X>b", "b")]


# --------------------------------------------------------------------------- errors
BAD_CALLS = [
    (lambda n: add_infrastructure(n, "X", owner="p"), UsageError, "already an infrastructure's id"),
    (lambda n: add_infrastructure(n, "d", owner="p"), UsageError, "already an actor's id"),
    (lambda n: add_infrastructure(n, "a;b", owner="p"), UsageError, "may not contain ';'"),
    (lambda n: add_infrastructure(n, "", owner="p"), UsageError, "non-empty string"),
    (lambda n: add_infrastructure(n, "Z", owner="nobody"), UsageError, "owner 'nobody': no such actor"),
    (lambda n: add_infrastructure(n, "Z", owner="X"), UsageError, "an infrastructure, not an actor"),
    (lambda n: add_infrastructure(n, "Z", owner="p", build_cost=-1), InputError, "build_cost must be >= 0"),
    (lambda n: add_infrastructure(n, "Z", owner="p", dimensions=[3]), UsageError, "must be ids"),
    (lambda n: remove_infrastructure(n, "nope"), UsageError, "cannot remove 'nope': no such infrastructure"),
    (lambda n: remove_infrastructure(n, "d"), UsageError, "an actor, not an infrastructure"),
    (lambda n: remove_infrastructure(n, "X", fallback="drop"), UsageError, "unknown fallback 'drop'"),
    (lambda n: reroute(n, [9], ["X"]), UsageError, "no dependency at row 9"),
    (lambda n: reroute(n, [-1], ["X"]), UsageError, "no dependency at row -1"),
    (lambda n: reroute(n, [1, 1], ["X"]), UsageError, "row 1 is given twice"),
    (lambda n: reroute(n, ["1"], ["X"]), UsageError, "integer positions"),
    (lambda n: reroute(n, [1], ["Q"]), UsageError, "no infrastructure 'Q'"),
    (lambda n: reroute(n, [1], ["X", "X"]), UsageError, "passes an infrastructure twice"),
    (lambda n: reroute(n, [1], ["Y"]), UsageError, "'Y' does not serve dimension 'default' (it serves k)"),
    (lambda n: reroute(n, [0, 1], [["X"]]), UsageError, "1 routes for 2 rows"),
    (lambda n: reroute(n, [0], [["X"], "Y"]), UsageError, "one route per row"),
    (lambda n: add_dependencies(n, [{"dependent": "zz", "provider": "d"}]), UsageError, "dependent 'zz'"),
    (lambda n: add_dependencies(n, [{"dependent": "d", "provider": "p", "via": ["Y"]}]), InputError,
     "does not serve dimension 'default'"),
    (lambda n: add_dependencies(n, [{"dependent": "d", "provider": "p", "strength": 0}]), InputError,
     "strength must be > 0"),
    (lambda n: serve_needs(n, [5], "p"), UsageError, "no need at row 5"),
    (lambda n: serve_needs(n, [0], "zz"), UsageError, "provider 'zz': no such actor"),
    (lambda n: serve_needs(n, [0], "q"), UsageError, "'q''s own need"),
    (lambda n: serve_needs(n, [0], "p", via="Y"), UsageError, "'Y' does not serve dimension 'default'"),
    (lambda n: serve_needs(n, [0], "p", channel="gift"), InputError, "channel must be one of"),
    (lambda n: serve_needs(n, [0], "p", strength=-2), InputError, "strength must be > 0"),
    (lambda n: transfer_ownership(n, ["X", "W"], "d"), UsageError, "cannot transfer 'W': no such infrastructure"),
    (lambda n: transfer_ownership(n, "X", "nobody"), UsageError, "new owner 'nobody': no such actor"),
    (lambda n: add_actor(n, "d"), UsageError, "already an actor's id"),
    (lambda n: add_actor(n, "X"), UsageError, "already an infrastructure's id"),
    (lambda n: add_actor(n, "e", unit_cost=-1), InputError, "unit_cost must be >= 0"),
]


@pytest.mark.parametrize(("call", "error", "message"), BAD_CALLS)
def test_bad_arguments(call, error, message):
    net = _routed()
    with pytest.raises(error) as info:
        call(net)
    assert message in str(info.value)
    assert isinstance(info.value, ValueError)


def test_declared_dimensions_are_enforced():
    net = _net(["a"], dimensions=[{"id": "x"}])
    with pytest.raises(UsageError, match="unknown dimension 'y'; the network declares: x"):
        add_infrastructure(net, "X", owner="a", dimensions=["x", "y"])
    with pytest.raises(InputError, match="unknown dimension 'y'"):
        add_dependencies(add_actor(net, "b").network, [{"dependent": "a", "provider": "b", "dimension": "y"}])


def test_compiled_graph_remembers_its_options():
    net = _routed()
    g = compile_graph(net, dimensions=["k"], length="w", directed=False)
    assert (g.dimensions, g.length_name, g.all_dimensions, g.directed) == (("k",), "w", False, False)
    g = compile_graph(net)
    assert (g.dimensions, g.length_name, g.all_dimensions) == (("default", "k"), None, True)


# --------------------------------------------------------------------------- hypothesis
POOL = ("x", "y", "z")
STRENGTHS = st.sampled_from([1.0, 0.1, 0.2, 0.7, 1 / 3, 2.5, 1e-3, 1e6, 3.0])
LENGTHS = st.sampled_from([1.0, 2.0, 0.5, 3.25, 7.0])


def _serves(infras: dict[str, tuple[str, ...]], dimension: str) -> list[str]:
    return [i for i, dims in infras.items() if not dims or dimension in dims]


@st.composite
def routes_for(draw, infras: dict[str, tuple[str, ...]], dimensions: list[str]):
    """A route valid in every one of ``dimensions``."""
    usable = [i for i in infras if all(i in _serves(infras, k) for k in dimensions)]
    if not usable:
        return ()
    return tuple(draw(st.lists(st.sampled_from(usable), max_size=3, unique=True)))


@st.composite
def networks(draw) -> dp.Network:
    n_actors = draw(st.integers(2, 6))
    actors = [{"id": f"a{i}", "kind": draw(st.sampled_from(["actor", "firm", "state"]))} for i in range(n_actors)]
    ids = [a["id"] for a in actors]
    infras = {}
    infra_records = []
    for j in range(draw(st.integers(0, 4))):
        dims = tuple(draw(st.lists(st.sampled_from(POOL), max_size=2, unique=True)))
        infras[f"I{j}"] = dims
        record = {"id": f"I{j}", "owner": draw(st.none() | st.sampled_from(ids)), "dimensions": dims}
        if draw(st.booleans()):
            record["toll"] = 0.1
        infra_records.append(record)
    deps = []
    for _ in range(draw(st.integers(1, 12))):  # at least one, so that the table has a 'w' column
        dependent, provider = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True))
        dimension = draw(st.sampled_from(POOL))
        deps.append({
            "dependent": dependent, "provider": provider, "dimension": dimension,
            "strength": draw(STRENGTHS), "via": draw(routes_for(infras, [dimension])), "w": draw(LENGTHS),
        })
    if deps and draw(st.booleans()):  # parallel copies of a dependency, same route or another
        for _ in range(draw(st.integers(1, 3))):
            copy = dict(draw(st.sampled_from(deps)))
            copy["strength"] = draw(STRENGTHS)
            if draw(st.booleans()):
                copy["via"] = draw(routes_for(infras, [copy["dimension"]]))
            deps.insert(draw(st.integers(0, len(deps))), copy)
    needs = [{"dependent": draw(st.sampled_from(ids)), "dimension": draw(st.sampled_from(POOL))}
             for _ in range(draw(st.integers(0, 4)))]
    ownership = []
    for owned in range(1, n_actors):
        if draw(st.booleans()):
            ownership.append({"owner": ids[draw(st.integers(0, owned - 1))], "owned": ids[owned],
                              "share": draw(st.sampled_from([0.3, 0.6, 1.0]))})
    declared = draw(st.booleans())
    if not declared and not any(d["dimension"] == "x" for d in deps):
        needs.append({"dependent": ids[0], "dimension": "x"})  # the single-dimension graph needs 'x'
    return dp.Network.from_records(
        actors, deps, needs=needs, infrastructures=infra_records, ownership=ownership,
        dimensions=[{"id": k} for k in POOL] if declared else None,
    )


def _infras(net: dp.Network) -> dict[str, tuple[str, ...]]:
    return dict(zip(net.infrastructures.index.tolist(), net.infrastructures["dimensions"].tolist()))


@st.composite
def operations(draw, net: dp.Network, step: int):
    """One random valid operation on ``net``: (edit, the records the result should have)."""
    records = records_of(net)
    actors = net.actors.index.tolist()
    infras = _infras(net)
    deps = records["dependencies"]
    choices = ["add_infrastructure", "add_dependencies", "transfer_ownership", "add_actor"]
    if infras:
        choices.append("remove_infrastructure")
    if deps:
        choices.append("reroute")
    if records["needs"]:
        choices.append("serve_needs")
    kind = draw(st.sampled_from(sorted(choices)))

    if kind == "add_infrastructure":
        name = f"N{step}"
        owner = draw(st.none() | st.sampled_from(actors))
        dims = tuple(draw(st.lists(st.sampled_from(POOL), max_size=2, unique=True)))
        cost = draw(st.none() | st.sampled_from([0.0, 5.0]))
        extra = draw(st.sampled_from([{}, {"toll": 0.2}, {"built": step, "public_origin": True}]))
        edit = add_infrastructure(net, name, owner=owner, dimensions=dims, build_cost=cost, **extra)
        records["infrastructures"].append({"id": name, "owner": owner, "dimensions": dims,
                                           "build_cost": cost, "upkeep": None, **extra})
    elif kind == "remove_infrastructure":
        name = draw(st.sampled_from(sorted(infras)))
        fallback = draw(st.sampled_from(["direct", "need"]))
        edit = remove_infrastructure(net, name, fallback=fallback)
        records["infrastructures"] = [r for r in records["infrastructures"] if r["id"] != name]
        if fallback == "direct":
            for r in deps:
                r["via"] = tuple(x for x in r["via"] if x != name)
        else:
            have = {(n["dependent"], n["dimension"]) for n in records["needs"]}
            for r in deps:
                if name in r["via"] and (r["dependent"], r["dimension"]) not in have:
                    have.add((r["dependent"], r["dimension"]))
                    records["needs"].append({"dependent": r["dependent"], "dimension": r["dimension"]})
            records["dependencies"] = [r for r in deps if name not in r["via"]]
    elif kind == "reroute":
        rows = draw(st.lists(st.integers(0, len(deps) - 1), min_size=1, max_size=4, unique=True))
        if draw(st.booleans()):
            route = draw(routes_for(infras, [deps[r]["dimension"] for r in rows]))
            edit = reroute(net, rows, list(route))
            for r in rows:
                deps[r]["via"] = route
        else:
            routes = [draw(routes_for(infras, [deps[r]["dimension"]])) for r in rows]
            edit = reroute(net, rows, [list(x) for x in routes])
            for r, route in zip(rows, routes):
                deps[r]["via"] = route
    elif kind == "add_dependencies":
        new = []
        for _ in range(draw(st.integers(1, 3))):
            dependent, provider = draw(st.lists(st.sampled_from(actors), min_size=2, max_size=2, unique=True))
            dimension = draw(st.sampled_from(POOL))
            new.append({"dependent": dependent, "provider": provider, "dimension": dimension,
                        "strength": draw(STRENGTHS), "via": draw(routes_for(infras, [dimension])),
                        "w": draw(LENGTHS)})
        edit = add_dependencies(net, new)
        deps.extend(new)
    elif kind == "serve_needs":
        rows = draw(st.lists(st.integers(0, len(records["needs"]) - 1), min_size=1, max_size=3, unique=True))
        served = [records["needs"][r] for r in rows]
        others = [a for a in actors if a not in {n["dependent"] for n in served}]
        if not others:
            return draw(operations(net, step)) if len(actors) > 1 else (add_actor(net, f"A{step}"),
                                                                        _with_actor(records, f"A{step}"))
        provider = draw(st.sampled_from(others))
        route = draw(routes_for(infras, [n["dimension"] for n in served]))
        strength, w = draw(STRENGTHS), draw(LENGTHS)
        edit = serve_needs(net, rows, provider, via=route, channel="public", strength=strength, w=w)
        deps.extend({"dependent": n["dependent"], "provider": provider, "dimension": n["dimension"],
                     "strength": strength, "channel": "public", "via": route, "w": w} for n in served)
        records["needs"] = [n for i, n in enumerate(records["needs"]) if i not in rows]
    elif kind == "transfer_ownership":
        names = draw(st.lists(st.sampled_from(sorted(infras)), max_size=3, unique=True)) if infras else []
        owner = draw(st.none() | st.sampled_from(actors))
        edit = transfer_ownership(net, names, owner)
        for r in records["infrastructures"]:
            if r["id"] in names:
                r["owner"] = owner
    else:
        name = f"A{step}"
        edit = add_actor(net, name, kind="firm")
        records = _with_actor(records, name, kind="firm")
    return edit, records


def _with_actor(records, name, **attributes):
    records["actors"].append({"id": name, **attributes})
    return records


@given(st.data())
def test_random_operation_sequences(data):
    net = data.draw(networks())
    options = graph_options(net)
    graphs = [compile_graph(net, **o) for o in options]
    for step in range(data.draw(st.integers(1, 6))):
        edit, records = data.draw(operations(net, step))
        assert edit.before is net
        assert edit.network == network_of(records)
        graphs = follow(net, edit, graphs, options)
        net = edit.network


def test_switch_provider_and_set_toll_change_exactly_what_they_say():
    net = _routed()
    switched = dp.edits.switch_provider(net, [1], "q", channel="public")
    assert switched.removed.tolist() == [1] and switched.added.tolist() == [1]
    records = records_of(net)
    records["dependencies"][1]["provider"], records["dependencies"][1]["channel"] = "q", "public"
    assert switched.network == network_of(records)
    with pytest.raises(UsageError, match="nobody"):
        dp.edits.switch_provider(net, [1], "nobody")
    with pytest.raises(InputError):  # d would depend on itself
        dp.edits.switch_provider(net, [0], "d")
    tolled = dp.edits.set_toll(net, "X", 0.25).network
    assert tolled.infrastructures.at["X", "toll"] == 0.25 and np.isnan(tolled.infrastructures.at["Y", "toll"])
    lifted = dp.edits.set_toll(tolled, "X", None).network
    assert lifted.infrastructures["toll"].isna().all()
    assert dp.edits.set_toll(net, "X", None).network is net  # no toll column, none to lift
    with pytest.raises(UsageError, match="Z"):
        dp.edits.set_toll(net, "Z", 1.0)
