"""Input-output tables as dependency networks (issue 18, item 1): ``dp.from_mrio`` and ``dependencia import mrio``.

The oracle of every dependency is pymrio's own computation on its bundled test system
(``pymrio.load_test()``: 6 regions x 8 sectors, 7 final-demand categories per region), read
off here with pandas: a buyer (column) depends on a seller (row) where the coefficient is at
or above the threshold, except on the diagonal.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pymrio
import pytest

import dependencia as dp
from dependencia.cli import main
from dependencia.errors import InputError, InputWarning, UsageError

HOUSEHOLDS = "Final consumption expenditure by households"
GOVERNMENT = "Final consumption expenditure by government"


@pytest.fixture(scope="module")
def computed():
    """The test system with pymrio's calc_all: A, L, x (the oracle's inputs)."""
    return pymrio.load_test().calc_all()


def table():
    """A fresh test system as parsed: Z and Y only (from_mrio computes what it needs)."""
    return pymrio.load_test()


def ids(labels) -> list[str]:
    return [f"{region}:{sector}" for region, sector in labels]


def expected_edges(matrix: pd.DataFrame, threshold: float) -> dict[tuple[str, str], float]:
    """{(buyer, seller): value} for every off-diagonal cell of matrix (sellers x buyers) >= threshold."""
    rows, columns = ids(matrix.index), ids(matrix.columns)
    return {(columns[j], rows[i]): float(matrix.iat[i, j])
            for i in range(len(rows)) for j in range(len(columns))
            if i != j and matrix.iat[i, j] >= threshold}


def expected_final_demand(computed, threshold: float, measure: str) -> dict[tuple[str, str], float]:
    """{(region:role, seller): share of the role's spending} (L times the shares for total)."""
    edges = {}
    for region in computed.get_regions():
        for role, category in (("households", HOUSEHOLDS), ("government", GOVERNMENT)):
            y = computed.Y[(region, category)]
            share = y / y.sum()
            if measure == "total":
                share = computed.L @ share
            for seller, value in zip(ids(share.index), share.to_numpy()):
                if value >= threshold:
                    edges[(f"{region}:{role}", seller)] = float(value)
    return edges


def edges_of(net: dp.Network, kind: str | None = None) -> dict[tuple[str, str], float]:
    deps = net.dependencies
    if kind is not None:
        deps = deps[deps["dependent"].map(net.actors["kind"]) == kind]
    return {(d, p): float(s) for d, p, s in zip(deps["dependent"], deps["provider"], deps["strength"])}


def assert_same(found: dict, expected: dict) -> None:
    assert set(found) == set(expected)
    for key, value in expected.items():
        assert found[key] == pytest.approx(value, rel=1e-12, abs=1e-15), key


@pytest.mark.parametrize("threshold", [0.01, 0.05])
@pytest.mark.parametrize("measure", ["direct", "input_share", "total"])
def test_dependencies_and_strengths_are_the_measure_read_off_pymrio(computed, measure, threshold):
    oracle = {"direct": computed.A, "total": computed.L,
              "input_share": computed.Z / computed.Z.sum(axis=0)}[measure]
    net = dp.from_mrio(table(), measure=measure, threshold=threshold)
    assert_same(edges_of(net, "sector"), expected_edges(oracle, threshold))
    fd = {**edges_of(net, "household"), **edges_of(net, "state")}
    assert_same(fd, expected_final_demand(computed, threshold, measure))
    deps = net.dependencies
    assert (deps["strength"] >= threshold).all()
    assert not (deps["dependent"] == deps["provider"]).any()  # own-sector purchases left out
    assert set(deps["dimension"]) == {"material"}  # the test system has no financial sector


def test_direct_is_the_default_with_a_threshold_of_one_cent(computed):
    net = dp.from_mrio(table())
    assert_same(edges_of(net, "sector"), expected_edges(computed.A, 0.01))


def test_actors_are_region_sector_pairs_then_final_demand_with_the_tables_money(computed):
    net = dp.from_mrio(table())
    regions = list(computed.get_regions())
    sectors = ids(computed.A.index)
    final = [f"{r}:{role}" for r in regions for role in ("households", "government")]
    assert list(net.actors.index) == sectors + final
    actors = net.actors
    assert set(actors.loc[sectors, "kind"]) == {"sector"}
    assert list(actors.loc[final, "kind"]) == ["household", "state"] * len(regions)
    assert list(actors.loc[sectors, "region"]) == list(computed.A.index.get_level_values(0))
    assert list(actors.loc[sectors, "sector"]) == list(computed.A.index.get_level_values(1))
    x = computed.x["indout"].to_numpy()
    inputs = computed.Z.sum(axis=0).to_numpy()
    np.testing.assert_allclose(actors.loc[sectors, "output"], x, rtol=1e-12)
    np.testing.assert_allclose(actors.loc[sectors, "intermediate_inputs"], inputs, rtol=1e-12)
    np.testing.assert_allclose(actors.loc[sectors, "value_added"], x - inputs, rtol=1e-9)
    np.testing.assert_allclose(actors.loc[sectors, "unit_cost"], computed.A.sum(axis=0), rtol=1e-12)
    spending = [computed.Y[(r, c)].sum() for r in regions for c in (HOUSEHOLDS, GOVERNMENT)]
    np.testing.assert_allclose(actors.loc[final, "spending"], spending, rtol=1e-12)


def test_the_iosystem_is_left_unchanged():
    io = table()
    dp.from_mrio(io, measure="total")
    assert io.A is None and io.L is None and io.x is None


def test_without_final_demand_and_with_named_categories(computed):
    assert dp.from_mrio(table(), final_demand=False).n_actors == 48
    net = dp.from_mrio(table(), final_demand={"Gross fixed capital formation": "government"})
    assert list(net.actors.index[48:]) == [f"{r}:government" for r in computed.get_regions()]
    investment = computed.Y[("reg2", "Gross fixed capital formation")]
    share = investment / investment.sum()
    expected = {s for s, v in zip(ids(share.index), share) if v >= 0.01}
    assert set(net.dependencies.loc[net.dependencies["dependent"] == "reg2:government", "provider"]) == expected
    with pytest.raises(UsageError, match="role 'firms'"):
        dp.from_mrio(table(), final_demand={HOUSEHOLDS: "firms"})


def test_unrecognized_final_demand_categories_are_named_in_a_warning(tmp_path, capsys):
    io = table()
    io.Y.columns = io.Y.columns.set_levels([f"category {i}" for i in range(7)], level=1)
    with pytest.warns(InputWarning, match="no final-demand category reads as households' or government's"):
        assert dp.from_mrio(io).n_actors == 48
    io.save_all(tmp_path / "saved")
    code, _, err = run(capsys, "import", "mrio", tmp_path / "saved", "--format", "pymrio", "-o", tmp_path / "n.json")
    assert code == 0 and f"warning: {tmp_path / 'saved'}, Y: no final-demand category" in err


def test_sales_of_a_financial_sector_are_financial_dependencies(computed):
    io = table()
    io.rename_sectors({"other": "Financial intermediation"})
    deps = dp.from_mrio(io).dependencies
    financial = deps["provider"].str.endswith(":Financial intermediation")
    assert financial.any() and (deps.loc[financial, "dimension"] == "financial").all()
    assert (deps.loc[~financial, "dimension"] == "material").all()
    deps = dp.from_mrio(table(), financial_sectors=["trade"]).dependencies
    assert set(deps.loc[deps["dimension"] == "financial", "provider"].str.split(":").str[1]) == {"trade"}


@pytest.mark.parametrize("sector, financial", [
    ("Financial intermediation, except insurance and pension funding (65)", True),  # EXIOBASE
    ("Financial Intermediation and Business Activities", True),  # Eora26
    ("K64T66", True), ("D64T66", True), ("C65T67", True), ("K", True), ("K65", True),  # OECD ICIO, WIOD 2016
    ("Insurance and pension funding", True),
    ("C10T12", False), ("J", False), ("Kitchen appliances", False), ("Manufacture of food", False),
])
def test_financial_sectors_are_recognized_by_name(sector, financial):
    io = table()
    io.rename_sectors({"other": sector})
    deps = dp.from_mrio(io).dependencies
    on_it = deps["provider"].str.endswith(":" + sector)
    assert on_it.any()
    assert set(deps.loc[on_it, "dimension"]) == {"financial" if financial else "material"}


LOSSLESS = ["net.yaml", "net.yml", "net.json", "bundle", "net.graphml", "net.gexf"]


@pytest.mark.parametrize("name", [*LOSSLESS, "edges.csv"])
def test_round_trip_through_every_file_format_keeps_dependencies_and_strengths(tmp_path, computed, name):
    net = dp.from_mrio(table())
    dropped = dp.write(net, tmp_path / name)
    back = dp.read(tmp_path / name)
    assert_same(edges_of(back), {**expected_edges(computed.A, 0.01), **expected_final_demand(computed, 0.01, "direct")})
    columns = ["dependent", "provider", "dimension", "strength"]
    assert back.dependencies[columns].reset_index(drop=True).equals(net.dependencies[columns].reset_index(drop=True))
    if name in LOSSLESS:
        assert dropped == [] and back.equals(net)
    else:  # an edge list keeps the dependencies, not the actors' attributes (and says so)
        assert any("actor attributes" in item for item in dropped)


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_on_a_folder_that_pymrio_save_all_wrote(tmp_path, capsys):
    table().save_all(tmp_path / "saved")
    oracle = pymrio.load_all(tmp_path / "saved").calc_all()  # the values as written (12 significant digits)
    code, _, err = run(capsys, "import", "mrio", tmp_path / "saved", "--format", "pymrio", "-o", tmp_path / "net.yaml")
    assert code == 0, err
    net = dp.read(tmp_path / "net.yaml")
    assert_same(edges_of(net, "sector"), expected_edges(oracle.A, 0.01))
    assert f"{net.n_actors} actors, {len(net.dependencies)} dependencies" in err
    code, _, err = run(capsys, "import", "mrio", tmp_path / "saved", "--format", "pymrio", "--measure", "total",
                       "--threshold", "0.05", "--no-final-demand", "-o", tmp_path / "bundle")
    assert code == 0, err
    net = dp.read(tmp_path / "bundle")
    assert net.n_actors == 48
    assert_same(edges_of(net), expected_edges(oracle.L, 0.05))


def test_cli_reads_parquet_tables(tmp_path, capsys, computed):
    table().save_all(tmp_path / "saved", table_format="parquet")
    code, _, err = run(capsys, "import", "mrio", tmp_path / "saved", "--format", "pymrio", "-o", tmp_path / "n.json")
    assert code == 0, err
    assert_same(edges_of(dp.read(tmp_path / "n.json"), "sector"), expected_edges(computed.A, 0.01))


def _negative(io):
    io.Z.loc[("reg2", "mining"), ("reg3", "trade")] = -5.0


def _not_finite(io):
    io.Z.loc[("reg2", "mining"), ("reg3", "trade")] = np.inf


def _column_missing(io):
    io.Z = io.Z.drop(columns=[("reg4", "food")])


def _row_missing_in_y(io):
    io.Y = io.Y.drop(index=[("reg5", "transport")])


def _negative_household_demand(io):
    io.Y.loc[("reg1", "food"), ("reg6", HOUSEHOLDS)] = -1.0


BAD_TABLES = {
    "negative flow": (_negative, "Z, row reg2:mining, column reg3:trade", "negative"),
    "non-finite flow": (_not_finite, "Z, row reg2:mining, column reg3:trade", "non-finite"),
    "rows and columns do not match": (_column_missing, "Z", "'reg4:food' is a row but not a column"),
    "final demand rows do not match": (_row_missing_in_y, "Y", "'reg5:transport' is missing from Y"),
    "negative household demand": (_negative_household_demand, "Y, row reg1:food, column reg6:" + HOUSEHOLDS,
                                   "negative"),
}


@pytest.mark.parametrize("case", BAD_TABLES)
def test_bad_tables_are_refused_naming_the_matrix_row_and_sector(case):
    spoil, where, words = BAD_TABLES[case]
    io = table()
    spoil(io)
    with pytest.raises(InputError) as caught:
        dp.from_mrio(io)
    assert caught.value.where == where and words in caught.value.message


@pytest.mark.parametrize("case", ["negative flow", "non-finite flow", "rows and columns do not match"])
def test_cli_exits_2_naming_the_file_and_writes_nothing(tmp_path, capsys, case):
    spoil, where, words = BAD_TABLES[case]
    io = table()
    spoil(io)
    io.save_all(tmp_path / "bad")
    code, out, err = run(capsys, "import", "mrio", tmp_path / "bad", "--format", "pymrio", "-o", tmp_path / "n.yaml")
    assert code == 2 and out == ""
    assert err.startswith(f"error: {tmp_path / 'bad'}, {where}: ") and words in err and len(err.splitlines()) == 1
    assert "Traceback" not in err and not (tmp_path / "n.yaml").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["bad"]


def test_a_table_given_as_coefficients_and_one_that_is_not_productive(computed):
    a = computed.A.copy()
    given = pymrio.IOSystem(A=a.copy(), Y=computed.Y.copy())
    net = dp.from_mrio(given, measure="total", final_demand=False)
    assert_same(edges_of(net), expected_edges(computed.L, 0.01))
    # food and trade of reg1 each need 2 units of the other per unit: (I - A)^-1 is no longer non-negative
    a.loc[("reg1", "trade"), ("reg1", "food")] = a.loc[("reg1", "food"), ("reg1", "trade")] = 2.0
    with pytest.raises(InputError, match="not productive|singular"):
        dp.from_mrio(pymrio.IOSystem(A=a, Y=computed.Y.copy()), measure="total")


@pytest.mark.parametrize("threshold", [0, -0.1, 1.5, float("nan")])
def test_a_threshold_outside_zero_one_is_refused(threshold, tmp_path, capsys):
    with pytest.raises(UsageError, match=r"threshold must be in \(0, 1\]"):
        dp.from_mrio(table(), threshold=threshold)
    table().save_all(tmp_path / "saved")
    code, _, err = run(capsys, "import", "mrio", tmp_path / "saved", "--format", "pymrio", "--threshold",
                       str(threshold), "-o", tmp_path / "n.yaml")
    assert code == 2 and "threshold must be in (0, 1]" in err and not (tmp_path / "n.yaml").exists()


def test_a_given_leontief_inverse_is_used_and_rounding_below_zero_taken_as_zero(computed):
    leontief = computed.L.copy()
    leontief.loc[("reg1", "food"), ("reg2", "food")] = -1e-12  # rounding of an exact 0
    net = dp.from_mrio(pymrio.IOSystem(Z=computed.Z.copy(), Y=computed.Y.copy(), L=leontief), measure="total",
                       final_demand=False)
    assert_same(edges_of(net), expected_edges(leontief.clip(lower=0), 0.01))
    leontief.loc[("reg1", "food"), ("reg2", "food")] = -0.1
    with pytest.raises(InputError) as caught:
        dp.from_mrio(pymrio.IOSystem(Z=computed.Z.copy(), Y=computed.Y.copy(), L=leontief), measure="total")
    assert caught.value.where == "L, row reg1:food, column reg2:food"


def test_threshold_one_is_allowed(computed):
    net = dp.from_mrio(table(), threshold=1.0, measure="total")
    assert net.n_actors == 60
    expected = {**expected_edges(computed.L, 1.0), **expected_final_demand(computed, 1.0, "total")}
    assert_same(edges_of(net), expected)
    assert len(expected) == 1  # government of reg3 needs more than 1 unit of reg3:other per unit it spends


def test_unknown_measure_and_format(tmp_path, capsys):
    with pytest.raises(UsageError, match="unknown measure 'leontief'"):
        dp.from_mrio(table(), measure="leontief")
    code, _, err = run(capsys, "import", "mrio", tmp_path, "--format", "gtap", "-o", tmp_path / "n.yaml")
    assert code == 2 and "'gtap' is not one of" in err and not (tmp_path / "n.yaml").exists()


@pytest.mark.parametrize("case", ["missing", "not a table", "no file list", "pickle", "bad output"])
def test_unreadable_inputs_exit_2_naming_the_path(tmp_path, capsys, case):
    path, fmt, output = tmp_path / "table", "pymrio", tmp_path / "n.yaml"
    if case == "not a table":
        path = tmp_path / "icio.csv"
        path.write_text("this,is\nnot,an ICIO table\n")
        fmt = "oecd"
    elif case == "no file list":
        path.mkdir()
    elif case == "pickle":
        table().save_all(path, table_format="pkl")
    elif case == "bad output":
        table().save_all(path)
        output = tmp_path / "n.xlsx"
    code, out, err = run(capsys, "import", "mrio", path, "--format", fmt, "-o", output)
    assert code == 2 and out == "" and len(err.splitlines()) == 1, err
    shown = output if case == "bad output" else path
    assert str(shown) in err and not output.exists()
    assert {"missing": "no such file", "not a table": "pymrio cannot read this as oecd", "no file list":
            "file_parameters.json", "pickle": "pickle", "bad output": "unsupported format"}[case] in err


def test_help_of_import_loads_no_heavy_library():
    code = ("import contextlib, io, json, sys\nfrom dependencia.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    main(['import', '--help']); main(['import', 'mrio', '--help'])\n"
            "print(json.dumps(sorted(m for m in ('pandas', 'numpy', 'pymrio') if m in sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout.splitlines()[-1]) == []
