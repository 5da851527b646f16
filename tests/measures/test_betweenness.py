"""Node betweenness against NetworkX, the independent oracle.

Contract (docs/cli.md, docs/model.md#betweenness): ``dp.betweenness`` is
``networkx.betweenness_centrality`` on the compiled graph (every actor and
every infrastructure a node, one directed edge per hop, parallel edges
collapsed with the minimum length), for every combination of ``normalized``
and ``endpoints``, directed and undirected, with hop counts and with lengths.
Exact values must agree to a relative 1e-9 (absolute 1e-12 near zero).

The networks are built by hand from NetworkX graphs (node labels turned into
strings) so that these tests do not depend on ``dependencia.io``.
"""

from __future__ import annotations

import functools
import random

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import dependencia as dp
from dependencia.errors import UsageError
from dependencia.graph import compile_graph
from dependencia.measures import betweenness as betweenness_module
from dependencia.measures.betweenness import (
    approximate_betweenness,
    exact_betweenness,
    graph_betweenness,
)


def betweenness(network, **options):
    """``dp.betweenness`` on the hub graph, NetworkX's node betweenness over all nodes, which these tests describe.

    The routed graph's node betweenness (over pairs of actors) is tested in tests/measures/test_routed_oracle.py.
    """
    return dp.betweenness(network, **{"paths": "hub", **options})

REL = 1e-9
ABS = 1e-12
COMBOS = [
    pytest.param(normalized, endpoints, id=f"{'norm' if normalized else 'raw'}-{'ends' if endpoints else 'noends'}")
    for normalized in (True, False)
    for endpoints in (False, True)
]
BOOLS = [(n, e) for n in (True, False) for e in (False, True)]


# --------------------------------------------------------------------------- helpers
def network_from_nx(G: nx.Graph, weight: str | None = None) -> dp.Network:
    """One actor per node (label as str), one dependency ``u -> v`` per edge.

    Parallel edges of a multigraph become parallel dependencies; ``weight``
    names the edge attribute copied into the dependency column ``w``.
    """
    actors = pd.DataFrame({"id": pd.Series([str(v) for v in G.nodes], dtype=object)})
    rows = []
    for u, v, data in G.edges(data=True):
        row = {"dependent": str(u), "provider": str(v)}
        if weight is not None:
            row["w"] = data[weight]
        rows.append(row)
    columns = ["dependent", "provider"] + (["w"] if weight is not None else [])
    return dp.Network(actors, pd.DataFrame(rows, columns=columns))


def undirected_multigraph(G: nx.Graph) -> nx.MultiGraph:
    """All edges of G without direction, parallel edges kept (NetworkX takes the minimum weight)."""
    H = nx.MultiGraph()
    H.add_nodes_from(G.nodes)
    H.add_edges_from(G.edges(data=True))
    return H


def assert_matches(frame: pd.DataFrame, reference: dict) -> None:
    """Every node of the NetworkX result has the same value in the frame, and nothing else is there."""
    assert list(frame.columns) == ["betweenness"]
    assert sorted(frame.index) == sorted(str(v) for v in reference)
    wrong = []
    for node, expected in reference.items():
        got = float(frame.at[str(node), "betweenness"])
        if got != pytest.approx(expected, rel=REL, abs=ABS):
            wrong.append((node, got, expected))
    assert not wrong, f"(node, dependencia, networkx): {wrong[:10]}"


def compare(G: nx.Graph, *, directed: bool, weight: str | None, normalized: bool, endpoints: bool, **kwargs) -> pd.DataFrame:
    """dp.betweenness on the network of G against NetworkX on G (or on G without directions)."""
    net = network_from_nx(G, weight)
    frame = betweenness(
        net, normalized=normalized, endpoints=endpoints, directed=directed,
        length="w" if weight is not None else None, **kwargs,
    )
    oracle = G if directed else undirected_multigraph(G)
    reference = nx.betweenness_centrality(oracle, normalized=normalized, endpoints=endpoints, weight=weight)
    assert_matches(frame, reference)
    assert list(frame.index) == [str(v) for v in G.nodes]  # node order: the actors table's order
    assert frame.attrs["exact"] is True
    assert frame.attrs["normalized"] is normalized
    assert frame.attrs["endpoints"] is endpoints
    assert frame.attrs["directed"] is directed
    assert frame.attrs["n_nodes"] == len(G)
    return frame


# --------------------------------------------------------------------------- graph catalogue
def _weighted_G() -> nx.Graph:
    # networkx/algorithms/centrality/tests/test_betweenness_centrality.py::weighted_G
    G = nx.Graph()
    G.add_weighted_edges_from(
        [(0, 1, 3), (0, 2, 2), (0, 3, 6), (0, 4, 4), (1, 3, 5), (1, 5, 5), (2, 4, 1), (3, 4, 2), (3, 5, 1), (4, 5, 4)]
    )
    return G


def _G2() -> nx.DiGraph:
    # NetworkX's TestWeightedBetweennessCentrality.test_G2 (ties on weighted directed paths)
    G = nx.DiGraph()
    G.add_weighted_edges_from(
        [("s", "u", 10), ("s", "x", 5), ("u", "v", 1), ("u", "x", 2), ("v", "y", 1),
         ("x", "u", 3), ("x", "v", 5), ("x", "y", 2), ("y", "s", 7), ("y", "v", 6)]
    )
    return G


def _G3() -> nx.MultiGraph:
    # test_G3: weighted_G with every other edge duplicated
    G = nx.MultiGraph(_weighted_G())
    G.add_edges_from(list(G.edges(data=True))[::2])
    return G


def _G4() -> nx.MultiDiGraph:
    # test_G4: G2 with parallel edges of different weights
    G = nx.MultiDiGraph()
    G.add_weighted_edges_from(
        [("s", "u", 10), ("s", "x", 5), ("s", "x", 6), ("u", "v", 1), ("u", "x", 2), ("v", "y", 1),
         ("v", "y", 1), ("x", "u", 3), ("x", "v", 5), ("x", "y", 2), ("x", "y", 3), ("y", "s", 7),
         ("y", "v", 6), ("y", "v", 6)]
    )
    return G


def _ladder() -> nx.Graph:
    G = nx.Graph()  # ladder_graph(3), as NetworkX's test writes it
    G.add_edges_from([(0, 1), (0, 2), (1, 3), (2, 3), (2, 4), (4, 5), (3, 5)])
    return G


def _disconnected_paths() -> nx.Graph:
    G = nx.Graph()
    nx.add_path(G, [0, 1, 2])
    nx.add_path(G, [3, 4, 5, 6])
    return G


def _directed_path() -> nx.DiGraph:
    G = nx.DiGraph()
    nx.add_path(G, [0, 1, 2])
    return G


def _davis(weighted: bool) -> nx.Graph:
    B = nx.davis_southern_women_graph()
    women = B.graph["top"]
    if weighted:  # number of shared events used as a length
        return nx.bipartite.weighted_projected_graph(B, women)
    return nx.bipartite.projected_graph(B, women)


def _scale_free() -> nx.DiGraph:
    G = nx.DiGraph(nx.scale_free_graph(120, seed=3))
    G.remove_edges_from(list(nx.selfloop_edges(G)))
    return G


def _with_lengths(G: nx.Graph, seed: int, draw) -> nx.Graph:
    rng = random.Random(seed)
    for u, v in G.edges():
        G[u][v]["weight"] = draw(rng)
    return G


def _disconnected_directed() -> nx.DiGraph:
    # two directed components and two isolated nodes
    G = nx.DiGraph()
    nx.add_path(G, [0, 1, 2, 3])
    nx.add_cycle(G, [4, 5, 6])
    G.add_edge(6, 7)
    G.add_nodes_from([8, 9])
    return G


CATALOGUE = {
    # NetworkX's own test graphs
    "K5": (lambda: nx.complete_graph(5), None),
    "K5-directed": (lambda: nx.complete_graph(5, create_using=nx.DiGraph), None),
    "P3": (lambda: nx.path_graph(3), None),
    "P3-directed": (_directed_path, None),
    "star4": (lambda: nx.star_graph(4), None),
    "star4-directed": (lambda: nx.star_graph(4).to_directed(), None),
    "C5": (lambda: nx.cycle_graph(5), None),
    "C5-directed": (lambda: nx.cycle_graph(5, create_using=nx.DiGraph), None),
    "krackhardt-kite": (nx.krackhardt_kite_graph, None),
    "florentine": (nx.florentine_families_graph, None),
    "les-miserables": (nx.les_miserables_graph, None),
    "les-miserables-weighted": (nx.les_miserables_graph, "weight"),
    "ladder3": (_ladder, None),
    "ladder5": (lambda: nx.ladder_graph(5), None),
    "disconnected-paths": (_disconnected_paths, None),
    "balanced-tree": (lambda: nx.balanced_tree(r=2, h=2), None),
    "weighted-G": (_weighted_G, "weight"),
    "weighted-G2-directed": (_G2, "weight"),
    "weighted-G3-multigraph": (_G3, "weight"),
    "weighted-G4-multidigraph": (_G4, "weight"),
    # classic graphs
    "karate": (nx.karate_club_graph, None),
    "karate-weighted": (nx.karate_club_graph, "weight"),
    "davis-women": (lambda: _davis(False), None),
    "davis-women-weighted": (lambda: _davis(True), "weight"),
    "gnm-directed": (lambda: nx.gnm_random_graph(60, 240, seed=7, directed=True), None),
    "gnm-undirected": (lambda: nx.gnm_random_graph(60, 150, seed=8), None),
    "gnm-directed-int-lengths": (
        lambda: _with_lengths(nx.gnm_random_graph(50, 200, seed=9, directed=True), 1, lambda r: r.randint(1, 5)),
        "weight",
    ),
    "gnm-undirected-float-lengths": (
        lambda: _with_lengths(nx.gnm_random_graph(50, 120, seed=10), 2, lambda r: r.uniform(0.5, 3.0)),
        "weight",
    ),
    # dyadic floats: sums are exact in binary, so ties are exact for both libraries
    "gnm-directed-dyadic-ties": (
        lambda: _with_lengths(nx.gnm_random_graph(40, 160, seed=11, directed=True), 3,
                              lambda r: r.choice([0.25, 0.5, 0.75, 1.0])),
        "weight",
    ),
    "scale-free-directed": (_scale_free, None),
    "disconnected-directed": (_disconnected_directed, None),
}


@functools.cache
def catalogue_graph(name: str):
    factory, weight = CATALOGUE[name]
    return factory(), weight


# Every graph in its own direction (directed graphs directed, undirected ones
# undirected), and every directed graph once more without directions:
# directed=False equals NetworkX on the undirected multigraph of its edges
# (u->v and v->u become one edge, the minimum length counts).
CATALOGUE_CASES = [
    pytest.param(name, directed, id=f"{name}-{'directed' if directed else 'undirected'}")
    for name, (factory, _) in sorted(CATALOGUE.items())
    for directed in ((True, False) if factory().is_directed() else (False,))
]


@pytest.mark.parametrize(("normalized", "endpoints"), COMBOS)
@pytest.mark.parametrize(("name", "directed"), CATALOGUE_CASES)
def test_catalogue_matches_networkx(name, directed, normalized, endpoints):
    G, weight = catalogue_graph(name)
    compare(G, directed=directed, weight=weight, normalized=normalized, endpoints=endpoints)


# --------------------------------------------------------------------------- literature values
def _values(G, weight=None, **kwargs) -> dict:
    frame = betweenness(network_from_nx(G, weight), length="w" if weight else None, **kwargs)
    return frame["betweenness"].to_dict()


def test_krackhardt_kite_published_values():
    # Values from NetworkX's test (UCINET, Krackhardt 1990), normalized, 3 decimals.
    expected = {0: 0.023, 1: 0.023, 2: 0.0, 3: 0.102, 4: 0.0, 5: 0.231, 6: 0.231, 7: 0.389, 8: 0.222, 9: 0.0}
    got = _values(nx.krackhardt_kite_graph(), directed=False)
    for node, value in expected.items():
        assert got[str(node)] == pytest.approx(value, abs=1e-3)


def test_florentine_medici_lead():
    # Padgett and Ansell (1993): the Medici lead with 0.522 (normalized, undirected).
    got = _values(nx.florentine_families_graph(), directed=False)
    assert got["Medici"] == pytest.approx(0.522, abs=1e-3)
    assert max(got, key=got.get) == "Medici"


def test_weighted_G_published_values():
    # NetworkX test_G: raw undirected weighted values, exact.
    got = _values(_weighted_G(), "weight", directed=False, normalized=False)
    assert got == pytest.approx({"0": 2.0, "1": 0.0, "2": 4.0, "3": 3.0, "4": 4.0, "5": 0.0}, abs=1e-12)


@pytest.mark.parametrize("factory", [_G2, _G4], ids=["G2", "G4-parallel"])
def test_weighted_directed_published_values(factory):
    # NetworkX test_G2 / test_G4: raw directed weighted values; G4 adds parallel
    # edges whose minimum weight equals G2's weight, so the answer is the same.
    got = _values(factory(), "weight", directed=True, normalized=False)
    assert got == pytest.approx({"y": 5.0, "x": 5.0, "s": 4.0, "u": 2.0, "v": 2.0}, abs=1e-12)


def test_disconnected_paths_endpoints_published_values():
    # NetworkX test_disconnected_path_endpoints: raw {0:2,1:3,2:2,3:3,4:5,5:5,6:3};
    # normalized by n(n-1)/2 = 21 (undirected, endpoints on).
    raw = {0: 2, 1: 3, 2: 2, 3: 3, 4: 5, 5: 5, 6: 3}
    got = _values(_disconnected_paths(), directed=False, normalized=False, endpoints=True)
    assert got == pytest.approx({str(k): float(v) for k, v in raw.items()}, abs=1e-12)
    got = _values(_disconnected_paths(), directed=False, normalized=True, endpoints=True)
    assert got == pytest.approx({str(k): v / 21 for k, v in raw.items()}, abs=1e-12)


@pytest.mark.parametrize(
    ("normalized", "endpoints", "directed", "expected"),
    [
        # NetworkX test_scale_with_k_on_star_graph, rows with k=None; node 0 is the centre.
        (True, True, True, {0: 1.0, 1: 0.4, 2: 0.4, 3: 0.4, 4: 0.4}),
        (True, True, False, {0: 1.0, 1: 0.4, 2: 0.4, 3: 0.4, 4: 0.4}),
        (True, False, True, {0: 1.0, 1: 0.0, 2: 0.0, 3: 0.0, 4: 0.0}),
        (True, False, False, {0: 1.0, 1: 0.0, 2: 0.0, 3: 0.0, 4: 0.0}),
        (False, True, True, {0: 20.0, 1: 8.0, 2: 8.0, 3: 8.0, 4: 8.0}),
        (False, True, False, {0: 10.0, 1: 4.0, 2: 4.0, 3: 4.0, 4: 4.0}),
        (False, False, True, {0: 12.0, 1: 0.0, 2: 0.0, 3: 0.0, 4: 0.0}),
        (False, False, False, {0: 6.0, 1: 0.0, 2: 0.0, 3: 0.0, 4: 0.0}),
    ],
)
def test_star_scaling_published_values(normalized, endpoints, directed, expected):
    # Star with centre 0 and 4 leaves; the directed version has both directions.
    # Directed, raw, no endpoints: the centre is inside every leaf-to-leaf pair,
    # 4 * 3 = 12 ordered pairs; normalized by (n-1)(n-2) = 12 -> 1.
    G = nx.star_graph(4).to_directed() if directed else nx.star_graph(4)
    got = _values(G, directed=directed, normalized=normalized, endpoints=endpoints)
    assert got == pytest.approx({str(k): v for k, v in expected.items()}, abs=1e-12)


# --------------------------------------------------------------------------- hand-derived cases
def _net(actors, deps, **tables) -> dp.Network:
    return dp.Network.from_records([{"id": a} for a in actors], deps, **tables)


def _edges(pairs, **extra):
    return [{"dependent": u, "provider": v, **extra} for u, v in pairs]


def _nx_graph(nodes, pairs, directed=True):
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(nodes)
    G.add_edges_from(pairs)
    return G


@pytest.mark.parametrize(
    ("nodes", "pairs", "directed", "normalized", "endpoints", "expected"),
    [
        # n = 0: nothing to score.
        ([], [], True, True, False, {}),
        ([], [], False, False, True, {}),
        # n = 1: no pair at all; NetworkX does not rescale (N < 2).
        (["a"], [], True, True, True, {"a": 0.0}),
        (["a"], [], False, True, False, {"a": 0.0}),
        # n = 2, a -> b: no node is strictly inside a path.
        (["a", "b"], [("a", "b")], True, True, False, {"a": 0.0, "b": 0.0}),
        # endpoints: the one ordered pair (a, b) counts a and b once each -> raw 1;
        # normalized by n(n-1) = 2 -> 0.5.
        (["a", "b"], [("a", "b")], True, False, True, {"a": 1.0, "b": 1.0}),
        (["a", "b"], [("a", "b")], True, True, True, {"a": 0.5, "b": 0.5}),
        # undirected: ordered pairs (a,b) and (b,a) count each node twice -> 2,
        # raw halves -> 1; normalized 2 / n(n-1) = 1.
        (["a", "b"], [("a", "b")], False, False, True, {"a": 1.0, "b": 1.0}),
        (["a", "b"], [("a", "b")], False, True, True, {"a": 1.0, "b": 1.0}),
        # n = 3, a -> b -> c: b is inside (a, c) -> raw 1, normalized 1 / ((n-1)(n-2)) = 0.5.
        (["a", "b", "c"], [("a", "b"), ("b", "c")], True, False, False, {"a": 0.0, "b": 1.0, "c": 0.0}),
        (["a", "b", "c"], [("a", "b"), ("b", "c")], True, True, False, {"a": 0.0, "b": 0.5, "c": 0.0}),
        # endpoints: a is an end of (a,b), (a,c) -> 2; b of (a,b), (b,c) plus inside (a,c) -> 3;
        # c of (b,c), (a,c) -> 2; normalized by n(n-1) = 6.
        (["a", "b", "c"], [("a", "b"), ("b", "c")], True, False, True, {"a": 2.0, "b": 3.0, "c": 2.0}),
        (["a", "b", "c"], [("a", "b"), ("b", "c")], True, True, True, {"a": 1 / 3, "b": 0.5, "c": 1 / 3}),
        # undirected a - b - c: b inside (a,c) and (c,a) -> 2, raw halves -> 1,
        # normalized 2 / ((n-1)(n-2)) = 1; endpoints: a 4, b 6, c 4 ordered -> raw 2, 3, 2,
        # normalized by n(n-1) = 6 -> 2/3, 1, 2/3 (NetworkX's test_P3_endpoints).
        (["a", "b", "c"], [("a", "b"), ("b", "c")], False, False, False, {"a": 0.0, "b": 1.0, "c": 0.0}),
        (["a", "b", "c"], [("a", "b"), ("b", "c")], False, True, False, {"a": 0.0, "b": 1.0, "c": 0.0}),
        (["a", "b", "c"], [("a", "b"), ("b", "c")], False, False, True, {"a": 2.0, "b": 3.0, "c": 2.0}),
        (["a", "b", "c"], [("a", "b"), ("b", "c")], False, True, True, {"a": 2 / 3, "b": 1.0, "c": 2 / 3}),
        # an isolated actor z counts in n: n = 4, b raw 1 -> normalized 1 / (3 * 2) = 1/6;
        # with endpoints b has 3 -> 3 / (4 * 3) = 1/4, a and c 2 / 12 = 1/6, z 0.
        (["a", "b", "c", "z"], [("a", "b"), ("b", "c")], True, True, False,
         {"a": 0.0, "b": 1 / 6, "c": 0.0, "z": 0.0}),
        (["a", "b", "c", "z"], [("a", "b"), ("b", "c")], True, True, True,
         {"a": 1 / 6, "b": 1 / 4, "c": 1 / 6, "z": 0.0}),
        # tied shortest paths (diamond a->b->d, a->c->d): sigma(a,d) = 2, b and c get 1/2 each;
        # normalized by 3 * 2 = 6 -> 1/12.
        (["a", "b", "c", "d"], [("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")], True, False, False,
         {"a": 0.0, "b": 0.5, "c": 0.5, "d": 0.0}),
        (["a", "b", "c", "d"], [("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")], True, True, False,
         {"a": 0.0, "b": 1 / 12, "c": 1 / 12, "d": 0.0}),
        # disconnected: a->b->c and d->e->f; pairs without a path count in the denominator only:
        # b, e raw 1 -> normalized 1 / (5 * 4) = 1/20.
        (list("abcdef"), [("a", "b"), ("b", "c"), ("d", "e"), ("e", "f")], True, True, False,
         {"a": 0.0, "b": 0.05, "c": 0.0, "d": 0.0, "e": 0.05, "f": 0.0}),
    ],
)
def test_small_networks_by_hand(nodes, pairs, directed, normalized, endpoints, expected):
    net = _net(nodes, _edges(pairs))
    frame = betweenness(net, directed=directed, normalized=normalized, endpoints=endpoints)
    assert list(frame.index) == nodes
    assert frame["betweenness"].to_dict() == pytest.approx(expected, rel=REL, abs=ABS)
    reference = nx.betweenness_centrality(_nx_graph(nodes, pairs, directed), normalized=normalized, endpoints=endpoints)
    assert_matches(frame, reference)


@pytest.mark.parametrize("directed", [True, False])
@pytest.mark.parametrize(("normalized", "endpoints"), COMBOS)
def test_empty_network(directed, normalized, endpoints):
    frame = betweenness(_net([], []), directed=directed, normalized=normalized, endpoints=endpoints)
    assert len(frame) == 0
    assert list(frame.columns) == ["betweenness"]
    assert frame.attrs["n_nodes"] == 0 and frame.attrs["n_edges"] == 0


def test_frame_shape_and_attrs():
    # Index: node ids in node order (actors in table order, then infrastructures), named "id".
    net = _net(["c", "a", "b"], _edges([("c", "a")], via=["X"]), infrastructures=[{"id": "X", "owner": "b"}])
    frame = betweenness(net)
    assert list(frame.index) == ["c", "a", "b", "X"]
    assert frame.index.name == "id"
    assert frame["betweenness"].dtype == np.float64
    attrs = frame.attrs
    assert attrs["exact"] is True and attrs["epsilon"] is None and attrs["delta"] is None
    assert attrs["normalized"] is True and attrs["directed"] is True and attrs["endpoints"] is False
    assert attrs["n_nodes"] == 4 and attrs["n_edges"] == 2
    # X is inside the only path c -> X -> a: raw 1, normalized by 3 * 2 -> 1/6.
    assert frame.at["X", "betweenness"] == pytest.approx(1 / 6, rel=REL)


# --------------------------------------------------------------------------- parallel edges
@pytest.mark.parametrize("directed", [True, False])
@pytest.mark.parametrize(("normalized", "endpoints"), COMBOS)
def test_parallel_dependencies_count_once(directed, normalized, endpoints):
    # a -> b twice (same dimension) and b -> c: one collapsed edge, so sigma(a, c) = 1
    # and b has raw 1 (directed), not 2; NetworkX's multigraph BFS also counts the
    # neighbour once.
    pairs = [("a", "b"), ("a", "b"), ("b", "c")]
    net = _net(list("abc"), _edges(pairs))
    frame = betweenness(net, directed=directed, normalized=normalized, endpoints=endpoints)
    G = nx.MultiDiGraph(pairs) if directed else nx.MultiGraph(pairs)
    assert_matches(frame, nx.betweenness_centrality(G, normalized=normalized, endpoints=endpoints))
    if directed and normalized and not endpoints:
        assert frame.at["b", "betweenness"] == pytest.approx(0.5)


@pytest.mark.parametrize("directed", [True, False])
@pytest.mark.parametrize(("normalized", "endpoints"), COMBOS)
def test_parallel_dependencies_take_minimum_length(directed, normalized, endpoints):
    # a -> b with lengths 3 and 2, a -> c (1), c -> b (1): the collapsed a -> b has
    # length min(3, 2) = 2, which ties with a -> c -> b (1 + 1). So sigma(a, b) = 2 and
    # c is on one of them: raw 1/2, normalized (directed) 0.5 / ((n-1)(n-2)) = 0.25.
    # Taking the first or largest length (3) would give c a full 1.
    deps = [
        {"dependent": "a", "provider": "b", "w": 3},
        {"dependent": "a", "provider": "b", "w": 2},
        {"dependent": "a", "provider": "c", "w": 1},
        {"dependent": "c", "provider": "b", "w": 1},
    ]
    net = _net(list("abc"), deps)
    frame = betweenness(net, length="w", directed=directed, normalized=normalized, endpoints=endpoints)
    G = nx.MultiDiGraph() if directed else nx.MultiGraph()
    G.add_weighted_edges_from([(d["dependent"], d["provider"], d["w"]) for d in deps], weight="w")
    assert_matches(frame, nx.betweenness_centrality(G, normalized=normalized, endpoints=endpoints, weight="w"))
    if directed and normalized and not endpoints:
        assert frame.at["c", "betweenness"] == pytest.approx(0.25)


def test_parallel_dependencies_in_two_dimensions_collapse_in_the_aggregate():
    # The same pair in two dimensions is one edge of the aggregate graph.
    deps = [
        {"dependent": "a", "provider": "b", "dimension": "x"},
        {"dependent": "a", "provider": "b", "dimension": "y"},
        {"dependent": "b", "provider": "c", "dimension": "x"},
    ]
    frame = betweenness(_net(list("abc"), deps), normalized=False)
    assert frame["betweenness"].to_dict() == {"a": 0.0, "b": 1.0, "c": 0.0}


# --------------------------------------------------------------------------- routes and dimensions
@pytest.mark.parametrize("directed", [True, False])
@pytest.mark.parametrize(("normalized", "endpoints"), COMBOS)
@pytest.mark.parametrize(
    ("deps", "hops", "raw_by_hand"),
    [
        # d -> p via X is d -> X -> p: X is inside the only (d, p) path: raw 1.
        ([{"dependent": "d", "provider": "p", "via": ["X"]}], [("d", "X"), ("X", "p")], {"X": 1.0}),
        # via [X, Y]: d -> X -> Y -> p. X is inside (d, Y) and (d, p), Y inside (X, p)
        # and (d, p): raw 2 each.
        ([{"dependent": "d", "provider": "p", "via": ["X", "Y"]}],
         [("d", "X"), ("X", "Y"), ("Y", "p")], {"X": 2.0, "Y": 2.0}),
        # A direct d -> p beside the route: the direct edge is shorter (1 hop against 2),
        # so X carries no shortest path: 0.
        ([{"dependent": "d", "provider": "p"}, {"dependent": "d", "provider": "p", "via": ["X"]}],
         [("d", "p"), ("d", "X"), ("X", "p")], {"X": 0.0}),
        # Two routes through different infrastructures tie: X and Y get 1/2 each of (d, p).
        ([{"dependent": "d", "provider": "p", "via": ["X"]}, {"dependent": "d", "provider": "p", "via": ["Y"]}],
         [("d", "X"), ("X", "p"), ("d", "Y"), ("Y", "p")], {"X": 0.5, "Y": 0.5}),
        # Two dependents share one platform X to one provider, and d -> e directly:
        # X is inside (d, p) (d->X->p, 2 hops, beats d->e->X->p) and (e, p): raw 2; e: 0.
        ([{"dependent": "d", "provider": "p", "via": ["X"]}, {"dependent": "e", "provider": "p", "via": ["X"]},
          {"dependent": "d", "provider": "e"}],
         [("d", "X"), ("e", "X"), ("X", "p"), ("d", "e")], {"X": 2.0, "e": 0.0}),
    ],
    ids=["one-hop", "two-hops", "direct-beside-route", "tied-routes", "shared-platform"],
)
def test_routes_are_hops(deps, hops, raw_by_hand, directed, normalized, endpoints):
    actors = ["d", "p", "e"]
    infras = [{"id": "X", "owner": "p"}, {"id": "Y", "owner": "e"}]
    net = _net(actors, deps, infrastructures=infras)
    frame = betweenness(net, directed=directed, normalized=normalized, endpoints=endpoints)
    # every actor and every infrastructure is a node, used or not
    assert list(frame.index) == ["d", "p", "e", "X", "Y"]
    G = _nx_graph(["d", "p", "e", "X", "Y"], hops, directed)
    assert_matches(frame, nx.betweenness_centrality(G, normalized=normalized, endpoints=endpoints))
    if directed and not endpoints:
        # n = 5 nodes: normalized divides the raw count by (n-1)(n-2) = 12
        divisor = 12 if normalized else 1
        for node, raw in raw_by_hand.items():
            assert frame.at[node, "betweenness"] == pytest.approx(raw / divisor, rel=REL, abs=ABS)


@pytest.mark.parametrize("length", [None, "w"])
def test_routes_carry_the_dependency_length(length):
    # d -> p via X with length 2 becomes d -X-> p with 2 on both hops (total 4);
    # the direct d -> p of length 5 is longer, so X carries the (d, p) path.
    # Hop counts: the direct edge (1 hop) wins, X carries nothing.
    deps = [
        {"dependent": "d", "provider": "p", "via": ["X"], "w": 2},
        {"dependent": "d", "provider": "p", "w": 5},
    ]
    net = _net(["d", "p"], deps, infrastructures=[{"id": "X", "owner": "p"}])
    frame = betweenness(net, length=length, normalized=False)
    G = nx.DiGraph()
    G.add_weighted_edges_from([("d", "X", 2), ("X", "p", 2), ("d", "p", 5)], weight="w")
    assert_matches(frame, nx.betweenness_centrality(G, normalized=False, weight=length))
    assert frame.at["X", "betweenness"] == (1.0 if length else 0.0)


@pytest.mark.parametrize("directed", [True, False])
@pytest.mark.parametrize(("normalized", "endpoints"), COMBOS)
@pytest.mark.parametrize(
    ("dimensions", "by_hand"),
    [
        # G_x: a -> b -> c, d isolated: b raw 1 -> normalized 1 / (3 * 2) = 1/6.
        (["x"], {"a": 0.0, "b": 1 / 6, "c": 0.0, "d": 0.0}),
        # G_y: a -> c -> d, b isolated: c raw 1 -> 1/6.
        (["y"], {"a": 0.0, "b": 0.0, "c": 1 / 6, "d": 0.0}),
        # aggregate: a -> c is direct, so b carries nothing; c inside (a, d), (b, d): 2/6.
        (["x", "y"], {"a": 0.0, "b": 0.0, "c": 1 / 3, "d": 0.0}),
        (None, {"a": 0.0, "b": 0.0, "c": 1 / 3, "d": 0.0}),
    ],
)
def test_dimension_filter(dimensions, by_hand, directed, normalized, endpoints):
    deps = [
        {"dependent": "a", "provider": "b", "dimension": "x"},
        {"dependent": "b", "provider": "c", "dimension": "x"},
        {"dependent": "c", "provider": "d", "dimension": "y"},
        {"dependent": "a", "provider": "c", "dimension": "y"},
    ]
    net = _net(list("abcd"), deps)
    frame = betweenness(net, dimensions=dimensions, directed=directed, normalized=normalized, endpoints=endpoints)
    chosen = {"x", "y"} if dimensions is None else set(dimensions)
    pairs = [(d["dependent"], d["provider"]) for d in deps if d["dimension"] in chosen]
    G = _nx_graph(list("abcd"), pairs, directed)  # every node kept, isolated or not
    assert_matches(frame, nx.betweenness_centrality(G, normalized=normalized, endpoints=endpoints))
    if directed and normalized and not endpoints:
        assert frame["betweenness"].to_dict() == pytest.approx(by_hand, rel=REL, abs=ABS)


def test_dimension_filter_keeps_infrastructures_of_other_dimensions():
    # X serves only y; in G_x it is an isolated node and still counts in n = 4:
    # G_x = a -> b -> c, b raw 1 -> 1 / (3 * 2).
    deps = [
        {"dependent": "a", "provider": "b", "dimension": "x"},
        {"dependent": "b", "provider": "c", "dimension": "x"},
        {"dependent": "a", "provider": "c", "dimension": "y", "via": ["X"]},
    ]
    net = _net(list("abc"), deps, infrastructures=[{"id": "X", "owner": "c", "dimensions": ["y"]}])
    frame = betweenness(net, dimensions=["x"])
    assert frame["betweenness"].to_dict() == pytest.approx({"a": 0.0, "b": 1 / 6, "c": 0.0, "X": 0.0})


def test_unknown_dimension_is_a_usage_error():
    net = _net(list("ab"), _edges([("a", "b")], dimension="x"))
    with pytest.raises(UsageError, match="unknown dimension 'nope'"):
        betweenness(net, dimensions=["nope"])


# --------------------------------------------------------------------------- property tests
@st.composite
def random_networks(draw, *, with_routes: bool):
    """A random network and the NetworkX multigraph of its hops.

    Up to 8 actors (in a random table order) and, with routes, up to 3
    infrastructures; dependencies may repeat (parallel edges) and come in two
    dimensions, with integer lengths 1..5.
    """
    n = draw(st.integers(0, 8))
    order = draw(st.permutations(range(n)))
    actors = [f"v{i}" for i in order]
    n_infra = draw(st.integers(0, 3)) if with_routes and n >= 1 else 0
    infras = [f"X{i}" for i in range(n_infra)]
    deps = []
    if n >= 2:
        count = draw(st.integers(0, 24))
        for _ in range(count):
            u = draw(st.integers(0, n - 1))
            v = (u + 1 + draw(st.integers(0, n - 2))) % n
            route = []
            if n_infra:
                perm = draw(st.permutations(infras))
                route = list(perm[: draw(st.integers(0, n_infra))])
            deps.append({
                "dependent": f"v{u}", "provider": f"v{v}", "via": route,
                "w": draw(st.integers(1, 5)), "dimension": draw(st.sampled_from(["a", "b"])),
            })
    return actors, infras, deps


def _build(actors, infras, deps) -> dp.Network:
    actor_frame = pd.DataFrame({"id": pd.Series(actors, dtype=object)})
    owners = [actors[0] for _ in infras]  # infrastructures are only drawn when there is an actor
    infra_frame = pd.DataFrame({"id": pd.Series(infras, dtype=object), "owner": pd.Series(owners, dtype=object)})
    dep_frame = pd.DataFrame(deps, columns=["dependent", "provider", "via", "w", "dimension"])
    return dp.Network(actor_frame, dep_frame, infrastructures=infra_frame)


def _oracle(actors, infras, deps, *, directed, dimensions=None):
    G = nx.MultiDiGraph() if directed else nx.MultiGraph()
    G.add_nodes_from(actors + infras)
    for d in deps:
        if dimensions is not None and d["dimension"] not in dimensions:
            continue
        stops = [d["dependent"], *d["via"], d["provider"]]
        for u, v in zip(stops[:-1], stops[1:]):
            G.add_edge(u, v, w=d["w"])
    return G


@given(network=random_networks(with_routes=False), directed=st.booleans(), weighted=st.booleans())
def test_random_networks_match_networkx(network, directed, weighted):
    actors, infras, deps = network
    net = _build(actors, infras, deps)
    G = _oracle(actors, infras, deps, directed=directed)
    for normalized, endpoints in BOOLS:
        frame = betweenness(
            net, directed=directed, normalized=normalized, endpoints=endpoints, length="w" if weighted else None
        )
        assert list(frame.index) == actors
        reference = nx.betweenness_centrality(G, normalized=normalized, endpoints=endpoints, weight="w" if weighted else None)
        assert_matches(frame, reference)


@given(
    network=random_networks(with_routes=True), directed=st.booleans(), weighted=st.booleans(),
    dimensions=st.sampled_from([None, ["a"], ["b"], ["b", "a"]]),
)
def test_random_routed_networks_match_networkx(network, directed, weighted, dimensions):
    actors, infras, deps = network
    net = _build(actors, infras, deps)
    known = set(net.dimensions.index)
    if dimensions is not None and not set(dimensions) <= known:
        with pytest.raises(UsageError):
            betweenness(net, dimensions=dimensions)
        return
    G = _oracle(actors, infras, deps, directed=directed, dimensions=dimensions)
    for normalized, endpoints in BOOLS:
        frame = betweenness(
            net, directed=directed, normalized=normalized, endpoints=endpoints,
            length="w" if weighted else None, dimensions=dimensions,
        )
        assert list(frame.index) == actors + infras
        reference = nx.betweenness_centrality(G, normalized=normalized, endpoints=endpoints, weight="w" if weighted else None)
        assert_matches(frame, reference)


# --------------------------------------------------------------------------- compiled-graph entry points
def test_graph_betweenness_and_exact_betweenness_agree_with_betweenness():
    G = nx.gnm_random_graph(30, 90, seed=5, directed=True)
    net = network_from_nx(G)
    graph = compile_graph(net, paths="hub")
    for normalized, endpoints in BOOLS:
        via_network = betweenness(net, normalized=normalized, endpoints=endpoints)
        via_graph = graph_betweenness(graph, normalized=normalized, endpoints=endpoints)
        values = exact_betweenness(graph, normalized=normalized, endpoints=endpoints)
        assert isinstance(values, np.ndarray) and values.shape == (graph.n_nodes,)
        np.testing.assert_array_equal(via_graph["betweenness"].to_numpy(), values)
        np.testing.assert_array_equal(via_network["betweenness"].to_numpy(), values)
        reference = nx.betweenness_centrality(G, normalized=normalized, endpoints=endpoints)
        assert_matches(via_graph, reference)


def test_exact_is_the_default_on_small_graphs():
    net = network_from_nx(nx.gnm_random_graph(20, 40, seed=1, directed=True))
    assert betweenness(net).attrs["exact"] is True
    assert betweenness(net, exact=True).attrs["exact"] is True


# --------------------------------------------------------------------------- approximation
def _tree_digraph() -> nx.DiGraph:
    # both directions of a balanced binary tree: the root's betweenness is about 0.63
    return nx.balanced_tree(2, 7).to_directed()


def _ba_digraph() -> nx.DiGraph:
    G = nx.barabasi_albert_graph(250, 2, seed=6)
    D = nx.DiGraph()
    D.add_nodes_from(G)
    rng = random.Random(4)
    for u, v in G.edges():  # a random orientation, some edges both ways
        D.add_edge(*((u, v) if rng.random() < 0.5 else (v, u)))
        if rng.random() < 0.3:
            D.add_edge(v, u)
    return D


APPROX_GRAPHS = {
    "gnm300-directed": (lambda: nx.gnm_random_graph(300, 900, seed=3, directed=True), True),
    "gnm300-undirected": (lambda: nx.gnm_random_graph(300, 600, seed=4), False),
    "scale-free300-directed": (lambda: _scale_free_n(300, 5), True),
    "ba300-undirected": (lambda: nx.barabasi_albert_graph(300, 2, seed=6), False),
    "tree255-undirected": (lambda: nx.balanced_tree(2, 7), False),
    "tree255-directed": (_tree_digraph, True),
    "ba250-directed": (_ba_digraph, True),
}


def _scale_free_n(n: int, seed: int) -> nx.DiGraph:
    G = nx.DiGraph(nx.scale_free_graph(n, seed=seed))
    G.remove_edges_from(list(nx.selfloop_edges(G)))
    return G


@pytest.fixture(scope="module", params=sorted(APPROX_GRAPHS))
def approx_case(request):
    factory, directed = APPROX_GRAPHS[request.param]
    G = factory()
    net = network_from_nx(G)
    order = [str(v) for v in G.nodes]
    exact = {}
    for normalized, endpoints in BOOLS:
        reference = nx.betweenness_centrality(G, normalized=normalized, endpoints=endpoints)
        exact[normalized, endpoints] = np.array([reference[v] for v in G.nodes])
    return net, directed, order, exact


EPSILON = 0.02
DELTA = 0.1


def test_approximation_error_is_within_epsilon(approx_case):
    # Riondato-Kornaropoulos: with probability >= 1 - delta every normalized value is
    # within epsilon. Fixed seeds; the observed errors here are 0.002-0.007, far
    # inside the bound, so the test is reliable.
    net, directed, order, exact = approx_case
    for seed in (1, 2):
        frame = betweenness(net, directed=directed, epsilon=EPSILON, delta=DELTA, seed=seed)
        assert list(frame.index) == order
        error = np.abs(frame["betweenness"].to_numpy() - exact[True, False]).max()
        assert error <= EPSILON, (seed, error)
    # not trivially small: the estimate finds the most central node's value
    top = int(np.argmax(exact[True, False]))
    assert frame["betweenness"].to_numpy()[top] == pytest.approx(exact[True, False][top], abs=EPSILON)


def test_approximation_with_endpoints_is_within_epsilon(approx_case):
    # Endpoint counts are exact; the sampled part is divided by n(n-1) instead of
    # (n-1)(n-2), so its error is at most epsilon (n-2)/n <= epsilon.
    net, directed, order, exact = approx_case
    frame = betweenness(net, directed=directed, endpoints=True, epsilon=EPSILON, delta=DELTA, seed=3)
    error = np.abs(frame["betweenness"].to_numpy() - exact[True, True]).max()
    assert error <= EPSILON


def test_approximation_raw_values(approx_case):
    # Raw values are the normalized ones times the number of pairs: (n-1)(n-2) on
    # directed graphs, (n-1)(n-2)/2 on undirected ones; with endpoints n(n-1) (/2).
    net, directed, order, exact = approx_case
    n = len(order)
    for endpoints in (False, True):
        pairs_n = n if endpoints else n - 1
        factor = pairs_n * (pairs_n - 1) / (1 if directed else 2)
        common = dict(directed=directed, endpoints=endpoints, epsilon=EPSILON, delta=DELTA, seed=11)
        normalized = betweenness(net, normalized=True, **common)["betweenness"].to_numpy()
        raw_frame = betweenness(net, normalized=False, **common)
        raw = raw_frame["betweenness"].to_numpy()
        assert raw_frame.attrs["normalized"] is False and raw_frame.attrs["exact"] is False
        np.testing.assert_allclose(raw, normalized * factor, rtol=1e-9, atol=1e-9)
        # and the raw error is within epsilon times the number of pairs
        assert np.abs(raw - exact[False, endpoints]).max() <= EPSILON * factor


def test_approximation_is_reproducible_and_seeded(approx_case):
    net, directed, order, exact = approx_case
    first = betweenness(net, directed=directed, epsilon=0.05, seed=42)
    again = betweenness(net, directed=directed, epsilon=0.05, seed=42)
    np.testing.assert_array_equal(first["betweenness"].to_numpy(), again["betweenness"].to_numpy())
    other = betweenness(net, directed=directed, epsilon=0.05, seed=43)
    assert not np.array_equal(first["betweenness"].to_numpy(), other["betweenness"].to_numpy())


def test_approximation_attrs():
    net = network_from_nx(nx.gnm_random_graph(50, 150, seed=1, directed=True))
    frame = betweenness(net, epsilon=0.05, delta=0.2, seed=9)
    assert frame.attrs["exact"] is False
    assert frame.attrs["epsilon"] == 0.05 and frame.attrs["delta"] == 0.2 and frame.attrs["seed"] == 9
    # exact=False alone takes the documented defaults epsilon 0.01, delta 0.1, seed 0
    frame = betweenness(net, exact=False)
    assert frame.attrs["exact"] is False
    assert (frame.attrs["epsilon"], frame.attrs["delta"], frame.attrs["seed"]) == (0.01, 0.1, 0)
    # an epsilon alone switches to approximation
    assert betweenness(net, epsilon=0.1).attrs["exact"] is False


def test_approximation_above_the_cost_limit(monkeypatch):
    # exact=None approximates when n * m exceeds EXACT_COST_LIMIT
    net = network_from_nx(nx.gnm_random_graph(50, 150, seed=1, directed=True))
    monkeypatch.setattr(betweenness_module, "EXACT_COST_LIMIT", 50 * 150 - 1)
    frame = betweenness(net)
    assert frame.attrs["exact"] is False and frame.attrs["epsilon"] == 0.01
    # exact=True overrides the limit
    assert betweenness(net, exact=True).attrs["exact"] is True
    monkeypatch.setattr(betweenness_module, "EXACT_COST_LIMIT", 50 * 150)
    assert betweenness(net).attrs["exact"] is True


@pytest.mark.parametrize("n", [0, 1, 2, 3])
def test_approximation_on_tiny_networks(n):
    # n < 3 (or no edges) falls back to exact values; n = 3 samples.
    nodes = list("abc")[:n]
    pairs = list(zip(nodes[:-1], nodes[1:]))
    frame = betweenness(_net(nodes, _edges(pairs)), exact=False, epsilon=0.1, seed=1)
    reference = nx.betweenness_centrality(_nx_graph(nodes, pairs))
    assert frame.attrs["exact"] is False
    for node in nodes:
        assert abs(frame.at[node, "betweenness"] - reference[node]) <= 0.1


def test_approximate_betweenness_on_a_compiled_graph():
    # The array entry point gives the same values as the frame, in node order.
    net = network_from_nx(nx.gnm_random_graph(80, 240, seed=4))
    graph = compile_graph(net, directed=False)
    values = approximate_betweenness(graph, epsilon=0.05, delta=0.1, seed=3, normalized=False, endpoints=True)
    frame = graph_betweenness(graph, epsilon=0.05, delta=0.1, seed=3, normalized=False, endpoints=True)
    assert isinstance(values, np.ndarray) and values.shape == (80,)
    np.testing.assert_array_equal(frame["betweenness"].to_numpy(), values)
    frame = betweenness(net, directed=False, epsilon=0.05, delta=0.1, seed=3, normalized=False, endpoints=True)
    np.testing.assert_array_equal(frame["betweenness"].to_numpy(), values)


def test_approximation_without_edges_is_zero():
    frame = betweenness(_net(list("abcde"), []), exact=False)
    assert frame["betweenness"].tolist() == [0.0] * 5


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(exact=True, epsilon=0.1),
        dict(epsilon=0.0),
        dict(epsilon=1.0),
        dict(epsilon=-0.1),
        dict(exact=False, delta=0.0),
        dict(exact=False, delta=1.0),
    ],
)
def test_bad_approximation_options_are_usage_errors(kwargs):
    net = network_from_nx(nx.gnm_random_graph(10, 20, seed=1, directed=True))
    with pytest.raises(UsageError):
        betweenness(net, **kwargs)


def test_approximation_leaves_global_random_state_untouched():
    import networkit as nk

    net = network_from_nx(nx.gnm_random_graph(60, 180, seed=2, directed=True))
    random.seed(123)
    np.random.seed(123)
    python_state, numpy_state = random.getstate(), np.random.get_state()
    threads = nk.getMaxNumberOfThreads()
    betweenness(net, epsilon=0.05, seed=5)
    assert random.getstate() == python_state
    after = np.random.get_state()
    assert after[0] == numpy_state[0] and np.array_equal(after[1], numpy_state[1]) and after[2:] == numpy_state[2:]
    assert nk.getMaxNumberOfThreads() == threads


def test_approximation_undirected_with_lengths():
    G = _with_lengths(nx.gnm_random_graph(200, 600, seed=12), 5, lambda r: r.randint(1, 5))
    reference = nx.betweenness_centrality(G, weight="weight")
    frame = betweenness(network_from_nx(G, "weight"), length="w", directed=False, epsilon=EPSILON, seed=1)
    error = max(abs(frame.at[str(v), "betweenness"] - x) for v, x in reference.items())
    assert error <= EPSILON


@pytest.fixture(scope="module")
def weighted_directed_case():
    G = _with_lengths(nx.gnm_random_graph(300, 1000, seed=11, directed=True), 3, lambda r: r.randint(1, 5))
    exact = {}
    for normalized, endpoints in BOOLS:
        reference = nx.betweenness_centrality(G, weight="weight", normalized=normalized, endpoints=endpoints)
        exact[normalized, endpoints] = np.array([reference[v] for v in G.nodes])
    return network_from_nx(G, "weight"), exact


@pytest.mark.parametrize("epsilon", [EPSILON, 0.25, 0.4])
def test_approximation_directed_with_lengths(weighted_directed_case, epsilon):
    """Approximation on a directed graph with lengths.

    At HEAD c32761c this raised RuntimeError: NetworKit's ApproxBetweenness
    computes its vertex-diameter bound with ConnectedComponents on weighted
    graphs, which refuses directed ones. A larger epsilon makes the estimator
    sample (a small epsilon may use every source and be exact), so several
    are tried; the bound, reproducibility and raw/normalized consistency must
    hold for each.
    """
    net, exact = weighted_directed_case
    n = net.n_actors
    frame = betweenness(net, length="w", epsilon=epsilon, seed=1)
    assert frame.attrs["exact"] is False and frame.attrs["epsilon"] == epsilon
    values = frame["betweenness"].to_numpy()
    assert np.abs(values - exact[True, False]).max() <= epsilon
    again = betweenness(net, length="w", epsilon=epsilon, seed=1)["betweenness"].to_numpy()
    np.testing.assert_array_equal(values, again)
    raw = betweenness(net, length="w", epsilon=epsilon, seed=1, normalized=False)["betweenness"].to_numpy()
    np.testing.assert_allclose(raw, values * (n - 1) * (n - 2), rtol=1e-9, atol=1e-9)
    ends = betweenness(net, length="w", epsilon=epsilon, seed=1, endpoints=True)["betweenness"].to_numpy()
    assert np.abs(ends - exact[True, True]).max() <= epsilon


@pytest.mark.parametrize("epsilon", [0.25, 0.4])
def test_sampled_approximation_centres_on_the_exact_values(weighted_directed_case, epsilon):
    """At a large epsilon the estimator samples few sources, so "within epsilon" alone would pass an
    all-zeros answer (the largest true value is 0.083). Over 40 seeds the estimates must vary and each
    node's mean must lie within 4 standard errors of its exact value: the estimator is unbiased.

    Source sampling (``method="sources"``, the default here before issue 19); path sampling, now the
    default, has its unbiasedness tested against binomial standard deviations from the exact values
    (tests/measures/test_adaptive_weighted.py), not ones estimated from 40 draws."""
    net, exact = weighted_directed_case
    draws = np.array([betweenness(net, length="w", epsilon=epsilon, seed=seed, method="sources")["betweenness"]
                      .to_numpy() for seed in range(40)])
    truth = exact[True, False]
    assert truth.max() > 0 and (draws.std(axis=0) > 0).sum() > len(truth) // 2
    standard_error = draws.std(axis=0, ddof=1) / np.sqrt(len(draws))
    assert np.all(np.abs(draws.mean(axis=0) - truth) <= 4 * standard_error + 1e-12)
