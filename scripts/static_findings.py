"""Print the figures that the static scenario narratives cite, on the routed and the hub graph.

The narratives in src/dependencia/data/scenarios/*.md quote power shares, income shares and
latent power; this script computes each of them on both graphs (docs/model.md#graphs), so
that a change of the model shows up as a changed figure, not as a stale one.

Usage: python scripts/static_findings.py [SCENARIO ...]   (default: every static scenario)
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

import dependencia as dp

CLOUD_OWNERS = ["microsoft", "amazon", "google"]
LABS = ["openai", "anthropic", "mistral"]


def ai_stack(paths: str) -> dict[str, object]:
    net = dp.examples.load("ai-stack")
    share = dp.power(net, paths=paths)["power_share"]
    actors = dp.rents(net, paths=paths).actors
    return {
        "owners' power share": round(float(share[CLOUD_OWNERS].sum()), 3),
        "each owner's power share": share[CLOUD_OWNERS].round(3).to_dict(),
        "labs' power share": round(float(share[LABS].sum()), 3),
        "each lab's power share": share[LABS].round(3).to_dict(),
        "owners' income share": actors.loc[CLOUD_OWNERS, "income_share"].round(3).to_dict(),
        "owners' latent power": actors.loc[CLOUD_OWNERS, "latent_power"].round(3).to_dict(),
        "owners' combined latent power": round(float(actors.loc[CLOUD_OWNERS, "latent_power"].sum()), 3),
    }


def ranking(name: str, top: int) -> Callable[[str], dict[str, object]]:
    def figures(paths: str) -> dict[str, object]:
        frame = dp.power(dp.examples.load(name), paths=paths)
        best = frame.sort_values("power", ascending=False, kind="stable").head(top)
        return {"top power (normalized, share)": {a: (round(p, 5), round(s, 3))
                                                  for a, p, s in zip(best.index, best["power"], best["power_share"])}}

    return figures


SCENARIOS = {"ai-stack": ai_stack, "openai-board": ranking("openai-board", 4), "care": ranking("care", 4),
             "florentine": ranking("florentine", 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenarios", nargs="*", metavar="SCENARIO", help=f"one of {', '.join(SCENARIOS)}")
    chosen = parser.parse_args().scenarios or list(SCENARIOS)
    unknown = [name for name in chosen if name not in SCENARIOS]
    if unknown:
        parser.error(f"unknown static scenario {unknown[0]!r}; choose from {', '.join(SCENARIOS)}")
    for name in chosen:
        for paths in ("routed", "hub"):
            print(f"{name} ({paths} graph)")
            for label, value in SCENARIOS[name](paths).items():
                print(f"  {label}: {value}")


if __name__ == "__main__":
    main()
