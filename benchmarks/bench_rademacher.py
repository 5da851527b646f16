"""Samples drawn and CPU time by the two stopping rules of adaptive path sampling (issue 19, item 2).

KADABRA's rule (Borassi and Natale 2016) against Monte-Carlo empirical
Rademacher averages with non-uniform bounds (SILVAN, Pellegrina and Vandin
2024; ``dependencia.measures._rademacher``), at the same epsilon and delta
(0.1), on issue 9's directed scale-free graphs (``bench_power.make_edges``,
distinct edges, no self-loops): n = 20,000 (94,921 edges) with hop counts
and with lengths uniform in [1, 10] (numpy seed 7, as ``bench_weighted``),
and, with ``--large``, n = 200,000 (982,451 edges) with lengths; with
``--gnm``, also a directed G(n, m = 5n) random graph (networkx seed 42), with
hop counts and lengths: a graph without hubs, whose largest betweenness is
small. Both rules
draw the same paths in the same order (the same seed gives the same counts
at the same sample count); they differ only in when they stop.

Each run is ``adaptive_betweenness`` on the compiled graph, in this one
process, after a warm-up that loads the kernels; per run: samples drawn,
omega (the cap), CPU seconds of the process (user + system, all threads:
``time.process_time``), wall seconds, and on 20,000 nodes the largest error
against exact values (``dp.betweenness(exact=True)``, 2 workers, computed once
per graph). The machine is shared: load averages before and after are stored.

Usage: python benchmarks/bench_rademacher.py [--seeds 5] [--epsilons 0.01 0.005] [--gnm] [--large N]
       [--json benchmarks/results-rademacher.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_power import make_edges  # noqa: E402

DELTA = 0.1
BOUNDS = ("kadabra", "rademacher")


def compiled(n: int, lengths: bool, family: str = "scale-free"):
    """Issue 9's graph (or a G(n, 5n) random graph) on n nodes; lengths uniform in [1, 10] (seed 7) when asked."""
    import networkx as nx

    from dependencia.graph import CompiledGraph

    if family == "scale-free":
        edges = make_edges(n)[0]
    else:
        edges = np.array(list(nx.gnm_random_graph(n, 5 * n, seed=42, directed=True).edges()), dtype=np.int64)
    key = np.unique(edges[:, 0] * n + edges[:, 1])
    key = key[key // n != key % n]
    length = np.random.default_rng(7).uniform(1.0, 10.0, len(key)) if lengths else None
    return CompiledGraph(node_ids=np.array([f"n{i}" for i in range(n)], dtype=object), n_actors=n,
                         source=key // n, target=key % n, strength=np.ones(len(key)), length=length, directed=True,
                         dimensions=("d",))


def exact(graph, cache: Path | None) -> np.ndarray:
    """NetworkX-normalized exact betweenness (igraph, 2 workers); kept in ``cache`` for a rerun."""
    from dependencia.base.executor import Executor
    from dependencia.measures.brandes import exact_betweenness

    name = f"exact-{graph.n_nodes}-{graph.n_edges}-{'lengths' if graph.length is not None else 'hops'}.npy"
    if cache is not None and (cache / name).is_file():
        return np.load(cache / name)
    values = exact_betweenness(graph, normalized=True, executor=Executor(2))
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        np.save(cache / name, values)
    return values


def measure(graph, epsilon: float, bound: str, seed: int, truth: np.ndarray | None) -> dict:
    from dependencia.measures.adaptive import adaptive_betweenness

    wall, cpu = time.perf_counter(), time.process_time()
    estimate = adaptive_betweenness(graph, epsilon=epsilon, delta=DELTA, seed=seed, bound=bound)
    row = {"seed": seed, "samples": estimate.samples, "omega": estimate.omega,
           "cpu_seconds": time.process_time() - cpu, "wall_seconds": time.perf_counter() - wall}
    if truth is not None:
        row["max_error"] = float(np.abs(estimate.normalized() - truth).max())
    return row


def summary(runs: list[dict]) -> dict:
    out = {key: float(np.mean([r[key] for r in runs])) for key in ("samples", "cpu_seconds", "wall_seconds")}
    if "max_error" in runs[0]:
        out["largest_error"] = max(r["max_error"] for r in runs)
    return out


def run_graph(name: str, graph, epsilons: list[float], seeds: int, with_exact: bool, cache: Path | None) -> dict:
    out: dict = {"nodes": graph.n_nodes, "edges": graph.n_edges, "lengths": graph.length is not None}
    truth = None
    if with_exact:
        start = time.perf_counter()
        truth = exact(graph, cache)
        out["exact_wall_seconds"] = time.perf_counter() - start  # near 0 when read from the cache
    for epsilon in epsilons:
        rows: dict = {}
        for bound in BOUNDS:
            runs = [measure(graph, epsilon, bound, seed, truth) for seed in range(seeds)]
            rows[bound] = {"runs": runs, "mean": summary(runs)}
        k, r = rows["kadabra"]["mean"], rows["rademacher"]["mean"]
        rows["ratio_samples"] = k["samples"] / r["samples"]  # KADABRA / Rademacher
        rows["ratio_cpu"] = k["cpu_seconds"] / r["cpu_seconds"]
        out[f"epsilon_{epsilon}"] = rows
        print(f"{name} epsilon {epsilon}: KADABRA {k['samples']:.0f} paths {k['cpu_seconds']:.2f} CPU s; "
              f"Rademacher {r['samples']:.0f} paths {r['cpu_seconds']:.2f} CPU s; samples ratio "
              f"{rows['ratio_samples']:.2f}, CPU ratio {rows['ratio_cpu']:.2f}"
              + (f"; largest errors {k['largest_error']:.4f} / {r['largest_error']:.4f}" if truth is not None
                 else ""), flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=20_000)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--epsilons", type=float, nargs="+", default=[0.01, 0.005])
    parser.add_argument("--large", type=int, default=0, help="also n nodes with lengths (200000 for 1M edges)")
    parser.add_argument("--large-seeds", type=int, default=1)
    parser.add_argument("--gnm", action="store_true", help="also a directed G(n, 5n) random graph (no hubs)")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/dependencia-bench-rademacher"),
                        help="folder for the exact values (computed once)")
    args = parser.parse_args()
    import numba

    results: dict = {"delta": DELTA, "cores": os.cpu_count(), "numba_threads": numba.get_num_threads(),
                     "load_average_before": os.getloadavg(), "started": time.strftime("%Y-%m-%d %H:%M:%S %Z")}
    warm = compiled(500, True)
    for bound in BOUNDS:  # loads the kernels (hop counts and lengths) from Numba's cache
        measure(warm, 0.1, bound, 0, None)
        measure(compiled(500, False), 0.1, bound, 0, None)
    results["hops"] = run_graph("hops", compiled(args.small, False), args.epsilons, args.seeds, True,
                                args.cache)
    results["lengths"] = run_graph("lengths", compiled(args.small, True), args.epsilons, args.seeds, True,
                                   args.cache)
    if args.gnm:
        results["gnm_hops"] = run_graph("gnm hops", compiled(args.small, False, "gnm"), args.epsilons, args.seeds,
                                        True, args.cache)
        results["gnm_lengths"] = run_graph("gnm lengths", compiled(args.small, True, "gnm"), args.epsilons,
                                           args.seeds, True, args.cache)
    if args.large:
        results["large_lengths"] = run_graph("large lengths", compiled(args.large, True), args.epsilons[:1],
                                             args.large_seeds, False, None)
    results["load_average_after"] = os.getloadavg()
    print(f"load average before {results['load_average_before']}, after {results['load_average_after']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
