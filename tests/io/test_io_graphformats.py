"""GraphML (lossless) and GEXF (no graph attributes) files through NetworkX."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest
from _io_helpers import raises_input_error, rich_network, write

from dependencia.errors import UsageError
from dependencia.io import read
from dependencia.io import write as write_network
from dependencia.network.model import Network


def test_graphml_round_trip(tmp_path):
    net = rich_network()
    assert write_network(net, tmp_path / "n.graphml") == []
    assert read(tmp_path / "n.graphml").equals(net)


def test_graphml_is_readable_by_networkx(tmp_path):
    write_network(rich_network(), tmp_path / "n.graphml")
    graph = nx.read_graphml(tmp_path / "n.graphml", force_multigraph=True)
    assert graph.nodes["azure"]["type"] == "infrastructure"
    assert graph.nodes["ms"]["budget"] == 5.0
    assert graph.graph["dependencia"] == 1
    relations = sorted(d["relation"] for _, _, d in graph.edges(data=True))
    assert relations == ["authority", "dependency", "dependency", "ownership"]


def test_graphml_from_elsewhere(tmp_path):
    graph = nx.DiGraph()
    graph.add_edge("a", "b", weight=2.0)
    graph.add_edge("b", "c", weight=0.5)
    graph.add_node("d", role="sink")
    nx.write_graphml(graph, tmp_path / "g.graphml")
    net = read(tmp_path / "g.graphml")
    assert list(net.actors.index) == ["a", "b", "c", "d"]
    assert net.actors.loc["d", "role"] == "sink"
    assert net.dependencies[["dependent", "provider", "weight"]].values.tolist() == [["a", "b", 2.0],
                                                                                      ["b", "c", 0.5]]


def test_graphml_names_values_it_cannot_type(tmp_path):
    actors = pd.DataFrame({"id": ["a"], "tags": [("x", "y")]})
    dropped = write_network(Network(actors), tmp_path / "n.graphml")
    assert dropped == ["value types of actor attribute tags (written as text)"]
    assert read(tmp_path / "n.graphml").actors.loc["a", "tags"] == '["x", "y"]'


def test_gexf_keeps_the_graph_and_names_what_it_drops(tmp_path):
    net = rich_network()
    dropped = write_network(net, tmp_path / "n.gexf")
    assert dropped == ["dimension settings (monetized)", "1 need"]
    back = read(tmp_path / "n.gexf")
    for table in ("actors", "infrastructures", "dependencies", "ownership", "authority"):
        assert _same(getattr(back, table), getattr(net, table)), table
    assert back.dimensions["monetized"].to_dict() == {"code": 1.0, "capital": 1.0}  # the defaults
    assert len(back.needs) == 0


def _same(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    from dependencia.network.records import frames_equal as _frames_equal

    return _frames_equal(a, b)


def test_gexf_without_losses(tmp_path):
    net = Network.from_records(
        [{"id": "a", "label": "Ann"}, {"id": "b"}],
        [{"dependent": "a", "provider": "b", "weight": 2.0}, {"dependent": "b", "provider": "a", "weight": 1.0}],
    )
    assert write_network(net, tmp_path / "n.gexf") == []
    assert read(tmp_path / "n.gexf").equals(net)


def test_gexf_mixed_attribute_types(tmp_path):
    net = Network.from_records([{"id": "a", "size": 1}, {"id": "b", "size": 2.5}, {"id": "c", "size": "big"}])
    dropped = write_network(net, tmp_path / "n.gexf")
    assert dropped == ["value types of node attribute size (mixed types, written as text)"]
    assert read(tmp_path / "n.gexf").actors["size"].tolist() == ["1", "2.5", "big"]


def test_gexf_label_equal_to_id_is_named(tmp_path):
    net = Network.from_records([{"id": "a", "label": "a"}])
    assert write_network(net, tmp_path / "n.gexf") == ["actor labels equal to the actor's id (GEXF's default label)"]
    assert read(tmp_path / "n.gexf").actors.loc["a", "label"] is None


def test_gexf_from_elsewhere(tmp_path):
    nx.write_gexf(nx.path_graph(3, create_using=nx.DiGraph), tmp_path / "p.gexf")
    net = read(tmp_path / "p.gexf")
    assert list(net.actors.index) == ["0", "1", "2"]
    assert net.actors["label"].isna().all()  # GEXF's default labels (the ids) are dropped
    assert net.dependencies[["dependent", "provider"]].values.tolist() == [["0", "1"], ["1", "2"]]


def test_malformed_xml(tmp_path):
    path = write(tmp_path / "n.graphml", "<graphml>\n<graph>\n</graphml>\n")
    raises_input_error(lambda: read(path), path, "line 3", "malformed XML", "GraphML")
    path = write(tmp_path / "n.gexf", "<gexf><graph>")
    raises_input_error(lambda: read(path), path, "line 1", "malformed XML", "GEXF")


def test_xml_that_is_not_graphml(tmp_path):
    path = write(tmp_path / "n.graphml", "<html><body>hello</body></html>\n")
    raises_input_error(lambda: read(path), path, None, "cannot read the GraphML file")


def test_empty_graph_file(tmp_path):
    path = write(tmp_path / "n.gexf", "\n")
    raises_input_error(lambda: read(path), path, None, "empty")


def test_model_errors_in_a_graph_file_name_the_file_and_edge(tmp_path):
    graph = nx.DiGraph([("a", "b"), ("b", "b")])
    nx.write_graphml(graph, tmp_path / "g.graphml")
    path = tmp_path / "g.graphml"
    raises_input_error(lambda: read(path), path, "edge 'b' -> 'b', attribute provider", "self-dependency")


def test_gexf_names_attribute_columns_it_cannot_keep(tmp_path):
    # GEXF lists a node's attributes in the order it meets them and writes no
    # attribute without a value: an empty column and a column order that
    # differs from first appearance are lost.
    actors = pd.DataFrame({"id": ["a", "b"], "late": [None, 1], "early": [2, 3], "never": [None, None]})
    dropped = write_network(Network(actors), tmp_path / "n.gexf")
    assert dropped == ["actors attributes without any value (never)"]
    back = read(tmp_path / "n.gexf")
    assert list(back.actors.columns)[4:] == ["early", "late"]
    net = Network(actors.drop(columns="never"))
    assert write_network(net, tmp_path / "m.gexf") == ["order of the actors attribute columns"]


def test_text_xml_cannot_hold(tmp_path):
    with_return = Network.from_records([{"id": "a", "label": "one\rtwo"}])
    assert write_network(with_return, tmp_path / "r.graphml") == [
        "carriage returns in text (GraphML reads them back as line feeds)"
    ]
    assert read(tmp_path / "r.graphml").actors.loc["a", "label"] == "one\ntwo"  # XML's line-end normalization
    control = Network.from_records([{"id": "a", "label": "bell\x07"}])
    for name in ("c.graphml", "c.gexf"):
        with pytest.raises(UsageError, match="U\\+0007"):
            write_network(control, tmp_path / name)
        assert not (tmp_path / name).exists()
