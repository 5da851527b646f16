"""Power and node betweenness on the routed and the hub graph, against brute force from the definitions.

docs/model.md, "Graphs", "Node betweenness on the routed graph" and "Actor power", read literally: the graph
is built from the records (``_records_graph``), every shortest path between every ordered pair of actors is
enumerated with NetworkX, and each measure is counted path by path. The controlled sets C(a) are computed
here from the ownership records (the > 1/2 rule, iterated), not taken from the package.
"""

from __future__ import annotations

import itertools
import random
from collections import defaultdict

import networkx as nx
import numpy as np
import pytest
from _records_graph import records_graph, stands_for

import dependencia as dp
from dependencia.measures.explain import OTHER_PAIRS

SHARES = (0.2, 0.3, 0.4, 0.6, 1.0)  # sums of these are exact binary fractions or far from 1/2


def random_network(seed: int) -> tuple[dp.Network, dict]:
    """A small network with open and closed infrastructures, shared routes and ownership chains.

    Returns the network and the options of the case (``directed``, ``length``, ``dimensions``).
    """
    rng = random.Random(seed)
    n = rng.randint(5, 9)
    actors = [f"a{i}" for i in range(n)]
    dims = ["d0", "d1", "d2"][: rng.randint(1, 3)]
    infras = []
    for i in range(rng.randint(0, 3)):
        record = {"id": f"x{i}", "owner": rng.choice([*actors, None])}
        transit = rng.choice(["open", "closed", None])  # None: the default, closed
        if transit is not None:
            record["transit"] = transit
        infras.append(record)
    deps = []
    for _ in range(rng.randint(n, 3 * n)):
        if deps and rng.random() < 0.15:  # the same route again (another dimension, another length)
            record = dict(rng.choice(deps), dimension=rng.choice(dims), w=rng.randint(1, 3))
        else:
            u, v = rng.sample(actors, 2)
            via = rng.sample([x["id"] for x in infras], rng.randint(1, min(2, len(infras)))) \
                if infras and rng.random() < 0.6 else []
            record = {"dependent": u, "provider": v, "via": via, "dimension": rng.choice(dims), "w": rng.randint(1, 3)}
        deps.append(record)
    ownership, held = [], defaultdict(float)
    for _ in range(rng.randint(0, 5)):
        i, j = sorted(rng.sample(range(n), 2))  # from lower to higher index: nobody controls its controller
        share = rng.choice(SHARES)
        if (actors[i], actors[j]) not in {(o["owner"], o["owned"]) for o in ownership} \
                and held[actors[j]] + share <= 1.0:
            held[actors[j]] += share
            ownership.append({"owner": actors[i], "owned": actors[j], "share": share})
    net = dp.Network.from_records([{"id": a} for a in actors], deps, dimensions=[{"id": d} for d in dims],
                                  infrastructures=infras, ownership=ownership)
    options = {
        "directed": rng.random() < 0.6,
        "length": "w" if rng.random() < 0.5 else None,
        "dimensions": None if len(dims) == 1 or rng.random() < 0.7 else rng.sample(dims, rng.randint(1, len(dims))),
    }
    return net, options


def controlled_sets(net: dp.Network) -> dict[str, set[str]]:
    """C(a) by the model's rule: a itself, every actor in which a and the actors a controls hold > 1/2
    (iterated to a fixed point), and every infrastructure owned by an actor of that set."""
    holdings = [(r["owner"], r["owned"], float(r["share"])) for r in net.ownership.to_dict(orient="records")]
    owners = {x: r for x, r in zip(net.infrastructures.index, net.infrastructures["owner"])}
    result = {}
    for actor in net.actors.index:
        group, grown = {actor}, True
        while grown:
            grown = False
            for b in net.actors.index:
                if b not in group and sum(s for o, t, s in holdings if t == b and o in group) > 0.5 + 1e-12:
                    group.add(b)
                    grown = True
        result[actor] = group | {x for x, o in owners.items() if o in group}
    return result


def shortest_paths(graph: nx.Graph, actors: list[str], length: str | None) -> dict:
    """All shortest paths between every ordered pair of distinct actors that has one."""
    paths = {}
    for s, t in itertools.permutations(actors, 2):
        if nx.has_path(graph, s, t):
            paths[(s, t)] = list(nx.all_shortest_paths(graph, s, t, weight="length" if length else None))
    return paths


def share_through(paths: list[list], group: set[str]) -> float:
    """Share of the paths with an inner node standing for a member of ``group`` (a path counts once)."""
    return sum(1 for p in paths if any(stands_for(v) in group for v in p[1:-1])) / len(paths)


def brute_force_power(net: dp.Network, paths: dict, *, directed: bool, normalized: bool) -> dict:
    """docs/model.md#actor-power: group betweenness of C(a) over ordered actor pairs outside C(a)."""
    groups = controlled_sets(net)
    result = {}
    for actor in net.actors.index:
        outside = [a for a in net.actors.index if a not in groups[actor]]
        total = sum(share_through(paths[(s, t)], groups[actor])
                    for s, t in itertools.permutations(outside, 2) if (s, t) in paths)
        pairs = len(outside) * (len(outside) - 1)
        if normalized:
            result[actor] = total / pairs if pairs else 0.0
        else:
            result[actor] = total if directed else total / 2
    return result


def brute_force_routed_betweenness(net: dp.Network, paths: dict, *, directed: bool, normalized: bool) -> dict:
    """docs/model.md#node-betweenness-on-the-routed-graph: an actor over ordered actor pairs without it,
    an infrastructure as the group of its nodes over all ordered actor pairs."""
    actors = list(net.actors.index)
    n = len(actors)
    result = {}
    for v in actors:
        total = sum(share_through(found, {v}) for (s, t), found in paths.items() if v not in (s, t))
        result[v] = total / ((n - 1) * (n - 2)) if normalized else (total if directed else total / 2)
    for x in net.infrastructures.index:
        total = sum(share_through(found, {x}) for found in paths.values())
        result[x] = total / (n * (n - 1)) if normalized else (total if directed else total / 2)
    return result


def brute_force_routed_endpoints(net: dp.Network, paths: dict, *, directed: bool, normalized: bool) -> dict:
    """The same with ``endpoints``, from docs/model.md's words: an actor's sum also counts the actors it
    reaches and those that reach it (the ordered pairs it starts or ends), normalized by n_A(n_A - 1) like an
    infrastructure's; an infrastructure's value does not change."""
    actors = list(net.actors.index)
    n = len(actors)
    pairs = n * (n - 1)
    result = {}
    for v in actors:
        inner = sum(share_through(found, {v}) for (s, t), found in paths.items() if v not in (s, t))
        ends = sum(1 for s, t in paths if v in (s, t))  # pairs with a path that v starts or ends
        total = inner + ends
        result[v] = total / pairs if normalized else (total if directed else total / 2)
    for x in net.infrastructures.index:
        total = sum(share_through(found, {x}) for found in paths.values())
        result[x] = total / pairs if normalized else (total if directed else total / 2)
    return result


def assert_values(frame, column: str, expected: dict, what: str) -> None:
    assert set(frame.index) == set(expected), what
    for node, value in expected.items():
        assert frame.loc[node, column] == pytest.approx(value, rel=1e-9, abs=1e-12), f"{what}: {node}"


CASES = range(40)


def test_the_cases_cover_the_model():
    # the generator must produce what the tests are about: closed and open infrastructures, routes of two
    # hops, routes shared by several dependencies, control through another actor, and both kinds of graph
    seen = defaultdict(int)
    for seed in CASES:
        net, options = random_network(seed)
        transit = net.infrastructures["transit"].tolist()
        seen["closed"] += "closed" in transit
        seen["open"] += "open" in transit
        seen["mixed route"] += any(len({transit[net.infrastructures.index.get_loc(x)] for x in via}) == 2
                                   for via in net.dependencies["via"])
        keys = list(zip(net.dependencies["dependent"], net.dependencies["via"], net.dependencies["provider"]))
        seen["shared route"] += any(keys.count(k) > 1 and k[1] for k in keys)
        groups = controlled_sets(net)
        seen["control of an actor"] += any(len(set(g) & set(net.actors.index)) > 1 for g in groups.values())
        direct = {(r["owner"], r["owned"]): r["share"] for r in net.ownership.to_dict(orient="records")}
        seen["indirect control"] += any(direct.get((a, b), 0.0) <= 0.5  # controlled through another actor
                                        for a, g in groups.items() for b in g if b != a and b in net.actors.index)
        seen["undirected"] += not options["directed"]
        seen["length"] += options["length"] is not None
        seen["no infrastructure"] += net.n_infrastructures == 0
        # our C(a) and the package's agree (our oracle is computed independently of it)
        assert {a: set(g) for a, g in net.control_groups().items()} == groups
    assert all(seen[k] >= 3 for k in ("closed", "open", "mixed route", "shared route", "control of an actor",
                                      "undirected", "length", "no infrastructure")), dict(seen)
    assert seen["indirect control"] >= 1, dict(seen)


@pytest.mark.parametrize("paths", ["routed", "hub"])
@pytest.mark.parametrize("seed", CASES)
def test_power_and_betweenness_equal_brute_force(seed, paths):
    net, options = random_network(seed)
    directed, length, dimensions = options["directed"], options["length"], options["dimensions"]
    graph = records_graph(net, directed=directed, length=length, dimensions=dimensions, paths=paths)
    found = shortest_paths(graph, list(net.actors.index), length)
    for normalized in (True, False):
        frame = dp.power(net, paths=paths, normalized=normalized, **options)
        expected = brute_force_power(net, found, directed=directed, normalized=normalized)
        assert_values(frame, "power", expected, f"power normalized={normalized}")
        frame = dp.betweenness(net, paths=paths, normalized=normalized, **options)
        if paths == "routed":
            expected = brute_force_routed_betweenness(net, found, directed=directed, normalized=normalized)
        else:  # NetworkX's conventions over all nodes of the hub graph
            expected = nx.betweenness_centrality(graph, normalized=normalized, weight="length" if length else None)
        assert_values(frame, "betweenness", expected, f"betweenness normalized={normalized}")


@pytest.mark.parametrize("seed", CASES)
def test_routed_betweenness_with_endpoints_equals_brute_force(seed):
    net, options = random_network(seed)
    directed, length, dimensions = options["directed"], options["length"], options["dimensions"]
    graph = records_graph(net, directed=directed, length=length, dimensions=dimensions, paths="routed")
    found = shortest_paths(graph, list(net.actors.index), length)
    for normalized in (True, False):
        frame = dp.betweenness(net, normalized=normalized, endpoints=True, **options)
        expected = brute_force_routed_endpoints(net, found, directed=directed, normalized=normalized)
        assert_values(frame, "betweenness", expected, f"betweenness endpoints normalized={normalized}")


def test_routed_endpoints_by_hand():
    # a -> b via closed X, b -> c: b lies on (a, c); a reaches b and c, b reaches c. With endpoints
    # a counts 2 pairs, b 1 inner + 2 ends, c 2 ends; X lies on (a, b) and (a, c). n_A(n_A - 1) = 6.
    net = dp.Network.from_records([{"id": i} for i in "abc"],
                                  [{"dependent": "a", "provider": "b", "via": ["X"]},
                                   {"dependent": "b", "provider": "c"}], infrastructures=[{"id": "X"}])
    frame = dp.betweenness(net, endpoints=True, normalized=False)
    assert frame["betweenness"].to_dict() == {"a": 2.0, "b": 3.0, "c": 2.0, "X": 2.0}
    assert dp.betweenness(net, endpoints=True)["betweenness"].tolist() == pytest.approx([2 / 6, 3 / 6, 2 / 6, 2 / 6])


def test_routed_oracle_by_hand():
    # ann -> cloud -> shop (declared twice, in two dimensions: one route, one chain c1) and bob -> cloud ->
    # shop (chain c2) run through the closed cloud, owned by own; ann -> road -> bob and bob -> road -> shop
    # join at the open road. Routed graph: ann -> c1 -> shop, bob -> c2 -> shop, ann -> road, road -> bob,
    # bob -> road, road -> shop. Shortest paths between actors (hop counts): ann-shop: ann-c1-shop and
    # ann-road-shop (2 hops each: the road joins ann's route to bob and bob's route to shop); ann-bob:
    # ann-road-bob; bob-shop: bob-c2-shop and bob-road-shop. (Had the repeated route a chain of its own,
    # ann-shop would have 3 shortest paths, 2 via cloud.) Power of own (C = {own, cloud, c1, c2}): pairs
    # among ann, bob, shop: (ann, shop) 1/2 + (bob, shop) 1/2 = 1, normalized by 3*2: 1/6. Routed
    # betweenness of cloud: the same 1 over 4*3 = 12 actor pairs; of road: (ann, shop) 1/2 + (ann, bob) 1
    # + (bob, shop) 1/2 = 2, over 12. bob is on no shortest path between two other actors.
    net = dp.Network.from_records(
        [{"id": i} for i in ("ann", "bob", "shop", "own")],
        [{"dependent": "ann", "provider": "shop", "via": ["cloud"]},
         {"dependent": "ann", "provider": "shop", "via": ["cloud"], "dimension": "money"},
         {"dependent": "bob", "provider": "shop", "via": ["cloud"]},
         {"dependent": "ann", "provider": "bob", "via": ["road"]},
         {"dependent": "bob", "provider": "shop", "via": ["road"]}],
        infrastructures=[{"id": "cloud", "owner": "own"}, {"id": "road", "transit": "open"}])
    graph = records_graph(net, paths="routed")
    c1, c2 = ("route", ("ann", ("cloud",), "shop"), "cloud"), ("route", ("bob", ("cloud",), "shop"), "cloud")
    assert set(graph.edges) == {("ann", c1), (c1, "shop"), ("bob", c2), (c2, "shop"),
                                ("ann", "road"), ("road", "bob"), ("bob", "road"), ("road", "shop")}
    found = shortest_paths(graph, list(net.actors.index), None)
    power = brute_force_power(net, found, directed=True, normalized=True)
    assert power["own"] == pytest.approx(1 / 6)
    between = brute_force_routed_betweenness(net, found, directed=True, normalized=True)
    assert between["cloud"] == pytest.approx(1 / 12) and between["road"] == pytest.approx(2 / 12)
    assert between["bob"] == pytest.approx(0.0)
    assert dp.power(net).loc["own", "power"] == pytest.approx(1 / 6)
    assert dp.betweenness(net).loc[["cloud", "road"], "betweenness"].tolist() == pytest.approx([1 / 12, 2 / 12])


@pytest.mark.parametrize("directed", [True, False])
@pytest.mark.parametrize("seed", range(5))
def test_without_infrastructure_both_graphs_are_networkx(seed, directed):
    # no infrastructure: the routed and the hub graph are the same graph, every value is the same, and
    # without ownership power is node betweenness, NetworkX's
    rng = random.Random(seed)
    n = rng.randint(5, 12)
    edges = {tuple(rng.sample(range(n), 2)) for _ in range(2 * n)}
    net = dp.Network.from_records([{"id": f"a{i}"} for i in range(n)],
                                  [{"dependent": f"a{u}", "provider": f"a{v}"} for u, v in edges])
    graph = nx.DiGraph(list(edges)) if directed else nx.Graph(list(edges))
    graph.add_nodes_from(range(n))
    for normalized in (True, False):
        expected = nx.betweenness_centrality(graph, normalized=normalized)
        values = {}
        for paths in ("routed", "hub"):
            between = dp.betweenness(net, paths=paths, directed=directed, normalized=normalized)["betweenness"]
            power = dp.power(net, paths=paths, directed=directed, normalized=normalized)["power"]
            assert between.to_numpy() == pytest.approx([expected[i] for i in range(n)], rel=1e-9, abs=1e-12)
            assert power.to_numpy() == pytest.approx(between.to_numpy(), rel=1e-12, abs=1e-15)
            values[paths] = (between.to_numpy(), power.to_numpy())
        assert all(np.array_equal(a, b) for a, b in zip(values["routed"], values["hub"]))


@pytest.mark.parametrize("seed", [s for s in CASES if random_network(s)[0].n_infrastructures == 0])
def test_without_infrastructure_with_ownership_the_modes_agree(seed):
    net, options = random_network(seed)
    for normalized in (True, False):
        routed = dp.power(net, paths="routed", normalized=normalized, **options)["power"].to_numpy()
        hub = dp.power(net, paths="hub", normalized=normalized, **options)["power"].to_numpy()
        assert np.array_equal(routed, hub)


def declared_closure(net: dp.Network) -> set[tuple[str, str]]:
    """(s, t) such that a chain of declared dependencies s -> ... -> t exists (s != t)."""
    provides = defaultdict(set)
    for d, p in zip(net.dependencies["dependent"], net.dependencies["provider"]):
        provides[d].add(p)
    closure = set()
    for s in net.actors.index:
        seen, stack = set(), [s]
        while stack:
            for p in provides[stack.pop()]:
                if p not in seen:
                    seen.add(p)
                    stack.append(p)
        closure |= {(s, t) for t in seen if t != s}
    return closure


def test_explain_on_the_ai_stack_lists_only_declared_chains():
    net = dp.examples.load("ai-stack")
    closure = declared_closure(net)
    routed = dp.explain(net, "microsoft", paths="routed", top=1000).top_pairs
    routed = routed[routed["dependent"] != OTHER_PAIRS]
    listed = set(zip(routed["dependent"], routed["provider"]))
    assert listed and listed <= closure
    # on the hub graph Azure joins every user of it to every provider behind it: mistral reaches openai
    # through Azure though mistral depends on openai neither directly nor through others
    assert ("mistral", "openai") not in closure
    hub = dp.explain(net, "microsoft", paths="hub", top=1000).top_pairs
    hub = hub.set_index(["dependent", "provider"])
    assert hub.loc[("mistral", "openai"), "share"] > 0
    assert ("mistral", "openai") not in listed


def test_zero_reason_bypass_counts_an_infrastructure_once_per_path():
    # Routes a -> X -> b and b -> X -> c through the closed X (length 1 each hop), and a -> o -> c (length 5
    # each). Routed graph: a -> X@1 -> b -> X@2 -> c (length 4) and a -> o -> c (length 10). C(o) = {o};
    # a depends on it and c lies beyond it, and the only (a, c) path, of length 4, goes around it: bypassed.
    # That path passes two route nodes of X; X is one node of the model, which carries the pair once (node
    # betweenness on the routed graph counts a path through several of an infrastructure's nodes once):
    # bypass pairs X 1, b 1, and the path runs through X and b.
    net = dp.Network.from_records(
        [{"id": i} for i in ("a", "b", "c", "o")],
        [{"dependent": "a", "provider": "b", "via": ["X"], "w": 1},
         {"dependent": "b", "provider": "c", "via": ["X"], "w": 1},
         {"dependent": "a", "provider": "o", "w": 5}, {"dependent": "o", "provider": "c", "w": 5}],
        infrastructures=[{"id": "X"}])
    reason = dp.explain(net, "o", length="w", paths="routed").zero_reason
    assert reason.kind == "bypassed"
    assert reason.bypass["pairs"].to_dict() == {"X": 1.0, "b": 1.0}
    (row,) = reason.examples.itertuples()
    assert (row.dependent, row.provider, row.length, row.length_through_actor) == ("a", "c", 4.0, 10.0)
    assert sorted(row.through) == ["X", "b"]  # the inner nodes, each named once
    assert dp.betweenness(net, length="w", normalized=False).loc["X", "betweenness"] == 3.0  # (a,b), (b,c), (a,c)
