"""How robust the shipped scenarios' rankings are across the panel of power measures (issue 16, item 4).

For every shipped scenario's network (a simulated scenario: its network before the first step),
the panel of measures (docs/model.md#a-panel-of-measures) on the routed graph, then:

* Kendall's tau-b between ``power`` and each other measure, and the top-3 overlap;
* for the static scenarios, whether each finding of its narrative holds under each measure
  (the same comparison the narrative makes with ``power``, made with the other measure's values).

``--markdown`` prints the tables that docs/guide.md ("How robust are the rankings?") shows;
``scripts/write_static_findings.py`` writes them into the guide (and ``--check`` compares), so the
guide's figures come from this computation; without ``--markdown``, plain text.

Usage: python scripts/robust_rankings.py [--markdown] [SCENARIO ...]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

import pandas as pd

import dependencia as dp
from dependencia.measures.panel import compare
from dependencia.simulation.scenario import load_scenario

SCENARIOS = ("florentine", "ai-stack", "openai-board", "care", "debt-brake", "platform")
CLOUD_OWNERS = ["amazon", "microsoft", "google"]
LABS = ["openai", "anthropic", "mistral"]


def _carers(frame: pd.DataFrame) -> list[str]:
    return [a for a in frame.index if str(a).startswith("carer")]


#: scenario -> (finding, test on one measure's values per actor)
FINDINGS: dict[str, list[tuple[str, Callable[[pd.Series], bool]]]] = {
    "florentine": [("the Medici rank first", lambda v: v.idxmax() == "Medici" and (v < v["Medici"]).sum() == len(v) - 1)],
    "ai-stack": [
        ("the cloud owners hold more than the labs (summed)", lambda v: v[CLOUD_OWNERS].sum() > v[LABS].sum()),
        ("Amazon and Microsoft each outrank every lab", lambda v: min(v["amazon"], v["microsoft"]) > v[LABS].max()),
    ],
    "openai-board": [("the board ranks below the CEO and Microsoft",
                      lambda v: v["board"] < v["ceo"] and v["board"] < v["microsoft"])],
    "care": [("every carer has power (> 0)", lambda v: bool((v[_carers(v.to_frame())] > 0).all()))],
}


def network_of(name: str) -> dp.Network:
    """The scenario's network: a static one as shipped, a simulated one before its first step."""
    if name in ("debt-brake", "platform"):
        return load_scenario(name)[0]
    return dp.examples.load(name)


def panel(name: str) -> pd.DataFrame:
    """The panel of measures (one column per measure) on the scenario's network, routed graph."""
    return dp.measures(network_of(name), workers=1)


def agreement(frame: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """measure -> (Kendall's tau-b with ``power``, top-3 overlap with ``power``)."""
    pairs = compare(frame, top=3)
    with_power = pairs[pairs["measure_a"] == "power"].set_index("measure_b")
    return {str(m): (row.kendall_tau, row.top_overlap) for m, row in with_power.iterrows()}


def holds(name: str, frame: pd.DataFrame) -> dict[str, dict[str, bool | None]]:
    """finding -> measure -> whether it holds under that measure (None: the measure ranks nobody)."""
    # a measure that gives every actor the same value ranks nobody: n/a, as in compare
    return {finding: {m: None if frame[m].nunique() <= 1 else bool(test(frame[m].dropna())) for m in frame.columns}
            for finding, test in FINDINGS.get(name, [])}


def agreement_table(frames: dict[str, pd.DataFrame]) -> str:
    """Markdown: per scenario, Kendall's tau-b with ``power`` and (in brackets) the top-3 overlap, per measure."""
    rows = {name: agreement(frame) for name, frame in frames.items()}
    measures = list(next(iter(rows.values())))
    lines = ["| scenario | " + " | ".join(measures) + " |", "|---|" + "---|" * len(measures)]
    for name, cells in rows.items():
        shown = [("n/a" if pd.isna(t) else f"{t:.2f}") + f" ({o:.2f})" for t, o in cells.values()]
        lines.append(f"| {name} | " + " | ".join(shown) + " |")
    return "\n".join(lines)


def holds_table(frames: dict[str, pd.DataFrame]) -> str:
    """Markdown: per static finding, whether it holds under each measure (yes, **no**, n/a)."""
    verdicts = {(name, finding): cells for name, frame in frames.items()
                for finding, cells in holds(name, frame).items()}
    columns = list(next(iter(verdicts.values())))
    lines = ["| scenario: finding | " + " | ".join(columns) + " |", "|---|" + "---|" * len(columns)]
    for (name, finding), cells in verdicts.items():
        lines.append(f"| {name}: {finding} | " + " | ".join(_verdict(ok) for ok in cells.values()) + " |")
    return "\n".join(lines)


def markdown(frames: dict[str, pd.DataFrame]) -> str:
    """The two tables of docs/guide.md ("How robust are the rankings?") for the scenarios in ``frames``."""
    return agreement_table(frames) + "\n\n" + holds_table(frames)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenarios", nargs="*", metavar="SCENARIO", help=f"one of {', '.join(SCENARIOS)}")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    chosen = args.scenarios or list(SCENARIOS)
    unknown = [name for name in chosen if name not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario {unknown[0]!r}; choose from {', '.join(SCENARIOS)}")
    frames = {name: panel(name) for name in chosen}
    if args.markdown:
        print(markdown(frames))
        return
    for name, frame in frames.items():
        print(name)
        for measure, (tau, overlap) in agreement(frame).items():
            print(f"  power vs {measure}: tau {tau:.3f}, top-3 overlap {overlap:.2f}")
    for name, frame in frames.items():
        for finding, cells in holds(name, frame).items():
            print(f"{name}: {finding}: " + ", ".join(f"{m} {_verdict(ok).strip('*')}" for m, ok in cells.items()))


def _verdict(holds: bool | None) -> str:
    return "n/a" if holds is None else "yes" if holds else "**no**"


if __name__ == "__main__":
    main()
