"""Traffic share: the strength-weighted share of declared dependencies routed through what an actor controls.

For actor a with controlled set C(a) (docs/model.md#actor-power: itself, the
actors it controls and every infrastructure they own):

    traffic(a)       = sum of strength over the declared dependencies (in the
                       chosen dimensions) whose ``via`` holds an
                       infrastructure of C(a)
    traffic_share(a) = traffic(a) / sum of strength over all of them

A dependency counts when a node strictly inside its route belongs to C(a):
routes pass only infrastructures, so a direct dependency (no ``via``) counts
for nobody, and being the dependent or the provider of a dependency is not
carrying it. A route through two of a's infrastructures counts once. a's own
dependencies through its own infrastructures count (a platform selling on its
own marketplace carries that traffic). The routes are the declared ones:
``paths`` and ``directed`` play no part, and no shortest path is involved.

Betweenness counts shortest paths between actor pairs, whatever the
strength of the dependencies behind them; this measure carries the strength.

Examples
--------
ann buys from the shop through the platform (strength 3) and from bob
directly (strength 1); the platform's owner carries 3 of the 4:

>>> import dependencia as dp
>>> net = dp.Network.from_records([{"id": i} for i in ("ann", "bob", "shop", "owner")],
...     [{"dependent": "ann", "provider": "shop", "via": ["platform"], "strength": 3},
...      {"dependent": "ann", "provider": "bob", "strength": 1}],
...     infrastructures=[{"id": "platform", "owner": "owner"}])
>>> traffic_share(net)["traffic_share"].to_dict()
{'ann': 0.0, 'bob': 0.0, 'shop': 0.0, 'owner': 0.75}
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain

import numpy as np
import pandas as pd

from ..base.arguments import dimension_list
from ..errors import UsageError
from ..network.model import Network

__all__ = ["traffic_share"]


def traffic_share(network: Network, *, dimensions: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Each actor's share of the declared dependency strength routed through an infrastructure it controls.

    Parameters
    ----------
    network : Network
    dimensions : str or sequence of str, optional
        The dimensions whose dependencies count (numerator and denominator);
        all when omitted.

    Returns
    -------
    pandas.DataFrame
        Indexed by actor id (``id``), in actor order: ``traffic_share`` (0
        when the dependencies have no strength at all) and ``traffic`` (the
        strength carried). ``attrs``: ``measure``, ``dimensions``,
        ``total_strength``.

    Raises
    ------
    UsageError
        An unknown dimension.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": "d"}, {"id": "p"}, {"id": "o"}],
    ...     [{"dependent": "d", "provider": "p", "via": ["X", "Y"], "strength": 2}],
    ...     infrastructures=[{"id": "X", "owner": "o"}, {"id": "Y", "owner": "o"}])
    >>> traffic_share(net)["traffic"].tolist()  # through two of o's infrastructures: counted once
    [0.0, 0.0, 2.0]
    """
    dimensions = dimension_list(dimensions)
    deps = network.dependencies
    chosen = list(network.dimensions.index)
    if dimensions is not None:
        unknown = [d for d in dimensions if d not in chosen]
        if unknown:
            raise UsageError(f"unknown dimension {unknown[0]!r}; the network has: {', '.join(chosen) or 'none'}")
        deps = deps[deps["dimension"].isin(dimensions).to_numpy()]
        chosen = dimensions
    strength = deps["strength"].to_numpy(dtype=float)
    total = float(strength.sum())
    actors = network.actors.index
    n_actors = len(actors)
    carried = np.zeros(n_actors)
    routes = deps["via"].to_numpy()
    lengths = np.fromiter((len(v) for v in routes), dtype=np.int64, count=len(routes))
    if lengths.sum() > 0:
        infrastructures = pd.Index(network.infrastructures.index, dtype=object)
        row = np.repeat(np.arange(len(routes), dtype=np.int64), lengths)
        infra = infrastructures.get_indexer(list(chain.from_iterable(routes)))
        # who controls each infrastructure: the (infrastructure, actor) pairs of the control groups
        pair_infra, pair_actor = _controllers(network, infrastructures)
        order = np.argsort(pair_infra, kind="stable")
        pair_infra, pair_actor = pair_infra[order], pair_actor[order]
        first = np.searchsorted(pair_infra, infra, side="left")
        count = np.searchsorted(pair_infra, infra, side="right") - first
        hop = np.repeat(np.arange(len(infra)), count)
        offset = np.arange(len(hop)) - np.repeat(np.cumsum(count) - count, count)
        actor = pair_actor[first[hop] + offset]
        key = np.unique(row[hop] * n_actors + actor)  # a route through two of a's infrastructures: once
        carried = np.bincount(key % n_actors, weights=strength[key // n_actors], minlength=n_actors).astype(float)
    share = carried / total if total > 0 else np.zeros(n_actors)
    frame = pd.DataFrame({"traffic_share": share, "traffic": carried}, index=pd.Index(actors, name="id", dtype=object))
    frame.attrs.update(measure="traffic_share", dimensions=list(chosen), total_strength=total)
    return frame


def _controllers(network: Network, infrastructures: pd.Index) -> tuple[np.ndarray, np.ndarray]:
    """(infrastructure index, actor index) for every actor and every infrastructure in its control group."""
    infra_rows, actor_rows = [], []
    groups = network.control_groups()
    for a, actor in enumerate(network.actors.index):
        group = groups[actor]
        held = infrastructures.get_indexer([m for m in group if m in infrastructures])
        infra_rows.append(held)
        actor_rows.append(np.full(len(held), a, dtype=np.int64))
    if not infra_rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(infra_rows).astype(np.int64), np.concatenate(actor_rows)
