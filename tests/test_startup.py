"""Fast start (issue 21): lazy imports and the Numba cache. No timings here (benchmarks/bench_startup.py has them).

``import dependencia`` and ``dependencia --help`` must not import the heavy
libraries; each check runs in a fresh interpreter, since this test process
has long imported them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("pandas", "networkx", "numba", "igraph", "networkit", "plotly", "matplotlib", "dask", "duckdb")
LOADED = f"sorted(m for m in {HEAVY!r} if m in sys.modules)"
COMMANDS = ("validate", "power", "convert", "explain", "whatif", "chokepoints", "concentration", "rents", "improve",
            "simulate", "resume", "sweep", "query", "plot", "report", "scenarios")


def run_python(code: str, **env: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, **env},
                          check=True)
    return done.stdout.strip().splitlines()[-1]


def test_import_dependencia_loads_no_heavy_library():
    assert json.loads(run_python(f"import json, sys, dependencia; print(json.dumps({LOADED}))")) == []


def test_help_of_the_cli_and_of_every_command_loads_no_heavy_library():
    code = (
        "import contextlib, io, json, sys\n"
        "from dependencia.cli import main\n"
        "codes = []\n"
        f"for args in [['--help'], *[[c, '--help'] for c in {COMMANDS!r}], ['scenarios', 'list', '--help']]:\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        codes.append(main(args))\n"
        f"print(json.dumps([codes, {LOADED}]))\n"
    )
    codes, loaded = json.loads(run_python(code))
    assert codes == [0] * (len(COMMANDS) + 2)
    assert loaded == []


def test_every_public_name_loads_on_first_use_and_stays():
    code = (
        "import json, sys, types, dependencia as dp\n"
        "import dependencia.report.plots, dependencia.economics.rents  # submodules named like functions\n"
        "names = {n: type(getattr(dp, n)).__name__ for n in dp.__all__}\n"
        "from dependencia.economics import rents\n"
        "print(json.dumps([names, callable(dp.report), callable(rents), set(dp.__all__) <= set(dir(dp)),\n"
        "                  isinstance(dp.io, types.ModuleType)]))\n"
    )
    names, report_is_function, rents_is_function, in_dir, io = json.loads(run_python(code))
    assert set(names) == set(__import__("dependencia").__all__)
    assert names["report"] == "function" and names["edits"] == "module" and names["Network"] == "type"
    assert report_is_function and rents_is_function and in_dir and io


def test_an_unknown_name_is_an_attribute_error():
    import dependencia as dp

    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        dp.no_such_name  # noqa: B018


def test_igraph_comes_without_pyplot_until_pyplot_is_used():
    code = (
        "import json, sys, dependencia as dp\n"
        "dp.power(dp.examples.load('florentine'))  # imports igraph\n"
        "deferred = type(sys.modules['matplotlib.pyplot']).__name__\n"
        "from igraph.drawing.matplotlib import edge, graph  # igraph's plotting classes are matplotlib's\n"
        "import matplotlib.collections, matplotlib.artist\n"
        "real = [edge.PatchCollection is matplotlib.collections.PatchCollection, graph.Artist is matplotlib.artist.Artist]\n"
        "import matplotlib\n"
        "matplotlib.use('Agg')\n"
        "import igraph, matplotlib.pyplot as plt\n"
        "figure, axes = plt.subplots()  # pyplot loads itself here\n"
        "igraph.plot(igraph.Graph.Ring(4), target=axes)\n"
        "print(json.dumps([deferred, real, type(sys.modules['matplotlib.pyplot']).__name__]))\n"
    )
    assert json.loads(run_python(code)) == ["_DeferredModule", [True, True], "module"]


def test_numba_cache_goes_to_a_temporary_folder_when_nothing_else_is_writable(monkeypatch, tmp_path):
    from numba.core import config

    from dependencia.base import jit as _jit

    monkeypatch.setattr(config, "CACHE_DIR", "")
    monkeypatch.setattr(_jit.tempfile, "gettempdir", lambda: str(tmp_path))
    monkeypatch.setattr(_jit, "_writable", lambda folder: Path(folder).is_relative_to(tmp_path))
    _jit._ensure_cache_folder()
    assert Path(config.CACHE_DIR).parent == tmp_path


def test_numba_cache_stays_where_numba_puts_it_when_writable(monkeypatch):
    from numba.core import config

    from dependencia.base import jit as _jit

    monkeypatch.setattr(config, "CACHE_DIR", "")
    monkeypatch.setattr(_jit, "_writable", lambda folder: True)
    _jit._ensure_cache_folder()
    assert config.CACHE_DIR == ""


@pytest.mark.slow
def test_the_warm_up_fills_the_cache_that_the_commands_read(tmp_path):
    # after `python -m dependencia._warmup`, the commands compile nothing: every kernel signature they use
    # (small and large inputs, directed or not, with lengths) is in the cache
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)}
    subprocess.run([sys.executable, "-m", "dependencia._warmup"], env=env, check=True, capture_output=True)
    env["NUMBA_DEBUG_CACHE"] = "1"
    for args in (["explain", "ai-stack", "microsoft"], ["improve", "ai-stack", "openai", "--links", "3"],
                 ["power", "ai-stack", "--undirected", "--length", "strength"],
                 ["power", "openai-board", "--by", "node", "--epsilon", "0.05"],
                 ["improve", "platform", "buyer01"], ["simulate", "debt-brake", "--steps", "2", "--out",
                                                      str(tmp_path / "run")]):
        done = subprocess.run([sys.executable, "-m", "dependencia", *args], env=env, capture_output=True, text=True,
                              check=True)
        assert "data saved" not in done.stdout + done.stderr, args
