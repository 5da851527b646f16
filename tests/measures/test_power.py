"""Actor power against brute force: every shortest path enumerated, group membership checked path by path."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from _records_graph import records_graph, stands_for
from hypothesis import given, settings
from hypothesis import strategies as st

import dependencia as dp
from dependencia.measures import betweenness as betweenness_module


def brute_force_power(net: dp.Network, *, directed: bool, length: str | None, normalized: bool,
                      paths: str = "hub") -> dict:
    """docs/model.md#actor-power read literally: enumerate all shortest paths between ordered actor pairs.

    On the routed graph a route node counts as its infrastructure (C(a) holds the route nodes of what a controls).
    """
    graph = records_graph(net, directed=directed, length=length, paths=paths)
    actors = list(net.actors.index)
    result = {}
    for actor in actors:
        group = net.controls(actor)
        outside = [a for a in actors if a not in group]
        total = 0.0
        for s, t in itertools.permutations(outside, 2):
            if not nx.has_path(graph, s, t):
                continue
            found = list(nx.all_shortest_paths(graph, s, t, weight="length" if length else None))
            through = sum(1 for p in found if any(stands_for(v) in group for v in p[1:-1]))
            total += through / len(found)
        pairs = len(outside) * (len(outside) - 1)
        if normalized:
            result[actor] = total / pairs if pairs else 0.0
        else:
            result[actor] = total if directed else total / 2
    return result


@st.composite
def networks(draw):
    n = draw(st.integers(2, 9))
    actors = [f"a{i}" for i in range(n)]
    k = draw(st.integers(0, 3))
    infras = [{"id": f"x{i}", "owner": draw(st.sampled_from(actors))} for i in range(k)]
    deps = []
    for _ in range(draw(st.integers(0, 16))):
        u, v = draw(st.sampled_from(actors)), draw(st.sampled_from(actors))
        if u == v:
            continue
        route = draw(st.lists(st.sampled_from([i["id"] for i in infras]), max_size=2, unique=True)) if infras else []
        deps.append({"dependent": u, "provider": v, "via": route, "w": draw(st.integers(1, 3))})
    ownership = []
    held = {a: 0.0 for a in actors}
    for _ in range(draw(st.integers(0, 4))):
        i, j = sorted(draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True)))
        share = draw(st.sampled_from([0.3, 0.51, 0.6, 1.0]))
        if held[actors[j]] + share <= 1.0:  # holdings from lower to higher index: no mutual control
            held[actors[j]] += share
            ownership.append({"owner": actors[i], "owned": actors[j], "share": share})
    return dp.Network.from_records(
        [{"id": a} for a in actors], deps, infrastructures=infras, ownership=ownership
    )


def assert_close(frame: pd.DataFrame, expected: dict) -> None:
    for actor, value in expected.items():
        assert frame.loc[actor, "power"] == pytest.approx(value, rel=1e-9, abs=1e-12), actor


@pytest.mark.parametrize("paths", ["routed", "hub"])
@settings(max_examples=60)
@given(net=networks(), directed=st.booleans(), weighted=st.booleans(), normalized=st.booleans())
def test_power_equals_brute_force(paths, net, directed, weighted, normalized):
    length = "w" if weighted and "w" in net.dependencies.columns else None  # no dependencies: no column
    frame = dp.power(net, directed=directed, length=length, normalized=normalized, paths=paths)
    assert_close(frame, brute_force_power(net, directed=directed, length=length, normalized=normalized, paths=paths))


@settings(max_examples=10)
@given(net=networks())
def test_power_on_workers_is_the_same_bytes(net):
    betweenness_module.PARALLEL_MIN_COST, saved = 0, betweenness_module.PARALLEL_MIN_COST
    try:
        one = dp.power(net, workers=1)["power"].to_numpy()
        two = dp.power(net, workers=2)["power"].to_numpy()
    finally:
        betweenness_module.PARALLEL_MIN_COST = saved
    assert one.tobytes() == two.tobytes()


@pytest.mark.parametrize("directed", [True, False])
def test_without_infrastructure_and_ownership_power_is_betweenness(directed):
    graph = nx.gnm_random_graph(30, 80, seed=3, directed=True)
    net = dp.from_networkx(graph)
    frame = dp.power(net, directed=directed)
    assert np.allclose(frame["power"], frame["betweenness"], rtol=1e-12, atol=1e-15)
    expected = nx.betweenness_centrality(graph if directed else graph.to_undirected())
    assert np.allclose(frame["power"], [expected[int(a)] for a in frame.index], rtol=1e-9)


def test_hand_worked_platform_owner():
    # ann and bob reach shop only via platform, owned by owner. Outside C(owner) = {owner, platform}
    # are ann, bob, shop: 3 * 2 = 6 ordered pairs, of which (ann, shop) and (bob, shop) run through
    # the platform: raw 2, normalized 2/6.
    net = dp.Network.from_records(
        [{"id": i} for i in ("ann", "bob", "shop", "owner")],
        [{"dependent": "ann", "provider": "shop", "via": ["platform"]},
         {"dependent": "bob", "provider": "shop", "via": ["platform"]}],
        infrastructures=[{"id": "platform", "owner": "owner"}],
    )
    frame = dp.power(net)
    assert frame.loc["owner", "power"] == pytest.approx(2 / 6)
    assert frame.loc["owner", "power_share"] == pytest.approx(1.0)
    assert frame.loc["owner", "controls"] == 1
    assert frame.loc["owner", "betweenness"] == 0.0  # its own node is on no path


def test_control_chain_shares_and_authority():
    # msft controls github (1.0); github sits between users and code. msft's group {msft, github}
    # carries the pairs (dev, code) and (user, code); github alone carries the same pairs.
    # Top-level actors: msft, dev, user, code, board; github's share is included in msft's.
    net = dp.Network.from_records(
        [{"id": i} for i in ("msft", "github", "dev", "user", "code", "board")],
        [{"dependent": "dev", "provider": "github"}, {"dependent": "user", "provider": "github"},
         {"dependent": "github", "provider": "code"}],
        ownership=[{"owner": "msft", "owned": "github", "share": 1.0}],
        authority=[{"holder": "board", "subject": "msft"}],
    )
    frame = dp.power(net, normalized=False)
    assert frame.loc["msft", "power"] == 2.0 and frame.loc["github", "power"] == 2.0
    assert frame.loc["msft", "power_share"] == 1.0
    assert frame.loc["github", "controlled_by"] == "msft" and frame.loc["msft", "controlled_by"] is None
    assert frame.loc["board", "formal_authority_over"] == ["msft"]
    assert frame.loc["board", "power"] == 0.0  # authority confers no power


def test_approximate_power_is_within_epsilon_and_seeded():
    # 400 actors, three owners with groups: sampling sources (Hoeffding) must stay within epsilon
    graph = nx.gnm_random_graph(400, 1600, seed=11, directed=True)
    net = dp.from_networkx(graph)
    ownership = pd.DataFrame({"owner": ["0", "0", "5"], "owned": ["1", "2", "6"], "share": [1.0, 0.6, 0.7]})
    net = net.replace(ownership=ownership)
    exact = dp.power(net)
    runs = [dp.power(net, epsilon=0.15, delta=0.1, seed=3, method="sources") for _ in range(2)]  # k = 201 of 400
    assert runs[0]["power"].to_numpy().tobytes() == runs[1]["power"].to_numpy().tobytes()
    assert runs[0].attrs["exact"] is False and runs[0].attrs["sources"] < 400
    assert (runs[0]["power"] - exact["power"]).abs().max() <= 0.15
    # a sample as large as the graph is the exact computation
    assert dp.power(net, epsilon=0.01, method="sources").attrs["sources"] == 400


def test_power_sample_size_formula():
    # R = 100/99, k = ceil(R^2 ln(2*100/0.1) / (2 * 0.05^2))
    import math

    from dependencia.measures.power_sums import power_sample_size

    expected = math.ceil((100 / 99) ** 2 * math.log(2000) / (2 * 0.0025))
    assert power_sample_size(100, 1, epsilon=0.05, delta=0.1) == expected
