"""The executor: results in task order, shared data set up once per worker, fixed-order reduction."""

from __future__ import annotations

import os

import pytest

from dependencia.errors import UsageError
from dependencia.executor import Executor, available_cores


def _setup(shared):
    return {"shared": shared, "pid": os.getpid()}


def _task(state, item):
    return (item, state["shared"] * item, state["pid"])


def test_results_come_back_in_task_order_with_two_workers():
    items = list(range(50))
    results = Executor(workers=2).map(_setup, 3, _task, items)
    assert [r[0] for r in results] == items
    assert [r[1] for r in results] == [3 * i for i in items]
    pids = {r[2] for r in results}
    assert os.getpid() not in pids and 1 <= len(pids) <= 2  # ran in worker processes


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
