"""The executor: results in task order, shared data set up once per worker, fixed-order reduction."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from dependencia.base.executor import Executor, available_cores
from dependencia.errors import UsageError


def _setup(shared):
    return {"shared": shared, "pid": os.getpid()}


def _task(state, item):
    return (item, state["shared"] * item, os.getpid(), state["pid"])


def test_results_come_back_in_task_order_with_two_workers():
    items = list(range(50))
    results = Executor(workers=2).map(_setup, 3, _task, items)
    assert [r[0] for r in results] == items
    assert [r[1] for r in results] == [3 * i for i in items]
    pids = {r[2] for r in results}
    assert os.getpid() not in pids and 1 <= len(pids) <= 2  # ran in worker processes


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="workers are not forked here")
def test_forked_workers_inherit_the_state_set_up_once_in_this_process():
    """Issue 19: the engine is built once, before the fork, and shared copy-on-write, not rebuilt per worker."""
    results = Executor(workers=2).map(_setup, 3, _task, list(range(20)))
    assert {r[3] for r in results} == {os.getpid()}  # setup ran here, once
    assert os.getpid() not in {r[2] for r in results}  # the tasks ran in the workers


def test_one_worker_runs_in_process_and_sets_up_once():
    calls = []

    def setup(shared):  # a closure is fine in-process
        calls.append(shared)
        return shared

    results = Executor(workers=1).map(setup, 5, lambda state, item: state + item, [1, 2, 3])
    assert results == [6, 7, 8] and calls == [5]


def test_progress_reports_every_task():
    seen = []
    Executor(workers=2, progress=lambda done, total: seen.append((done, total))).map(_setup, 1, _task, range(5))
    assert seen == [(i, 5) for i in range(1, 6)]


def test_defaults_and_bad_worker_counts():
    assert Executor().workers == available_cores() >= 1
    with pytest.raises(UsageError):
        Executor(workers=0)


def test_no_tasks():
    assert Executor(workers=2).map(_setup, 1, _task, []) == []


@pytest.fixture(scope="module")
def dask_cluster():
    distributed = pytest.importorskip("dask.distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    )
    yield cluster
    cluster.close()


def test_dask_cluster_at_an_address_keeps_task_order_and_sets_up_once_per_worker(dask_cluster):
    seen = []
    results = Executor(scheduler=dask_cluster.scheduler_address, progress=lambda d, t: seen.append(d)).map(
        _setup, 4, _task, list(range(20))
    )
    assert [r[1] for r in results] == [4 * i for i in range(20)]
    assert os.getpid() not in {r[2] for r in results}
    assert seen == list(range(1, 21))


def test_dask_betweenness_is_the_same_bytes(dask_cluster, monkeypatch):
    import networkx as nx

    from dependencia.graph import compile_graph
    from dependencia.io import from_networkx
    from dependencia.measures import betweenness as module

    monkeypatch.setattr(module, "PARALLEL_MIN_COST", 0)
    graph = compile_graph(from_networkx(nx.gnm_random_graph(60, 240, seed=2, directed=True)))
    local = module.source_sums(graph, executor=Executor(1))
    on_dask = module.source_sums(graph, executor=Executor(scheduler=dask_cluster.scheduler_address))
    assert on_dask.tobytes() == local.tobytes()
    frame = module.graph_betweenness(graph, scheduler=dask_cluster.scheduler_address)
    assert frame["betweenness"].to_numpy().tobytes() == module.graph_betweenness(graph, workers=1)[
        "betweenness"
    ].to_numpy().tobytes()


def test_unreachable_scheduler_is_a_usage_error():
    pytest.importorskip("dask.distributed")
    with pytest.raises(UsageError, match="cannot reach"):
        Executor(scheduler="tcp://127.0.0.1:1").map(_setup, 1, _task, [1])


@pytest.mark.parametrize("lengths", [False, True])
def test_path_samples_on_workers_and_on_dask_are_the_same_bytes(dask_cluster, lengths):
    """Issue 9, item 4: the samples of the approximation split across workers, the same values as one process.

    Issue 19: the same for the sampler on graphs with lengths (uniform in [1, 10]).
    """
    import dataclasses

    import networkx as nx
    import numpy as np

    from dependencia.graph import compile_graph
    from dependencia.io import from_networkx
    from dependencia.measures import betweenness as module
    from dependencia.measures.adaptive import adaptive_betweenness

    G = nx.DiGraph(nx.scale_free_graph(1500, seed=3))
    G.remove_edges_from(list(nx.selfloop_edges(G)))
    graph = compile_graph(from_networkx(G))
    if lengths:
        graph = dataclasses.replace(graph, length=np.random.default_rng(5).uniform(1, 10, graph.n_edges))
    kwargs = dict(epsilon=0.03, delta=0.1, seed=4)
    alone = adaptive_betweenness(graph, **kwargs)
    assert alone.samples < alone.omega  # it stopped early: the workers must find the same stopping point
    for executor in (Executor(2), Executor(scheduler=dask_cluster.scheduler_address)):
        spread = adaptive_betweenness(graph, executor=executor, **kwargs)
        assert spread.samples == alone.samples and spread.counts.tobytes() == alone.counts.tobytes()
    values = [module.graph_betweenness(graph, **kwargs, **kw)["betweenness"].to_numpy().tobytes()
              for kw in ({}, {"workers": 1}, {"workers": 2}, {"scheduler": dask_cluster.scheduler_address})]
    assert len(set(values)) == 1


def _child_pids(parent):
    import glob

    return {int(pid) for path in glob.glob(f"/proc/{parent}/task/*/children") for pid in open(path).read().split()}


def _children(state, item):
    """The task's result, the process it ran in, and the processes the map's process had as children then."""
    return item * state["shared"], os.getpid(), _child_pids(state["pid"])


def _sleepy(state, item):
    import time

    time.sleep(0.02)
    return item, os.getpid()


def _fail_in_worker(state, item):
    if os.getpid() != state["pid"] and item >= 0:
        raise ValueError(f"task {item} failed")
    import time

    time.sleep(0.05)
    return item


def _fail_here(state, item):
    if os.getpid() == state["pid"]:
        raise KeyError(f"task {item} failed here")
    import time

    time.sleep(0.1)  # the worker cannot take every task before this process takes one
    return item


fork_only = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods() or not os.path.exists("/proc"),
                               reason="workers are not forked here")


@fork_only
@pytest.mark.parametrize("workers", [2, 3])
def test_here_this_process_computes_beside_one_worker_fewer(workers):
    """Issue 19: with ``here`` the calling process takes tasks too; workers - 1 processes are forked."""
    items = list(range(40))
    before = _child_pids(os.getpid())  # e.g. a Dask cluster of another test
    results = Executor(workers=workers).map(_setup, 3, _children, items, here=True)
    assert [r[0] for r in results] == [3 * i for i in items]  # in task order
    assert len(set().union(*(r[2] for r in results)) - before) <= workers - 1
    assert len({r[1] for r in results} - {os.getpid()}) <= workers - 1


@fork_only
def test_here_shares_the_tasks_and_reports_progress():
    seen = []
    results = Executor(workers=2, progress=lambda done, total: seen.append((done, total))).map(
        _setup, 0, _sleepy, list(range(30)), here=True)
    assert [r[0] for r in results] == list(range(30))
    assert os.getpid() in {r[1] for r in results}  # this process took tasks (the first one at least)
    assert seen[-1] == (30, 30) and [d for d, _ in seen] == sorted(d for d, _ in seen)


@fork_only
def test_here_raises_a_workers_error_and_its_own():
    with pytest.raises(ValueError, match="failed"):
        Executor(workers=2).map(_setup, 0, _fail_in_worker, list(range(20)), here=True)
    with pytest.raises(KeyError, match="failed here"):
        Executor(workers=2).map(_setup, 0, _fail_here, list(range(20)), here=True)


def _slow_in_worker(state, item):
    """Tasks a worker takes are slow: this process's results arrive ahead of theirs, out of turn."""
    import time

    if os.getpid() != state["pid"]:
        time.sleep(0.05)
    return item


@pytest.mark.parametrize("here", [False, True])
def test_imap_gives_each_result_in_task_order_as_it_arrives(here):
    """Issue 19: a caller that adds results up holds one at a time, in the same order as ``map``'s list."""
    if here and "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("workers are not forked here")
    items = list(range(24))
    results = Executor(workers=2).imap(_setup, 0, _slow_in_worker, items, here=here)
    assert not isinstance(results, list)
    assert list(results) == items == Executor(workers=2).map(_setup, 0, _slow_in_worker, items, here=here)


def test_imap_runs_a_task_when_its_result_is_asked_for():
    ran = []

    def task(state, item):  # a closure is fine in-process
        ran.append(item)
        return item * state

    results = Executor(workers=1).imap(lambda shared: shared, 2, task, [1, 2, 3])
    assert ran == []
    assert next(results) == 2 and ran == [1]  # one task, one result held
    assert list(results) == [4, 6] and ran == [1, 2, 3]
