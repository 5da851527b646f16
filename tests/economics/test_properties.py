"""Properties of one period's accounts, against independent oracles (docs/economics.md#the-rules).

Random networks (2-9 actors, 1-3 dimensions, random channels, routes through
owned, ownerless and state-owned infrastructure, ownership without mutual
control) and random economies check:

* conservation: every flow is paid once and received once, incomes add up by
  source, the flows add up to the incomes, latent power is power share minus
  income share, top-level income shares sum to 1;
* an independent re-implementation of rents.py's rules 1-4 and 8
  (administered prices, one leader, wages by either wage rule or a wage
  table, no ownership, no public channel, no rent tax), written with plain
  loops over the records the network was built from;
* Lee's properties of administered prices: a demand shock leaves them
  unchanged, unit costs pass through, followers follow the leader and never
  price below their own cost; marginalist prices, by contrast, rise with
  demand by the factor (shock) ** (1 / elasticity);
* a network of unpaid care only: power without income;
* validation of the settings, and the conservation check itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import dependencia as dp
from dependencia.economics.ledger import ConservationError, Ledger, check_totals

INCOME_COLUMNS = ("income_markup", "income_toll", "income_transfer", "income_cost_recovery", "income_tax",
                  "income_wages")
PUBLIC_KINDS = ("state", "public_body")
UNPAID = ("care", "voluntary")


def close(a: float, b: float, *, scale: float = 1.0) -> bool:
    """Equal to relative 1e-9 (absolute 1e-9 x scale for values near zero)."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9 * max(scale, 1.0))


def round12(value: float) -> float:
    """Shares compared at 12 significant digits, so that floating-point noise does not break a tie by id."""
    return float(f"{value:.12g}")


# --------------------------------------------------------------------------- strategies
@dataclass
class Case:
    """A random network and the raw records it was built from (the oracles read the records)."""

    net: dp.Network
    actors: list[dict]
    dimensions: list[dict]
    deps: list[dict]
    infrastructures: list[dict]
    ownership: list[dict] = field(default_factory=list)


@st.composite
def cases(draw, *, ownership: bool = True, public_channel: bool = True, min_deps: int = 0,
          labour: bool = False) -> Case:
    """``labour``: the dimension ``labour`` may be drawn too, with households' ``subsistence`` and ``wage`` tables."""
    n = draw(st.integers(2, 9))
    ids = [f"a{i}" for i in range(n)]
    actors = []
    for a in ids:
        record = {"id": a}
        kind = draw(st.sampled_from(["actor", "actor", "actor", "firm", "state", "public_body"]
                                    + (["household"] if labour else [])))
        if kind != "actor":
            record["kind"] = kind
        if draw(st.booleans()):
            record["unit_cost"] = draw(st.one_of(st.just(0.0), st.floats(0.1, 20.0)))
        if draw(st.integers(0, 3)) == 0:
            record["capacity"] = draw(st.floats(0.5, 10.0))
        if labour and draw(st.integers(0, 2)) == 0:
            record["subsistence"] = draw(st.one_of(st.just(0.0), st.floats(0.1, 8.0)))
        actors.append(record)

    names = draw(st.lists(st.sampled_from(["care", "compute", "retail", "finance"] + (["labour"] * 2 if labour else [])),
                          min_size=1, max_size=3, unique=True))
    dimensions = [{"id": d, "monetized": 0.0 if d == "care" else draw(st.floats(0.01, 1.0))} for d in names]

    infrastructures = []
    for i in range(draw(st.integers(0, 3))):
        record = {"id": f"x{i}"}
        owner = draw(st.one_of(st.none(), st.sampled_from(ids)))
        if owner is not None:
            record["owner"] = owner
        if draw(st.booleans()):
            record["upkeep"] = draw(st.floats(0.0, 5.0))
        if draw(st.integers(0, 2)) == 0:
            record["toll"] = draw(st.sampled_from([0.0, 0.05, 0.3, 1.5]))
        infrastructures.append(record)

    channels = ["market", "market", "care", "voluntary"] + (["public"] if public_channel else [])
    deps = []
    for _ in range(draw(st.integers(min_deps, 14))):
        u, v = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
        if u == v:
            continue
        route = (draw(st.lists(st.sampled_from([x["id"] for x in infrastructures]), max_size=2, unique=True))
                 if infrastructures else [])
        record = {"dependent": u, "provider": v, "dimension": draw(st.sampled_from(names)),
                  "channel": draw(st.sampled_from(channels)), "strength": draw(st.floats(0.1, 10.0)), "via": route}
        if record["dimension"] == "labour" and draw(st.integers(0, 2)) == 0:
            record["wage"] = draw(st.floats(0.0, 6.0))
        deps.append(record)
    assume(len(deps) >= min_deps)

    holdings = []
    if ownership:
        held = {a: 0.0 for a in ids}
        for _ in range(draw(st.integers(0, 3))):
            i, j = sorted(draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True)))
            share = draw(st.sampled_from([0.3, 0.51, 0.6, 1.0]))
            if held[ids[j]] + share <= 1.0:  # holdings from lower to higher index: no mutual control
                held[ids[j]] += share
                holdings.append({"owner": ids[i], "owned": ids[j], "share": share})

    net = dp.Network.from_records(actors, deps, dimensions=dimensions, infrastructures=infrastructures,
                                  ownership=holdings)
    return Case(net, actors, dimensions, deps, infrastructures, holdings)


economies = st.builds(
    dp.Economy,
    pricing=st.sampled_from(["administered", "marginalist"]),
    leaders=st.integers(1, 2),
    markup_base=st.floats(0.0, 1.0),
    markup_slope=st.floats(0.0, 2.0),
    elasticity=st.sampled_from([0.5, 1.0, 2.0, 3.0]),
    capacity=st.one_of(st.none(), st.floats(0.5, 20.0)),
    unit_cost=st.floats(0.1, 5.0),
    care_shadow_price=st.floats(0.0, 3.0),
    public_toll=st.sampled_from([0.0, 0.25, None]),
    rent_tax=st.sampled_from([0.0, 0.1, 0.5, 1.0]),
    wage_rule=st.sampled_from(["administered", "position"]),
    subsistence=st.floats(0.0, 5.0),
    wage_markup=st.floats(0.0, 1.0),
)


def with_strengths(case: Case, provider: str, factor: float) -> dp.Network:
    """The same network with every dependency on ``provider`` ``factor`` times as strong."""
    deps = [dict(d, strength=d["strength"] * factor) if d["provider"] == provider else d for d in case.deps]
    return dp.Network.from_records(case.actors, deps, dimensions=case.dimensions,
                                   infrastructures=case.infrastructures, ownership=case.ownership)


def with_costs(case: Case, costs: dict[str, float]) -> dp.Network:
    actors = [dict(a, unit_cost=costs[a["id"]]) if a["id"] in costs else a for a in case.actors]
    return dp.Network.from_records(actors, case.deps, dimensions=case.dimensions,
                                   infrastructures=case.infrastructures, ownership=case.ownership)


def price_table(result: dp.Rents) -> dict[tuple[str, str], tuple[float, bool]]:
    return {(r.provider, r.dimension): (float(r.price), bool(r.leader)) for r in result.prices.itertuples()}


# --------------------------------------------------------------------------- conservation
@settings(max_examples=50)
@given(case=cases(labour=True), economy=economies)
def test_money_is_conserved_and_accounts_add_up(case, economy):
    net = case.net
    result = dp.rents(net, economy=economy)
    frame, accounts, totals = result.actors, result.accounts, result.totals
    scale = max(totals["paid"], 1.0)

    assert totals["paid"] == totals["received"]
    assert list(frame.index) == list(net.actors.index)
    # the public account's row repeats its actor's flows when it is an actor: count the outside accounts only
    public_actor = accounts.loc["public", "actor"]
    if public_actor is not None:
        assert accounts.loc["public", "income"] == pytest.approx(frame.loc[public_actor, "income"], rel=1e-12)
        assert accounts.loc["public", "spending"] == pytest.approx(frame.loc[public_actor, "spending"], rel=1e-12)
    flows = result.flows
    outside = accounts[accounts["actor"].isna()]
    assert set(outside.index) == {"world", "lender"} | ({"public"} if public_actor is None else set())
    everyone_in = frame["income"].sum() + outside["income"].sum()
    everyone_out = frame["spending"].sum() + outside["spending"].sum()
    assert close(everyone_in, everyone_out, scale=scale)
    assert close(everyone_in, totals["paid"], scale=scale)

    # wages are paid to actors only (the workers), by actors or the public account
    assert close(frame["income_wages"].sum(), totals["wages"], scale=scale)
    public_wages = float(flows.loc[(flows["payer"] == "public") & (flows["kind"] == "wages"), "amount"].sum()) \
        if public_actor is None else 0.0
    assert close(frame["spending_wages"].sum() + public_wages, totals["wages"], scale=scale)
    for actor, row in frame.iterrows():
        assert close(row["income"], sum(row[c] for c in INCOME_COLUMNS), scale=scale), actor
        assert row["net"] == pytest.approx(row["income"] - row["spending"], rel=1e-12, abs=1e-12)
        assert row["latent_power"] == pytest.approx(row["power_share"] - row["income_share"], rel=1e-12, abs=1e-15)

    assert (flows["payer"] != flows["payee"]).all()
    by_payee = flows.groupby("payee")["amount"].sum()
    by_payer = flows.groupby("payer")["amount"].sum()
    for actor in net.actors.index:
        assert close(float(by_payee.get(actor, 0.0)), frame.loc[actor, "income"], scale=scale), actor
        assert close(float(by_payer.get(actor, 0.0)), frame.loc[actor, "spending"], scale=scale), actor
    assert close(math.fsum(flows["amount"]), totals["paid"], scale=scale)

    # the power share is the power of the whole network
    assert np.allclose(frame["power_share"], dp.power(net)["power_share"].reindex(frame.index), rtol=1e-12, atol=0)
    total_income = frame["income"].sum()
    if total_income > 0:  # any positive income is shared out, however small (a wage of 1e-208 is all a1's)
        top = net.top_level_actors()
        assert frame.loc[top, "income_share"].sum() == pytest.approx(1.0, rel=1e-9)
    else:
        assert (frame["income_share"] == 0).all()

    # rule 5: the rent tax is rent_tax x the positive rent income of private actors, to the public account
    private = ~net.actors["kind"].isin(PUBLIC_KINDS)
    rent = (frame["income_markup"] + frame["income_toll"]).clip(lower=0.0)
    expected_tax = economy.rent_tax * rent[private].sum()
    assert close(totals["taxes"], expected_tax, scale=scale)
    assert close(frame["spending_taxes"].sum(), expected_tax, scale=scale)
    assert (frame.loc[~private, "spending_taxes"] == 0).all()
    public_income_tax = (frame.loc[public_actor, "income_tax"] if public_actor is not None else
                         float(flows.loc[(flows["payee"] == "public") & (flows["kind"] == "tax"), "amount"].sum()))
    assert close(frame["income_tax"].sum(), expected_tax if public_actor is not None else 0.0, scale=scale)
    assert close(public_income_tax, expected_tax, scale=scale)

    # rule 6: unpaid care is valued, at the shadow price, and moves no money
    care = 0.0
    monetized = {d["id"]: d["monetized"] for d in case.dimensions}
    for d in case.deps:
        if d["channel"] == "care" or d["dimension"] in economy.care_dimensions:
            paid_units = 0.0 if d["channel"] in economy.unpaid_channels else d["strength"] * monetized[d["dimension"]]
            care += d["strength"] - paid_units
    assert close(totals["unpaid_care_value"], economy.care_shadow_price * care, scale=care + 1)


# --------------------------------------------------------------------------- independent oracle
def oracle(case: Case, economy: dp.Economy) -> tuple[dict, dict]:
    """Rules 1-4 and 8 of rents.py, by hand: administered prices with one leader, wages, no public channel, no rent tax.

    Returns ``prices`` {(provider, dimension): (price, leader)} and ``accounts``
    {actor: {"markup", "toll", "cost_recovery", "transfer", "tax", "wages", "income", "spending"}}.
    """
    assert economy.pricing == "administered" and economy.leaders == 1 and economy.rent_tax == 0
    kind = {a["id"]: a.get("kind", "actor") for a in case.actors}
    cost = {a["id"]: a.get("unit_cost", economy.unit_cost) for a in case.actors}
    subsistence = {a["id"]: a.get("subsistence", economy.subsistence) for a in case.actors}
    labour = set(economy.labour_dimensions)
    monetized = {d["id"]: d["monetized"] for d in case.dimensions}
    infra = {x["id"]: x for x in case.infrastructures}

    # markups, leaders and tolls come from the power share in each dimension's graph alone
    used = sorted({d["dimension"] for d in case.deps})
    share = {k: dp.power(case.net, dimensions=[k])["power_share"].to_dict() for k in used}

    def markup(actor: str, dimension: str) -> float:
        return economy.markup_base + economy.markup_slope * share[dimension][actor]

    def rule_wage(worker: str, dimension: str) -> float:
        margin = economy.wage_markup if economy.wage_rule == "administered" else markup(worker, dimension)
        return subsistence[worker] * (1.0 + margin)

    def wage(d: dict) -> float:
        return d["wage"] if d.get("wage") is not None else rule_wage(d["provider"], d["dimension"])

    prices = {}
    for k in used:
        providers = sorted({d["provider"] for d in case.deps if d["dimension"] == k})
        if k in labour:  # no leaders; a worker's row is the strength-weighted mean of its wages
            for p in providers:
                mine = [d for d in case.deps if d["dimension"] == k and d["provider"] == p]
                prices[p, k] = (sum(d["strength"] * wage(d) for d in mine) / sum(d["strength"] for d in mine), False)
            continue
        leader = min(providers, key=lambda p: (-round12(share[k][p]), p))
        leader_price = cost[leader] * (1.0 + markup(leader, k))
        for p in providers:
            prices[p, k] = (leader_price, True) if p == leader else (max(leader_price, cost[p]), False)

    accounts = {a: dict.fromkeys(("markup", "toll", "cost_recovery", "transfer", "tax", "wages", "spending"), 0.0)
                for a in cost}
    sales_cost = dict.fromkeys(cost, 0.0)
    bought = dict.fromkeys(cost, 0.0)
    for d in case.deps:
        payer, provider, k = d["dependent"], d["provider"], d["dimension"]
        assert d["channel"] != "public"
        units = 0.0 if d["channel"] in UNPAID else d["strength"] * monetized[k]
        if k in labour:  # the wage, all of it wages; the worker's cost of labour is its subsistence
            value = units * wage(d)
            accounts[provider]["wages"] += value
            sales_cost[provider] += units * subsistence[provider]
        else:
            value = units * prices[provider, k][0]
            accounts[provider]["cost_recovery"] += units * cost[provider]
            accounts[provider]["markup"] += value - units * cost[provider]
            sales_cost[provider] += units * cost[provider]
        accounts[payer]["spending"] += value
        bought[payer] += value
        for x in d["via"]:
            owner = infra[x].get("owner")
            if owner is None or owner == payer:  # no owner: no toll; a toll to oneself is no payment
                continue
            if "toll" in infra[x]:
                rate = infra[x]["toll"]
            elif kind[owner] in PUBLIC_KINDS and economy.public_toll is not None:
                rate = economy.public_toll
            else:
                rate = markup(owner, k)
            accounts[owner]["toll"] += rate * value
            accounts[payer]["spending"] += rate * value
            bought[payer] += rate * value
    for a in cost:  # rule 4: the unit cost not bought inside the network goes to the world
        accounts[a]["spending"] += max(sales_cost[a] - bought[a], 0.0)
    for x in case.infrastructures:
        if x.get("owner") is not None:
            accounts[x["owner"]]["spending"] += x.get("upkeep", 0.0)
    for row in accounts.values():
        row["income"] = row["markup"] + row["toll"] + row["cost_recovery"] + row["wages"]
    return prices, accounts


oracle_economies = st.builds(
    dp.Economy,
    markup_base=st.floats(0.0, 1.0),
    markup_slope=st.floats(0.0, 2.0),
    unit_cost=st.floats(0.1, 5.0),
    public_toll=st.sampled_from([0.0, 0.25, None]),
    wage_rule=st.sampled_from(["administered", "position"]),
    subsistence=st.floats(0.0, 5.0),
    wage_markup=st.floats(0.0, 1.0),
)


@settings(max_examples=50)
@given(case=cases(ownership=False, public_channel=False, min_deps=1, labour=True), economy=oracle_economies)
def test_rents_equal_an_independent_reimplementation(case, economy):
    result = dp.rents(case.net, economy=economy)
    expected_prices, expected = oracle(case, economy)

    got_prices = price_table(result)
    assert set(got_prices) == set(expected_prices)
    for key, (price, leader) in expected_prices.items():
        assert got_prices[key][1] is leader, key
        assert got_prices[key][0] == pytest.approx(price, rel=1e-9, abs=1e-12), key

    scale = max(result.totals["paid"], 1.0)
    frame = result.actors
    for actor, row in expected.items():
        for source in ("markup", "toll", "cost_recovery", "transfer", "tax", "wages"):
            assert close(frame.loc[actor, f"income_{source}"], row[source], scale=scale), (actor, source)
        assert close(frame.loc[actor, "income"], row["income"], scale=scale), actor
        assert close(frame.loc[actor, "spending"], row["spending"], scale=scale), actor


# --------------------------------------------------------------------------- Lee's properties
def providers_of(case: Case) -> list[str]:
    return sorted({d["provider"] for d in case.deps})


@settings(max_examples=40)
@given(case=cases(min_deps=1), economy=economies.map(lambda e: e.replace(pricing="administered")), data=st.data())
def test_a_demand_shock_leaves_administered_prices_unchanged(case, economy, data):
    provider = data.draw(st.sampled_from(providers_of(case)))
    before = price_table(dp.rents(case.net, economy=economy))
    after = price_table(dp.rents(with_strengths(case, provider, 3.0), economy=economy))
    assert set(before) == set(after)
    for key, (price, leader) in before.items():
        assert after[key][1] is leader, key
        assert after[key][0] == pytest.approx(price, rel=1e-12, abs=0), key


@settings(max_examples=40)
@given(case=cases(min_deps=1), economy=economies.map(lambda e: e.replace(pricing="administered")))
def test_unit_costs_pass_through_to_administered_prices(case, economy):
    before = price_table(dp.rents(case.net, economy=economy))
    costs = {a["id"]: a["unit_cost"] * 1.1 for a in case.actors if "unit_cost" in a}
    after = price_table(dp.rents(with_costs(case, costs), economy=economy.replace(unit_cost=economy.unit_cost * 1.1)))
    assert set(before) == set(after)
    for key, (price, leader) in before.items():
        assert after[key][1] is leader, key
        assert after[key][0] == pytest.approx(1.1 * price, rel=1e-12, abs=1e-300), key


@settings(max_examples=40)
@given(case=cases(min_deps=2), economy=economies.map(lambda e: e.replace(pricing="administered", leaders=1)),
       data=st.data())
def test_raising_a_leaders_cost_raises_what_its_followers_take(case, economy, data):
    before = dp.rents(case.net, economy=economy).prices
    crowded = sorted(before.groupby("dimension").filter(lambda g: len(g) >= 2)["dimension"].unique())
    assume(crowded)
    dimension = data.draw(st.sampled_from(crowded))
    rows = before[before["dimension"] == dimension]
    leader = rows.loc[rows["leader"], "provider"].item()
    old_cost = float(rows.loc[rows["leader"], "unit_cost"].item())
    after = dp.rents(with_costs(case, {leader: 2.0 * old_cost + 1.0}), economy=economy).prices
    after_rows = after[after["dimension"] == dimension].set_index("provider")
    assert after_rows.loc[leader, "leader"]
    for row in rows[~rows["leader"]].itertuples():
        new = after_rows.loc[row.provider, "price"]
        assert new >= row.price - 1e-12 * row.price
        if row.price > row.unit_cost:  # it took the leader's price: it takes the new, higher one
            assert new > row.price
            assert new == pytest.approx(after_rows.loc[leader, "price"], rel=1e-12)


@settings(max_examples=50)
@given(case=cases(min_deps=1), economy=economies.map(lambda e: e.replace(pricing="administered")),
       leaders=st.integers(1, 3))
def test_followers_never_price_below_their_own_cost(case, economy, leaders):
    economy = economy.replace(leaders=leaders)
    table = dp.rents(case.net, economy=economy).prices
    for dimension, rows in table.groupby("dimension"):
        rows = rows.sort_values("provider")
        assert rows["leader"].sum() == min(leaders, len(rows)), dimension
        leading, following = rows[rows["leader"]], rows[~rows["leader"]]
        if len(following):  # leaders are the most powerful providers in the dimension
            assert leading["power_share"].map(round12).min() >= following["power_share"].map(round12).max()
        own = leading["unit_cost"] * (1.0 + economy.markup_base + economy.markup_slope * leading["power_share"])
        assert np.allclose(leading["price"], own, rtol=1e-12, atol=0)
        assert (leading["price"] >= leading["unit_cost"]).all()
        assert (following["price"] >= following["unit_cost"]).all()
        expected = np.maximum(own.mean(), following["unit_cost"].to_numpy())
        assert np.allclose(following["price"], expected, rtol=1e-12, atol=0)


def marginalist_capacity(case: Case, economy: dp.Economy, provider: str, dimension: str) -> float:
    """A mapping in the economy, then the actor's attribute, then the economy's scalar, then an equal share."""
    if isinstance(economy.capacity, dict) and provider in economy.capacity:
        return economy.capacity[provider]
    attribute = next(a.get("capacity") for a in case.actors if a["id"] == provider)
    if attribute is not None:
        return attribute
    if isinstance(economy.capacity, (int, float)):
        return economy.capacity
    demand: dict[str, float] = {}
    for d in case.deps:
        if d["dimension"] == dimension:
            demand[d["provider"]] = demand.get(d["provider"], 0.0) + d["strength"]
    return sum(demand.values()) / len(demand)


@settings(max_examples=40)
@given(case=cases(min_deps=1), economy=economies, data=st.data())
def test_marginalist_prices_follow_demand_over_capacity(case, economy, data):
    providers = providers_of(case)
    capacity = data.draw(st.one_of(
        st.none(), st.floats(0.5, 20.0),
        st.dictionaries(st.sampled_from(providers), st.floats(0.5, 20.0), max_size=len(providers)),
    ))
    economy = economy.replace(pricing="marginalist", capacity=capacity)
    table = dp.rents(case.net, economy=economy).prices
    assert not table["leader"].any()
    cost = {a["id"]: a.get("unit_cost", economy.unit_cost) for a in case.actors}
    for row in table.itertuples():
        demand = sum(d["strength"] for d in case.deps
                     if d["provider"] == row.provider and d["dimension"] == row.dimension)
        cap = marginalist_capacity(case, economy, row.provider, row.dimension)
        expected = cost[row.provider] * (1.0 + economy.markup_base) * (demand / cap) ** (1.0 / economy.elasticity)
        assert row.demand == pytest.approx(demand, rel=1e-12)
        assert row.capacity == pytest.approx(cap, rel=1e-12)
        assert row.price == pytest.approx(expected, rel=1e-9, abs=1e-300), row


@settings(max_examples=30)  # three accounts per example
@given(case=cases(min_deps=1), economy=economies, capacity=st.floats(0.5, 20.0), factor=st.floats(1.01, 5.0),
       data=st.data())
def test_marginalist_prices_rise_with_demand_when_capacity_is_fixed(case, economy, capacity, factor, data):
    economy = economy.replace(pricing="marginalist", capacity=capacity)
    provider = data.draw(st.sampled_from(providers_of(case)))
    before = price_table(dp.rents(case.net, economy=economy))
    tripled = price_table(dp.rents(with_strengths(case, provider, 3.0), economy=economy))
    raised = price_table(dp.rents(with_strengths(case, provider, factor), economy=economy))
    for key, (price, _) in before.items():
        if key[0] == provider:
            assert tripled[key][0] == pytest.approx(price * 3.0 ** (1.0 / economy.elasticity), rel=1e-9, abs=1e-300)
            if price > 0:  # positive unit cost
                assert raised[key][0] > price
        else:
            assert tripled[key][0] == pytest.approx(price, rel=1e-12, abs=0), key


def test_raising_the_leaders_cost_moves_the_followers_price_by_hand():
    # retail: two households buy from big, which buys from supplier; small1, small2 sell to one
    # household each. Only big stands between anyone (people -> big -> supplier): retail share 1.
    # big's own price: 10 x (1 + 0.1 + 0.5 x 1) = 16; small1 (cost 8) takes 16, small2 (cost 20)
    # keeps its cost, supplier (cost 2) takes 16.
    def network(big_cost, big_demand=1.0):
        return dp.Network.from_records(
            [{"id": "p1"}, {"id": "p2"}, {"id": "big", "unit_cost": big_cost}, {"id": "small1", "unit_cost": 8},
             {"id": "small2", "unit_cost": 20}, {"id": "supplier", "unit_cost": 2}],
            [{"dependent": "p1", "provider": "big", "dimension": "retail", "strength": big_demand},
             {"dependent": "p2", "provider": "big", "dimension": "retail", "strength": big_demand},
             {"dependent": "big", "provider": "supplier", "dimension": "retail"},
             {"dependent": "p1", "provider": "small1", "dimension": "retail"},
             {"dependent": "p2", "provider": "small2", "dimension": "retail"}])

    def prices(big_cost, big_demand=1.0):
        table = dp.rents(network(big_cost, big_demand)).prices
        assert table.loc[table["leader"], "provider"].tolist() == ["big"]
        return dict(zip(table["provider"], table["price"]))

    assert prices(10) == pytest.approx({"big": 16.0, "small1": 16.0, "small2": 20.0, "supplier": 16.0})
    assert prices(12) == pytest.approx({"big": 19.2, "small1": 19.2, "small2": 20.0, "supplier": 19.2})
    assert prices(15) == pytest.approx({"big": 24.0, "small1": 24.0, "small2": 24.0, "supplier": 24.0})
    # a demand shock on big (households need it three times as much) changes none of this
    assert prices(10, big_demand=3.0) == pytest.approx(prices(10))


# --------------------------------------------------------------------------- care: power without income
@st.composite
def care_cases(draw) -> Case:
    n = draw(st.integers(3, 7))
    ids = [f"a{i}" for i in range(n)]
    actors = [dict({"id": a}, **({"unit_cost": draw(st.floats(0.1, 9.0))} if draw(st.booleans()) else {}))
              for a in ids]
    dimensions = [{"id": "care", "monetized": 0.0}, {"id": "home", "monetized": draw(st.floats(0.01, 1.0))}]
    # owned by neither end of a0 -> a1 -> a2, so a route a0 -> x0 -> a2 still runs through someone else
    owner = draw(st.sampled_from([a for a in ids if a not in ("a0", "a2")]))
    infrastructures = [{"id": "x0", "owner": owner, "upkeep": draw(st.floats(0.0, 3.0))}]

    def dependency(u, v):
        if draw(st.booleans()):  # unpaid care channel, in any dimension
            dimension, channel = draw(st.sampled_from(["care", "home"])), "care"
        else:  # the care dimension, unmonetized, on any channel
            dimension, channel = "care", draw(st.sampled_from(["market", "public", "care", "voluntary"]))
        return {"dependent": u, "provider": v, "dimension": dimension, "channel": channel,
                "strength": draw(st.floats(0.1, 10.0)), "via": draw(st.sampled_from([[], ["x0"]]))}

    # a0 -> a1 -> a2, with no dependency between a0 and a2: someone (or x0's owner) stands between them
    deps = [dependency("a0", "a1"), dependency("a1", "a2")]
    for _ in range(draw(st.integers(0, 8))):
        u, v = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
        if u != v and {u, v} != {"a0", "a2"}:
            deps.append(dependency(u, v))
    net = dp.Network.from_records(actors, deps, dimensions=dimensions, infrastructures=infrastructures)
    return Case(net, actors, dimensions, deps, infrastructures)


@settings(max_examples=40)
@given(case=care_cases(), care_price=st.floats(0.0, 5.0), pricing=st.sampled_from(["administered", "marginalist"]))
def test_unpaid_care_gives_power_without_income(case, care_price, pricing):
    result = dp.rents(case.net, care_shadow_price=care_price, pricing=pricing)
    frame = result.actors
    assert (frame["power_share"] > 0).any()
    for column in ("income", *INCOME_COLUMNS, "income_share"):
        assert (frame[column] == 0).all(), column
    assert (frame["latent_power"] == frame["power_share"]).all()
    strength = sum(d["strength"] for d in case.deps)
    assert result.totals["unpaid_care_value"] == pytest.approx(care_price * strength, rel=1e-12, abs=1e-300)
    by_provider = {a: 0.0 for a in frame.index}
    for d in case.deps:
        by_provider[d["provider"]] += care_price * d["strength"]
    assert frame["care_value"].to_dict() == pytest.approx(by_provider, rel=1e-12, abs=1e-300)
    # nothing moves but the upkeep of the infrastructure, to the world
    assert set(result.flows["kind"]) <= {"upkeep"}
    assert result.totals["paid"] == pytest.approx(case.infrastructures[0]["upkeep"], rel=1e-12, abs=1e-300)


# --------------------------------------------------------------------------- validation
@pytest.mark.parametrize(
    "settings_",
    [
        {"pricing": "x"},
        {"leaders": 0},
        {"leaders": 1.5},
        {"leaders": True},
        {"markup_base": -0.1},
        {"markup_slope": -1.0},
        {"rent_tax": 2.0},
        {"rent_tax": -0.5},
        {"elasticity": 0.0},
        {"elasticity": float("nan")},
        {"unit_cost": float("inf")},
        {"care_shadow_price": -1.0},
        {"capacity": 0.0},
        {"capacity": {"a": -1.0}},
        {"public_toll": -0.1},
        {"unpaid_channels": ("market",)},
        {"unpaid_channels": ("gift",)},
        {"care_dimensions": "care"},
    ],
)
def test_bad_settings_are_usage_errors(settings_):
    with pytest.raises(dp.UsageError) as caught:
        dp.Economy(**settings_)
    assert isinstance(caught.value, ValueError)
    net = dp.Network.from_records([{"id": "a"}, {"id": "b"}], [{"dependent": "a", "provider": "b"}])
    with pytest.raises(dp.UsageError):
        dp.rents(net, **settings_)


def test_unknown_setting_and_bad_public_account_are_usage_errors():
    net = dp.Network.from_records([{"id": "a"}, {"id": "b"}], [{"dependent": "a", "provider": "b"}])
    with pytest.raises(dp.UsageError, match="markup_bse"):
        dp.rents(net, markup_bse=0.2)
    with pytest.raises(dp.UsageError, match="nobody"):
        dp.rents(net, public_account="nobody")
    with pytest.raises(dp.UsageError, match="nope"):
        dp.rents(net, dimensions=["nope"])
    with pytest.raises(ValueError):  # UsageError is a ValueError for callers who do not know this package
        dp.rents(net, economy=dp.Economy(), pricing="x")


def test_bad_capacity_and_toll_attributes_name_the_record():
    net = dp.Network.from_records([{"id": "a"}, {"id": "b", "capacity": -2}], [{"dependent": "a", "provider": "b"}])
    with pytest.raises(dp.InputError, match=r"actors\[1\]\.capacity"):
        dp.rents(net)
    net = dp.Network.from_records([{"id": "a"}, {"id": "b"}, {"id": "o"}],
                                  [{"dependent": "a", "provider": "b", "via": ["x"]}],
                                  infrastructures=[{"id": "x", "owner": "o", "toll": -0.5}])
    with pytest.raises(dp.InputError, match=r"infrastructures\[0\]\.toll"):
        dp.rents(net)


# --------------------------------------------------------------------------- the conservation check
def test_conservation_error_is_an_arithmetic_error_of_the_package():
    assert dp.ConservationError is ConservationError
    assert issubclass(ConservationError, dp.DependenciaError) and issubclass(ConservationError, ArithmeticError)


@pytest.mark.parametrize("amount", [math.inf, -math.inf, math.nan])
def test_a_non_finite_flow_fails_the_conservation_check(amount):
    ledger = Ledger(["ann", "shop"], public=None)
    ledger.pay(np.array([0]), np.array([1]), "markup", np.array([2.5]))
    with pytest.raises(ConservationError):  # refused when recorded
        ledger.pay(np.array([0]), np.array([1]), "cost_recovery", np.array([amount]))


def test_check_totals_tolerance_is_relative_1e_9():
    assert check_totals(1e6, 1e6 * (1 + 1e-12)) == 1e6
    assert check_totals(0.0, 0.0) == 0.0
    with pytest.raises(ConservationError, match="not conserved"):
        check_totals(1.0, 1.0 + 1e-6)
    with pytest.raises(ConservationError):
        check_totals(1e6, 1e6 + 1.0)  # relative 1e-6
    with pytest.raises(ConservationError):
        check_totals(0.0, 1e-300)
    with pytest.raises(ConservationError):
        check_totals(math.nan, math.nan)


def test_a_ledger_that_loses_money_stops_rents(monkeypatch):
    received = Ledger.received

    def leaky(self, *kinds):  # every account receives a millionth less than it is paid
        return received(self, *kinds) * (1.0 - 1e-6)

    monkeypatch.setattr(Ledger, "received", leaky)
    with pytest.raises(ConservationError):
        dp.rents(dp.examples.load("ai-stack"))


@pytest.mark.parametrize("payee", [-1, 5, 8])
def test_a_flow_to_an_invalid_account_is_refused(payee):
    ledger = Ledger(["ann", "shop"], public=None)  # accounts 0..4: ann, shop, world, lender, public
    with pytest.raises(ConservationError, match="does not exist"):
        ledger.pay(np.array([0]), np.array([payee]), "markup", np.array([2.5]))


# --------------------------------------------------------------------------- edge cases
def test_a_network_without_dependencies_has_empty_accounts():
    result = dp.rents(dp.Network.from_records([{"id": "a"}, {"id": "b"}]))
    assert result.totals["paid"] == 0.0 and (result.actors["income"] == 0).all() and result.prices.empty


def test_every_account_column_is_a_float():
    dtypes = dp.rents(dp.examples.load("ai-stack")).actors.dtypes  # no transfer, no tax: columns of zeros
    assert (dtypes == np.float64).all(), dtypes[dtypes != np.float64].to_dict()
