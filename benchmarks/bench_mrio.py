"""A 5,000-actor input-output network: conversion and exact power (issue 18, "Speed").

The table is synthetic, generated here (no download), seeded: 80 regions x 60
sectors = 4,800 sectors, a dense coefficient matrix A (every entry positive:
lognormal weights with sigma 1.5, domestic sellers weighted 200 times and
those of 5 partner regions per buyer region 30 times, about half of the
inputs domestic, a third from partners; each buyer's intermediate share
uniform in [0.3, 0.7]), final demand for households and
government in every region (lognormal, domestic-biased), output x solving
x = A x + y, and Z = A diag(x), so that the table is balanced as pymrio
expects (x = row sums of Z and Y). With the households and governments the
network has 4,960 actors.

Timed (wall clock, one run each, the machine's load printed beside):

- ``convert``: ``dp.from_mrio(iosystem)`` at the defaults (``direct``,
  threshold 0.01) plus ``dp.write`` to a model file (``.json``; YAML is refused above 4 MiB): target 10 s;
  the CSV bundle and ``--measure total`` (a 4,800 x 4,800 inverse) beside it;
- ``cli``: ``dependencia import mrio FOLDER --format pymrio -o net.json`` on
  the table saved by pymrio's ``save_all`` in Parquet, a fresh process
  (Python, pymrio and the Parquet reading included);
- ``power``: ``dp.power(net, exact=True)`` on the converted network, all
  cores: target 120 s.

Writes ``benchmarks/results-mrio.json`` (``--json`` to change).

Usage: python benchmarks/bench_mrio.py [--regions 80] [--sectors 60] [--seed 1] [--no-cli] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pymrio

import dependencia as dp

HERE = Path(__file__).resolve().parent
CONVERT_TARGET = 10.0
POWER_TARGET = 120.0
DOMESTIC_WEIGHT, PARTNERS, PARTNER_WEIGHT = 200.0, 5, 30.0
CATEGORIES = ("Final consumption expenditure by households", "Final consumption expenditure by government")


def synthetic_table(regions: int, sectors: int, seed: int) -> pymrio.IOSystem:
    """A balanced multi-regional table with dense coefficients (see the module docs)."""
    rng = np.random.default_rng(seed)
    n = regions * sectors
    region_of = np.repeat(np.arange(regions), sectors)
    partner = np.zeros((regions, regions), dtype=bool)  # each region's main suppliers abroad
    for region in range(regions):
        partner[rng.choice(np.delete(np.arange(regions), region), size=PARTNERS, replace=False), region] = True
    bias = np.where(partner[region_of[:, None], region_of[None, :]], PARTNER_WEIGHT, 1.0)
    bias[region_of[:, None] == region_of[None, :]] = DOMESTIC_WEIGHT
    weights = rng.lognormal(0.0, 1.5, size=(n, n)) * bias
    del bias
    a = weights * (rng.uniform(0.3, 0.7, size=n) / weights.sum(axis=0))[None, :]
    del weights
    fd_weights = rng.lognormal(0.0, 1.0, size=(n, regions * len(CATEGORIES)))
    fd_region = np.repeat(np.arange(regions), len(CATEGORIES))
    fd_weights *= np.where(region_of[:, None] == fd_region[None, :], 50.0, 1.0)
    y = fd_weights / fd_weights.sum(axis=0) * rng.lognormal(10.0, 1.0, size=regions * len(CATEGORIES))
    x = np.linalg.solve(np.eye(n) - a, y.sum(axis=1))
    labels = pd.MultiIndex.from_product([[f"r{r:02d}" for r in range(regions)], [f"s{s:02d}" for s in range(sectors)]],
                                        names=["region", "sector"])
    fd_labels = pd.MultiIndex.from_product([labels.levels[0], CATEGORIES], names=["region", "category"])
    return pymrio.IOSystem(Z=pd.DataFrame(a * x[None, :], index=labels, columns=labels),
                           Y=pd.DataFrame(y, index=labels, columns=fd_labels), unit=None)


def timed(call):
    start = time.perf_counter()
    value = call()
    return value, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--regions", type=int, default=80)
    parser.add_argument("--sectors", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-cli", action="store_true", help="skip the command-line run (and saving the table)")
    parser.add_argument("--json", type=Path, default=HERE / "results-mrio.json")
    args = parser.parse_args()

    load_before = os.getloadavg()
    table, generate_s = timed(lambda: synthetic_table(args.regions, args.sectors, args.seed))
    print(f"generated {args.regions} x {args.sectors} table in {generate_s:.1f} s", file=sys.stderr)
    work = Path(tempfile.mkdtemp(prefix="bench-mrio-"))
    results: dict[str, dict] = {}
    try:
        net, from_s = timed(lambda: dp.from_mrio(table))
        _, json_s = timed(lambda: dp.write(net, work / "net.json"))
        _, bundle_s = timed(lambda: dp.write(net, work / "bundle"))
        total, total_s = timed(lambda: dp.from_mrio(table, measure="total"))
        results["convert"] = {
            "from_mrio_s": from_s, "write_json_s": json_s, "write_bundle_s": bundle_s,
            "seconds": from_s + json_s, "target_s": CONVERT_TARGET, "met": from_s + json_s <= CONVERT_TARGET,
            "actors": net.n_actors, "dependencies": len(net.dependencies),
            "total_measure": {"from_mrio_s": total_s, "dependencies": len(total.dependencies)},
        }
        del total
        if not args.no_cli:
            table.save_all(work / "table", table_format="parquet")
            command = [sys.executable, "-m", "dependencia", "import", "mrio", str(work / "table"), "--format", "pymrio",
                       "-o", str(work / "cli.json")]
            done, cli_s = timed(lambda: subprocess.run(command, capture_output=True, text=True))
            if done.returncode != 0:
                raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
            results["cli"] = {"command": "dependencia import mrio TABLE --format pymrio -o net.json (Parquet tables)",
                              "seconds": cli_s, "same_network": dp.read(work / "cli.json").equals(dp.read(work / "net.json"))}
        power, power_s = timed(lambda: dp.power(net, exact=True))
        results["power"] = {"seconds": power_s, "target_s": POWER_TARGET, "met": power_s <= POWER_TARGET,
                            "exact": bool(power.attrs["exact"]), "n_edges": int(power.attrs["n_edges"]),
                            "top": [str(i) for i in power["power"].sort_values(ascending=False).index[:5]]}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for name, entry in results.items():
        target = f" (target {entry['target_s']:g} s, {'met' if entry['met'] else 'NOT met'})" if "target_s" in entry else ""
        print(f"{name:<8} {entry['seconds']:7.2f} s{target}")
    convert = results["convert"]
    print(f"         {convert['actors']} actors, {convert['dependencies']} dependencies; from_mrio "
          f"{convert['from_mrio_s']:.2f} s, write .json {convert['write_json_s']:.2f} s, bundle "
          f"{convert['write_bundle_s']:.2f} s, --measure total {convert['total_measure']['from_mrio_s']:.2f} s")
    document = {
        "date": time.strftime("%Y-%m-%d"), "python": platform.python_version(), "cores": os.cpu_count(),
        "regions": args.regions, "sectors": args.sectors, "seed": args.seed, "generate_s": generate_s,
        "load_average_before": load_before, "load_average_after": os.getloadavg(), "results": results,
    }
    args.json.write_text(json.dumps(document, indent=1) + "\n")
    print(f"wrote {args.json}", file=sys.stderr)


if __name__ == "__main__":
    main()
