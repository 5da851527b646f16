"""The hand-worked example of docs/economics.md, to the cent, and single rules one at a time.

The chain: alice buys 2 units of retail from a shop through a market place
(infrastructure ``market``, owner ``platco``, upkeep 1); the shop (unit
cost 10) buys 1 unit of supply from a maker (unit cost 6). Default economy:
markup = 0.1 + 0.5 x power share in the dimension, one price leader.

Power by hand (ordered actor pairs; actors alice, shop, maker, platco):
- retail graph alice -> market -> shop: platco (through market) sits on
  (alice, shop): share 1; nobody else is between anyone.
- supply graph shop -> maker: no one in between: every share 0.
- all dimensions, alice -> market -> shop -> maker: platco sits on
  (alice, shop) and (alice, maker) = 2, shop on (alice, maker) = 1:
  shares 2/3 and 1/3.
Prices: shop in retail 10 x (1 + 0.1 + 0.5 x 0) = 11.00; maker in supply
6 x 1.1 = 6.60. Toll of market (platco's markup in retail): 0.1 + 0.5 x 1 = 0.6.
Payments: alice -> shop 2 x 11 = 22.00 (cost recovery 20.00, markup 2.00);
alice -> platco toll 0.6 x 22 = 13.20; shop -> maker 6.60 (6.00 + 0.60).
Unit cost paid on: shop 20.00 - its own purchases 6.60 = 13.40 to world;
maker 6.00 to world (no dependencies of its own); platco upkeep 1.00.
Totals: paid 22 + 13.20 + 6.60 + 13.40 + 6 + 1 = 62.20; world 20.40.
Income 22 + 6.60 + 13.20 = 41.80: shares shop 22/41.8, maker 6.6/41.8,
platco 13.2/41.8.
"""

from __future__ import annotations

import pytest

import dependencia as dp


def chain(**changes) -> dp.Network:
    actors = [{"id": "alice", "kind": "person"}, {"id": "shop", "kind": "firm", "unit_cost": 10},
              {"id": "maker", "kind": "firm", "unit_cost": 6}, {"id": "platco", "kind": "platform"}]
    deps = [
        {"dependent": "alice", "provider": "shop", "dimension": "retail", "strength": 2, "via": ["market"]},
        {"dependent": "shop", "provider": "maker", "dimension": "supply"},
    ]
    infras = [{"id": "market", "owner": "platco", "upkeep": 1}]
    for key, value in changes.items():
        kind, _, field = key.partition("__")
        {"actor": actors, "dep": deps, "infra": infras}[kind][0 if kind != "actor" else 1][field] = value
    return dp.Network.from_records(actors, deps, infrastructures=infras)


def cents(value: float) -> float:
    return round(value, 2)


def test_hand_example_to_the_cent():
    result = dp.rents(chain())
    a = result.actors
    assert {k: cents(v) for k, v in a["income"].items()} == {"alice": 0.0, "shop": 22.0, "maker": 6.6, "platco": 13.2}
    assert {k: cents(v) for k, v in a["spending"].items()} == {"alice": 35.2, "shop": 20.0, "maker": 6.0,
                                                               "platco": 1.0}
    assert {k: cents(v) for k, v in a["net"].items()} == {"alice": -35.2, "shop": 2.0, "maker": 0.6, "platco": 12.2}
    assert cents(a.loc["shop", "income_markup"]) == 2.0
    assert cents(a.loc["shop", "income_cost_recovery"]) == 20.0
    assert cents(a.loc["maker", "income_markup"]) == 0.6
    assert cents(a.loc["maker", "income_cost_recovery"]) == 6.0
    assert cents(a.loc["platco", "income_toll"]) == 13.2
    assert cents(a.loc["shop", "spending_world"]) == 13.4
    assert a.loc["platco", "power_share"] == pytest.approx(2 / 3)
    assert a.loc["shop", "power_share"] == pytest.approx(1 / 3)
    assert a.loc["shop", "income_share"] == pytest.approx(22 / 41.8)
    assert a.loc["platco", "latent_power"] == pytest.approx(2 / 3 - 13.2 / 41.8)
    assert a.loc["maker", "latent_power"] == pytest.approx(-6.6 / 41.8)
    prices = result.prices.set_index(["provider", "dimension"])
    assert cents(prices.loc[("shop", "retail"), "price"]) == 11.0
    assert cents(prices.loc[("maker", "supply"), "price"]) == 6.6
    assert prices["leader"].all()  # each is the only provider of its dimension
    t = result.totals
    assert cents(t["paid"]) == cents(t["received"]) == 62.2
    assert cents(t["to_world"]) == 20.4
    assert cents(t["tolls"]) == 13.2
    assert t["taxes"] == t["transfers"] == t["unpaid_care_value"] == 0.0
    assert cents(result.accounts.loc["world", "income"]) == 20.4


def test_flows_of_the_hand_example():
    flows = dp.rents(chain()).flows
    got = {(r.payer, r.payee, r.kind): cents(r.amount) for r in flows.itertuples()}
    assert got == {
        ("alice", "shop", "cost_recovery"): 20.0, ("alice", "shop", "markup"): 2.0,
        ("alice", "platco", "toll"): 13.2, ("shop", "maker", "cost_recovery"): 6.0,
        ("shop", "maker", "markup"): 0.6, ("shop", "world", "cost"): 13.4, ("maker", "world", "cost"): 6.0,
        ("platco", "world", "upkeep"): 1.0,
    }


def test_explicit_toll_attribute_overrides_the_owners_markup():
    # toll 5% of 22.00 = 1.10
    result = dp.rents(chain(infra__toll=0.05))
    assert cents(result.actors.loc["platco", "income_toll"]) == 1.1


def test_ownerless_infrastructure_takes_no_toll_and_its_upkeep_is_unpaid():
    result = dp.rents(chain(infra__owner=None))
    assert result.actors["income_toll"].sum() == 0.0
    assert result.totals["unpaid_upkeep"] == 1.0


def test_public_channel_is_paid_by_a_created_public_account_as_transfer():
    # alice's retail on the public channel: the public pays 22.00 + toll 13.20; shop's income is a transfer
    result = dp.rents(chain(dep__channel="public"))
    a = result.actors
    assert cents(a.loc["shop", "income_transfer"]) == 22.0
    assert a.loc["shop", "income_markup"] == a.loc["shop", "income_cost_recovery"] == 0.0
    assert a.loc["alice", "spending"] == 0.0
    assert cents(result.accounts.loc["public", "spending"]) == 35.2
    assert result.accounts.loc["public", "actor"] is None
    assert cents(result.totals["transfers"]) == 22.0


def test_a_state_actor_is_the_public_account_and_collects_the_rent_tax():
    net = chain(actor__kind="state")  # the shop becomes the state (public: untaxed)
    result = dp.rents(net, rent_tax=0.5)
    a = result.actors
    # taxed: maker's markup 0.60 and platco's toll 13.20, half each, paid to the shop (the public account)
    assert cents(a.loc["shop", "income_tax"]) == cents(0.5 * (0.6 + 13.2))
    assert cents(result.totals["taxes"]) == 6.9
    assert result.accounts.loc["public", "actor"] == "shop"


def test_care_channel_moves_no_money_and_is_valued():
    result = dp.rents(chain(dep__channel="care"), care_shadow_price=2.5)
    assert result.actors.loc["shop", "income_markup"] == 0.0
    assert result.totals["unpaid_care_value"] == 2.5 * 2  # strength 2 at the shadow price
    assert result.actors.loc["shop", "care_value"] == 5.0


def test_two_leaders_set_a_mean_price_that_followers_take_above_their_cost():
    # three providers of one dimension; a -> b -> c -> d style chain gives b, c power there
    actors = [{"id": i, "unit_cost": c} for i, c in (("u", 1), ("p1", 2), ("p2", 4), ("p3", 1), ("p4", 9))]
    deps = [{"dependent": "u", "provider": "p1"}, {"dependent": "p1", "provider": "p2"},
            {"dependent": "p2", "provider": "p3"}, {"dependent": "u", "provider": "p4"}]
    net = dp.Network.from_records(actors, deps)
    shares = dp.power(net)["power_share"]  # one dimension: its graph is the whole graph
    result = dp.rents(net, leaders=2).prices.set_index("provider")
    ranking = sorted(["p1", "p2", "p3", "p4"], key=lambda p: (-round(shares[p], 12), p))
    leaders = ranking[:2]
    own = {p: actors[[a["id"] for a in actors].index(p)]["unit_cost"] * (1.1 + 0.5 * shares[p]) for p in leaders}
    mean = sum(own.values()) / 2
    for p in ranking:
        cost = result.loc[p, "unit_cost"]
        expected = own[p] if p in leaders else max(mean, cost)
        assert result.loc[p, "price"] == pytest.approx(expected)
        assert bool(result.loc[p, "leader"]) == (p in leaders)
    assert result.loc["p4", "price"] == 9.0  # its cost is above the leaders' price: it sells at cost


def test_rents_reuses_given_power_tables():
    net = chain()
    power = dp.power(net)
    per_dimension = {k: dp.power(net, dimensions=[k]) for k in ("retail", "supply")}
    direct = dp.rents(net)
    reused = dp.rents(net, power=power, dimension_power=per_dimension)
    assert reused.actors.equals(direct.actors)
