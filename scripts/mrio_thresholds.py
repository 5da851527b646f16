"""How the threshold of ``dp.from_mrio`` moves the network and the power ranking of pymrio's test system.

Prints the markdown that docs/data.md shows ("The threshold's effect"): per
threshold the number of actors, dependencies and actors with power above
zero, then the top five actors by power (exact, normalized, as ``dp.power``)
and what moved between the thresholds. pymrio's test system
(``pymrio.load_test()``) is stylized test data, not a real economy.

Usage: python scripts/mrio_thresholds.py [--thresholds 0.005 0.01 0.05] [--measure direct] [--top 5]
"""

from __future__ import annotations

import argparse

import pymrio

import dependencia as dp


def rankings(thresholds: list[float], measure: str, top: int) -> dict[float, tuple[dp.Network, list[tuple[str, float]]]]:
    """Per threshold: the network and its top actors with power above zero, by power then id."""
    result = {}
    for threshold in thresholds:
        net = dp.from_mrio(pymrio.load_test(), measure=measure, threshold=threshold)
        power = dp.power(net, exact=True)["power"]
        ranked = sorted(((float(v), str(i)) for i, v in power.items() if v > 0), key=lambda p: (-round(p[0], 12), p[1]))
        result[threshold] = (net, [(name, value) for value, name in ranked[:top]])
    return result


def markdown(results: dict[float, tuple[dp.Network, list[tuple[str, float]]]], measure: str, top: int) -> str:
    lines = [f"Measure `{measure}`, pymrio's test system (6 regions x 8 sectors, households and government per "
             "region); power exact and normalized.", "",
             "| threshold | actors | dependencies | actors with power > 0 |", "|---:|---:|---:|---:|"]
    for threshold, (net, _) in results.items():
        powered = int((dp.power(net, exact=True)["power"] > 0).sum())
        lines.append(f"| {threshold:g} | {net.n_actors} | {len(net.dependencies)} | {powered} |")
    lines += ["", "| rank | " + " | ".join(f"threshold {t:g}" for t in results) + " |",
              "|---:|" + "---|" * len(results)]
    for rank in range(top):
        cells = [f"`{ranked[rank][0]}` ({ranked[rank][1]:.4f})" if rank < len(ranked) else "-"
                 for _, ranked in results.values()]
        lines.append(f"| {rank + 1} | " + " | ".join(cells) + " |")
    thresholds = list(results)
    lines.append("")
    for low, high in zip(thresholds, thresholds[1:]):
        before = [name for name, _ in results[low][1]]
        after = [name for name, _ in results[high][1]]
        left = [n for n in before if n not in after]
        entered = [n for n in after if n not in before]
        stayed = [f"`{n}` ({before.index(n) + 1} -> {after.index(n) + 1})" for n in before if n in after]
        lines.append(f"- From {low:g} to {high:g}: {len(results[low][0].dependencies)} -> "
                     f"{len(results[high][0].dependencies)} dependencies; left the top {top}: "
                     f"{', '.join(f'`{n}`' for n in left) or 'none'}; entered: "
                     f"{', '.join(f'`{n}`' for n in entered) or 'none'}; stayed (rank): {', '.join(stayed) or 'none'}.")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--thresholds", type=float, nargs="+", default=[0.005, 0.01, 0.05])
    parser.add_argument("--measure", default="direct", choices=["direct", "input_share", "total"])
    parser.add_argument("--top", type=int, default=5)
    args = parser.parse_args()
    print(markdown(rankings(args.thresholds, args.measure, args.top), args.measure, args.top))


if __name__ == "__main__":
    main()
