"""Exact betweenness: dependencia against igraph, rustworkx, NetworKit and NetworkX, in one run.

The graph is the one named in issue 3: ``networkx.scale_free_graph(n, alpha=0.1,
beta=0.8, gamma=0.1, delta_in=2, delta_out=2, seed=42)`` made a DiGraph with
self-loops removed (20,000 nodes, 94,921 edges), once with hop counts and once
with lengths drawn uniformly from [1, 10] (seeded).

Every contender runs in a fresh child process; the parent samples the
proportional set size (PSS) of that process and all its children every 20 ms
and reports the peak of their sum. Times are wall-clock seconds of the
computation including building the contender's graph from edge arrays
(dependencia: compiling its Network). NetworkX runs on a sample of sources and
is extrapolated (labelled so). The command line is timed end to end: process
start, reading the CSV, compiling, computing, writing JSON.

Usage::

    python benchmarks/bench_power.py              # the full run (several minutes)
    python benchmarks/bench_power.py --nodes 3000 # a quick look

Ratios are what to compare across machines: the machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
CLI = Path(sys.executable).with_name("dependencia")


# --------------------------------------------------------------------------- the graph
def make_edges(nodes: int) -> tuple[np.ndarray, np.ndarray]:
    """Edges and lengths of the benchmark graph."""
    import networkx as nx

    multi = nx.scale_free_graph(nodes, alpha=0.1, beta=0.8, gamma=0.1, delta_in=2, delta_out=2, seed=42)
    graph = nx.DiGraph(multi)
    graph.remove_edges_from(list(nx.selfloop_edges(graph)))
    edges = np.array(list(graph.edges()), dtype=np.int64)
    lengths = np.random.default_rng(1).uniform(1.0, 10.0, len(edges))
    return edges, lengths


def write_csv(path: Path, edges: np.ndarray, lengths: np.ndarray, nodes: int) -> Path:
    with open(path, "w") as stream:
        stream.write("source,target,length\n")
        stream.writelines(f"n{u},n{v},{w!r}\n" for (u, v), w in zip(edges.tolist(), lengths.tolist()))
    actors = path.with_name("actors.csv")  # isolated nodes (none here) would count in n
    actors.write_text("id\n" + "".join(f"n{i}\n" for i in range(nodes)))
    return path


# --------------------------------------------------------------------------- contenders (child side)
def run_contender(name: str, case: str, data: Path, nodes: int, sample: int) -> dict:
    loaded = np.load(data)
    edges, lengths = loaded["edges"], loaded["lengths"]
    weighted = case == "lengths"
    start = time.perf_counter()
    if name == "dependencia":
        import pandas as pd

        import dependencia as dp

        ids = np.array([f"n{i}" for i in range(nodes)], dtype=object)
        deps = pd.DataFrame({"dependent": ids[edges[:, 0]], "provider": ids[edges[:, 1]], "length": lengths})
        net = dp.Network(pd.DataFrame({"id": ids}), deps)
        start = time.perf_counter()  # the Network exists; compiling and computing are timed
        values = dp.betweenness(net, exact=True, normalized=False, length="length" if weighted else None)
        result = values["betweenness"].to_numpy()
    elif name == "igraph":
        import igraph as ig

        graph = ig.Graph(n=nodes, edges=edges, directed=True)
        if weighted:
            graph.es["length"] = lengths
        result = np.asarray(graph.betweenness(directed=True, weights="length" if weighted else None))
    elif name == "rustworkx":
        import rustworkx as rx

        graph = rx.PyDiGraph()
        graph.add_nodes_from(range(nodes))
        graph.add_edges_from_no_data([tuple(e) for e in edges.tolist()])
        scores = rx.digraph_betweenness_centrality(graph, normalized=False, parallel_threshold=1)
        result = np.array([scores[i] for i in range(nodes)])
    elif name == "networkit":
        import networkit as nk

        nk.setNumberOfThreads(2)
        graph = nk.graph.Graph(nodes, weighted=weighted, directed=True)
        if weighted:
            graph.addEdges((lengths, (edges[:, 0], edges[:, 1])))
        else:
            graph.addEdges((edges[:, 0], edges[:, 1]))
        engine = nk.centrality.Betweenness(graph, normalized=False)
        engine.run()
        result = np.asarray(engine.scores())
    elif name == "networkx":
        import networkx as nx

        graph = nx.DiGraph()
        graph.add_nodes_from(range(nodes))
        if weighted:
            graph.add_weighted_edges_from(zip(edges[:, 0].tolist(), edges[:, 1].tolist(), lengths.tolist()), "length")
        else:
            graph.add_edges_from(edges.tolist())
        start = time.perf_counter()
        nx.betweenness_centrality(graph, k=sample, seed=0, normalized=False, weight="length" if weighted else None)
        seconds = time.perf_counter() - start
        return {"seconds": seconds * nodes / sample, "measured_seconds": seconds, "sources": sample}
    else:
        raise SystemExit(f"unknown contender {name}")
    seconds = time.perf_counter() - start
    np.save(data.with_name(f"{name}-{case}.npy"), result)
    return {"seconds": seconds}


# --------------------------------------------------------------------------- parent side
class PeakPss:
    """Samples the summed PSS of a process and its children in a thread."""

    def __init__(self, pid: int):
        import psutil

        self.process = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            total = 0
            try:
                for proc in [self.process, *self.process.children(recursive=True)]:
                    try:
                        total += proc.memory_full_info().pss
                    except (psutil.NoSuchProcess, psutil.AccessDenied):
                        pass
            except psutil.NoSuchProcess:
                break
            self.peak = max(self.peak, total)
            self._stop.wait(0.02)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def measure(command: list[str]) -> tuple[float, int, str]:
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = PeakPss(child.pid)
    out, err = child.communicate()
    wall = time.perf_counter() - start
    peak = sampler.stop()
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{err}")
    return wall, peak, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=20_000)
    parser.add_argument("--cases", nargs="+", default=["hops", "lengths"], choices=["hops", "lengths"])
    parser.add_argument("--networkx-sources", type=int, default=200, help="sources NetworkX runs on (extrapolated)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--child", nargs=5, metavar=("NAME", "CASE", "DATA", "NODES", "SAMPLE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        name, case, data, nodes, sample = args.child
        print(json.dumps(run_contender(name, case, Path(data), int(nodes), int(sample))))
        return

    edges, lengths = make_edges(args.nodes)
    print(f"graph: {args.nodes} nodes, {len(edges)} edges (scale-free, seed 42); {os.cpu_count()} cores")
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "graph.npz"
        np.savez(data, edges=edges, lengths=lengths)
        csv = write_csv(Path(folder) / "edges.csv", edges, lengths, args.nodes)
        for case in args.cases:
            contenders = ["dependencia", "igraph", "networkit", "networkx"]
            if case == "hops":
                contenders.insert(2, "rustworkx")  # it has no weighted directed betweenness
            rows: dict[str, dict] = {}
            for name in contenders:
                command = [sys.executable, __file__, "--child", name, case, str(data), str(args.nodes),
                           str(args.networkx_sources)]
                wall, peak, out = measure(command)
                rows[name] = {**json.loads(out), "peak_pss_mb": peak / 2**20}
                print(f"  {case:7s} {name:12s} {rows[name]['seconds']:8.2f} s   peak {peak / 2**20:7.0f} MB", flush=True)
            cli = [str(CLI), "power", str(csv), "--actors", str(csv.with_name("actors.csv")), "--exact", "--raw",
                   "--format", "json", "-o", str(Path(folder) / "out.json")]
            if case == "lengths":
                cli += ["--length", "length"]
            wall, peak, _ = measure(cli)
            rows["dependencia CLI"] = {"seconds": wall, "peak_pss_mb": peak / 2**20}
            print(f"  {case:7s} {'CLI':12s} {wall:8.2f} s   peak {peak / 2**20:7.0f} MB (end to end)", flush=True)
            reference = np.load(Path(folder) / f"igraph-{case}.npy")
            ours = np.load(Path(folder) / f"dependencia-{case}.npy")
            rows["dependencia"]["max_relative_difference_to_igraph"] = float(
                np.max(np.abs(ours - reference) / np.maximum(np.abs(reference), 1e-300) * (reference != 0))
            )
            results[case] = rows
    report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


def report(results: dict[str, dict]) -> None:
    print()
    print("| case | contender | seconds | ratio to fastest peer | peak PSS (MB) | memory ratio |")
    print("|---|---|---|---|---|---|")
    for case, rows in results.items():
        peers = ["igraph", "rustworkx"] if case == "hops" else ["igraph", "networkit"]
        fastest = min((p for p in peers if p in rows), key=lambda p: rows[p]["seconds"])
        base, memory = rows[fastest]["seconds"], rows[fastest]["peak_pss_mb"]
        for name, row in rows.items():
            label = f"{name} (extrapolated from {row['sources']} sources)" if "sources" in row else name
            mark = " (fastest peer)" if name == fastest else ""
            print(f"| {case} | {label}{mark} | {row['seconds']:.2f} | {row['seconds'] / base:.2f} | "
                  f"{row['peak_pss_mb']:.0f} | {row['peak_pss_mb'] / memory:.2f} |")
        diff = rows["dependencia"]["max_relative_difference_to_igraph"]
        print(f"| {case} | dependencia vs igraph values: max relative difference {diff:.1e} | | | | |")


if __name__ == "__main__":
    main()
