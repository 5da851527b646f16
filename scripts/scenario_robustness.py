"""How robust the findings of the simulated scenarios are: seeds, and one or two key parameters.

Reproduces the robustness tables of the scenario narratives
(src/dependencia/data/scenarios/<name>.md). For each scenario it runs the
finding's comparison on seeds 1..N (default 10) at the scenario's settings,
then varies its key parameters over a few values (on fewer seeds), and prints
on how many seeds the finding held and the mean outcomes.

Usage: python scripts/scenario_robustness.py [debt-brake|platform|ai-stack ...] [--seeds 10] [--json out.json]
(the sweep command of issue 9 may replace this loop later)
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np

from dependencia.simulation import Simulation
from dependencia.simulation.scenario import load_scenario


def run(name: str, overrides: list[str], steps: int | None = None):
    network, config = load_scenario(name)
    config = config.with_overrides(overrides)
    return Simulation(network, config, scenario=name).run(steps)


# ------------------------------------------------------------------ debt-brake
def debt_brake_pair(seed: int, extra: list[str]) -> dict:
    """The last step of a run with the cap and of one without, same seed."""
    out = {}
    for label, enabled in (("cap", "true"), ("free", "false")):
        steps = run("debt-brake", [f"seed={seed}", f"policies.debt_brake.enabled={enabled}", *extra]).steps
        last = steps.iloc[-1]
        out[label] = {k: float(last[k]) for k in ("private_top5_share", "private_hhi", "top5_share", "hhi",
                                                   "formerly_public_private_share", "privatized",
                                                   "public_infrastructures", "private_infrastructures",
                                                   "public_debt")}
    out["holds"] = {
        "private_top5_share": out["cap"]["private_top5_share"] > out["free"]["private_top5_share"],
        "private_hhi": out["cap"]["private_hhi"] > out["free"]["private_hhi"],
        "formerly_public_private_share": (out["cap"]["formerly_public_private_share"]
                                          > out["free"]["formerly_public_private_share"]),
    }
    return out


def debt_brake(seeds: list[int]) -> dict:
    report = {"base": [debt_brake_pair(s, []) for s in seeds]}
    few = seeds[: max(3, len(seeds) // 2)]
    for cap in (0.0, 0.2):
        report[f"borrowing_cap={cap}"] = [debt_brake_pair(s, [f"policies.debt_brake.borrowing_cap={cap}"]) for s in few]
    for revenue in (1.0, 6.0):
        report[f"public_revenue={revenue}"] = [debt_brake_pair(s, [f"public_revenue={revenue}"]) for s in few]
    return report


def summarize_pairs(rows: list[dict]) -> str:
    held = {k: sum(r["holds"][k] for r in rows) for k in rows[0]["holds"]}
    mean = {side: {k: np.mean([r[side][k] for r in rows]) for k in rows[0][side]} for side in ("cap", "free")}
    parts = [f"{k} higher with the cap on {v}/{len(rows)} seeds" for k, v in held.items()]
    parts.append("means cap/free: " + ", ".join(
        f"{k} {mean['cap'][k]:.3g}/{mean['free'][k]:.3g}" for k in
        ("private_top5_share", "private_hhi", "top5_share", "hhi", "formerly_public_private_share")))
    return "; ".join(parts)


# ------------------------------------------------------------------ platform
def platform_once(seed: int, extra: list[str]) -> dict:
    result = run("platform", [f"seed={seed}", *extra])
    star = result.actors[(result.actors["dimension"] == "*") & (result.actors["actor"] == "platco")]
    rival = result.actors[(result.actors["dimension"] == "*") & (result.actors["actor"] == "rival")]
    first, last = float(star["power_share"].iloc[0]), float(star["power_share"].iloc[-1])
    return {"first": first, "last": last, "rival_last": float(rival["power_share"].iloc[-1]) if len(rival) else 0.0,
            "holds": last > first and last > (float(rival["power_share"].iloc[-1]) if len(rival) else 0.0)}


def platform(seeds: list[int]) -> dict:
    report = {"base": [platform_once(s, []) for s in seeds]}
    few = seeds[: max(3, len(seeds) // 2)]
    for intro in (0, 6):
        report[f"intro_steps={intro}"] = [platform_once(s, [f"infrastructure.intro_steps={intro}"]) for s in few]
    for switching in (0.05, 0.2):
        report[f"switching_cost={switching}"] = [platform_once(s, [f"adoption.switching_cost={switching}"])
                                                 for s in few]
    return report


def summarize_platform(rows: list[dict]) -> str:
    held = sum(r["holds"] for r in rows)
    return (f"platform's share rose and beat the rival on {held}/{len(rows)} seeds; mean share first "
            f"{np.mean([r['first'] for r in rows]):.3g}, last {np.mean([r['last'] for r in rows]):.3g} "
            f"(rival {np.mean([r['rival_last'] for r in rows]):.3g})")


# ------------------------------------------------------------------ ai-stack
OWNERS = ["amazon", "microsoft", "google"]
LABS = ["openai", "anthropic", "mistral"]


def ai_stack_once(seed: int, extra: list[str]) -> dict:
    result = run("ai-stack", [f"seed={seed}", *extra])
    star = result.actors[result.actors["dimension"] == "*"]
    first = star[star["step"] == star["step"].min()].set_index("actor")["power_share"]
    last = star[star["step"] == star["step"].max()].set_index("actor")["power_share"]
    owners_first, owners_last = float(first[OWNERS].sum()), float(last[OWNERS].sum())
    labs_last = float(last.reindex(LABS).fillna(0).sum())
    return {"owners_first": owners_first, "owners_last": owners_last, "labs_last": labs_last,
            "holds": owners_last > owners_first and owners_last > labs_last}


def ai_stack(seeds: list[int]) -> dict:
    report = {"base": [ai_stack_once(s, []) for s in seeds]}
    few = seeds[: max(3, len(seeds) // 2)]
    for budget in (20.0, 100.0):
        report[f"initial_budget={budget}"] = [ai_stack_once(s, [f"initial_budget={budget}"]) for s in few]
    return report


def summarize_ai(rows: list[dict]) -> str:
    held = sum(r["holds"] for r in rows)
    return (f"cloud owners' combined share rose and stayed above the labs' on {held}/{len(rows)} seeds; "
            f"mean first {np.mean([r['owners_first'] for r in rows]):.3g}, last "
            f"{np.mean([r['owners_last'] for r in rows]):.3g} (labs {np.mean([r['labs_last'] for r in rows]):.3g})")


SCENARIOS = {"debt-brake": (debt_brake, summarize_pairs), "platform": (platform, summarize_platform),
             "ai-stack": (ai_stack, summarize_ai)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", default=list(SCENARIOS))
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--json", type=str)
    args = parser.parse_args()
    seeds = list(range(1, args.seeds + 1))
    everything = {}
    for name in args.names:
        function, summarize = SCENARIOS[name]
        start = time.perf_counter()
        report = function(seeds)
        everything[name] = report
        print(f"== {name} ({time.perf_counter() - start:.0f} s)")
        for variant, rows in report.items():
            print(f"  {variant}: {summarize(rows)}")
        sys.stdout.flush()
    if args.json:
        with open(args.json, "w") as stream:
            json.dump(everything, stream, indent=1, default=float)


if __name__ == "__main__":
    main()
