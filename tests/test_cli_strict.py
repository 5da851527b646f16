"""The command line reads strictly (issue 21): warnings on stderr, --strict, --infrastructures,
and validate's account of owners and free attributes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dependencia import cli
from dependencia.cli import main


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def put(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def town(tmp_path):
    """Households reach the shop by road and the utility through the grid; the town owns the road."""
    edges = put(tmp_path / "edges.csv", "source,target,strength,via,distance\nhouseholds,shop,2,road,1\n"
                                        "shop,farm,1,road,3\nhouseholds,utility,1,grid,2\nshop,utility,1,grid,1\n")
    actors = put(tmp_path / "actors.csv", "id,kind\nhouseholds,household\nshop,firm\nfarm,firm\nutility,firm\n"
                                          "town,state\n")
    infras = put(tmp_path / "infras.csv", "id,owner,dimensions,build_cost,upkeep\ngrid,utility,,20,1\n"
                                          "road,town,,30,2\n")
    return edges, actors, infras


def test_a_misspelled_column_warns_on_stderr_and_strict_exits_2(capsys, tmp_path):
    edges = put(tmp_path / "edges.csv", "source,target,strenght\na,b,2\nb,c,3\n")
    code, out, err = run(capsys, "validate", edges)
    assert code == 0 and out.startswith(f"ok: {edges} is a valid dependencia network (1 warning above)")
    assert err == (f"warning: {edges}, line 1: unknown column 'strenght' (did you mean 'strength'?); "
                   "kept as a free attribute\n")
    assert "free attributes: dependencies=strenght" in out
    code, out, err = run(capsys, "validate", edges, "--strict")
    assert code == 2 and out == "" and "Traceback" not in err
    assert err == (f"error: {edges}, line 1: unknown column 'strenght' (did you mean 'strength'?); "
                   "strict reading refuses it\n")


def test_strict_leaves_no_output_file(capsys, tmp_path):
    edges = put(tmp_path / "edges.csv", "source,target,dimenson\na,b,x\n")
    output = tmp_path / "power.json"
    code, _, err = run(capsys, "power", edges, "--strict", "--format", "json", "-o", output)
    assert code == 2 and "unknown column 'dimenson' (did you mean 'dimension'?)" in err
    assert not output.exists() and list(tmp_path.iterdir()) == [edges]


def test_warnings_do_not_touch_the_json_on_stdout(capsys, tmp_path):
    edges = put(tmp_path / "edges.csv", "source,target,route\na,b,x\nb,c,\n")
    code, out, err = run(capsys, "power", edges, "--format", "json")
    assert code == 0 and json.loads(out)["n_nodes"] == 3  # the route is a free attribute: no infrastructure
    assert "unknown column 'route' (did you mean 'via'?)" in err


def test_an_unknown_target_with_an_actors_file_exits_2_naming_the_line(capsys, tmp_path):
    edges = put(tmp_path / "edges.csv", "source,target\nopenai,microsoft\nopenai,nvidai\n")
    actors = put(tmp_path / "actors.csv", "id\nopenai\nmicrosoft\nnvidia\n")
    output = tmp_path / "out.csv"
    code, _, err = run(capsys, "power", edges, "--actors", actors, "--format", "csv", "-o", output)
    assert code == 2 and not output.exists()
    assert err.startswith(f"error: {edges}, line 3, column target: target 'nvidai' is not in actors.csv "
                          "(did you mean 'nvidia'?)") and err.count("\n") == 1


def test_an_unknown_via_with_an_infrastructures_file_exits_2_naming_the_line(capsys, town, tmp_path):
    edges, actors, infras = town
    put(edges, edges.read_text() + "farm,utility,1,gird,1\n")
    code, _, err = run(capsys, "validate", edges, "--actors", actors, "--infrastructures", infras)
    assert code == 2
    assert err == f"error: {edges}, line 6, column via: via 'gird' is not in infras.csv (did you mean 'grid'?)\n"


@pytest.mark.parametrize("text, where, word", [
    ("id,owner\ngrid,utility\nroad,nobody\n", "line 3, column owner", "'nobody' is not an actor"),
    ("id,owner\ngrid,utility\nroad,town\ngrid,town\n", "line 4, column id", "duplicate id 'grid'"),
    ("id,owner\ngrid,utility\nroad,town\n,town\n", "line 4, column id", "missing"),
    ("id,owner,transit\ngrid,utility,sometimes\nroad,town,open\n", "line 2, column transit", "open or closed"),
])
def test_bad_infrastructures_rows_exit_2_with_file_and_line_and_no_output(capsys, town, tmp_path, text, where, word):
    edges, actors, infras = town
    put(infras, text)
    output = tmp_path / "out.json"
    code, out, err = run(capsys, "power", edges, "--actors", actors, "--infrastructures", infras, "--format", "json",
                         "-o", output)
    assert code == 2 and out == "" and not output.exists()
    assert err.startswith(f"error: {infras}, {where}: ") and word in err and err.count("\n") == 1


def test_ownership_through_an_infrastructures_file_counts(capsys, town):
    edges, actors, infras = town
    code, out, _ = run(capsys, "power", edges, "--actors", actors, "--infrastructures", infras, "--format", "json",
                       "--raw")
    rows = {r["id"]: r for r in json.loads(out)["rows"]}
    # the town (in no edge) controls the road: households -> shop, shop -> farm and households -> farm
    # (households -> road -> farm) pass it, 3 ordered pairs of actors
    assert code == 0 and rows["town"]["power"] == 3.0 and rows["town"]["betweenness"] == 0.0
    code, out, _ = run(capsys, "power", edges, "--actors", actors, "--format", "json", "--raw")
    assert {r["id"]: r["power"] for r in json.loads(out)["rows"]}["town"] == 0.0  # no owner without the file
    code, out, _ = run(capsys, "power", edges, "--actors", actors, "--infrastructures", infras, "--by", "node",
                       "--format", "json")
    assert code == 0 and {r["id"] for r in json.loads(out)["rows"]} >= {"grid", "road"}


def test_rents_show_the_tolls_of_an_owner(capsys, town):
    edges, actors, infras = town
    code, out, _ = run(capsys, "rents", edges, "--actors", actors, "--infrastructures", infras, "--format", "json")
    assert code == 0
    tolls = {r["id"]: r["income_toll"] for r in json.loads(out)["rows"]}
    assert tolls["utility"] > 0  # the grid's owner
    code, out, _ = run(capsys, "rents", edges, "--actors", actors, "--format", "json")
    assert all(r["income_toll"] == 0 for r in json.loads(out)["rows"])


def test_validate_names_owners_and_warns_about_ownerless_infrastructures(capsys, town):
    edges, actors, infras = town
    code, out, err = run(capsys, "validate", edges, "--actors", actors, "--infrastructures", infras, "--format",
                         "json")
    doc = json.loads(out)
    assert code == 0 and err == ""
    assert doc["infrastructure_owners"] == {"grid": "utility", "road": "town"}
    assert doc["ownerless_infrastructures"] == [] and doc["warnings"] == []
    assert doc["free_attributes"] == {"dependencies": ["distance"]}
    code, out, err = run(capsys, "validate", edges, "--actors", actors)
    assert code == 0 and "infrastructure owners: road=(none); grid=(none)" in out
    assert err.splitlines() == [
        f"warning: infrastructure {i!r} has no owner: its power counts to no actor "
        "(give its owner in an --infrastructures file)" for i in ("road", "grid")
    ]
    code, out, _ = run(capsys, "validate", edges, "--actors", actors, "--format", "json", "--strict")
    assert code == 0 and len(json.loads(out)["warnings"]) == 2  # advice, not a reading problem: strict reads it


def test_semicolon_separated_files_on_the_command_line(capsys, tmp_path):
    edges = put(tmp_path / "edges.csv", "source;target;strength\na;b;2\nb;c;1\n")
    code, out, _ = run(capsys, "power", edges, "--by", "node", "--format", "json", "--raw")
    assert code == 0 and {r["id"]: r["betweenness"] for r in json.loads(out)["rows"]}["b"] == 1.0
    put(edges, "source;target;strength\na;b;2,5\n")
    code, _, err = run(capsys, "validate", edges)
    assert code == 2 and err.startswith(f"error: {edges}, line 2, column strength: '2,5' is written with a decimal "
                                        "comma")


def test_every_command_with_actors_takes_infrastructures_and_strict():
    import typer.main

    group = typer.main.get_group(cli.app)
    with_actors = []
    for name, command in group.commands.items():
        params = {p.name for p in getattr(command, "params", [])}
        if "actors" in params:
            with_actors.append(name)
            assert {"infrastructures", "strict"} <= params, name
    assert {"validate", "power", "convert", "explain", "whatif", "chokepoints", "concentration", "rents",
            "improve", "report"} <= set(with_actors)


def test_infrastructures_with_a_model_file_is_a_usage_error(capsys, town):
    _, _, infras = town
    code, _, err = run(capsys, "power", "florentine", "--infrastructures", infras)
    assert code == 2 and "--infrastructures applies to edge-list files" in err
