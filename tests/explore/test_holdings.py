"""Holdings between actors: dp.edits.set_holding and the explorer's "holding" edit, against networks built directly."""

from __future__ import annotations

import pandas as pd
import pytest
from starlette.testclient import TestClient

import dependencia as dp
from dependencia.errors import InputError, UsageError
from dependencia.explore.app import explorer_app
from dependencia.explore.state import Explorer
from dependencia.explore.view import View

TOKEN = "holdings-token"


@pytest.fixture()
def start() -> dp.Network:
    return dp.examples.load("ai-stack")  # one holding: microsoft holds all of github


def _with_holdings(net: dp.Network, rows: list[tuple[str, str, float]]) -> dp.Network:
    """The same network with exactly these holdings, built directly (the oracle of the edits)."""
    return dp.Network(net.actors, net.dependencies, dimensions=net.dimensions, needs=net.needs,
                      infrastructures=net.infrastructures, authority=net.authority,
                      ownership=pd.DataFrame(rows, columns=["owner", "owned", "share"]))


def test_a_new_holding_is_the_network_built_with_it_and_moves_power(start):
    assert start.ownership[["owner", "owned", "share"]].values.tolist() == [["microsoft", "github", 1.0]]
    edited = dp.edits.set_holding(start, "amazon", "openai", 0.6).network
    oracle = _with_holdings(start, [("microsoft", "github", 1.0), ("amazon", "openai", 0.6)])
    assert edited.equals(oracle)
    pd.testing.assert_frame_equal(dp.power(edited), dp.power(oracle))
    # amazon now controls openai: its power is the group betweenness of both (the test can fail)
    assert sorted(edited.controls("amazon")) == sorted(["amazon", "openai", "aws"])
    assert dp.power(edited).at["amazon", "power"] > dp.power(start).at["amazon", "power"]


def test_changing_and_selling_a_holding(start):
    cut = dp.edits.set_holding(start, "microsoft", "github", 0.4).network
    assert cut.equals(_with_holdings(start, [("microsoft", "github", 0.4)]))
    assert "github" not in cut.controls("microsoft")  # 40% is no majority
    sold = dp.edits.set_holding(start, "microsoft", "github", 0).network
    assert sold.equals(_with_holdings(start, []))
    pd.testing.assert_frame_equal(dp.power(sold), dp.power(_with_holdings(start, [])))


def test_repeated_records_of_a_pair_become_one(start):
    twice = _with_holdings(start, [("amazon", "openai", 0.2), ("bank", "openai", 0.1), ("amazon", "openai", 0.3)])
    edited = dp.edits.set_holding(twice, "amazon", "openai", 0.7).network
    assert edited.equals(_with_holdings(start, [("amazon", "openai", 0.7), ("bank", "openai", 0.1)]))


@pytest.mark.parametrize("owner, owned, share, error, message", [
    ("microsoft", "openai", 0.5, None, None),  # fine alone; refused below after amazon's 60%
    ("nobody", "openai", 0.5, UsageError, "owner 'nobody': no such actor"),
    ("amazon", "azure", 0.5, UsageError, "owned 'azure': an infrastructure, not an actor"),
    ("amazon", "amazon", 0.5, UsageError, "cannot own shares of itself"),
    ("amazon", "openai", 1.5, InputError, "share must be > 0 and <= 1, got 1.5"),
    ("amazon", "openai", "half", UsageError, "the share is a number"),
    ("bank", "openai", 0, UsageError, "it holds no share of it"),
])
def test_refusals_carry_the_models_message(start, owner, owned, share, error, message):
    if error is None:
        with_amazon = dp.edits.set_holding(start, "amazon", "openai", 0.6).network
        with pytest.raises(InputError) as refused:
            dp.edits.set_holding(with_amazon, owner, owned, share)
        assert str(refused.value) == ("holding of 'microsoft' in 'openai', share: "
                                      "the shares held in 'openai' sum to 1.1, more than 1")
        return
    with pytest.raises(error, match=message):
        dp.edits.set_holding(start, owner, owned, share)


def test_two_actors_that_would_control_each_other_are_refused(start):
    half = dp.edits.set_holding(start, "amazon", "openai", 0.6).network
    with pytest.raises(InputError, match="amazon|openai"):
        dp.edits.set_holding(half, "openai", "amazon", 0.6)


def test_the_explorer_edit_matches_the_oracle_undoes_and_scripts(start):
    explorer = Explorer(start, source="ai-stack")
    explorer.apply({"op": "holding", "owner": "amazon", "owned": "openai", "share": "0.6"})
    oracle = _with_holdings(start, [("microsoft", "github", 1.0), ("amazon", "openai", 0.6)])
    after = dp.power(oracle)["power"]
    table = explorer.changes()
    assert table["power_after"].to_dict() == pytest.approx(after.to_dict(), abs=1e-12)
    assert table.at["amazon", "change"] > 0.01
    assert explorer.history() == ["amazon holds 0.6 of openai"]
    namespace: dict = {}
    exec(compile(explorer.python_script().replace("print(", "(lambda *a: None)("), "edits.py", "exec"), namespace)
    assert namespace["net"].equals(oracle)
    explorer.undo()
    assert explorer.network.equals(start)


def test_over_100_percent_is_refused_in_the_app_and_the_state_is_unchanged(start):
    explorer = Explorer(start)
    http = TestClient(explorer_app(View(explorer), token=TOKEN), base_url="http://127.0.0.1")
    headers = {"X-Dependencia-Token": TOKEN}
    assert http.post("/api/edit", json={"op": "holding", "owner": "amazon", "owned": "openai", "share": 0.6},
                     headers=headers).status_code == 200
    before, network = http.get("/api/state", headers=headers).json(), explorer.network
    answer = http.post("/api/edit", json={"op": "holding", "owner": "microsoft", "owned": "openai", "share": "0.5"},
                       headers=headers)
    assert answer.status_code == 400
    assert answer.json()["error"] == ("holding of 'microsoft' in 'openai', share: "
                                      "the shares held in 'openai' sum to 1.1, more than 1")
    assert http.get("/api/state", headers=headers).json() == before and explorer.network is network
