"""Small random networks for the oracle tests of the panel of measures (centrality, dominance).

Each has actors, open and closed infrastructures (owned or not), routes through them, two dimensions
and ownership from lower to higher actor index (so no mutual control); with ``strengths`` each
dependency also draws a ``strength``. The same seed gives the same network.
"""

from __future__ import annotations

import numpy as np

import dependencia as dp


def random_network(seed: int, *, n_max: int = 9, deps_max: int = 18, strengths: bool = False) -> dp.Network:
    """A network of 2 to ``n_max`` actors and up to ``deps_max`` dependencies, drawn from ``seed``."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, n_max + 1))
    actors = [f"a{i}" for i in range(n)]
    infrastructures = []
    for k in range(int(rng.integers(0, 4))):
        record = {"id": f"x{k}", "transit": "open" if rng.random() < 0.4 else "closed"}
        if rng.random() < 0.7:
            record["owner"] = actors[int(rng.integers(n))]
        infrastructures.append(record)
    names = [x["id"] for x in infrastructures]
    dependencies = []
    for _ in range(int(rng.integers(0, deps_max + 1))):
        u, v = (actors[int(i)] for i in rng.choice(n, size=2, replace=False))
        via = [names[int(i)] for i in rng.permutation(len(names))[: int(rng.integers(0, 3))]] if names else []
        dependency = {"dependent": u, "provider": v, "via": via, "dimension": "xy"[int(rng.integers(2))]}
        if strengths:
            dependency["strength"] = float(rng.choice([0.5, 1.0, 2.0, 3.0]))
        dependencies.append(dependency)
    ownership = []
    held = dict.fromkeys(actors, 0.0)
    for _ in range(int(rng.integers(0, 4))):
        i, j = sorted(int(x) for x in rng.choice(n, size=2, replace=False))
        share = float(rng.choice([0.3, 0.51, 0.6, 1.0]))
        if held[actors[j]] + share <= 1.0:  # holdings from lower to higher index: no mutual control
            held[actors[j]] += share
            ownership.append({"owner": actors[i], "owned": actors[j], "share": share})
    return dp.Network.from_records([{"id": a} for a in actors], dependencies, infrastructures=infrastructures,
                                   ownership=ownership)


def dimensions_of(net: dp.Network, seed: int) -> str | list[str] | None:
    """All dimensions (None), the first by name (a string), or the list of all, in turn by ``seed``."""
    known = list(net.dimensions.index)
    if not known or seed % 3 == 0:
        return None
    return known[0] if seed % 3 == 1 else known
