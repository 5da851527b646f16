"""Chokepoints on issue 3's 20,000-node graph: the compiled kernel against the igraph loop it replaced (issues 4, 19).

Timed, in one run and on the same graphs: ``dp.chokepoints(net, candidates=40,
sample=2000, seed=1)`` (the 40 nodes of highest betweenness removed one by
one, 2,000 declared dependency pairs sampled; the reported epsilon bounds
every share with probability 0.9, Hoeffding and a union bound over the
candidates) and the way it was computed before issue 19, kept here as
:func:`igraph_chokepoints`: every ordered pair with a path counted with one
igraph search per node, then for each candidate a copy of the igraph graph
without the candidate's edges and the distance of every sampled pair
recomputed. Both start with the same exact betweenness pass (the same call,
to pick the candidates and for the panopticon share): it runs once, inside
``dp.chokepoints``, and its time counts in both totals. The phases are timed
apart (betweenness, connected pairs, removals), in seconds and in CPU
seconds of the process and its worker processes (less disturbed by other
work on the machine). The two results must be the same bytes.

Cases (``--cases``):

``direct``
    issue 3's scale-free graph (20,000 nodes, 94,921 edges, hop counts),
    every node an actor, every edge a declared dependency. Every chokepoint
    value is 0 by construction: each declared dependency is a direct edge,
    so no third node's removal cuts or lengthens it.
``routed``
    the graph of ``benchmarks/bench_routed.py``: the same dependencies, each
    routed through one of 50 closed infrastructures (10 owners), so that a
    removal does cut and lengthen pairs.

Also recorded: the load average before and after each case (other work may
share the machine; the ratio is taken within the run).

``--merge`` keeps the cases of an existing ``--json`` file that this run
does not repeat (each case records its own date and load).

Usage: python benchmarks/bench_chokepoints.py [--nodes 20000] [--candidates 40] [--sample 2000]
       [--cases direct routed] [--json benchmarks/results-chokepoints.json [--merge]]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_power import make_edges  # noqa: E402
from bench_routed import routed_network  # noqa: E402

import dependencia as dp  # noqa: E402
from dependencia.base.arguments import seed_value  # noqa: E402
from dependencia.graph import compile_graph  # noqa: E402
from dependencia.measures import chokepoints as module  # noqa: E402

#: the functions of dp.chokepoints whose time is its phases
PHASES = {"graph_betweenness": "betweenness", "connected_pair_count": "connected_pairs",
          "removal_counts": "removals"}


def direct_network(nodes: int) -> dp.Network:
    """Issue 3's graph, every edge a declared dependency."""
    edges, _ = make_edges(nodes)
    ids = np.array([f"n{i}" for i in range(nodes)], dtype=object)
    return dp.Network(pd.DataFrame({"id": ids}),
                      pd.DataFrame({"dependent": ids[edges[:, 0]], "provider": ids[edges[:, 1]]}))


def cpu_seconds() -> float:
    """User and system CPU seconds of this process and of its ended worker processes."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class Clock:
    """Wall-clock and CPU seconds of named phases."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    @contextlib.contextmanager
    def phase(self, name: str) -> Iterator[None]:
        start, cpu = time.perf_counter(), cpu_seconds()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start
            self.cpu[name] = self.cpu.get(name, 0.0) + cpu_seconds() - cpu


@contextlib.contextmanager
def phase_timers(clock: Clock, returned: dict) -> Iterator[None]:
    """Time the calls of dp.chokepoints to its phase functions (wrapped for the block, then restored)."""
    originals = {name: getattr(module, name) for name in PHASES}

    def timed(name, function):
        def call(*args, **kwargs):
            with clock.phase(PHASES[name]):
                returned[name] = function(*args, **kwargs)
            return returned[name]
        return call

    for name, function in originals.items():
        setattr(module, name, timed(name, function))
    try:
        yield
    finally:
        for name, function in originals.items():
            setattr(module, name, function)


def igraph_chokepoints(net: dp.Network, ordered: np.ndarray, *, candidates: int, sample: int,
                       seed: int) -> tuple[pd.DataFrame, Clock]:
    """Cut, lengthened and panopticon shares as dp.chokepoints computed them before issue 19, and their phases.

    ``ordered`` is the raw betweenness of every node (directed graph), from the
    same exact pass as ``dp.chokepoints``'s.
    """
    clock = Clock()
    with clock.phase("total"):
        graph = compile_graph(net)
        engine = graph.to_igraph()
        n = len(ordered)
        with clock.phase("connected_pairs"):
            connected = _igraph_connected_pairs(engine, graph, n)
        panopticon = ordered / connected if connected > 0 else np.zeros(n)
        pairs = module._declared_pairs(net, graph, None)
        if sample < len(pairs):
            pairs = pairs[np.sort(np.random.default_rng(seed_value(seed)).choice(len(pairs), size=sample,
                                                                                 replace=False))]
        order = np.argsort(-ordered, kind="stable")
        chosen = [int(v) for v in order if ordered[v] > 0][:candidates]
        cut, longer = np.full(n, np.nan), np.full(n, np.nan)
        with clock.phase("removals"):
            before = _igraph_pair_distances(engine, pairs, graph)
            for v in chosen:
                relevant = (pairs[:, 0] != v) & (pairs[:, 1] != v)
                reduced = engine.copy()
                reduced.delete_edges(sorted({e for u in graph.nodes_of([v]).tolist()
                                             for e in reduced.incident(u, mode="all")}))
                after = _igraph_pair_distances(reduced, pairs[relevant], graph)
                was = before[relevant]
                cut[v] = np.sum(np.isfinite(was) & ~np.isfinite(after)) / max(len(pairs), 1)
                longer[v] = np.sum(np.isfinite(after) & (after > was * (1 + 1e-10))) / max(len(pairs), 1)
    frame = pd.DataFrame({"cut": cut, "lengthened": longer, "panopticon": panopticon},
                         index=pd.Index(graph.node_ids[:n], name="id", dtype=object))
    return frame, clock


def _igraph_connected_pairs(engine, graph, n: int) -> float:
    if n == graph.n_nodes and not (graph.paths == "routed" and graph.n_model_nodes > graph.n_actors):
        return float(np.sum(np.asarray(engine.neighborhood_size(order=graph.n_nodes, mode="out")) - 1))
    actors = list(range(graph.n_actors))
    total = 0
    for first in range(0, len(actors), 512):
        chunk = actors[first:first + 512]
        rows = np.isfinite(np.asarray(engine.distances(source=chunk, target=actors, mode="out"), dtype=float))
        rows[np.arange(len(chunk)), chunk] = False
        total += int(rows.sum())
    return float(total)


def _igraph_pair_distances(engine, pairs: np.ndarray, graph) -> np.ndarray:
    weights = "length" if graph.length is not None else None
    result = np.full(len(pairs), np.inf)
    if not len(pairs):
        return result
    order = np.argsort(pairs[:, 0], kind="stable")
    sources, starts = np.unique(pairs[order, 0], return_index=True)
    for source, rows in zip(sources.tolist(), np.split(order, starts[1:])):
        result[rows] = engine.distances(source=[source], target=pairs[rows, 1].tolist(), weights=weights,
                                        mode="out")[0]
    return result


def run_case(net: dp.Network, args: argparse.Namespace) -> dict:
    """Time the kernel's way and igraph's on one network; check that they agree."""
    graph = compile_graph(net)
    load_before = os.getloadavg()
    clock, returned = Clock(), {}
    with phase_timers(clock, returned), clock.phase("total"):
        frame = dp.chokepoints(net, candidates=args.candidates, sample=args.sample, seed=1)
    ordered = returned["graph_betweenness"]["betweenness"].to_numpy()
    old, old_clock = igraph_chokepoints(net, ordered, candidates=args.candidates, sample=args.sample, seed=1)
    for kept in (old_clock.seconds, old_clock.cpu):  # the shared betweenness pass counts in both totals
        kept["total"] += (clock.seconds if kept is old_clock.seconds else clock.cpu)["betweenness"]
    old_clock.seconds["betweenness"], old_clock.cpu["betweenness"] = clock.seconds["betweenness"], clock.cpu["betweenness"]
    columns = ["cut", "lengthened", "panopticon"]
    new = frame.loc[old.index, columns].to_numpy()
    identical = bool(np.array_equal(new, old[columns].to_numpy(), equal_nan=True))
    evaluated = frame["cut"].notna()
    seconds, old_seconds = clock.seconds["total"], old_clock.seconds["total"]
    return {
        "date": datetime.date.today().isoformat(),
        "command": "python benchmarks/bench_chokepoints.py " + " ".join(sys.argv[1:]),
        "nodes": graph.n_nodes, "actors": graph.n_actors, "route_nodes": graph.n_route_nodes, "edges": graph.n_edges,
        "candidates": args.candidates, "pairs": frame.attrs["pairs"], "epsilon": frame.attrs["epsilon"],
        "delta": frame.attrs["delta"], "seconds": seconds, "phases": clock.seconds, "cpu_phases": clock.cpu,
        "igraph_seconds": old_seconds, "igraph_phases": old_clock.seconds, "igraph_cpu_phases": old_clock.cpu,
        "ratio": seconds / old_seconds, "cpu_ratio": clock.cpu["total"] / old_clock.cpu["total"],
        "removals_ratio": clock.seconds["removals"] / old_clock.seconds["removals"],
        "after_betweenness_seconds": seconds - clock.seconds["betweenness"],
        "igraph_after_betweenness_seconds": old_seconds - clock.seconds["betweenness"],
        "identical_to_igraph": identical, "largest_chokepoint": float(frame["chokepoint"].max()),
        "candidates_with_cuts": int((frame.loc[evaluated, "cut"] > 0).sum()),
        "candidates_lengthening": int((frame.loc[evaluated, "lengthened"] > 0).sum()),
        "load_average_before": load_before, "load_average_after": os.getloadavg(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=20_000)
    parser.add_argument("--candidates", type=int, default=40)
    parser.add_argument("--sample", type=int, default=2000)
    parser.add_argument("--cases", nargs="+", choices=["direct", "routed"], default=["direct", "routed"])
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--merge", action="store_true", help="keep the other cases stored in --json")
    args = parser.parse_args()
    dp.chokepoints(dp.examples.load("ai-stack"))  # imports and compiled kernels, before timing
    builders = {"direct": direct_network, "routed": lambda nodes: routed_network(nodes, 50, 10)}
    results = {}
    print(f"{os.cpu_count()} cores; {args.candidates} candidates, {args.sample} sampled pairs")
    for case in args.cases:
        result = run_case(builders[case](args.nodes), args)
        results[case] = result
        phases = ", ".join(f"{k} {v:.2f} s" for k, v in result["phases"].items() if k != "total")
        old = ", ".join(f"{k} {v:.2f} s" for k, v in result["igraph_phases"].items() if k != "total")
        print(f"{case}: {result['nodes']:,} nodes, {result['edges']:,} edges; epsilon {result['epsilon']:.3f}; "
              f"largest chokepoint value {result['largest_chokepoint']:.4f}; same bytes: {result['identical_to_igraph']}\n"
              f"  kernel: {result['seconds']:.2f} s ({phases})\n"
              f"  igraph: {result['igraph_seconds']:.2f} s ({old})\n"
              f"  ratio {result['ratio']:.3f}, CPU seconds {result['cpu_ratio']:.3f} (removals alone "
              f"{result['removals_ratio']:.4f}); load average "
              f"{result['load_average_before'][0]:.1f} -> {result['load_average_after'][0]:.1f}")
    if args.json:
        from importlib.metadata import version

        stored = json.loads(args.json.read_text()) if args.merge and args.json.is_file() else {}
        document = {
            "date": datetime.date.today().isoformat(), "cores": os.cpu_count(),
            "versions": {name: version(name) for name in ("dependencia", "igraph", "numba", "pandas")},
            **{case: stored[case] for case in ("direct", "routed") if case in stored and case not in results},
            **results,
        }
        if "direct" in document:  # the figures issue 4's section cited, at the top level
            document.update({key: document["direct"][key] for key in ("seconds", "epsilon", "largest_chokepoint")})
        args.json.write_text(json.dumps(document, indent=1) + "\n")


if __name__ == "__main__":
    main()
