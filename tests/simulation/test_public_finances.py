"""Public finances of issue 17, worked by hand on tiny networks: interest, the fiscal rule, spending purposes.

The definitions (docs/simulation.md#one-step): each step the public is first
charged interest = (``public.interest_rate`` + ``public.interest_slope`` x
debt / revenue) x the debt at the step's start; a negative budget is then
borrowed for (purpose ``operations``); subsidies and tax cuts are paid from
the budget, the rest borrowed for their purpose. The debt brake caps the
borrowing for purposes it does not exempt at cap / (1 - cap) x revenue; the
fiscal rule caps the debt at ``ceiling`` x revenue for every purpose.

In :func:`road_network` the state's only flow inside the network is the
upkeep of its road G (2 a step, paid to ``world``); its revenue is
``public_revenue``. Every expected number below is computed from these
definitions, step by step.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import dependencia as dp
from dependencia.simulation.scenario import load_scenario

D = [{"id": "d", "monetized": 1.0}]


def simulate(network, steps: int, **config):
    config.setdefault("spillover", {"probability": 0.0})
    return dp.Simulation(network, config).run(steps)


def events(run, kind: str):
    chosen = run.events[run.events["kind"] == kind]
    return [(int(s), a, t, json.loads(d)) for s, a, t, d in chosen[["step", "actor", "target", "detail"]].itertuples(
        index=False)]


def budget(run, actor: str, step: int = 0) -> float:
    star = run.actors[(run.actors["dimension"] == "*") & (run.actors["step"] == step)]
    return float(star.set_index("actor").at[actor, "budget"])


def road_network(state_budget: float = 0.0):
    """The state owns road G (upkeep 2, build cost 10) that three households take to a shop; two firms could buy it."""
    actors = [{"id": "state", "kind": "state", "budget": state_budget}, {"id": "rich", "kind": "firm", "budget": 50},
              {"id": "mid", "kind": "firm", "budget": 20}, {"id": "shop", "kind": "firm", "budget": 0}] + [
        {"id": f"h{i}", "kind": "household", "budget": 0} for i in range(3)]
    deps = [{"dependent": f"h{i}", "provider": "shop", "dimension": "d", "via": ["G"]} for i in range(3)]
    infras = [{"id": "G", "owner": "state", "dimensions": ["d"], "upkeep": 2.0, "build_cost": 10.0}]
    return dp.Network.from_records(actors, deps, infrastructures=infras, dimensions=D)


def private_infrastructure_network():
    """A state without infrastructure; ``owner`` owns P (upkeep 1), ``other`` owns Q (upkeep 3); two shops sell."""
    actors = [{"id": "state", "kind": "state", "budget": 0}, {"id": "owner", "kind": "firm", "budget": 10},
              {"id": "other", "kind": "firm", "budget": 10}, {"id": "shop1", "kind": "firm", "budget": 0},
              {"id": "shop2", "kind": "firm", "budget": 0}] + [
        {"id": f"h{i}", "kind": "household", "budget": 0} for i in range(3)]
    deps = [{"dependent": "h0", "provider": "shop1", "dimension": "d", "via": ["P"]},
            {"dependent": "h1", "provider": "shop1", "dimension": "d", "via": ["Q"]},
            {"dependent": "h2", "provider": "shop2", "dimension": "d", "strength": 3.0}]
    infras = [{"id": "P", "owner": "owner", "dimensions": ["d"], "upkeep": 1.0, "toll": 0.0},
              {"id": "Q", "owner": "other", "dimensions": ["d"], "upkeep": 3.0, "toll": 0.0}]
    return dp.Network.from_records(actors, deps, infrastructures=infras, dimensions=D)


# ---------------------------------------------------------------- interest
def test_interest_is_charged_on_the_debt_at_the_step_start_and_borrowed_for():
    run = simulate(road_network(), 3, public={"interest_rate": 0.1})
    # step 0: no debt, upkeep 2 borrowed; then debt' = 1.1 x debt + 2 (interest 0.1 x debt and the upkeep, borrowed)
    debt, expected = 0.0, []
    for _ in range(3):
        interest = 0.1 * debt
        debt += interest + 2.0
        expected.append((interest, interest + 2.0, debt))
    steps = run.steps
    assert np.allclose(steps["public_interest"], [e[0] for e in expected])
    assert np.allclose(steps["public_borrowing"], [e[1] for e in expected])
    assert np.allclose(steps["public_debt"], [e[2] for e in expected])
    assert (steps["borrowed"] == steps["public_borrowing"]).all()
    assert np.allclose(steps["public_budget"], 0.0)


def test_interest_rises_with_the_debt_to_revenue_ratio():
    run = simulate(road_network(), 3, public_revenue=1.0, public={"interest_rate": 0.02, "interest_slope": 0.1})
    debt, interests = 0.0, []
    for _ in range(3):
        rate = 0.02 + 0.1 * debt / 1.0 if debt > 0 else 0.02
        interests.append(rate * debt)
        debt += rate * debt + 2.0 - 1.0  # upkeep 2 less revenue 1, plus interest, borrowed
    assert np.allclose(run.steps["public_interest"], interests)
    assert np.allclose(run.steps["public_debt"], np.cumsum(run.steps["public_borrowing"]))


def test_interest_without_revenue_to_borrow_becomes_arrears_under_a_zero_cap():
    run = simulate(road_network(state_budget=30.0), 1, public={"interest_rate": 0.5},
                   policies={"debt_brake": {"enabled": True, "borrowing_cap": 0.0}})
    assert run.steps["public_interest"].iloc[0] == 0.0  # no debt yet: interest needs debt
    assert run.steps["public_budget"].iloc[0] == pytest.approx(30.0 - 2.0)


# ---------------------------------------------------------------- the fiscal rule
def test_fiscal_ceiling_limits_debt_without_the_brake_and_privatization_follows():
    """No brake, but interest and a debt ceiling of 2.5 x revenue: the finding "no sale without the brake" can fail."""
    config = dict(public_revenue=1.0, public={"interest_rate": 0.1},
                  policies={"fiscal_rule": {"enabled": True, "ceiling": 2.5}})
    run = simulate(road_network(), 3, **config)
    # step 0: need 2 - 1 = 1, room 2.5 -> debt 1; step 1: interest 0.1, need 1.1, room 1.5 -> debt 2.1;
    # step 2: interest 0.21, need 1.21, room 2.5 - 2.1 = 0.4 -> arrears 0.81: G is sold at 0.5 x 10 to the richest
    steps = run.steps
    assert np.allclose(steps["public_interest"], [0.0, 0.1, 0.21])
    assert np.allclose(steps["public_borrowing"], [1.0, 1.1, 0.4])
    assert np.allclose(steps["public_debt"], [1.0, 2.1, 2.5])
    assert steps["privatized"].tolist() == [0, 0, 1]
    assert events(run, "privatize") == [(2, "rich", "G", {"price": 5.0, "seller": "state"})]
    assert steps["public_budget"].iloc[2] == pytest.approx(-0.81 + 5.0)
    [(step, _, _, detail)] = events(run, "policy")
    assert (step, detail["policy"], detail["purpose"]) == (2, "fiscal_rule", "operations")
    assert detail["wanted"] == pytest.approx(1.21) and detail["allowed"] == pytest.approx(0.4)
    # the same public without the fiscal rule borrows whatever it needs and never sells
    unruled = simulate(road_network(), 12, public_revenue=1.0, public={"interest_rate": 0.1})
    assert (unruled.steps["privatized"] == 0).all() and (unruled.steps["public_budget"] >= -1e-12).all()


def test_fiscal_rule_also_binds_exempt_purposes():
    config = dict(investors=[{"actor": "state", "strategy": "public"}], public_revenue=1.0,
                  policies={"debt_brake": {"enabled": True, "borrowing_cap": 0.0, "exempt": ["investment"]},
                            "fiscal_rule": {"enabled": True, "ceiling": 4.0}})
    needs = dp.Network.from_records(
        [{"id": "state", "kind": "state", "budget": 0}, {"id": "f", "kind": "firm"}, {"id": "h", "kind": "household"}],
        [{"dependent": "h", "provider": "f", "dimension": "d"}], needs=[{"dependent": "h", "dimension": "d"}],
        dimensions=D)
    run = simulate(needs, 1, **config)
    # the build (cost 10) needs 9 beyond the revenue; the ceiling allows 4 x 1: it cannot be afforded
    assert run.steps["public_investment"].iloc[0] == 0 and not events(run, "build")
    loose = dict(config, policies={**config["policies"], "fiscal_rule": {"enabled": True, "ceiling": 9.0}})
    built = simulate(needs, 1, **loose)
    assert built.steps["public_investment"].iloc[0] == 10.0
    assert built.steps["public_borrowing"].iloc[0] == pytest.approx(9.0)


# ---------------------------------------------------------------- purposes and the bypass
@pytest.mark.parametrize("exempt, paid, borrowed", [([], 2.0, 1.0), (["subsidies"], 5.0, 4.0)])
def test_subsidies_are_capped_by_the_brake_unless_exempt(exempt, paid, borrowed):
    # revenue 1, cap 1/2 of the budget = 1/(1 - 1/2) - 1 = 1 x revenue; subsidies 5: 1 own + 4 wanted
    config = dict(public_revenue=1.0, public={"subsidies": 5.0},
                  policies={"debt_brake": {"enabled": True, "borrowing_cap": 0.5, "exempt": exempt}})
    run = simulate(private_infrastructure_network(), 1, **config)
    without = simulate(private_infrastructure_network(), 1, public_revenue=1.0)
    assert run.steps["public_subsidies"].iloc[0] == pytest.approx(paid)
    assert run.steps["public_borrowing"].iloc[0] == pytest.approx(borrowed)
    # to the private owners in proportion to their upkeep, 1 : 3
    assert budget(run, "owner") - budget(without, "owner") == pytest.approx(paid / 4)
    assert budget(run, "other") - budget(without, "other") == pytest.approx(3 * paid / 4)
    capped = [d for _, _, _, d in events(run, "policy")]
    if exempt:
        assert not capped
    else:
        assert capped == [{"allowed": 1.0, "policy": "debt_brake", "purpose": "subsidies", "wanted": 4.0}]


def test_tax_cuts_go_to_private_actors_in_proportion_to_their_income():
    config = dict(public_revenue=4.0, public={"tax_cuts": 3.0})
    run = simulate(private_infrastructure_network(), 1, **config)
    without = simulate(private_infrastructure_network(), 1, public_revenue=4.0)
    star = without.actors[without.actors["dimension"] == "*"].set_index("actor")
    income = star["income"].drop(index="state")
    income = income[income > 0]
    assert set(income.index) == {"shop1", "shop2"}
    for actor, value in income.items():
        assert budget(run, actor) - budget(without, actor) == pytest.approx(3.0 * value / income.sum())
    assert run.steps["public_tax_cuts"].iloc[0] == 3.0
    assert run.steps["public_borrowing"].iloc[0] == 0.0  # paid from the revenue of 4
    assert budget(run, "state") == pytest.approx(budget(without, "state") - 3.0)


def insolvency_network(state_budget: float):
    """``poor`` (budget 0.5) owns P1 and P2, upkeep 3 each, toll-free: 5.5 short after the first step."""
    actors = [{"id": "state", "kind": "state", "budget": state_budget}, {"id": "poor", "kind": "firm", "budget": 0.5},
              {"id": "shop", "kind": "firm"}] + [{"id": f"h{i}", "kind": "household"} for i in range(2)]
    deps = [{"dependent": f"h{i}", "provider": "shop", "dimension": "d", "via": ["P1"]} for i in range(2)]
    infras = [{"id": x, "owner": "poor", "dimensions": ["d"], "upkeep": 3.0, "build_cost": 10.0, "toll": 0.0}
              for x in ("P1", "P2")]
    return dp.Network.from_records(actors, deps, infrastructures=infras, dimensions=D)


@pytest.mark.parametrize("state_budget, policies, rescued, borrowed", [
    (100.0, {}, True, 0.0),                                                           # paid from the budget
    (0.0, {"debt_brake": {"enabled": True, "borrowing_cap": 0.0}}, False, 0.0),          # cannot borrow: exit
    (0.0, {"debt_brake": {"enabled": True, "borrowing_cap": 0.0, "exempt": ["rescue"]}}, True, 5.5),  # the bypass
])
def test_rescue_pays_an_insolvent_owners_arrears(state_budget, policies, rescued, borrowed):
    run = simulate(insolvency_network(state_budget), 1, initial_budget=0.0, public={"rescue": True},
                   investors=[{"actor": "poor", "strategy": "none"}], policies=policies)
    assert ("poor" in run.network.actors.index) == rescued
    assert run.steps["public_rescue"].iloc[0] == pytest.approx(5.5 if rescued else 0.0)
    assert run.steps["public_borrowing"].iloc[0] == pytest.approx(borrowed)
    if rescued:
        assert events(run, "rescue") == [(0, "state", "poor", {"paid": pytest.approx(5.5)})]
        assert budget(run, "poor") == pytest.approx(0.0)
    else:
        assert not events(run, "rescue") and events(run, "insolvency")


# ---------------------------------------------------------------- the columns against the ledger
def test_new_columns_agree_with_events_debt_and_budgets():
    network, config = load_scenario("debt-brake")
    config = config.with_overrides(["public.interest_rate=0.05", "public.subsidies=1", "public.tax_cuts=0.5",
                                    "policies.debt_brake.exempt=[subsidies]", "spillover.probability=0",
                                    "insolvency=none"])
    steps = 6
    run = dp.Simulation(network, config).run(steps)
    table, events_ = run.steps, run.events
    debt_before = np.concatenate([[0.0], table["public_debt"].to_numpy()[:-1]])
    assert np.allclose(table["public_interest"], 0.05 * debt_before)
    assert np.allclose(table["public_debt"] - debt_before, table["public_borrowing"])
    builds = events_[events_["kind"] == "build"]
    for t in range(steps):
        by_state = builds[(builds["step"] == t) & (builds["actor"] == "state")]
        assert table["public_investment"].iloc[t] == pytest.approx(sum(json.loads(d)["cost"] for d in by_state["detail"]))
    assert (table["public_subsidies"] > 0).any() and (table["public_tax_cuts"] > 0).any()
    # money: actor budgets change by what enters (revenue, borrowing) less what leaves (world, builds, interest)
    star = run.actors[run.actors["dimension"] == "*"]
    before = network.actors["budget"].fillna(config.initial_budget).astype(float).sum()
    for t in range(steps):
        row = table.iloc[t]
        after = star.loc[star["step"] == t, "budget"].sum()
        built = sum(json.loads(d)["cost"] for d in builds.loc[builds["step"] == t, "detail"])
        expected = -row["to_world"] + config.public_revenue + row["public_borrowing"] - built - row["public_interest"]
        assert after - before == pytest.approx(expected, rel=1e-9, abs=1e-9), f"step {t}"
        before = after


# ---------------------------------------------------------------- resume
@pytest.mark.slow  # two runs of 8 steps and a subprocess: about 12 s
def test_a_killed_run_with_the_new_settings_resumes_to_the_same_bytes(tmp_path):
    """Interest, the fiscal rule, subsidies, offers and exits: the state they need is in the checkpoint."""
    import signal
    import subprocess
    import sys
    import time

    from dependencia.cli import main
    from dependencia.simulation.results import TABLES

    settings = ["checkpoint_every=2", "policies.debt_brake.enabled=false", "public.interest_rate=0.05",
                "policies.fiscal_rule.enabled=true", "policies.fiscal_rule.ceiling=2", "public.subsidies=1",
                "policies.privatization.rule=offer", "policies.privatization.price=0.3", "adoption.exit=true",
                "adoption.create=need_or_cheaper"]
    steps = "8"
    flags = [flag for setting in settings for flag in ("--set", setting)]
    undisturbed = tmp_path / "undisturbed"
    assert main(["simulate", "debt-brake", "--out", str(undisturbed), "--steps", steps, "--quiet", *flags]) == 0
    killed = tmp_path / "killed"
    process = subprocess.Popen([sys.executable, "-m", "dependencia", "simulate", "debt-brake", "--out", str(killed),
                                "--steps", steps, "--quiet", *flags], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    mark = killed / "checkpoints" / "step-000002" / "checksums.json"
    deadline = time.monotonic() + 120
    while not mark.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    assert not any((killed / name).exists() for name in TABLES)
    dp.resume(killed)
    assert {n: (killed / n).read_bytes() for n in TABLES} == {n: (undisturbed / n).read_bytes() for n in TABLES}
