"""CPU seconds of one debt-brake experiment run, two checkouts side by side, interleaved (issues 17 and 19).

Each run is made as a worker of ``dependencia experiment`` makes it
(:func:`dependencia.batch.runs._run_one`: the scenario loaded once per worker
with the experiment's fixed settings, then per run the arm's setting and the
seed, the run folder written with its checkpoints, tables and final network),
for the shipped experiment ``debt-brake.yaml``: 50 steps,
``public.interest_rate=0.0173``, ``policies.fiscal_rule.enabled=true``, both
arms (``policies.debt_brake.enabled`` false and true).

For every round, each checkout runs in a fresh process of its own (the
order alternates from round to round), which runs ``--seeds`` seeds x 2
arms and reports, per run, the CPU seconds of the process (user + system,
``time.process_time``) and the wall seconds; the parent also takes the
process's whole CPU seconds (imports and set-up included) from
``resource.getrusage(RUSAGE_CHILDREN)``. The run folders of both checkouts
are compared file by file (``steps``, ``actors`` and ``events`` Parquet
tables and ``network-final.json``): the speed-up must give the same bytes.

The screening of issue 17 (8 settings, 10 trajectories x 5 seeds: 9 x 10
points x 5 seeds x 2 arms = 900 runs) on 2 workers is extrapolated as 900
x (mean CPU seconds per run) / 2 + one worker's set-up: an ideal split over
two cores that are not shared.

Usage: python benchmarks/bench_debt_brake_run.py --baseline-src /path/to/main/src [--rounds 3] [--seeds 2]
       [--json benchmarks/results-debt-brake-run.json]
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIXED = ("public.interest_rate=0.0173", "policies.fiscal_rule.enabled=true")
ARMS = {"control": "policies.debt_brake.enabled=false", "treatment": "policies.debt_brake.enabled=true"}
COMPARED = ("steps.parquet", "actors.parquet", "events.parquet", "network-final.json")
SCREENING_RUNS = 9 * 10 * 5 * 2


def child(out: Path, seeds: int, steps: int) -> dict:
    """Run ``seeds`` x 2 arms in this process as an experiment's worker does; per-run seconds."""
    start_cpu, start_wall = time.process_time(), time.perf_counter()
    from dependencia.batch.runs import RunSettings, _run_one, _setup

    state = _setup(RunSettings("debt-brake", steps, FIXED))
    setup_cpu = time.process_time() - start_cpu
    runs = []
    for seed in range(1, seeds + 1):
        for arm, setting in ARMS.items():
            run_id = f"{arm}-s{seed}"
            cpu, wall = time.process_time(), time.perf_counter()
            _, status, error = _run_one(state, (str(out), run_id, seed, [setting]))
            if status != "complete":
                raise SystemExit(f"run {run_id} failed: {error}")
            runs.append({"run_id": run_id, "cpu_seconds": time.process_time() - cpu,
                         "wall_seconds": time.perf_counter() - wall})
    return {"import_and_setup_cpu_seconds": setup_cpu, "runs": runs,
            "process_cpu_seconds": time.process_time() - start_cpu,
            "process_wall_seconds": time.perf_counter() - start_wall}


def measure(src: Path, out: Path, seeds: int, steps: int) -> dict:
    """One fresh process of the checkout ``src`` running the runs into ``out``."""
    report = out / "child.json"
    env = {**os.environ, "PYTHONPATH": str(src.resolve())}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, __file__, "--child", str(out), "--seeds", str(seeds), "--steps", str(steps),
                    "--json", str(report)], env=env, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = json.loads(report.read_text())
    result["whole_process_cpu_seconds"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result


def digests(out: Path) -> dict[str, str]:
    sums = {}
    for run in sorted((out / "runs").iterdir()):
        for name in COMPARED:
            sums[f"{run.name}/{name}"] = hashlib.sha256((run / name).read_bytes()).hexdigest()
    return sums


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline-src", type=Path, help="the src/ folder of the checkout to compare with")
    parser.add_argument("--src", type=Path, default=Path(__file__).resolve().parents[1] / "src",
                        help="the src/ folder measured (default: this checkout's)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seeds", type=int, default=2, help="seeds per process (each run in both arms)")
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        args.json.write_text(json.dumps(child(args.child, args.seeds, args.steps)))
        return
    trees = {"after": args.src}
    if args.baseline_src is not None:
        trees = {"before": args.baseline_src, "after": args.src}
    load_before = list(os.getloadavg())
    results: dict[str, list[dict]] = {name: [] for name in trees}
    same: list[bool] = []
    with tempfile.TemporaryDirectory() as folder:
        for i in range(args.rounds):
            order = list(trees) if i % 2 == 0 else list(reversed(trees))
            sums = {}
            for name in order:
                out = Path(folder) / f"{name}-{i}"
                out.mkdir()
                results[name].append(measure(trees[name], out, args.seeds, args.steps))
                sums[name] = digests(out)
                runs = results[name][-1]["runs"]
                print(f"round {i} {name}: " + ", ".join(f"{r['cpu_seconds']:.2f}" for r in runs)
                      + " CPU s per run", flush=True)
            if len(sums) == 2:
                same.append(sums["before"] == sums["after"])
                print(f"round {i}: same bytes: {same[-1]}", flush=True)
    summary = {}
    for name, rounds in results.items():
        per_run = [r["cpu_seconds"] for rnd in rounds for r in rnd["runs"]]
        setup = statistics.mean(rnd["import_and_setup_cpu_seconds"] for rnd in rounds)
        mean = statistics.mean(per_run)
        summary[name] = {
            "runs": len(per_run), "cpu_seconds_per_run_mean": mean, "cpu_seconds_per_run_median": statistics.median(per_run),
            "cpu_seconds_per_run_min": min(per_run), "cpu_seconds_per_run_max": max(per_run),
            "wall_seconds_per_run_mean": statistics.mean(r["wall_seconds"] for rnd in rounds for r in rnd["runs"]),
            "import_and_setup_cpu_seconds_mean": setup,
            "whole_process_cpu_seconds": [rnd["whole_process_cpu_seconds"] for rnd in rounds],
            "screening_minutes_on_2_workers": (SCREENING_RUNS * mean / 2 + setup) / 60,
        }
        print(f"{name}: {mean:.2f} CPU s per run (median {summary[name]['cpu_seconds_per_run_median']:.2f}, "
              f"{len(per_run)} runs); 900-run screening on 2 workers ~ "
              f"{summary[name]['screening_minutes_on_2_workers']:.1f} min", flush=True)
    if "before" in summary:
        ratio = summary["before"]["cpu_seconds_per_run_mean"] / summary["after"]["cpu_seconds_per_run_mean"]
        print(f"speed-up: {ratio:.2f}x; same bytes in every round: {all(same)}")
    result = {
        "date": datetime.date.today().isoformat(), "cores": os.cpu_count(),
        "load_average_before": load_before, "load_average_after": list(os.getloadavg()),
        "command": "python benchmarks/bench_debt_brake_run.py " + " ".join(sys.argv[1:]),
        "trees": {name: str(path) for name, path in trees.items()}, "steps": args.steps, "seeds": args.seeds,
        "rounds": args.rounds, "summary": summary, "same_bytes": same, "raw": results,
    }
    if "before" in summary:
        result["speedup"] = summary["before"]["cpu_seconds_per_run_mean"] / summary["after"]["cpu_seconds_per_run_mean"]
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
