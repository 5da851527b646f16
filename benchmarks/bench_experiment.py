"""Wall-clock time of an experiment's parts, from its run folders (issue 17, speed).

Reads the ``started`` and ``ended`` stamps of every run's ``manifest.json`` in an
experiment folder and reports, per design (``main``: the two arms; ``morris``,
``sobol``: the sensitivity points), the runs, the span from the first start to
the last end, and the CPU-seconds the runs took together. Run the experiment
first, on a quiet machine, with the workers to measure::

    dependencia experiment src/dependencia/data/scenarios/experiments/debt-brake.yaml \\
        --out experiments/debt-brake --workers 2
    python benchmarks/bench_experiment.py experiments/debt-brake --json benchmarks/results-experiment.json

The stamps have whole seconds, so each span is exact to about 2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime
from pathlib import Path

import pandas as pd


def spans(folder: Path) -> dict[str, dict[str, float]]:
    runs = pd.read_parquet(folder / "runs.parquet")
    out: dict[str, dict[str, float]] = {}
    for design, group in runs.groupby("design", sort=True):
        starts, ends, busy = [], [], 0.0
        for run_id in group["run_id"]:
            manifest = json.loads((folder / "runs" / run_id / "manifest.json").read_text())
            start = datetime.fromisoformat(manifest["started"])
            end = datetime.fromisoformat(manifest["ended"])
            starts.append(start)
            ends.append(end)
            busy += (end - start).total_seconds()
        out[str(design)] = {"runs": len(group), "seconds": (max(ends) - min(starts)).total_seconds(),
                            "run_seconds_summed": busy}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    result = {
        "date": datetime.now().date().isoformat(), "cores": os.cpu_count(), "load_average": list(os.getloadavg()),
        "command": f"python benchmarks/bench_experiment.py {args.folder}",
        "designs": spans(args.folder),
    }
    for design, figures in result["designs"].items():
        print(f"{design}: {figures['runs']} runs in {figures['seconds']:.0f} s "
              f"({figures['run_seconds_summed']:.0f} run-seconds)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    sys.exit(main())
