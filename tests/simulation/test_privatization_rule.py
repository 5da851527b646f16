"""The public's privatization rule (``policies.privatization``), worked by hand on the road network.

The state owns road G, which three households take to a shop; its only flow
is G's upkeep, and with a zero borrowing cap and no revenue its arrears grow
by the upkeep every step. ``rich`` (50) and ``mid`` (20) are the bidders.

- ``arrears``: sell while the arrears exceed ``limit``, at ``decay.sale_price``
  (0.5) x the build cost (10) to the richest bidder;
- ``offer``: sell when the best offer exceeds ``price`` x the build cost; a
  bidder offers ``horizon`` x (its toll income from G - G's upkeep), at most
  its budget, its toll income being markup(its power share in d) x the value
  of the routes through G (units x the shop's price);
- ``never``: no sale; arrears above the limit make G decay.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

import dependencia as dp
from dependencia.economics import Economy

D = [{"id": "d", "monetized": 1.0}]


def road_network(upkeep: float = 2.0, toll: float | None = None, rich: float = 50, mid: float = 20):
    actors = [{"id": "state", "kind": "state", "budget": 0}, {"id": "rich", "kind": "firm", "budget": rich},
              {"id": "mid", "kind": "firm", "budget": mid}, {"id": "shop", "kind": "firm", "budget": 0}] + [
        {"id": f"h{i}", "kind": "household", "budget": 0} for i in range(3)]
    deps = [{"dependent": f"h{i}", "provider": "shop", "dimension": "d", "via": ["G"]} for i in range(3)]
    road = {"id": "G", "owner": "state", "dimensions": ["d"], "upkeep": upkeep, "build_cost": 10.0}
    if toll is not None:
        road["toll"] = toll
    return dp.Network.from_records(actors, deps, infrastructures=[road], dimensions=D)


def simulate(network, steps: int, privatization: dict, **config):
    config.setdefault("spillover", {"probability": 0.0})
    config.setdefault("policies", {"debt_brake": {"enabled": True, "borrowing_cap": 0.0}})
    config["policies"] = {**config["policies"], "privatization": privatization}
    return dp.Simulation(network, config).run(steps)


def events(run, kind: str):
    chosen = run.events[run.events["kind"] == kind]
    return [(int(s), a, t, json.loads(d)) for s, a, t, d in chosen[["step", "actor", "target", "detail"]].itertuples(
        index=False)]


# ---------------------------------------------------------------- arrears
@pytest.mark.parametrize("limit, sold_at", [(0.0, 0), (3.0, 1), (5.0, 2)])
def test_arrears_rule_sells_once_arrears_exceed_the_limit(limit, sold_at):
    run = simulate(road_network(), 3, {"rule": "arrears", "limit": limit})
    # arrears after step t: 2 (t + 1) until the sale, which brings in 5
    assert events(run, "privatize") == [(sold_at, "rich", "G", {"price": 5.0, "seller": "state"})]
    assert run.steps["privatized"].tolist() == [int(t >= sold_at) for t in range(3)]
    assert run.steps["public_budget"].iloc[sold_at] == pytest.approx(-2.0 * (sold_at + 1) + 5.0)


def test_never_sells_and_lets_unkept_infrastructure_decay():
    run = simulate(road_network(), 2, {"rule": "never"})
    assert not events(run, "privatize") and (run.steps["privatized"] == 0).all()
    assert events(run, "decay") == [(0, "state", "G", {"reason": "upkeep unpaid"})]
    assert run.steps["public_budget"].iloc[0] == pytest.approx(-2.0)


def test_never_with_a_limit_keeps_infrastructure_while_arrears_stay_below_it():
    run = simulate(road_network(), 3, {"rule": "never", "limit": 5.0})
    assert [t for t, _, _, _ in events(run, "decay")] == [2]  # arrears 2, 4, then 6 > 5


def test_privatize_false_forbids_every_rule_from_selling():
    run = simulate(road_network(), 1, {"rule": "arrears"}, decay={"privatize": False})
    assert not events(run, "privatize") and events(run, "decay")


# ---------------------------------------------------------------- offer
def shop_price(run) -> float:
    rows = run.actors[(run.actors["actor"] == "shop") & (run.actors["dimension"] == "d") & (run.actors["step"] == 0)]
    return float(rows["price"].iloc[0])


@pytest.mark.parametrize("price, sold", [(0.2, True), (0.5, False)])
def test_offer_rule_sells_when_the_best_offer_exceeds_the_asking_price(price, sold):
    # no arrears (revenue covers the upkeep of 0.1): only the offer decides
    run = simulate(road_network(upkeep=0.1), 1, {"rule": "offer", "price": price, "horizon": 10},
                   public_revenue=1.0)
    markup = Economy().markup(0.0)  # the bidders hold no power in d: the base markup
    offer = 10 * (markup * 3 * shop_price(run) - 0.1)
    assert 2.0 < offer < 5.0  # between the two asking prices (0.2 and 0.5 x 10)
    if sold:
        # both bid the same; the richer wins and pays its offer
        assert events(run, "privatize") == [(0, "rich", "G", {"price": pytest.approx(offer), "seller": "state"})]
        assert run.steps["public_budget"].iloc[0] == pytest.approx(1.0 - 0.1 + offer)
        star = run.actors[run.actors["dimension"] == "*"].set_index("actor")
        assert star.at["rich", "budget"] == pytest.approx(50 - offer)
    else:
        assert not events(run, "privatize") and run.network.infrastructures.at["G", "owner"] == "state"


def test_offer_is_at_most_the_bidders_budget():
    run = simulate(road_network(upkeep=0.0, rich=3.0, mid=2.0), 1, {"rule": "offer", "price": 0.0, "horizon": 1000}, public_revenue=1.0)
    assert events(run, "privatize") == [(0, "rich", "G", {"price": 3.0, "seller": "state"})]


@pytest.mark.parametrize("keep_terms", [True, False])
def test_a_toll_free_public_road_sells_only_without_its_terms(keep_terms):
    # toll 0, as on the public's own builds: kept, the buyer would earn nothing, so nobody offers
    config = {"rule": "offer", "price": 0.2, "horizon": 10, "keep_terms": keep_terms}
    run = simulate(road_network(upkeep=0.1, toll=0.0), 2, config, public_revenue=1.0)
    if keep_terms:
        assert not events(run, "privatize")
        return
    assert [(t, a, x) for t, a, x, _ in events(run, "privatize")] == [(0, "rich", "G")]
    assert pd.isna(run.network.infrastructures.at["G", "toll"])  # the buyer charges its own markup
    income = run.actors[(run.actors["dimension"] == "*") & (run.actors["actor"] == "rich")]["income"]
    assert income.iloc[0] == 0 and income.iloc[1] > 0  # tolls from the step after the sale on


def test_arrears_sale_without_terms_lifts_the_toll():
    run = simulate(road_network(toll=0.0), 1, {"rule": "arrears", "keep_terms": False})
    assert [x for _, _, x, _ in events(run, "privatize")] == ["G"]
    assert pd.isna(run.network.infrastructures.at["G", "toll"])
    kept = simulate(road_network(toll=0.0), 1, {"rule": "arrears"})
    assert kept.network.infrastructures.at["G", "toll"] == 0.0
