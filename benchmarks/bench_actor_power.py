"""Actor power of K owners against one plain exact betweenness pass, in one run (issue 4).

The graph is issue 3's scale-free graph (20,000 nodes, 94,921 edges). K = 10
owners each hold all shares of 3 other actors chosen at random (seeded), so
each controls a group of 4 nodes; every other actor controls only itself.
Printed: seconds for ``dp.betweenness`` (one exact pass) and for ``dp.power``
(all actors, the K groups included), and their ratio. The naive way costs
about K passes; the target is at most 3.

Usage: python benchmarks/bench_actor_power.py [--nodes 20000] [--owners 10] [--json benchmarks/results-actor-power.json]
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


def owned_network(nodes: int, owners: int, held: int) -> tuple[dp.Network, np.ndarray, np.ndarray, np.ndarray]:
    """Issue 3's scale-free graph with ``owners`` actors each holding all shares of ``held`` others (seeded).

    Returns the network, its edges, the actor ids and the owners' positions.
    """
    edges, _ = make_edges(nodes)
    ids = np.array([f"n{i}" for i in range(nodes)], dtype=object)
    chosen = np.random.default_rng(7).choice(nodes, size=owners * (held + 1), replace=False)
    holders, owned = chosen[:owners], chosen[owners:].reshape(owners, held)
    ownership = pd.DataFrame(
        [{"owner": ids[o], "owned": ids[h], "share": 1.0} for o, row in zip(holders, owned) for h in row]
    )
    net = dp.Network(
        pd.DataFrame({"id": ids}),
        pd.DataFrame({"dependent": ids[edges[:, 0]], "provider": ids[edges[:, 1]]}),
        ownership=ownership,
    )
    return net, edges, ids, holders


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=20_000)
    parser.add_argument("--owners", type=int, default=10)
    parser.add_argument("--held", type=int, default=3, help="actors each owner controls")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    net, edges, ids, owners = owned_network(args.nodes, args.owners, args.held)
    dp.power(dp.examples.load("ai-stack"))  # compile the kernels before timing
    start = time.perf_counter()
    dp.betweenness(net, exact=True)
    one_pass = time.perf_counter() - start
    start = time.perf_counter()
    frame = dp.power(net)
    power_time = time.perf_counter() - start
    print(f"graph: {args.nodes} nodes, {len(edges)} edges; {args.owners} owners controlling {args.held + 1} nodes each")
    print(f"one exact betweenness pass: {one_pass:.2f} s")
    print(f"actor power, all actors:    {power_time:.2f} s")
    print(f"ratio: {power_time / one_pass:.2f} passes (target <= 3)")
    print("top owners:", frame.loc[ids[owners], "power"].sort_values(ascending=False).head(3).round(5).to_dict())
    if args.json:
        from importlib.metadata import version

        result = {
            "date": datetime.date.today().isoformat(), "cores": os.cpu_count(), "load_average": os.getloadavg(),
            "versions": {name: version(name) for name in ("dependencia", "igraph", "numba", "pandas")},
            "command": "python benchmarks/bench_actor_power.py " + " ".join(sys.argv[1:]),
            "nodes": args.nodes, "edges": int(len(edges)), "owners": args.owners, "held": args.held,
            "betweenness_seconds": one_pass, "power_seconds": power_time, "passes": power_time / one_pass,
        }
        args.json.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
