"""The model of control in files: a model file's `control:` entry and a CSV bundle's control.csv."""

from __future__ import annotations

import pytest
from _io_helpers import raises_input_error, rich_network, write

import dependencia as dp


def linear_network() -> dp.Network:
    return dp.Network.from_records(
        [{"id": i} for i in "abc"], [{"dependent": "a", "provider": "c"}],
        ownership=[{"owner": "a", "owned": "b", "share": 0.4}, {"owner": "a", "owned": "c", "share": 0.35},
                   {"owner": "b", "owned": "c", "share": 0.5}],
        control="linear", control_threshold=0.45,
    )


@pytest.mark.parametrize("name", ["net.yaml", "net.json", "bundle"])
def test_the_model_of_control_round_trips(tmp_path, name):
    net = linear_network()
    assert dp.write(net, tmp_path / name) == []
    back = dp.read(tmp_path / name)
    assert back.equals(net) and back.control == net.control
    assert back.controls("a") == {"a", "c"} and back.controls("b") == {"b", "c"}


def test_networkx_and_graphml_keep_the_model_and_gexf_says_it_drops_it(tmp_path):
    net = linear_network()
    assert dp.from_networkx(dp.to_networkx(net)).control == net.control
    assert dp.write(net, tmp_path / "n.graphml") == []
    assert dp.read(tmp_path / "n.graphml").control == net.control
    dropped = dp.write(net, tmp_path / "n.gexf")
    assert any("model of control (linear, threshold 0.45" in item for item in dropped)
    assert dp.read(tmp_path / "n.gexf").control.model == "majority"
    assert "control" not in dp.to_networkx(rich_network()).graph  # majority: no attribute, as before


def threshold_network() -> dp.Network:
    # a holds 30% of b and b 30% of c: under the threshold model at 0.25 a controls b and b controls c
    # (a thereby c too), under the majority rule nobody controls anybody
    return dp.Network.from_records(
        [{"id": i} for i in "abc"], [{"dependent": "a", "provider": "c"}],
        ownership=[{"owner": "a", "owned": "b", "share": 0.3}, {"owner": "b", "owned": "c", "share": 0.3}],
        control="threshold", control_threshold=0.25,
    )


def test_graphml_keeps_the_threshold_model_and_its_threshold(tmp_path):
    net = threshold_network()
    assert net.controls("a") == {"a", "b", "c"}  # by hand: the two 30% holdings each pass 0.25
    assert dp.write(net, tmp_path / "n.graphml") == []
    back = dp.read(tmp_path / "n.graphml")
    assert back.equals(net)
    assert (back.control.model, back.control.threshold) == ("threshold", 0.25)
    assert back.controls("a") == {"a", "b", "c"} and back.controls("b") == {"b", "c"}


def test_gexf_cannot_hold_the_threshold_model_and_convert_says_so(tmp_path, capsys):
    # GEXF has no graph attributes of its own, and NetworkX's GEXF reader keeps only the graph's name and mode
    # (nothing in <meta>): the model of control is dropped, named, and read back as the majority rule
    from dependencia.cli import main

    net = threshold_network()
    dp.write(net, tmp_path / "n.yaml")
    assert main(["convert", str(tmp_path / "n.yaml"), str(tmp_path / "n.gexf")]) == 0
    assert "dropped (not expressible in .gexf): the model of control (threshold, threshold 0.25; read back as " \
           "majority)" in capsys.readouterr().err
    back = dp.read(tmp_path / "n.gexf")
    assert back.control.model == "majority"
    assert back.controls("a") == {"a"}  # by hand: 30% is no majority
    assert back.ownership.equals(net.ownership)  # the holdings themselves survive


def test_what_the_files_say(tmp_path):
    dp.write(linear_network(), tmp_path / "net.yaml")
    assert (tmp_path / "net.yaml").read_text().splitlines()[:2] == [
        "dependencia: 1", "control: {model: linear, threshold: 0.45}"]
    dp.write(linear_network(), tmp_path / "net.json")
    assert '  "control": {"model": "linear", "threshold": 0.45},' in (tmp_path / "net.json").read_text()
    dp.write(linear_network(), tmp_path / "b")
    assert (tmp_path / "b" / "control.csv").read_text() == "model,threshold\nlinear,0.45\n"


def test_majority_writes_nothing_and_removes_a_stale_control_file(tmp_path):
    net = rich_network()
    dp.write(net, tmp_path / "net.yaml")
    assert "control" not in (tmp_path / "net.yaml").read_text()
    dp.write(linear_network(), tmp_path / "b")
    dp.write(linear_network().with_control("majority"), tmp_path / "b")
    assert not (tmp_path / "b" / "control.csv").exists()
    assert dp.read(tmp_path / "b").control.model == "majority"


def test_short_forms(tmp_path):
    path = write(tmp_path / "n.yaml", "dependencia: 1\ncontrol: threshold\nactors: [{id: a}]\n")
    assert dp.read(path).control == dp.Network.from_records([{"id": "a"}]).with_control("threshold").control
    bundle = dp.write(dp.Network.from_records([{"id": "a"}]), tmp_path / "b")
    assert bundle == []
    write(tmp_path / "b" / "control.csv", "model\n threshold \n")
    assert dp.read(tmp_path / "b").control.describe() == "threshold, threshold 0.5"


@pytest.mark.parametrize(("text", "where", "words"), [
    ("control: {model: lineer}", "control.model", "unknown control model 'lineer'"),
    ("control: {model: linear, threshold: 1.5}", "control.threshold", "between 0 and 1 (both excluded), got 1.5"),
    ("control: {threshold: 0.3}", "control.model", "the control model is missing"),
    ("control: {model: linear, treshold: 0.3}", "control.treshold", "unknown field 'treshold'"),
    ("control: [linear]", "control", "'control' must be a model name or a mapping"),
    ("control: {model: majority, threshold: 0.7}", "control.threshold", "the majority rule's threshold is one half"),
])
def test_bad_control_entries_in_a_model_file(tmp_path, text, where, words):
    path = write(tmp_path / "n.yaml", f"dependencia: 1\n{text}\nactors: [{{id: a}}]\n")
    raises_input_error(lambda: dp.read(path), path, where, words)


@pytest.mark.parametrize(("text", "where", "words"), [
    ("model,threshold\nlineer,0.5\n", "line 2, column model", "unknown control model 'lineer'"),
    ("model,threshold\nlinear,x\n", "line 2, column threshold", "got 'x'"),
    ("model,threshold\nlinear,0\n", "line 2, column threshold", "got 0.0"),
    ("model,threshold\n", None, "exactly one row"),
    ("model,threshold\nlinear,0.5\nthreshold,0.5\n", "line 3", "exactly one row"),
    ("model,limit\nlinear,0.5\n", "line 1", "unknown column 'limit'"),
])
def test_bad_control_files_in_a_bundle(tmp_path, text, where, words):
    dp.write(dp.Network.from_records([{"id": "a"}]), tmp_path / "b")
    path = write(tmp_path / "b" / "control.csv", text)
    raises_input_error(lambda: dp.read(tmp_path / "b"), path, where, words)


def test_mutual_control_under_the_files_model_names_the_record(tmp_path):
    path = write(tmp_path / "n.yaml", "dependencia: 1\ncontrol: {model: threshold, threshold: 0.25}\n"
                                      "actors: [{id: a}, {id: b}]\n"
                                      "ownership:\n- {owner: a, owned: b, share: 0.3}\n- {owner: b, owned: a, share: 0.3}\n")
    raises_input_error(lambda: dp.read(path), path, "ownership[1].share",
                       "actors 'a' and 'b' control each other under the threshold model (threshold 0.25)")
