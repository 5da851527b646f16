"""The static scenarios' findings are written from the computation, and their figures agree with oracles.

``scripts/write_static_findings.py --check`` must find every narrative's findings block (and the
robustness tables of docs/guide.md) equal to what the computation renders, so narrative and
computation cannot drift apart (issue 17, item 3). Then, per scenario, figures read from the
narrative's text are compared, at the precision printed there, with an oracle that does not use
the package's graph code: NetworkX on its own Florentine graph, NetworkX on graphs built from the
scenario's YAML records, a brute-force group betweenness on the routed records graph for ai-stack
(issue 22, item 5), and the identities named in the narratives checked from the tables they follow
from.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import networkx as nx
import pytest
import yaml

import dependencia as dp

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "src" / "dependencia" / "data" / "scenarios"
sys.path.insert(0, str(ROOT / "scripts"))  # the scripts import each other as siblings, as when run
sys.path.insert(0, str(ROOT / "tests" / "measures"))  # the records-graph oracle of the measures' tests

import write_static_findings as writer  # noqa: E402
from _records_graph import records_graph  # noqa: E402
from test_routed_oracle import brute_force_power, controlled_sets, shortest_paths  # noqa: E402


def block(name: str) -> str:
    """The findings block of a narrative, whitespace collapsed (the writer wraps lines)."""
    text = (SCENARIOS / f"{name}.md").read_text()
    inner = text.split(writer.BEGIN, 1)[1].split(writer.END, 1)[0]
    return " ".join(inner.split())


def records(name: str) -> dict:
    return yaml.safe_load((SCENARIOS / f"{name}.yaml").read_text())


def dependency_graph(deps: list[dict], actors: list[dict]) -> nx.DiGraph:
    """dependent -> provider, straight from the YAML records (no infrastructure in these scenarios)."""
    graph = nx.DiGraph()
    graph.add_nodes_from(a["id"] for a in actors)
    graph.add_edges_from((d["dependent"], d["provider"]) for d in deps)
    return graph


def test_narratives_and_guide_are_written_from_the_computation():
    assert writer.main(["--check"]) == 0, "rerun: python scripts/write_static_findings.py"


def test_check_fails_where_a_narrative_figure_differs(tmp_path, monkeypatch, capsys):
    for path in SCENARIOS.glob("*.md"):
        shutil.copy(path, tmp_path / path.name)
    changed = tmp_path / "florentine.md"
    text = changed.read_text()
    assert "**0.522**" in text
    changed.write_text(text.replace("**0.522**", "**0.523**"))
    monkeypatch.setattr(writer, "SCENARIOS", tmp_path)
    assert writer.main(["--check", "florentine"]) == 1
    assert "florentine.md" in capsys.readouterr().err
    assert "**0.523**" in changed.read_text()  # --check writes nothing


def test_florentine_against_networkx_on_its_own_graph():
    graph = nx.florentine_families_graph()
    normalized = nx.betweenness_centrality(graph)
    raw = nx.betweenness_centrality(graph, normalized=False)
    text = block("florentine")
    found = re.search(r"normalized betweenness \*\*([\d.]+)\*\* \(([\d.]+) over ordered pairs; \*\*([\d.]+)\*\*", text)
    assert found, text
    assert found[1] == f"{normalized['Medici']:.3f}"
    assert float(found[2]) == pytest.approx(2 * raw["Medici"])  # ordered pairs count each undirected pair twice
    assert float(found[3]) == pytest.approx(raw["Medici"])
    runners_up = sorted(normalized, key=normalized.get, reverse=True)[1:4]
    assert "ahead of " + ", ".join(f"the {f} ({normalized[f]:.3f})" for f in runners_up[:2]) in text
    assert f"and the {runners_up[2]} ({normalized[runners_up[2]]:.3f})" in text


def test_care_identities_and_figures():
    data = records("care")
    graph = dependency_graph(data["dependencies"], data["actors"])
    raw = nx.betweenness_centrality(graph, normalized=False)
    carers = [a["id"] for a in data["actors"] if a["id"].startswith("carer")]
    shares = {a: raw[a] / sum(raw.values()) for a in carers}
    text = block("care")
    share = re.search(r"has power share \*\*([\d.]+)\*\*", text)[1]
    assert {f"{s:.3f}" for s in shares.values()} == {share}
    # the identity the narrative names: income 0 on the unpaid channel, so latent power = power share
    actors = dp.rents(dp.examples.load("care")).actors
    assert (actors["latent_power"] - (actors["power_share"] - actors["income_share"])).abs().max() < 1e-12
    assert (actors.loc[carers, "income"] == 0).all()
    assert f"*Latent power = power share = {share}: an identity.*" in text
    # the sellers depend on nobody in the records, so no path passes through them
    sellers = {d["provider"] for d in data["dependencies"] if d.get("channel", "market") == "market"}
    assert not any(d["dependent"] in sellers for d in data["dependencies"])
    assert all(raw[s] == 0 for s in sellers)
    # the valuation: Oxfam's figures (docs/calibration.md) x the care hours of the records
    price = round(10.8e12 / (12.5e9 * 365), 2)
    hours = sum(d.get("strength", 1) for d in data["dependencies"] if d.get("channel") == "care")
    assert f"`--care-price {price}` the day's {hours:g} hours of care are valued at **{price * hours:.2f} USD**" in text


def test_openai_board_zero_from_the_records_and_the_others_against_networkx():
    data = records("openai-board")
    assert not any(d["provider"] == "board" for d in data["dependencies"])  # nobody depends on the board
    graph = dependency_graph(data["dependencies"], data["actors"])
    n = graph.number_of_nodes()
    raw = nx.betweenness_centrality(graph, normalized=False)
    assert raw["board"] == 0
    text = block("openai-board")
    assert "| the board | 0 | 0 | the lab and the CEO |" in text
    for actor, shown in [("openai", "the lab"), ("microsoft", "Microsoft"), ("ceo", "the CEO")]:
        normalized, share = raw[actor] / ((n - 1) * (n - 2)), raw[actor] / sum(raw.values())
        assert f"| {shown} | {normalized:.3g} | {share:.3f} |" in text
    # without the CEO's dependency on Microsoft's offer, the CEO is on no shortest path
    graph.remove_edge("ceo", "microsoft")
    without = nx.betweenness_centrality(graph, normalized=False)
    assert without["ceo"] == 0 and "the CEO's power would be **0**" in text
    assert f"the lab's share {without['openai'] / sum(without.values()):.3f}" in text


@pytest.mark.parametrize("paths", ["routed", "hub"])
def test_ai_stack_power_shares_against_brute_force_on_the_records_graph(paths):
    net = dp.examples.load("ai-stack")
    graph = records_graph(net, paths=paths)
    raw = brute_force_power(net, shortest_paths(graph, list(net.actors.index), None), directed=True, normalized=False)
    groups = controlled_sets(net)
    top = [a for a in net.actors.index if not any(a in groups[b] for b in net.actors.index if b != a)]
    share = {a: raw[a] / sum(raw[b] for b in top) for a in net.actors.index}
    owners = sum(share[a] for a in ["amazon", "microsoft", "google"])
    labs = sum(share[a] for a in ["openai", "anthropic", "mistral"])
    text = block("ai-stack")
    if paths == "routed":
        assert f"Their power shares add up to **{owners:.3f}**" in text
        assert f"the labs' to **{labs:.3f}**" in text
    else:
        assert f"*Changed from the hub graph* (owners {owners:.3f}: Microsoft {share['microsoft']:.3f}" in text
        assert f"labs {labs:.3f}" in text
