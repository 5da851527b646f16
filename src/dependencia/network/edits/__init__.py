"""The one way to change a network: operations that each return an :class:`Edit` (the new network and what changed).

Every change the package makes to a :class:`~dependencia.network.model.Network`
goes through these: the what-if analysis, the simulation's investors and
policies (docs/model.md#co-evolution-the-network-monopoly), and users'
scripts. Each operation checks its arguments (a
:class:`~dependencia.errors.UsageError` names what is wrong), builds the new
tables, validates them as any network is validated, and returns an
:class:`Edit`: ``edit.network`` is the new network, ``edit.before`` the one it
started from, and the rest says which rows and nodes changed. A network is
never changed in place.

========================  =====================================================
actors                    :func:`add_actor`, :func:`remove_nodes`
dependencies              :func:`add_dependencies`, :func:`remove_dependencies`,
                          :func:`reroute`, :func:`set_strengths`,
                          :func:`switch_provider`
needs                     :func:`add_needs`, :func:`serve_needs`
infrastructures           :func:`add_infrastructure`,
                          :func:`remove_infrastructure`,
                          :func:`transfer_ownership`, :func:`serve_dimensions`,
                          :func:`set_toll`, :func:`set_transit`
                          (and :func:`remove_nodes`)
holdings                  :func:`set_holding`
========================  =====================================================

Row arguments are positions in the tables (``network.dependencies.iloc[row]``,
``network.needs.iloc[row]``), the way the tables are numbered after
validation. Routes are sequences of infrastructure ids (a bare id is a route
of one; an empty route means "served directly").

Examples
--------
>>> import dependencia as dp
>>> net = dp.Network.from_records(
...     [{"id": "ann"}, {"id": "shop"}, {"id": "amazon"}],
...     [{"dependent": "ann", "provider": "shop"}])
>>> built = dp.edits.add_infrastructure(net, "market", owner="amazon", build_cost=10.0)
>>> moved = dp.edits.reroute(built.network, [0], ["market"])  # ann -> market -> shop
>>> moved.network.dependencies["via"].tolist(), moved.added.tolist()
([('market',)], [0])
"""

from __future__ import annotations

from .dependencies import (
    add_dependencies,
    add_needs,
    remove_dependencies,
    reroute,
    serve_needs,
    set_strengths,
    switch_provider,
)
from .holdings import set_holding
from .infrastructures import (
    FALLBACKS,
    add_infrastructure,
    remove_infrastructure,
    serve_dimensions,
    set_toll,
    set_transit,
    transfer_ownership,
)
from .nodes import add_actor, remove_nodes
from .record import Edit

__all__ = [
    "FALLBACKS",
    "Edit",
    "add_actor",
    "add_dependencies",
    "add_infrastructure",
    "add_needs",
    "remove_dependencies",
    "remove_infrastructure",
    "remove_nodes",
    "reroute",
    "serve_dimensions",
    "serve_needs",
    "set_holding",
    "set_strengths",
    "set_toll",
    "set_transit",
    "switch_provider",
    "transfer_ownership",
]
