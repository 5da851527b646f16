"""`make demo`: the debt-brake scenario with and without the cap, side by side.

Runs the shipped scenario twice with the same seed (the cap on, the cap off),
with the settings its experiment fixes in both arms (interest on the public
debt and a fiscal rule: the spec in the scenarios' experiments folder), so that
"without the cap" is not unlimited free borrowing; writes both run folders, and prints the last step of each next to the other:
the figures `dependencia simulate` prints, by their steps.parquet column names
and meanings (`dependencia.simulation.results.STEP_COLUMNS`). `--steps N` runs
steps 0 to N-1; the last row is step N-1.

Usage: python scripts/demo_debt_brake.py [--steps 50] [--seed 1] [--out runs/demo]
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from dependencia.batch.experiment_spec import read_experiment_spec
from dependencia.simulation import Simulation
from dependencia.simulation.results import STEP_COLUMNS, SUMMARY_COLUMNS, summary_value
from dependencia.simulation.scenario import load_scenario


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("runs/demo"))
    args = parser.parse_args()
    network, config = load_scenario("debt-brake")
    spec = Path(__file__).resolve().parent.parent / "src/dependencia/data/scenarios/experiments/debt-brake.yaml"
    fixed = [f"{key}={str(value).lower() if isinstance(value, bool) else value}"
             for key, value in read_experiment_spec(spec).fixed.items()]
    last = {}
    for label, enabled in (("with the debt brake", "true"), ("without", "false")):
        folder = args.out / ("brake" if enabled == "true" else "no-brake")
        if folder.exists():
            shutil.rmtree(folder)
        run = Simulation(network, config.with_overrides([*fixed, f"seed={args.seed}",
                                                         f"policies.debt_brake.enabled={enabled}"]),
                         scenario="debt-brake").run(args.steps, out=folder)
        last[label] = run.steps.iloc[-1]
        print(f"wrote {folder}")
    step = f"step {args.steps - 1}, the last of {args.steps} steps (0 to {args.steps - 1})" if args.steps else "no steps"
    table = Table(title=f"debt-brake, {step}, seed {args.seed}")
    table.add_column("steps.parquet column", no_wrap=True)
    for label in last:
        table.add_column(label, justify="right")
    table.add_column("meaning")
    for column in SUMMARY_COLUMNS:
        table.add_row(column, *(summary_value(last[label][column]) for label in last), STEP_COLUMNS[column])
    table.caption = (f"both runs: {', '.join(fixed)}; one seed. The paired experiment over 30 seeds, with "
                     "intervals: src/dependencia/data/scenarios/debt-brake.md")
    Console(width=None if sys.stdout.isatty() else 160).print(table)


if __name__ == "__main__":
    main()
