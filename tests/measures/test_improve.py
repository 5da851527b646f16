"""Maximum betweenness improvement: exact link gains against NetworkX, greedy against brute force and baselines."""

from __future__ import annotations

import itertools
import random
import time

import igraph as ig
import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import dependencia as dp
from dependencia.errors import UsageError
from dependencia.measures import improve as module
from dependencia.measures.improve import Improvement, improve, link_gains


def network_of(graph: nx.DiGraph) -> dp.Network:
    """Nodes 0..n-1 become actors n0..n{n-1} (node index = actor order)."""
    return dp.Network.from_records(
        [{"id": f"n{i}"} for i in range(graph.number_of_nodes())],
        [{"dependent": f"n{u}", "provider": f"n{v}"} for u, v in graph.edges()],
    )


def raw(graph: nx.DiGraph) -> dict:
    return nx.betweenness_centrality(graph, normalized=False)


def scale(n: int) -> float:
    return 1.0 / ((n - 1) * (n - 2))


def gain_of(graph: nx.DiGraph, v: int, dependents) -> float:
    """Raw gain of v from the edges u -> v, recomputed from scratch by NetworkX."""
    after = graph.copy()
    after.add_edges_from((u, v) for u in dependents)
    return raw(after)[v] - raw(graph)[v]


def candidates(graph: nx.DiGraph, v: int) -> list[int]:
    return [u for u in graph.nodes() if u != v and not graph.has_edge(u, v)]


def random_digraph(seed: int, low: int = 5, high: int = 10) -> tuple[nx.DiGraph, int]:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(low, high + 1))
    graph = nx.gnp_random_graph(n, float(rng.uniform(0.15, 0.4)), seed=seed, directed=True)
    return graph, int(rng.integers(n))


# ------------------------------------------------------------------ hand-checked cases


def test_new_route_that_ties_takes_half_the_pair():
    # s=n0 -> x=n1 -> t=n2 and v=n3 -> t. Adding s -> v gives (s, t) a second 2-hop path,
    # s -> v -> t, so v gets half of that pair: raw 1/2, normalized by (n-1)(n-2) = 6: 1/12.
    # x -> v only offers x -> v -> t (2 hops) against x -> t (1 hop); t -> v leads nowhere new.
    graph = nx.DiGraph([(0, 1), (1, 2), (3, 2)])
    gains = link_gains(dp.compile_graph(network_of(graph)), 3)
    assert np.isnan(gains[3])
    assert gains[:3].tolist() == [pytest.approx(1 / 12), 0.0, 0.0]
    result = improve(network_of(graph), "n3")
    assert result.added == [("n0", "n3")]
    assert result.betweenness_after == pytest.approx(1 / 12)
    # before: n1 alone has a pair (n0, n2); after: n1 keeps half of it too (1/12 each), so n3 ties n1 at rank 1
    assert (result.rank_before, result.rank_after) == (2, 1)


def test_existing_edges_and_the_actor_are_not_candidates():
    # n1 and n2 already depend on n0; only n3 can still link (n3 -> n0 -> nothing: no gain, but a link).
    graph = nx.DiGraph([(1, 0), (2, 0)])
    graph.add_node(3)
    assert np.isnan(link_gains(dp.compile_graph(network_of(graph)), 0)[:3]).all()
    result = improve(network_of(graph), "n0")
    assert result.added == [("n3", "n0")] and result.betweenness_after == 0.0
    with pytest.raises(UsageError, match="only 1 node can still link"):
        improve(network_of(graph), "n0", links=2)


def test_infrastructures_are_candidates_and_routes_count():
    # a depends on shop via the platform (a -> platform -> shop); shop -> b. The platform, already
    # on the route, is no candidate for shop (it has the edge); a is (no direct edge a -> shop).
    net = dp.Network.from_records(
        [{"id": i} for i in ("a", "shop", "b", "c", "o")],
        [{"dependent": "a", "provider": "shop", "via": ["platform"]}, {"dependent": "shop", "provider": "b"}],
        infrastructures=[{"id": "platform", "owner": "o"}],
    )
    graph = dp.compile_graph(net, paths="hub")  # the plain graph of the improvement problem
    gains = link_gains(graph, int(graph.index.get_loc("shop")))
    nx_graph = graph.to_networkx()
    n = graph.n_nodes
    for u, gain in zip(graph.node_ids, gains):
        if u == "shop" or u == "platform":
            assert np.isnan(gain)
            continue
        assert gain == pytest.approx(gain_of(nx_graph, "shop", [u]) * scale(n), abs=1e-15)
    result = improve(net, "shop", links=2, paths="hub")
    expected = nx_graph.copy()
    expected.add_edges_from((d, p) for d, p in result.added)
    assert result.betweenness_after == pytest.approx(nx.betweenness_centrality(expected)["shop"], rel=1e-12)


@pytest.mark.parametrize("seed", range(4))
def test_on_the_routed_graph_candidates_are_actors_and_the_gain_is_routed_betweenness(seed):
    # On the routed graph a new link is a direct dependency u -> actor from an actor u; the best
    # single link (brute force: every candidate added as a dependency, routed betweenness by
    # dp.betweenness) is the one greedy picks, and its value is the routed betweenness after it.
    rng = np.random.default_rng(seed)
    ids = [f"a{i}" for i in range(7)]
    deps = []
    for _ in range(10):
        u, v = (str(x) for x in rng.choice(ids, size=2, replace=False))
        deps.append({"dependent": u, "provider": v, "via": ["X"] if rng.random() < 0.5 else []})
    net = dp.Network.from_records([{"id": i} for i in ids], deps, infrastructures=[{"id": "X", "owner": "a0"}])
    actor = "a1"
    linked = {d["dependent"] for d in deps if d["provider"] == actor and not d["via"]}
    values = {}
    for u in ids:
        if u == actor or u in linked:
            continue
        after = dp.Network.from_records([{"id": i} for i in ids], deps + [{"dependent": u, "provider": actor}],
                                        infrastructures=[{"id": "X", "owner": "a0"}])
        values[u] = dp.betweenness(after)["betweenness"][actor]
    result = improve(net, actor, links=1)
    (chosen, _), = result.added
    assert chosen in values  # an actor, never the infrastructure or a route node
    assert result.betweenness_after == pytest.approx(values[chosen], rel=1e-12)
    assert values[chosen] == pytest.approx(max(values.values()), rel=1e-12)
    assert result.betweenness_before == pytest.approx(dp.betweenness(net)["betweenness"][actor], rel=1e-12)


def test_dimensions_choose_the_graph_and_name_the_new_dependencies():
    # In dimension "x" n1 -> n0 -> n2; in "y" only n3 -> n0. On x alone, n3 -> n0 puts n0 between n3 and n2.
    net = dp.Network.from_records(
        [{"id": f"n{i}"} for i in range(4)],
        [{"dependent": "n1", "provider": "n0", "dimension": "x"},
         {"dependent": "n0", "provider": "n2", "dimension": "x"},
         {"dependent": "n3", "provider": "n0", "dimension": "y"}],
    )
    on_x = improve(net, "n0", dimensions=["x"])
    assert on_x.added == [("n3", "n0")] and on_x.dimension == "x"
    both = improve(net, "n0")  # n3 -> n0 exists in the aggregate: nothing new to gain
    assert both.dimension == "x" and both.added == [("n2", "n0")]


def test_top_degree_takes_highest_out_degree_then_lowest_index():
    # out-degrees: n1 3, n2 2, n3 2, n4 0; n5 already depends on n0 (out-degree 1, not a candidate)
    graph = nx.DiGraph([(1, 2), (1, 3), (1, 4), (2, 3), (2, 4), (3, 4), (3, 2), (5, 0)])
    result = improve(network_of(graph), "n0", links=3, strategy="top-degree")
    assert result.added == [("n1", "n0"), ("n2", "n0"), ("n3", "n0")]


def test_random_is_seeded_and_leaves_global_state_alone():
    graph = nx.gnp_random_graph(30, 0.1, seed=2, directed=True)
    net = network_of(graph)
    np.random.seed(11)
    random.seed(11)
    numpy_state, python_state = np.random.get_state()[1].copy(), random.getstate()
    runs = [improve(net, "n0", links=5, strategy="random", seed=s) for s in (4, 4, 5)]
    assert runs[0] == runs[1] and runs[0].added != runs[2].added
    unseeded = improve(net, "n0", links=5, strategy="random")
    assert unseeded.added == improve(net, "n0", links=5, strategy="random", seed=0).added  # seed None means 0
    assert (np.random.get_state()[1] == numpy_state).all() and random.getstate() == python_state


def test_errors_are_usage_errors():
    net = dp.Network.from_records(
        [{"id": "a"}, {"id": "b"}, {"id": "o"}], [{"dependent": "a", "provider": "b", "via": ["hub"]}],
        infrastructures=[{"id": "hub", "owner": "o"}],
    )
    with pytest.raises(UsageError, match="no actor 'zed'"):
        improve(net, "zed")
    with pytest.raises(UsageError, match="'hub' is an infrastructure"):
        improve(net, "hub")
    with pytest.raises(UsageError, match="unknown strategy"):
        improve(net, "a", strategy="best")
    with pytest.raises(UsageError, match="at least 1"):
        improve(net, "a", links=0)
    with pytest.raises(UsageError, match="unknown dimension"):
        improve(net, "a", dimensions=["nope"])


def test_greedy_refuses_graphs_above_the_node_limit(monkeypatch):
    monkeypatch.setattr(module, "MAX_NODES", 3)
    net = network_of(nx.path_graph(4, create_using=nx.DiGraph))
    with pytest.raises(UsageError, match="limited to 3 nodes"):
        improve(net, "n1")
    # the baselines need no all-pairs arrays: n0 -> n1 exists, so n2 (out-degree 1) beats n3 (0)
    assert improve(net, "n1", strategy="top-degree").added == [("n2", "n1")]
    assert improve(net, "n1", strategy="random").links == 1


def test_to_dict_is_the_contract_object():
    result = improve(network_of(nx.DiGraph([(0, 1), (1, 2)])), "n0")
    assert result.to_dict() == {
        "actor": "n0", "strategy": "greedy", "links": 1, "added": [{"dependent": "n2", "provider": "n0"}],
        "betweenness_before": 0.0, "betweenness_after": 0.5, "rank_before": 2, "rank_after": 1,
    }
    assert isinstance(result, Improvement) and "n2 &rarr; n0" in result._repr_html_()


# ------------------------------------------------------------------ (a) the closed form against NetworkX


@st.composite
def small_digraphs(draw):
    n = draw(st.integers(3, 9))
    pairs = [(u, v) for u in range(n) for v in range(n) if u != v]
    edges = draw(st.lists(st.sampled_from(pairs), max_size=3 * n, unique=True))
    graph = nx.DiGraph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(edges)
    return graph, draw(st.integers(0, n - 1))


@given(case=small_digraphs())
def test_every_link_gain_matches_networkx_recomputed(case):
    graph, v = case
    n = graph.number_of_nodes()
    gains = link_gains(dp.compile_graph(network_of(graph)), v)
    before = raw(graph)[v]
    for u in range(n):
        if u == v or graph.has_edge(u, v):
            assert np.isnan(gains[u])
            continue
        after = graph.copy()
        after.add_edge(u, v)
        expected = nx.betweenness_centrality(after)[v]
        assert before * scale(n) + gains[u] == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_gains_are_the_same_bytes_on_workers(monkeypatch):
    monkeypatch.setattr(module, "PARALLEL_MIN_NODES", 0)
    graph = nx.DiGraph(nx.scale_free_graph(120, seed=3))
    graph.remove_edges_from(list(nx.selfloop_edges(graph)))
    compiled = dp.compile_graph(network_of(graph))
    runs = [link_gains(compiled, 7, workers=w) for w in (1, 2)]
    assert runs[0].tobytes() == runs[1].tobytes()
    net = network_of(graph)
    assert improve(net, "n7", links=3, workers=1) == improve(net, "n7", links=3, workers=2)


# ------------------------------------------------------------------ (b), (c) greedy against brute force


def test_greedy_first_link_is_the_best_single_link():
    for seed in range(40):
        graph, v = random_digraph(seed)
        single = {u: gain_of(graph, v, [u]) for u in candidates(graph, v)}
        best = max(single.values())
        lowest_best = min(u for u, g in single.items() if g >= best - 1e-9)
        result = improve(network_of(graph), f"n{v}", links=1)
        assert result.added == [(f"n{lowest_best}", f"n{v}")], seed
        n = graph.number_of_nodes()
        assert result.betweenness_after == pytest.approx((raw(graph)[v] + best) * scale(n), rel=1e-9, abs=1e-12)


def small_graph(family: str, seed: int) -> tuple[nx.DiGraph, int]:
    """The paper's three families of random directed graphs (PA, ER, WS), 8-11 nodes, and a target node."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(8, 12))
    if family == "preferential-attachment":
        graph = nx.DiGraph(nx.scale_free_graph(n, seed=seed))
        graph.remove_edges_from(list(nx.selfloop_edges(graph)))
    elif family == "erdos-renyi":
        graph = nx.gnp_random_graph(n, float(rng.uniform(0.15, 0.4)), seed=seed, directed=True)
    else:  # Watts-Strogatz, each edge given a random direction
        ring = nx.watts_strogatz_graph(n, 4, 0.3, seed=seed)
        graph = nx.DiGraph()
        graph.add_nodes_from(ring)
        graph.add_edges_from((u, w) if rng.random() < 0.5 else (w, u) for u, w in ring.edges())
    return graph, int(rng.integers(n))


def igraph_gain(graph: nx.DiGraph, v: int, dependents) -> float:
    """Raw gain of v from the edges u -> v, recomputed from scratch by igraph (fast enough for brute force)."""
    edges = list(graph.edges())
    n = graph.number_of_nodes()
    before = ig.Graph(n=n, edges=edges, directed=True).betweenness(vertices=[v])[0]
    after = ig.Graph(n=n, edges=edges + [(u, v) for u in dependents], directed=True)
    return after.betweenness(vertices=[v])[0] - before


def greedy_over_optimum(links: int, family: str, seeds: range) -> list[float]:
    """Greedy's gain / the best gain over all k-subsets of candidates, on graphs where the optimum gains."""
    ratios = []
    for seed in seeds:
        graph, v = small_graph(family, seed)
        options = candidates(graph, v)
        if len(options) < links:
            continue
        optimum = max(igraph_gain(graph, v, subset) for subset in itertools.combinations(options, links))
        if optimum <= 1e-9:
            continue
        result = improve(network_of(graph), f"n{v}", links=links)
        greedy = igraph_gain(graph, v, [int(d[1:]) for d, _ in result.added])
        assert greedy <= optimum + 1e-9
        ratios.append(greedy / optimum)
    return ratios


FAMILIES = ("preferential-attachment", "erdos-renyi", "watts-strogatz")


def test_greedy_first_link_is_the_best_single_link_on_every_graph():
    # the contract (docs/cli.md, improve): with exact evaluation, greedy's first link is the best single link
    ratios = [r for family in FAMILIES for r in greedy_over_optimum(1, family, range(25))]
    assert len(ratios) >= 60
    assert min(ratios) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("links", [2, 3])
def test_greedy_gains_at_least_96_percent_of_the_optimum_on_average(links):
    # Bergamini et al. (2018) found greedy/optimum > 0.96 on every directed PA, ER and WS graph they
    # solved exactly (IP). Here brute force over all k-subsets (igraph recomputing), 25 seeded graphs of
    # 8-11 nodes per family, counting those where the optimum gains anything. Measured:
    # k = 2: mean 0.99758 over 69 graphs (greedy optimal on 68, worst 0.833);
    # k = 3: mean 0.99805 over 69 graphs (optimal on 67, worst 0.875).
    ratios = [r for family in FAMILIES for r in greedy_over_optimum(links, family, range(25))]
    assert len(ratios) >= 60
    assert np.mean(ratios) >= 0.96  # the paper's figure, as a floor
    # and what this implementation measured, with a margin of a few graphs: a greedy that picked the
    # second-best link at one step on 1 graph in 10 would fall below these
    assert np.mean(ratios) >= 0.99
    assert np.mean(np.isclose(ratios, 1.0, atol=1e-12)) >= 0.93


# ------------------------------------------------------------------ (d) rank after 10 links, against baselines


def mean_rank_percent(kind: str, n: int, graphs: int, targets: int) -> dict[str, float]:
    """Mean rank after 10 links, as % of n, over seeded graphs and random target nodes, per strategy."""
    ranks: dict[str, list[float]] = {s: [] for s in module.STRATEGIES}
    for seed in range(graphs):
        if kind == "scale-free":
            graph = nx.DiGraph(nx.scale_free_graph(n, seed=seed))
            graph.remove_edges_from(list(nx.selfloop_edges(graph)))
        else:
            graph = nx.gnp_random_graph(n, 4.0 / n, seed=seed, directed=True)
        net = network_of(graph)
        for v in np.random.default_rng(seed).choice(n, size=targets, replace=False):
            for strategy in ranks:
                result = improve(net, f"n{v}", links=10, strategy=strategy, seed=seed, workers=1)
                ranks[strategy].append(100.0 * result.rank_after / n)
    return {s: float(np.mean(r)) for s, r in ranks.items()}


@pytest.mark.parametrize(("kind", "n"), [("scale-free", 100), ("scale-free", 300), ("gnp", 100), ("gnp", 300)])
def test_greedy_ranks_better_than_top_degree_and_random(kind, n):
    # measured (2 graphs x 5 targets): scale-free 100: greedy 3.4%, top-degree 9.7%, random 5.7%;
    # scale-free 300: 1.57 / 5.97 / 2.97; gnp 100: 2.4 / 17.1 / 10.4; gnp 300: 0.5 / 18.5 / 12.1
    # (Bergamini et al., real directed networks: 1.4% / 7.3% / 10.2%)
    mean = mean_rank_percent(kind, n, graphs=2, targets=5)
    assert mean["greedy"] < mean["top-degree"] and mean["greedy"] < mean["random"]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["scale-free", "gnp"])
def test_greedy_ranks_better_on_1000_nodes(kind):
    # measured (2 graphs x 5 targets): scale-free: greedy 1.48%, top-degree 7.69%, random 6.03%;
    # gnp (mean degree 4): 0.21 / 19.25 / 11.99
    mean = mean_rank_percent(kind, 1000, graphs=2, targets=5)
    assert mean["greedy"] < mean["top-degree"] and mean["greedy"] < mean["random"]


@pytest.mark.slow
def test_greedy_ten_links_on_1000_nodes_takes_seconds():
    graph = nx.gnp_random_graph(1000, 6.0 / 1000, seed=1, directed=True)
    net = network_of(graph)
    improve(net, "n500", links=1, workers=1)  # compile or load the kernels
    start = time.perf_counter()
    result = improve(net, "n500", links=10, workers=1)
    elapsed = time.perf_counter() - start
    assert result.rank_after <= result.rank_before
    assert elapsed < 60, elapsed
