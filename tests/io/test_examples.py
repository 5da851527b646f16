"""The shipped example files (examples/) say the same network twice: as one model file, and
as an edge list with actors and infrastructures files. Read both ways, every table of the
network and every actor's power must agree, so that either can stand for the other in the
README and the tutorial."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import dependencia as dp

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def both() -> tuple[dp.Network, dp.Network]:
    model = dp.read(EXAMPLES / "network.yaml")
    edges = dp.read(EXAMPLES / "edges.csv", actors=EXAMPLES / "actors.csv",
                    infrastructures=EXAMPLES / "infrastructures.csv")
    return model, edges


def test_model_file_and_edge_list_hold_the_same_network():
    model, edges = both()
    assert sorted(model.actors.index) == sorted(edges.actors.index)
    assert model.infrastructures["owner"].to_dict() == edges.infrastructures["owner"].to_dict()
    key = ["dependent", "provider", "dimension"]
    a = model.dependencies.sort_values(key).reset_index(drop=True)
    b = edges.dependencies.sort_values(key).reset_index(drop=True)
    for column in ("dependent", "provider", "dimension", "strength", "channel", "via", "distance"):
        assert a[column].tolist() == b[column].tolist(), column


def test_model_file_and_edge_list_give_the_same_power():
    model, edges = both()
    left = dp.power(model).sort_index()
    right = dp.power(edges).sort_index()
    pd.testing.assert_series_equal(left["power"], right["power"])
    # ownership counts: the utility, the telecom and the town each control their infrastructure
    assert right.loc["telecom", "power"] > right.loc["telecom", "betweenness"]
