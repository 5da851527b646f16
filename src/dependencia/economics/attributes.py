"""Free numeric attributes the economics reads: an actor's ``capacity``, an infrastructure's ``toll``, a dependency's ``wage``.

A free attribute is optional per record (NaN where unspecified); where it is
given it must be a finite number in range, else the record is named.

Examples
--------
>>> import dependencia as dp
>>> net = dp.Network.from_records([{"id": "a"}, {"id": "b", "capacity": 4}])
>>> numeric_attribute(net, "actors", "capacity", positive=True).tolist()
[nan, 4.0]
>>> numeric_attribute(net, "actors", "toll", positive=False) is None
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError
from ..network.model import Network

__all__ = ["numeric_attribute"]


def numeric_attribute(network: Network, table: str, name: str, *, positive: bool) -> pd.Series | None:
    """A free numeric attribute column (NaN where unspecified), checked, or None when absent."""
    frame = getattr(network, table)
    if name not in frame.columns:
        return None
    values = pd.to_numeric(frame[name], errors="coerce")
    bad = (values.isna() & frame[name].notna()) | ~np.isfinite(values.fillna(0.0)) | (
        values <= 0 if positive else values < 0
    )
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        bound = "a number > 0" if positive else "a number >= 0"
        source, where = network.locate(table, row, name)
        raise InputError(f"{name} must be {bound}, got {frame[name].iloc[row]!r}", source=source, where=where)
    return values.astype(float)
