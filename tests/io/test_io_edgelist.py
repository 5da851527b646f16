"""The edge list (with an optional actors CSV): reading, writing, and its errors."""

from __future__ import annotations

import numpy as np
import pytest
from _io_helpers import raises_input_error, write

from dependencia.errors import UsageError
from dependencia.graph import compile_graph
from dependencia.io import read
from dependencia.io import write as write_network
from dependencia.network.model import Network


def test_source_depends_on_target_and_actors_come_in_order_of_appearance(tmp_path):
    path = write(tmp_path / "e.csv", "source,target\ncarol,bob\nann,carol\nbob,ann\n")
    net = read(path)
    assert list(net.actors.index) == ["carol", "bob", "ann"]
    assert net.dependencies[["dependent", "provider"]].values.tolist() == [
        ["carol", "bob"], ["ann", "carol"], ["bob", "ann"],
    ]
    assert set(net.dependencies["dimension"]) == {"default"}
    assert net.dependencies["strength"].tolist() == [1.0, 1.0, 1.0]


def test_parallel_rows_stay_separate_dependencies(tmp_path):
    path = write(tmp_path / "e.csv", "source,target,strength\na,b,1\na,b,2\nb,c,1\n")
    net = read(path)
    assert net.n_edges_declared == 3
    graph = compile_graph(net)
    # the compiled graph collapses a->b (strengths 1 + 2 add up)
    assert graph.n_edges == 2 and sorted(graph.strength.tolist()) == [1.0, 3.0]


def test_other_columns_are_attributes_numeric_ones_float(tmp_path):
    path = write(tmp_path / "e.csv", "source,target,distance,count,note\na,b,2.5,3,x\nb,c,,4,\nc,a,1,5,y z\n")
    deps = read(path).dependencies
    assert deps["distance"].dtype == np.float64 and deps["count"].dtype == np.float64
    assert deps["distance"].tolist()[0::2] == [2.5, 1.0] and np.isnan(deps["distance"].iloc[1])
    assert deps["count"].tolist() == [3.0, 4.0, 5.0]
    assert deps["note"].tolist() == ["x", None, "y z"]


def test_numeric_column_serves_as_length(tmp_path):
    # a -> b -> c costs 1 + 1, the direct a -> c costs 5: with the distance as
    # length b lies on the shortest a-c path; with hop counts it does not.
    path = write(tmp_path / "e.csv", "source,target,distance\na,b,1\nb,c,1\na,c,5\n")
    graph = compile_graph(read(path), length="distance")
    assert sorted(graph.length.tolist()) == [1.0, 1.0, 5.0]


def test_known_columns(tmp_path):
    path = write(tmp_path / "e.csv", "source,target,dimension,strength,channel\na,b,care,2,care\nb,a,,,\n")
    deps = read(path).dependencies
    assert deps[["dimension", "strength", "channel"]].values.tolist() == [["care", 2.0, "care"],
                                                                           ["default", 1.0, "market"]]


def test_actors_file_adds_isolated_actors_and_attributes(tmp_path):
    edges = write(tmp_path / "e.csv", "source,target\nann,shop\nbob,shop\n")
    actors = write(tmp_path / "a.csv", "id,kind,budget,size,colour\nshop,firm,10,3,red\nzoe,person,,2.5,\n")
    net = read(edges, actors=actors)
    assert list(net.actors.index) == ["shop", "zoe", "ann", "bob"]
    assert net.actors["kind"].tolist() == ["firm", "person", "actor", "actor"]
    assert net.actors.loc["shop", "budget"] == 10.0 and np.isnan(net.actors.loc["ann", "budget"])
    assert net.actors["size"].tolist()[:2] == [3, 2.5]
    assert net.actors["colour"].tolist()[:2] == ["red", None]
    # zoe is in no edge and still a node of the compiled graph
    assert compile_graph(net).n_nodes == 4


def test_actors_option_only_for_edge_lists(tmp_path):
    model = write(tmp_path / "n.yaml", "dependencia: 1\nactors: [{id: a}]\n")
    actors = write(tmp_path / "a.csv", "id\na\n")
    with pytest.raises(UsageError, match="--actors only applies to edge lists"):
        read(model, actors=actors)


def test_a_large_edge_list_reads_in_bulk(tmp_path):
    n = 50_000
    rng = np.random.default_rng(7)
    source = rng.integers(0, 5_000, n)
    target = (source + rng.integers(1, 5_000, n)) % 5_000  # never equal to source
    weight = rng.random(n) + 0.5
    lines = "\n".join(f"n{s},n{t},{float(w)!r}" for s, t, w in zip(source, target, weight))
    path = write(tmp_path / "big.csv", "source,target,distance\n" + lines + "\n")
    net = read(path)
    assert net.n_edges_declared == n
    assert net.n_actors == len(set(source) | set(target))
    assert np.array_equal(net.dependencies["distance"].to_numpy(), weight)
    assert net.dependencies["dependent"].iloc[-1] == f"n{source[-1]}"


# --------------------------------------------------------------------- writer
def test_writer_round_trips_what_an_edge_list_holds(tmp_path):
    net = Network.from_records(
        [{"id": "a"}, {"id": "b"}, {"id": "c"}],
        [{"dependent": "a", "provider": "b", "dimension": "care", "strength": 2, "channel": "care", "distance": 1.5},
         {"dependent": "b", "provider": "c", "distance": 2.0}],
    )
    assert write_network(net, tmp_path / "e.csv") == []
    assert (tmp_path / "e.csv").read_text() == (
        "source,target,dimension,strength,channel,distance\n"
        "a,b,care,2.0,care,1.5\n"
        "b,c,default,1.0,market,2.0\n"
    )
    assert read(tmp_path / "e.csv").equals(net)


def test_writer_names_everything_it_drops(tmp_path):
    net = Network.from_records(
        [{"id": "a", "kind": "firm", "budget": 3}, {"id": "b"}, {"id": "c"}, {"id": "lonely"}],
        [{"dependent": "a", "provider": "b", "via": ["x"]}, {"dependent": "b", "provider": "c"}],
        dimensions=[{"id": "default", "monetized": 0.5}],
        infrastructures=[{"id": "x", "owner": "c"}],
        needs=[{"dependent": "a"}],
        ownership=[{"owner": "a", "owned": "b", "share": 0.5}, {"owner": "a", "owned": "c", "share": 0.2}],
        authority=[{"holder": "c", "subject": "a"}],
    )
    assert write_network(net, tmp_path / "e.csv") == [
        "1 isolated actor",
        "actor attributes kind, budget",
        "infrastructure attributes owner",
        "1 need",
        "2 ownership records",
        "1 authority record",
        "dimension settings (monetized)",
    ]


# --------------------------------------------------------------------- errors
def _error(path, where, *words, actors=None):
    return raises_input_error(lambda: read(path, actors=actors), path, where, *words)


def test_no_header(tmp_path):
    path = write(tmp_path / "e.csv", "ann,bob\nbob,carol\n")
    error = _error(path, "line 1", "no 'source' and 'target' column", "first row must be a header")
    assert "found 'ann', 'bob'" in error.message


def test_missing_target_column(tmp_path):
    path = write(tmp_path / "e.csv", "source,provider_id\nann,bob\n")
    error = _error(path, "line 1", "no 'target' column", "header")
    assert "found 'source', 'provider_id'" in error.message


def test_self_loop_names_its_line(tmp_path):
    path = write(tmp_path / "e.csv", "source,target\na,b\n\nb,c\nc,c\n")
    _error(path, "line 5, column target", "self-dependency", "'c'")


@pytest.mark.parametrize(
    ("cell", "words"),
    [("nan", ("strength must be a number", "'nan'")), ("0", ("strength must be > 0",)),
     ("-3", ("strength must be > 0",)), ("inf", ("strength must be finite",)),
     ("high", ("strength must be a number", "'high'"))],
)
def test_bad_strength(tmp_path, cell, words):
    path = write(tmp_path / "e.csv", f"source,target,strength\na,b,1\nb,c,{cell}\n")
    _error(path, "line 3, column strength", *words)


def test_missing_endpoint(tmp_path):
    path = write(tmp_path / "e.csv", "source,target\na,b\nb,\n")
    _error(path, "line 3, column target", "target is missing")


def test_blank_endpoint(tmp_path):
    path = write(tmp_path / "e.csv", "source,target\na,b\n  ,b\n")
    _error(path, "line 3, column source", "source is empty")


def test_duplicate_actor_in_actors_file(tmp_path):
    edges = write(tmp_path / "e.csv", "source,target\na,b\n")
    actors = write(tmp_path / "a.csv", "id,kind\na,firm\nb,firm\na,state\n")
    raises_input_error(lambda: read(edges, actors=actors), actors, "line 4, column id", "duplicate id 'a'")


def test_actors_file_without_id_column(tmp_path):
    edges = write(tmp_path / "e.csv", "source,target\na,b\n")
    actors = write(tmp_path / "a.csv", "name,kind\na,firm\n")
    raises_input_error(lambda: read(edges, actors=actors), actors, "line 1", "no 'id' column")


def test_routes_name_ownerless_infrastructures(tmp_path):
    # docs/formats.md#edge-list-csv: an edge list may carry `via`; the infrastructures it names
    # have no owner (without an infrastructures file nobody owns them) and so nobody controls them.
    path = write(tmp_path / "e.csv", "source,target,via\na,b,\nb,c,cloud\nd,c,cloud;cdn\n")
    net = read(path)
    assert list(net.infrastructures.index) == ["cloud", "cdn"]
    assert net.infrastructures["owner"].isna().all()
    assert net.dependencies["via"].tolist() == [(), ("cloud",), ("cloud", "cdn")]
    assert net.controls("c") == frozenset({"c"})
    # the route b -> cloud -> c and d -> cloud -> cdn -> c become hops of the graph
    graph = compile_graph(net, paths="hub")  # every infrastructure one node: the hops as declared
    hops = {(graph.node_ids[u], graph.node_ids[v]) for u, v in zip(graph.source, graph.target)}
    assert hops == {("a", "b"), ("b", "cloud"), ("cloud", "c"), ("d", "cloud"), ("cloud", "cdn"), ("cdn", "c")}
    # written back, the routes survive; only the owners could not have been written
    assert write_network(net, tmp_path / "again.csv") == []
    assert read(tmp_path / "again.csv").equals(net)


def test_route_with_an_empty_id(tmp_path):
    path = write(tmp_path / "e.csv", "source,target,via\na,b,cloud;\n")
    _error(path, "line 2, column via", "empty infrastructure id")


def test_route_through_an_actor_id(tmp_path):
    path = write(tmp_path / "e.csv", "source,target,via\na,b,c\nc,b,\n")
    _error(path, "line 2, column via", "already an actor")


def test_an_empty_via_column_is_fine(tmp_path):
    assert read(write(tmp_path / "e.csv", "source,target,via\na,b,\n")).n_edges_declared == 1


def test_reserved_column_name(tmp_path):
    path = write(tmp_path / "e.csv", "source,target,provider\na,b,c\n")
    _error(path, "column provider", "reserved")


def test_wrong_encoding(tmp_path):
    path = tmp_path / "e.csv"
    path.write_bytes("source,target\nzoë,b\n".encode("latin-1"))
    _error(path, "line 2", "not UTF-8")


def test_binary_garbage(tmp_path):
    path = tmp_path / "e.csv"
    path.write_bytes(b"PK\x03\x04\x00\x00binary zip")
    _error(path, "line 1", "binary")


def test_empty_file(tmp_path):
    path = write(tmp_path / "e.csv", "")
    _error(path, None, "empty")


def test_each_id_is_one_string_object_in_every_row(tmp_path):
    """Issue 19 (memory): the rows point at one str per id, the actor's own, instead of a copy per row."""
    net = read(write(tmp_path / "e.csv", "source,target\nann,shop\nbob,shop\nshop,ann\n"))
    deps = net.dependencies
    by_id = {id(x) for x in net.actors.index}
    assert {id(x) for x in deps["dependent"]} | {id(x) for x in deps["provider"]} <= by_id
    assert deps["provider"].iloc[0] is deps["provider"].iloc[1] is deps["dependent"].iloc[2]
    assert deps["dependent"].tolist() == ["ann", "bob", "shop"] and deps["provider"].tolist() == ["shop", "shop", "ann"]
