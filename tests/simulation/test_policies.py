"""Each policy's direct effect, on small hand-built networks (docs/simulation.md#one-step).

Every network here has one dimension ``d`` (``e`` too where spillover needs a
second one), fully monetized; spillover is switched off unless tested, and
nobody invests unless the test says so, so that each effect is the policy's
alone.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import dependencia as dp

DIMENSIONS = [{"id": "d", "monetized": 1.0}, {"id": "e", "monetized": 1.0}]


def simulate(network, steps: int, **config):
    config.setdefault("spillover", {"probability": 0.0})
    return dp.Simulation(network, config).run(steps)


def events(run, kind: str):
    chosen = run.events[run.events["kind"] == kind]
    return [(int(s), a, t, json.loads(d)) for s, a, t, d in chosen[["step", "actor", "target", "detail"]].itertuples(
        index=False)]


def needs_network(state_budget: float = 0.0):
    """A state without infrastructure, six households with providers and an unmet need each."""
    actors = [{"id": "state", "kind": "state", "budget": state_budget}, {"id": "f1", "kind": "firm"},
              {"id": "f2", "kind": "firm"}] + [{"id": f"h{i}", "kind": "household"} for i in range(6)]
    deps = [{"dependent": f"h{i}", "provider": "f1" if i % 2 else "f2", "dimension": "d"} for i in range(6)]
    needs = [{"dependent": f"h{i}", "dimension": "d"} for i in range(6)]
    return dp.Network.from_records(actors, deps, needs=needs, dimensions=DIMENSIONS[:1])


def public_infrastructure_network(state_budget: float = 0.0):
    """A state owning road G (upkeep 2, build cost 10) that three households use; two private firms could buy it."""
    actors = [{"id": "state", "kind": "state", "budget": state_budget}, {"id": "rich", "kind": "firm", "budget": 50},
              {"id": "mid", "kind": "firm", "budget": 20}, {"id": "shop", "kind": "firm", "budget": 0}] + [
        {"id": f"h{i}", "kind": "household", "budget": 0} for i in range(3)]
    deps = [{"dependent": f"h{i}", "provider": "shop", "dimension": "d", "via": ["G"]} for i in range(3)]
    infras = [{"id": "G", "owner": "state", "dimensions": ["d"], "upkeep": 2.0, "build_cost": 10.0}]
    return dp.Network.from_records(actors, deps, infrastructures=infras, dimensions=DIMENSIONS[:1])


def platform_network(upkeep: float = 1.0):
    """Platform ``big`` owns X1 (five households' routes) and X2 (one route): it holds all the power."""
    actors = [{"id": "big", "kind": "platform", "budget": 50}, {"id": "shop1", "kind": "firm"},
              {"id": "shop2", "kind": "firm"}] + [{"id": f"h{i}", "kind": "household"} for i in range(6)]
    deps = [{"dependent": f"h{i}", "provider": "shop1" if i % 2 else "shop2", "dimension": "d",
             "via": ["X1"] if i < 5 else ["X2"]} for i in range(6)]
    infras = [{"id": x, "owner": "big", "dimensions": ["d"], "upkeep": upkeep, "build_cost": 10.0}
              for x in ("X1", "X2")]
    return dp.Network.from_records(actors, deps, infrastructures=infras, dimensions=DIMENSIONS)


def brake(**settings):
    return {"policies": {"debt_brake": {"enabled": True, **settings}}}


# ---------------------------------------------------------------- debt brake
def test_debt_brake_with_zero_cap_blocks_public_investment():
    config = dict(investors=[{"actor": "state", "strategy": "public"}], public_revenue=0.0,
                  **brake(borrowing_cap=0.0))
    run = simulate(needs_network(), 8, **config)
    assert (run.steps["public_infrastructures"] == 0).all()
    assert (run.steps["borrowed"] == 0).all() and (run.steps["public_debt"] == 0).all()
    assert (run.steps["n_needs"] == 6).all()
    assert not events(run, "build")


def test_without_debt_brake_the_public_borrows_and_builds():
    config = dict(investors=[{"actor": "state", "strategy": "public"}], public_revenue=0.0,
                  policies={"debt_brake": {"enabled": False, "borrowing_cap": 0.0}})
    run = simulate(needs_network(), 8, **config)
    assert run.steps["public_infrastructures"].iloc[-1] > 0
    assert run.steps["public_debt"].iloc[-1] > 0
    assert run.steps["n_needs"].iloc[-1] < 6
    assert [a for _, a, _, _ in events(run, "build")] == ["state"]


@pytest.mark.parametrize("cap, revenue", [(0.5, 2.0), (0.25, 4.0), (44 / 481, 5.0)])
def test_borrowing_per_step_is_capped_by_share_of_revenue(cap, revenue):
    # the state has no income inside the network (no tax, no sales to others): its revenue is public_revenue
    config = dict(investors=[{"actor": "state", "strategy": "public"}], public_revenue=revenue,
                  infrastructure={"build_cost": 3.0}, **brake(borrowing_cap=cap))
    run = simulate(needs_network(), 6, **config)
    limit = cap / (1 - cap) * revenue
    borrowed = run.steps["borrowed"].to_numpy()
    assert (borrowed <= limit * (1 + 1e-12)).all()
    assert borrowed.max() == pytest.approx(limit)  # the cap binds at least once
    capped = [d for _, a, _, d in events(run, "policy") if d["policy"] == "debt_brake"]
    assert capped and all(d["allowed"] <= limit * (1 + 1e-12) and d["allowed"] < d["wanted"] for d in capped)
    assert np.allclose(run.steps["public_debt"], np.cumsum(borrowed))


def test_gdp_rule_caps_borrowing_at_share_of_total_payments():
    config = dict(public_revenue=0.0, **brake(rule="gdp_share", gdp_share=0.05, borrowing_cap=0.0))
    run = simulate(public_infrastructure_network(), 3, **config)
    steps = run.steps
    assert (steps["borrowed"] <= 0.05 * steps["total_paid"] * (1 + 1e-12)).all()
    assert steps["borrowed"].iloc[0] == pytest.approx(0.05 * steps["total_paid"].iloc[0])  # upkeep 2 wanted
    assert events(run, "policy")[0][3]["purpose"] == "operations"


def test_exempt_investment_borrowing_is_not_capped():
    config = dict(investors=[{"actor": "state", "strategy": "public"}], public_revenue=0.0,
                  **brake(borrowing_cap=0.0, exempt=["investment"]))
    run = simulate(needs_network(), 3, **config)
    steps = run.steps
    assert steps["public_infrastructures"].iloc[0] == 1
    assert steps["borrowed"].iloc[0] == pytest.approx(10.0)  # the default build cost, all borrowed
    # operations are not exempt: the next step's bills are not borrowed for
    assert (steps["borrowed"].iloc[1:] == 0).all()
    operations = [d for _, _, _, d in events(run, "policy") if d["purpose"] == "operations"]
    assert operations and all(d["allowed"] == 0 for d in operations)


# ---------------------------------------------------------------- rent tax
def rent_network():
    actors = [{"id": "state", "kind": "state", "budget": 50}, {"id": "plat", "kind": "platform"},
              {"id": "shop", "kind": "firm", "unit_cost": 2.0}, {"id": "maker", "kind": "firm"}] + [
        {"id": f"h{i}", "kind": "household"} for i in range(4)]
    deps = [{"dependent": f"h{i}", "provider": "shop", "dimension": "d", "via": ["M"], "strength": 1 + i}
            for i in range(4)] + [{"dependent": "shop", "provider": "maker", "dimension": "d"}]
    infras = [{"id": "M", "owner": "plat", "dimensions": ["d"], "upkeep": 1.0}]
    return dp.Network.from_records(actors, deps, infrastructures=infras, dimensions=DIMENSIONS[:1])


def test_rent_tax_raises_public_budget_by_rate_times_private_rents():
    network, rate = rent_network(), 0.2
    without = simulate(network, 1)
    taxed = simulate(network, 1, policies={"rent_tax": {"enabled": True, "rate": rate}})
    gain = taxed.steps["public_budget"].iloc[0] - without.steps["public_budget"].iloc[0]

    plain = dp.rents(network)
    private = plain.actors.drop(index="state")
    expected = rate * (private["income_markup"] + private["income_toll"]).clip(lower=0).sum()
    assert expected > 0
    assert gain == pytest.approx(expected, rel=1e-9)
    assert gain == pytest.approx(dp.rents(network, rent_tax=rate).totals["taxes"], rel=1e-9)
    state = taxed.actors[(taxed.actors["actor"] == "state") & (taxed.actors["dimension"] == "*")]
    assert float(state["budget"].iloc[0]) == pytest.approx(50 + expected)


# ---------------------------------------------------------------- antitrust
def test_antitrust_divests_busiest_infrastructure_to_a_spinoff():
    run = simulate(platform_network(upkeep=0.0), 1, policies={"antitrust": {"enabled": True, "cap": 0.3}})
    divested = events(run, "divest")
    assert len(divested) == 1
    step, actor, target, detail = divested[0]
    assert (step, actor, target) == (0, "big", "X1")  # X1 carries five routes, X2 one
    assert detail["to"] == "big~spinoff-0" and detail["power_share"] > 0.3 and detail["cap"] == 0.3
    network = run.network
    assert "big~spinoff-0" in network.actors.index
    assert network.infrastructures.at["X1", "owner"] == "big~spinoff-0"
    assert network.infrastructures.at["X2", "owner"] == "big"


def test_antitrust_leaves_actors_below_the_cap_alone():
    run = simulate(platform_network(upkeep=0.0), 1, policies={"antitrust": {"enabled": True, "cap": 1.0}})
    assert not events(run, "divest")
    assert set(run.network.infrastructures["owner"]) == {"big"}


def test_divested_infrastructure_survives_with_default_upkeep():
    run = simulate(platform_network(upkeep=1.0), 2, policies={"antitrust": {"enabled": True, "cap": 0.3}})
    assert "X1" in run.network.infrastructures.index
    assert run.network.infrastructures.at["X1", "owner"] == "big~spinoff-0"


# ---------------------------------------------------------------- interoperability
def test_interoperability_mandates_routes_around_dominant_infrastructure():
    network = platform_network()
    run = simulate(network, 1, policies={"interoperability": {"enabled": True, "threshold": 0.3}})
    policy = [(a, d) for _, a, _, d in events(run, "policy") if d["policy"] == "interoperability"]
    assert policy == [("big", {"alternatives": 6, "policy": "interoperability"})]
    deps = run.network.dependencies
    assert len(deps) == 12
    for _, old in network.dependencies.iterrows():
        same = deps[(deps["dependent"] == old["dependent"]) & (deps["provider"] == old["provider"])]
        routes = {tuple(v): s for v, s in zip(same["via"], same["strength"])}
        assert routes == {tuple(old["via"]): old["strength"] / 2, (): old["strength"] / 2}
    # strength is conserved, and a second step does not halve again
    again = simulate(network, 2, policies={"interoperability": {"enabled": True, "threshold": 0.3}})
    assert sorted(again.network.dependencies["strength"]) == [0.5] * 12


def test_interoperability_below_threshold_does_nothing():
    network = platform_network()
    run = simulate(network, 1, policies={"interoperability": {"enabled": True, "threshold": 1.0}})
    assert not events(run, "policy")
    assert len(run.network.dependencies) == len(network.dependencies)


# ---------------------------------------------------------------- public option
@pytest.mark.parametrize("enabled", [True, False])
def test_public_option_makes_the_public_invest_unlisted(enabled):
    run = simulate(needs_network(state_budget=50.0), 1, policies={"public_option": {"enabled": enabled}})
    builds = events(run, "build")
    if enabled:
        assert [(a, d["move"]) for _, a, _, d in builds] == [("state", "serve")]
        assert run.steps["public_infrastructures"].iloc[0] == 1
        new = run.network.infrastructures.index[0]
        assert run.network.infrastructures.at[new, "owner"] == "state"
    else:
        assert not builds and run.steps["public_infrastructures"].iloc[0] == 0


# ---------------------------------------------------------------- decay and privatization
def unpaid_upkeep(**decay):
    config = dict(public_revenue=0.0, initial_budget=0.0, **brake(borrowing_cap=0.0))
    if decay:
        config["decay"] = decay
    return simulate(public_infrastructure_network(), 1, **config)


def test_unpaid_public_upkeep_privatizes_to_richest_bidder():
    run = unpaid_upkeep()
    sold = events(run, "privatize")
    assert sold == [(0, "rich", "G", {"price": 5.0, "seller": "state"})]  # sale price 0.5 x build cost 10
    steps = run.steps.iloc[0]
    assert steps["privatized"] == 1 and steps["formerly_public_private_share"] > 0
    assert steps["public_infrastructures"] == 0 and steps["private_infrastructures"] == 1
    assert run.network.infrastructures.at["G", "owner"] == "rich"
    assert steps["public_budget"] == pytest.approx(-2.0 + 5.0)
    budgets = run.actors[(run.actors["dimension"] == "*")].set_index("actor")["budget"]
    assert budgets["rich"] == pytest.approx(50 - 5)


def test_unpaid_public_upkeep_without_privatization_removes_infrastructure():
    run = unpaid_upkeep(privatize=False)
    assert not events(run, "privatize")
    assert events(run, "decay") == [(0, "state", "G", {"reason": "upkeep unpaid"})]
    assert "G" not in run.network.infrastructures.index
    assert run.steps["privatized"].iloc[0] == 0 and run.steps["public_infrastructures"].iloc[0] == 0
    deps = run.network.dependencies
    assert len(deps) == 3 and all(tuple(v) == () for v in deps["via"])  # fallback: direct


def test_no_bidder_rich_enough_means_decay():
    run = unpaid_upkeep(sale_price=10.0)  # price 100: nobody has it
    assert not events(run, "privatize") and [t for _, _, t, _ in events(run, "decay")] == ["G"]


def test_paid_upkeep_keeps_public_infrastructure():
    config = dict(public_revenue=5.0, initial_budget=0.0, **brake(borrowing_cap=0.0))
    run = simulate(public_infrastructure_network(), 3, **config)
    assert (run.steps["public_infrastructures"] == 1).all() and not len(run.events)


# ---------------------------------------------------------------- insolvency
def insolvency_network():
    """``poor`` (budget 0.5) owns P1 and P2, upkeep 3 each, toll-free: its budget goes negative in the first step."""
    actors = [{"id": "poor", "kind": "firm", "budget": 0.5}, {"id": "rich", "kind": "firm", "budget": 80},
              {"id": "mid", "kind": "firm", "budget": 20}, {"id": "shop", "kind": "firm"}] + [
        {"id": f"h{i}", "kind": "household"} for i in range(3)]
    deps = [{"dependent": f"h{i}", "provider": "shop", "dimension": "d", "via": ["P1"] if i < 2 else []}
            for i in range(3)]
    infras = [{"id": x, "owner": "poor", "dimensions": ["d"], "upkeep": 3.0, "build_cost": 10.0, "toll": 0.0}
              for x in ("P1", "P2")]
    return dp.Network.from_records(actors, deps, infrastructures=infras, dimensions=DIMENSIONS[:1])


def insolvent(mode: str, steps: int = 1):
    return simulate(insolvency_network(), steps, insolvency=mode, initial_budget=0.0,
                    investors=[{"actor": "poor", "strategy": "none"}])


def test_insolvency_exit_removes_the_actor():
    run = insolvent("exit")
    [(step, actor, target, detail)] = events(run, "insolvency")
    assert (step, actor, target, detail["exited"]) == (0, "poor", None, True)
    assert detail["budget"] == pytest.approx(0.5 - 6.0)
    assert "poor" not in run.network.actors.index
    assert run.network.infrastructures["owner"].isna().all()
    later = insolvent("exit", steps=2)  # its infrastructure, now without owner, decays
    assert sorted(t for _, _, t, d in events(later, "decay") if d["reason"] == "no owner") == ["P1", "P2"]


def test_insolvency_sell_sells_infrastructure_first():
    run = insolvent("sell")
    sales = events(run, "insolvency")
    assert [(a, t, d["seller"], d["price"]) for _, a, t, d in sales] == [("rich", "P1", "poor", 5.0),
                                                                       ("rich", "P2", "poor", 5.0)]
    assert "poor" in run.network.actors.index  # the sales covered the deficit
    assert set(run.network.infrastructures["owner"]) == {"rich"}
    budgets = run.actors[run.actors["dimension"] == "*"].set_index("actor")["budget"]
    assert budgets["poor"] == pytest.approx(0.5 - 6.0 + 10.0)


def test_insolvency_none_leaves_the_actor():
    run = insolvent("none", steps=2)
    assert not events(run, "insolvency")
    assert "poor" in run.network.actors.index
    assert set(run.network.infrastructures["owner"]) == {"poor"}
    budgets = run.actors[(run.actors["dimension"] == "*") & (run.actors["actor"] == "poor")]["budget"]
    assert budgets.tolist() == pytest.approx([0.5 - 6.0, 0.5 - 12.0])


# ---------------------------------------------------------------- spillover
def test_spillover_with_probability_one_creates_dependencies():
    network = platform_network()
    run = simulate(network, 1, spillover={"probability": 1.0})
    spilled = events(run, "spillover")
    assert len(spilled) == 2  # one per infrastructure
    deps = run.network.dependencies
    for _, owner, infra, detail in spilled:
        assert owner == "big"
        match = deps[(deps["dependent"] == detail["dependent"]) & (deps["provider"] == "big")
                     & (deps["dimension"] == detail["dimension"])]
        assert [tuple(v) for v in match["via"]] == [(infra,)]
        assert detail["dimension"] in run.network.infrastructures.at[infra, "dimensions"]
    assert len(deps) == len(network.dependencies) + 2


def test_spillover_with_probability_zero_does_nothing():
    run = simulate(platform_network(), 3, spillover={"probability": 0.0})
    assert not events(run, "spillover")


def test_spillover_goes_into_other_dimensions():
    network = platform_network()
    run = simulate(network, 1, spillover={"probability": 1.0})
    spilled = events(run, "spillover")
    assert spilled
    for _, _, infra, detail in spilled:
        assert detail["dimension"] not in network.infrastructures.at[infra, "dimensions"]
