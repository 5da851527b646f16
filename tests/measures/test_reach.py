"""Reach and asymmetry against NetworkX's descendants and ancestors."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from _records_graph import records_graph
from hypothesis import given, settings
from hypothesis import strategies as st

import dependencia as dp
from dependencia.measures import reach as reach_module


@st.composite
def networks(draw):
    n = draw(st.integers(1, 12))
    actors = [f"a{i}" for i in range(n)]
    infras = [{"id": f"x{i}", "owner": actors[0]} for i in range(draw(st.integers(0, 3)))]
    deps = []
    for _ in range(draw(st.integers(0, 25))):
        u, v = draw(st.sampled_from(actors)), draw(st.sampled_from(actors))
        if u != v:
            route = draw(st.lists(st.sampled_from([x["id"] for x in infras]), max_size=1)) if infras else []
            deps.append({"dependent": u, "provider": v, "via": route})
    return dp.Network.from_records([{"id": a} for a in actors], deps, infrastructures=infras)


@pytest.mark.parametrize("paths", ["routed", "hub"])
@settings(max_examples=80)
@given(net=networks(), directed=st.booleans(), tiny_blocks=st.booleans(),
       engine=st.sampled_from(["python", "numpy", "kernel"]))
def test_transitive_counts_equal_networkx(paths, net, directed, tiny_blocks, engine):
    names = ("BLOCK_BYTES", "NUMPY_BLOCK_BYTES", "PYTHON_MAX_COMPONENTS", "NUMPY_MAX_COMPONENTS")
    saved = {name: getattr(reach_module, name) for name in names}
    if tiny_blocks:  # one 64-column word per block: many blocks (and one successor gathered at a time)
        reach_module.BLOCK_BYTES = reach_module.NUMPY_BLOCK_BYTES = 1
    if engine != "python":  # small inputs are counted in Python
        reach_module.PYTHON_MAX_COMPONENTS = 0
    if engine == "kernel":
        reach_module.NUMPY_MAX_COMPONENTS = 0
    try:
        frame = dp.reach(net, directed=directed, paths=paths)
    finally:
        for name, value in saved.items():
            setattr(reach_module, name, value)
    graph = records_graph(net, directed=directed, paths=paths)
    actors = set(net.actors.index)
    for actor in net.actors.index:
        if directed:
            down, up = nx.descendants(graph, actor), nx.ancestors(graph, actor)
        else:
            down = up = nx.node_connected_component(graph, actor) - {actor}
        assert frame.loc[actor, "dependencies"] == len(down & actors)
        assert frame.loc[actor, "dependents"] == len(up & actors)
        total = len(down & actors) + len(up & actors)
        expected = (len(up & actors) - len(down & actors)) / total if total else np.nan
        assert frame.loc[actor, "asymmetry"] == pytest.approx(expected, nan_ok=True)


def test_direct_counts_are_distinct_declared_partners():
    net = dp.Network.from_records(
        [{"id": i} for i in ("a", "b", "c")],
        [{"dependent": "a", "provider": "c"}, {"dependent": "a", "provider": "c", "dimension": "care"},
         {"dependent": "b", "provider": "c"}],
    )
    frame = dp.reach(net)
    assert frame.loc["c", "direct_dependents"] == 2 and frame.loc["a", "direct_dependencies"] == 1
    # a pure sink: many dependents, no dependencies, asymmetry 1, betweenness 0
    assert frame.loc["c", "asymmetry"] == 1.0
    assert dp.betweenness(net).loc["c", "betweenness"] == 0.0


def test_a_large_sparse_graph_in_blocks():
    graph = nx.gnm_random_graph(3000, 6000, seed=1, directed=True)
    net = dp.from_networkx(graph)
    saved = reach_module.BLOCK_BYTES
    reach_module.BLOCK_BYTES = 3000 * 8 * 4  # 4 words (256 columns) per block: 12 blocks
    try:
        frame = dp.reach(net)
    finally:
        reach_module.BLOCK_BYTES = saved
    for node in (0, 17, 2999):
        assert frame.loc[str(node), "dependencies"] == len(nx.descendants(graph, node))
        assert frame.loc[str(node), "dependents"] == len(nx.ancestors(graph, node))


@pytest.mark.parametrize("seed", range(40))
def test_python_reach_counts_equal_the_kernel(seed):
    # small inputs skip Numba (issue 21, fast start); the counts are the same integers
    from dependencia.measures import _kernels

    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 200))
    order = rng.permutation(n)
    position = np.empty(n, dtype=np.int64)
    position[order] = np.arange(n)
    u, v = rng.integers(0, n, 4 * n), rng.integers(0, n, 4 * n)
    forward = position[u] < position[v]  # a DAG: edges along the topological order
    key = np.unique(u[forward] * n + v[forward])
    dag_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(key // n, minlength=n), out=dag_ptr[1:])
    weight = rng.integers(0, 4, n)
    weighted = np.flatnonzero(weight > 0)
    column_of = np.full(n, -1, dtype=np.int64)
    column_of[weighted] = np.arange(len(weighted))
    heavy = np.flatnonzero(weight[weighted] > 1)
    arguments = (order.astype(np.int64), dag_ptr, (key % n).astype(np.int64), column_of, heavy.astype(np.int64),
                 (weight[weighted][heavy] - 1).astype(np.int64), len(weighted), int(rng.integers(1, 4)))
    expected = _kernels.reach_weights(*arguments)
    got = reach_module.reach_weights_python(*arguments)
    assert got.dtype == expected.dtype and np.array_equal(got, expected)
    level = reach_module.dag_levels(n, key // n, key % n, n)
    saved = reach_module.NUMPY_BLOCK_BYTES
    reach_module.NUMPY_BLOCK_BYTES = 8 * n * int(rng.integers(1, 4))  # 1 to 3 words per block
    try:
        numpy_counts = reach_module.reach_weights_numpy(level, key // n, key % n, *arguments[3:7])
    finally:
        reach_module.NUMPY_BLOCK_BYTES = saved
    assert numpy_counts.dtype == expected.dtype and np.array_equal(numpy_counts, expected)


def test_levels_are_heights_and_deep_dags_go_to_the_kernel():
    # a chain 0 -> 1 -> ... -> 9: node i has height 9 - i; with a limit below 9 no levels (the kernel counts)
    source, target = np.arange(9), np.arange(1, 10)
    assert reach_module.dag_levels(10, source, target, 9).tolist() == list(range(9, -1, -1))
    assert reach_module.dag_levels(10, source, target, 8) is None
