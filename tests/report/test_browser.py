"""The report in a real browser: Playwright driving Debian's Chromium (never a downloaded build).

Skipped with a reason when Playwright or Chromium is missing, unless
``DEPENDENCIA_REQUIRE_BROWSER=1`` (as ``.ci/run`` sets), where a missing
browser fails. ``DEPENDENCIA_CHROMIUM`` names another Chromium binary.
Screenshots go to ``DEPENDENCIA_SCREENSHOTS`` when set, else to the test's
temporary folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import dependencia as dp


class Page:
    """A report opened in a fresh page that records console errors, page errors, dialogs and requests."""

    def __init__(self, browser, path: Path):
        self.path = path
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 1000})
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.route("**/*", self._route)
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("body[data-ready=true]", timeout=60_000)

    def _route(self, route):
        url = route.request.url
        self.requests.append(url)
        if url == self.path.as_uri():
            route.continue_()
        else:
            route.abort()  # nothing but the page itself may load

    def attribute(self, selector: str, name: str) -> str:
        return self.page.get_attribute(selector, name)

    def points(self, view: int = 0) -> int:
        """Node markers Plotly drew in network view ``view``."""
        return self.page.locator(f"#network-{view} .scatterlayer .trace .points path.point").count()

    def shot(self, name: str, tmp_path: Path, selector: str | None = None) -> Path:
        folder = Path(os.environ.get("DEPENDENCIA_SCREENSHOTS") or tmp_path)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{name}.png"
        if selector:
            self.page.locator(selector).screenshot(path=str(target))
        else:
            self.page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000
        return target

    def clean(self) -> None:
        assert self.errors == [], self.errors
        assert self.dialogs == []
        assert self.requests == [self.path.as_uri()], self.requests


@pytest.fixture(scope="module")
def run_report(tmp_path_factory, debt_brake_runs):
    (on, _), (off, _) = debt_brake_runs
    out = tmp_path_factory.mktemp("browser") / "runs.html"
    return dp.report(on, off, out=out)


def test_network_report_renders_every_node_without_errors(browser, tmp_path):
    net = dp.examples.load("ai-stack")
    out = tmp_path / "ai-stack.html"
    dp.report(net, out=out, labels=["ai-stack"])
    page = Page(browser, out)
    expected = net.n_actors + len(net.infrastructures)
    assert page.points() == expected == int(page.attribute("#network-0", "data-nodes"))
    assert int(page.attribute("#network-0", "data-edges")) > 0
    assert page.page.locator("#table-0 tbody tr").count() == net.n_actors
    assert page.page.locator("#charts .main-svg").count() > 0  # charts drawn
    page.shot("network-report", tmp_path)
    page.clean()


def test_dimension_filter_hides_that_dimensions_edges(browser, tmp_path):
    net = dp.examples.load("ai-stack")
    out = tmp_path / "ai-stack.html"
    page_data = dp.report(net, out=out)
    page = Page(browser, out)
    frame = page_data.panels[0]["graph"]["frames"][0]
    total = sum(len(pairs) // 2 for pairs in frame["edges"].values())
    assert int(page.attribute("#network-0", "data-edges")) == total
    dimension = max(frame["edges"], key=lambda d: len(frame["edges"][d]))
    lines_before = page.page.locator("#network-0 .scatterlayer .trace path.js-line").count()
    page.page.locator(f'#network input[data-dimension="{dimension}"]').first.uncheck()
    assert int(page.attribute("#network-0", "data-edges")) == total - len(frame["edges"][dimension]) // 2
    # Plotly draws one path per edge (the edges of a dimension are segments split by gaps)
    assert lines_before == total
    assert page.page.locator("#network-0 .scatterlayer .trace path.js-line").count() == total - len(
        frame["edges"][dimension]) // 2
    page.page.locator(f'#network input[data-dimension="{dimension}"]').first.check()
    assert int(page.attribute("#network-0", "data-edges")) == total
    page.clean()


def test_step_slider_changes_what_is_shown(browser, run_report, tmp_path):
    page = Page(browser, run_report.path)
    frames = run_report.panels[0]["graph"]["frames"]
    assert page.attribute("#network-0", "data-frame") == frames[-1]["label"]
    assert page.points(0) == sum(frames[-1]["present"])
    sizes_end = page.page.eval_on_selector("#network-0", "el => el.data[el.data.length - 3].marker.size.slice()")
    slider = page.page.locator('#network [data-panel="0"] input[type=range]')
    slider.fill("0")  # fires input
    assert page.attribute("#network-0", "data-frame") == frames[0]["label"] == "step 0"
    assert page.points(0) == sum(frames[0]["present"])
    sizes_start = page.page.eval_on_selector("#network-0", "el => el.data[el.data.length - 3].marker.size.slice()")
    assert sizes_start != sizes_end
    edges_start = sum(len(p) // 2 for p in frames[0]["edges"].values())
    assert int(page.attribute("#network-0", "data-edges")) == edges_start
    page.shot("run-step-0", tmp_path, "#network")
    page.clean()


def test_two_runs_side_by_side_share_their_scales(browser, run_report, tmp_path):
    page = Page(browser, run_report.path)
    for key in ("concentration", "top_power", "infrastructure"):
        ranges = [page.page.eval_on_selector(f"#chart-{key}-{i}", "el => el.layout.yaxis.range") for i in (0, 1)]
        assert ranges[0] == ranges[1], key
    assert page.points(0) > 0 and page.points(1) > 0
    page.shot("two-runs", tmp_path)
    page.shot("two-runs-charts", tmp_path, "#charts")
    page.clean()


def test_table_sorts_by_any_column(browser, tmp_path):
    out = tmp_path / "f.html"
    dp.report(dp.examples.load("florentine"), out=out)
    page = Page(browser, out)

    def column(j: int) -> list[str]:
        return page.page.eval_on_selector_all(f"#table-0 tbody tr td:nth-child({j})", "cells => cells.map(c => c.textContent)")

    power = [float(x) for x in column(3)]
    assert power == sorted(power, reverse=True) and power[0] > 0  # by power, descending, at first
    page.page.locator('#table-0 th[data-column="id"] button').click()
    names = column(1)
    assert names == sorted(names, key=str.lower) or names == sorted(names)
    assert page.attribute('#table-0 th[data-column="id"]', "aria-sort") == "ascending"
    page.page.locator('#table-0 th[data-column="power"] button').click()
    page.page.locator('#table-0 th[data-column="power"] button').click()
    power = [float(x) for x in column(3)]
    assert power == sorted(power)
    page.clean()


def test_search_finds_a_node(browser, tmp_path):
    out = tmp_path / "f.html"
    dp.report(dp.examples.load("florentine"), out=out)
    page = Page(browser, out)
    page.page.fill("#network input[type=search]", "medici")
    page.page.keyboard.press("Enter")
    assert "Found \u201cMedici\u201d" in page.page.locator("#network .status[aria-live]").first.text_content()
    found = page.page.eval_on_selector("#network-0", "el => el.data[el.data.length - 1].x.length")
    assert found == 1
    page.page.fill("#network input[type=search]", "nobody-of-that-name")
    page.page.keyboard.press("Enter")
    assert "No node matches" in page.page.locator("#network .status[aria-live]").first.text_content()
    page.clean()


def test_hostile_ids_run_no_script(browser, hostile_network, hostile_ids, tmp_path):
    out = tmp_path / "hostile.html"
    dp.report(hostile_network, out=out, title=hostile_ids[0])
    page = Page(browser, out)
    page.page.hover("#network-0 .scatterlayer .trace .points path.point >> nth=0", force=True)
    assert page.page.evaluate("() => window.pwned") is None
    assert page.page.locator("img").count() == 0
    cells = page.page.eval_on_selector_all("#table-0 tbody td:first-child", "cells => cells.map(c => c.textContent)")
    assert set(hostile_ids[:2]) <= set(cells)  # shown as the text they are
    assert page.page.title() == hostile_ids[0]
    page.shot("hostile", tmp_path)
    page.clean()


def test_long_tables_show_their_first_rows_until_asked(browser, tmp_path):
    import networkx as nx

    net = dp.from_networkx(nx.gnm_random_graph(600, 1500, seed=2, directed=True))
    out = tmp_path / "long.html"
    dp.report(net, out=out)
    page = Page(browser, out)
    assert page.page.locator("#table-0 tbody tr").count() == 500
    page.page.locator('#table-0 th[data-column="id"] button').click()  # sorting keeps the limit
    assert page.page.locator("#table-0 tbody tr").count() == 500
    page.page.locator("#actors button.more").click()
    assert page.page.locator("#table-0 tbody tr").count() == 600
    assert page.page.locator("#actors button.more").is_hidden()
    assert page.points() == 600
    page.clean()


# --- issue 21: findings first, names on the network, infrastructures without an owner ------------------------

def _sections(page: Page) -> list[str]:
    return page.page.eval_on_selector_all("#app > section", "blocks => blocks.map(b => b.id)")


def test_a_network_opens_on_its_ranking_and_ends_with_its_details(browser, tmp_path):
    out = tmp_path / "f.html"
    dp.report(dp.examples.load("florentine"), out=out)
    page = Page(browser, out)
    assert _sections(page) == ["actors", "network", "charts", "summary"]
    figures = page.page.eval_on_selector_all("#actors .headline .figure", "s => s.map(x => x.dataset.figure)")
    assert figures == ["gini", "hhi", "top5_share"]
    page.clean()


def test_two_runs_open_on_their_comparison(browser, run_report, tmp_path):
    page = Page(browser, run_report.path)
    assert _sections(page) == ["comparison", "actors", "network", "charts", "summary"]
    rows = page.page.eval_on_selector_all("#comparison-table tbody tr.figure th", "c => c.map(x => x.textContent)")
    assert rows == ["gini", "hhi", "top5_share"]
    expected = _embedded_comparison(run_report.html)
    actors = page.page.eval_on_selector_all("#comparison-table tbody tr.actor th", "c => c.map(x => x.textContent)")
    assert actors == [row[0] for row in expected["actors"]]
    page.shot("two-runs-top", tmp_path, "#comparison")
    page.clean()


def _embedded_comparison(html: str) -> dict:
    import json
    import re

    match = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))["comparison"]


def _labels(page: Page, view: int = 0) -> list[str]:
    return [t for t in page.page.eval_on_selector_all(
        f"#network-{view} .scatterlayer .trace .textpoint text", "ts => ts.map(t => t.textContent)") if t]


def test_network_view_names_the_most_powerful_actors(browser, tmp_path):
    net = dp.examples.load("florentine")
    out = tmp_path / "f.html"
    dp.report(net, out=out)
    page = Page(browser, out)
    power = dp.power(net)["power"]
    ranked = sorted((a for a in power.index if power[a] > 0), key=lambda a: (-power[a], a))
    assert sorted(_labels(page)) == sorted(ranked[:10])
    assert int(page.attribute("#network-0", "data-labels")) == min(10, len(ranked))
    page.page.fill("#network input.label-top", "3")
    page.page.dispatch_event("#network input.label-top", "change")
    assert sorted(_labels(page)) == sorted(ranked[:3])
    page.page.fill("#network input.label-top", "0")
    page.page.dispatch_event("#network input.label-top", "change")
    assert _labels(page) == [] and page.points() == net.n_actors  # the rest: markers, ids on hover
    page.clean()


def test_hostile_ids_as_labels_stay_text(browser, hostile_ids, tmp_path):
    # plain -> H0 -> H1 -> hub: the two hostile ids are the brokers, so they are the named actors
    chain = ["plain", hostile_ids[0], hostile_ids[1], "hub"]
    net = dp.Network.from_records([{"id": i} for i in chain],
                                  [{"dependent": u, "provider": v} for u, v in zip(chain, chain[1:])])
    out = tmp_path / "hostile-labels.html"
    dp.report(net, out=out)
    page = Page(browser, out)
    assert sorted(_labels(page)) == sorted(hostile_ids[:2])  # drawn as the text they are
    page.page.hover("#network-0 .scatterlayer .trace .points path.point >> nth=1", force=True)
    assert page.page.evaluate("() => window.pwned") is None and page.page.locator("img").count() == 0
    page.clean()


def test_infrastructures_from_via_only_are_charted_as_no_owner(browser, tmp_path):
    (tmp_path / "edges.csv").write_text("source,target,via\na,b,road;port\nc,b,road\nd,a,\n")
    out = tmp_path / "edges.html"
    dp.report(dp.read(tmp_path / "edges.csv"), out=out)
    page = Page(browser, out)
    assert page.page.locator("#chart-infrastructure-0 .missing").count() == 0
    bars = page.page.eval_on_selector("#chart-infrastructure-0", "el => [el.data[0].x, el.data[0].y]")
    assert bars == [["public", "private", "no owner"], [0, 0, 2]]
    page.clean()
