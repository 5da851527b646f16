"""The live explorer at size (issue 20): an edit's round trip, server recompute and page redraw.

Builds the report benchmark's seeded scale-free network (``bench_report.scale_free``:
``--nodes`` actors, each new one depending on ``--degree`` providers, three
dimensions, ten infrastructures), serves it with ``dependencia explore``'s
server on 127.0.0.1, opens the page in Debian's Chromium through Playwright,
and times ``--repeat`` edits (remove an infrastructure, then undo; remove an
actor, then undo), each from the click until the page has drawn the new
state (``body[data-version]``), with the page's own split of each
(``window.dependenciaTimings``: the request until its JSON is read, the
table, the lists, the network view) and the answer's size. Also times the
server's part alone (``Explorer.apply`` + ``View.state`` + its JSON) and the
start (power, layout).
Target: at most 1 s per edit on 1,000 actors and 5,000 dependencies, 2 cores.

Usage: python benchmarks/bench_explore.py [--nodes 1000] [--degree 5] [--repeat 3] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_report import CHROMIUM, scale_free  # noqa: E402  (the same network as the report's benchmark)

from dependencia.explore.server import start  # noqa: E402
from dependencia.explore.state import Explorer  # noqa: E402
from dependencia.explore.view import View  # noqa: E402
from dependencia.report.html import embed_json  # noqa: E402

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]


def edits(network, repeat: int) -> list[tuple[str, str]]:
    """(field value, button) pairs: remove an infrastructure or a busy actor, then undo, ``repeat`` times."""
    infra = list(network.infrastructures.index)
    actors = list(network.actors.index)
    steps = []
    for k in range(repeat):
        steps += [(infra[k % len(infra)], "#remove"), ("", "#undo"), (actors[k + 1], "#remove"), ("", "#undo")]
    return steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--degree", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    network = scale_free(args.nodes, args.degree)

    began = time.perf_counter()
    explorer = Explorer(network)
    view = View(explorer, label="bench")
    first_bytes = len(embed_json(view.payload()))
    start_s = time.perf_counter() - began

    server_times = []
    for value, button in edits(network, args.repeat):
        began = time.perf_counter()
        if button == "#remove":
            explorer.apply({"op": "remove", "id": value})
        else:
            explorer.undo()
        embed_json(view.state())
        server_times.append(time.perf_counter() - began)
    exact = bool(explorer.power().attrs.get("exact", True))

    from playwright.sync_api import sync_playwright

    running = start(View(Explorer(network), label="bench"))
    round_trips, parts, version = [], [], 1
    try:
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page(viewport={"width": 1500, "height": 1100})
            began = time.perf_counter()
            page.goto(running.url)
            page.wait_for_selector("body[data-version='1'][data-ready=true]", timeout=300_000)
            open_s = time.perf_counter() - began
            for value, button in edits(network, args.repeat):
                if value:
                    page.fill("#node", value)
                version += 1
                began = time.perf_counter()
                page.click(button)
                page.wait_for_selector(f"body[data-version='{version}'][data-ready=true]", timeout=300_000)
                round_trips.append(time.perf_counter() - began)
                parts.append(page.evaluate("() => Object.assign({}, window.dependenciaTimings)"))
            nodes_drawn = int(page.get_attribute("#network-0", "data-nodes"))
            browser.close()
    finally:
        running.stop()
    result = {
        "nodes": args.nodes, "dependencies": int(len(network.dependencies)),
        "infrastructures": int(network.n_infrastructures), "exact": exact,
        "start_s": start_s, "page_open_s": open_s, "nodes_drawn": nodes_drawn,
        "server_edit_s_median": statistics.median(server_times), "server_edit_s_max": max(server_times),
        "round_trip_s_median": statistics.median(round_trips), "round_trip_s_max": max(round_trips),
        "edits": len(round_trips),
        "first_state_bytes": first_bytes,
        "edit_state_bytes_median": statistics.median(p["bytes"] for p in parts),
        **{f"page_{name}_ms_median": statistics.median(p[name] for p in parts)
           for name in ("server", "table", "lists", "plot")},
        **{f"page_{name}_ms_max": max(p[name] for p in parts) for name in ("server", "plot")},
    }
    print(json.dumps(result, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
