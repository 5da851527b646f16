"""The explorer in a real browser: the server on 127.0.0.1, Playwright driving Debian's Chromium.

Skipped with a reason when Playwright or Chromium is missing, unless
``DEPENDENCIA_REQUIRE_BROWSER=1`` (``.ci/run``), where that fails. Screenshots
go to ``DEPENDENCIA_SCREENSHOTS`` when set (docs/img for docs/explore.md), else
to the test's temporary folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dependencia as dp
from dependencia.explore.server import start
from dependencia.explore.state import Explorer
from dependencia.explore.view import View


@pytest.fixture()
def served():
    running = start(View(Explorer(dp.examples.load("ai-stack"), source="ai-stack"), label="ai-stack"))
    yield running
    running.stop()


class Session:
    """The explorer's page, recording every request, console error, page error and dialog."""

    def __init__(self, browser, url: str):
        self.origin = url.split("/?")[0] + "/"
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1500, "height": 1100})
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.version = 0
        self.page.goto(url)
        self.wait()

    def wait(self) -> None:
        self.version += 1
        self.page.wait_for_selector(f"body[data-version='{self.version}'][data-ready=true]", timeout=60_000)

    def edit(self, field: str, value: str, button: str) -> None:
        self.page.fill(field, value)
        self.page.click(button)
        self.wait()

    def shown(self, column: str) -> dict[str, float | None]:
        """The table's values of ``column`` by actor id (None: no value)."""
        cells = self.page.eval_on_selector_all(
            "#power-table tbody tr", f"rows => rows.map(r => [r.getAttribute('data-id'), "
            f"r.querySelector('td[data-column={column}]').getAttribute('data-value')])")
        return {actor: float(value) if value else None for actor, value in cells}

    def shot(self, name: str, tmp_path: Path) -> None:
        folder = Path(os.environ.get("DEPENDENCIA_SCREENSHOTS") or tmp_path)
        folder.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    def clean(self) -> None:
        assert self.errors == [] and self.dialogs == [], (self.errors, self.dialogs)
        outside = [url for url in self.requests if not url.startswith(self.origin)]
        assert outside == [], outside


def test_removing_azure_in_the_page_shows_whatifs_values_and_undo_the_start(browser, served, tmp_path):
    session = Session(browser, served.url)
    start = session.shown("power_after")
    session.shot("explore-start", tmp_path)
    session.edit("#node", "azure", "#remove")
    oracle = dp.whatif(dp.examples.load("ai-stack"), remove=["azure"]).actors
    shown, change = session.shown("power_after"), session.shown("change")
    assert set(shown) == set(oracle.index)
    for actor, row in oracle.iterrows():
        assert shown[actor] == pytest.approx(row["power_after"], abs=1e-11)
        assert change[actor] == pytest.approx(row["change"], abs=1e-11)
    listed = session.page.eval_on_selector_all("#changes li", "items => items.map(i => i.getAttribute('data-id'))")
    assert listed == [a for a in oracle["change"].abs().sort_values(ascending=False, kind="stable").index
                      if abs(oracle.at[a, "change"]) > 1e-12]
    assert session.page.text_content("#history li") == "remove azure"
    session.shot("explore-azure-removed", tmp_path)
    session.page.click("#undo")
    session.wait()
    assert session.shown("power_after") == start
    assert all(value == 0 for value in session.shown("change").values())
    assert session.page.eval_on_selector("#history li", "li => li.className") == "undone"
    session.clean()


def test_a_refused_edit_shows_the_models_message_and_changes_nothing(browser, served):
    session = Session(browser, served.url)
    before = session.shown("power_after")
    session.page.fill("#node", "nowhere")
    session.page.click("#remove")
    session.page.wait_for_selector("#error:not(:empty)")
    assert "cannot remove 'nowhere': no actor or infrastructure has that id" in session.page.text_content("#error")
    assert session.shown("power_after") == before and session.page.query_selector("#history li") is None
    assert session.errors == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]
    session.errors.clear()  # Chromium logs the refusal's status; the page shows the message
    session.clean()


def test_the_page_needs_the_token(browser, served):
    page = browser.new_page()
    answer = page.goto(served.url.split("?")[0])
    assert answer.status == 403
    page.close()


def test_hostile_ids_stay_inert(browser, hostile_network, hostile_ids):
    running = start(View(Explorer(hostile_network)))
    try:
        session = Session(browser, running.url)
        session.edit("#node", hostile_ids[1], "#remove")
        assert session.page.evaluate("window.pwned") is None
        assert hostile_ids[0] in session.shown("power_after")
        assert hostile_ids[1] in session.page.text_content("#history")
        session.clean()
    finally:
        running.stop()


def _oracle_table(start: dp.Network, edited: dp.Network) -> pd.DataFrame:
    """Every actor's power now and its change against the start, computed directly with dp.power."""
    before, after = dp.power(start)["power"], dp.power(edited)["power"]
    return pd.DataFrame({"power_after": after, "change": after - before.reindex(after.index)})


def _shows(session: Session, start: dp.Network, edited: dp.Network) -> None:
    oracle = _oracle_table(start, edited)
    shown, change = session.shown("power_after"), session.shown("change")
    for actor, row in oracle.iterrows():
        assert shown[actor] == pytest.approx(row["power_after"], abs=1e-11), actor
        assert change[actor] == pytest.approx(row["change"], abs=1e-11), actor


def _rows(net: dp.Network, dependent: str, provider: str, dimension: str) -> list[int]:
    deps = net.dependencies
    match = (deps["dependent"] == dependent) & (deps["provider"] == provider) & (deps["dimension"] == dimension)
    return match.to_numpy().nonzero()[0].tolist()


def test_the_dependency_transfer_and_transit_forms_edit_as_the_edit_api(browser, served):
    session = Session(browser, served.url)
    start = net = dp.examples.load("ai-stack")
    page = session.page
    page.fill("#dep-dependent", "mistral")
    page.fill("#dep-provider", "google")
    page.select_option("#dep-dimension", "compute")
    page.fill("#dep-via", "gcp")
    page.click("#add-dependency")
    session.wait()
    net = dp.edits.add_dependencies(net, [{"dependent": "mistral", "provider": "google", "dimension": "compute",
                                           "via": ["gcp"]}]).network
    _shows(session, start, net)
    page.fill("#dep-dependent", "openai")
    page.fill("#dep-provider", "microsoft")
    page.select_option("#dep-dimension", "capital")
    page.click("#remove-dependency")
    session.wait()
    net = dp.edits.remove_dependencies(net, [("openai", "microsoft", "capital")]).network
    _shows(session, start, net)
    page.fill("#dep-dependent", "openai")
    page.fill("#dep-provider", "nvidia")
    page.select_option("#dep-dimension", "compute")
    page.fill("#dep-via", "aws")
    page.click("#reroute")
    session.wait()
    net = dp.edits.reroute(net, _rows(net, "openai", "nvidia", "compute"), ["aws"]).network
    _shows(session, start, net)
    page.fill("#transfer-infrastructure", "azure")
    page.fill("#transfer-owner", "amazon")
    page.click("#transfer")
    session.wait()
    net = dp.edits.transfer_ownership(net, "azure", "amazon").network
    _shows(session, start, net)
    page.fill("#transit-infrastructure", "gcp")
    page.select_option("#transit-value", "open")
    page.click("#transit")
    session.wait()
    net = dp.edits.set_transit(net, "gcp", "open").network
    _shows(session, start, net)
    assert page.eval_on_selector_all("#history li", "items => items.map(i => i.textContent)") == [
        "add mistral -> google (compute) via gcp", "remove openai -> microsoft (capital)",
        "reroute openai -> nvidia (compute) via aws", "transfer azure to amazon", "gcp: open transit"]
    session.clean()


def test_the_ownership_form_moves_power_and_over_100_percent_is_refused(browser, served):
    session = Session(browser, served.url)
    start = dp.examples.load("ai-stack")
    page = session.page
    page.fill("#hold-owner", "amazon")
    page.fill("#hold-owned", "openai")
    page.fill("#hold-share", "0.6")
    page.click("#hold")
    session.wait()
    oracle = dp.Network(start.actors, start.dependencies, dimensions=start.dimensions, needs=start.needs,
                        infrastructures=start.infrastructures, authority=start.authority,
                        ownership=pd.DataFrame([("microsoft", "github", 1.0), ("amazon", "openai", 0.6)],
                                               columns=["owner", "owned", "share"]))
    _shows(session, start, oracle)
    assert session.shown("change")["amazon"] > 0.01  # control of openai moves power: the test can fail
    before = session.shown("power_after")
    page.fill("#hold-owner", "microsoft")
    page.fill("#hold-share", "0.5")
    page.click("#hold")
    page.wait_for_selector("#error:not(:empty)")
    assert page.text_content("#error") == ("holding of 'microsoft' in 'openai', share: "
                                           "the shares held in 'openai' sum to 1.1, more than 1")
    assert session.shown("power_after") == before
    assert page.eval_on_selector_all("#history li", "items => items.map(i => i.textContent)") == [
        "amazon holds 0.6 of openai"]
    session.errors.remove("Failed to load resource: the server responded with a status of 400 (Bad Request)")
    session.clean()


def test_the_export_links_download_the_edited_network_and_every_actors_power(browser, served, tmp_path):
    session = Session(browser, served.url)
    session.edit("#node", "azure", "#remove")
    edited = dp.edits.remove_nodes(dp.examples.load("ai-stack"), ["azure"]).network
    with session.page.expect_download() as info:
        session.page.click("#export-model")
    info.value.save_as(tmp_path / "network.yaml")
    assert info.value.suggested_filename == "network.yaml"
    assert dp.read(tmp_path / "network.yaml").equals(edited)
    with session.page.expect_download() as info:
        session.page.click("#export-table")
    info.value.save_as(tmp_path / "power.csv")
    table = pd.read_csv(tmp_path / "power.csv", index_col="id")
    oracle = dp.whatif(dp.examples.load("ai-stack"), remove=["azure"]).actors
    assert table["power_after"].to_dict() == pytest.approx(oracle["power_after"].to_dict(), abs=1e-12)
    session.clean()


def _panel_shown(session: Session, name: str) -> dict[str, dict[str, float]]:
    cells = session.page.eval_on_selector_all(
        f"#panel-{name} tbody td[data-value]:not([data-value=''])",
        "cells => cells.map(c => [c.parentElement.getAttribute('data-id'), c.getAttribute('data-column'), "
        "c.getAttribute('data-value')])")
    shown: dict[str, dict[str, float]] = {}
    for actor, column, value in cells:
        shown.setdefault(column, {})[actor] = float(value)
    return shown


def test_the_panel_buttons_show_rents_and_measures_of_the_network_now(browser, served):
    session = Session(browser, served.url)
    session.edit("#node", "azure", "#remove")
    edited = dp.edits.remove_nodes(dp.examples.load("ai-stack"), ["azure"]).network
    session.page.click("#show-rents")
    session.page.wait_for_selector("#panel-rents")
    rents = dp.rents(edited).actors
    shown = _panel_shown(session, "rents")
    for column in ("income", "spending", "net", "power_share", "income_share", "latent_power"):
        expected = rents[column].dropna().to_dict()
        assert shown.get(column, {}) == pytest.approx(expected, rel=1e-10, abs=1e-12), column
    assert rents["income"].abs().max() > 0  # the rents are not all zero: the comparison can fail
    session.page.click("#show-measures")
    session.page.wait_for_selector("#panel-measures")
    measures = dp.measures(edited)
    shown = _panel_shown(session, "measures")
    for column in measures.columns:
        assert shown.get(column, {}) == pytest.approx(measures[column].dropna().to_dict(), rel=1e-10, abs=1e-12), column
    session.clean()


def test_removed_nodes_are_hollow_grey_rings(browser, served):
    session = Session(browser, served.url)
    session.edit("#node", "azure", "#remove")
    plot = "#network-0"
    assert session.page.get_attribute(plot, "data-removed") == "1"
    # the drawn marker of the removed node (SVG): a visible grey outline, no fill
    stroke, fill = session.page.evaluate("""() => {
        const trace = [...document.querySelectorAll('#network-0 .scatterlayer .trace')]
            .find(t => t.__data__ && t.__data__[0] && t.__data__[0].trace.name === 'gone');
        const point = trace.querySelector('path.point');
        const style = getComputedStyle(point);
        return [style.stroke, style.fillOpacity === '0' || style.fill === 'none' ? 'none' : style.fill];
    }""")
    assert stroke == "rgb(154, 163, 173)" and fill == "none"
    session.clean()


def _wide_network(actors: int = 450) -> dp.Network:
    """A seeded network above the WebGL threshold: each actor depends on two earlier ones, some via a cloud."""
    rng = np.random.default_rng(7)
    deps = []
    for k in range(3, actors):
        for provider in rng.choice(k, size=2, replace=False):
            route = [f"cloud{k % 3}"] if k % 4 == 0 else []
            deps.append({"dependent": f"a{k}", "provider": f"a{provider}", "via": route})
    infras = [{"id": f"cloud{j}", "owner": f"a{j}"} for j in range(3)]
    return dp.Network.from_records([{"id": f"a{k}"} for k in range(actors)], deps, infrastructures=infras)


@pytest.mark.slow
def test_a_network_above_400_nodes_draws_with_webgl_and_an_edit_updates_it(browser):
    net = _wide_network()
    running = start(View(Explorer(net)))
    try:
        session = Session(browser, running.url)
        types = session.page.evaluate("() => document.getElementById('network-0').data.map(t => t.type)")
        assert "scattergl" in types and session.page.query_selector("#network-0 canvas") is not None
        assert session.page.get_attribute("#network-0", "data-nodes") == str(net.n_actors + net.n_infrastructures)
        session.edit("#node", "cloud1", "#remove")
        assert session.page.get_attribute("#network-0", "data-removed") == "1"
        gone = session.page.evaluate("() => document.getElementById('network-0').data.find(t => t.name === 'gone')")
        assert gone["type"] == "scattergl" and len(gone["x"]) == 1 and gone["marker"]["color"] == "#9aa3ad"
        oracle = dp.whatif(net, remove=["cloud1"]).actors
        shown = session.shown("power_after")
        assert len(shown) == 300  # the table's rows: those whose power changed most
        moved = [abs(change) for change in session.shown("change").values()]  # in the table's order
        assert moved == sorted(moved, reverse=True) and moved[0] > 0
        assert min(moved) >= oracle["change"].abs().sort_values(ascending=False).iloc[300] - 1e-11
        for actor, value in shown.items():
            assert value == pytest.approx(oracle.at[actor, "power_after"], abs=1e-11)
        assert "of 450" in session.page.text_content("#table-note")
        # software WebGL (no GPU here) reports its own slow paths as console warnings: not the page's
        session.errors[:] = [e for e in session.errors if "GL Driver Message" not in e]
        session.clean()
    finally:
        running.stop()
