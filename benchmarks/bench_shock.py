"""Systemic impact (DebtRank) of every actor against one plain exact betweenness pass, in one run (issue 16, item 3).

The graph is issue 3's scale-free graph (20,000 nodes, 94,921 edges), the
network built as in ``bench_actor_power.py``: K = 10 owners each hold all
shares of 3 other actors (seeded). Each owner also owns one infrastructure;
with ``--routed F`` a share F of the dependencies (seeded) runs through them
(default 0: the graph of the other benchmarks; routes through closed
infrastructures make the routed graph, and so the betweenness pass, much
larger). Printed: seconds for
``dp.betweenness(net, exact=True)`` (one exact pass) and for
``systemic_impact`` (every actor fails alone, 20,000 cascades), and their
ratio. The target is at most 1. Then both again on one core
(``workers=1``), timed in CPU seconds of this process: a ratio that a busy
machine disturbs less (``--no-per-core`` skips it).

Usage: python benchmarks/bench_shock.py [--nodes 20000] [--owners 10] [--json benchmarks/results-shock.json]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_power import make_edges  # noqa: E402

import dependencia as dp  # noqa: E402
from dependencia.measures.shock import systemic_impact  # noqa: E402


def build(nodes: int, owners: int, held: int, routed: float) -> tuple[dp.Network, int]:
    """The benchmark network and its number of declared dependencies."""
    edges, _ = make_edges(nodes)
    ids = np.array([f"n{i}" for i in range(nodes)], dtype=object)
    chosen = np.random.default_rng(7).choice(nodes, size=owners * (held + 1), replace=False)
    owner_ids, held_ids = chosen[:owners], chosen[owners:].reshape(owners, held)
    ownership = pd.DataFrame(
        [{"owner": ids[o], "owned": ids[h], "share": 1.0} for o, row in zip(owner_ids, held_ids) for h in row]
    )
    infrastructures = pd.DataFrame({"id": [f"infra{k}" for k in range(owners)], "owner": ids[owner_ids]})
    rng = np.random.default_rng(11)
    through = np.where(rng.random(len(edges)) < routed, rng.integers(0, owners, len(edges)), -1)
    via = [(f"infra{k}",) if k >= 0 else () for k in through.tolist()]
    net = dp.Network(
        pd.DataFrame({"id": ids}),
        pd.DataFrame({"dependent": ids[edges[:, 0]], "provider": ids[edges[:, 1]], "via": via}),
        ownership=ownership, infrastructures=infrastructures,
    )
    return net, len(edges)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=20_000)
    parser.add_argument("--owners", type=int, default=10)
    parser.add_argument("--held", type=int, default=3, help="actors each owner controls")
    parser.add_argument("--routed", type=float, default=0.0, help="share of dependencies routed via an infrastructure")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--no-per-core", dest="per_core", action="store_false", help="skip the one-core runs")
    args = parser.parse_args()
    net, n_edges = build(args.nodes, args.owners, args.held, args.routed)
    ai_stack = dp.examples.load("ai-stack")
    dp.betweenness(ai_stack, exact=True)  # compile and load before timing
    systemic_impact(ai_stack, workers=2)
    systemic_impact(ai_stack, workers=1)
    start = time.perf_counter()
    dp.betweenness(net, exact=True)
    one_pass = time.perf_counter() - start
    start = time.perf_counter()
    frame = systemic_impact(net)
    shock_time = time.perf_counter() - start
    ratio = shock_time / one_pass
    print(f"graph: {args.nodes} nodes, {n_edges} dependencies, {args.owners} infrastructures "
          f"({args.routed:.0%} of the dependencies routed)")
    print(f"one exact betweenness pass:     {one_pass:.2f} s")
    print(f"systemic impact, all actors:    {shock_time:.2f} s")
    print(f"ratio: {ratio:.2f} passes (target <= 1)")
    per_core = None
    if args.per_core:
        start = time.process_time()
        dp.betweenness(net, exact=True, workers=1)
        one_pass_cpu = time.process_time() - start
        start = time.process_time()
        single = systemic_impact(net, workers=1)
        shock_cpu = time.process_time() - start
        assert single.equals(frame), "the values depend on the number of threads"
        per_core = {"betweenness_cpu_seconds": one_pass_cpu, "systemic_impact_cpu_seconds": shock_cpu,
                    "passes": shock_cpu / one_pass_cpu}
        print(f"one core, CPU seconds: betweenness {one_pass_cpu:.2f}, systemic impact {shock_cpu:.2f}, "
              f"ratio {shock_cpu / one_pass_cpu:.2f}")
    top = frame["systemic_impact"].sort_values(ascending=False).head(3)
    print("highest systemic impact:", top.round(5).to_dict())
    if args.json:
        from importlib.metadata import version

        result = {
            "date": datetime.date.today().isoformat(), "cores": os.cpu_count(), "load_average": os.getloadavg(),
            "machine": {"platform": platform.platform(), "processor": platform.processor() or platform.machine(),
                        "python": platform.python_version()},
            "versions": {name: version(name) for name in ("dependencia", "igraph", "numba", "pandas")},
            "command": "python benchmarks/bench_shock.py " + " ".join(sys.argv[1:]),
            "nodes": args.nodes, "edges": int(n_edges), "owners": args.owners, "held": args.held,
            "routed": args.routed, "betweenness_seconds": one_pass, "systemic_impact_seconds": shock_time,
            "passes": ratio, "mean_systemic_impact": float(frame["systemic_impact"].mean()),
            "max_systemic_impact": float(frame["systemic_impact"].max()), "one_core": per_core,
        }
        args.json.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
