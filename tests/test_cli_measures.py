"""The ``measures`` command (dependencia.cli.measures), on a Typer app built here.

The command is not registered in the package's app by its own module; the tests register it on
an app of their own and run it with Typer's CliRunner. The oracle of every value is the Python
API (:func:`dependencia.measures.panel.measures`, ``compare``, ``movers``), whose own tests check
the measures; here: that the command passes the options through, that CSV says what JSON says
(the same header as the JSON keys, the same values: tests/test_cli_csv_headers.py's rule), and
that an unknown measure or paths value exits with code 2 and one message.
"""

from __future__ import annotations

import csv
import io
import json
import math

import pytest
import typer
from typer.testing import CliRunner

import dependencia as dp
from dependencia.cli.measures import measures as measures_command
from dependencia.measures.panel import REGISTRY, compare, measures, movers


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)

    @app.callback()
    def _root() -> None:
        """A root, so that the command keeps its name as in the package's app."""

    app.command()(measures_command)
    return app


def run(app, *args: str, code: int = 0):
    result = CliRunner().invoke(app, ["measures", *args])
    assert result.exit_code == code, (result.output, result.exception)
    return result


def csv_tables(text: str) -> list[list[list[str]]]:
    return [list(csv.reader(io.StringIO(part.strip("\n")))) for part in text.split("\n\n") if part.strip()]


def same(cell: str, value) -> bool:
    if value is None:
        return cell == ""
    if isinstance(value, bool):
        return cell == str(value)
    if isinstance(value, (int, float)):
        return float(cell) == float(value)
    return cell == str(value)


def assert_csv_says_what_json_says(table: list[list[str]], rows: list[dict]) -> None:
    assert table[0] == list(rows[0])
    assert len(table) - 1 == len(rows)
    for cells, row in zip(table[1:], rows):
        assert all(same(cell, row[name]) for name, cell in zip(table[0], cells)), (cells, row)


def close(value, expected) -> bool:
    if expected is None or (isinstance(expected, float) and math.isnan(expected)):
        return value is None
    return value == pytest.approx(expected, rel=1e-12, abs=1e-15)


# --------------------------------------------------------------------------- the panel
def test_json_rows_are_the_panel(app):
    document = json.loads(run(app, "ai-stack", "--format", "json").stdout)
    frame = measures(dp.examples.load("ai-stack"))
    assert document["measures"] == list(REGISTRY) and document["paths"] == "routed"
    assert document["n_actors"] == len(frame) == len(document["rows"])
    assert document["katz_alpha"] == frame.attrs["katz_alpha"]
    assert document["bonacich_beta"] == frame.attrs["bonacich_beta"]
    for row in document["rows"]:
        assert list(row) == ["id", *REGISTRY]
        for name in REGISTRY:
            assert close(row[name], frame.loc[row["id"], name]), (row["id"], name)
    # sorted by the first measure, descending, ties by id
    keys = [(-row["power"], row["id"]) for row in document["rows"]]
    assert keys == sorted(keys)


def test_options_pass_through(app):
    args = ["florentine", "--measure", "katz", "--measure", "power", "--paths", "hub", "--undirected",
            "--top", "3", "--format", "json"]
    document = json.loads(run(app, *args).stdout)
    frame = measures(dp.examples.load("florentine"), measures=["katz", "power"], paths="hub", directed=False)
    assert document["measures"] == ["katz", "power"] and document["paths"] == "hub" and document["directed"] is False
    assert [row["id"] for row in document["rows"]] == frame["katz"].sort_values(ascending=False).index[:3].tolist()
    assert [list(row) for row in document["rows"]] == [["id", "katz", "power"]] * 3


def test_dimension_option(app):
    net = dp.examples.load("ai-stack")
    dimension = list(net.dimensions.index)[0]
    document = json.loads(run(app, "ai-stack", "--measure", "traffic", "--dimension", dimension,
                              "--format", "json").stdout)
    frame = measures(net, measures="traffic", dimensions=dimension)
    assert document["dimensions"] == [dimension]
    assert {r["id"]: r["traffic"] for r in document["rows"]} == pytest.approx(frame["traffic"].to_dict())


@pytest.mark.parametrize("network", ["ai-stack", "florentine"])
def test_csv_header_and_values_equal_the_json_rows(app, network):
    args = [network, "--measure", "power", "--measure", "asymmetry", "--measure", "bonacich"]
    document = json.loads(run(app, *args, "--format", "json").stdout)
    (table,) = csv_tables(run(app, *args, "--format", "csv").stdout)
    assert_csv_says_what_json_says(table, document["rows"])


def test_table_and_output_file(app, tmp_path):
    out = run(app, "ai-stack", "--measure", "pagerank", "--measure", "katz").stdout
    assert "measures of power" in out and "microsoft" in out and "Katz alpha" in out
    target = tmp_path / "panel.csv"
    assert run(app, "ai-stack", "--measure", "katz", "--format", "csv", "--output", str(target)).stdout == ""
    assert target.read_text().splitlines()[0] == "id,katz"


# --------------------------------------------------------------------------- --compare
def test_compare_json_is_the_pairwise_table_and_the_movers(app):
    args = ["ai-stack", "--measure", "power", "--measure", "dominance", "--measure", "katz", "--compare",
            "--top", "3", "--format", "json"]
    document = json.loads(run(app, *args).stdout)
    frame = measures(dp.examples.load("ai-stack"), measures=["power", "dominance", "katz"])
    pairs, moved = compare(frame, top=3), movers(frame, top=3)
    assert document["top"] == 3
    rows = {row["id"]: row for row in document["rows"]}  # the panel itself beside the comparison (ARCHITECTURE)
    assert sorted(rows) == sorted(frame.index)
    assert all(close(rows[a][m], frame.at[a, m]) for a in frame.index for m in ("power", "dominance", "katz"))
    assert [list(row) for row in document["pairs"]] == [["measure_a", "measure_b", "kendall_tau", "top_overlap"]] * 3
    for row, expected in zip(document["pairs"], pairs.to_dict(orient="records")):
        assert row["measure_a"] == expected["measure_a"] and row["measure_b"] == expected["measure_b"]
        assert close(row["kendall_tau"], expected["kendall_tau"])
        assert close(row["top_overlap"], expected["top_overlap"])
    assert [row["id"] for row in document["movers"]] == moved.index.tolist()
    assert [row["id"] for row in document["movers"] if row["mover"]] == moved.index[moved["mover"]].tolist()
    assert [row["rank_spread"] for row in document["movers"]] == moved["rank_spread"].tolist()


def test_compare_csv_says_what_json_says(app):
    args = ["florentine", "--measure", "power", "--measure", "asymmetry", "--measure", "pagerank", "--compare"]
    document = json.loads(run(app, *args, "--format", "json").stdout)
    pairs, moved = csv_tables(run(app, *args, "--format", "csv").stdout)
    assert document["top"] == 5
    assert_csv_says_what_json_says(pairs, document["pairs"])  # asymmetry is 0 for all: tau empty / null
    assert any(row["kendall_tau"] is None for row in document["pairs"])
    assert_csv_says_what_json_says(moved, document["movers"])


def test_compare_table(app):
    out = run(app, "ai-stack", "--measure", "power", "--measure", "katz", "--compare", "--top", "2").stdout
    assert "how far the rankings agree (top 2)" in out and "whose rank moves most" in out
    assert "kendall tau" in out and "top k overlap" in out


# --------------------------------------------------------------------------- usage errors and --list
def test_unknown_measure_exits_2_with_one_message(app):
    result = run(app, "florentine", "--measure", "power", "--measure", "rank", code=2)
    assert result.stdout == ""
    assert result.stderr.count("Error") == 1 and "'rank'" in result.stderr
    assert "power_hub" in result.stderr and "impact" in result.stderr


def test_unknown_paths_exits_2_with_one_message(app):
    result = run(app, "florentine", "--paths", "shortest", code=2)
    assert result.stdout == ""
    assert result.stderr.count("Error") == 1 and "'shortest'" in result.stderr and "routed" in result.stderr


def test_list_names_every_measure_without_a_network(app):
    lines = run(app, "--list").stdout.splitlines()
    assert [line.split()[0] for line in lines] == list(REGISTRY)
    for line, measure in zip(lines, REGISTRY.values()):
        assert measure.description in line and measure.reference in line
