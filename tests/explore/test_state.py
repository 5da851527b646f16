"""The explorer's state without a server: edits against dp.whatif and dp.power, undo, redo, restore, exports."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import dependencia as dp
from dependencia.errors import InputError, UsageError
from dependencia.explore.state import Explorer
from dependencia.simulation.policies import interoperable


@pytest.fixture()
def explorer() -> Explorer:
    return Explorer(dp.examples.load("ai-stack"), source="ai-stack")


def _same_power(table: pd.DataFrame, oracle: pd.DataFrame) -> None:
    columns = ["power_before", "power_after", "change", "share_before", "share_after"]
    pd.testing.assert_frame_equal(table[columns], oracle[columns], check_exact=False, rtol=0, atol=1e-12)


def test_removing_azure_changes_power_as_whatif_says(explorer):
    explorer.apply({"op": "remove", "id": "azure"})
    _same_power(explorer.changes(), dp.whatif(explorer.start, remove=["azure"]).actors)
    assert explorer.changes()["change"].abs().max() > 0.01  # the removal moves power: the test can fail


def test_dependency_edits_match_whatif(explorer):
    explorer.apply({"op": "remove_dependency", "dependent": "openai", "provider": "microsoft", "dimension": "capital"})
    explorer.apply({"op": "add_dependency", "dependent": "mistral", "provider": "google", "dimension": "compute",
                    "via": ["gcp"]})
    oracle = dp.whatif(explorer.start, remove_dependencies=[("openai", "microsoft", "capital")],
                       add_dependencies=[{"dependent": "mistral", "provider": "google", "dimension": "compute",
                                          "via": ["gcp"]}])
    _same_power(explorer.changes(), oracle.actors)


def test_undo_restores_the_start_exactly_and_redo_the_edit(explorer):
    start_power = explorer.power().copy()
    explorer.apply({"op": "remove", "id": "azure"})
    after = explorer.network
    explorer.undo()
    assert explorer.network.equals(explorer.start)
    pd.testing.assert_frame_equal(explorer.power(), start_power)
    assert (explorer.changes()["change"] == 0).all()
    explorer.redo()
    assert explorer.network is after
    assert explorer.history() == ["remove azure"]


def test_a_new_edit_after_undo_drops_the_redo_tail(explorer):
    explorer.apply({"op": "remove", "id": "azure"}).undo().apply({"op": "remove", "id": "aws"})
    assert explorer.history(all_steps=True) == ["remove aws"]
    with pytest.raises(UsageError, match="nothing to redo"):
        explorer.redo()


def test_restore_brings_a_node_back_wherever_it_was_removed(explorer):
    explorer.apply({"op": "remove", "id": "azure"}).apply({"op": "remove", "id": "aws"})
    explorer.apply({"op": "restore", "id": "azure"})
    assert explorer.network.equals(dp.edits.remove_nodes(explorer.start, ["aws"]).network)
    assert explorer.history() == ["remove azure", "remove aws", "restore azure"]
    with pytest.raises(UsageError, match="it is in the network"):
        explorer.apply({"op": "restore", "id": "azure"})


@pytest.mark.parametrize("spec, message", [
    ({"op": "remove", "id": "nowhere"}, "no actor or infrastructure has that id"),
    ({"op": "reroute", "dependent": "openai", "provider": "nvidia", "dimension": "compute", "via": ["moon"]},
     "no infrastructure 'moon'"),
    ({"op": "add_dependency", "dependent": "openai", "provider": "nobody", "dimension": "compute"}, "nobody"),
    ({"op": "transfer", "infrastructure": "azure", "owner": "nobody"}, "nobody"),
    ({"op": "transit", "infrastructure": "azure", "transit": "ajar"}, "transit is one of"),
    ({"op": "explode"}, "unknown edit"),
    ({"op": "remove"}, "needs the field 'id'"),
])
def test_a_refused_edit_leaves_the_state_unchanged(explorer, spec, message):
    explorer.apply({"op": "remove", "id": "gcp"})
    before = explorer.network
    with pytest.raises((UsageError, InputError), match=message):
        explorer.apply(spec)
    assert explorer.network is before and explorer.history() == ["remove gcp"]


def test_reroute_transfer_transit_and_interoperability_are_the_edit_apis(explorer):
    start = explorer.start
    rows = np.flatnonzero(((start.dependencies["dependent"] == "openai") & (start.dependencies["provider"] == "nvidia")
                           ).to_numpy()).tolist()
    expected = dp.edits.reroute(start, rows, ["aws"]).network
    expected = dp.edits.transfer_ownership(expected, "azure", "amazon").network
    expected = dp.edits.set_transit(expected, "gcp", "open").network
    expected = interoperable(expected, "amazon")
    explorer.apply({"op": "reroute", "dependent": "openai", "provider": "nvidia", "dimension": "compute", "via": ["aws"]})
    explorer.apply({"op": "transfer", "infrastructure": "azure", "owner": "amazon"})
    explorer.apply({"op": "transit", "infrastructure": "gcp", "transit": "open"})
    explorer.apply({"op": "interoperate", "actor": "amazon"})
    assert explorer.network.equals(expected)
    assert explorer.network.infrastructures.at["azure", "owner"] == "amazon"
    assert len(explorer.network.dependencies) > len(start.dependencies)  # interoperability added alternatives
    pd.testing.assert_frame_equal(explorer.power(), dp.power(expected)[explorer.power().columns])


def test_the_model_file_reads_back_as_the_edited_network(explorer, tmp_path):
    explorer.apply({"op": "remove", "id": "azure"}).apply({"op": "transfer", "infrastructure": "aws", "owner": "google"})
    path = tmp_path / "edited.yaml"
    path.write_text(explorer.model_file(), encoding="utf-8")
    assert dp.read(path).equals(explorer.network)


def test_the_python_script_makes_the_same_network(explorer):
    explorer.apply({"op": "remove", "id": "azure"}).apply({"op": "remove", "id": "aws"})
    explorer.apply({"op": "restore", "id": "azure"})
    explorer.apply({"op": "reroute", "dependent": "openai", "provider": "nvidia", "dimension": "compute", "via": ["gcp"]})
    explorer.apply({"op": "interoperate", "actor": "google"})
    script = explorer.python_script()
    assert "'aws'" in script and "remove_nodes(net, ['azure'])" not in script  # the undone removal is left out
    namespace: dict = {}
    exec(compile(script.replace("print(", "(lambda *a: None)("), "edits.py", "exec"), namespace)
    assert namespace["net"].equals(explorer.network)


def test_the_whatif_command_says_the_same_edits(explorer):
    explorer.apply({"op": "remove", "id": "azure"})
    explorer.apply({"op": "add_dependency", "dependent": "mistral", "provider": "google", "dimension": "compute",
                    "via": ["gcp"]})
    assert explorer.cli_script().splitlines()[-1] == (
        "dependencia whatif ai-stack --remove azure --add-dependency mistral:google:compute:gcp")
    explorer.apply({"op": "transit", "infrastructure": "gcp", "transit": "open"})
    with pytest.raises(UsageError, match="export the Python script"):
        explorer.cli_script()
