"""The argument conventions of docs/api.md, checked on every public function.

The table below is the one in docs/api.md: each argument's accepted annotations
and default. The signature test walks ``dp.__all__`` (and the public methods of
its classes) so that a new function with ``seed=None``, ``workers`` without
``scheduler``, or ``path=`` for an output fails here; the behaviour tests call
every function that takes ``dimensions`` with a string.
"""

from __future__ import annotations

import dataclasses
import inspect
import random
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dependencia as dp

REQUIRED = inspect.Parameter.empty

#: argument -> (accepted annotations, default); docs/api.md, "Argument conventions"
CONVENTIONS: dict[str, tuple[set[str], object]] = {
    "dimensions": ({"str | Sequence[str] | None"}, None),
    "seed": ({"int"}, 0),
    "length": ({"str | None"}, None),
    "directed": ({"bool"}, True),
    "workers": ({"int | None"}, None),
    "scheduler": ({"str | None"}, None),
    "out": ({"str | Path | None", "str | Path"}, {None, REQUIRED}),
    "paths": ({"str | None"}, "routed"),
    "exact": ({"bool | None"}, None),
}

#: classes whose parameters are fields, not arguments of a computation
NOT_CALLS = {"CompiledGraph", "Network", "Economy", "Report"}


def _public_callables():
    for name in dp.__all__:
        obj = getattr(dp, name)
        if inspect.isfunction(obj):
            yield name, obj
        elif inspect.isclass(obj) and name not in NOT_CALLS:
            for attr, member in vars(obj).items():
                if inspect.isfunction(member) and (not attr.startswith("_") or attr == "__init__"):
                    yield f"{name}.{attr}", member


PUBLIC = dict(_public_callables())
#: the names docs/api.md uses (a class for its __init__)
PUBLIC_NAMES = {name.removesuffix('.__init__'): name for name in PUBLIC}


def test_the_walk_finds_the_functions_of_the_table():
    assert {"power", "betweenness", "reach", "report", "sweep", "Simulation.run", "SimulationConfig.__init__"} <= set(PUBLIC)


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_signature_follows_the_conventions(name):
    parameters = inspect.signature(PUBLIC[name]).parameters
    for argument, (accepted, default) in CONVENTIONS.items():
        if argument not in parameters:
            continue
        parameter = parameters[argument]
        annotation = parameter.annotation if isinstance(parameter.annotation, str) else inspect.formatannotation(
            parameter.annotation)
        assert annotation in accepted, f"{name}({argument}: {annotation}); docs/api.md says {accepted}"
        allowed = default if isinstance(default, set) else {default}
        assert parameter.default in allowed, f"{name}({argument}={parameter.default!r}); docs/api.md says {default!r}"
    if "workers" in parameters:
        assert "scheduler" in parameters, f"{name} takes workers but not scheduler"
    # a reader (read, read_ownership) takes its input as path; write(network, path) names its target
    # positionally (docs/api.md)
    assert "path" not in parameters or name == "write" or name.startswith("read"), (
        f"{name} writes to path=; the convention is out=")


# ------------------------------------------------------------------ dimensions
@pytest.fixture(scope="module")
def ai_stack():
    return dp.examples.load("ai-stack")


#: every public function that takes ``dimensions``, called with everything but it
CALLS = {
    "betweenness": lambda net, **kw: dp.betweenness(net, **kw),
    "power": lambda net, **kw: dp.power(net, **kw),
    "reach": lambda net, **kw: dp.reach(net, **kw),
    "structural_holes": lambda net, **kw: dp.structural_holes(net, **kw),
    "chokepoints": lambda net, **kw: dp.chokepoints(net, **kw),
    "concentration": lambda net, **kw: dp.concentration(net, **kw),
    "explain": lambda net, **kw: dp.explain(net, "nvidia", **kw),
    "whatif": lambda net, **kw: dp.whatif(net, remove=["azure"], **kw),
    "improve": lambda net, **kw: dp.improve(net, "mistral", **kw),
    "multiplex_power": lambda net, **kw: dp.multiplex_power(net, **kw),
    "rents": lambda net, **kw: dp.rents(net, **kw),
    "compile_graph": lambda net, **kw: dp.compile_graph(net, **kw),
    "dominance": lambda net, **kw: dp.dominance(net, **kw),
    "measures": lambda net, **kw: dp.measures(net, **kw),
    "pagerank": lambda net, **kw: dp.pagerank(net, **kw),
    "katz": lambda net, **kw: dp.katz(net, **kw),
    "bonacich": lambda net, **kw: dp.bonacich(net, **kw),
    "traffic_share": lambda net, **kw: dp.traffic_share(net, **kw),
    "shock": lambda net, **kw: dp.shock(net, ["azure"], **kw),
    "systemic_impact": lambda net, **kw: dp.systemic_impact(net, **kw),
}


#: functions that take ``dimensions`` but not ``paths``: Burt's measures and DebtRank do not follow paths
#: (docs/model.md#graphs, docs/model.md#shock-propagation)
WITHOUT_PATHS = {"structural_holes", "shock", "systemic_impact", "traffic_share"}


def test_every_function_that_measures_paths_takes_paths():
    taking = {name for name, f in PUBLIC.items() if "dimensions" in inspect.signature(f).parameters}
    taking -= {"Network.__init__"} | WITHOUT_PATHS
    lacking = sorted(name for name in taking if "paths" not in inspect.signature(PUBLIC[name]).parameters)
    assert not lacking, f"add paths= (docs/api.md) to {lacking}"


@pytest.mark.parametrize("name", sorted(set(CALLS) - WITHOUT_PATHS))
def test_an_unknown_paths_value_is_refused(name, ai_stack):
    with pytest.raises(dp.UsageError, match="paths must be one of routed, hub, got 'both'"):
        CALLS[name](ai_stack, paths="both")


def test_every_function_with_dimensions_is_called_here():
    taking = {name for name, f in PUBLIC.items() if "dimensions" in inspect.signature(f).parameters}
    taking -= {"Network.__init__"}
    assert taking == set(CALLS), "add the new function to CALLS"


def _same(a, b) -> None:
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b)
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b)
    elif isinstance(a, dp.CompiledGraph):
        assert a.dimensions == b.dimensions
        np.testing.assert_array_equal(a.source, b.source)
        np.testing.assert_array_equal(a.target, b.target)
    elif dataclasses.is_dataclass(a):
        for field in dataclasses.fields(a):
            _same(getattr(a, field.name), getattr(b, field.name))
    elif isinstance(a, dict):
        assert a.keys() == b.keys()
        for key in a:
            _same(a[key], b[key])
    elif isinstance(a, np.ndarray):
        np.testing.assert_array_equal(a, b)
    elif isinstance(a, float) and np.isnan(a):
        assert np.isnan(b)
    else:
        assert a == b


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_dimension_string_is_one_dimension(ai_stack, name):
    call = CALLS[name]
    _same(call(ai_stack, dimensions="compute"), call(ai_stack, dimensions=["compute"]))


@pytest.mark.parametrize("name", sorted(CALLS))
def test_dimensions_of_another_type_are_refused_naming_the_argument(ai_stack, name):
    with pytest.raises(dp.UsageError, match="dimensions"):
        CALLS[name](ai_stack, dimensions=5)
    with pytest.raises(dp.UsageError, match="dimensions"):
        CALLS[name](ai_stack, dimensions=["compute", 5])


def test_nvidia_has_six_direct_dependents_on_compute(ai_stack):
    deps = ai_stack.dependencies
    # the records: who declares a compute dependency on nvidia (routed or not)
    expected = deps.loc[(deps["provider"] == "nvidia") & (deps["dimension"] == "compute"), "dependent"].nunique()
    assert expected == 6
    assert dp.reach(ai_stack, dimensions="compute").loc["nvidia", "direct_dependents"] == expected
    assert dp.reach(ai_stack, dimensions=["compute"]).loc["nvidia", "direct_dependents"] == expected


# ------------------------------------------------------------------ seed
@pytest.mark.parametrize("seed", [None, 1.5, "3", True])
def test_a_seed_that_is_not_an_int_is_refused(ai_stack, seed):
    with pytest.raises(dp.UsageError, match="seed"):
        dp.power(ai_stack, epsilon=0.5, seed=seed)
    with pytest.raises(dp.UsageError, match="seed"):
        dp.betweenness(ai_stack, epsilon=0.5, seed=seed)


SEEDED = {
    "power": lambda net: dp.power(net, epsilon=0.5, seed=3),
    "chokepoints": lambda net: dp.chokepoints(net, sample=5, seed=3),
}


@pytest.mark.parametrize("name", sorted(SEEDED))
def test_seeded_functions_leave_the_global_random_state_alone(ai_stack, name):
    # betweenness, improve and report have their own such tests
    random.seed(11)
    np.random.seed(11)
    python_state, numpy_state = random.getstate(), np.random.get_state()[1].copy()
    first = SEEDED[name](ai_stack)
    assert random.getstate() == python_state
    assert (np.random.get_state()[1] == numpy_state).all()
    _same(first, SEEDED[name](ai_stack))


# ------------------------------------------------------------------ workers and scheduler
#: every public function that takes workers (and so scheduler), called on a small network; sweep and experiment
#: run whole simulations and are checked in their own tests (tests/simulation/test_sweep.py, tests/batch/)
PARALLEL = {name: CALLS[name] for name in CALLS if "workers" in inspect.signature(getattr(dp, name)).parameters}
PARALLEL["report"] = lambda net, **kw: dp.report(net, **kw)  # takes no dimensions: not in CALLS
PARALLEL["Simulation.__init__"] = lambda net, **kw: dp.Simulation(net, {"steps": 2}, **kw).run().actors  # its measure phase


class _Stop(Exception):
    pass


def _stop_after_the_first_step(done: int, total: int) -> None:
    if done == 1:
        raise _Stop


def _resumed(net: dp.Network, **kw) -> pd.DataFrame:
    # a three-step run stopped after its first step, then resumed: the resumed steps measure with the workers given
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        with pytest.raises(_Stop):
            dp.Simulation(net, {"steps": 3, "checkpoint_every": 1}).run(out=f"{folder}/run",
                                                                        progress=_stop_after_the_first_step)
        return dp.resume(f"{folder}/run", **kw).actors


PARALLEL["resume"] = _resumed
RUNS = {"sweep", "experiment"}
SPY = "tcp://spy.invalid:8786"


def test_every_function_with_workers_is_called_here():
    taking = {name for name, f in PUBLIC.items() if "workers" in inspect.signature(f).parameters}
    assert taking - RUNS == set(PARALLEL)


@pytest.mark.parametrize("name", sorted(PARALLEL))
def test_workers_and_scheduler_are_passed_on_to_the_executor(ai_stack, name, monkeypatch):
    # the executor records what it was given and runs in-process instead of on the cluster, so the call
    # completes; the function must hand both on to each executor it starts, and give the same values
    from dependencia.base.executor import Executor

    given: list[tuple[int | None, str | None]] = []
    original = Executor.__init__

    def spy(self, workers=None, *, scheduler=None, progress=None):
        given.append((workers, scheduler))
        original(self, 1 if scheduler == SPY else workers, scheduler=None if scheduler == SPY else scheduler,
                 progress=progress)

    monkeypatch.setattr(Executor, "__init__", spy)
    result = PARALLEL[name](ai_stack, workers=2, scheduler=SPY)
    assert (2, SPY) in given, f"{name} started no executor with the workers and scheduler it was given"
    monkeypatch.setattr(Executor, "__init__", original)
    _same(result, PARALLEL[name](ai_stack, workers=1))


# ------------------------------------------------------------------ docs
def test_the_table_in_docs_api_md_names_every_convention():
    text = (Path(__file__).parents[1] / "docs" / "api.md").read_text(encoding="utf-8")
    for argument in CONVENTIONS:
        assert f"| `{argument}`" in text


def test_the_table_lists_exactly_the_functions_that_take_each_argument():
    text = (Path(__file__).parents[1] / "docs" / "api.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip().strip("`"): line.rsplit("|", 2)[1] for line in text.splitlines()
            if line.startswith("| `")}
    for argument in CONVENTIONS:
        listed = set(re.findall(r"`([A-Za-z_.]+)`", rows[argument])) & set(PUBLIC_NAMES)
        taking = {name for name, f in PUBLIC.items() if argument in inspect.signature(f).parameters}
        assert {PUBLIC_NAMES[n] for n in listed} == taking, argument
