"""Wages (docs/economics.md#wages), worked by hand on a three-actor economy and on single rules.

The town: a firm (unit cost 10) depends on a household's labour (4 units;
the household's subsistence 3 per unit), the household buys 1 unit of
goods from the firm, the firm buys 1 unit of material from a mill (unit
cost 4). Default economy: wage = subsistence x (1 + wage markup 0.1);
markup = 0.1 + 0.5 x power share in the dimension, one leader.

Power by hand (ordered actor pairs; edges firm -> home, home -> firm,
firm -> mill): the firm sits on (home, mill), nobody else on anything:
shares firm 1, home 0, mill 0. In each dimension's graph alone (one edge
each) nobody is between anybody: every share 0.
Prices: goods 10 x 1.1 = 11.00 (the firm leads); material 4 x 1.1 = 4.40;
the wage 3 x 1.1 = 3.30 per unit of labour.
Payments: firm -> home wages 4 x 3.30 = 13.20; home -> firm 11.00 (cost
recovery 10.00, markup 1.00); firm -> mill 4.40 (4.00 + 0.40).
Unit costs paid on: the firm's 1 x 10 = 10.00 is less than its own
purchases 13.20 + 4.40 = 17.60: nothing to world; the household's
subsistence 4 x 3 = 12.00 less its purchases 11.00 = 1.00 to world; the
mill's 4.00 to world.
Totals: paid 13.20 + 11.00 + 4.40 + 1.00 + 4.00 = 33.60, world 5.00.
Incomes 11.00 + 13.20 + 4.40 = 28.60; nets firm -6.60, home +1.20 (it
saves), mill +0.40, summing to -5.00, what went to world.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import dependencia as dp
from dependencia.cli import main
from dependencia.errors import InputError

ACTORS = [{"id": "firm", "kind": "firm", "unit_cost": 10}, {"id": "home", "kind": "household", "subsistence": 3},
          {"id": "mill", "kind": "firm", "unit_cost": 4}]
DEPS = [{"dependent": "firm", "provider": "home", "dimension": "labour", "strength": 4},
        {"dependent": "home", "provider": "firm", "dimension": "goods"},
        {"dependent": "firm", "provider": "mill", "dimension": "material"}]


def town(actors=ACTORS, deps=DEPS, **kwargs) -> dp.Network:
    return dp.Network.from_records(actors, deps, **kwargs)


def cents(value: float) -> float:
    return round(value, 2)


def by_actor(column) -> dict[str, float]:
    return {k: cents(v) for k, v in column.items()}


def test_three_actor_town_to_the_cent():
    result = dp.rents(town())
    a = result.actors
    assert by_actor(a["income"]) == {"firm": 11.0, "home": 13.2, "mill": 4.4}
    assert by_actor(a["income_wages"]) == {"firm": 0.0, "home": 13.2, "mill": 0.0}
    assert by_actor(a["spending_wages"]) == {"firm": 13.2, "home": 0.0, "mill": 0.0}
    assert by_actor(a["spending"]) == {"firm": 17.6, "home": 12.0, "mill": 4.0}
    assert by_actor(a["net"]) == {"firm": -6.6, "home": 1.2, "mill": 0.4}
    assert by_actor(a["spending_world"]) == {"firm": 0.0, "home": 1.0, "mill": 4.0}
    assert by_actor(a["spending_purchases"]) == {"firm": 4.4, "home": 11.0, "mill": 0.0}
    assert cents(a.loc["firm", "income_cost_recovery"]) == 10.0 and cents(a.loc["firm", "income_markup"]) == 1.0
    assert a.loc["home", "income_markup"] == a.loc["home", "income_cost_recovery"] == 0.0  # a wage, not a price
    assert by_actor(a["power_share"]) == {"firm": 1.0, "home": 0.0, "mill": 0.0}
    assert a.loc["home", "income_share"] == pytest.approx(13.2 / 28.6)
    assert a.loc["home", "latent_power"] == pytest.approx(-13.2 / 28.6)  # the largest income, no power
    assert a.loc["firm", "latent_power"] == pytest.approx(1 - 11 / 28.6)
    t = result.totals
    assert cents(t["paid"]) == cents(t["received"]) == 33.6
    assert cents(t["to_world"]) == 5.0 and cents(t["wages"]) == 13.2
    assert cents(a["net"].sum()) == -cents(t["to_world"])  # what the actors lose is what left for the world
    wage = result.prices.set_index(["provider", "dimension"]).loc[("home", "labour")]
    assert (cents(wage["price"]), cents(wage["unit_cost"]), bool(wage["leader"])) == (3.3, 3.0, False)
    assert wage["markup"] == pytest.approx(0.1)
    flows = result.flows.set_index(["payer", "payee", "kind"])["amount"]
    assert cents(flows[("firm", "home", "wages")]) == 13.2


def test_the_example_of_the_docs_is_this_town():
    """docs/economics.md#wages runs the town; its accounts are the ones worked by hand above."""
    text = (Path(__file__).parents[2] / "docs" / "economics.md").read_text(encoding="utf-8")
    section = text[text.index("\n## Wages\n"):]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)
    scope: dict = {}
    exec(compile(code, "docs/economics.md", "exec"), scope)
    assert scope["net"].equals(town())
    assert by_actor(scope["result"].actors["net"]) == {"firm": -6.6, "home": 1.2, "mill": 0.4}


def test_before_wages_labour_went_to_world():
    """Without the labour dependency the firm pays its unit cost to world and the household has no income.

    The firm's 10.00 less its purchase 4.40 = 5.60 to world, the mill's 4.00:
    world 9.60, paid 11.00 + 4.40 + 9.60 = 25.00.
    """
    result = dp.rents(town(deps=DEPS[1:]))
    assert cents(result.actors.loc["home", "income"]) == 0.0
    assert cents(result.totals["to_world"]) == 9.6 and cents(result.totals["paid"]) == 25.0
    assert result.totals["wages"] == 0.0


def test_no_labour_dimensions_prices_labour_as_goods():
    """``labour_dimensions=()``: firm -> home is an ordinary sale at the household's unit cost 1.0 x 1.1.

    The household is then a leader in labour: 4 x 1.10 = 4.40 (cost recovery
    4.00, markup 0.40); its unit cost 4.00 is below its purchases 11.00,
    nothing to world; the firm's 10.00 less 4.40 + 4.40 = 1.20 to world, the
    mill's 4.00: world 5.20.
    """
    result = dp.rents(town(), labour_dimensions=())
    a = result.actors
    assert cents(a.loc["home", "income_cost_recovery"]) == 4.0 and cents(a.loc["home", "income_markup"]) == 0.4
    assert a["income_wages"].sum() == 0.0
    assert cents(result.totals["to_world"]) == 5.2


@pytest.mark.parametrize("rule, wage", [("administered", 3 * 1.1), ("position", 3 * (1 + 0.1 + 0.5 * 1.0))])
def test_the_wage_rule_prices_the_position_or_not(rule, wage):
    """A gang master: the firm depends on ``boss``'s labour, ``boss`` on ``hand``'s (both subsistence 3).

    In the labour graph firm -> boss -> hand, boss sits on (firm, hand): its
    share there is 1, hand's 0. ``administered`` pays both 3 x 1.1; under
    ``position`` boss earns 3 x (1 + 0.1 + 0.5 x 1) and hand 3 x 1.1.
    """
    actors = [{"id": "firm"}, {"id": "boss", "kind": "household", "subsistence": 3},
              {"id": "hand", "kind": "household", "subsistence": 3}]
    deps = [{"dependent": "firm", "provider": "boss", "dimension": "labour"},
            {"dependent": "boss", "provider": "hand", "dimension": "labour"}]
    result = dp.rents(town(actors, deps), wage_rule=rule)
    assert result.actors.loc["boss", "income_wages"] == pytest.approx(wage)
    assert result.actors.loc["hand", "income_wages"] == pytest.approx(3 * 1.1)
    assert not result.prices["leader"].any()


def test_a_wage_table_wins_and_the_price_row_is_its_mean():
    """Two workers at the firm: ann 2 units at the rule's 1.0 x 1.1, bob 1 unit at his ``wage`` 3.0 and 3 units
    at the rule; bob's price row is (1 x 3.0 + 3 x 1.1) / 4 = 1.575."""
    actors = [{"id": "firm"}, {"id": "ann", "kind": "household"}, {"id": "bob", "kind": "household"}]
    deps = [{"dependent": "firm", "provider": "ann", "dimension": "labour", "strength": 2},
            {"dependent": "firm", "provider": "bob", "dimension": "labour", "wage": 3.0},
            {"dependent": "firm", "provider": "bob", "dimension": "labour", "strength": 3}]
    result = dp.rents(town(actors, deps))
    a = result.actors
    assert a.loc["ann", "income_wages"] == pytest.approx(2.2)
    assert a.loc["bob", "income_wages"] == pytest.approx(3.0 + 3.3)
    prices = result.prices.set_index("provider")["price"]
    assert prices["bob"] == pytest.approx(6.3 / 4) and prices["ann"] == pytest.approx(1.1)


def test_wages_paid_by_the_public_and_to_a_worker_on_a_tolled_job_platform():
    """The state employs ``home`` (1 unit, public channel: the public pays 1.1); the firm hires it through
    ``jobs`` (owner ``agency``, toll 0.2) for 2 units: wage 2.2, toll 0.2 x 2.2 = 0.44 paid by the firm."""
    actors = [{"id": "state", "kind": "state"}, {"id": "firm"}, {"id": "home", "kind": "household"},
              {"id": "agency"}]
    deps = [{"dependent": "state", "provider": "home", "dimension": "labour", "channel": "public"},
            {"dependent": "firm", "provider": "home", "dimension": "labour", "strength": 2, "via": ["jobs"]}]
    net = town(actors, deps, infrastructures=[{"id": "jobs", "owner": "agency", "toll": 0.2}])
    a = dp.rents(net).actors
    assert a.loc["home", "income_wages"] == pytest.approx(1.1 + 2.2)
    assert a.loc["home", "income_transfer"] == 0.0  # a wage whoever pays it
    assert a.loc["state", "spending_wages"] == pytest.approx(1.1)
    assert a.loc["agency", "income_toll"] == pytest.approx(0.44)
    assert a.loc["firm", "spending"] == pytest.approx(2.2 + 0.44)


def test_unpaid_labour_moves_no_money():
    deps = [{"dependent": "firm", "provider": "home", "dimension": "labour", "strength": 4, "channel": "voluntary"}]
    result = dp.rents(town(deps=deps))
    assert result.totals["wages"] == 0.0 and result.actors["income"].sum() == 0.0


def test_the_rent_tax_leaves_wages_untaxed():
    """Rent tax 0.5 on markup and toll only: the firm's markup 1.00 and the mill's 0.40 give 0.70; no wages."""
    result = dp.rents(town(), rent_tax=0.5)
    assert result.totals["taxes"] == pytest.approx(0.5 * (1.0 + 0.4))
    assert result.actors.loc["home", "spending_taxes"] == 0.0


def test_a_wage_outside_the_labour_dimensions_is_refused_with_its_record():
    deps = [dict(DEPS[0]), dict(DEPS[1], wage=2.0), dict(DEPS[2])]
    with pytest.raises(InputError, match=r"dependencies\[1\]\.wage.*dimension 'goods'.*not a labour dimension"):
        dp.rents(town(deps=deps))


def test_a_negative_wage_is_refused():
    deps = [dict(DEPS[0], wage=-1.0), *DEPS[1:]]
    with pytest.raises(InputError, match=r"wage must be a number >= 0"):
        dp.rents(town(deps=deps))


@pytest.mark.parametrize("setting", [{"wage_rule": "auction"}, {"subsistence": -1.0}, {"wage_markup": float("nan")},
                                     {"labour_dimensions": "labour"}])
def test_bad_wage_settings_are_usage_errors(setting):
    with pytest.raises(dp.UsageError, match=f"economy.{next(iter(setting))}"):
        dp.Economy(**setting)


def test_the_command_line_shows_wages_and_refuses_a_bad_rule(tmp_path, capsys):
    path = tmp_path / "town.yaml"
    dp.write(town(), path)
    assert main(["rents", str(path), "--format", "csv", "--wage-markup", "0.5"]) == 0
    out = capsys.readouterr().out
    header, *rows = out.strip().splitlines()
    home = dict(zip(header.split(","), next(r for r in rows if r.startswith("home,")).split(",")))
    assert float(home["income_wages"]) == pytest.approx(4 * 3 * 1.5)
    assert main(["rents", str(path), "--wage-rule", "auction"]) == 2
    assert "--wage-rule must be one of administered, position" in capsys.readouterr().err


def test_the_reports_rents_chart_shows_wages_only_where_someone_earns_them():
    from dependencia.report.data import network_panel

    chart = network_panel(town(), label="town")["charts"]["rents"]
    assert chart["sources"][-1] == "wages"
    assert dict(zip(chart["actors"], chart["values"][-1]))["home"] == pytest.approx(13.2)
    without = network_panel(town(deps=DEPS[1:]), label="town")["charts"]["rents"]
    assert without["sources"] == ["markup", "toll", "transfer", "cost recovery", "tax"]


def test_price_lookup_matches_a_plain_dictionary():
    """Each row's price is its (provider, dimension)'s in the price table, NaN where the table has none
    (oracle: a dict of the table's rows), and all NaN for an empty price table."""
    import numpy as np
    import pandas as pd

    from dependencia.economics.wages import _lookup

    rng = np.random.default_rng(3)
    providers, dims = [f"p{i}" for i in range(30)], ["a", "b", "c"]
    pairs = [(p, d) for p in providers for d in dims]
    chosen = [pairs[i] for i in rng.choice(len(pairs), 50, replace=False)]
    table = pd.DataFrame({"provider": [p for p, _ in chosen], "dimension": [d for _, d in chosen],
                          "price": rng.random(50)})
    rows = [pairs[i] for i in rng.integers(0, len(pairs), 400)]
    deps = pd.DataFrame({"provider": [p for p, _ in rows], "dimension": [d for _, d in rows]})
    oracle = dict(zip(chosen, table["price"].tolist()))
    expected = np.array([oracle.get(key, np.nan) for key in rows])
    got = _lookup(table, deps)
    assert np.isnan(expected).any() and not np.isnan(expected).all()
    np.testing.assert_array_equal(got, expected)
    assert _lookup(table.iloc[:0], deps).shape == (400,) and np.isnan(_lookup(table.iloc[:0], deps)).all()
