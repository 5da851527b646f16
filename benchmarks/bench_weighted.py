"""Approximate betweenness with a guarantee on directed graphs with lengths (issue 19, item 2).

Graphs: issue 9's directed scale-free graphs (``networkx.scale_free_graph``
parameters of ``bench_power.make_edges``; parallel edges and self-loops
dropped) with lengths uniform in [1, 10] (numpy seed 7): n = 200,000 (about
1M edges) and n = 20,000 (about 95,000 edges, where exact values are
affordable). Everything runs in one process, side by side, after a warm-up
call that loads the compiled kernels, timed from a Network with a ``length``
column through ``dp.betweenness`` (compiling it included):

* ``kadabra``: adaptive path sampling with balanced bidirectional Dijkstra
  (``method="kadabra"``, the default since issue 19), epsilon 0.01, delta
  0.1, seed 1, all cores;
* ``sources``: the fallback before issue 19 (``method="sources"``): a seeded
  sample of k sources by Hoeffding's bound, each exact (igraph), 2 workers.
  On the small graph k >= n, so it is the exact computation; on the large
  one it is extrapolated from ``--probe`` sources (k / probe times their
  time), as is the exact pass (n / probe times);
* ``exact`` (small graph only): ``dp.betweenness(..., exact=True)``, 2 workers.

Then, on the small graph, kadabra over ``--seeds`` seeds (0, 1, ...) from the
compiled graph: the share of runs with every node within epsilon of exact,
the largest error, top-100 recall, and the paths drawn against omega (the
most the stopping rule could draw).

Usage: python benchmarks/bench_weighted.py [--small 20000] [--large 200000] [--seeds 50]
       [--json benchmarks/results-weighted.json]
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

EPSILON, DELTA, SEED, WORKERS = 0.01, 0.1, 1, 2


def weighted_network(n: int):
    """Issue 9's scale-free graph on n nodes, distinct edges, lengths uniform in [1, 10]."""
    import pandas as pd

    import dependencia as dp

    edges = make_edges(n)[0]
    key = np.unique(edges[:, 0] * n + edges[:, 1])
    key = key[key // n != key % n]
    length = np.random.default_rng(7).uniform(1.0, 10.0, len(key))
    ids = np.array([f"n{i}" for i in range(n)], dtype=object)
    deps = pd.DataFrame({"dependent": ids[key // n], "provider": ids[key % n], "length": length})
    return dp.Network(pd.DataFrame({"id": ids}), deps)


def top(values: np.ndarray, k: int = 100) -> set[int]:
    return set(np.argsort(-values, kind="stable")[:k].tolist())


def timed(call) -> tuple[object, float]:
    start = time.perf_counter()
    result = call()
    return result, time.perf_counter() - start


def betweenness(net, **kwargs) -> np.ndarray:
    import dependencia as dp

    return dp.betweenness(net, length="length", **kwargs)["betweenness"].to_numpy()


def run_small(n: int, seeds: int) -> dict:
    from dependencia.graph import compile_graph
    from dependencia.measures.adaptive import adaptive_betweenness

    net = weighted_network(n)
    out: dict = {"nodes": n, "edges": int(len(net.dependencies))}
    truth, out["exact_seconds"] = timed(lambda: betweenness(net, exact=True, workers=WORKERS))
    rows = {}
    for name, kwargs in (("kadabra", {"method": "kadabra"}), ("sources", {"method": "sources", "workers": WORKERS})):
        values, seconds = timed(lambda kw=kwargs: betweenness(net, epsilon=EPSILON, delta=DELTA, seed=SEED, **kw))
        rows[name] = {"seconds": seconds, "max_error": float(np.abs(values - truth).max()),
                      "top100_recall": len(top(values) & top(truth)) / 100}
        print(f"small {name}: {seconds:.2f} s, max error {rows[name]['max_error']:.4f}, "
              f"recall {rows[name]['top100_recall']:.2f}", flush=True)
    out["contenders"] = rows
    print(f"small exact: {out['exact_seconds']:.2f} s", flush=True)
    graph = compile_graph(net, length="length")
    runs = []
    for seed in range(seeds):
        estimate, seconds = timed(lambda s=seed: adaptive_betweenness(graph, epsilon=EPSILON, delta=DELTA, seed=s))
        values = estimate.normalized()
        runs.append({"seed": seed, "seconds": seconds, "max_error": float(np.abs(values - truth).max()),
                     "top100_recall": len(top(values) & top(truth)) / 100, "samples": estimate.samples,
                     "omega": estimate.omega, "vertex_diameter": estimate.vertex_diameter})
    errors = np.array([r["max_error"] for r in runs])
    recalls = np.array([r["top100_recall"] for r in runs])
    out["seeds"] = {
        "runs": runs, "within_epsilon": int((errors <= EPSILON).sum()), "largest_error": float(errors.max()),
        "median_error": float(np.median(errors)), "mean_recall": float(recalls.mean()),
        "worst_recall": float(recalls.min()), "mean_seconds": float(np.mean([r["seconds"] for r in runs])),
    }
    print(f"small seeds: {out['seeds']['within_epsilon']} of {seeds} within epsilon, largest error "
          f"{errors.max():.4f}, recall mean {recalls.mean():.3f} worst {recalls.min():.2f}", flush=True)
    return out


def run_large(n: int, probe: int) -> dict:
    from dependencia.base.executor import Executor
    from dependencia.graph import compile_graph
    from dependencia.measures.adaptive import adaptive_betweenness
    from dependencia.measures.approximation import source_sample_size
    from dependencia.measures.brandes import source_sums

    net = weighted_network(n)
    out: dict = {"nodes": n, "edges": int(len(net.dependencies))}
    values, seconds = timed(lambda: betweenness(net, epsilon=EPSILON, delta=DELTA, seed=SEED))
    out["kadabra_seconds"] = seconds
    print(f"large kadabra: {seconds:.2f} s", flush=True)
    graph, out["compile_seconds"] = timed(lambda: compile_graph(net, length="length"))
    estimate, out["kadabra_from_graph_seconds"] = timed(
        lambda: adaptive_betweenness(graph, epsilon=EPSILON, delta=DELTA, seed=SEED))
    assert np.allclose(estimate.normalized(), values, rtol=1e-12, atol=0)
    out.update(samples=estimate.samples, omega=estimate.omega, vertex_diameter=estimate.vertex_diameter)
    print(f"large kadabra from the graph: {out['kadabra_from_graph_seconds']:.2f} s, {estimate.samples} paths "
          f"(omega {estimate.omega}, vertex-diameter bound {estimate.vertex_diameter})", flush=True)
    sources = np.sort(np.random.default_rng(SEED).choice(n, size=probe, replace=False))
    _, probe_seconds = timed(lambda: source_sums(graph, sources, executor=Executor(WORKERS)))
    k = min(n, source_sample_size(n, epsilon=EPSILON, delta=DELTA))
    out.update(probe_sources=probe, probe_seconds=probe_seconds, sources_k=k,
               sources_seconds_extrapolated=probe_seconds * k / probe,
               exact_seconds_extrapolated=probe_seconds * n / probe)
    print(f"large sources: {probe} sources in {probe_seconds:.2f} s; k = {k}: about "
          f"{out['sources_seconds_extrapolated']:.0f} s; exact about {out['exact_seconds_extrapolated']:.0f} s",
          flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=20_000)
    parser.add_argument("--large", type=int, default=200_000)
    parser.add_argument("--seeds", type=int, default=50)
    parser.add_argument("--probe", type=int, default=200)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    import numba

    results: dict = {"epsilon": EPSILON, "delta": DELTA, "seed": SEED, "cores": os.cpu_count(),
                     "numba_threads": numba.get_num_threads(), "load_average_before": os.getloadavg()}
    _, results["warmup_seconds"] = timed(lambda: betweenness(weighted_network(300), epsilon=0.2))
    results["small"] = run_small(args.small, args.seeds)
    results["large"] = run_large(args.large, args.probe)
    results["load_average_after"] = os.getloadavg()
    print(f"load average before {results['load_average_before']}, after {results['load_average_after']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
