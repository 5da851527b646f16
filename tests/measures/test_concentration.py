"""Concentration measures against their textbook formulas and hand-worked networks."""

from __future__ import annotations

import itertools
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

import dependencia as dp
from dependencia.cli import main
from dependencia.measures.concentration import gini, hhi, top_share


@given(st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=20))
def test_gini_equals_the_mean_absolute_difference_formula(values):
    n, total = len(values), sum(values)
    expected = 0.0 if total == 0 else sum(abs(x - y) for x, y in itertools.product(values, values)) / (2 * n * total)
    assert gini(values) == pytest.approx(expected, abs=1e-12)


def test_textbook_values():
    assert gini([0, 0, 0, 1]) == pytest.approx(0.75)  # one holds all: (n-1)/n
    assert hhi([0.25] * 4) == pytest.approx(0.25)  # four equal firms: 1/4
    assert hhi([1.0]) == 1.0
    assert top_share([0.1, 0.6, 0.3], 1) == 0.6 and top_share([0.1, 0.6, 0.3], 5) == pytest.approx(1.0)


def test_platform_monopoly_by_hand():
    # three buyers reach two sellers only through the platform owned by p: all power is p's,
    # so among the 6 top-level actors HHI = 1, top-1 share = 1, Gini = 5/6.
    buyers, sellers = ["b1", "b2", "b3"], ["s1", "s2"]
    net = dp.Network.from_records(
        [{"id": a} for a in buyers + sellers + ["p"]],
        [{"dependent": b, "provider": s, "dimension": "shop", "via": ["mall"]} for b in buyers for s in sellers],
        infrastructures=[{"id": "mall", "owner": "p"}],
    )
    frame = dp.concentration(net)
    row = frame.loc["*"]
    assert row["hhi"] == pytest.approx(1.0) and row["top1_share"] == pytest.approx(1.0)
    assert row["gini"] == pytest.approx(5 / 6) and row["actors"] == 6
    # providers s1 and s2 each serve 3 of the 6 units of strength: HHI 0.5
    assert row["provider_hhi"] == pytest.approx(0.5) and row["providers"] == 2
    assert list(frame.index) == ["*", "shop"]


def test_cli_concentration_json(capsys):
    assert main(["concentration", "ai-stack", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    scopes = [r["id"] for r in doc["rows"]]
    assert scopes[0] == "*" and set(scopes[1:]) == {"compute", "capital", "semantic", "material", "financial"}
    for row in doc["rows"]:
        assert 0.0 <= row["gini"] <= 1.0 and 0.0 <= row["hhi"] <= 1.0


def test_burt_columns_are_networkx_values(capsys):
    import networkx as nx

    net = dp.examples.load("florentine")
    frame = dp.structural_holes(net)
    graph = dp.compile_graph(net).to_networkx()
    expected = nx.constraint(graph, weight="strength")
    assert frame.loc["Medici", "constraint"] == pytest.approx(expected["Medici"])
    assert main(["power", "florentine", "--burt", "--format", "json"]) == 0
    row = json.loads(capsys.readouterr().out)["rows"][0]
    assert row["id"] == "Medici" and row["constraint"] == pytest.approx(expected["Medici"])
    assert main(["power", "florentine", "--burt", "--by", "node"]) == 2
