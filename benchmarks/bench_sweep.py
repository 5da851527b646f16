"""The same CPU-bound sweep, and distributed exact power, with 1 and with 2 workers (issue 9; target: at least 1.7x).

The sweep: the shipped debt-brake scenario, `--steps` steps, the debt brake on
and off, `--seeds` seeds (8 runs by default). Each worker count writes its own
sweep folder; the per-run tables must be byte-identical between them, and the
script checks it.

With ``--power N``: exact actor power of issue 3's scale-free graph of N
nodes (20,000: about 95,000 edges) with 1 and with 2 worker processes, the
values checked equal.

Usage: python benchmarks/bench_sweep.py [--steps 20] [--seeds 4] [--power 20000] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import dependencia as dp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--seeds", type=int, default=4)
    parser.add_argument("--power", type=int, default=0, help="also time exact actor power on this many nodes")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    spec = {"scenario": "debt-brake", "steps": args.steps, "seeds": {"count": args.seeds, "start": 1},
            "vary": {"policies.debt_brake.enabled": [True, False]}, "outcomes": ["private_top5_share", "hhi"]}
    seconds = {}
    with tempfile.TemporaryDirectory() as folder:
        warm = {**spec, "steps": 1, "seeds": [1], "vary": {"policies.debt_brake.enabled": [True]}}
        dp.sweep(warm, out=Path(folder) / "warm-up", workers=1)  # imports and compiled kernels, before timing
        for workers in (1, 2):
            start = time.perf_counter()
            runs = dp.sweep(spec, out=Path(folder) / f"w{workers}", workers=workers)
            seconds[workers] = time.perf_counter() - start
            print(f"{workers} worker(s): {len(runs)} runs in {seconds[workers]:.1f} s", flush=True)
        same = all(
            (Path(folder) / "w1" / "runs" / run_id / table).read_bytes()
            == (Path(folder) / "w2" / "runs" / run_id / table).read_bytes()
            for run_id in runs.index for table in ("steps.parquet", "actors.parquet", "events.parquet")
        )
    speedup = seconds[1] / seconds[2]
    print(f"speed-up with 2 workers: {speedup:.2f}x (target >= 1.7); per-run tables byte-identical: {same}")
    result = {"runs": len(runs), "steps": args.steps, "seconds": seconds, "speedup": speedup, "identical": same}
    if args.power:
        result["power"] = power_speedup(args.power)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")


def power_speedup(nodes: int) -> dict:
    import sys

    import numpy as np
    import pandas as pd

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_power import make_edges

    edges, _ = make_edges(nodes)
    ids = np.array([f"n{i}" for i in range(nodes)], dtype=object)
    net = dp.Network(pd.DataFrame({"id": ids}),
                     pd.DataFrame({"dependent": ids[edges[:, 0]], "provider": ids[edges[:, 1]]}))
    dp.power(dp.examples.load("ai-stack"))  # compiled kernels, before timing
    seconds, values = {}, {}
    for workers in (1, 2):
        start = time.perf_counter()
        values[workers] = dp.power(net, workers=workers)["power"].to_numpy()
        seconds[workers] = time.perf_counter() - start
        print(f"exact actor power, {nodes:,} nodes, {len(edges):,} edges, {workers} worker(s): "
              f"{seconds[workers]:.1f} s", flush=True)
    same = bool((values[1] == values[2]).all())
    print(f"speed-up with 2 workers: {seconds[1] / seconds[2]:.2f}x (target >= 1.7); identical values: {same}")
    return {"nodes": nodes, "edges": int(len(edges)), "seconds": seconds, "speedup": seconds[1] / seconds[2],
            "identical": same}


if __name__ == "__main__":
    main()
