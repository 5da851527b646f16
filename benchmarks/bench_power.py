"""Exact betweenness: dependencia against igraph, rustworkx, NetworKit and NetworkX, in one run.

The graph is the one named in issue 3: ``networkx.scale_free_graph(n, alpha=0.1,
beta=0.8, gamma=0.1, delta_in=2, delta_out=2, seed=42)`` made a DiGraph with
self-loops removed (20,000 nodes, 94,921 edges), once with hop counts and once
with lengths drawn uniformly from [1, 10] (seeded).

Every contender starts from the same point: an edge list on disk
(``source,target,length``, names ``n0`` ... ``n19999``). Each runs in a fresh
child process and is timed from before importing its library to the values:
import, read the CSV, build its graph, compute. The peers read the file with
Python's ``csv`` module and number the names in order of appearance (about
0.1 s here; no pandas in their processes); dependencia reads it with
``dp.read`` (validated into a Network, with the actors file the CLI gets) and
computes ``dp.betweenness(net, exact=True)``, once with the default of all
cores and once with ``workers=1``. NetworkX runs on a sample of sources and
its compute time is extrapolated (labelled so). The command line
(``dependencia power --by node``) is timed end to end: process start,
reading, compiling, computing, writing JSON. Actor power, ``dp.power(net,
exact=True)`` and ``dependencia power`` (by actor, the default), runs only
when named with ``--only`` ("dependencia power", "dependencia CLI power"):
its values add the reach columns to a betweenness pass, for the memory it
peaks at (issue 19). A reference row, not a peer,
runs igraph in two forked processes that each take half of the sources: what
two cores give the fastest single-thread core.

Per-core cost, two ways: seconds times the cores the contender holds (its
worker processes or threads), and the CPU time (user + system) the parent
measures for each child and its descendants, interpreter start included
(less sensitive to other work on a shared machine). The
parent samples the proportional set size (PSS) of each process and all its
children every 50 ms and reports the peak of their sum; beside it
``peak_own_mb``, the same tree counted as if no other process on the machine
shared its libraries (``_memory.tree_own_kb``), steadier on a shared machine.

Usage::

    python benchmarks/bench_power.py --cases hops --repeat 2 --json benchmarks/results-20k.json  # about 6 minutes
    python benchmarks/bench_power.py --cases lengths --json benchmarks/results-20k.json          # about 6 minutes
    python benchmarks/bench_power.py --nodes 3000                                                # a quick look
    python benchmarks/bench_power.py --table benchmarks/results-20k.json                         # the stored table

Ratios are what to compare across machines: the machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
from _memory import tree_own_kb, tree_pss_kb

HERE = Path(__file__).resolve().parent
CLI = Path(sys.executable).with_name("dependencia")
CORES = os.cpu_count() or 1
PEERS = ("igraph", "rustworkx", "networkit", "networkx")
#: Contenders that compute actor power, the default of ``dp.power`` and ``dependencia power``, run with ``--only``.
ACTOR_POWER = ("dependencia power", "dependencia CLI power")


def cores_used(name: str) -> int:
    """Cores a contender holds while it computes (worker processes or threads)."""
    return {"dependencia workers=1": 1, "igraph": 1, "networkx": 1, "networkit": min(2, CORES),
            "igraph 2 processes": 2}.get(name, CORES)  # dependencia, its CLI and rustworkx use every core


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


def read_edge_list(path: Path) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The peers' reader: edges numbered by first appearance, lengths, and the names in that order."""
    import csv

    index: dict[str, int] = {}
    sources, targets, lengths = [], [], []
    with open(path, newline="") as stream:
        rows = csv.reader(stream)
        next(rows)
        for source, target, length in rows:
            sources.append(index.setdefault(source, len(index)))
            targets.append(index.setdefault(target, len(index)))
            lengths.append(float(length))
    return np.column_stack([sources, targets]).astype(np.int64), np.array(lengths), list(index)


def _half_sums(sources: list[int]) -> np.ndarray:
    return np.asarray(_SHARED["graph"].betweenness(directed=True, weights=_SHARED["weights"], sources=sources))


_SHARED: dict = {}


# --------------------------------------------------------------------------- contenders (child side)
def run_contender(name: str, case: str, csv: Path, nodes: int, sample: int) -> dict:
    """Import, read ``csv``, build, compute; seconds from before the import. Values saved in n0.. order."""
    weighted = case == "lengths"
    info: dict = {}
    start = time.perf_counter()
    if name.startswith("dependencia"):
        import dependencia as dp

        imported = time.perf_counter()
        net = dp.read(csv, actors=csv.with_name("actors.csv"))
        built = time.perf_counter()
        info["pss_after_read_mb"] = _own_pss_mb()
        if name == "dependencia power":  # actor power (each actor its own node here) with its reach columns
            values = dp.power(net, exact=True, normalized=False, length="length" if weighted else None)
            result = values["betweenness"].reindex([f"n{i}" for i in range(nodes)]).to_numpy()
        else:
            values = dp.betweenness(net, exact=True, normalized=False, length="length" if weighted else None,
                                    workers=1 if name == "dependencia workers=1" else None)
            result = values["betweenness"].reindex([f"n{i}" for i in range(nodes)]).to_numpy()
    else:
        if name.startswith("igraph"):
            import igraph as ig
        elif name == "rustworkx":
            import rustworkx as rx
        elif name == "networkit":
            import networkit as nk
        elif name == "networkx":
            import networkx as nx
        else:
            raise SystemExit(f"unknown contender {name}")
        imported = time.perf_counter()
        edges, lengths, names = read_edge_list(csv)
        n = len(names)
        if name.startswith("igraph"):
            graph = ig.Graph(n=n, edges=edges, directed=True)
            if weighted:
                graph.es["length"] = lengths
            built = time.perf_counter()
            if name == "igraph":
                raw = np.asarray(graph.betweenness(directed=True, weights="length" if weighted else None))
            else:  # two forked processes, each half of the sources (interleaved), partial sums added
                import multiprocessing

                _SHARED.update(graph=graph, weights="length" if weighted else None)
                with multiprocessing.get_context("fork").Pool(2) as pool:
                    raw = np.sum(pool.map(_half_sums, [list(range(0, n, 2)), list(range(1, n, 2))]), axis=0)
        elif name == "rustworkx":
            graph = rx.PyDiGraph()
            graph.add_nodes_from(range(n))
            graph.add_edges_from_no_data([tuple(e) for e in edges.tolist()])
            built = time.perf_counter()
            scores = rx.digraph_betweenness_centrality(graph, normalized=False, parallel_threshold=1)
            raw = np.array([scores[i] for i in range(n)])
        elif name == "networkit":
            nk.setNumberOfThreads(cores_used(name))
            graph = nk.graph.Graph(n, weighted=weighted, directed=True)
            if weighted:
                graph.addEdges((lengths, (edges[:, 0], edges[:, 1])))
            else:
                graph.addEdges((edges[:, 0], edges[:, 1]))
            built = time.perf_counter()
            engine = nk.centrality.Betweenness(graph, normalized=False)
            engine.run()
            raw = np.asarray(engine.scores())
        else:
            graph = nx.DiGraph()
            graph.add_nodes_from(range(n))
            if weighted:
                graph.add_weighted_edges_from(zip(edges[:, 0].tolist(), edges[:, 1].tolist(), lengths.tolist()),
                                              "length")
            else:
                graph.add_edges_from(edges.tolist())
            built = time.perf_counter()
            nx.betweenness_centrality(graph, k=sample, seed=0, normalized=False, weight="length" if weighted else None)
            done = time.perf_counter()
            return {"seconds": built - start + (done - built) * n / sample, "import_seconds": imported - start,
                    "read_build_seconds": built - imported, "measured_compute_seconds": done - built,
                    "sources": sample}
        result = np.zeros(nodes)
        result[[int(label[1:]) for label in names]] = raw
    done = time.perf_counter()
    np.save(csv.with_name(f"{name.replace(' ', '_')}-{case}.npy"), result)
    return {"seconds": done - start, "import_seconds": imported - start, "read_build_seconds": built - imported,
            "compute_seconds": done - built, **info}


def _own_pss_mb() -> float:
    with open("/proc/self/smaps_rollup") as stream:
        for line in stream:
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    return float("nan")


# --------------------------------------------------------------------------- parent side
class PeakPss:
    """Samples the summed PSS of a process and its children in a thread (``/proc/<pid>/smaps_rollup``)."""

    def __init__(self, pid: int):
        self.pid = pid
        self.peak = 0
        self.peak_own = 0  # the tree's memory as if no other process shared its libraries (_memory.tree_own_kb)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, 1024 * tree_pss_kb(self.pid))
            self.peak_own = max(self.peak_own, 1024 * tree_own_kb(self.pid))
            self._stop.wait(0.05)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def measure(command: list[str]) -> tuple[float, int, float, str, int]:
    """Wall seconds, peak summed PSS (bytes), CPU seconds of the child and its descendants, stdout, peak own bytes."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = PeakPss(child.pid)
    out, err = child.communicate()
    wall = time.perf_counter() - start
    peak = sampler.stop()
    own = sampler.peak_own
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{err}")
    return wall, peak, cpu, out, own


def versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    def installed(name: str) -> str | None:  # a peer left out with --only need not be installed
        try:
            return version(name)
        except PackageNotFoundError:
            return None

    names = ("dependencia", "igraph", "rustworkx", "networkit", "networkx", "pandas", "numpy")
    return {"python": sys.version.split()[0], **{name: installed(name) for name in names}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=20_000)
    parser.add_argument("--cases", nargs="+", default=["hops", "lengths"], choices=["hops", "lengths"])
    parser.add_argument("--repeat", type=int, default=1,
                        help="rounds over all contenders, interleaved; each contender's fastest round is kept")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only these contenders (names as in the table)")
    parser.add_argument("--networkx-sources", type=int, default=200, help="sources NetworkX runs on (extrapolated)")
    parser.add_argument("--json", type=Path,
                        help="also write the results here (cases not run now and a 'historical' key there are kept)")
    parser.add_argument("--child", nargs=5, metavar=("NAME", "CASE", "CSV", "NODES", "SAMPLE"), help=argparse.SUPPRESS)
    parser.add_argument("--baseline", choices=["python", "pandas"], help=argparse.SUPPRESS)
    parser.add_argument("--table", type=Path, metavar="JSON", help="print the table of a stored result and stop")
    args = parser.parse_args()
    if args.table:
        stored = json.loads(args.table.read_text())
        cases = {case: stored[case] for case in ("hops", "lengths") if case in stored}
        report(cases, next(iter(stored["runs"].values()))["nodes"])
        return
    if args.baseline:  # memory of the harness alone (interpreter, numpy), and with pandas imported
        if args.baseline == "pandas":
            import pandas  # noqa: F401
        time.sleep(0.2)
        return
    if args.child:
        name, case, csv, nodes, sample = args.child
        print(json.dumps(run_contender(name, case, Path(csv), int(nodes), int(sample))))
        return

    edges, lengths = make_edges(args.nodes)
    print(f"graph: {args.nodes} nodes, {len(edges)} edges (scale-free, seed 42); {CORES} cores", flush=True)
    results: dict[str, dict] = {}
    runs: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as folder:
        csv = write_csv(Path(folder) / "edges.csv", edges, lengths, args.nodes)
        memory = {}
        for baseline in ("python", "pandas"):
            _, peak, _, _, _ = measure([sys.executable, __file__, "--baseline", baseline])
            memory[baseline] = peak / 2**20
        print(f"  baseline PSS: interpreter and numpy {memory['python']:.0f} MB, with pandas {memory['pandas']:.0f} MB")
        for case in args.cases:
            run = {"date": datetime.date.today().isoformat(), "cores": CORES, "load_average_start": os.getloadavg(),
                   "versions": versions(), "nodes": args.nodes, "edges": int(len(edges)), "repeat": args.repeat,
                   "command": "python benchmarks/bench_power.py " + shlex.join(sys.argv[1:]),
                   "baseline_pss_mb": memory}
            contenders = ["dependencia", "dependencia workers=1", "igraph", "igraph 2 processes", "rustworkx",
                          "networkit", "networkx", "dependencia CLI"]
            # actor power (API and command, with its reach columns): not a peer's measure, run only when named
            contenders += [name for name in ACTOR_POWER if args.only and name in args.only]
            if case == "lengths":
                contenders.remove("rustworkx")  # it has no weighted directed betweenness
            if args.only:
                contenders = [name for name in contenders if name in args.only]
            rows: dict[str, dict] = {}
            for round_ in range(args.repeat):
                for name in contenders:
                    row = run_one(name, case, csv, args)
                    print(f"  {case:7s} round {round_ + 1} {name:22s} {row['seconds']:8.2f} s   "
                          f"peak {row['peak_pss_mb']:7.0f} MB (own {row['peak_own_mb']:.0f})", flush=True)
                    seconds = rows.get(name, {}).get("runs_seconds", []) + [row["seconds"]]
                    if name not in rows or row["seconds"] < rows[name]["seconds"]:
                        rows[name] = row
                    rows[name]["runs_seconds"] = seconds
            reference = np.load(Path(folder) / f"igraph-{case}.npy")
            for name in [n for n in ("dependencia", "dependencia workers=1", "igraph 2 processes", "dependencia power")
                         if n in rows]:
                ours = np.load(Path(folder) / f"{name.replace(' ', '_')}-{case}.npy")
                rows[name]["max_relative_difference_to_igraph"] = float(
                    np.max(np.abs(ours - reference) / np.maximum(np.abs(reference), 1e-300) * (reference != 0))
                )
            for name, row in rows.items():
                row["cores"] = cores_used(name)
                row["core_seconds"] = row["seconds"] * row["cores"]
            run["load_average_end"] = os.getloadavg()
            results[case], runs[case] = rows, run
    report(results, args.nodes)
    if args.json:
        old = json.loads(args.json.read_text()) if args.json.exists() else {}
        document = {"runs": {**old.get("runs", {}), **runs}}
        for case in ("hops", "lengths"):
            if case in results or case in old:
                document[case] = results.get(case, old.get(case))
        if "historical" in old:
            document["historical"] = old["historical"]
        args.json.write_text(json.dumps(document, indent=2) + "\n")


def run_one(name: str, case: str, csv: Path, args: argparse.Namespace) -> dict:
    """One contender in a fresh process: its row (seconds, memory, CPU)."""
    if name in ("dependencia CLI", "dependencia CLI power"):
        command = [str(CLI), "power", str(csv), "--actors", str(csv.with_name("actors.csv")), "--by",
                   "node" if name == "dependencia CLI" else "actor",
                   "--exact", "--raw", "--format", "json", "-o", str(csv.with_name("out.json"))]
        if case == "lengths":
            command += ["--length", "length"]
        wall, peak, cpu, _, own = measure(command)
        return {"seconds": wall, "process_seconds": wall, "cpu_seconds": cpu, "peak_pss_mb": peak / 2**20,
                "peak_own_mb": own / 2**20}
    command = [sys.executable, __file__, "--child", name, case, str(csv), str(args.nodes), str(args.networkx_sources)]
    wall, peak, cpu, out, own = measure(command)
    return {**json.loads(out), "process_seconds": wall, "cpu_seconds": cpu, "peak_pss_mb": peak / 2**20,
            "peak_own_mb": own / 2**20}


def cpu_seconds(row: dict, nodes: int) -> float:
    """CPU seconds of the contender's process tree; NetworkX's sampled compute scaled up to every source."""
    if "sources" in row:
        return row["cpu_seconds"] + row["measured_compute_seconds"] * (nodes / row["sources"] - 1)
    return row["cpu_seconds"]


def report(results: dict[str, dict], nodes: int) -> None:
    """The table of docs/performance.md: ratios to the fastest peer, then seconds."""
    print()
    print("| case | contender | cores | ratio to fastest peer | seconds | per-core ratio | cores x seconds | "
          "CPU ratio | CPU seconds | peak PSS (MB) | memory ratio |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for case, rows in results.items():
        peers = [p for p in PEERS if p in rows]
        fastest = min(peers, key=lambda p: rows[p]["seconds"])
        cheapest = min(rows[p]["core_seconds"] for p in peers)
        leanest = min(cpu_seconds(rows[p], nodes) for p in peers)
        base, memory = rows[fastest]["seconds"], rows[fastest]["peak_pss_mb"]
        for name, row in rows.items():
            label = f"{name} (extrapolated from {row['sources']} sources)" if "sources" in row else name
            mark = " (fastest peer)" if name == fastest else ""
            cpu = cpu_seconds(row, nodes)
            print(f"| {case} | {label}{mark} | {row['cores']} | {row['seconds'] / base:.2f} | {row['seconds']:.2f} | "
                  f"{row['core_seconds'] / cheapest:.2f} | {row['core_seconds']:.1f} | {cpu / leanest:.2f} | "
                  f"{cpu:.1f} | {row['peak_pss_mb']:.0f} | {row['peak_pss_mb'] / memory:.2f} |")
        for name in [n for n in ("dependencia", "dependencia workers=1", "igraph 2 processes", "dependencia power")
                     if n in rows]:
            print(f"| {case} | {name} vs igraph values: max relative difference "
                  f"{rows[name]['max_relative_difference_to_igraph']:.1e} | | | | | | | | | |")


if __name__ == "__main__":
    main()
