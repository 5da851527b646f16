"""The stored experiment results can be reproduced: a few seeds rerun give the stored per-seed differences (slow).

For every experiment spec whose results in ``docs/results/NAME/`` hold the
per-seed ``differences.csv``, the first three seeds of the main comparison
(both arms, no sensitivity design) are run again from the spec, and their
treatment-minus-control differences must equal the stored ones. A narrative
number that no rerun could give back fails here.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

import dependencia as dp

ROOT = Path(__file__).resolve().parents[2]
SPECS = sorted((ROOT / "src" / "dependencia" / "data" / "scenarios" / "experiments").glob("*.yaml"))
STORED = [spec for spec in SPECS if (ROOT / "docs" / "results" / spec.stem / "differences.csv").exists()]
SEEDS = [1, 2, 3]
pytestmark = pytest.mark.slow


def test_every_experiment_stores_its_differences():
    assert STORED == SPECS, "rerun: python scripts/write_narratives.py --run NAME"


@pytest.mark.parametrize("spec", STORED, ids=lambda p: p.stem)
def test_a_rerun_of_three_seeds_gives_the_stored_differences(spec, tmp_path):
    document = yaml.safe_load(spec.read_text())
    document.pop("sensitivity", None)
    document["seeds"] = SEEDS
    result = dp.experiment(document, out=tmp_path / "out", workers=1)
    stored = pd.read_csv(ROOT / "docs" / "results" / spec.stem / "differences.csv")
    stored = stored[stored["control_seed"].isin(SEEDS)].set_index(["metric", "control_seed"])["difference"]
    rerun = result.differences.set_index(["metric", "control_seed"])["difference"]
    assert len(rerun) == len(SEEDS) * len(document["metrics"])
    pd.testing.assert_series_equal(rerun.sort_index(), stored.sort_index(), check_exact=False, rtol=1e-12, atol=1e-12)
