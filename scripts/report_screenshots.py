"""Re-take the screenshots of docs/report.md (docs/img/report-*.png) in headless Chromium.

The debt-brake scenario, 50 steps, seed 1, with the cap and without, in one
report (`dependencia report RUN RUN`), opened by Playwright in Debian's
Chromium (never a downloaded build) at 1300 x 900 pixels:

- report-findings.png: what the page opens on (the comparison, the ranking);
- report-network.png: the network view (the `#network` section);
- report-charts.png: the charts (the `#charts` section).

Usage: python scripts/report_screenshots.py [--out docs/img] [--runs runs/screenshots] [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import dependencia as dp
from dependencia.simulation.scenario import load_scenario


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("docs/img"))
    parser.add_argument("--runs", type=Path, default=Path("runs/screenshots"))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    folders = []
    for brake in (True, False):
        folder = args.runs / ("brake" if brake else "no-brake")
        if not (folder / "manifest.json").exists():
            network, config = load_scenario("debt-brake")
            config = config.with_overrides([f"policies.debt_brake.enabled={str(brake).lower()}", "seed=1"])
            dp.Simulation(network, config, scenario="debt-brake").run(50, out=folder)
        folders.append(folder)
    page_path = (args.runs / "both.html").resolve()
    dp.report(*folders, out=page_path)
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=args.chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        page.goto(page_path.as_uri())
        page.wait_for_selector("body[data-ready=true]", timeout=60_000)
        page.wait_for_timeout(500)  # let Plotly finish its transitions
        page.screenshot(path=str(args.out / "report-findings.png"))
        page.locator("#network").screenshot(path=str(args.out / "report-network.png"))
        page.locator("#charts").screenshot(path=str(args.out / "report-charts.png"))
        browser.close()
    print(f"wrote report-findings.png, report-network.png, report-charts.png to {args.out}")


if __name__ == "__main__":
    main()
