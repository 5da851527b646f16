"""Chokepoints on issue 3's 20,000-node graph, against a budget of 10 minutes (issue 4).

The graph is issue 3's scale-free graph (20,000 nodes, 94,921 edges, hop
counts), every node an actor, every edge a declared dependency. Timed:
``dp.chokepoints(net, candidates=40, sample=2000, seed=1)``: the 40 nodes of
highest betweenness removed one by one, 2,000 declared dependency pairs
sampled; the reported epsilon bounds every share with probability 0.9
(Hoeffding and a union bound over the candidates). Also recorded: the
largest chokepoint value (0 on this graph by construction: each declared
dependency is a direct edge, so no third node's removal cuts or lengthens
it).

Usage: python benchmarks/bench_chokepoints.py [--nodes 20000] [--candidates 40] [--sample 2000]
       [--json benchmarks/results-chokepoints.json]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_power import make_edges  # noqa: E402

import dependencia as dp  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=20_000)
    parser.add_argument("--candidates", type=int, default=40)
    parser.add_argument("--sample", type=int, default=2000)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    edges, _ = make_edges(args.nodes)
    ids = np.array([f"n{i}" for i in range(args.nodes)], dtype=object)
    net = dp.Network(pd.DataFrame({"id": ids}),
                     pd.DataFrame({"dependent": ids[edges[:, 0]], "provider": ids[edges[:, 1]]}))
    dp.power(dp.examples.load("ai-stack"))  # imports and compiled kernels, before timing
    start = time.perf_counter()
    frame = dp.chokepoints(net, candidates=args.candidates, sample=args.sample, seed=1)
    seconds = time.perf_counter() - start
    largest = float(frame["chokepoint"].max())
    print(f"graph: {args.nodes} nodes, {len(edges)} edges; {os.cpu_count()} cores")
    print(f"chokepoints, {args.candidates} candidates, {frame.attrs['pairs']} sampled pairs: {seconds:.1f} s "
          f"(budget 600 s); epsilon {frame.attrs['epsilon']:.3f} at delta {frame.attrs['delta']}; "
          f"largest chokepoint value {largest}")
    if args.json:
        from importlib.metadata import version

        result = {
            "date": datetime.date.today().isoformat(), "cores": os.cpu_count(), "load_average": os.getloadavg(),
            "versions": {name: version(name) for name in ("dependencia", "igraph", "pandas")},
            "command": "python benchmarks/bench_chokepoints.py " + " ".join(sys.argv[1:]),
            "nodes": args.nodes, "edges": int(len(edges)), "candidates": args.candidates,
            "pairs": frame.attrs["pairs"], "epsilon": frame.attrs["epsilon"], "delta": frame.attrs["delta"],
            "seconds": seconds, "largest_chokepoint": largest,
        }
        args.json.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
