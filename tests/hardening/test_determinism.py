"""Determinism (issue 10, item 4): the same bytes with 1 or 2 threads and 1 or 2 workers; no global random state.

Every seeded command runs in two subprocesses, one with ``NUMBA_NUM_THREADS=1`` (and the BLAS/OpenMP
thread counts at 1), one with 2, and there with ``--workers 1`` and ``--workers 2`` where the command
takes workers; every output file must be byte-identical across the variants. The network for the
measures is a random directed graph of 2,498 nodes and 8,500 edges: n*m is above the cost where
betweenness and power split their sources over worker processes (``PARALLEL_MIN_COST``) and n above
the size where ``improve`` evaluates candidates in workers (``PARALLEL_MIN_NODES``), so ``--workers 2``
really runs in two processes; the approximations' Numba kernels run on 1 or 2 threads.

The contract test checks, in this process, that every seeded public function leaves Python's ``random``
and NumPy's global ``RandomState`` as they were, and gives the same result whatever their state.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import yaml
from _hardening import RUN_TABLES, TINY_SCENARIO

import dependencia as dp
from dependencia.cli import main
from dependencia.measures.betweenness import PARALLEL_MIN_COST
from dependencia.measures.improve import PARALLEL_MIN_NODES

PROGRAM = """
import json, sys
from pathlib import Path
import numba
from dependencia.cli import main
out = Path(sys.argv[2])
(out / "threads.txt").write_text(str(numba.config.NUMBA_NUM_THREADS))
for args in json.loads(sys.argv[1]):
    code = main(args)
    if code:
        sys.exit(f"dependencia {' '.join(args)}: exit {code}")
"""
SPEC = {"scenario": str(TINY_SCENARIO), "steps": 3, "seeds": [1, 2], "fixed": {"checkpoint_every": 2},
        "outcomes": ["hhi"]}
ACTOR = "n7"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inputs")
    graph = nx.gnm_random_graph(2500, 8500, seed=1, directed=True)
    lines = ["source,target"] + [f"n{u},n{v}" for u, v in graph.edges()]
    (folder / "net.csv").write_text("\n".join(lines) + "\n")
    (folder / "spec.yaml").write_text(yaml.safe_dump(SPEC))
    assert main(["simulate", str(TINY_SCENARIO), "--steps", "3", "--set", "checkpoint_every=1", "--quiet",
                 "--out", str(folder / "run")]) == 0
    return folder


def commands(inputs: Path, out: Path) -> list[list[str]]:
    net, run = str(inputs / "net.csv"), str(inputs / "run")
    listed = []
    for w in ("1", "2"):
        workers = ["--workers", w]
        listed += [
            ["power", net, "--epsilon", "0.05", "--seed", "3", "--format", "json", *workers,
             "-o", str(out / f"power-actor-epsilon.w{w}.json")],
            ["power", net, "--by", "node", "--epsilon", "0.05", "--seed", "3", "--format", "json", *workers,
             "-o", str(out / f"power-node-epsilon.w{w}.json")],
            ["power", net, "--by", "node", "--exact", "--format", "csv", *workers,
             "-o", str(out / f"power-node-exact.w{w}.csv")],
            ["improve", net, ACTOR, "--links", "2", "--strategy", "random", "--seed", "3", "--format", "json",
             *workers, "-o", str(out / f"improve-random.w{w}.json")],
            ["improve", net, ACTOR, "--links", "2", "--format", "json", *workers,
             "-o", str(out / f"improve-greedy.w{w}.json")],
            ["sweep", str(inputs / "spec.yaml"), "--out", str(out / f"sweep.w{w}"), *workers, "--quiet"],
        ]
    listed += [
        ["chokepoints", net, "--candidates", "5", "--sample", "50", "--seed", "3", "--format", "json",
         "-o", str(out / "chokepoints.json")],
        ["simulate", str(TINY_SCENARIO), "--seed", "2", "--steps", "3", "--out", str(out / "simulate"), "--quiet"],
        ["report", run, "-o", str(out / "report.html"), "--seed", "5", "--quiet"],
        ["plot", run, "--kind", "network", "-o", str(out / "plot-network.png")],
        ["plot", run, "--kind", "concentration", "-o", str(out / "plot-concentration.svg")],
    ]
    return listed


def files(out: Path) -> dict[str, list[bytes]]:
    """Every result file, keyed by its path without the workers tag (``.w1``/``.w2``).

    Of run and sweep folders only the tables and the final network: manifests hold timings.
    """
    found: dict[str, list[bytes]] = {}
    for path in sorted(out.rglob("*")):
        relative = path.relative_to(out)
        if not path.is_file() or relative.name == "threads.txt":
            continue
        if len(relative.parts) > 1 and path.name not in (*RUN_TABLES, "runs.parquet", "summary.parquet"):
            continue
        key = str(relative).replace(".w1", ".w*").replace(".w2", ".w*")
        found.setdefault(key, []).append(path.read_bytes())
    return found


@pytest.fixture(scope="module")
def outputs(inputs, tmp_path_factory):
    """Run every command with 1 and with 2 threads (two subprocesses at once)."""
    runs = {}
    for threads in ("1", "2"):
        out = tmp_path_factory.mktemp(f"threads{threads}")
        env = {**os.environ, "NUMBA_NUM_THREADS": threads, "OMP_NUM_THREADS": threads,
               "OPENBLAS_NUM_THREADS": threads, "MKL_NUM_THREADS": threads}
        runs[threads] = (out, subprocess.Popen(
            [sys.executable, "-c", PROGRAM, json.dumps(commands(inputs, out)), str(out)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True))
    for _out, process in runs.values():
        _, err = process.communicate(timeout=600)
        assert process.returncode == 0, err[-3000:]
    return {threads: out for threads, (out, _) in runs.items()}


def test_the_workloads_really_run_in_parallel():
    """The network is big enough that --workers 2 starts two processes (otherwise the test proves nothing)."""
    assert 2498 * 8500 > PARALLEL_MIN_COST and 2498 > PARALLEL_MIN_NODES


def test_thread_counts_took_effect(outputs):
    assert (outputs["1"] / "threads.txt").read_text() == "1"
    assert (outputs["2"] / "threads.txt").read_text() == "2"


def test_same_bytes_with_1_and_2_threads_and_workers(outputs):
    one, two = files(outputs["1"]), files(outputs["2"])
    assert set(one) == set(two)
    expected = {"power-actor-epsilon.w*.json", "power-node-epsilon.w*.json", "power-node-exact.w*.csv",
                "improve-random.w*.json", "improve-greedy.w*.json", "chokepoints.json", "report.html",
                "plot-network.png", "plot-concentration.svg", "simulate/steps.parquet", "sweep.w*/runs.parquet",
                "sweep.w*/summary.parquet"}
    assert expected <= set(one)
    differing = []
    for name in sorted(one):
        variants = one[name] + two[name]  # 1 thread (workers 1, 2), 2 threads (workers 1, 2)
        assert len(variants) == (4 if ".w*" in name else 2), name
        if len(set(variants)) != 1:
            differing.append(name)
    assert not differing, f"outputs that depend on threads or workers: {differing}"
    report = json.loads(one["power-actor-epsilon.w*.json"][0])
    assert report["exact"] is False and report["seed"] == 3  # the approximation ran, seeded


# ---------------------------------------------------------------- global random state
def _network() -> dp.Network:
    graph = nx.gnm_random_graph(300, 1200, seed=2, directed=True)
    return dp.Network.from_records([{"id": f"a{v}"} for v in graph],
                                   [{"dependent": f"a{u}", "provider": f"a{v}"} for u, v in graph.edges()])


def _simulation_run():
    from dependencia.simulation.scenario import load_scenario

    network, config = load_scenario(str(TINY_SCENARIO))
    return dp.Simulation(network, config).run(2).events


SEEDED = {
    "power(epsilon, seed)": lambda net, tmp: dp.power(net, epsilon=0.05, seed=1),
    "betweenness(epsilon, seed)": lambda net, tmp: dp.betweenness(net, epsilon=0.05, seed=1),
    "chokepoints(sample, seed)": lambda net, tmp: dp.chokepoints(net, candidates=3, sample=40, seed=1),
    "improve(strategy=random, seed)": lambda net, tmp: dp.improve(net, "a7", links=2, strategy="random", seed=1),
    "Simulation.run": lambda net, tmp: _simulation_run(),
    "sweep": lambda net, tmp: _sweep(tmp),
    "report(seed)": lambda net, tmp: dp.report(net, seed=1).html,
    "plot(kind=network)": lambda net, tmp: _figure_bytes(dp.plot(net, kind="network")),
}


def _sweep(tmp: Path) -> dict[str, bytes]:
    out = tmp / f"sweep{len(list(tmp.iterdir()))}"
    dp.sweep(SPEC, out=out, workers=1)
    return {name: (out / name).read_bytes() for name in ("runs.parquet", "summary.parquet")}


def _figure_bytes(figure) -> bytes:
    import io

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _same(a, b) -> bool:
    if isinstance(a, pd.DataFrame):
        return a.equals(b)
    return a == b


@pytest.mark.parametrize("name", SEEDED)
def test_seeded_function_leaves_global_random_state_alone(name, tmp_path):
    call = SEEDED[name]
    net = _network()
    results = []
    for global_seed in (11, 12):  # different global states: the same result, and the states untouched
        random.seed(global_seed)
        np.random.seed(global_seed)
        before_py, before_np = random.getstate(), np.random.get_state()
        results.append(call(net, tmp_path))
        after_np = np.random.get_state()
        assert random.getstate() == before_py, f"{name} changed Python's global random state"
        assert before_np[0] == after_np[0] and np.array_equal(before_np[1], after_np[1]) \
            and before_np[2:] == after_np[2:], f"{name} changed NumPy's global RandomState"
    assert _same(*results), f"{name} depends on the global random state"
