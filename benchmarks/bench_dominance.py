"""Dominance of every actor against one plain exact betweenness pass, in one run (issue 16, item 3).

The graph is the one of ``bench_actor_power.py``: issue 3's scale-free graph
(20,000 nodes, 94,921 edges) where K = 10 owners each hold all shares of 3
other actors chosen at random (seeded), so each controls a group of 4 nodes.
Printed: seconds for ``dp.betweenness(net, exact=True)`` (one exact pass) and
for dominance of all actors (one dominator tree per source actor, every
actor and group counted from it), and their ratio; the target is at most 3.
Both use every core (their default). With ``--repeat``, each is timed that
many times, alternately, and the best of each is kept. CPU seconds (user +
system, this process and its worker processes) are reported beside the wall
clock: on a shared, loaded machine they vary less.

Usage: python benchmarks/bench_dominance.py [--nodes 20000] [--owners 10] [--repeat 1] [--json benchmarks/results-dominance.json]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_actor_power import owned_network  # noqa: E402

import dependencia as dp  # noqa: E402
from dependencia.measures.dominance import dominance  # noqa: E402


def _processor() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _cpu_seconds() -> float:
    """User + system time of this process and of its finished children (the worker processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _timed(compute):
    """(result, wall seconds, CPU seconds) of ``compute()``."""
    cpu, start = _cpu_seconds(), time.perf_counter()
    result = compute()
    return result, time.perf_counter() - start, _cpu_seconds() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=20_000)
    parser.add_argument("--owners", type=int, default=10)
    parser.add_argument("--held", type=int, default=3, help="actors each owner controls")
    parser.add_argument("--repeat", type=int, default=1, help="time each this many times, keep the best")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    net, edges, ids, owners = owned_network(args.nodes, args.owners, args.held)
    small = dp.examples.load("ai-stack")
    dp.betweenness(small, exact=True)  # load igraph and compile the kernels before timing
    dominance(small)
    passes, dominance_runs = [], []
    frame = None
    for _ in range(args.repeat):
        _, wall, cpu = _timed(lambda: dp.betweenness(net, exact=True))
        passes.append((wall, cpu))
        frame, wall, cpu = _timed(lambda: dominance(net))
        dominance_runs.append((wall, cpu))
    (one_pass, pass_cpu), (dominance_time, dominance_cpu) = min(passes), min(dominance_runs)
    assert frame is not None
    print(f"graph: {args.nodes} nodes, {len(edges)} edges; {args.owners} owners controlling {args.held + 1} nodes each")
    print(f"one exact betweenness pass: {one_pass:.2f} s")
    print(f"dominance, all actors:      {dominance_time:.2f} s")
    print(f"ratio: {dominance_time / one_pass:.2f} passes (target <= 3)")
    print(f"CPU seconds (all processes): betweenness {pass_cpu:.1f}, dominance {dominance_cpu:.1f}, "
          f"ratio {dominance_cpu / pass_cpu:.2f}")
    top = frame["dominance"].sort_values(ascending=False).head(5)
    print("top dominance:", top.round(5).to_dict())
    print("owners:", frame.loc[ids[owners], "dominance"].sort_values(ascending=False).head(3).round(5).to_dict())
    if args.json:
        from importlib.metadata import version

        result = {
            "date": datetime.date.today().isoformat(), "cores": os.cpu_count(), "load_average": os.getloadavg(),
            "machine": {"platform": platform.platform(), "processor": _processor(), "python": platform.python_version()},
            "versions": {name: version(name) for name in ("dependencia", "igraph", "numba", "pandas")},
            "command": "python benchmarks/bench_dominance.py " + " ".join(sys.argv[1:]),
            "nodes": args.nodes, "edges": int(len(edges)), "owners": args.owners, "held": args.held,
            "repeat": args.repeat, "betweenness_seconds": one_pass, "dominance_seconds": dominance_time,
            "passes": dominance_time / one_pass, "target_passes": 3,
            "betweenness_cpu_seconds": pass_cpu, "dominance_cpu_seconds": dominance_cpu,
            "cpu_passes": dominance_cpu / pass_cpu,
            "all_runs": {name: [{"seconds": wall, "cpu_seconds": cpu} for wall, cpu in runs]
                         for name, runs in (("betweenness", passes), ("dominance", dominance_runs))},
            "dominated_pairs": int(frame["dominated_pairs"].sum()),
            "top_dominance": {str(k): float(v) for k, v in top.items()},
        }
        args.json.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
