"""The ``dependencia rents`` command: JSON contract, CSV, table, options, exit codes, output files."""

from __future__ import annotations

import io
import json
import math
import os
import sys
from pathlib import Path

import pandas as pd
import pytest

import dependencia as dp
from dependencia.cli import main

ROW_FIELDS = ("income", "spending", "net", "power_share", "income_share", "latent_power",
              "income_markup", "income_toll", "income_transfer", "income_cost_recovery")
PRICE_FIELDS = ("provider", "dimension", "price", "leader")
TOTAL_FIELDS = ("paid", "received", "taxes", "transfers", "to_world", "unpaid_care_value")


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def assert_usage_error(code: int, out: str, err: str) -> None:
    assert code == 2
    assert "Traceback" not in err and "Traceback" not in out
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), err


@pytest.fixture(scope="module")
def ai_stack() -> dp.Network:
    return dp.examples.load("ai-stack")


def test_json_contract(capsys, ai_stack):
    code, out, err = run(capsys, "rents", "ai-stack", "--format", "json")
    assert code == 0 and err == ""
    doc = json.loads(out)
    assert isinstance(doc, dict)

    rows = doc["rows"]
    assert [r["id"] for r in rows].count("amazon") == 1
    assert sorted(r["id"] for r in rows) == sorted(ai_stack.actors.index)  # one row per actor
    for row in rows:
        assert isinstance(row["id"], str)
        for name in ROW_FIELDS:
            assert is_number(row[name]), (row["id"], name, row[name])
        assert row["net"] == pytest.approx(row["income"] - row["spending"], rel=1e-12, abs=1e-12)
        assert row["latent_power"] == pytest.approx(row["power_share"] - row["income_share"], rel=1e-12, abs=1e-15)
        assert row["income"] == pytest.approx(
            sum(row[f"income_{s}"] for s in ("markup", "toll", "transfer", "cost_recovery", "tax")), rel=1e-12)
    incomes = [r["income"] for r in rows]
    assert incomes == sorted(incomes, reverse=True)  # ranked by income

    prices = doc["prices"]
    expected = set(zip(ai_stack.dependencies["provider"], ai_stack.dependencies["dimension"]))
    assert len(prices) == len(expected)
    assert {(p["provider"], p["dimension"]) for p in prices} == expected
    for price in prices:
        assert isinstance(price["provider"], str) and isinstance(price["dimension"], str)
        assert is_number(price["price"]) and price["price"] > 0
        assert type(price["leader"]) is bool
    for dimension in {p["dimension"] for p in prices}:  # one leader per dimension by default
        assert sum(p["leader"] for p in prices if p["dimension"] == dimension) == 1, dimension

    totals = doc["totals"]
    for name in TOTAL_FIELDS:
        assert is_number(totals[name]), name
    assert totals["paid"] == totals["received"]
    assert totals["paid"] > 0 and totals["taxes"] == 0 and totals["transfers"] == 0
    # every unit paid is spent by an actor or by an outside account not also listed as an actor
    outside = [a for a in doc["accounts"] if a["actor"] is None]
    spent = math.fsum([r["spending"] for r in rows] + [a["spending"] for a in outside])
    earned = math.fsum([r["income"] for r in rows] + [a["income"] for a in outside])
    assert spent == pytest.approx(totals["paid"], rel=1e-9)
    assert earned == pytest.approx(totals["paid"], rel=1e-9)
    assert {a["account"]: a["income"] for a in doc["accounts"]}["world"] == pytest.approx(totals["to_world"])

    # the command reports what the library computes
    result = dp.rents(ai_stack)
    for row in rows:
        for name in ROW_FIELDS:
            assert row[name] == pytest.approx(float(result.actors.loc[row["id"], name]), rel=1e-12, abs=1e-15)


def test_csv_has_the_row_columns(capsys, ai_stack):
    code, out, _ = run(capsys, "rents", "ai-stack", "--format", "csv")
    assert code == 0
    frame = pd.read_csv(io.StringIO(out))
    assert frame.columns[0] == "id"
    assert set(ROW_FIELDS) <= set(frame.columns)
    assert sorted(frame["id"]) == sorted(ai_stack.actors.index)
    assert (frame["net"] - (frame["income"] - frame["spending"])).abs().max() < 1e-9
    assert frame["income"].is_monotonic_decreasing


def test_table_prints_incomes_and_latent_power(capsys, ai_stack):
    code, out, _ = run(capsys, "rents", "ai-stack")
    assert code == 0
    assert "latent power" in out and "income" in out and "prices per provider and dimension" in out
    result = dp.rents(ai_stack)
    assert f"{result.actors.loc['amazon', 'income']:.4g}" in out
    assert f"{result.actors.loc['microsoft', 'latent_power']:.4g}" in out
    assert "paid = received" in out


def test_marginalist_pricing(capsys, ai_stack):
    code, out, _ = run(capsys, "rents", "ai-stack", "--pricing", "marginalist", "--elasticity", "2", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["pricing"] == "marginalist"
    assert doc["totals"]["paid"] == doc["totals"]["received"]
    for price in doc["prices"]:
        assert price["leader"] is False
        # no capacity given: each provider's capacity is an equal share of its dimension's demand
        in_dimension = [p["demand"] for p in doc["prices"] if p["dimension"] == price["dimension"]]
        capacity = sum(in_dimension) / len(in_dimension)
        assert price["capacity"] == pytest.approx(capacity)
        assert price["price"] == pytest.approx(1.0 * 1.1 * (price["demand"] / capacity) ** 0.5, rel=1e-9)


def test_settings_reach_the_economy(capsys):
    code, out, _ = run(capsys, "rents", "ai-stack", "--leaders", "2", "--markup-base", "0.2", "--markup-slope", "0",
                       "--rent-tax", "0.5", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    economy = doc["economy"]
    assert economy["leaders"] == 2 and economy["markup_base"] == 0.2 and economy["rent_tax"] == 0.5
    for dimension in {p["dimension"] for p in doc["prices"]}:
        in_dimension = [p for p in doc["prices"] if p["dimension"] == dimension]
        assert sum(p["leader"] for p in in_dimension) == min(2, len(in_dimension))
    assert all(p["price"] == pytest.approx(1.2) for p in doc["prices"])  # unit cost 1, flat markup 0.2
    rent = sum(max(r["income_markup"] + r["income_toll"], 0.0) for r in doc["rows"])  # no public actor
    assert doc["totals"]["taxes"] == pytest.approx(0.5 * rent, rel=1e-9)


@pytest.mark.parametrize(
    "args",
    [
        ["--pricing", "nonsense"],
        ["--leaders", "0"],
        ["--rent-tax", "5"],
        ["--markup-base", "-1"],
        ["--elasticity", "0"],
        ["--care-price", "-1"],
        ["--dimension", "nope"],
    ],
)
def test_bad_options_exit_2_with_one_line(capsys, args):
    assert_usage_error(*run(capsys, "rents", "ai-stack", *args))


def test_output_file_is_written_atomically(capsys, tmp_path):
    target = tmp_path / "out" / "out.json"
    target.parent.mkdir()
    code, out, _ = run(capsys, "rents", "ai-stack", "--format", "json", "-o", target)
    assert code == 0 and out == ""
    doc = json.loads(target.read_text())
    assert doc["totals"]["paid"] == doc["totals"]["received"]
    assert sorted(os.listdir(target.parent)) == ["out.json"]  # no temporary file left


def test_an_error_leaves_no_output_file(capsys, tmp_path):
    target = tmp_path / "out.json"
    assert_usage_error(*run(capsys, "rents", "ai-stack", "--leaders", "0", "--format", "json", "-o", target))
    assert_usage_error(*run(capsys, "rents", "ai-stack", "--dimension", "nope", "--format", "json", "-o", target))
    assert os.listdir(tmp_path) == []
    target.write_text("earlier result")
    assert_usage_error(*run(capsys, "rents", "ai-stack", "--rent-tax", "5", "--format", "json", "-o", target))
    assert target.read_text() == "earlier result"


def test_top_limits_rows(capsys):
    code, out, _ = run(capsys, "rents", "ai-stack", "--top", "3", "--format", "json")
    assert code == 0
    rows = json.loads(out)["rows"]
    assert len(rows) == 3 and [r["rank"] for r in rows] == [1, 2, 3]
    code, out, _ = run(capsys, "rents", "ai-stack", "--top", "3", "--format", "csv")
    assert code == 0 and len(pd.read_csv(io.StringIO(out))) == 3


def test_dimension_restricts_prices(capsys, ai_stack):
    code, out, _ = run(capsys, "rents", "ai-stack", "--dimension", "compute", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["dimensions"] == ["compute"]
    assert {p["dimension"] for p in doc["prices"]} == {"compute"}
    deps = ai_stack.dependencies
    assert {p["provider"] for p in doc["prices"]} == set(deps.loc[deps["dimension"] == "compute", "provider"])
    assert doc["totals"]["paid"] == doc["totals"]["received"]
    assert len(doc["rows"]) == ai_stack.n_actors


MODEL = """\
dependencia: 1
dimensions:
  - {{id: care, monetized: 0}}
  - {{id: retail, monetized: 1}}
actors:
  - {{id: ann}}
  - {{id: shop{shop}}}
  - {{id: maker}}
dependencies:
  - {{dependent: ann, provider: shop, dimension: retail}}
  - {{dependent: shop, provider: maker, dimension: retail}}
  - {{dependent: ann, provider: maker, dimension: care, strength: 2}}
  - {{dependent: maker, provider: ann, dimension: retail, channel: care, strength: 3}}
"""


def test_negative_capacity_names_the_record(capsys, tmp_path):
    model = tmp_path / "shops.yaml"
    model.write_text(MODEL.format(shop=", capacity: -5"))
    target = tmp_path / "out.json"
    for pricing in ("administered", "marginalist"):
        code, out, err = run(capsys, "rents", model, "--pricing", pricing, "--format", "json", "-o", target)
        assert_usage_error(code, out, err)
        assert "shops.yaml" in err and "actors[1]" in err and "capacity" in err and "-5" in err
    assert not target.exists()


def test_capacity_attribute_sets_marginalist_prices(capsys, tmp_path):
    model = tmp_path / "shops.yaml"
    model.write_text(MODEL.format(shop=", capacity: 4"))
    code, out, _ = run(capsys, "rents", model, "--pricing", "marginalist", "--format", "json")
    assert code == 0
    shop = {(p["provider"], p["dimension"]): p for p in json.loads(out)["prices"]}["shop", "retail"]
    assert shop["capacity"] == 4 and shop["price"] == pytest.approx(1.1 * 1 / 4)


def test_care_price_values_unpaid_care(capsys, tmp_path):
    model = tmp_path / "shops.yaml"
    model.write_text(MODEL.format(shop=""))
    code, out, _ = run(capsys, "rents", model, "--care-price", "2.5", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    # 2 units in the unmonetized care dimension, 3 on the care channel
    assert doc["totals"]["unpaid_care_value"] == pytest.approx(2.5 * (2 + 3))
    assert {r["id"]: r["care_value"] for r in doc["rows"]} == pytest.approx({"ann": 7.5, "shop": 0.0, "maker": 5.0})


def test_a_conservation_failure_is_an_internal_error(capsys, monkeypatch):
    from dependencia.economics.ledger import Ledger

    received = Ledger.received
    monkeypatch.setattr(Ledger, "received", lambda self, *kinds: received(self, *kinds) * (1.0 - 1e-6))
    code, out, err = run(capsys, "rents", "ai-stack", "--format", "json")
    assert code == 1 and out == ""
    assert "internal error" in err and "not conserved" in err and "Traceback" not in err


def test_entry_point_exit_code(tmp_path):
    import subprocess

    bad = subprocess.run([sys.executable, "-m", "dependencia", "rents", "ai-stack", "--pricing", "nonsense"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


def test_unknown_network_exits_2(capsys, tmp_path):
    code, out, err = run(capsys, "rents", Path(tmp_path) / "missing.yaml")
    assert code == 2 and "missing.yaml" in err and "Traceback" not in err
