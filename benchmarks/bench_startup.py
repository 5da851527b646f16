"""Start-up of the command line (issue 21, "Fast start"): what a user waits for on small inputs.

Times, each in fresh processes (median of ``--repeat``):

- ``dependencia --help``                                   target: 0.5 s
- ``python -c "import dependencia"``                       target: 0.5 s
- ``dependencia power EDGES.csv``: a 13-actor edge list    target: 1.5 s
  written to a temporary folder (13 actors, 26 dependencies
  in two dimensions, no infrastructure)
- ``dependencia power ai-stack``: the shipped example      target: 1.5 s
  of 13 actors and 3 infrastructures (owned: power needs
  the group kernel, that is Numba)
- ``dependencia explain ai-stack microsoft``               target: power ai-stack + 1 s
- ``dependencia improve ai-stack openai --links 3``        target: power ai-stack + 1 s

explain and improve run with Numba's cache as after installing (``make``
runs ``python -m dependencia._warmup``; this script runs it first, so the
cache is warm), and again with an empty cache (``NUMBA_CACHE_DIR`` set to a
new empty folder for every run): the difference is the compilation that the
cache saves. Before the timed runs every command runs once untimed (the
disk cache of the files, and Numba's cache where the warm-up is missing).

Prints a table, each median wall-clock time against its target (and the
median CPU time, user + system: on a shared, loaded machine closer to what
an idle one would take), and writes the numbers to
``benchmarks/results-startup.json`` (``--json`` to change).

With ``--baseline-src DIR`` (a ``src`` folder of an earlier tree, for example
``git archive 98a3b8f src | tar -x -C /tmp/before``, the tree before issue 21) every command also runs
against that tree (``PYTHONPATH=DIR``, ``python -m dependencia``), its runs
interleaved with this tree's, and the medians are stored under ``before``
(``before/results``), beside ``results``.

Usage: python benchmarks/bench_startup.py [--repeat 5] [--cold-repeat 2] [--baseline-src DIR] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

HELP_TARGET = 0.5
POWER_TARGET = 1.5
FIRST_CALL_TARGET = 1.0  # seconds over the plain power of the same network


def cli() -> list[str]:
    """The ``dependencia`` command beside this Python (the console script a user runs), else ``-m``."""
    script = Path(sys.executable).parent / "dependencia"
    return [str(script)] if script.exists() else [sys.executable, "-m", "dependencia"]


def edge_list(folder: Path) -> Path:
    """A 13-actor edge list: a ring in one dimension and chords in another, deterministic."""
    n = 13
    rows = ["source,target,dimension"]
    rows += [f"a{i},a{(i + 1) % n},supply" for i in range(n)]
    rows += [f"a{i},a{(i + 5) % n},finance" for i in range(n)]
    path = folder / "edges13.csv"
    path.write_text("\n".join(rows) + "\n")
    return path


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    return seconds, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def one_run(command: list[str], env: dict[str, str], *, empty_cache: bool) -> tuple[float, float]:
    """One timed run; ``empty_cache``: in a new empty NUMBA_CACHE_DIR."""
    folder = tempfile.mkdtemp(prefix="numba-empty-") if empty_cache else None
    try:
        return timed(command, {**env, "NUMBA_CACHE_DIR": folder} if folder else env)
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


def measure(variants: list[tuple[list[str], dict[str, str]]], repeat: int, *,
            empty_cache: bool = False) -> list[dict]:
    """Median wall and CPU seconds of ``repeat`` runs of each (command, environment), runs interleaved."""
    walls: list[list[float]] = [[] for _ in variants]
    cpus: list[list[float]] = [[] for _ in variants]
    for _ in range(repeat):
        for i, (command, env) in enumerate(variants):
            wall, cpu = one_run(command, env, empty_cache=empty_cache)
            walls[i].append(wall)
            cpus[i].append(cpu)
    return [{"median_s": statistics.median(w), "median_cpu_s": statistics.median(c), "runs_s": w, "runs_cpu_s": c}
            for w, c in zip(walls, cpus)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="runs per warm measurement (median)")
    parser.add_argument("--cold-repeat", type=int, default=2, help="runs per empty-cache measurement (median)")
    parser.add_argument("--json", type=Path, default=HERE / "results-startup.json")
    parser.add_argument("--baseline-src", type=Path, metavar="DIR",
                        help="also time an earlier tree's src folder, interleaved; stored under 'before'")
    args = parser.parse_args()

    dependencia = cli()
    work = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    edges = edge_list(work)
    shown = {
        "help": "dependencia --help",
        "import": 'python -c "import dependencia"',
        "power_edges13": "dependencia power edges13.csv",
        "power_ai_stack": "dependencia power ai-stack",
        "explain": "dependencia explain ai-stack microsoft",
        "improve": "dependencia improve ai-stack openai --links 3",
    }
    cases = {
        "help": dependencia + ["--help"],
        "import": [sys.executable, "-c", "import dependencia"],
        "power_edges13": dependencia + ["power", str(edges)],
        "power_ai_stack": dependencia + ["power", "ai-stack"],
        "explain": dependencia + ["explain", "ai-stack", "microsoft"],
        "improve": dependencia + ["improve", "ai-stack", "openai", "--links", "3"],
    }
    variants: list[tuple[dict[str, list[str]], dict[str, str]]] = [(cases, dict(os.environ))]
    if args.baseline_src:
        old = {**os.environ, "PYTHONPATH": str(args.baseline_src.resolve())}
        module = [sys.executable, "-m", "dependencia"]
        variants.append(({name: module + command[len(dependencia):] if command[:len(dependencia)] == dependencia
                          else command for name, command in cases.items()}, old))
    warmup = subprocess.run([sys.executable, "-c", "import dependencia._warmup"], capture_output=True)
    if warmup.returncode == 0:  # as after `make`: the kernels compiled into the cache
        print("warming Numba's cache: python -m dependencia._warmup ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "dependencia._warmup"], check=True, stderr=subprocess.DEVNULL)
    for commands, env in variants:  # untimed: file caches, and the kernels' cache where no warm-up exists
        for command in commands.values():
            timed(command, env)

    tables: list[dict[str, dict]] = [{} for _ in variants]
    for name in cases:
        for table, entry in zip(tables, measure([(c[name], e) for c, e in variants], args.repeat)):
            table[name] = {"command": shown[name], **entry}
    for name in ("explain", "improve"):
        cold = measure([(c[name], e) for c, e in variants], args.cold_repeat, empty_cache=True)
        for table, entry in zip(tables, cold):
            table[f"{name}_empty_cache"] = {"command": shown[name] + " (empty Numba cache)", **entry}
    shutil.rmtree(work, ignore_errors=True)
    results = tables[0]

    power = results["power_ai_stack"]["median_s"]
    targets = {
        "help": (HELP_TARGET, "0.5 s"),
        "import": (HELP_TARGET, "0.5 s"),
        "power_edges13": (POWER_TARGET, "1.5 s"),
        "power_ai_stack": (POWER_TARGET, "1.5 s"),
        "explain": (power + FIRST_CALL_TARGET, "power + 1 s"),
        "improve": (power + FIRST_CALL_TARGET, "power + 1 s"),
        "explain_empty_cache": (power + FIRST_CALL_TARGET, "power + 1 s"),
        "improve_empty_cache": (power + FIRST_CALL_TARGET, "power + 1 s"),
    }
    print(f"\n{'command':<62} {'wall s':>7} {'cpu s':>6} {'target':>12} {'met':>4}")
    for name, entry in results.items():
        limit, label = targets[name]
        entry["target_s"] = limit
        entry["met"] = entry["median_s"] <= limit
        over = f" (+{entry['median_s'] - power:.2f})" if name.startswith(("explain", "improve")) else ""
        print(f"{entry['command'] + over:<62} {entry['median_s']:>7.2f} {entry['median_cpu_s']:>6.2f} {label:>12} "
              f"{'yes' if entry['met'] else 'NO':>4}")
    document = {
        "date": time.strftime("%Y-%m-%d"),
        "python": platform.python_version(),
        "cores": os.cpu_count(),
        "repeat": args.repeat,
        "cold_repeat": args.cold_repeat,
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "results": results,
    }
    if args.baseline_src:
        document["before"] = {"src": str(args.baseline_src), "command": "python -m dependencia (PYTHONPATH=src)",
                              "results": tables[1]}
        print(f"\n{'before (' + str(args.baseline_src) + ')':<62} {'wall s':>7} {'cpu s':>6}")
        for entry in tables[1].values():
            print(f"{entry['command']:<62} {entry['median_s']:>7.2f} {entry['median_cpu_s']:>6.2f}")
    args.json.write_text(json.dumps(document, indent=1) + "\n")
    print(f"\nwrote {args.json}", file=sys.stderr)


if __name__ == "__main__":
    main()
