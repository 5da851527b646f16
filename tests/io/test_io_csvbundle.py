"""The CSV bundle: reading a folder of CSV files, writing it, and its errors (file, line, column)."""

from __future__ import annotations

import os

import pandas as pd
import pytest
from _io_helpers import raises_input_error, write

from dependencia.errors import InputError
from dependencia.io import read
from dependencia.io import write as write_network
from dependencia.network.model import Network


def bundle(folder, **files: str):
    folder.mkdir(exist_ok=True)
    defaults = {"actors": "id\na\nb\n", "dependencies": "dependent,provider\na,b\n"}
    for table, text in {**defaults, **files}.items():
        write(folder / f"{table}.csv", text)
    return folder


def test_reads_every_table(tmp_path):
    folder = bundle(
        tmp_path / "b",
        actors="id,kind,label,budget,size,colour\nms,firm,Microsoft,100,3,blue\ngh,firm,,,2.5,\nme,person,,,,\n",
        dimensions="id,monetized\ncompute,1\ncare,\n",
        infrastructures="id,owner,dimensions,build_cost\nazure,ms,compute;care,10\n",
        dependencies="dependent,provider,dimension,strength,channel,via,distance\n"
                     "me,gh,compute,2,market,azure,1.5\nme,ms,care,,care,,\n",
        needs="dependent,dimension\nme,care\n",
        ownership="owner,owned,share\nms,gh,1\n",
        authority="holder,subject\nme,gh\n",
    )
    net = read(folder)
    assert list(net.actors.index) == ["ms", "gh", "me"]
    assert net.actors.loc["ms", "budget"] == 100.0
    assert net.actors.loc["gh", "label"] is None
    # free attribute columns: numbers when every cell is a number (int for integer literals)
    assert net.actors["size"].tolist() == [3, 2.5, None]
    assert type(net.actors["size"].iloc[0]) is int
    assert net.actors["colour"].tolist() == ["blue", None, None]
    assert net.dimensions["monetized"].to_dict() == {"compute": 1.0, "care": 0.0}  # care: its default
    assert net.infrastructures.loc["azure", "dimensions"] == ("compute", "care")
    assert net.dependencies["via"].tolist() == [("azure",), ()]
    assert net.dependencies["strength"].tolist() == [2.0, 1.0]
    assert net.dependencies["distance"].tolist()[0] == 1.5
    assert sorted(net.controls("ms")) == ["azure", "gh", "ms"]
    assert net.needs.values.tolist() == [["me", "care"]]
    assert net.authority.values.tolist() == [["me", "gh"]]


def test_optional_files_may_be_absent(tmp_path):
    net = read(bundle(tmp_path / "b"))
    assert net.n_actors == 2 and len(net.ownership) == 0
    assert list(net.dimensions.index) == ["default"]


def test_writes_all_seven_files(tmp_path):
    net = Network.from_records(
        [{"id": "a", "size": 3}, {"id": "b", "size": 2.5, "label": "B, Inc."}],
        [{"dependent": "a", "provider": "b", "via": ["x", "y"]}],
        infrastructures=[{"id": "x", "owner": "b"}, {"id": "y", "owner": "b", "dimensions": ["default"]}],
    )
    assert write_network(net, tmp_path / "out") == []
    assert sorted(os.listdir(tmp_path / "out")) == [
        "actors.csv", "authority.csv", "dependencies.csv", "dimensions.csv", "infrastructures.csv",
        "needs.csv", "ownership.csv",
    ]
    assert (tmp_path / "out" / "actors.csv").read_text() == (
        "id,kind,label,budget,unit_cost,size\na,actor,,,,3\nb,actor,\"B, Inc.\",,,2.5\n"
    )
    assert (tmp_path / "out" / "dependencies.csv").read_text() == (
        "dependent,provider,dimension,strength,channel,via\na,b,default,1.0,market,x;y\n"
    )
    assert (tmp_path / "out" / "infrastructures.csv").read_text() == (
        "id,owner,dimensions,build_cost,upkeep,transit\nx,b,,,,closed\ny,b,default,,,closed\n"
    )
    assert (tmp_path / "out" / "ownership.csv").read_text() == "owner,owned,share\n"
    assert read(tmp_path / "out").equals(net)


def test_rewriting_a_bundle_leaves_no_stale_table(tmp_path):
    with_owner = Network.from_records([{"id": "a"}, {"id": "b"}], ownership=[{"owner": "a", "owned": "b", "share": 1}])
    without = Network.from_records([{"id": "a"}, {"id": "b"}])
    write_network(with_owner, tmp_path / "b")
    write_network(without, tmp_path / "b")
    assert read(tmp_path / "b").equals(without)


def test_names_what_csv_cannot_keep(tmp_path):
    actors = pd.DataFrame({"id": ["a", "b"], "flag": [True, False], "code": ["007", "12"], "name": ["x", "7"]})
    dropped = write_network(Network(actors), tmp_path / "b")
    assert dropped == [
        "actors attribute flag (CSV keeps numbers and text only)",
        "actors attribute code (CSV keeps numbers and text only)",
    ]
    back = read(tmp_path / "b")
    assert back.actors["code"].tolist() == [7, 12]  # as documented: all-number columns become numbers
    assert back.actors["name"].tolist() == ["x", "7"]  # mixed: stays text


def test_dimension_id_with_the_separator_cannot_be_written(tmp_path):
    net = Network.from_records([{"id": "a"}], infrastructures=[{"id": "x", "owner": "a", "dimensions": ["a;b"]}])
    with pytest.raises(InputError, match="contains ';'"):
        write_network(net, tmp_path / "b")
    assert not (tmp_path / "b").exists()


# --------------------------------------------------------------------- errors
def _error(folder, table, where, *words):
    return raises_input_error(lambda: read(folder), folder / f"{table}.csv", where, *words)


@pytest.mark.parametrize("missing", ["actors", "dependencies"])
def test_missing_required_file(tmp_path, missing):
    folder = bundle(tmp_path / "b")
    (folder / f"{missing}.csv").unlink()
    error = _error(folder, missing, None, f"no {missing}.csv", "required")
    assert "actors.csv, dependencies.csv" in error.message


def test_a_folder_where_a_table_file_is_expected(tmp_path):
    folder = bundle(tmp_path / "b")
    (folder / "needs.csv").mkdir()
    _error(folder, "needs", None, "folder", "file is expected")


def test_unknown_actor_names_file_line_and_column(tmp_path):
    folder = bundle(tmp_path / "b", dependencies="dependent,provider\na,b\n\nb,zed\n")
    _error(folder, "dependencies", "line 4, column provider", "unknown actor 'zed'")


def test_unknown_dimension(tmp_path):
    folder = bundle(tmp_path / "b", dimensions="id\ncompute\n", dependencies="dependent,provider,dimension\na,b,care\n")
    _error(folder, "dependencies", "line 2, column dimension", "unknown dimension 'care'")


def test_unknown_infrastructure(tmp_path):
    folder = bundle(tmp_path / "b", dependencies="dependent,provider,via\na,b,\nb,a,cloud\n")
    _error(folder, "dependencies", "line 3, column via", "unknown infrastructure 'cloud'")


def test_empty_id_in_a_list(tmp_path):
    folder = bundle(
        tmp_path / "b", infrastructures="id,owner\nx,a\ny,a\n", dependencies="dependent,provider,via\na,b,x;;y\n"
    )
    _error(folder, "dependencies", "line 2, column via", "'x;;y' has an empty one")


@pytest.mark.parametrize(
    ("cell", "words"),
    [("nan", ("must be a number", "'nan'")), ("0", ("> 0",)), ("-1", ("> 0",)), ("inf", ("finite",)),
     ("much", ("must be a number", "'much'"))],
)
def test_bad_strength(tmp_path, cell, words):
    folder = bundle(tmp_path / "b", dependencies=f"dependent,provider,strength\na,b,1\nb,a,{cell}\n")
    _error(folder, "dependencies", "line 3, column strength", "strength", *words)


def test_duplicate_id(tmp_path):
    folder = bundle(tmp_path / "b", actors="id\na\nb\na\n")
    _error(folder, "actors", "line 4, column id", "duplicate id 'a'")


def test_self_dependency(tmp_path):
    folder = bundle(tmp_path / "b", dependencies="dependent,provider\na,b\nb,b\n")
    _error(folder, "dependencies", "line 3, column provider", "self-dependency")


def test_mutual_control(tmp_path):
    folder = bundle(tmp_path / "b", ownership="owner,owned,share\na,b,0.6\nb,a,0.6\n")
    _error(folder, "ownership", "line 3, column share", "control each other")


def test_shares_over_one(tmp_path):
    folder = bundle(tmp_path / "b", actors="id\na\nb\nc\n", ownership="owner,owned,share\na,c,0.6\nb,c,0.6\n")
    _error(folder, "ownership", "line 3, column share", "more than 1")


def test_missing_key_column(tmp_path):
    folder = bundle(tmp_path / "b", ownership="owner,owned\na,b\n")
    _error(folder, "ownership", "line 1", "no 'share' column", "header")


def test_latin1_file_in_a_bundle(tmp_path):
    folder = bundle(tmp_path / "b")
    (folder / "actors.csv").write_bytes("id\na\nb\ncafé\n".encode("latin-1"))
    _error(folder, "actors", "line 4", "not UTF-8")


def test_carriage_returns_and_newlines_in_cells_survive(tmp_path):
    net = Network.from_records([{"id": "a", "label": "one\rtwo", "note": "x\ny"}, {"id": "b, the second"}])
    assert write_network(net, tmp_path / "b") == []
    assert read(tmp_path / "b").equals(net)
