"""Control resolution: who controls whom through majority holdings.

docs/model.md#control: an actor controls itself, and every actor in which the shares it
holds directly plus the shares held by actors it already controls sum to more
than one half, iterated to a fixed point. Cross-holdings and cycles are
allowed; two distinct actors controlling each other is an input error.

Examples
--------
>>> import pandas as pd
>>> holdings = pd.DataFrame({"owner": ["a", "a", "b"], "owned": ["b", "c", "c"],
...                          "share": [0.6, 0.3, 0.3]})
>>> sorted(resolve_control(holdings)["a"])  # a holds 0.3 of c, its b another 0.3
['a', 'b', 'c']
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

#: Shares held in one actor may sum to 1 plus this (rounding in input files).
SHARE_TOLERANCE = 1e-9
#: Shares must sum to *more than* one half; sums within the tolerance of 0.5
#: are not more (0.1 + 0.2 + 0.15 + 0.05 is 0.5000000000000001 in floating
#: point). The same tolerance as for totals means two groups can never both
#: hold a majority of one actor.
MAJORITY = 0.5 + SHARE_TOLERANCE


def resolve_control(ownership: pd.DataFrame) -> dict[str, frozenset[str]]:
    """Return, for every actor that holds shares, the set of actors it controls.

    Parameters
    ----------
    ownership : pandas.DataFrame
        Columns ``owner``, ``owned`` and ``share``.

    Returns
    -------
    dict
        ``{owner: frozenset of controlled actors, itself included}``. Actors
        that hold no shares control only themselves and are not listed.
    """
    holdings: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for owner, owned, share in zip(
        ownership["owner"].tolist(), ownership["owned"].tolist(), ownership["share"].tolist()
    ):
        holdings[owner].append((owned, share))
    return {owner: _controlled_by(owner, holdings) for owner in holdings}


def _controlled_by(root: str, holdings: dict[str, list[tuple[str, float]]]) -> frozenset[str]:
    controlled = {root}
    accumulated: dict[str, float] = defaultdict(float)
    frontier = [root]
    while frontier:
        holder = frontier.pop()
        for owned, share in holdings.get(holder, ()):
            if owned in controlled:
                continue
            accumulated[owned] += share
            if accumulated[owned] > MAJORITY:
                controlled.add(owned)
                frontier.append(owned)
    return frozenset(controlled)


def find_mutual_control(control: dict[str, frozenset[str]]) -> tuple[str, str] | None:
    """Return a pair of distinct actors that control each other, or None."""
    for a in sorted(control):
        for b in sorted(control[a]):
            if b != a and a in control.get(b, frozenset()):
                return a, b
    return None
