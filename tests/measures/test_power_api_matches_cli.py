"""``dp.power`` gives the table ``dependencia power --by actor`` shows: the same columns, the same numbers.

And a network's own tables round trip through ``Network.from_records``: NaN
in an optional field (an unspecified budget) means "missing".
"""

from __future__ import annotations

import json
import math

import networkx as nx
import pandas as pd
import pytest

import dependencia as dp
from dependencia import examples
from dependencia.cli import main
from dependencia.measures.power import actor_power

NETWORKS = ["ai-stack", "florentine"]


def cli_rows(capsys, *args: str) -> list[dict]:
    assert main(["power", *args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)["rows"]


def same(api_value, cli_value) -> bool:
    if cli_value is None:
        return api_value is None or (isinstance(api_value, float) and math.isnan(api_value))
    if isinstance(cli_value, list):
        return list(api_value) == cli_value
    if isinstance(cli_value, float):
        return float(api_value) == cli_value
    return api_value == cli_value


@pytest.mark.parametrize("name", NETWORKS)
@pytest.mark.parametrize("burt", [False, True])
def test_api_and_cli_give_the_same_columns_and_numbers(capsys, name, burt):
    net = dp.read(examples.path(name))
    table = dp.power(net, burt=burt)
    rows = cli_rows(capsys, name, *(["--burt"] if burt else []))
    assert list(rows[0]) == ["id", "rank", *table.columns]  # the CLI adds only its ranking
    for column in ("kind", "dependents", "dependencies", "asymmetry"):
        assert column in table.columns
    assert sorted(r["id"] for r in rows) == sorted(table.index)
    for row in rows:
        for column in table.columns:
            assert same(table.at[row["id"], column], row[column]), (row["id"], column)


@pytest.mark.parametrize("name", NETWORKS)
def test_the_added_columns_against_independent_oracles(name):
    net = dp.read(examples.path(name))
    table = dp.power(net)
    assert table["kind"].tolist() == net.actors["kind"].reindex(table.index).tolist()
    # transitive dependents and dependencies, counted with NetworkX on the routed graph: every route
    # through (closed) infrastructures is a chain of its own, so an actor reaches another only along
    # declared chains of dependencies (docs/model.md#graphs; both examples' infrastructures are closed)
    assert (net.infrastructures["transit"] == "closed").all()
    graph = nx.DiGraph()
    graph.add_nodes_from(list(net.actors.index) + list(net.infrastructures.index))
    for dep in net.dependencies.itertuples():
        key = (dep.dependent, tuple(dep.via), dep.provider)
        path = [dep.dependent, *[(key, x) for x in dep.via], dep.provider]
        graph.add_edges_from(zip(path, path[1:]))
    actors = set(net.actors.index)
    for actor in net.actors.index:
        down = len(nx.descendants(graph, actor) & actors)
        up = len(nx.ancestors(graph, actor) & actors)
        assert table.at[actor, "dependencies"] == down and table.at[actor, "dependents"] == up
        expected = (up - down) / (up + down) if up + down else math.nan
        assert table.at[actor, "asymmetry"] == pytest.approx(expected, nan_ok=True)
    # the power columns are those of the power measure alone
    bare = actor_power(net)
    assert list(table.columns) == ["kind", *bare.columns, "direct_dependents", "direct_dependencies", "dependents",
                                   "dependencies", "asymmetry"]
    pd.testing.assert_frame_equal(table[list(bare.columns)], bare)


@pytest.mark.parametrize("name", examples.names())
def test_from_records_round_trips_a_networks_own_tables(name):
    net = dp.read(examples.path(name))
    assert net.actors["budget"].isna().any() or net.actors["unit_cost"].isna().any()  # the case in point
    again = dp.Network.from_records(
        net.actors.reset_index().to_dict("records"),
        net.dependencies.to_dict("records"),
        dimensions=net.dimensions.reset_index().to_dict("records"),
        needs=net.needs.to_dict("records"),
        infrastructures=net.infrastructures.reset_index().to_dict("records"),
        ownership=net.ownership.to_dict("records"),
        authority=net.authority.to_dict("records"),
    )
    for table in ("actors", "dimensions", "dependencies", "needs", "infrastructures", "ownership", "authority"):
        pd.testing.assert_frame_equal(getattr(again, table), getattr(net, table))


def test_nan_means_missing_only_where_a_field_is_optional():
    net = dp.Network.from_records([{"id": "a", "budget": float("nan"), "size": float("nan")}, {"id": "b", "size": 2}],
                                  [{"dependent": "a", "provider": "b"}])
    assert math.isnan(net.actors.at["a", "budget"]) and net.actors.at["b", "size"] == 2
    assert net.actors.at["a", "size"] is None or math.isnan(net.actors.at["a", "size"])
    with pytest.raises(dp.InputError, match=r"dependencies\[0\]\.strength: strength must be a number, got NaN"):
        dp.Network.from_records([{"id": "a"}, {"id": "b"}],
                                [{"dependent": "a", "provider": "b", "strength": float("nan")}])
    with pytest.raises(dp.InputError, match=r"actors\[0\]\.id"):
        dp.Network.from_records([{"id": float("nan")}])


def test_api_and_cli_switch_to_the_same_approximation_above_the_cost_limit(capsys, monkeypatch, tmp_path):
    # the limit and the default epsilon made small, so that a 400-actor graph is "large" and its sample
    # is smaller than its actors; both the API and the CLI read them from the measure, not from the CLI
    from dependencia.measures import power_sums as power_module  # where power reads them (issue 19: split out)

    monkeypatch.setattr(power_module, "EXACT_COST_LIMIT", 0)
    monkeypatch.setattr(power_module, "DEFAULT_EPSILON", 0.3)
    graph = nx.gnm_random_graph(400, 1600, seed=5, directed=True)
    net = dp.Network.from_records([{"id": f"a{v}"} for v in graph.nodes],
                                  [{"dependent": f"a{u}", "provider": f"a{v}"} for u, v in graph.edges])
    path = tmp_path / "net.csv"
    net.dependencies[["dependent", "provider"]].set_axis(["source", "target"], axis=1).to_csv(path, index=False)
    net = dp.read(path)  # the network the CLI reads (actors in the file's order)
    table = dp.power(net)
    assert table.attrs["exact"] is False and table.attrs["epsilon"] == 0.3 and table.attrs["method"] == "kadabra"
    assert main(["power", str(path), "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["exact"] is False and shown["epsilon"] == 0.3
    for row in shown["rows"]:
        assert row["power"] == float(table.at[row["id"], "power"])
    exact = dp.power(net, exact=True)
    assert exact.attrs["exact"] is True
    assert main(["power", str(path), "--exact", "--format", "json"]) == 0
    assert all(r["power"] == float(exact.at[r["id"], "power"]) for r in json.loads(capsys.readouterr().out)["rows"])
    with pytest.raises(dp.UsageError, match="either exact values or an epsilon"):
        dp.power(net, exact=True, epsilon=0.1)
