"""Actor power's table from its values: the one builder for :func:`~dependencia.power` and a plain edge list's power.

Split from :mod:`.power` so that :mod:`.plain_power` (``dp.power`` of a
plain edge list before its tables are built, issue 19: peak memory) and
:mod:`.power` share it without importing each other. pandas is imported
when a table is built.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["power_frame", "with_reach"]


def power_frame(
    actors: Sequence[str] | pd.Index,
    ordered: np.ndarray,
    actors_in_group: np.ndarray,
    *,
    directed: bool,
    normalized: bool,
    betweenness: np.ndarray,
    controls: list[int],
    controllers: list[str],
    top: np.ndarray,
    authority: list[list[str]],
) -> pd.DataFrame:
    """:func:`~dependencia.measures.power.actor_table` from the actors' ids, top-level controllers and authority.

    ``top`` says which actors control themselves (top level).

    Examples
    --------
    >>> import numpy as np
    >>> power_frame(["a", "b", "c"], np.array([0.0, 2.0, 0.0]), np.ones(3), directed=True, normalized=True,
    ...             betweenness=np.array([0.0, 1.0, 0.0]), controls=[0, 0, 0], controllers=["a", "b", "c"],
    ...             top=np.ones(3, dtype=bool), authority=[[], [], []])["power"].tolist()
    [0.0, 1.0, 0.0]
    """
    n_actors = len(ordered)
    pairs = (n_actors - actors_in_group) * (n_actors - actors_in_group - 1)
    raw = ordered if directed else ordered / 2.0
    if normalized:
        values = np.divide(ordered, pairs, out=np.zeros(n_actors), where=pairs > 0)
    else:
        values = raw
    total = raw[top].sum()
    share = raw / total if total > 0 else np.zeros(n_actors)
    import pandas as pd

    frame = pd.DataFrame(
        {"power": values, "power_share": share, "betweenness": betweenness, "controls": controls},
        index=pd.Index(actors, name="id", dtype=object),
    )
    frame["controlled_by"] = pd.Series(
        [None if t else c for t, c in zip(top, controllers)], index=frame.index, dtype=object
    )
    frame["formal_authority_over"] = pd.Series(authority, index=frame.index, dtype=object)
    return frame


def with_reach(frame: pd.DataFrame, kinds: np.ndarray | list[str], reached: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the actors' ``kinds`` first and the ``reached`` columns after; ``frame.attrs`` kept.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"power": [1.0]}, index=pd.Index(["a"], name="id"))
    >>> list(with_reach(frame, ["actor"], pd.DataFrame({"dependents": [2.0]}, index=frame.index)).columns)
    ['kind', 'power', 'dependents']
    """
    attrs = dict(frame.attrs)
    result = frame.copy()
    result.insert(0, "kind", kinds)
    result = result.join(reached)
    result.attrs.update(attrs)
    return result
