"""Households earn, spend and save in a run (docs/economics.md#wages, docs/simulation.md#one-step).

The three-actor town of tests/economics/test_wages.py, without investors or
spill-over, is the same network every step, so each step repeats its
accounts worked by hand there: the household earns 4 x 3.30 = 13.20 in
wages, spends 11.00 on goods and 1.00 of its subsistence outside the
network, and saves 1.20; the firm's net is -6.60, the mill's +0.40.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

import dependencia as dp
from dependencia.simulation.scenario import load_scenario

ACTORS = [{"id": "firm", "kind": "firm", "unit_cost": 10, "budget": 100},
          {"id": "home", "kind": "household", "subsistence": 3, "budget": 0},
          {"id": "mill", "kind": "firm", "unit_cost": 4, "budget": 10}]
DEPS = [{"dependent": "firm", "provider": "home", "dimension": "labour", "strength": 4},
        {"dependent": "home", "provider": "firm", "dimension": "goods"},
        {"dependent": "firm", "provider": "mill", "dimension": "material"}]


def star(run) -> pd.DataFrame:
    return run.actors[run.actors["dimension"] == "*"]


def test_a_household_saves_its_wages_less_its_spending_every_step():
    net = dp.Network.from_records(ACTORS, DEPS)
    run = dp.Simulation(net, {"spillover": {"probability": 0.0}}).run(3)
    rows = star(run)
    for step in range(3):
        at = rows[rows["step"] == step].set_index("actor")
        assert at.loc["home", "income"] == pytest.approx(13.2)
        assert at.loc["home", "budget"] == pytest.approx(0 + 1.2 * (step + 1))
        assert at.loc["firm", "budget"] == pytest.approx(100 - 6.6 * (step + 1))
        assert at.loc["mill", "budget"] == pytest.approx(10 + 0.4 * (step + 1))
    assert run.steps["to_world"].tolist() == pytest.approx([5.0] * 3)


def test_money_is_conserved_every_step_with_wages():
    """The debt-brake scenario with every firm employing two households, investors and all.

    Actor budgets change by exactly what enters (public revenue, borrowing)
    less what leaves (world, builds), as in tests/simulation/test_runs.py;
    the households' budgets now rise by their wages.
    """
    network, config = load_scenario("debt-brake")
    config = config.with_overrides(["insolvency=none", "spillover.probability=0"])
    firms = [a for a in network.actors.index if a.startswith("firm")]
    households = [a for a in network.actors.index if a.startswith("household")]
    labour = pd.DataFrame([{"dependent": firm, "provider": households[(2 * i + j) % len(households)],
                            "dimension": "labour", "strength": 1.0, "channel": "market", "via": ()}
                           for i, firm in enumerate(firms) for j in range(2)])
    dimensions = pd.concat([network.dimensions, pd.DataFrame({"monetized": [1.0]}, index=pd.Index(["labour"],
                                                                                                  name="id"))])
    network = network.replace(dimensions=dimensions,
                              dependencies=pd.concat([network.dependencies, labour], ignore_index=True))
    steps = 4
    run = dp.Simulation(network, config).run(steps)
    budgets = network.actors["budget"].fillna(config.initial_budget).astype(float)
    before = budgets.sum()
    rows, events = star(run), run.events
    employed = sorted({households[(2 * i + j) % len(households)] for i in range(len(firms)) for j in range(2)})
    for t in range(steps):
        row = run.steps.iloc[t]
        after = rows.loc[rows["step"] == t, "budget"].sum()
        builds = sum(json.loads(d)["cost"] for d in events.loc[(events["step"] == t) & (events["kind"] == "build"),
                                                                "detail"])
        expected = -row["to_world"] + config.public_revenue + row["borrowed"] - builds
        assert after - before == pytest.approx(expected, rel=1e-9, abs=1e-9), f"step {t}"
        before = after
        income = rows[rows["step"] == t].set_index("actor")["income"]
        assert (income[employed] >= 1.1 - 1e-12).all()  # at least one unit of labour at the default wage
