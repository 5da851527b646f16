"""What-if analysis against hand-worked networks and an independent recomputation."""

from __future__ import annotations

import json

import networkx as nx
import numpy as np
import pytest

import dependencia as dp
from dependencia.cli import main
from dependencia.errors import UsageError


def two_routes() -> dp.Network:
    # a and b reach shop through the platform (owned by p) or, for b, also directly.
    return dp.Network.from_records(
        [{"id": i} for i in ("a", "b", "shop", "p")],
        [{"dependent": "a", "provider": "shop", "via": ["platform"]},
         {"dependent": "b", "provider": "shop", "via": ["platform"]},
         {"dependent": "b", "provider": "shop"}],
        infrastructures=[{"id": "platform", "owner": "p"}],
    )


def test_removing_the_platform_cuts_a_and_strips_p_of_its_power():
    result = dp.whatif(two_routes(), remove=["platform"])
    # before: the platform carries (a, shop) fully; (b, shop) goes direct (1 hop) rather than 2 hops.
    # p's pairs outside {p, platform}: a, b, shop -> 6 ordered pairs; raw 1 -> 1/6.
    assert result.actors.loc["p", "power_before"] == pytest.approx(1 / 6)
    assert result.actors.loc["p", "power_after"] == 0.0
    assert result.actors.loc["p", "change"] == pytest.approx(-1 / 6)
    # a no longer reaches shop; b still does (directly)
    assert result.lost.to_dict(orient="records") == [{"dependent": "a", "provider": "shop", "dimension": "default"}]
    # routed graph: mean path length over ordered actor pairs with a path: before a->shop 2 (through
    # its route), b->shop 1: 3/2; after only b->shop: 1
    assert result.mean_path_length_before == pytest.approx(3 / 2)
    assert result.mean_path_length_after == pytest.approx(1.0)
    # hub graph: over node pairs with a path: a->platform 1, platform->shop 1, a->shop 2,
    # b->platform 1, b->shop 1: 6/5; after only b->shop: 1
    hub = dp.whatif(two_routes(), remove=["platform"], paths="hub")
    assert hub.mean_path_length_before == pytest.approx(6 / 5)
    assert hub.mean_path_length_after == pytest.approx(1.0)


def test_removing_an_actor_takes_its_dependencies_and_matches_a_recomputation():
    graph = nx.gnm_random_graph(25, 70, seed=8, directed=True)
    net = dp.from_networkx(graph)
    result = dp.whatif(net, remove=["3"])
    reduced = graph.copy()
    reduced.remove_node(3)
    expected = nx.betweenness_centrality(reduced)  # no infrastructure, no ownership: power = betweenness
    for node, value in expected.items():
        assert result.actors.loc[str(node), "power_after"] == pytest.approx(value, rel=1e-9, abs=1e-12)
    assert pd_isna(result.actors.loc["3", "power_after"])
    # a direct dependency of two survivors can never lose its path: lost is empty here by construction
    assert result.lost.empty


def routed_records(seed: int):
    """Random actors, infrastructures and routes; some dependencies also have a direct alternative."""
    rng = np.random.default_rng(seed)
    n, k = 10, 3
    actors = [{"id": f"a{i}"} for i in range(n)]
    infras = [{"id": f"x{j}", "owner": f"a{int(rng.integers(n))}"} for j in range(k)]
    deps = []
    for _ in range(18):
        u, v = (int(x) for x in rng.choice(n, size=2, replace=False))
        hops = list(rng.choice(k, size=int(rng.integers(0, 3)), replace=False))
        deps.append({"dependent": f"a{u}", "provider": f"a{v}", "via": [f"x{j}" for j in hops]})
    return actors, deps, infras


def reachable_pairs(deps, removed: str | None, paths: str = "hub") -> set[tuple[str, str]]:
    """(dependent, provider) pairs with a path, from the records, NetworkX closure.

    A route is a chain of hops: through one node per infrastructure on the hub graph, through
    nodes of its own route on the routed graph (every infrastructure here is closed).
    """
    graph = nx.DiGraph()
    for d in deps:
        if removed in d["via"]:
            continue  # its route is gone: the dependency becomes a need and carries no hop
        key = (d["dependent"], tuple(d["via"]), d["provider"])
        inner = [x if paths == "hub" else (key, x) for x in d["via"]]
        chain = [d["dependent"], *inner, d["provider"]]
        graph.add_edges_from(zip(chain, chain[1:]))
    return {(d["dependent"], d["provider"]) for d in deps
            if d["dependent"] in graph and d["provider"] in graph and nx.has_path(graph, d["dependent"], d["provider"])}


@pytest.mark.parametrize("paths", ["routed", "hub"])
@pytest.mark.parametrize("seed", range(6))
def test_removing_an_infrastructure_loses_exactly_the_dependencies_left_without_a_path(seed, paths):
    actors, deps, infras = routed_records(seed)
    net = dp.Network.from_records(actors, deps, infrastructures=infras)
    result = dp.whatif(net, remove=["x0"], paths=paths)
    truth = reachable_pairs(deps, None, paths) - reachable_pairs(deps, "x0", paths)
    assert {(r.dependent, r.provider) for r in result.lost.itertuples()} == truth


def test_the_routed_cases_lose_some_and_keep_some_routed_dependencies():
    # the premise of the test above: over its seeds, some dependencies through x0 are lost and some
    # keep a path another way, so that neither "lose nothing" nor "lose all routed" could pass it
    lost = kept = 0
    for seed in range(6):
        _, deps, _ = routed_records(seed)
        gone = reachable_pairs(deps, None) - reachable_pairs(deps, "x0")
        through = {(d["dependent"], d["provider"]) for d in deps if "x0" in d["via"]}
        lost += len(gone)
        kept += len(through - gone)
    assert lost > 0 and kept > 0


def pd_isna(value) -> bool:
    return value != value


def test_adding_and_removing_dependencies():
    net = two_routes()
    # shop -> a puts shop on the new path b -> shop -> a: 1 of the 6 pairs outside {shop}
    added = dp.whatif(net, add_dependencies=[{"dependent": "shop", "provider": "a"}])
    assert added.actors.loc["shop", "power_before"] == 0.0
    assert added.actors.loc["shop", "power_after"] == pytest.approx(1 / 6)
    # removing (b, shop, default) removes both of b's records, the routed one too: b loses shop
    removed = dp.whatif(net, remove_dependencies=[("b", "shop", "default")])
    assert removed.lost.to_dict(orient="records") == [{"dependent": "b", "provider": "shop", "dimension": "default"}]
    with pytest.raises(UsageError, match="no dependency"):
        dp.whatif(net, remove_dependencies=[("a", "b", "default")])
    with pytest.raises(UsageError, match="no such actor"):
        dp.whatif(net, add_dependencies=[{"dependent": "zz", "provider": "a"}])
    with pytest.raises(UsageError, match="no actor or infrastructure"):
        dp.whatif(net, remove=["nope"])


def test_cli_whatif_json(capsys):
    assert main(["whatif", "ai-stack", "--remove", "azure", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["measure"] == "whatif" and doc["removed"] == ["azure"]
    assert doc["lost_dependencies"] == len(doc["lost"]) >= 1
    rows = {r["id"]: r for r in doc["rows"]}
    assert rows["microsoft"]["change"] < 0  # Azure was Microsoft's


@pytest.mark.parametrize("args", [["--remove-dependency", "a:b"], ["--add-dependency", "a:b:c:d:e"], []])
def test_cli_whatif_bad_specs(capsys, args):
    assert main(["whatif", "ai-stack", *args]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_bad_added_dependency_on_an_edge_list_names_the_argument(tmp_path, capsys):
    edges = tmp_path / "ab.csv"
    edges.write_text("source,target\na,b\n")
    assert main(["whatif", str(edges), "--add-dependency", "b:b:default"]) == 2
    err = capsys.readouterr().err
    assert "added dependency, #1" in err and "self-dependency" in err and "Traceback" not in err
