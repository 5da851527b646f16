"""The record phase: one row of ``steps`` and the rows of ``actors`` for a step.

Power, its concentration, and the dependents and dependencies of each actor
(transitive, as :func:`~dependencia.reach`) are those measured at the start
of the step; income is the step's; counts of infrastructure, routes,
budgets and debt are those at its end.
Concentration (Gini, HHI, top-1 and top-5 share) is taken over the power
shares of top-level actors. The ``private_`` columns measure how much power
private hands hold: ``private_top5_share`` is the share of all power held by
the five most powerful private top-level actors, ``private_hhi`` the sum of
the squared shares (of all power) of private top-level actors; public actors
count in the total but not in these sums.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..measures.concentration import gini, hhi, top_share

if TYPE_CHECKING:
    from ..economics.rents import Rents
    from .world import Measurement, World

__all__ = ["record_step"]


def record_step(phases: "World", t: int, measured: "Measurement", paid: "Rents", moves: int, adopted: int) -> None:
    """Append step ``t``'s rows to the recorder."""
    network, state, finances = phases.network, phases.state, phases.public
    raw = measured.raw
    top = raw[raw["controlled_by"].isna()]
    shares = top["power_share"].to_numpy()
    public = set(network.public_actors)
    private_shares = top.loc[[a for a in top.index if a not in public], "power_share"].to_numpy()
    owners = network.infrastructures["owner"]
    is_public = owners.isin(list(public)).to_numpy()
    is_private = owners.notna().to_numpy() & ~is_public
    private_infra = set(network.infrastructures.index[is_private])
    via = network.dependencies["via"]
    routed_private = via.map(lambda route: any(x in private_infra for x in route)).to_numpy(dtype=bool)
    origin = [x for x in state.public_origin if x in network.infrastructures.index]
    formerly = np.mean([x in private_infra for x in origin]) if origin else 0.0
    phases.recorder.steps.append({
        "step": t,
        "gini": gini(shares), "hhi": hhi(shares), "top1_share": top_share(shares, 1), "top5_share": top_share(shares, 5),
        "private_hhi": hhi(private_shares), "private_top5_share": top_share(private_shares, 5),
        "public_infrastructures": int(is_public.sum()), "private_infrastructures": int(is_private.sum()),
        "private_route_share": float(routed_private.mean()) if len(routed_private) else 0.0,
        "privatized": state.privatized, "formerly_public_private_share": float(formerly),
        "total_paid": paid.totals["paid"], "to_world": paid.totals["to_world"],
        "unpaid_care_value": paid.totals["unpaid_care_value"], "public_budget": phases.public.budget(),
        "public_debt": state.public_debt, "borrowed": finances.borrowed, "public_borrowing": finances.borrowed,
        "public_interest": finances.interest, "public_investment": finances.spent.get("investment", 0.0),
        "public_subsidies": finances.spent.get("subsidies", 0.0), "public_tax_cuts": finances.spent.get("tax_cuts", 0.0),
        "public_rescue": finances.spent.get("rescue", 0.0), "built": moves, "adopted": adopted,
        "n_actors": network.n_actors, "n_dependencies": len(network.dependencies), "n_needs": len(network.needs),
    })
    phases.recorder.actors.append(_actor_rows(phases, t, measured, paid))


def _actor_rows(phases: "World", t: int, measured: "Measurement", paid: "Rents") -> pd.DataFrame:
    """Rows for the actors measured at the start of the step: '*' and each dimension."""
    ids = measured.raw.index.to_numpy(dtype=object)
    budgets = phases.state.budgets
    reached = measured.reach["*"].reindex(ids)
    frames = [pd.DataFrame({
        "step": t, "actor": ids, "dimension": "*", "power": measured.normalized,
        "power_share": measured.raw["power_share"].to_numpy(),
        "income": paid.actors["income"].reindex(ids).to_numpy(dtype=float),
        "budget": np.array([budgets.get(a, np.nan) for a in ids], dtype=float),
        "price": np.nan,
        "dependents": reached["dependents"].to_numpy(dtype=float),
        "dependencies": reached["dependencies"].to_numpy(dtype=float),
    })]
    prices = paid.prices
    for dimension, table in sorted(measured.by_dimension.items()):
        in_dim = prices[prices["dimension"] == dimension].set_index("provider")["price"]
        counts = measured.reach[dimension].reindex(table.index)
        frames.append(pd.DataFrame({
            "step": t, "actor": table.index.to_numpy(dtype=object), "dimension": dimension,
            "power": table["power"].to_numpy(dtype=float), "power_share": table["power_share"].to_numpy(dtype=float),
            "income": np.nan, "budget": np.nan,
            "price": in_dim.reindex(table.index).to_numpy(dtype=float),
            "dependents": counts["dependents"].to_numpy(dtype=float),
            "dependencies": counts["dependencies"].to_numpy(dtype=float),
        }))
    return pd.concat(frames, ignore_index=True)
