"""Issue 19 (memory): ``dp.read`` of a plain edge list builds the Network's tables when they are first used.

Until then ``dp.betweenness`` and ``dp.power`` compute from the file's
arrays, without pandas. The oracles: the full reader's Network (the lean
path switched off, ``read_in_full``), whose results must be the same bytes,
and NetworkX for the values.
"""

from __future__ import annotations

import copy
import json
import pickle
import subprocess
import sys

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import dependencia as dp


def _files(folder, seed=0):
    rng = np.random.default_rng(seed)
    n, m = 40, 160
    source, target = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = source != target
    km = rng.choice(["1", "2.5", "0.1", "7"], m)
    rows = "".join(f"n{s},n{t},{w},x{s}\n" for s, t, w in zip(source[keep].tolist(), target[keep].tolist(),
                                                               km[keep].tolist()))
    (folder / "e.csv").write_text("source,target,km,note\n" + rows)
    (folder / "a.csv").write_text("id\n" + "".join(f"n{i}\n" for i in rng.permutation(n + 2).tolist()))
    graph = nx.DiGraph()
    graph.add_nodes_from(f"n{i}" for i in range(n + 2))
    graph.add_edges_from((f"n{s}", f"n{t}") for s, t in zip(source[keep].tolist(), target[keep].tolist()))
    return folder / "e.csv", folder / "a.csv", graph


def _same(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    for column in got.columns:
        if got[column].dtype == float:
            assert got[column].to_numpy().tobytes() == expected[column].to_numpy().tobytes(), column
    assert got.attrs == expected.attrs


BETWEENNESS = [dict(exact=True), dict(exact=True, normalized=False), dict(exact=True, directed=False),
               dict(exact=True, endpoints=True), dict(epsilon=0.2, seed=3), dict(exact=True, workers=2),
               dict(exact=True, paths="hub"), dict(exact=True, length="km")]
POWER = [dict(exact=True), dict(exact=True, normalized=False), dict(exact=True, directed=False),
         dict(epsilon=0.2, seed=3), dict(exact=True, workers=2), dict(exact=True, length="km"),
         dict(exact=True, burt=True)]


@pytest.mark.parametrize("options", BETWEENNESS, ids=str)
def test_betweenness_before_the_tables_is_the_same_bytes_as_from_them(tmp_path, read_in_full, options):
    edges, actors, _ = _files(tmp_path)
    lean = dp.read(edges, actors=actors)
    got = dp.betweenness(lean, **options)
    if "length" not in options:  # lengths are a column of the tables: those are built
        assert lean.plain_edges() is not None  # computed from the arrays alone
    with read_in_full():
        full = dp.read(edges, actors=actors)
    assert full.plain_edges() is None
    _same(got, dp.betweenness(full, **options))


@pytest.mark.parametrize("options", POWER, ids=str)
def test_power_before_the_tables_is_the_same_bytes_as_from_them(tmp_path, read_in_full, options):
    edges, actors, _ = _files(tmp_path, 1)
    lean = dp.read(edges, actors=actors)
    got = dp.power(lean, **options)
    if "length" not in options and "burt" not in options:
        assert lean.plain_edges() is not None
    with read_in_full():
        full = dp.read(edges, actors=actors)
    _same(got, dp.power(full, **options))


def test_the_values_are_networkx_betweenness(tmp_path):
    edges, actors, graph = _files(tmp_path, 2)
    net = dp.read(edges, actors=actors)
    expected = nx.betweenness_centrality(graph)
    node = dp.betweenness(net, exact=True)["betweenness"]
    actor = dp.power(net, exact=True)["power"]
    assert net.plain_edges() is not None
    for frame in (node, actor):
        assert sorted(frame.index) == sorted(expected)
        assert np.allclose([frame[v] for v in expected], list(expected.values()), rtol=1e-12, atol=1e-15)


def test_the_tables_are_built_on_first_use_and_then_the_arrays_let_go(tmp_path, read_in_full):
    edges, actors, _ = _files(tmp_path, 3)
    net = dp.read(edges, actors=actors)
    assert isinstance(net, dp.Network) and net.plain_edges() is not None
    deps = net.dependencies
    assert net.plain_edges() is None and net.dependencies is deps  # built once
    with read_in_full():
        assert net.equals(dp.read(edges, actors=actors))
    for use in (lambda n: n.n_actors, repr, lambda n: n.control_groups(), lambda n: n.locate("dependencies", 0, "km")):
        fresh = dp.read(edges, actors=actors)
        use(fresh)
        assert fresh.plain_edges() is None
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        dp.read(edges, actors=actors).nothing  # noqa: B018


def test_a_network_not_yet_built_copies_and_pickles(tmp_path):
    edges, actors, _ = _files(tmp_path, 4)
    net = dp.read(edges, actors=actors)
    clone = pickle.loads(pickle.dumps(net))
    assert clone.plain_edges() is not None and net.plain_edges() is not None  # neither was built to pickle it
    deep = copy.deepcopy(net)
    assert net.plain_edges() is not None
    assert clone.equals(net) and deep.equals(net) and net.copy().equals(net)


@pytest.mark.parametrize(("measure", "module", "inner"), [("betweenness", "brandes", "exact_betweenness"),
                                                        ("power", "power_sums", "actor_pair_sums")])
def test_reading_and_computing_import_no_pandas_before_the_table(tmp_path, measure, module, inner):
    """In a fresh interpreter: nothing of the reading or the computation imports pandas; the result does."""
    edges, actors, _ = _files(tmp_path, 5)
    code = (
        "import json, sys\n"
        "import dependencia as dp\n"
        f"from dependencia.measures import {module} as module\n"
        "seen = []\n"
        f"inner = module.{inner}\n"
        f"module.{inner} = lambda *a, **k: (r := inner(*a, **k), seen.append('pandas' in sys.modules))[0]\n"
        f"net = dp.read({str(edges)!r}, actors={str(actors)!r})\n"
        "seen.append('pandas' in sys.modules)\n"
        f"frame = dp.{measure}(net, exact=True, workers=1)\n"
        "print(json.dumps([seen, 'pandas' in sys.modules, len(frame), net.plain_edges() is not None]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seen, after, rows, lean = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == [False, False]  # after reading, and when the computation ended
    assert after and rows == 42 and lean  # the table is a pandas table; the Network's tables were never built


def test_threads_asking_at_once_build_the_tables_once(tmp_path, monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    from dependencia.io import edgelist_plain

    edges, actors, _ = _files(tmp_path, 6)
    builds = []
    inner = edgelist_plain._network_of_cells
    monkeypatch.setattr(edgelist_plain, "_network_of_cells", lambda *a: builds.append(1) or inner(*a))
    net = dp.read(edges, actors=actors)
    with ThreadPoolExecutor(8) as pool:
        tables = list(pool.map(lambda _: net.dependencies, range(16)))
    assert len(builds) == 1 and all(t is tables[0] for t in tables)
