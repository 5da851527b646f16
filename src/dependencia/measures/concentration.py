"""Concentration of power: Gini, Herfindahl-Hirschman index and top-k shares.

docs/model.md#concentration: of the power shares of top-level actors, overall and per
dimension, and the HHI of providers per dimension (each provider's share of
the dimension's dependency strength).

Examples
--------
>>> gini([1.0, 1.0, 1.0, 1.0])
0.0
>>> gini([0.0, 0.0, 0.0, 1.0])
0.75
>>> hhi([0.5, 0.5])
0.5
>>> top_share([0.5, 0.3, 0.2], 2)
0.8
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ..base.arguments import dimension_list
from ..network.model import Network
from .power import actor_power as power  # the power columns alone: no reach needed here

__all__ = ["concentration", "gini", "hhi", "top_share"]

AGGREGATE = "*"


def gini(values: Iterable[float]) -> float:
    """Gini coefficient of non-negative values: 0 equal, (n-1)/n when one holds everything.

    Notes
    -----
    G = sum_i sum_j |x_i - x_j| / (2 n^2 mean), computed on sorted values as
    G = 2 sum_i i x_(i) / (n sum x) - (n + 1) / n, i = 1..n. 0 for no values
    or a zero sum.
    """
    x = np.sort(np.asarray(list(values), dtype=float))
    n, total = len(x), x.sum()
    if n == 0 or total <= 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float(2.0 * np.sum(ranks * x) / (n * total) - (n + 1) / n)


def hhi(shares: Iterable[float]) -> float:
    """Herfindahl-Hirschman index: the sum of squared shares (1 for a monopoly)."""
    s = np.asarray(list(shares), dtype=float)
    return float(np.sum(s * s))


def top_share(shares: Iterable[float], k: int) -> float:
    """Sum of the k largest shares."""
    s = np.sort(np.asarray(list(shares), dtype=float))[::-1]
    return float(s[:k].sum())


def concentration(
    network: Network,
    *,
    dimensions: str | Sequence[str] | None = None,
    directed: bool = True,
    length: str | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    paths: str | None = "routed",
) -> pd.DataFrame:
    """Concentration of power overall and in each dimension.

    Parameters
    ----------
    network : Network
    dimensions : str or sequence of str, optional
        Dimensions to report one by one (all by default); the aggregate row
        ``*`` is over the same dimensions.
    directed, length, workers, scheduler, paths :
        As for :func:`~dependencia.power`.

    Returns
    -------
    pandas.DataFrame
        Indexed by scope (``*`` for the aggregate, then each dimension):
        ``gini``, ``hhi``, ``top1_share``, ``top5_share`` of the power shares
        of top-level actors in that scope's graph, ``actors`` (top-level
        actors counted), ``provider_hhi`` (HHI of providers' shares of the
        scope's dependency strength) and ``providers``.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": i} for i in "abc"],
    ...     [{"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "c"}])
    >>> dp.concentration(net).loc["*", ["hhi", "top1_share", "provider_hhi"]].tolist()
    [1.0, 1.0, 0.5]
    """
    dimensions = dimension_list(dimensions)
    chosen = list(network.dimensions.index) if dimensions is None else dimensions
    top = network.top_level_actors()
    rows = {}
    for scope, dims in [(AGGREGATE, chosen), *[(d, [d]) for d in chosen]]:
        frame = power(network, dimensions=dims, directed=directed, length=length, workers=workers, scheduler=scheduler,
                      paths=paths)
        shares = frame.loc[top, "power_share"].to_numpy()
        deps = network.dependencies[network.dependencies["dimension"].isin(dims)]
        by_provider = deps.groupby("provider", sort=False)["strength"].sum()
        provider_shares = by_provider / by_provider.sum() if len(by_provider) else by_provider
        rows[scope] = {
            "gini": gini(shares),
            "hhi": hhi(shares),
            "top1_share": top_share(shares, 1),
            "top5_share": top_share(shares, 5),
            "actors": len(shares),
            "provider_hhi": hhi(provider_shares),
            "providers": len(by_provider),
        }
    result = pd.DataFrame.from_dict(rows, orient="index")
    result.index.name = "scope"
    return result
