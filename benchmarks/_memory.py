"""Peak memory of a benchmark's child process and its descendants, for the benchmark scripts.

Linux only: the proportional set size (PSS) of each process, from ``/proc/<pid>/smaps_rollup``, so that
pages shared by a parent and its forked workers count once in the sum. A process that has gone counts 0.

>>> pss_kb(2**22 + 1)  # no such process
0
"""

from __future__ import annotations

import glob
from pathlib import Path

__all__ = ["pss_kb", "process_tree", "tree_pss_kb"]


def pss_kb(pid: int) -> int:
    """The PSS of process ``pid`` in KiB (0 once it has gone, or where /proc has no smaps_rollup)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as stream:
            for line in stream:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants, parents first."""
    pids, i = [pid], 0
    while i < len(pids):
        for children in glob.glob(f"/proc/{pids[i]}/task/*/children"):  # [] once the process has gone
            try:
                pids += [int(x) for x in Path(children).read_text().split()]
            except OSError:
                pass
        i += 1
    return pids


def tree_pss_kb(pid: int) -> int:
    """The summed PSS of ``pid`` and its descendants in KiB."""
    return sum(pss_kb(p) for p in process_tree(pid))
