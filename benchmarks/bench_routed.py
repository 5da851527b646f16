"""Actor power on the routed graph against the hub graph, in one run (issue 16).

The graph is issue 3's scale-free graph (20,000 actors, 94,921 dependencies). Every
dependency is routed through one of 50 closed infrastructures (drawn at random,
seeded), owned by 10 owners (5 each); so the routed graph has one route node per
distinct route (up to 94,921) where the hub graph has 50 shared nodes. Printed:
seconds for exact actor power (``dp.power(..., paths=..., exact=True)``, all actors, the
owners' groups included) and for exact node betweenness (``dp.betweenness(..., exact=True)``: actors
and infrastructures; without ``exact=True`` the routed graph, past ``EXACT_COST_LIMIT``, would be
sampled) on each graph, and their ratios. Target: routed at most 1.3 times the hub's time.
On a shared machine those wall-clock ratios move with the load, so the kernels
are also timed alone, in CPU seconds of this one process (minimum of ``--repeats`` runs, side by side):
igraph's Brandes on the hub graph against the routed kernel with the infrastructures' groups, from the
same ``--kernel-sources`` seeded source actors. Node betweenness is also timed in CPU seconds of
the process tree (this process and its worker processes: user + sys), and run ``--rounds`` times,
hub then routed in each round (the stored ``betweenness_*`` figures are the medians over the rounds,
every round is kept under ``betweenness_rounds``), with the load average before each call.

Usage: python benchmarks/bench_routed.py [--nodes 20000] [--infrastructures 50] [--owners 10]
       [--kernel-sources 150] [--repeats 5] [--rounds 3] [--json benchmarks/results-routed.json]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_power import make_edges  # noqa: E402

import dependencia as dp  # noqa: E402
from dependencia.graph import compile_graph  # noqa: E402


def routed_network(nodes: int, infrastructures: int, owners: int) -> dp.Network:
    """The benchmark network: every dependency via one of ``infrastructures`` closed infrastructures."""
    edges, _ = make_edges(nodes)
    ids = np.array([f"n{i}" for i in range(nodes)], dtype=object)
    rng = np.random.default_rng(16)
    owner_ids = ids[rng.choice(nodes, size=owners, replace=False)]
    infra = [f"x{i}" for i in range(infrastructures)]
    via = rng.integers(infrastructures, size=len(edges))
    return dp.Network(
        pd.DataFrame({"id": ids}),
        pd.DataFrame({"dependent": ids[edges[:, 0]], "provider": ids[edges[:, 1]],
                      "via": [(infra[i],) for i in via]}),
        infrastructures=pd.DataFrame({"id": infra, "owner": [owner_ids[i % owners] for i in range(infrastructures)]}),
    )


def tree_cpu_seconds() -> float:
    """User + sys CPU seconds of this process and of its ended worker processes."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def betweenness_round(net: dp.Network) -> dict[str, dict[str, float]]:
    """Wall and process-tree CPU seconds of exact node betweenness, hub then routed, with the load before each."""
    timing = {}
    for paths in ("hub", "routed"):
        load, start, cpu = os.getloadavg()[0], time.perf_counter(), tree_cpu_seconds()
        dp.betweenness(net, paths=paths, exact=True)  # past EXACT_COST_LIMIT the routed graph would be sampled
        timing[paths] = {"seconds": time.perf_counter() - start, "cpu_seconds": tree_cpu_seconds() - cpu,
                         "load_average": load}
    return timing


def kernel_seconds(net: dp.Network, sources: int, repeats: int) -> dict[str, float]:
    """CPU seconds (this process, minimum of ``repeats``) of the hub's and the routed node-betweenness kernels.

    ``routed`` is ``routed_pair_sums`` (the groups' membership lists built on
    each call, then the compiled kernel), ``routed_compiled`` the compiled
    kernel alone on membership lists built once before.
    """
    from dependencia.base.executor import Executor
    from dependencia.measures import _routed_kernels
    from dependencia.measures._pair_sums import contract_routes, directed_engine, group_lists, routed_pair_sums

    hub, routed = compile_graph(net, paths="hub"), compile_graph(net, paths="routed")
    chosen = np.sort(np.random.default_rng(3).choice(routed.n_actors, size=sources, replace=False))
    engine = directed_engine(hub)[0]
    groups = [routed.nodes_of([x]) for x in range(routed.n_actors, routed.n_model_nodes)]
    contracted = contract_routes(routed)
    assert contracted is not None  # every route a chain
    lists = group_lists(routed, contracted, groups)

    def compiled() -> np.ndarray:
        return _routed_kernels.contracted_pair_sums(
            contracted.indptr, contracted.indices, contracted.lengths, contracted.weighted, contracted.span,
            chosen.astype(np.int64), routed.n_actors, *lists, len(groups), True)

    runs = {"hub": lambda: engine.betweenness(directed=True, sources=chosen.tolist()),
            "routed": lambda: routed_pair_sums(routed, groups, Executor(1), chosen),
            "routed_compiled": compiled}
    best = {name: float("inf") for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            start = time.process_time()
            run()
            best[name] = min(best[name], time.process_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=20_000)
    parser.add_argument("--infrastructures", type=int, default=50)
    parser.add_argument("--owners", type=int, default=10)
    parser.add_argument("--kernel-sources", type=int, default=150)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3, help="node betweenness rounds (hub, routed)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    net = routed_network(args.nodes, args.infrastructures, args.owners)
    load_start = os.getloadavg()
    dp.power(dp.examples.load("ai-stack"))  # compile the kernels before timing
    seconds, sizes = {}, {}
    for paths in ("hub", "routed"):
        graph = compile_graph(net, paths=paths)
        sizes[paths] = {"nodes": graph.n_nodes, "edges": graph.n_edges, "route_nodes": graph.n_route_nodes}
        start = time.perf_counter()
        dp.power(net, paths=paths, exact=True)  # the routed graph is past EXACT_COST_LIMIT: else it samples
        seconds[paths] = time.perf_counter() - start
        print(f"{paths:>6}: {graph.n_nodes:,} nodes, {graph.n_edges:,} edges; exact actor power {seconds[paths]:.2f} s")
    ratio = seconds["routed"] / seconds["hub"]
    rounds = []
    for number in range(args.rounds):
        timing = betweenness_round(net)
        timing["routed_over_hub"] = {key: timing["routed"][key] / timing["hub"][key]
                                     for key in ("seconds", "cpu_seconds")}
        rounds.append(timing)
        print(f"node betweenness, round {number + 1}: hub {timing['hub']['seconds']:.2f} s"
              f" ({timing['hub']['cpu_seconds']:.1f} CPU s), routed {timing['routed']['seconds']:.2f} s"
              f" ({timing['routed']['cpu_seconds']:.1f} CPU s); routed / hub {timing['routed_over_hub']['seconds']:.2f}"
              f" wall, {timing['routed_over_hub']['cpu_seconds']:.2f} CPU")

    def median(*keys: str) -> float:
        return statistics.median(timing[keys[0]][keys[1]] for timing in rounds)

    node_seconds = {paths: median(paths, "seconds") for paths in ("hub", "routed")}
    node_cpu = {paths: median(paths, "cpu_seconds") for paths in ("hub", "routed")}
    node_ratio, node_cpu_ratio = median("routed_over_hub", "seconds"), median("routed_over_hub", "cpu_seconds")
    print(f"routed / hub: actor power {ratio:.2f}, node betweenness {node_ratio:.2f} wall, {node_cpu_ratio:.2f} CPU"
          f" (medians of {args.rounds} rounds; target <= 1.3)")
    kernels = kernel_seconds(net, args.kernel_sources, args.repeats)
    kernel_ratio = kernels["routed"] / kernels["hub"]
    compiled_ratio = kernels["routed_compiled"] / kernels["hub"]
    print(f"node betweenness kernels, CPU seconds for {args.kernel_sources} sources: hub {kernels['hub']:.3f},"
          f" routed {kernels['routed']:.3f}, routed / hub {kernel_ratio:.2f}; the compiled kernel alone"
          f" {kernels['routed_compiled']:.3f}, {compiled_ratio:.2f}")
    if args.json:
        from importlib.metadata import version

        result = {
            "date": datetime.date.today().isoformat(), "cores": os.cpu_count(), "load_average": os.getloadavg(),
            "load_average_start": load_start,
            "versions": {name: version(name) for name in ("dependencia", "igraph", "numba", "pandas")},
            "command": "python benchmarks/bench_routed.py " + " ".join(sys.argv[1:]),
            "actors": args.nodes, "dependencies": int(len(net.dependencies)),
            "infrastructures": args.infrastructures, "owners": args.owners, "graphs": sizes,
            "power_seconds": seconds, "routed_over_hub": ratio,
            "betweenness_seconds": node_seconds, "betweenness_routed_over_hub": node_ratio,
            "betweenness_cpu_seconds": node_cpu, "betweenness_cpu_routed_over_hub": node_cpu_ratio,
            "betweenness_rounds": rounds,
            "kernel_sources": args.kernel_sources, "kernel_cpu_seconds": kernels,
            "kernel_routed_over_hub": kernel_ratio, "kernel_compiled_routed_over_hub": compiled_ratio,
        }
        args.json.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
