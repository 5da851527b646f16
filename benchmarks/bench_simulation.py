"""The simulation's greedy investment step: dependencia's way against the naive way, in one run (issue 6).

Network: issue 3's scale-free graph at 10,000 actors (about 47,500
dependencies, one dimension); 10 investors (the actors with most dependents)
play ``greedy`` with 20 candidate moves each per step and a budget of 1,000.

- dependencia's way: ``Simulation.run`` for ``--steps`` steps. A candidate is
  scored over the source actors that reach a changed hop (exact up to
  ``evaluation.sample`` of them, a common seeded sample above).
- naive way: the same steps, every candidate scored by applying it and
  recomputing the investor's exact power share with ``dp.power`` on the changed
  network. It runs ``--naive-steps`` steps over ``--naive-candidates``
  candidates per investor (default: all 20); when fewer, the time per
  candidate is extrapolated to the full step and the output says so.
- agreement: for every investor-step the naive way evaluates, whether the
  fast score picks the same move as the exact share gain (both among the
  first ``--naive-candidates`` candidates: all of them by default), the
  exact gain of the move it picks as a share of the best exact gain (1 = as
  good as the exact choice), and the rank correlation (Spearman) of the
  fast scores with the exact gains over those candidates.

Usage: python benchmarks/bench_simulation.py [--nodes 10000] [--steps 20] [--naive-steps 2]
       [--naive-candidates 20] [--epsilon E] [--sample K] [--exact-too] [--baseline-src DIR]
       [--json out.json]

``--epsilon`` and ``--sample`` time the opt-in approximation
(``measure.epsilon``, ``evaluation.sample``: docs/simulation.md); the naive
way then still scores every candidate exactly, so the agreement says what
the approximation changes in the greedy choice. ``--exact-too`` times the
default way first in the same run (side by side); with ``--baseline-src`` too, the
baseline checkout is timed both ways as well (``baseline/fast_cpu_seconds_per_step``). The output gives the
seconds per step of each phase (measure, pay, invest = scoring and choosing
the moves, adopt = applying them) and the process's CPU seconds per step,
steadier than wall time on a machine that other work shares.

Stored runs: ``benchmarks/results-simulation-10k.json`` (``--nodes 10000
--steps 20 --naive-steps 2 --naive-candidates 5``, about 35 minutes) and
``benchmarks/results-simulation-2k.json`` (``--nodes 2000 --steps 20
--naive-steps 2``: every candidate scored both ways).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_power import make_edges  # noqa: E402

import dependencia as dp  # noqa: E402
from dependencia.graph import compile_graph  # noqa: E402
from dependencia.measures.power import graph_power  # noqa: E402
from dependencia.network import edits  # noqa: E402
from dependencia.simulation import phases as phases_module  # noqa: E402
from dependencia.simulation import runner as runner_module  # noqa: E402
from dependencia.simulation.moves import apply_move  # noqa: E402


def network(nodes: int, investors: int) -> tuple[dp.Network, list[str]]:
    edges, _ = make_edges(nodes)
    ids = np.array([f"n{i}" for i in range(nodes)], dtype=object)
    dependents = np.bincount(edges[:, 1], minlength=nodes)
    chosen = ids[np.argsort(-dependents, kind="stable")[:investors]]
    actors = pd.DataFrame({"id": ids, "kind": ["firm"] * nodes})
    actors.loc[actors["id"].isin(chosen), ["kind", "budget"]] = ["platform", 1000.0]
    deps = pd.DataFrame({"dependent": ids[edges[:, 0]], "provider": ids[edges[:, 1]]})
    return dp.Network(actors, deps), sorted(chosen)


class Timer:
    candidates = 0
    seconds = 0.0
    agree = 0
    compared = 0
    regret: list = []
    spearman: list = []


def per_step(timings: dict | None, steps: int) -> dict:
    """Seconds per step of each phase (measure, pay, invest = scoring and choosing, adopt = applying, ...)."""
    return {k: round(v / max(steps, 1), 3) for k, v in sorted((timings or {}).items())}


def run_baseline(src: Path, nodes: int, steps: int, settings: list[str] | None = None) -> dict:
    """The code in ``src`` (another checkout), timed in a process of its own: its default way, and with
    ``settings`` (``--epsilon E --sample K``) its approximate way too (then ``fast_*`` keys)."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "baseline.json"
        env = {**os.environ, "PYTHONPATH": str(src.resolve())}
        extra = [*settings, "--exact-too"] if settings else []
        subprocess.run([sys.executable, __file__, "--nodes", str(nodes), "--steps", str(steps), "--naive-steps", "0",
                        *extra, "--json", str(out)], env=env, check=True)
        result = json.loads(out.read_text())
    default = "default_" if settings else "fast_"
    print(f"baseline ({src}): {result[default + 'seconds_per_step']:.2f} s per step "
          f"({result[default + 'cpu_seconds_per_step']:.2f} s of CPU)", flush=True)
    summary = {"src": str(src), "dependencia": result["versions"]["dependencia"],
               "seconds_per_step": result[default + "seconds_per_step"],
               "cpu_seconds_per_step": result[default + "cpu_seconds_per_step"],
               "phase_seconds_per_step": result[default + "phase_seconds_per_step"],
               "load_average": result["load_average"]}
    if settings:
        summary.update({"settings": result["settings"], "fast_seconds_per_step": result["fast_seconds_per_step"],
                        "fast_cpu_seconds_per_step": result["fast_cpu_seconds_per_step"],
                        "fast_phase_seconds_per_step": result["fast_phase_seconds_per_step"],
                        "run_digest": result["run_digest"], "default_run_digest": result["default_run_digest"]})
    else:
        summary["run_digest"] = result["run_digest"]
    return summary


def digest(run) -> str:
    """SHA-256 of a run's steps, actors and events tables as CSV: equal digests, the same run (the same picks)."""
    import hashlib

    text = "".join(frame.to_csv(index=False) for frame in (run.steps, run.actors, run.events))
    return hashlib.sha256(text.encode()).hexdigest()


def describe(config: dict) -> str:
    """The settings that differ from the exact default, as the --set names say them."""
    measure, evaluation = config.get("measure", {}), config.get("evaluation", {})
    parts = [f"measure.epsilon={measure['epsilon']}"] if "epsilon" in measure else []
    parts += [f"evaluation.sample={evaluation['sample']}"] if "sample" in evaluation else []
    return ", ".join(parts) or "exact default"


def rank_correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's rank correlation (average ranks for ties); NaN when either side is constant."""
    ra, rb = pd.Series(a).rank().to_numpy(), pd.Series(b).rank().to_numpy()
    if ra.std() == 0 or rb.std() == 0:
        return float("nan")
    return float(np.corrcoef(ra, rb)[0, 1])


def naive_phases(limit: int, timer: Timer):
    class NaivePhases(phases_module.Phases):
        def score(self, actor, moves, measured, paid, t, rng):
            fast = super().score(actor, moves, measured, paid, t, rng)
            exact = np.full(len(moves), -np.inf)
            costs = self.route_costs(paid, measured, t)
            start = time.perf_counter()
            before = measured.raw  # exact, unless measure.epsilon sampled it: then computed exactly here
            if self.config.measure.epsilon is not None:
                before = graph_power(self.network, compile_graph(self.network), normalized=False, workers=1,
                                     node_betweenness=False)
            top = before["controlled_by"].isna().to_numpy()
            share_before = float(before.at[actor, "power"]) / float(before["power"].to_numpy()[top].sum())
            for i, move in enumerate(moves[:limit]):
                net = self.network
                infra = move.infrastructure or "naive-candidate"
                if move.builds:
                    net = edits.add_infrastructure(net, infra, owner=actor, dimensions=(move.dimension,)).network
                net, _ = apply_move(net, move, infra, self.adopters(move, costs))
                after = graph_power(net, compile_graph(net), normalized=False, workers=1, node_betweenness=False)
                exact[i] = float(after.at[actor, "power_share"]) - share_before
            timer.seconds += time.perf_counter() - start
            timer.candidates += min(limit, len(moves))
            evaluated = min(limit, len(moves))
            if evaluated:
                timer.compared += 1
                chosen, best = int(np.argmax(fast[:evaluated])), int(np.argmax(exact[:evaluated]))
                timer.agree += int(chosen == best)
                if exact[best] > 0:
                    timer.regret.append(max(exact[chosen], 0.0) / exact[best])
                if evaluated > 1:
                    timer.spearman.append(rank_correlation(fast[:evaluated], exact[:evaluated]))
            return np.where(np.isfinite(exact), exact, -1.0)

    return NaivePhases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--investors", type=int, default=10)
    parser.add_argument("--candidates", type=int, default=20)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--naive-steps", type=int, default=2)
    parser.add_argument("--naive-candidates", type=int, default=20)
    parser.add_argument("--epsilon", type=float, help="measure.epsilon: power sampled with this guarantee "
                        "(delta 0.1) instead of exact (the opt-in approximation)")
    parser.add_argument("--sample", type=int, help="evaluation.sample: sources per scored move (default 64)")
    parser.add_argument("--exact-too", action="store_true", help="with --epsilon or --sample, also time the "
                        "default (exact measure, evaluation.sample 64) in the same run, before the approximation")
    parser.add_argument("--baseline-src", type=Path, help="a checkout's src/ folder (e.g. the code before a change, "
                        "from `git archive REV src | tar -x -C DIR`): its default way is timed first, in a "
                        "process of its own, in the same run")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    load_before = os.getloadavg()
    settings = ([f"--epsilon={args.epsilon}"] if args.epsilon is not None else []) + \
        ([f"--sample={args.sample}"] if args.sample is not None else [])
    baseline = None
    if args.baseline_src:
        baseline = run_baseline(args.baseline_src, args.nodes, args.steps, settings if args.exact_too else None)
    net, investors = network(args.nodes, args.investors)
    config = {
        "seed": 1, "candidates": args.candidates, "spillover": {"probability": 0.0},
        "investors": [{"actor": a, "strategy": "greedy"} for a in investors],
    }
    default_config = dict(config)
    if args.epsilon is not None:
        config["measure"] = {"epsilon": args.epsilon, "delta": 0.1}
    if args.sample is not None:
        config["evaluation"] = {"sample": args.sample}
    dp.power(dp.examples.load("ai-stack"))  # compile the kernels before timing
    print(f"network: {net.n_actors} actors, {len(net.dependencies)} dependencies; {len(investors)} greedy investors, "
          f"{args.candidates} candidates each", flush=True)

    default_per_step, default_phases, default_cpu, default = None, None, None, None
    if args.exact_too and config != default_config:
        start, cpu = time.perf_counter(), time.process_time()
        default = dp.Simulation(net, default_config).run(args.steps)
        default_per_step = (time.perf_counter() - start) / max(args.steps, 1)
        default_cpu = (time.process_time() - cpu) / max(args.steps, 1)
        default_phases = per_step(default.manifest.get("timings"), args.steps)
        print(f"default (exact) way: {default_per_step:.2f} s per step ({default_cpu:.2f} s of CPU); "
              f"phases {default_phases}", flush=True)

    start, cpu = time.perf_counter(), time.process_time()
    fast = dp.Simulation(net, config).run(args.steps)
    fast_time = time.perf_counter() - start
    fast_cpu = (time.process_time() - cpu) / max(args.steps, 1)
    fast_per_step = fast_time / max(args.steps, 1)
    fast_phases = per_step(fast.manifest.get("timings"), args.steps)
    print(f"dependencia's way ({describe(config)}): {args.steps} steps in {fast_time:.1f} s = {fast_per_step:.2f} s "
          f"per step ({fast_cpu:.2f} s of CPU); moves built: {int(fast.steps['built'].sum())}; phases {fast_phases}", flush=True)

    timer = Timer()
    original = runner_module.Phases
    runner_module.Phases = naive_phases(args.naive_candidates, timer)
    try:
        start = time.perf_counter()
        dp.Simulation(net, config).run(args.naive_steps)
        naive_time = time.perf_counter() - start
    finally:
        runner_module.Phases = original
    per_candidate = timer.seconds / max(timer.candidates, 1)
    full_candidates = args.investors * args.candidates
    naive_eval_per_step = per_candidate * full_candidates
    other_per_step = (naive_time - timer.seconds) / max(args.naive_steps, 1)
    naive_per_step = naive_eval_per_step + other_per_step
    extrapolated = args.naive_candidates < args.candidates
    label = " (EXTRAPOLATED from a subset of candidates)" if extrapolated else ""
    print(f"naive way: {args.naive_steps} steps, {timer.candidates} candidates scored by recomputation, "
          f"{per_candidate:.2f} s each -> {naive_per_step:.1f} s per step{label}")
    print(f"ratio naive / dependencia: {naive_per_step / fast_per_step:.1f}x (target >= 10)")
    print(f"agreement of the chosen move with exact share gains: {timer.agree}/{timer.compared} investor-steps")
    ratio = float(np.mean(timer.regret)) if timer.regret else float("nan")
    print(f"exact gain of the chosen move / best exact gain, mean over investor-steps: {ratio:.3f}")
    correlations = [c for c in timer.spearman if np.isfinite(c)]
    spearman = float(np.mean(correlations)) if correlations else float("nan")
    print(f"rank correlation of fast scores with exact gains, mean over {len(correlations)} investor-steps: "
          f"{spearman:.3f}")
    from importlib.metadata import version

    result = {
        "date": datetime.date.today().isoformat(), "cores": os.cpu_count(), "load_average": os.getloadavg(),
        "load_average_before": load_before, "numba_threads": os.environ.get("NUMBA_NUM_THREADS"),
        "moves_built": int(fast.steps["built"].sum()), "run_digest": digest(fast),
        "default_run_digest": None if default is None else digest(default),
        "versions": {name: version(name) for name in ("dependencia", "igraph", "numba", "pandas")},
        "command": "python benchmarks/bench_simulation.py " + " ".join(sys.argv[1:]),
        "nodes": net.n_actors, "dependencies": len(net.dependencies), "investors": len(investors),
        "candidates": args.candidates, "steps": args.steps, "fast_seconds_per_step": fast_per_step,
        "fast_timings": fast.manifest.get("timings"), "fast_phase_seconds_per_step": fast_phases,
        "fast_cpu_seconds_per_step": fast_cpu, "default_cpu_seconds_per_step": default_cpu,
        "settings": describe(config), "default_seconds_per_step": default_per_step,
        "default_phase_seconds_per_step": default_phases, "baseline": baseline, "naive_steps": args.naive_steps,
        "naive_candidates_scored": timer.candidates, "naive_seconds_per_candidate": per_candidate,
        "naive_seconds_per_step": naive_per_step, "naive_extrapolated": extrapolated,
        "ratio": naive_per_step / fast_per_step if timer.candidates else None,
        "agreement": [timer.agree, timer.compared], "gain_ratio": ratio if timer.regret else None,
        "naive_candidates_per_investor": args.naive_candidates, "spearman_mean": spearman if correlations else None,
        "spearman": [c if np.isfinite(c) else None for c in timer.spearman],
    }
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
