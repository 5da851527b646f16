"""PageRank, Katz and Bonacich power (dependencia.measures.centrality) against independent oracles.

The oracles do not use ``compile_graph``: the weighted graph is rebuilt here from the network's
records by the definition of docs/model.md#graphs (on the routed graph each closed
infrastructure of a route is a node of that route alone, identical routes share it and add their
strengths; an open one, or any one on the hub graph, is the infrastructure's own node; parallel
hops add their strengths; an undirected graph adds both directions), and an actor's value is
the sum over its control group with the route nodes of its infrastructures. PageRank is
NetworkX's (the module uses igraph's PRPACK), Katz NetworkX's ``katz_centrality_numpy``, Bonacich
a dense NumPy solve of c = alpha (I - beta A^T)^-1 A^T 1 written from Bonacich (1987), and rho(A)
NumPy's dense eigenvalues (0 for an acyclic graph, NetworkX's test).
"""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest
from _random_network import dimensions_of, random_network

import dependencia as dp
from dependencia.errors import UsageError
from dependencia.graph.compiled import compile_graph
from dependencia.measures import centrality, spectral
from dependencia.measures.centrality import (
    bonacich,
    graph_bonacich,
    graph_katz,
    katz,
    pagerank,
    spectral_radius,
)

PATHS = ("routed", "hub")


# --------------------------------------------------------------------------- the oracles
def records_graph(net: dp.Network, *, directed: bool, paths: str, dimensions=None) -> tuple[nx.Graph, dict]:
    """The strength-weighted graph from the records, and every actor's controlled nodes C(a)."""
    wanted = None if dimensions is None else ({dimensions} if isinstance(dimensions, str) else set(dimensions))
    closed = {x: (paths == "routed" and t != "open") for x, t in net.infrastructures["transit"].items()}
    graph = nx.DiGraph() if directed else nx.Graph()
    graph.add_nodes_from(net.actors.index)
    graph.add_nodes_from(net.infrastructures.index)
    route_nodes: dict[str, set] = {x: set() for x in net.infrastructures.index}
    for record in net.dependencies.to_dict(orient="records"):
        if wanted is not None and record["dimension"] not in wanted:
            continue
        via = tuple(record["via"])
        d, p = record["dependent"], record["provider"]
        stops = []
        for x in via:
            if closed[x]:
                node = ("route", x, d, via, p)
                route_nodes[x].add(node)
                stops.append(node)
            else:
                stops.append(x)
        chain = [d, *stops, p]
        for u, v in zip(chain, chain[1:]):
            old = graph[u][v]["strength"] if graph.has_edge(u, v) else 0.0
            graph.add_edge(u, v, strength=old + float(record["strength"]))
    groups = {}
    for actor, members in net.control_groups().items():
        group = set(members)
        for x in members:
            if x in route_nodes:
                group |= route_nodes[x]
        groups[actor] = group
    return graph, groups


def actor_values(net: dp.Network, groups: dict, values: dict) -> np.ndarray:
    return np.array([sum(values[v] for v in groups[a]) for a in net.actors.index])


def oracle_radius(graph: nx.Graph) -> float:
    if graph.is_directed() and nx.is_directed_acyclic_graph(graph):
        return 0.0
    matrix = nx.to_numpy_array(graph, weight="strength")
    return float(np.abs(np.linalg.eigvals(matrix)).max()) if len(matrix) else 0.0


def default_scale(graph: nx.Graph, radius: float) -> float:
    """rho, or the largest edge strength when acyclic (the documented default)."""
    if radius > 0:
        return radius
    return max((s for _, _, s in graph.edges(data="strength")), default=0.0)


def oracle_bonacich(graph: nx.Graph, beta: float) -> dict:
    """c = alpha (I - beta A^T)^-1 A^T 1, alpha so that sum c^2 = n (Bonacich 1987's measure and scaling)."""
    nodes = list(graph)
    a = nx.to_numpy_array(graph, nodelist=nodes, weight="strength")
    n = len(nodes)
    raw = np.linalg.solve(np.eye(n) - beta * a.T, a.T @ np.ones(n))
    squares = raw @ raw
    scale = np.sqrt(n / squares) if squares > 0 else 0.0
    return dict(zip(nodes, (scale * raw).tolist()))


# --------------------------------------------------------------------------- random networks
CASES = list(itertools.product((True, False), PATHS))


# --------------------------------------------------------------------------- PageRank
@pytest.mark.parametrize("seed", range(25))
def test_pagerank_equals_networkx(seed):
    net = random_network(seed, strengths=True)
    dimensions = dimensions_of(net, seed)
    for directed, paths in CASES:
        graph, groups = records_graph(net, directed=directed, paths=paths, dimensions=dimensions)
        expected = nx.pagerank(graph, alpha=0.85, weight="strength", tol=1e-15, max_iter=100_000)
        frame = pagerank(net, directed=directed, paths=paths, dimensions=dimensions)
        np.testing.assert_allclose(frame["pagerank"].to_numpy(), actor_values(net, groups, expected),
                                   rtol=1e-8, atol=1e-12)
        assert frame.index.tolist() == net.actors.index.tolist()


def test_pagerank_other_damping_and_its_check():
    net = random_network(3, strengths=True)
    graph, groups = records_graph(net, directed=True, paths="routed")
    expected = nx.pagerank(graph, alpha=0.5, weight="strength", tol=1e-15, max_iter=100_000)
    np.testing.assert_allclose(pagerank(net, alpha=0.5)["pagerank"].to_numpy(), actor_values(net, groups, expected),
                               rtol=1e-8, atol=1e-12)
    for bad in (0.0, 1.0, 1.5, "0.5"):
        with pytest.raises(UsageError, match="alpha"):
            pagerank(net, alpha=bad)


# --------------------------------------------------------------------------- Katz
@pytest.mark.parametrize("seed", range(25))
def test_katz_equals_networkx_with_the_default_alpha(seed):
    net = random_network(seed, strengths=True)
    dimensions = dimensions_of(net, seed)
    for directed, paths in CASES:
        graph, groups = records_graph(net, directed=directed, paths=paths, dimensions=dimensions)
        radius = oracle_radius(graph)
        scale = default_scale(graph, radius)
        alpha = 0.9 / scale if scale > 0 else 0.9
        expected = {v: x - 1.0 for v, x in nx.katz_centrality_numpy(graph, alpha=alpha, beta=1.0, normalized=False,
                                                                   weight="strength").items()}
        frame = katz(net, directed=directed, paths=paths, dimensions=dimensions)
        assert frame.attrs["alpha"] == pytest.approx(alpha, rel=1e-9)
        assert frame.attrs["spectral_radius"] == pytest.approx(radius, rel=1e-9, abs=1e-12)
        np.testing.assert_allclose(frame["katz"].to_numpy(), actor_values(net, groups, expected),
                                   rtol=1e-9, atol=1e-9)


def test_katz_with_a_user_alpha_and_its_check():
    net = dp.Network.from_records([{"id": i} for i in "abc"], [
        {"dependent": "a", "provider": "b", "strength": 2}, {"dependent": "b", "provider": "a", "strength": 2},
        {"dependent": "c", "provider": "a"}])
    graph, groups = records_graph(net, directed=True, paths="routed")
    radius = oracle_radius(graph)  # the cycle a <-> b of strengths 2: rho = 2
    assert spectral_radius(compile_graph(net)) == pytest.approx(radius) == pytest.approx(2.0)
    expected = {v: x - 1.0 for v, x in nx.katz_centrality_numpy(graph, alpha=0.3, normalized=False,
                                                               weight="strength").items()}
    np.testing.assert_allclose(katz(net, alpha=0.3)["katz"].to_numpy(), actor_values(net, groups, expected))
    for bad in (0.5, 0.7, 0.0, -0.1):  # 1/rho = 0.5 is the bound, excluded
        with pytest.raises(UsageError, match=r"alpha must be in \(0, 1/rho\) = \(0, 0.5\)"):
            katz(net, alpha=bad)
    with pytest.raises(UsageError, match="alpha must be a number"):
        katz(net, alpha="0.3")


# --------------------------------------------------------------------------- Bonacich
@pytest.mark.parametrize("seed", range(25))
def test_bonacich_equals_a_dense_solve_with_the_default_beta(seed):
    net = random_network(seed, strengths=True)
    dimensions = dimensions_of(net, seed)
    for directed, paths in CASES:
        graph, groups = records_graph(net, directed=directed, paths=paths, dimensions=dimensions)
        scale = default_scale(graph, oracle_radius(graph))
        beta = -0.5 / scale if scale > 0 else -0.5
        frame = bonacich(net, directed=directed, paths=paths, dimensions=dimensions)
        assert frame.attrs["beta"] == pytest.approx(beta, rel=1e-9)
        np.testing.assert_allclose(frame["bonacich"].to_numpy(),
                                   actor_values(net, groups, oracle_bonacich(graph, beta)), rtol=1e-9, atol=1e-9)


def test_bonacich_by_hand_negative_beta_favours_the_provider_of_the_powerless():
    # Two shops with two customers each. p's customers u1, u2 have no dependents; q's customers r1, r2
    # each serve one customer (v1 -> r1, v2 -> r2). With M = A^T (M[p, u] = 1 when u depends on p):
    #   c0 = (I - beta M)^-1 M 1, i.e. c0_v = indeg(v) + beta * sum of c0 over v's dependents.
    #   u1, u2, v1, v2: no dependents, c0 = 0;  r1, r2: 1 + beta * 0 = 1;
    #   p: 2 + beta * (0 + 0) = 2;               q: 2 + beta * (1 + 1) = 2 + 2 beta = 1.5 for beta = -0.25.
    # Bonacich's scale alpha makes sum c^2 = n = 8: alpha = sqrt(8 / (2^2 + 1.5^2 + 1 + 1)) = sqrt(8 / 8.25).
    # So c_p = 2 alpha > c_q = 1.5 alpha: the same number of dependents, but p's are powerless.
    net = dp.Network.from_records([{"id": i} for i in ("u1", "u2", "p", "r1", "r2", "q", "v1", "v2")], [
        {"dependent": "u1", "provider": "p"}, {"dependent": "u2", "provider": "p"},
        {"dependent": "r1", "provider": "q"}, {"dependent": "r2", "provider": "q"},
        {"dependent": "v1", "provider": "r1"}, {"dependent": "v2", "provider": "r2"}])
    frame = bonacich(net, beta=-0.25)
    alpha = np.sqrt(8 / 8.25)
    expected = {"u1": 0, "u2": 0, "p": 2 * alpha, "r1": alpha, "r2": alpha, "q": 1.5 * alpha, "v1": 0, "v2": 0}
    assert frame["bonacich"].to_dict() == pytest.approx(expected, rel=1e-12, abs=1e-12)
    assert frame.attrs["scale"] == pytest.approx(alpha, rel=1e-12)
    assert (frame["bonacich"] ** 2).sum() == pytest.approx(8.0)
    # Katz counts the walks instead: q's two customers bring two more walks each (v -> r -> q)
    assert katz(net)["katz"]["q"] > katz(net)["katz"]["p"]


def test_beta_checked_against_the_allowed_range():
    net = dp.Network.from_records([{"id": i} for i in "abc"], [
        {"dependent": "a", "provider": "b", "strength": 2}, {"dependent": "b", "provider": "a", "strength": 2},
        {"dependent": "c", "provider": "a"}])  # rho = 2: beta in (-0.5, 0)
    for bad in (0.0, 0.1, -0.5, -0.8):
        with pytest.raises(UsageError, match=r"beta must be in \(-1/rho, 0\) = \(-0.5, 0\)"):
            bonacich(net, beta=bad)
    assert bonacich(net, beta=-0.49).attrs["beta"] == -0.49
    graph = compile_graph(net)
    with pytest.raises(UsageError, match=r"beta must be in \(-1/rho, 1/rho\) = \(-0.5, 0.5\)"):
        graph_bonacich(graph, 0.5, negative=False)
    graph_bonacich(graph, 0.0, negative=False)  # beta = 0: weighted in-degree, allowed there


@pytest.mark.parametrize("seed", range(5))
def test_bonacich_with_positive_beta_is_katz_up_to_a_factor(seed):
    # c(alpha, beta) = alpha sum_k beta^k M^(k+1) 1 and Katz's x - 1 = sum_(k>=1) a^k M^k 1: with beta = a,
    # c = (alpha / a) (x - 1) at every node.
    graph = compile_graph(random_network(seed + 40, n_max=8, deps_max=20, strengths=True))
    walks, a = graph_katz(graph)
    values, beta, scale = graph_bonacich(graph, a, negative=False)
    assert beta == a
    np.testing.assert_allclose(values, scale / a * walks, rtol=1e-9, atol=1e-12)


# --------------------------------------------------------------------------- large graphs: other code paths
def _strong_graph(n: int, seed: int) -> dp.Network:
    """n actors on a cycle (one strong component) and 2n random extra dependencies, strengths 0.5 to 3."""
    rng = np.random.default_rng(seed)
    actors = [f"a{i}" for i in range(n)]
    deps = [{"dependent": actors[i], "provider": actors[(i + 1) % n], "strength": float(rng.choice([0.5, 1, 3]))}
            for i in range(n)]
    for _ in range(2 * n):
        u, v = rng.choice(n, size=2, replace=False)
        deps.append({"dependent": actors[int(u)], "provider": actors[int(v)], "strength": float(rng.choice([0.5, 1]))})
    return dp.Network.from_records([{"id": a} for a in actors], deps)


def test_spectral_radius_of_a_large_component(monkeypatch):
    # above DENSE_MAX nodes: power iteration, then (forced here) ARPACK; oracle: NumPy's dense eigenvalues
    net = _strong_graph(spectral.DENSE_MAX + 100, seed=1)
    graph, _ = records_graph(net, directed=True, paths="routed")
    expected = oracle_radius(graph)
    assert spectral_radius(compile_graph(net)) == pytest.approx(expected, rel=1e-9)
    monkeypatch.setattr(spectral, "_power_iteration_root", lambda block: (np.inf, False))
    assert spectral_radius(compile_graph(net)) == pytest.approx(expected, rel=1e-9)


def test_large_graphs_are_solved_iteratively():
    # above DIRECT_MAX nodes the systems are iterated (Neumann series, then BiCGSTAB for an alpha near 1/rho)
    net = _strong_graph(spectral.DIRECT_MAX + 200, seed=2)
    graph, groups = records_graph(net, directed=True, paths="routed")
    radius = spectral_radius(compile_graph(net))
    for alpha in (None, 0.999 / radius):
        frame = katz(net, alpha=alpha)
        expected = {v: x - 1.0 for v, x in nx.katz_centrality_numpy(
            graph, alpha=frame.attrs["alpha"], normalized=False, weight="strength").items()}
        np.testing.assert_allclose(frame["katz"].to_numpy(), actor_values(net, groups, expected), rtol=1e-7)
    frame = bonacich(net)
    np.testing.assert_allclose(frame["bonacich"].to_numpy(),
                               actor_values(net, groups, oracle_bonacich(graph, frame.attrs["beta"])), rtol=1e-8)


# --------------------------------------------------------------------------- actors and their nodes
def test_an_owner_sums_the_route_nodes_of_its_infrastructure():
    # three routes through the closed platform X of o: on the routed graph o's value is the sum over
    # its own node, X and the three route nodes; on the hub graph X is one node
    net = dp.Network.from_records([{"id": i} for i in ("d1", "d2", "d3", "p", "o")], [
        {"dependent": f"d{i}", "provider": "p", "via": ["X"]} for i in (1, 2, 3)],
        infrastructures=[{"id": "X", "owner": "o"}])
    graph = compile_graph(net)
    for measure in ("pagerank", "katz", "bonacich"):
        values = {"pagerank": lambda: centrality.graph_pagerank(graph), "katz": lambda: graph_katz(graph)[0],
                  "bonacich": lambda: graph_bonacich(graph)[0]}[measure]()
        frame = getattr(centrality, measure)(net)
        assert frame[measure]["o"] == pytest.approx(values[graph.nodes_of([4, 5])].sum())
        assert frame[measure]["p"] == pytest.approx(values[3])


def test_a_graph_without_edges():
    net = dp.Network.from_records([{"id": "a"}, {"id": "b"}])
    assert pagerank(net)["pagerank"].tolist() == [0.5, 0.5]
    assert katz(net)["katz"].tolist() == [0.0, 0.0]
    frame = bonacich(net)
    assert frame["bonacich"].tolist() == [0.0, 0.0] and frame.attrs["scale"] == 0.0


def test_unknown_paths_and_dimension():
    net = random_network(1, strengths=True)
    with pytest.raises(UsageError, match="paths"):
        katz(net, paths="shortest")
    with pytest.raises(UsageError, match="unknown dimension"):
        pagerank(net, dimensions="nope")
