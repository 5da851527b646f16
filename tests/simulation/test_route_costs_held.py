"""Route costs held through the invest phase equal route costs computed afresh on the network as it is.

Oracle: :func:`dependencia.economics.rents.route_costs` on the phase's network, economy and introductory
tolls at the moment of the call. The invest phase changes the network by building (a new infrastructure
on no route) and restarts the introductory terms of what it builds or extends (``state.built``): an
extend on an infrastructure past its introductory steps takes its toll off the rows routed through it,
which a held table must not hide (the ai-stack experiment's reproduction caught it).
"""

from __future__ import annotations

import dependencia as dp
from dependencia.economics.rents import route_costs
from dependencia.network import edits
from dependencia.simulation.config import SimulationConfig
from dependencia.simulation.phases import Phases
from dependencia.simulation.results import Recorder


def _phases() -> Phases:
    net = dp.Network.from_records(
        [{"id": i} for i in ("a", "b", "c", "owner")],
        [{"dependent": "a", "provider": "c", "via": ["X"]}, {"dependent": "b", "provider": "c"}],
        infrastructures=[{"id": "X", "owner": "owner", "toll": 0.3}])
    config = SimulationConfig.from_mapping({"infrastructure": {"intro_steps": 2}})
    phases = Phases(net, Phases.initial_state(net, config), Recorder(), config)
    phases.state.built["X"] = -10  # built long ago: its toll applies
    return phases


def _fresh(phases: Phases, paid, measured, t: int):
    return route_costs(phases.network, phases.economy(), paid.prices, measured.shares(),
                       toll_overrides=phases.intro_tolls(t))


def test_held_costs_follow_an_extend_and_a_build():
    phases = _phases()
    t = 3
    measured = phases._measure(t)
    paid = phases._pay(t, measured)
    phases._held_costs = ()  # as in the invest phase
    first = phases.route_costs(paid, measured, t)
    assert first["toll"].tolist() == [0.3, 0.0]
    phases.state.built["X"] = t  # an extend move restarts X's introductory terms: no toll now
    extended = phases.route_costs(paid, measured, t)
    assert extended.equals(_fresh(phases, paid, measured, t)) and extended["toll"].tolist() == [0.0, 0.0]
    phases.network = edits.add_infrastructure(phases.network, "owner/infra-1", owner="owner").network
    phases.state.built["owner/infra-1"] = t  # a build: a new infrastructure on no route
    built = phases.route_costs(paid, measured, t)
    assert built.equals(_fresh(phases, paid, measured, t))
    built.loc[0, "toll"] = 99.0  # a caller's copy is its own
    assert phases.route_costs(paid, measured, t).equals(_fresh(phases, paid, measured, t))
