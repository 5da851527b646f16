"""The explorer in a real browser: the server on 127.0.0.1, Playwright driving Debian's Chromium.

Skipped with a reason when Playwright or Chromium is missing, unless
``DEPENDENCIA_REQUIRE_BROWSER=1`` (``.ci/run``), where that fails. Screenshots
go to ``DEPENDENCIA_SCREENSHOTS`` when set (docs/img for docs/explore.md), else
to the test's temporary folder.
"""

from __future__ import annotations

import os
from pathlib import Path

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
