"""Strict reading (issue 21): misspelled columns warn (errors with strict=True), ids an actors or
infrastructures file does not list are errors, semicolon- and tab-separated files, and the
infrastructures file of an edge list (owners count as in a model file)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from _io_helpers import raises_input_error, write

import dependencia as dp
from dependencia.errors import InputError, InputWarning, UsageError
from dependencia.io import read
from dependencia.io.csvbundle import read_csv_bundle
from dependencia.io.edgelist import read_edge_list


def read_warned(*args, **kwargs):
    """``read`` that returns the network and the messages of its InputWarnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        net = read(*args, **kwargs)
    return net, [str(w.message) for w in caught if issubclass(w.category, InputWarning)]


# ---------------------------------------------------------------- misspelled columns
@pytest.mark.parametrize("column, meant", [("strenght", "strength"), ("dimenson", "dimension"),
                                           ("route", "via"), ("Strength", "strength"), ("chanel", "channel")])
def test_a_misspelled_edge_list_column_warns_and_strict_refuses(tmp_path, column, meant):
    path = write(tmp_path / "edges.csv", f"source,target,{column}\na,b,2\n")
    net, messages = read_warned(path)
    assert messages == [f"{path}, line 1: unknown column {column!r} (did you mean {meant!r}?); "
                        "kept as a free attribute"]
    assert net.dependencies[column].tolist() == [2.0]  # kept, as before: the strength is the default 1
    assert net.dependencies["strength"].tolist() == [1.0]
    raises_input_error(lambda: read(path, strict=True), path, "line 1", f"unknown column {column!r}",
                       f"did you mean {meant!r}", "strict")


def test_free_columns_far_from_known_names_are_kept_silently_also_when_strict(tmp_path):
    # the contract: any other numeric column may serve as path length
    path = write(tmp_path / "edges.csv", "source,target,distance,km,note\na,b,2,3,x\n")
    net, messages = read_warned(path, strict=True)
    assert messages == []
    assert net.dependencies[["distance", "km", "note"]].values.tolist() == [[2.0, 3.0, "x"]]


def test_the_warning_class_is_a_user_warning_with_the_place():
    warning = InputWarning("unknown column 'x'", source="e.csv", where="line 1")
    assert isinstance(warning, UserWarning) and dp.InputWarning is InputWarning
    assert (warning.source, warning.where, str(warning)) == ("e.csv", "line 1", "e.csv, line 1: unknown column 'x'")


def test_the_edge_list_reader_itself_warns_too(tmp_path):
    path = write(tmp_path / "edges.csv", "source,target,strenght\na,b,2\n")
    with pytest.warns(InputWarning, match="did you mean 'strength'"):
        read_edge_list(path)
    with pytest.raises(InputError, match="strenght"):
        read_edge_list(path, strict=True)


def test_misspelled_columns_of_the_actors_and_infrastructures_files(tmp_path):
    edges = write(tmp_path / "edges.csv", "source,target,via\na,b,x\n")
    actors = write(tmp_path / "actors.csv", "id,kinds,budget\na,firm,1\nb,firm,2\n")
    infras = write(tmp_path / "infras.csv", "id,owner,upkep\nx,b,1\n")
    net, messages = read_warned(edges, actors=actors, infrastructures=infras)
    assert messages == [
        f"{actors}, line 1: unknown column 'kinds' (did you mean 'kind'?); kept as a free attribute",
        f"{infras}, line 1: unknown column 'upkep' (did you mean 'upkeep'?); kept as a free attribute",
    ]
    assert net.actors["kind"].tolist() == ["actor", "actor"]
    raises_input_error(lambda: read(edges, actors=actors, infrastructures=infras, strict=True), actors, "line 1",
                       "'kinds'", "'kind'")


def test_misspelled_columns_and_files_of_a_csv_bundle(tmp_path):
    folder = tmp_path / "net"
    write(folder / "actors.csv", "id,unit cost\na,1\nb,2\n")
    write(folder / "dependencies.csv", "dependent,provider,stregth\na,b,3\n")
    write(folder / "ownership.csv", "owner,owned,share\n")
    write(folder / "infrastructure.csv", "id,owner\nx,a\n")  # never read: the file is infrastructures.csv
    write(folder / "notes.csv", "anything\n1\n")  # another file: not a table's name, not reported
    net, messages = read_warned(folder)
    assert messages == [
        f"{folder / 'actors.csv'}, line 1: unknown column 'unit cost' (did you mean 'unit_cost'?); "
        "kept as a free attribute",
        f"{folder / 'dependencies.csv'}, line 1: unknown column 'stregth' (did you mean 'strength'?); "
        "kept as a free attribute",
        f"{folder / 'infrastructure.csv'}: a CSV bundle has no file 'infrastructure.csv' "
        "(did you mean 'infrastructures.csv'?); not read",
    ]
    assert net.n_infrastructures == 0
    with pytest.raises(InputError, match=r"actors\.csv, line 1: unknown column 'unit cost'.*strict"):
        read_csv_bundle(folder, strict=True)


def test_a_misspelled_field_of_a_model_file(tmp_path):
    path = write(tmp_path / "net.yaml", "dependencia: 1\nactors: [{id: a}, {id: b, budjet: 3}]\n"
                                        "dependencies: [{dependent: a, provider: b, distance: 2}]\n")
    _, messages = read_warned(path)
    assert messages == [f"{path}, actors[1]: unknown field 'budjet' (did you mean 'budget'?); "
                        "kept as a free attribute"]
    raises_input_error(lambda: read(path, strict=True), path, "actors[1]", "'budjet'", "'budget'")


def test_a_missing_required_column_names_the_likely_typo(tmp_path):
    path = write(tmp_path / "edges.csv", "sorce,target\na,b\n")
    raises_input_error(lambda: read(path), path, "line 1", "no 'source' column", "is 'sorce' meant to be 'source'?")
    folder = tmp_path / "net"  # the edge list's names in a bundle
    write(folder / "actors.csv", "id\na\nb\n")
    deps = write(folder / "dependencies.csv", "source,target\na,b\n")
    raises_input_error(lambda: read(folder), deps, "line 1", "is 'source' meant to be 'dependent'?",
                       "is 'target' meant to be 'provider'?")


# ---------------------------------------------------------------- ids the side files do not list
def test_a_target_the_actors_file_does_not_list_is_an_error_naming_its_line(tmp_path):
    edges = write(tmp_path / "edges.csv", "source,target\nopenai,nvidia\nopenai,microsoft\nopenai,nvidai\n")
    actors = write(tmp_path / "actors.csv", "id\nopenai\nnvidia\nmicrosoft\n")
    raises_input_error(lambda: read(edges, actors=actors), edges, "line 4, column target",
                       "target 'nvidai' is not in actors.csv (did you mean 'nvidia'?)")


def test_sources_the_actors_file_does_not_list_are_added(tmp_path):
    edges = write(tmp_path / "edges.csv", "source,target\nann,shop\n")
    actors = write(tmp_path / "actors.csv", "id,kind\nshop,firm\n")
    assert list(read(edges, actors=actors).actors.index) == ["shop", "ann"]


def test_an_infrastructure_named_as_target_is_explained(tmp_path):
    edges = write(tmp_path / "edges.csv", "source,target\na,grid\n")
    actors = write(tmp_path / "actors.csv", "id\na\nu\n")
    infras = write(tmp_path / "infras.csv", "id,owner\ngrid,u\n")
    raises_input_error(lambda: read(edges, actors=actors, infrastructures=infras), edges, "line 2, column target",
                       "'grid' is an infrastructure", "via")


def test_a_via_id_the_infrastructures_file_does_not_list_is_an_error_naming_its_line(tmp_path):
    edges = write(tmp_path / "edges.csv", "source,target,via\na,b,grid\nb,c,\nc,a,road;gird\n")
    infras = write(tmp_path / "infras.csv", "id,owner\ngrid,a\nroad,b\n")
    raises_input_error(lambda: read(edges, infrastructures=infras), edges, "line 4, column via",
                       "via 'gird' is not in infras.csv (did you mean 'grid'?)")


# ---------------------------------------------------------------- the infrastructures file
def hub(tmp_path):
    """a and b reach the provider p through the grid, which u owns (u is in no edge)."""
    edges = write(tmp_path / "edges.csv", "source,target,via\na,p,grid\nb,p,grid\n")
    actors = write(tmp_path / "actors.csv", "id,kind\na,person\nb,person\np,firm\nu,firm\n")
    infras = write(tmp_path / "infras.csv", "id,owner,dimensions,build_cost\ngrid,u,default,5\n")
    return edges, actors, infras


def test_an_owner_gets_the_power_of_its_infrastructure(tmp_path):
    edges, actors, infras = hub(tmp_path)
    net = read(edges, actors=actors, infrastructures=infras)
    assert net.infrastructures.loc["grid", "owner"] == "u" and net.infrastructures.loc["grid", "build_cost"] == 5.0
    assert net.infrastructures.loc["grid", "dimensions"] == ("default",)
    raw = dp.power(net, normalized=False)["power"]
    # u controls {u, grid}; of the 3 * 2 ordered pairs among a, b, p the paths a -> grid -> p and
    # b -> grid -> p pass the grid: raw power 2, normalized by (4 - 1)(4 - 2) = 6 pairs outside u's group
    assert raw.to_dict() == {"a": 0.0, "b": 0.0, "p": 0.0, "u": 2.0}
    assert dp.power(net)["power"]["u"] == pytest.approx(2 / 6)
    # without the infrastructures file the grid has no owner, and u's power is 0
    assert dp.power(read(edges, actors=actors), normalized=False)["power"]["u"] == 0.0


def test_edge_list_with_side_files_equals_the_same_network_from_records_and_a_model_file(tmp_path):
    edges = write(tmp_path / "edges.csv", "source,target,dimension,strength,via\n"
                                          "households,shop,material,3,road\nshop,farm,material,1,road\n"
                                          "households,utility,energy,2,grid\nshop,utility,energy,1,grid\n"
                                          "farm,bank,money,2,\nhouseholds,bank,money,1,\n")
    actors = write(tmp_path / "actors.csv", "id,kind\nhouseholds,household\nshop,firm\nfarm,firm\n"
                                            "utility,firm\nbank,firm\ntown,state\n")
    infras = write(tmp_path / "infras.csv", "id,owner,dimensions,transit,build_cost,upkeep\n"
                                            "grid,utility,energy,open,20,1\nroad,town,material,,30,2\n")
    from_csv = read(edges, actors=actors, infrastructures=infras)
    records = dp.Network.from_records(
        [{"id": "households", "kind": "household"}, {"id": "shop", "kind": "firm"}, {"id": "farm", "kind": "firm"},
         {"id": "utility", "kind": "firm"}, {"id": "bank", "kind": "firm"}, {"id": "town", "kind": "state"}],
        [{"dependent": "households", "provider": "shop", "dimension": "material", "strength": 3, "via": ["road"]},
         {"dependent": "shop", "provider": "farm", "dimension": "material", "via": ["road"]},
         {"dependent": "households", "provider": "utility", "dimension": "energy", "strength": 2, "via": ["grid"]},
         {"dependent": "shop", "provider": "utility", "dimension": "energy", "via": ["grid"]},
         {"dependent": "farm", "provider": "bank", "dimension": "money", "strength": 2},
         {"dependent": "households", "provider": "bank", "dimension": "money"}],
        infrastructures=[{"id": "grid", "owner": "utility", "dimensions": ["energy"], "transit": "open",
                          "build_cost": 20, "upkeep": 1},
                         {"id": "road", "owner": "town", "dimensions": ["material"], "build_cost": 30, "upkeep": 2}],
    )
    model = write(tmp_path / "net.yaml", "dependencia: 1\nactors: [{id: households, kind: household}, "
                                         "{id: shop, kind: firm}, {id: farm, kind: firm}, {id: utility, kind: firm}, "
                                         "{id: bank, kind: firm}, {id: town, kind: state}]\n"
                                         "infrastructures: [{id: grid, owner: utility, dimensions: [energy]}, "
                                         "{id: road, owner: town, dimensions: [material]}]\n"
                                         "dependencies: [{dependent: households, provider: shop, dimension: material,"
                                         " strength: 3, via: [road]}, {dependent: shop, provider: farm, dimension: "
                                         "material, via: [road]}, {dependent: households, provider: utility, "
                                         "dimension: energy, strength: 2, via: [grid]}, {dependent: shop, provider: "
                                         "utility, dimension: energy, via: [grid]}, {dependent: farm, provider: bank,"
                                         " dimension: money, strength: 2}, {dependent: households, provider: bank, "
                                         "dimension: money}]\n")
    assert from_csv.equals(records)
    expected = dp.power(records)
    for other in (from_csv, read(model)):
        got = dp.power(other)
        pd.testing.assert_series_equal(got["power"], expected["power"], check_exact=True)
    # ownership counts: the town (in no edge) controls the road, which carries 4 of the 5 * 4 ordered pairs
    # outside its group: households -> shop, shop -> farm, households -> farm (road -> farm) and
    # shop -> bank (shop -> road -> farm -> bank)
    assert expected.loc["town", "power"] == pytest.approx(4 / 20) and expected.loc["town", "betweenness"] == 0


def test_an_infrastructure_without_owner_and_unused_ones(tmp_path):
    edges = write(tmp_path / "edges.csv", "source,target,via\na,b,x\n")
    infras = write(tmp_path / "infras.csv", "id,owner\nx,\ny,a\n")
    net = read(edges, infrastructures=infras)
    assert net.infrastructures["owner"].tolist() == [None, "a"]  # y is on no route: an isolated node
    assert list(net.node_ids) == ["a", "b", "x", "y"]


@pytest.mark.parametrize("text, where, words", [
    ("id,owner\nx,a\ny,ghost\n", "line 3, column owner", ("owner 'ghost' is not an actor",)),
    ("id,owner\nx,a\nx,b\n", "line 3, column id", ("duplicate id 'x'",)),
    ("id,owner\nx,a\n,b\n", "line 3, column id", ("missing",)),
    ("id,owner,transit\nx,a,shut\n", "line 2, column transit", ("open or closed", "'shut'")),
    ("id,owner,build_cost\nx,a,-1\n", "line 2, column build_cost", (">= 0",)),
    ("id,owner,dimensions\nx,a,material\n", "line 2, column via", ("does not serve dimension 'default'",)),
    ("id\nx\n", "line 1", ("no 'owner' column",)),
    ("id,owner\nx,a\nb,a\n", "line 3, column id", ("already an actor",)),
])
def test_bad_infrastructures_files_name_file_line_and_column(tmp_path, text, where, words):
    edges = write(tmp_path / "edges.csv", "source,target,via\na,b,x\n")
    infras = write(tmp_path / "infras.csv", text)
    source = edges if "via" in where else infras
    raises_input_error(lambda: read(edges, infrastructures=infras), source, where, *words)


def test_owner_not_in_the_actors_file(tmp_path):
    edges = write(tmp_path / "edges.csv", "source,target,via\na,b,x\n")
    actors = write(tmp_path / "actors.csv", "id\na\nb\nutility\n")
    infras = write(tmp_path / "infras.csv", "id,owner\nx,utilty\n")
    raises_input_error(lambda: read(edges, actors=actors, infrastructures=infras), infras, "line 2, column owner",
                       "'utilty' is not an actor: not in actors.csv (did you mean 'utility'?)")


def test_transit_is_read_without_a_warning_and_empty_means_closed(tmp_path):
    edges = write(tmp_path / "edges.csv", "source,target,via\na,b,x\nb,a,y\n")
    infras = write(tmp_path / "infras.csv", "id,owner,transit\nx,a,closed\ny,a,\nz,a,open\n")
    net, messages = read_warned(edges, infrastructures=infras)
    assert net.infrastructures["transit"].tolist() == ["closed", "closed", "open"]
    assert messages == []
    assert read(edges, infrastructures=infras, strict=True).equals(net)


def test_infrastructures_only_for_edge_lists(tmp_path):
    model = write(tmp_path / "n.yaml", "dependencia: 1\nactors: [{id: a}]\n")
    infras = write(tmp_path / "i.csv", "id,owner\nx,a\n")
    with pytest.raises(UsageError, match="--infrastructures only applies to edge lists"):
        read(model, infrastructures=infras)


# ---------------------------------------------------------------- other separators
@pytest.mark.parametrize("separator", [";", "\t"])
def test_semicolon_and_tab_separated_files_are_read(tmp_path, separator):
    def line(*cells):
        return separator.join(cells) + "\n"

    edges = write(tmp_path / "edges.csv", line("source", "target", "strength", "via", "distance")
                  + line("a", "b", "2", '"x;y"' if separator == ";" else "x;y", "1.5") + line("b", "c", "", "", "3"))
    actors = write(tmp_path / "actors.csv", line("id", "kind") + line("b", "firm") + line("c", "state"))
    net = read(edges, actors=actors)
    assert net.dependencies["strength"].tolist() == [2.0, 1.0]
    assert net.dependencies["via"].tolist() == [("x", "y"), ()]
    assert net.dependencies["distance"].tolist() == [1.5, 3.0]
    assert net.actors["kind"].tolist() == ["firm", "state", "actor"]


def test_a_semicolon_file_with_a_bad_row_names_its_line(tmp_path):
    path = write(tmp_path / "edges.csv", 'source;target\na;b\n"b;c";d;e\n')
    raises_input_error(lambda: read(path), path, "line 3", "3 fields")


@pytest.mark.parametrize("text, where, cell", [
    ("source;target;strength\na;b;1\nb;c;1,5\n", "line 3, column strength", "'1,5'"),
    ("source\ttarget\tdistance\na\tb\t,5\n", "line 2, column distance", "',5'"),
])
def test_a_decimal_comma_is_an_error_with_a_hint(tmp_path, text, where, cell):
    path = write(tmp_path / "edges.csv", text)
    error = raises_input_error(lambda: read(path), path, where, cell, "decimal comma", "decimal point")
    assert "'1.5'" in error.message or "'.5'" in error.message


def test_a_comma_file_keeps_commas_in_quoted_text(tmp_path):
    path = write(tmp_path / "edges.csv", 'source,target,note\na,b,"1,5"\n')
    assert read(path).dependencies["note"].tolist() == ["1,5"]


def test_strict_reading_keeps_line_numbers_after_blank_lines(tmp_path):
    path = write(tmp_path / "edges.csv", "source;target;strength\na;b;1\n\nb;c;-2\n")
    raises_input_error(lambda: read(path, strict=True), path, "line 4, column strength", "> 0")
    assert np.isfinite(read(write(tmp_path / "ok.csv", "source;target\na;b\n\nb;c\n")).dependencies["strength"]).all()
