"""igraph's Brandes on the network's node numbers against the breadth-first renumbering of ``graph/locality.py``.

Exact betweenness and the actor-pair sums give igraph an engine graph whose
nodes are renumbered in breadth-first order along out-edges
(:func:`dependencia.graph.locality.locality_order`) where n*m is at least
``RENUMBER_MIN_COST``. This script times igraph's betweenness on the same
sample of sources (every 16th node of the network's numbering, the same
nodes in both) on both numberings of several graphs of 20,000 nodes, three
rounds interleaved, the fastest round kept, and checks that the values,
mapped back, agree. Single thread, one process.

Graphs: the issue-3 scale-free benchmark numbered as its actors file lists
it (``n0`` ... ``n19999``), with hop counts and with lengths uniform in
[1, 10]; the same with its node numbers shuffled; a uniformly random
directed G(n, m) with m = 5n; a Barabasi-Albert graph (undirected, m = 3),
as generated and shuffled; a power-law cluster graph (shuffled); a random
geometric graph (radius 0.012, numbered at random).

Usage::

    python benchmarks/bench_locality.py --json benchmarks/results-locality.json   # about 4 minutes
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path

import igraph as ig
import networkx as nx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_power import make_edges  # noqa: E402  (the issue-3 graph, as bench_power.py builds it)

from dependencia.graph.locality import locality_order, positions  # noqa: E402


def graphs(nodes: int) -> list[tuple[str, np.ndarray, np.ndarray | None, bool]]:
    """(name, edges, lengths or None, directed) of every graph timed."""
    shuffle = np.random.default_rng(0).permutation(nodes)
    edges, lengths = make_edges(nodes)
    gnm = np.array(list(nx.gnm_random_graph(nodes, 5 * nodes, seed=1, directed=True).edges()))
    ba = np.array(list(nx.barabasi_albert_graph(nodes, 3, seed=1).edges()))
    cluster = np.array(list(nx.powerlaw_cluster_graph(nodes, 3, 0.3, seed=1).edges()))
    geometric = np.array(list(nx.random_geometric_graph(nodes, 0.012, seed=1).edges()))
    return [
        ("scale-free, actors-file numbers, hop counts", edges, None, True),
        ("scale-free, actors-file numbers, lengths", edges, lengths, True),
        ("scale-free, shuffled numbers, hop counts", shuffle[edges], None, True),
        ("G(n, 5n) directed", gnm, None, True),
        ("Barabasi-Albert undirected", ba, None, False),
        ("Barabasi-Albert undirected, shuffled", shuffle[ba], None, False),
        ("power-law cluster undirected, shuffled", shuffle[cluster], None, False),
        ("random geometric undirected", geometric, None, False),
    ]


def timed(n: int, edges: np.ndarray, lengths: np.ndarray | None, directed: bool, sources: np.ndarray,
          position: np.ndarray | None) -> tuple[float, np.ndarray]:
    """Seconds of igraph's betweenness from ``sources``, and its values in the network's numbering."""
    numbered = edges if position is None else position[edges]
    graph = ig.Graph(n=n, edges=numbered.tolist(), directed=directed)
    if lengths is not None:
        graph.es["length"] = lengths
    chosen = sources if position is None else position[sources]
    start = time.perf_counter()
    values = np.asarray(graph.betweenness(directed=directed, weights="length" if lengths is not None else None,
                                          sources=chosen.tolist()))
    seconds = time.perf_counter() - start
    return seconds, values if position is None else values[position]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=20000)
    parser.add_argument("--every", type=int, default=16, help="time the sources 0, every, 2 every, ...")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    sources = np.arange(0, args.nodes, args.every)
    results: dict = {}
    load_start = os.getloadavg()
    for name, edges, lengths, directed in graphs(args.nodes):
        both = edges if directed else np.concatenate([edges, edges[:, ::-1]])
        start = time.perf_counter()
        position = positions(locality_order(args.nodes, both[:, 0], both[:, 1]))
        order_seconds = time.perf_counter() - start
        given, renumbered = [], []
        for _ in range(args.rounds):  # interleaved: the machine's noise falls on both
            seconds, before = timed(args.nodes, edges, lengths, directed, sources, None)
            given.append(seconds)
            seconds, after = timed(args.nodes, edges, lengths, directed, sources, position)
            renumbered.append(seconds)
        difference = float(np.max(np.abs(after - before) / np.maximum(np.abs(before), 1e-300)))
        results[name] = {"network_numbers_seconds": given, "renumbered_seconds": renumbered,
                         "ratio": min(renumbered) / min(given), "order_seconds": order_seconds,
                         "edges": len(edges), "max_relative_difference": difference}
        print(f"{name:48s} {min(given):6.2f} s  renumbered {min(renumbered):6.2f} s  ratio "
              f"{results[name]['ratio']:.2f}  (order {order_seconds:.3f} s, values within {difference:.1e})",
              flush=True)
    if args.json:
        args.json.write_text(json.dumps({
            "run": {"date": datetime.date.today().isoformat(), "nodes": args.nodes, "every": args.every,
                    "rounds": args.rounds, "cores": os.cpu_count(), "igraph": ig.__version__,
                    "load_average_start": load_start, "load_average_end": os.getloadavg(),
                    "command": " ".join(["python", *sys.argv])},
            "graphs": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
