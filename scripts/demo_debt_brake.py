"""`make demo`: the debt-brake scenario with and without the cap, side by side.

Runs the shipped scenario twice with the same seed (the cap on, the cap off),
writes both run folders, and prints the last step of each next to the other.

Usage: python scripts/demo_debt_brake.py [--steps 50] [--seed 1] [--out runs/demo]
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from rich.console import Console
from rich.table import Table

from dependencia.simulation import Simulation
from dependencia.simulation.scenario import load_scenario

ROWS = [
    ("private_top5_share", "power held by the 5 most powerful private actors"),
    ("private_hhi", "HHI of private actors' shares of all power"),
    ("top5_share", "top-5 share of power, the public included"),
    ("public_infrastructures", "public infrastructures"),
    ("private_infrastructures", "private infrastructures"),
    ("privatized", "public infrastructures sold so far"),
    ("formerly_public_private_share", "share of formerly public infrastructure in private hands"),
    ("public_debt", "public debt"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("runs/demo"))
    args = parser.parse_args()
    network, config = load_scenario("debt-brake")
    last = {}
    for label, enabled in (("with the debt brake", "true"), ("without", "false")):
        folder = args.out / ("brake" if enabled == "true" else "no-brake")
        if folder.exists():
            shutil.rmtree(folder)
        run = Simulation(network, config.with_overrides([f"seed={args.seed}",
                                                         f"policies.debt_brake.enabled={enabled}"]),
                         scenario="debt-brake").run(args.steps, out=folder)
        last[label] = run.steps.iloc[-1]
        print(f"wrote {folder}")
    table = Table(title=f"debt-brake after {args.steps} steps (seed {args.seed})")
    table.add_column("")
    for label in last:
        table.add_column(label, justify="right")
    for column, meaning in ROWS:
        table.add_row(meaning, *(f"{last[label][column]:.4g}" for label in last))
    Console().print(table)


if __name__ == "__main__":
    main()
