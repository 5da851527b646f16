"""The narratives' findings are written from their experiments' stored results, never typed (issue 17).

For every experiment spec under ``src/dependencia/data/scenarios/experiments/``: the
results stored in ``docs/results/NAME/`` ran that very spec, their effects
follow from the stored per-seed differences' rules (interval around the
mean), and the narrative's findings block is exactly what
``scripts/write_narratives.py`` renders from them (the bypass experiment's
block in the debt brake's narrative, beside the brake's own).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
SPECS = sorted((ROOT / "src" / "dependencia" / "data" / "scenarios" / "experiments").glob("*.yaml"))


def _writer():
    spec = importlib.util.spec_from_file_location("write_narratives", ROOT / "scripts" / "write_narratives.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_there_are_experiments():
    assert SPECS, "no experiment spec under the scenarios' folder"


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_stored_results_ran_the_current_spec(spec):
    stored = ROOT / "docs" / "results" / spec.stem / "spec.yaml"
    assert stored.read_bytes() == spec.read_bytes(), f"rerun: python scripts/write_narratives.py --run {spec.stem}"


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_stored_effects_are_consistent(spec):
    effects = pd.read_csv(ROOT / "docs" / "results" / spec.stem / "effects.csv")
    assert len(effects) > 0
    assert (effects["low"] <= effects["mean"]).all() and (effects["mean"] <= effects["high"]).all()
    shares = effects["share_positive"] + effects["share_negative"] + effects["share_zero"]
    assert shares.round(12).eq(1.0).all()
    assert (effects["mean"] - (effects["treatment_mean"] - effects["control_mean"])).abs().max() < 1e-9


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_narrative_findings_are_rendered_from_the_results(spec):
    writer = _writer()
    path = writer.narrative_path(spec.stem)
    assert path.parent == ROOT / "src" / "dependencia" / "data" / "scenarios"
    block = writer.render(spec.stem)
    assert block.startswith(writer.begin(spec.stem)) and block in path.read_text(), \
        f"rerun: python scripts/write_narratives.py {spec.stem}"


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_stored_effects_follow_from_the_stored_differences(spec):
    folder = ROOT / "docs" / "results" / spec.stem
    assert (folder / "differences.csv").exists(), f"rerun: python scripts/write_narratives.py --run {spec.stem}"
    effects = pd.read_csv(folder / "effects.csv").set_index("metric")
    differences = pd.read_csv(folder / "differences.csv")
    for metric, rows in differences.groupby("metric"):
        values = rows["difference"].dropna()
        assert effects.loc[metric, "n"] == len(values)
        assert abs(effects.loc[metric, "mean"] - values.mean()) < 1e-12
        assert abs(effects.loc[metric, "median"] - values.median()) < 1e-12
        assert abs(effects.loc[metric, "share_positive"] - (values > 0).mean()) < 1e-12
        assert abs(effects.loc[metric, "share_negative"] - (values < 0).mean()) < 1e-12
    assert set(differences["metric"]) == set(effects.index)


def test_each_narrative_block_opens_once():
    """Two experiments writing into one narrative (the debt brake and its bypass) each have one block of their own."""
    writer = _writer()
    for spec in SPECS:
        text = writer.narrative_path(spec.stem).read_text()
        assert text.count(writer.begin(spec.stem) + "\n") == 1, spec.stem
    blocks = [(writer.narrative_path(spec.stem), writer.begin(spec.stem)) for spec in SPECS]
    assert len(set(blocks)) == len(blocks)  # no two experiments write the same block
