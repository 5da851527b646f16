"""The explorer's web app through Starlette's TestClient: token, hosts, refused edits, escaping, exports."""

from __future__ import annotations

import json

import pytest
from starlette.testclient import TestClient

import dependencia as dp
from dependencia.explore.app import explorer_app
from dependencia.explore.state import Explorer
from dependencia.explore.view import View

TOKEN = "t0ken-for-tests"


def _client(network, **kwargs) -> tuple[TestClient, Explorer]:
    explorer = Explorer(network, **kwargs)
    return TestClient(explorer_app(View(explorer), token=TOKEN), base_url="http://127.0.0.1"), explorer


@pytest.fixture()
def client():
    return _client(dp.examples.load("ai-stack"), source="ai-stack")


@pytest.mark.parametrize("method, path", [("GET", "/"), ("GET", "/api/state"), ("POST", "/api/edit"),
                                          ("POST", "/api/undo"), ("GET", "/api/export/model")])
def test_every_request_needs_the_token(client, method, path):
    http, explorer = client
    assert http.request(method, path).status_code == 403
    assert http.request(method, path + "?token=wrong", headers={"X-Dependencia-Token": "wrong"}).status_code == 403
    assert explorer.position == 0


def test_the_token_in_the_query_or_the_header_is_accepted(client):
    http, _ = client
    assert http.get(f"/api/state?token={TOKEN}").status_code == 200
    assert http.get("/api/state", headers={"X-Dependencia-Token": TOKEN}).status_code == 200


def test_another_host_name_is_refused(client):
    http, _ = client
    assert http.get(f"/api/state?token={TOKEN}", headers={"Host": "attacker.example"}).status_code == 400


def test_an_edit_answers_with_whatifs_values(client):
    http, explorer = client
    answer = http.post("/api/edit", json={"op": "remove", "id": "azure"}, headers={"X-Dependencia-Token": TOKEN})
    assert answer.status_code == 200
    shown = {row["id"]: row for row in answer.json()["table"]}
    oracle = dp.whatif(explorer.start, remove=["azure"]).actors
    for actor, row in oracle.iterrows():
        assert shown[actor]["power_after"] == pytest.approx(row["power_after"], abs=1e-12)
        assert shown[actor]["change"] == pytest.approx(row["change"], abs=1e-12)
    assert answer.json()["history"] == ["remove azure"] and answer.json()["changes"][0]["id"] == "microsoft"


def test_a_refused_edit_answers_400_with_the_models_message_and_changes_nothing(client):
    http, explorer = client
    headers = {"X-Dependencia-Token": TOKEN}
    before = http.get("/api/state", headers=headers).json()
    for spec, message in [({"op": "remove", "id": "nowhere"}, "no actor or infrastructure has that id"),
                          ({"op": "reroute", "dependent": "openai", "provider": "nvidia", "dimension": "compute",
                            "via": ["moon"]}, "no infrastructure 'moon'")]:
        answer = http.post("/api/edit", json=spec, headers=headers)
        assert answer.status_code == 400 and message in answer.json()["error"]
    assert http.post("/api/edit", content=b"{not json", headers=headers).status_code == 400
    assert http.post("/api/undo", headers=headers).json() == {"error": "nothing to undo"}
    assert http.get("/api/state", headers=headers).json() == before
    assert explorer.network is explorer.start


def test_undo_answers_the_start_state(client):
    http, _ = client
    headers = {"X-Dependencia-Token": TOKEN}
    start = http.get("/api/state", headers=headers).json()
    http.post("/api/edit", json={"op": "remove", "id": "azure"}, headers=headers)
    undone = http.post("/api/undo", headers=headers).json()
    assert undone["table"] == start["table"] and undone["graph"] == start["graph"]
    assert undone["history"] == ["remove azure"] and undone["can_redo"]


def test_the_page_has_a_policy_that_allows_no_other_origin(client):
    http, _ = client
    answer = http.get(f"/?token={TOKEN}")
    policy = answer.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy
    assert "http" not in policy.replace("'self'", "")  # no outside origin named
    assert answer.headers["x-frame-options"] == "DENY"


def test_hostile_ids_travel_escaped(hostile_network, hostile_ids):
    http, _ = _client(hostile_network)
    raw = http.get(f"/api/state?token={TOKEN}").text
    assert "<" not in raw and ">" not in raw and "&" not in raw
    ids = json.loads(raw)["fixed"]["nodes"]["id"]
    assert set(hostile_ids[:2]) <= set(ids)


def test_exports(client, tmp_path):
    http, explorer = client
    headers = {"X-Dependencia-Token": TOKEN}
    http.post("/api/edit", json={"op": "remove", "id": "azure"}, headers=headers)
    model = http.get("/api/export/model", headers=headers)
    assert model.headers["content-disposition"] == 'attachment; filename="network.yaml"'
    (tmp_path / "n.yaml").write_bytes(model.content)
    assert dp.read(tmp_path / "n.yaml").equals(explorer.network)
    assert "remove_nodes(net, ['azure'])" in http.get("/api/export/python", headers=headers).text
    assert http.get("/api/export/cli", headers=headers).text.endswith("dependencia whatif ai-stack --remove azure\n")
    report = http.get("/api/export/report", headers=headers).text
    assert report.startswith("<!DOCTYPE html>") and "azure" not in json.loads(
        report.split('id="report-data">')[1].split("</script>")[0])["panels"][0]["graph"]["nodes"]["id"]


def test_the_panels_on_request(client):
    http, explorer = client
    headers = {"X-Dependencia-Token": TOKEN}
    rents = http.get("/api/panel/rents", headers=headers).json()
    oracle = dp.rents(explorer.network).actors
    assert {row["id"]: row["income"] for row in rents["rows"]} == pytest.approx(oracle["income"].to_dict(), abs=1e-9)
    measures = http.get("/api/panel/measures", headers=headers).json()
    assert "pagerank" in measures["columns"] and len(measures["rows"]) == explorer.network.n_actors
    assert http.get("/api/panel/nothing", headers=headers).status_code == 400
