"""One way to run partial computations in parallel, with a fixed-order reduction.

A computation is split into *tasks* (groups of sources, batches of samples,
later whole simulation runs) that all read the same *shared* data (a compiled
graph). :class:`Executor` runs them in-process, in local worker processes, or
on a Dask cluster (a local one it starts, or one at a scheduler address); each
worker receives the shared data once, not once per task. Results come back in task order, whatever order the workers finish in,
so a caller that combines them in that order gets the same bytes with one
worker or many.

Examples
--------
>>> def setup(numbers):
...     return sum(numbers)
>>> def task(total, k):
...     return total * k
>>> with Executor(workers=1) as run:
...     run.map(setup, [1, 2, 3], task, [1, 2, 3])
[6, 12, 18]
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import UsageError

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

__all__ = ["Executor", "available_cores", "return_free_memory"]

Shared = TypeVar("Shared")
State = TypeVar("State")
Item = TypeVar("Item")
Result = TypeVar("Result")

# the state a worker process built from the shared data (one per process)
_worker_state: Any = None


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity, where the OS tells)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


class Executor:
    """Run tasks over shared data in-process or in local worker processes.

    Parameters
    ----------
    workers : int, optional
        Number of worker processes; all available cores when omitted. With 1,
        tasks run in this process.
    scheduler : str, optional
        ``"dask"`` starts a local Dask cluster of ``workers`` processes for
        each :meth:`map`; a scheduler address (``"tcp://host:8786"``) uses
        that running cluster. Without it, local worker processes are used.
    progress : callable, optional
        Called with (tasks done, tasks in all) as results arrive, e.g. to
        advance a progress bar.

    Notes
    -----
    Local worker processes are started with ``fork`` where the platform has
    it (cheap, and the shared data is not pickled through a pipe on start) and
    ``spawn`` elsewhere. With ``fork``, ``setup`` runs once in this process
    before the workers start, and they inherit its state: an engine graph
    and the modules that built it are then pages shared with this process,
    not a private copy in every worker (docs/performance.md, "Peak memory").
    On Dask the shared data is scattered to every worker
    once and each worker runs ``setup`` once. The functions given to
    :meth:`map` must be module-level functions so that they can be pickled.
    Local worker processes end when this process ends, even when it is
    killed (SIGKILL): none goes on writing after a killed command.
    """

    def __init__(
        self,
        workers: int | None = None,
        *,
        scheduler: str | None = None,
        progress: Callable[[int, int], None] | None = None,
    ):
        if workers is not None and workers < 1:
            raise UsageError(f"workers must be at least 1, got {workers}")
        self.workers = available_cores() if workers is None else workers
        self.scheduler = scheduler
        self.progress = progress

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def map(
        self,
        setup: Callable[[Shared], State],
        shared: Shared,
        task: Callable[[State, Item], Result],
        items: Sequence[Item],
        *,
        here: bool = False,
    ) -> list[Result]:
        """Run ``task(setup(shared), item)`` for every item; results in item order.

        ``setup`` runs once per worker process under ``spawn`` or Dask, and
        once in total in-process or with forked workers (which inherit its
        state), so expensive preparation (building an engine graph) is not
        repeated per task.

        ``here=True`` (local workers forked): this process takes tasks too,
        beside one forked worker fewer, each taking the next task when it is
        free. For pure tasks whose forked worker would cost more memory
        than it computes alone (issue 19: a worker's private pages).

        A caller that only adds the results up should use :meth:`imap`,
        which holds one result at a time instead of all of them.
        """
        return list(self.imap(setup, shared, task, items, here=here))

    def imap(
        self,
        setup: Callable[[Shared], State],
        shared: Shared,
        task: Callable[[State, Item], Result],
        items: Sequence[Item],
        *,
        here: bool = False,
    ) -> Iterator[Result]:
        """:meth:`map`'s results one at a time, in item order, as they arrive.

        Only results that arrive ahead of their turn are held (those of the
        tasks the workers finish before an earlier one), not every result:
        adding up 64 partial sums of a 20,000-node graph held 10 MB at once
        as a list (issue 19: peak memory). The tasks run as the iterator is
        consumed; leaving it early stops the workers.

        Examples
        --------
        >>> def setup(numbers):
        ...     return sum(numbers)
        >>> def task(total, k):
        ...     return total * k
        >>> sum(Executor(workers=1).imap(setup, [1, 2, 3], task, [1, 2, 3]))
        36
        """
        items = list(items)
        if self.scheduler is not None and items:
            yield from self._map_on_dask(setup, shared, task, items)
            return
        workers = min(self.workers, len(items))
        if workers <= 1:
            state = setup(shared)
            yield from self._counted((task(state, item) for item in items), len(items))
            return
        if here and "fork" in multiprocessing.get_all_start_methods():
            state = setup(shared)
            return_free_memory()
            gc.freeze()
            try:
                yield from self._run_here(state, task, items, workers - 1)
            finally:
                gc.unfreeze()
            return
        if "fork" in multiprocessing.get_all_start_methods():
            # Set up once here: the forked workers inherit the state (an engine
            # graph, the modules it imported) as pages shared copy-on-write,
            # instead of each importing and building its own private copy.
            method, setup, shared = "fork", _inherited, setup(shared)
            return_free_memory()
        else:
            method = "spawn"
        # Frozen objects are skipped by the garbage collector, so forked workers
        # do not touch (and copy) every page of the parent's heap.
        gc.freeze()
        try:
            with ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context(method),
                initializer=_start_worker, initargs=(setup, shared, os.getpid()),
            ) as pool:
                # the pool's iterator lets go of each result as it hands it on
                yield from self._counted(pool.map(_run_task, [task] * len(items), items), len(items))
        finally:
            gc.unfreeze()

    def _map_on_dask(self, setup: Callable, shared: Any, task: Callable, items: list) -> list:
        from dask.distributed import Client, LocalCluster, as_completed

        if self.scheduler == "dask":
            cluster = LocalCluster(
                n_workers=self.workers, threads_per_worker=1, processes=True,
                host="127.0.0.1", dashboard_address=None,
            )
            client = Client(cluster)
        else:
            cluster = None
            try:
                client = Client(self.scheduler, timeout=5)
            except OSError as problem:
                raise UsageError(f"cannot reach the Dask scheduler at {self.scheduler}: {problem}") from None
        try:
            # scattered as one item: Dask would scatter a dict, list or tuple element by element
            [data] = client.scatter([shared], broadcast=True)
            futures = [
                client.submit(_run_dask_task, setup, data, data.key, task, item, pure=False) for item in items
            ]
            if self.progress is not None:
                for done, _ in enumerate(as_completed(futures), start=1):
                    self.progress(done, len(futures))
            return client.gather(futures)  # in task order
        finally:
            client.close()
            if cluster is not None:
                cluster.close()

    def _run_here(self, state: Any, task: Callable[[Any, Any], Any], items: list, forked: int) -> Iterator[Any]:
        """Tasks taken in turn by this process and ``forked`` forked workers; results by a pipe per worker.

        Yields the results in item order, holding only those that came early.
        """
        context = multiprocessing.get_context("fork")
        claimed = context.Value("q", 0)  # the next task to take, shared by every process
        early: dict[int, Any] = {}  # results that arrived before their turn
        turn = received = 0
        processes = []
        pipes: list[Connection] = []
        try:
            for _ in range(forked):
                pipe, end = context.Pipe(duplex=False)
                _widen(pipe)
                process = context.Process(target=_take_tasks, args=(state, task, items, claimed, end, os.getpid()),
                                          daemon=True)
                process.start()
                end.close()
                pipes.append(pipe)
                processes.append(process)
            while received < len(items):
                index = _claim(claimed, len(items))
                if index is not None:  # this process computes a task, then collects what the workers sent
                    early[index] = task(state, items[index])
                    got = 1 + _receive(pipes, early, wait=False)
                else:  # every task is taken: wait for the workers
                    got = _receive(pipes, early, wait=True)
                received += got
                if self.progress is not None and got:
                    self.progress(received, len(items))
                while turn in early:
                    yield early.pop(turn)
                    turn += 1
        finally:
            with claimed.get_lock():
                claimed.value = len(items)  # no worker takes another task
            for process in processes:
                process.join(timeout=5)
                if process.is_alive():
                    process.kill()
                    process.join()
            for pipe in pipes:
                pipe.close()

    def _counted(self, results: Iterator[Result], total: int) -> Iterator[Result]:
        """``results`` passed on, with :attr:`progress` told of each."""
        for done, result in enumerate(results, start=1):
            if self.progress is not None:
                self.progress(done, total)
            yield result


def _inherited(state: Any) -> Any:
    """The setup of a forked worker: the state its parent built, inherited with its memory."""
    return state


def return_free_memory() -> None:
    """Give the memory this process has freed back to the OS, before a long computation or a fork.

    Freed but still mapped pages count in the process's resident and
    proportional set size (and in every summed measure of a process tree):
    pyarrow's memory pool keeps what its CSV reader freed (about 25 MB after
    reading a 95,000-row edge list) until asked to release it, and glibc's
    heap keeps what Python's objects freed until ``malloc_trim``. The cost is
    milliseconds; pyarrow is asked only if already imported, and ``malloc_trim``
    is skipped where the C library has none.
    """
    gc.collect()
    arrow = sys.modules.get("pyarrow")
    if arrow is not None:
        arrow.default_memory_pool().release_unused()
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        pass


def _start_worker(setup: Callable[[Any], Any], shared: Any, parent: int) -> None:
    global _worker_state
    _end_with_parent(parent)
    _worker_state = setup(shared)


def _end_with_parent(parent: int) -> None:
    """End this worker process when ``parent`` ends, even by SIGKILL.

    A worker of a killed parent would otherwise finish its task (still
    writing into the parent's output, e.g. a sweep's run folder, perhaps while
    a restart writes there too) and then wait forever for the next one.
    Linux: the kernel sends SIGKILL on the parent's death (``PR_SET_PDEATHSIG``);
    elsewhere a thread checks once a second that the parent is still there.
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        armed = libc.prctl(1, signal.SIGKILL, 0, 0, 0) == 0  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError, TypeError):  # not Linux
        armed = False
    if os.getppid() != parent:  # the parent ended before the line above took effect
        os._exit(1)
    if not armed:
        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(1.0)
            os._exit(1)

        threading.Thread(target=watch, name="dependencia-parent-watch", daemon=True).start()


def _widen(pipe: Any) -> None:
    """Let the pipe hold 1 MB (Linux; elsewhere as it is): a worker sends a result while this process computes."""
    try:
        import fcntl

        fcntl.fcntl(pipe.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), 2**20)
    except (ImportError, OSError):  # pragma: no cover - not Linux, or above the system's limit
        pass


def _claim(claimed: Any, total: int) -> int | None:
    """The index of the next task not yet taken (None when none is left)."""
    with claimed.get_lock():
        index = claimed.value
        if index >= total:
            return None
        claimed.value = index + 1
    return int(index)


def _take_tasks(state: Any, task: Callable[[Any, Any], Any], items: list, claimed: Any, end: Any,
                parent: int) -> None:
    """A forked worker of :meth:`Executor.map` with ``here``: takes tasks until none is left, sends each result."""
    _end_with_parent(parent)
    try:
        while (index := _claim(claimed, len(items))) is not None:
            end.send((index, task(state, items[index])))
    except BaseException as problem:  # the parent raises it (or its description, if it cannot be sent)
        try:
            end.send((-1, problem))
        except Exception:
            end.send((-1, RuntimeError(f"a worker process failed: {problem!r}")))
    finally:
        end.close()


def _receive(pipes: list[Connection], results: dict[int, Any], *, wait: bool) -> int:
    """Results the workers sent, put in place; with ``wait``, at least one. Their number."""
    from multiprocessing.connection import wait as ready

    got = 0
    open_pipes = [pipe for pipe in pipes if not pipe.closed]
    readable = set(ready(open_pipes, timeout=None if wait else 0)) if open_pipes else set()
    for pipe in (pipe for pipe in open_pipes if pipe in readable):
        while not pipe.closed and pipe.poll():
            try:
                index, value = pipe.recv()
            except EOFError:  # the worker is done (or was killed: then a result is missing below)
                pipe.close()
                break
            if index < 0:
                raise value
            results[index] = value
            got += 1
    if wait and not got and all(pipe.closed for pipe in pipes):
        raise RuntimeError("a worker process ended before it sent its results")
    return got


def _run_task(task: Callable[[Any, Any], Any], item: Any) -> Any:
    return task(_worker_state, item)


# the state a Dask worker built from the shared data, by the data's key
_dask_state: dict[str, Any] = {}


def _run_dask_task(setup: Callable[[Any], Any], shared: Any, key: str, task: Callable[[Any, Any], Any],
                   item: Any) -> Any:
    if key not in _dask_state:
        _dask_state.clear()  # a new computation: drop the previous one's state
        _dask_state[key] = setup(shared)
    return task(_dask_state[key], item)
