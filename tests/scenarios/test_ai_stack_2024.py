"""The sourced AI stack (issue 18, item 4): every relation sourced, and its narrative generated.

Every dependency, holding and authority relation of ``ai-stack-2024`` carries a
citation and a retrieval note; a strength other than 1 appears only where the
citation gives a figure (a citation without one says "No figure"); the
citations survive the CSV bundle and model file round trips; the network
reads with no warning; and the findings block of ``ai-stack-2024.md`` is
exactly what ``scripts/ai_stack_2024_findings.py`` renders.
"""

from __future__ import annotations

import importlib.util
import re
import warnings
from pathlib import Path

import pytest

import dependencia as dp
from dependencia.io import read, write

ROOT = Path(__file__).resolve().parents[2]
NAME = "ai-stack-2024"
TABLES = ("dependencies", "ownership", "authority")


@pytest.fixture(scope="module")
def net() -> dp.Network:
    return dp.examples.load(NAME)


def _script():
    spec = importlib.util.spec_from_file_location("ai_stack_2024_findings",
                                                  ROOT / "scripts" / "ai_stack_2024_findings.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("table", TABLES)
def test_every_relation_has_a_citation_and_a_retrieval_note(net, table):
    frame = getattr(net, table)
    assert len(frame) > 0
    for column in ("citation", "retrieved"):
        assert column in frame.columns, f"{table} has no {column} column"
        cells = frame[column]
        assert cells.notna().all() and (cells.astype(str).str.strip() != "").all(), f"{table}: a {column} is empty"
    # a citation of a page names its address, or points to one named above it or to docs/calibration.md
    for text in frame["citation"]:
        assert re.search(r"https://|address above|docs/calibration\.md", text), text


def test_a_strength_is_a_figure_only_where_the_citation_gives_one(net):
    deps = net.dependencies
    no_figure = deps["citation"].str.contains("No figure")
    assert (deps.loc[no_figure, "strength"] == 1.0).all()
    assert (deps.loc[~no_figure, "strength"] != 1.0).all()
    assert no_figure.any() and (~no_figure).any()


def test_reads_with_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read(dp.examples.path(NAME), strict=True)


@pytest.mark.parametrize("target", ["bundle", "net.json", "net.yaml"])
def test_citations_survive_the_round_trip(net, tmp_path, target):
    path = tmp_path / target
    assert write(net, path) == []
    back = read(path)
    for table in TABLES:
        for column in ("citation", "retrieved"):
            assert getattr(back, table)[column].tolist() == getattr(net, table)[column].tolist()


def test_the_narrative_block_is_generated():
    module = _script()
    text = module.NARRATIVE.read_text(encoding="utf-8")
    assert module.replaced(text, module.render()) == text, "run: python scripts/ai_stack_2024_findings.py"

