"""The HTML report at size (issue 8): a 5,000-node network written and opened in Chromium.

Builds a seeded directed scale-free network (Price-like: each new actor depends
on ``--degree`` providers chosen by preferential attachment) in three
dimensions, with a few infrastructures, then times

- writing the report (``dp.report(network, out=...)``: power, reach, rents,
  power per dimension, layout, page), best of ``--repeat``;
- opening it in Debian's Chromium (headless, through Playwright) until the
  page says it is ready (every chart and the network view drawn), median of
  ``--repeat`` fresh pages;

and reports the file size. Targets: written in under 10 s, interactive in
under 5 s on 2 cores.

Usage: python benchmarks/bench_report.py [--nodes 5000] [--degree 3] [--repeat 3] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

import dependencia as dp

CHROMIUM = "/usr/bin/chromium"


def scale_free(nodes: int, degree: int, seed: int = 1) -> dp.Network:
    rng = np.random.default_rng(seed)
    targets: list[int] = list(range(degree))
    deps = []
    dimensions = ["compute", "capital", "energy"]
    for v in range(degree, nodes):
        chosen = set()
        while len(chosen) < degree:
            chosen.add(int(targets[rng.integers(len(targets))]) if rng.random() < 0.8 else int(rng.integers(v)))
        for u in sorted(chosen):
            deps.append({"dependent": f"a{v}", "provider": f"a{u}", "dimension": dimensions[int(rng.integers(3))]})
            targets.append(u)
        targets.append(v)
    kinds = ["firm", "household", "platform", "state"]
    actors = [{"id": f"a{i}", "kind": kinds[0 if i < 50 else 1 + int(rng.integers(2)) if i % 97 else 3]}
              for i in range(nodes)]
    infrastructures = [{"id": f"i{k}", "owner": f"a{k}", "dimensions": ["compute"]} for k in range(10)]
    for k, dep in enumerate(deps[:2000]):
        if dep["dimension"] == "compute":
            dep["via"] = [f"i{k % 10}"]
    return dp.Network.from_records(actors, deps, dimensions=[{"id": d} for d in dimensions],
                                   infrastructures=infrastructures)


def open_in_browser(path: Path, repeat: int) -> tuple[list[float], int]:
    from playwright.sync_api import sync_playwright

    times, nodes = [], 0
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync"])
        for _ in range(repeat):
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            start = time.perf_counter()
            page.goto(path.as_uri())
            page.wait_for_selector("body[data-ready=true]", timeout=120_000)
            times.append(time.perf_counter() - start)
            nodes = int(page.get_attribute("#network-0", "data-nodes"))
            page.close()
        browser.close()
    return times, nodes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--degree", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    network = scale_free(args.nodes, args.degree)
    print(network)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "report.html"
        writes = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            page = dp.report(network, out=out)
            writes.append(time.perf_counter() - start)
        size = out.stat().st_size
        shown = page.panels[0]["graph"]["shown_nodes"]
        print(f"written in {min(writes):.2f} s (best of {args.repeat}; target < 10 s); {size / 2**20:.1f} MiB; "
              f"network view: {shown:,} of {page.panels[0]['graph']['total_nodes']:,} nodes")
        opened, drawn = open_in_browser(out, args.repeat)
        print(f"interactive in Chromium after {statistics.median(opened):.2f} s (median of {args.repeat}; "
              f"target < 5 s); {drawn:,} nodes drawn")
    if args.json:
        args.json.write_text(json.dumps({
            "nodes": args.nodes, "dependencies": len(network.dependencies), "write_s": min(writes),
            "interactive_s": statistics.median(opened), "bytes": size, "nodes_shown": shown, "nodes_drawn": drawn,
        }, indent=1) + "\n")


if __name__ == "__main__":
    main()
