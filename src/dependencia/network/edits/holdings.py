"""Holdings between actors: set the share one actor holds in another (buy, sell, merge), checked by the model."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from ...errors import UsageError
from ..model import Network
from ._support import _check_actor, _record_locator
from .record import Edit

__all__ = ["set_holding"]


def set_holding(network: Network, owner: str, owned: str, share: float) -> Edit:
    """Set the share of ``owned`` that ``owner`` holds directly (0: it sells all of it).

    The holding replaces every record of the pair ``owner`` -> ``owned``: the
    first keeps its place in the ownership table (and its other fields), the
    rest go; a new pair is added at the end. The new table is validated as
    any network's (docs/model.md#parts-of-a-network), so a share out of (0, 1], shares
    held in ``owned`` that sum to more than 1, or two actors that would
    control each other are refused with the model's own message, located at
    this holding.

    Parameters
    ----------
    network : Network
    owner, owned : str
        Actor ids (distinct).
    share : float
        The new direct share, in [0, 1]; 0 removes the holding.

    Returns
    -------
    Edit
        No change to the graphs (ownership is not an edge); control, and with
        it actors' power, may change.

    Raises
    ------
    UsageError
        An unknown actor, an infrastructure named as one, a share that is no
        number, or 0 for a pair that holds nothing.
    InputError
        A holding the model refuses (e.g. more than 100% of ``owned`` held).

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": "fund"}, {"id": "bank"}, {"id": "firm"}],
    ...     ownership=[{"owner": "bank", "owned": "firm", "share": 0.4}])
    >>> bought = set_holding(net, "fund", "firm", 0.6).network
    >>> sorted(bought.controls("fund"))
    ['firm', 'fund']
    >>> set_holding(bought, "bank", "firm", 0.5)
    Traceback (most recent call last):
    ...
    dependencia.errors.InputError: holding of 'bank' in 'firm', share: the shares held in 'firm' sum to 1.1, more than 1
    """
    _check_actor(network, owner, "cannot set a holding: owner")
    _check_actor(network, owned, "cannot set a holding: owned")
    if owner == owned:
        raise UsageError(f"cannot set a holding: {owner!r} cannot own shares of itself")
    value = _share(share, owner, owned)
    table = network.ownership
    pair = ((table["owner"] == owner) & (table["owned"] == owned)).to_numpy().copy()
    if value == 0.0:
        if not pair.any():
            raise UsageError(f"cannot sell the holding of {owner!r} in {owned!r}: it holds no share of it")
        changed = table[~pair]
    elif pair.any():
        first = int(pair.argmax())
        pair[first] = False
        changed = table.copy()
        changed.iloc[first, changed.columns.get_loc("share")] = value
        changed = changed[~pair]
    else:
        new = pd.DataFrame({"owner": [owner], "owned": [owned], "share": [value]})
        changed = pd.concat([table, new], ignore_index=True) if len(table) else new.reindex(columns=table.columns)
    changed = changed.reset_index(drop=True)
    # the model's own checks, located at this holding (not at a row of the file the network was read from)
    Network(network.actors, ownership=changed, control=network.control.model,
            control_threshold=network.control.threshold, locate=_record_locator(f"holding of {owner!r} in {owned!r}"),
            _normalized=frozenset({"actors"}))
    return Edit(network.replace(ownership=changed), network)


def _share(share: Any, owner: str, owned: str) -> float:
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not math.isfinite(share):
        raise UsageError(f"cannot set the holding of {owner!r} in {owned!r}: the share is a number in [0, 1], "
                         f"got {share!r}")
    return float(share)
