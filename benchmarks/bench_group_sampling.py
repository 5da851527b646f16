"""Actor power and routed node betweenness with a guarantee: path sampling against source sampling (issues 16, 19).

The network is bench_routed.py's (issue 3's scale-free graph, 20,000 actors and 94,921
dependencies, each routed through one of 50 closed infrastructures owned by 10 owners). In one
run, side by side: the exact values (one process: ``workers=1``), then at each epsilon (delta 0.1)
today's source sampling (``method="sources"``, one process) and the new adaptive path sampling
(``method="kadabra"``, Numba's threads), for actor power (``dp.power``) and for node betweenness on
the routed graph (``dp.betweenness``). Printed and stored per run: CPU seconds of this process and
its children (user + sys, every thread), wall seconds, the sources or paths drawn, omega (the most
paths the rule could draw), the largest error against the exact values on the normalized scale,
and the recall of the exact top-k. Where source sampling would need every actor (k >= n_A) it is
the exact computation and is not run again. ``--seeds`` repeats path sampling at the first epsilon
with seeds 0, 1, ... and stores each run's largest error and recall.

Usage: python benchmarks/bench_group_sampling.py [--nodes 20000] [--epsilons 0.01 0.05 0.1] [--top 100]
       [--seeds 10] [--json benchmarks/results-group-sampling.json]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_routed import routed_network  # noqa: E402

import dependencia as dp  # noqa: E402
from dependencia.graph import compile_graph  # noqa: E402
from dependencia.measures._pair_sums import power_sample_size  # noqa: E402
from dependencia.measures.group_sampling import group_method  # noqa: E402
from dependencia.measures.power import controlled_groups  # noqa: E402


def cpu_seconds() -> float:
    """User + sys CPU seconds of this process (all threads) and its waited-for children."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(measure, *args, **kwargs):
    cpu, wall = cpu_seconds(), time.perf_counter()
    frame = measure(*args, **kwargs)
    return frame, cpu_seconds() - cpu, time.perf_counter() - wall


def recall(values: np.ndarray, exact: np.ndarray, top: int) -> float:
    """Share of the exact top ``top`` (ties at the cut included) found in the estimate's top ``top``."""
    cut = np.sort(exact)[-top]
    truth = set(np.flatnonzero(exact >= cut))
    found = set(np.argsort(-values, kind="stable")[:top])
    return len(truth & found) / min(top, len(truth))


def row(frame, column: str, exact: np.ndarray, cpu: float, wall: float, top: int) -> dict:
    values = frame[column].to_numpy()
    attrs = frame.attrs
    return {"method": attrs.get("method"), "cpu_seconds": cpu, "wall_seconds": wall,
            "sources": attrs.get("sources") if attrs.get("method") == "sources" else None,
            "samples": attrs.get("samples"), "max_error": float(np.abs(values - exact).max()),
            "recall": recall(values, exact, top)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=20_000)
    parser.add_argument("--infrastructures", type=int, default=50)
    parser.add_argument("--owners", type=int, default=10)
    parser.add_argument("--epsilons", type=float, nargs="+", default=[0.01, 0.05, 0.1])
    parser.add_argument("--delta", type=float, default=0.1)
    parser.add_argument("--top", type=int, default=100)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    net = routed_network(args.nodes, args.infrastructures, args.owners)
    small = dp.examples.load("ai-stack")  # load the kernels before timing
    dp.power(small, epsilon=0.2, method="kadabra")
    dp.betweenness(small, epsilon=0.2, method="kadabra")
    loads = [os.getloadavg()]
    graph = compile_graph(net)
    measures = {"power": (dp.power, "power"), "betweenness": (dp.betweenness, "betweenness")}
    results: dict = {}
    for name, (measure, column) in measures.items():
        frame, cpu, wall = timed(measure, net, exact=True, workers=1)
        exact = frame[column].to_numpy()
        largest = max(int((g < graph.n_actors).sum()) for g in controlled_groups(net, graph)) if name == "power" else 1
        print(f"{name}: exact {cpu:.1f} CPU s ({wall:.1f} s wall)")
        entry: dict = {"exact": {"cpu_seconds": cpu, "wall_seconds": wall}, "runs": {}}
        loads.append(os.getloadavg())
        for epsilon in args.epsilons:
            k = power_sample_size(net.n_actors, largest, epsilon=epsilon, delta=args.delta)
            runs = {}
            if k < net.n_actors:
                frame, cpu, wall = timed(measure, net, epsilon=epsilon, delta=args.delta, method="sources", workers=1)
                runs["sources"] = dict(row(frame, column, exact, cpu, wall, args.top), sources=k)
            else:
                runs["sources"] = {"method": "sources", "sources": k, "exact": True,
                                   "cpu_seconds": entry["exact"]["cpu_seconds"]}
            frame, cpu, wall = timed(measure, net, epsilon=epsilon, delta=args.delta, method="kadabra")
            runs["kadabra"] = row(frame, column, exact, cpu, wall, args.top)
            runs["kadabra"]["omega"] = frame.attrs["omega"]
            runs["default"] = group_method(graph, None, epsilon=epsilon, delta=args.delta, largest_group=largest,
                                           sources=k)
            runs["sources_over_kadabra"] = runs["sources"]["cpu_seconds"] / runs["kadabra"]["cpu_seconds"]
            entry["runs"][str(epsilon)] = runs
            loads.append(os.getloadavg())
            print(f"  epsilon {epsilon}: sources {runs['sources']}\n  kadabra {runs['kadabra']}\n"
                  f"  default {runs['default']}, sources / kadabra CPU {runs['sources_over_kadabra']:.1f}")
        seeds = []
        for seed in range(args.seeds):
            frame, cpu, wall = timed(measure, net, epsilon=args.epsilons[0], delta=args.delta, seed=seed,
                                     method="kadabra")
            seeds.append(row(frame, column, exact, cpu, wall, args.top))
        if seeds:
            errors = [s["max_error"] for s in seeds]
            entry["seeds"] = {"epsilon": args.epsilons[0], "runs": seeds, "within": sum(e <= args.epsilons[0]
                                                                                       for e in errors),
                              "max_error": max(errors), "min_recall": min(s["recall"] for s in seeds),
                              "mean_recall": float(np.mean([s["recall"] for s in seeds]))}
            print(f"  {len(seeds)} seeds at epsilon {args.epsilons[0]}: within {entry['seeds']['within']}, "
                  f"max error {entry['seeds']['max_error']:.4f}, recall {entry['seeds']['min_recall']:.3f}"
                  f"-{max(s['recall'] for s in seeds):.3f}")
        results[name] = entry
        loads.append(os.getloadavg())
    if args.json:
        from importlib.metadata import version

        result = {
            "date": datetime.date.today().isoformat(), "cores": os.cpu_count(), "load_averages": loads,
            "numba_threads": __import__("numba").get_num_threads(),
            "versions": {name: version(name) for name in ("dependencia", "igraph", "numba", "pandas")},
            "command": "python benchmarks/bench_group_sampling.py " + " ".join(sys.argv[1:]),
            "actors": args.nodes, "dependencies": int(len(net.dependencies)),
            "infrastructures": args.infrastructures, "owners": args.owners, "delta": args.delta, "top": args.top,
            "graph": {"nodes": graph.n_nodes, "edges": graph.n_edges, "route_nodes": graph.n_route_nodes},
            **results,
        }
        args.json.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
