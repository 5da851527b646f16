"""What the tables of a network say of each other, checked: references, routes, shares, dimensions.

:class:`~dependencia.network.model.Network` runs these on construction, after
each table has been validated on its own (:mod:`dependencia.network.schema`);
a failure names the table, row and field through the network's locator.

Examples
--------
>>> import pandas as pd
>>> from dependencia.network import schema
>>> deps = schema.normalize(pd.DataFrame({"dependent": ["a"], "provider": ["b"]}), schema.DEPENDENCIES,
...                         schema.record_locator)
>>> empty = lambda name: schema.normalize(pd.DataFrame(), schema.SCHEMAS[name], schema.record_locator)
>>> list(dimensions_table(deps, empty("needs"), empty("infrastructures"), None, schema.record_locator).index)
['default']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import shown
from . import schema as schema
from .control import SHARE_TOLERANCE
from .schema import Locator, fail

__all__ = ["check_references", "check_routes", "dimensions_table"]


def dimensions_table(dependencies: pd.DataFrame, needs: pd.DataFrame, infrastructures: pd.DataFrame,
                     given: pd.DataFrame | None, locate: Locator, *, normalized: bool = False) -> pd.DataFrame:
    """The dimensions table: ``given`` validated (every dimension used must be declared), else the ones in use.

    ``normalized``: ``given`` is a validated Network's own dimensions table, taken over as it is (every
    dimension the other tables use is still checked against it).
    """
    named = pd.unique(
        pd.concat(
            [
                dependencies["dimension"],
                needs["dimension"],
                pd.Series([d for ds in infrastructures["dimensions"] for d in ds], dtype=object),
            ],
            ignore_index=True,
        ).astype(object)
    )
    if given is None:
        frame = schema.normalize(pd.DataFrame({"id": pd.Series(named, dtype=object)}), schema.DIMENSIONS, locate)
    else:
        frame = given if normalized else schema.normalize(given, schema.DIMENSIONS, locate)
        known = frame.index
        schema.check_references(dependencies["dimension"], known, "dependencies", "dimension", "dimension", locate)
        schema.check_references(needs["dimension"], known, "needs", "dimension", "dimension", locate)
        schema.check_id_lists(
            infrastructures["dimensions"], known, "infrastructures", "dimensions", "dimension", locate
        )
    unspecified = frame["monetized"].isna()
    if unspecified.any():
        default = np.where(frame.index.isin(list(schema.UNMONETIZED_BY_DEFAULT)), 0.0, 1.0)
        frame["monetized"] = frame["monetized"].where(~unspecified, default)
    return frame


def check_references(actors: pd.DataFrame, dependencies: pd.DataFrame, needs: pd.DataFrame,
                     infrastructures: pd.DataFrame, ownership: pd.DataFrame, authority: pd.DataFrame,
                     locate: Locator) -> None:
    """Check what the tables say of each other: ids exist, no self-loops, routes serve their dimension, shares."""
    actor_ids = actors.index
    infras = infrastructures.index
    clash = infras.isin(actor_ids)
    if clash.any():
        row = int(np.flatnonzero(clash)[0])
        raise fail(locate, "infrastructures", row, "id",
                   f"id {shown(infras[row])} is already an actor's id")
    bad_ids = infras.str.contains(schema.VIA_SEPARATOR, regex=False)
    if len(infras) and bad_ids.any():
        row = int(np.flatnonzero(bad_ids)[0])
        raise fail(locate, "infrastructures", row, "id",
                   f"an infrastructure id may not contain ';': {shown(infras[row])}")
    deps = dependencies
    schema.check_references(deps["dependent"], actor_ids, "dependencies", "dependent", "actor", locate)
    schema.check_references(deps["provider"], actor_ids, "dependencies", "provider", "actor", locate)
    own_loop = (deps["dependent"] == deps["provider"]).to_numpy()
    if own_loop.any():
        row = int(np.flatnonzero(own_loop)[0])
        raise fail(
            locate, "dependencies", row, "provider",
            f"self-dependency: {shown(deps['dependent'].iloc[row])} cannot depend on itself",
        )
    schema.check_id_lists(deps["via"], infras, "dependencies", "via", "infrastructure", locate)
    check_routes(dependencies, infrastructures, locate)
    schema.check_references(needs["dependent"], actor_ids, "needs", "dependent", "actor", locate)
    schema.check_references(
        infrastructures["owner"], actor_ids, "infrastructures", "owner", "actor", locate, optional=True
    )
    own = ownership
    schema.check_references(own["owner"], actor_ids, "ownership", "owner", "actor", locate)
    schema.check_references(own["owned"], actor_ids, "ownership", "owned", "actor", locate)
    self_held = (own["owner"] == own["owned"]).to_numpy()
    if self_held.any():
        row = int(np.flatnonzero(self_held)[0])
        raise fail(locate, "ownership", row, "owned",
                   f"{shown(own['owner'].iloc[row])} cannot own shares of itself")
    totals = own.groupby("owned", sort=False)["share"].cumsum().to_numpy()
    over = totals > 1.0 + SHARE_TOLERANCE
    if over.any():
        row = int(np.flatnonzero(over)[0])
        raise fail(
            locate, "ownership", row, "share",
            f"the shares held in {shown(own['owned'].iloc[row])} sum to {totals[row]:g}, more than 1",
        )
    schema.check_references(authority["holder"], actor_ids, "authority", "holder", "actor", locate)
    schema.check_references(authority["subject"], actor_ids, "authority", "subject", "actor", locate)


def check_routes(dependencies: pd.DataFrame, infrastructures: pd.DataFrame, locate: Locator) -> None:
    """Every route passes an infrastructure at most once, and only ones that serve its dimension."""
    deps = dependencies
    with_route = np.flatnonzero(deps["via"].map(len).to_numpy())
    if not len(with_route):
        return
    serves = {
        infra: frozenset(dims)
        for infra, dims in zip(infrastructures.index, infrastructures["dimensions"].tolist())
    }
    vias = deps["via"].to_numpy()
    dims = deps["dimension"].to_numpy()
    for row in with_route.tolist():
        route = vias[row]
        if len(set(route)) != len(route):
            raise fail(locate, "dependencies", row, "via", f"the route {list(route)} passes an infrastructure twice")
        for infra in route:
            served = serves[infra]
            if served and dims[row] not in served:
                raise fail(
                    locate, "dependencies", row, "via",
                    f"infrastructure {shown(infra)} does not serve dimension {shown(dims[row])} "
                    f"(it serves {', '.join(sorted(served))})",
                )
