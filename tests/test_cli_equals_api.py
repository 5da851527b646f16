"""Every command is the public API plus formatting: the CLI and the API give the same numbers.

For each command of the Typer app, the command runs (with ``--format json``
where it has it) on shipped examples and the public function runs with the
same arguments; the numbers must be equal. JSON keeps every digit of a float
(``repr`` round-trips), so the comparison is exact. The list of commands is read
from ``dependencia.cli.app``: a new command without a case here fails
:func:`test_every_command_has_a_case`.

What each function computes is checked against independent oracles in the
measure's own tests; this file checks that the command line adds nothing but
parsing and formatting (issue 15, item 3).
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

import dependencia as dp
from dependencia import cli
from dependencia.cli import main

EXAMPLES = Path(__file__).parents[1] / "examples"
EDGE_LIST = [str(EXAMPLES / "edges.csv"), "--actors", str(EXAMPLES / "actors.csv"),
             "--infrastructures", str(EXAMPLES / "infrastructures.csv")]

#: commands whose CLI-equals-API case lives with the helper that adds them (tests/test_experiment*.py,
#: tests/io/test_mrio*.py); a group name covers its sub-commands
COVERED_ELSEWHERE = {
    "experiment",  # batch experiments (issue 17): their own CLI tests compare with dp's experiment function
    "import",  # `import mrio` (issue 18): its own CLI tests compare with the reader it calls
    "explore",  # a server (issue 20): tests/explore/test_explore_cli.py serves and stops it, test_app.py compares with dp.whatif
}

#: command (as typed) -> the test functions below that cover it
CASES: dict[str, list[str]] = {
    "validate": ["test_validate"],
    "power": ["test_power_by_actor", "test_power_by_node", "test_power_multiplex", "test_power_on_an_edge_list",
              "test_power_with_an_ownership_register"],
    "convert": ["test_convert"],
    "explain": ["test_explain"],
    "whatif": ["test_whatif"],
    "chokepoints": ["test_chokepoints"],
    "concentration": ["test_concentration"],
    "measures": ["test_measures", "test_measures_compare"],
    "shock": ["test_shock", "test_systemic_impact"],
    "rents": ["test_rents"],
    "improve": ["test_improve"],
    "simulate": ["test_simulate"],
    "resume": ["test_resume"],
    "sweep": ["test_sweep"],
    "query": ["test_query"],
    "plot": ["test_plot"],
    "report": ["test_report"],
    "scenarios list": ["test_scenarios_list"],
    "scenarios show": ["test_scenarios_show"],
    "scenarios copy": ["test_scenarios_copy"],
}


def _commands(app, prefix: str = ""):
    for command in app.registered_commands:
        yield prefix + (command.name or command.callback.__name__.replace("_", "-"))
    for group in app.registered_groups:
        yield from _commands(group.typer_instance, prefix + group.name + " ")


def test_every_command_has_a_case():
    commands = {name for name in _commands(cli.app) if name.split()[0] not in COVERED_ELSEWHERE}
    assert commands == set(CASES), "add a case for the new command (or say where it is covered)"
    defined = {name for name, value in globals().items() if name.startswith("test_") and callable(value)}
    assert {case for cases in CASES.values() for case in cases} <= defined


def test_every_option_named_like_an_argument_has_its_default():
    """The command's defaults are the function's: --seed 0, --top 10 of explain, --links 1, --paths routed, ..."""
    import inspect

    from dependencia.cli import analysis, economics, improve, measures, network, shock
    from dependencia.measures.betweenness import node_table

    pairs = [(network.power, dp.power), (network.power, node_table), (analysis.explain, dp.explain),
             (analysis.whatif, dp.whatif), (analysis.chokepoints, dp.chokepoints),
             (analysis.concentration, dp.concentration), (measures.measures, dp.measures), (shock.shock, dp.shock),
             (economics.rents, dp.rents), (improve.improve, dp.improve)]
    checked = 0
    for command, function in pairs:
        options = inspect.signature(command).parameters
        for name, parameter in inspect.signature(function).parameters.items():
            # --exact is a flag: without it the command passes exact=None (by cost), the function's default
            if name in options and name != "exact" and parameter.default is not inspect.Parameter.empty:
                shown = getattr(options[name].default, "value", options[name].default)
                if shown is None and parameter.default == ():  # a repeatable option not given: nothing
                    shown = ()
                assert shown == parameter.default, (command.__name__, name)
                checked += 1
    assert checked >= 25


# ------------------------------------------------------------------ helpers
def run(capsys, *args: str) -> str:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def cli_json(capsys, *args: str) -> dict:
    return json.loads(run(capsys, *args, "--format", "json"))


def same(api_value, cli_value) -> bool:
    """A JSON value says exactly what the API's value says (None is NaN or None; lists element by element)."""
    if hasattr(api_value, "item") and not isinstance(api_value, (list, tuple)):
        api_value = api_value.item()
    if cli_value is None:
        return api_value is None or (isinstance(api_value, float) and math.isnan(api_value))
    if isinstance(cli_value, list):
        return len(list(api_value)) == len(cli_value) and all(same(a, c) for a, c in zip(api_value, cli_value))
    if isinstance(cli_value, float) or isinstance(api_value, float):
        return float(api_value) == float(cli_value)
    return api_value == cli_value


def assert_rows(rows: list[dict], frame: pd.DataFrame, *, complete: bool = True) -> None:
    """Every JSON row equals the API frame's row of the same id, in every column the frame has."""
    assert rows, "no rows to compare"
    if complete:
        assert sorted(r["id"] for r in rows) == sorted(str(i) for i in frame.index)
    for row in rows:
        for column in frame.columns:
            assert column in row, column
            assert same(frame.at[row["id"], column], row[column]), (row["id"], column, row[column])


def assert_records(records: list[dict], frame: pd.DataFrame) -> None:
    """JSON records (no id) equal the frame's rows, in order."""
    assert len(records) == len(frame)
    for record, (_, row) in zip(records, frame.iterrows()):
        for column in frame.columns:
            assert same(row[column], record[column]), (column, record[column], row[column])


@pytest.fixture(scope="module")
def ai_stack():
    return dp.examples.load("ai-stack")


@pytest.fixture(scope="module")
def florentine():
    return dp.examples.load("florentine")


# ------------------------------------------------------------------ one network
def test_validate(capsys, ai_stack):
    document = cli_json(capsys, "validate", "ai-stack")
    assert document["valid"] is True
    for key, value in ai_stack.summary().items():
        assert same(value, document[key]), key
    owners = ai_stack.infrastructures["owner"]
    assert document["infrastructure_owners"] == {i: (o if isinstance(o, str) else None) for i, o in owners.items()}
    report = dp.validate(ai_stack)
    assert {k: v for k, v in document.items() if k not in ("valid", "network")} == report.to_dict()
    assert document["ownerless_infrastructures"] == report.ownerless_infrastructures == [
        i for i, o in owners.items() if not isinstance(o, str)]


def test_validate_an_edge_list_with_an_ownerless_infrastructure(capsys, tmp_path):
    """The read warnings and the ownerless advice (with the command line's hint) are the API's."""
    edges = tmp_path / "edges.csv"
    edges.write_text("source,target,via,strenght\na,b,road,1\n", encoding="utf-8")
    document = cli_json(capsys, "validate", edges)
    with pytest.warns(dp.InputWarning) as caught:
        net = dp.read(edges)
    read_warnings = [str(w.message) for w in caught if isinstance(w.message, dp.InputWarning)]
    report = dp.validate(net, read_warnings=read_warnings, owner_hint=" (give its owner in an --infrastructures file)")
    assert {k: v for k, v in document.items() if k not in ("valid", "network")} == report.to_dict()
    assert report.ownerless_infrastructures == ["road"] and len(report.warnings) == 2
    assert report.free_attributes == {"dependencies": ["strenght"]}


@pytest.mark.parametrize("name", ["ai-stack", "florentine"])
def test_power_by_actor(capsys, name):
    net = dp.examples.load(name)
    document = cli_json(capsys, "power", name, "--dimension", "compute" if name == "ai-stack" else "family")
    table = dp.power(net, dimensions="compute" if name == "ai-stack" else "family")
    assert list(document["rows"][0]) == ["id", "rank", *table.columns]  # the command adds only its ranking
    assert_rows(document["rows"], table)
    assert document["exact"] is table.attrs["exact"] is True
    assert document["n_actors"] == net.n_actors and document["n_nodes"] == len(net.node_ids)


@pytest.mark.parametrize("options", [[], ["--raw", "--undirected"], ["--endpoints", "--paths", "hub"]])
def test_power_by_node(capsys, ai_stack, options):
    from dependencia.measures.betweenness import node_table

    document = cli_json(capsys, "power", "ai-stack", "--by", "node", *options)
    api = dict(normalized="--raw" not in options, directed="--undirected" not in options,
               endpoints="--endpoints" in options, paths="hub" if "hub" in options else "routed")
    table = node_table(ai_stack, **api)
    assert list(document["rows"][0]) == ["id", "rank", *table.columns]
    assert_rows(document["rows"], table)
    # the betweenness column is dp.betweenness's, and the degrees count declared neighbours on the hub graph
    pd.testing.assert_series_equal(table["betweenness"], dp.betweenness(ai_stack, **api)["betweenness"])
    neighbours_in: dict[str, set] = {}
    neighbours_out: dict[str, set] = {}
    for dep in ai_stack.dependencies.itertuples():
        path = [dep.dependent, *dep.via, dep.provider]
        for u, v in zip(path, path[1:]):
            neighbours_out.setdefault(u, set()).add(v)
            neighbours_in.setdefault(v, set()).add(u)
    if not api["directed"]:
        for node in set(neighbours_in) | set(neighbours_out):
            both = neighbours_in.get(node, set()) | neighbours_out.get(node, set())
            neighbours_in[node] = neighbours_out[node] = both
    for node in table.index:
        assert table.at[node, "dependents"] == len(neighbours_in.get(node, ()))
        assert table.at[node, "dependencies"] == len(neighbours_out.get(node, ()))


def test_power_multiplex(capsys):
    document = cli_json(capsys, "power", "ai-stack", "--multiplex", "--switch-length", "0.5", "--burt")
    table = dp.multiplex_power(dp.examples.load("ai-stack"), switch_length=0.5, burt=True)
    assert list(document["rows"][0]) == ["id", "rank", *table.columns]
    assert_rows(document["rows"], table)
    assert document["multiplex"] is True and document["switch_length"] == 0.5


def test_power_on_an_edge_list(capsys):
    net = dp.read(EXAMPLES / "edges.csv", actors=EXAMPLES / "actors.csv",
                  infrastructures=EXAMPLES / "infrastructures.csv")
    document = cli_json(capsys, "power", *EDGE_LIST, "--length", "distance", "--epsilon", "0.2", "--seed", "3")
    table = dp.power(net, length="distance", epsilon=0.2, seed=3)
    assert_rows(document["rows"], table)
    assert (document["epsilon"], document["seed"]) == (table.attrs["epsilon"], table.attrs["seed"])


@pytest.mark.parametrize(("model", "threshold"), [("majority", None), ("linear", 0.35), ("threshold", 0.35)])
def test_power_with_an_ownership_register(capsys, tmp_path, model, threshold):
    register = tmp_path / "register.csv"
    register.write_text("owner,owned,share_pct\nbank,telecom,40\nbank,cloudco,30\ntelecom,cloudco,25\n")
    options = ["--ownership", str(register), "--control", model]
    options += [] if threshold is None else ["--control-threshold", str(threshold)]
    document = cli_json(capsys, "power", *EDGE_LIST, *options)
    net = dp.read(EXAMPLES / "edges.csv", actors=EXAMPLES / "actors.csv",
                  infrastructures=EXAMPLES / "infrastructures.csv", ownership=register)
    assert_rows(document["rows"], dp.power(net.with_control(model, threshold)))


def test_convert(tmp_path):
    net = dp.examples.load("platform")
    for suffix in (".yaml", ".graphml", ".csv"):
        assert main(["convert", "platform", str(tmp_path / f"cli{suffix}")]) == 0
        dp.write(net, tmp_path / f"api{suffix}")
        assert (tmp_path / f"cli{suffix}").read_bytes() == (tmp_path / f"api{suffix}").read_bytes()


def test_explain(capsys, ai_stack):
    document = cli_json(capsys, "explain", "ai-stack", "microsoft", "--top", "4", "--dimension", "compute",
                        "--dimension", "capital", "--switch-length", "2")
    why = dp.explain(ai_stack, "microsoft", top=4, dimensions=["compute", "capital"], switch_length=2.0)
    for field in ("actor", "power", "raw_power", "power_share", "authority_held", "authority_over_it"):
        assert same(getattr(why, field), document[field]), field
    assert_rows(document["by_node"], why.by_node)
    assert_records(document["top_pairs"], why.top_pairs)
    assert_rows(document["by_dimension"], why.by_dimension)
    assert document["zero_reason"] is None and why.zero_reason is None
    # an actor without power: the reason is the API's
    document = cli_json(capsys, "explain", "ai-stack", "nvidia")
    reason = dp.explain(ai_stack, "nvidia").zero_reason
    assert reason is not None and document["zero_reason"] == reason.to_dict()


def test_whatif(capsys, ai_stack):
    document = cli_json(capsys, "whatif", "ai-stack", "--remove", "azure", "--remove-dependency",
                        "openai:microsoft:capital", "--add-dependency", "mistral:nvidia:compute:aws")
    result = dp.whatif(ai_stack, remove=["azure"], remove_dependencies=[("openai", "microsoft", "capital")],
                       add_dependencies=[{"dependent": "mistral", "provider": "nvidia", "dimension": "compute",
                                          "via": ["aws"]}])
    assert_rows(document["rows"], result.actors)
    assert document["lost_dependencies"] == result.lost_dependencies
    assert_records(document["lost"], result.lost)
    assert document["mean_path_length_before"] == result.mean_path_length_before
    assert document["mean_path_length_after"] == result.mean_path_length_after


@pytest.mark.parametrize("options", [{}, {"sample": 8, "seed": 2, "candidates": 3}])
def test_chokepoints(capsys, ai_stack, options):
    flags = [item for key, value in options.items() for item in (f"--{key}", str(value))]
    document = cli_json(capsys, "chokepoints", "ai-stack", *flags)
    frame = dp.chokepoints(ai_stack, **options)
    assert [r["id"] for r in document["rows"]] == [str(i) for i in frame.index]  # the API's order, unranked
    assert_rows(document["rows"], frame)
    for key in ("pairs", "sampled", "epsilon", "delta"):
        assert same(frame.attrs[key], document[key]), key


def test_concentration(capsys, ai_stack):
    document = cli_json(capsys, "concentration", "ai-stack", "--undirected")
    frame = dp.concentration(ai_stack, directed=False)
    assert_rows(document["rows"], frame)


def test_measures(capsys, florentine):
    document = cli_json(capsys, "measures", "florentine", "--paths", "hub")
    frame = dp.measures(florentine, paths="hub")
    assert_rows(document["rows"], frame)
    for key in ("pagerank_alpha", "katz_alpha", "bonacich_beta", "spectral_radius"):
        assert document[key] == frame.attrs[key]


def test_measures_compare(capsys, ai_stack):
    from dependencia.measures.panel import compare, movers

    document = cli_json(capsys, "measures", "ai-stack", "--measure", "power", "--measure", "katz",
                        "--measure", "dependents", "--compare", "--top", "3")
    frame = dp.measures(ai_stack, measures=["power", "katz", "dependents"])
    assert_records(document["pairs"], compare(frame, top=3))
    assert_rows(document["movers"], movers(frame, top=3))


def test_shock(capsys, ai_stack):
    document = cli_json(capsys, "shock", "ai-stack", "--fail", "azure", "--fail", "nvidia", "--no-owner-impairs")
    frame = dp.shock(ai_stack, ["azure", "nvidia"], owner_impairs=False)
    impaired = frame[frame["impairment"] > 0]
    assert_rows(document["rows"], impaired[["round", "impairment"]])
    for key in ("failed", "impaired_share", "debtrank", "rounds"):
        assert same(frame.attrs[key], document[key]), key


def test_systemic_impact(capsys, ai_stack):
    document = cli_json(capsys, "shock", "ai-stack", "--dimension", "compute")
    frame = dp.systemic_impact(ai_stack, dimensions="compute")
    assert_rows(document["rows"], frame)


def test_rents(capsys, ai_stack):
    document = cli_json(capsys, "rents", "ai-stack", "--leaders", "2", "--rent-tax", "0.1", "--care-price", "2")
    result = dp.rents(ai_stack, economy=dp.Economy(leaders=2, rent_tax=0.1, care_shadow_price=2.0))
    assert_rows(document["rows"], result.actors)
    prices = result.prices
    assert len(document["prices"]) == len(prices)
    for shown, (_, row) in zip(document["prices"], prices.iterrows()):
        assert all(same(row[c], shown[c]) for c in prices.columns), shown
    assert document["totals"] == result.totals


def test_improve(capsys, florentine):
    document = cli_json(capsys, "improve", "florentine", "Pazzi", "--links", "2", "--strategy", "random",
                        "--seed", "4")
    assert document == dp.improve(florentine, "Pazzi", links=2, strategy="random", seed=4).to_dict()


# ------------------------------------------------------------------ runs
def _tables(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in ("steps.parquet", "actors.parquet", "events.parquet")}


@pytest.fixture(scope="module")
def api_run(tmp_path_factory) -> Path:
    """ai-stack, 2 steps, seed 5, one parameter set: the Python API's run folder."""
    from dependencia.simulation.scenario import load_scenario

    network, config = load_scenario("ai-stack")
    config = config.with_overrides(["public_revenue=3", "seed=5"])
    folder = tmp_path_factory.mktemp("api") / "run"
    dp.Simulation(network, config, scenario="ai-stack").run(2, out=folder)
    return folder


def test_simulate(tmp_path, api_run):
    folder = tmp_path / "run"
    assert main(["simulate", "ai-stack", "--steps", "2", "--seed", "5", "--set", "public_revenue=3",
                 "--out", str(folder), "--quiet"]) == 0
    assert _tables(folder) == _tables(api_run)


def test_resume(tmp_path, api_run):
    from dependencia.simulation.scenario import load_scenario

    class Stop(Exception):
        pass

    def stop_after_first_step(done: int, total: int) -> None:
        if done == 1:
            raise Stop

    network, config = load_scenario("ai-stack")
    config = config.with_overrides(["public_revenue=3", "seed=5", "checkpoint_every=1"])
    unfinished = tmp_path / "unfinished"
    with pytest.raises(Stop):
        dp.Simulation(network, config, scenario="ai-stack").run(2, out=unfinished, progress=stop_after_first_step)
    assert not (unfinished / "steps.parquet").exists()
    copy = tmp_path / "copy"
    shutil.copytree(unfinished, copy)
    assert main(["resume", str(unfinished), "--quiet"]) == 0
    dp.resume(copy)
    assert _tables(unfinished) == _tables(copy)
    assert _tables(copy) == _tables(api_run)  # and both equal the run that was never interrupted


def test_sweep(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text("scenario: ai-stack\nsteps: 1\nseeds: [1]\ndesign: grid\n"
                    "vary: {public_revenue: [2, 4]}\noutcomes: [hhi, top5_share]\n", encoding="utf-8")
    assert main(["sweep", str(spec), "--out", str(tmp_path / "cli"), "--workers", "1", "--quiet"]) == 0
    dp.sweep(spec, out=tmp_path / "api", workers=1)
    for name in ("runs.parquet", "summary.parquet"):
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "cli" / name), pd.read_parquet(tmp_path / "api" / name))
    for run_folder in sorted((tmp_path / "api" / "runs").iterdir()):
        assert _tables(tmp_path / "cli" / "runs" / run_folder.name) == _tables(run_folder)


def test_query(capsys, api_run):
    from dependencia.batch.query import query

    sql = "SELECT step, actor, power, power_share FROM actors WHERE dimension = '*' ORDER BY step, actor"
    document = cli_json(capsys, "query", api_run, sql)
    frame = query(api_run, sql)
    assert document["columns"] == list(frame.columns)
    assert_records(document["rows"], frame)


def test_plot(tmp_path, api_run):
    from dependencia.report.figure_style import save_figure

    for kind in ("concentration", "lorenz"):
        assert main(["plot", str(api_run), "--kind", kind, "-o", str(tmp_path / f"cli-{kind}.svg")]) == 0
        save_figure(dp.plot(api_run, kind=kind), tmp_path / f"api-{kind}.svg")
        assert (tmp_path / f"cli-{kind}.svg").read_bytes() == (tmp_path / f"api-{kind}.svg").read_bytes()


def test_report(tmp_path):
    assert main(["report", "florentine", "-o", str(tmp_path / "cli.html"), "--seed", "2", "--workers", "2",
                 "--quiet"]) == 0
    page = dp.report(dp.examples.load("florentine"), labels=["florentine"], seed=2, workers=2)
    assert (tmp_path / "cli.html").read_text(encoding="utf-8") == page.html


# ------------------------------------------------------------------ scenarios
def test_scenarios_list(capsys):
    from dependencia.simulation.scenario import has_simulation_section, load_scenario, scenario_names, scenario_path

    listed = cli_json(capsys, "scenarios", "list")["scenarios"]
    assert [s["name"] for s in listed] == scenario_names()
    for entry in listed:
        assert entry["file"] == str(scenario_path(entry["name"]))
        simulated = has_simulation_section(entry["name"])
        assert entry["kind"] == ("simulated" if simulated else "static")
        assert entry["steps"] == (load_scenario(entry["name"])[1].steps if simulated else None)
    assert listed == dp.scenarios().to_dict(orient="records")
    narratives = [entry["narrative"] for entry in listed]
    assert narratives == [str(scenario_path(n).with_suffix(".md")) if scenario_path(n).with_suffix(".md").is_file()
                          else None for n in scenario_names()]


def test_scenarios_show(capsys):
    from dependencia.simulation.scenario import scenario_path

    assert run(capsys, "scenarios", "show", "care") == scenario_path("care").with_suffix(".md").read_text(
        encoding="utf-8")


def test_scenarios_copy(tmp_path):
    from dependencia.simulation.scenario import scenario_path

    assert main(["scenarios", "copy", "platform", str(tmp_path / "copy")]) == 0
    for suffix in (".yaml", ".md"):
        assert (tmp_path / "copy" / f"platform{suffix}").read_bytes() == scenario_path("platform").with_suffix(
            suffix).read_bytes()
