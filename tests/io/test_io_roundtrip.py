"""Every lossless reader/writer pair gives back the very network it was given.

The networks come from hypothesis (see ``_io_strategies``) and from the
shipped examples; equality is ``Network.equals`` (every table, its values,
column order and row order).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from _io_strategies import networks
from hypothesis import given

import dependencia as dp
from dependencia.io import from_networkx, read, to_networkx, write

LOSSLESS = ["net.yaml", "net.yml", "net.json", "bundle", "net.graphml"]


def _differences(a: dp.Network, b: dp.Network) -> list[str]:
    from dependencia.network.model import TABLES
    from dependencia.network.records import frames_equal as _frames_equal

    return [t for t in TABLES if not _frames_equal(getattr(a, t), getattr(b, t))]


@pytest.mark.parametrize("example", dp.examples.names())
@pytest.mark.parametrize("name", LOSSLESS)
def test_shipped_examples_round_trip(tmp_path, example, name):
    net = dp.examples.load(example)
    assert write(net, tmp_path / name) == []
    back = read(tmp_path / name)
    assert back.equals(net), _differences(back, net)


@given(networks())
def test_generated_networks_round_trip_in_every_lossless_format(net):
    with tempfile.TemporaryDirectory() as folder:
        for name in LOSSLESS:
            path = Path(folder) / name
            assert write(net, path) == [], name
            back = read(path)
            assert back.equals(net), (name, _differences(back, net))


@given(networks())
def test_generated_networks_round_trip_through_networkx(net):
    back = from_networkx(to_networkx(net))
    assert back.equals(net), _differences(back, net)


@given(networks())
def test_generated_networks_keep_the_dependency_graph_through_gexf(net):
    # GEXF has no graph attributes: dimension settings and needs are lost and
    # named; the rest (actors, infrastructures, dependencies, ownership,
    # authority) comes back with the same values.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "net.gexf"
        dropped = write(net, path)
        back = read(path)
    assert list(back.actors.index) == list(net.actors.index)
    assert list(back.infrastructures.index) == list(net.infrastructures.index)
    for table in ("actors", "infrastructures", "dependencies", "ownership", "authority"):
        mine, theirs = getattr(net, table), getattr(back, table)
        if "label" in mine.columns and (mine["label"] == mine.index.to_series()).any():
            # GEXF's default label is the id: such a label reads back as none, and write() says so
            assert any("labels equal to the" in item for item in dropped)
            mine = mine.assign(label=mine["label"].where(mine["label"] != mine.index.to_series(), None))
        known = [c for c in mine.columns if c in theirs.columns]
        from dependencia.network.records import frames_equal as _frames_equal

        assert _frames_equal(mine[known], theirs[known]), table
        # a free column can only go missing when it has no value at all
        for column in set(mine.columns) - set(theirs.columns):
            assert mine[column].isna().all()
    if len(net.needs):
        assert f"{len(net.needs)} need{'s' if len(net.needs) > 1 else ''}" in dropped
    assert len(back.needs) == 0


@pytest.mark.parametrize("name", ["source", "target"])
def test_an_attribute_named_like_an_edge_list_end_is_dropped_with_a_reason(tmp_path, name):
    # a free dependency attribute `source` (a citation, say) once crashed the edge-list writer
    table = dp.examples.load("florentine").dependencies.assign(**{name: "press report"})
    net = dp.examples.load("florentine").replace(dependencies=table)
    path = tmp_path / "edges.csv"
    dropped = write(net, path)
    assert any(f"dependency attribute {name}" in reason for reason in dropped)
    back = read(path)
    pairs = set(zip(back.dependencies["dependent"], back.dependencies["provider"], strict=True))
    assert pairs == set(zip(net.dependencies["dependent"], net.dependencies["provider"], strict=True))
    kept = write(net, tmp_path / "net.yaml")
    assert not any(name in reason for reason in kept)
    with pytest.warns(dp.InputWarning, match=f"unknown field '{name}'"):
        back = read(tmp_path / "net.yaml")
    assert back.dependencies[name].eq("press report").all()
