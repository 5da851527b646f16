"""Peak memory of a benchmark's child process and its descendants, for the benchmark scripts.

Linux only: the proportional set size (PSS) of each process, from ``/proc/<pid>/smaps_rollup``, so that
pages shared by a parent and its forked workers count once in the sum. A process that has gone counts 0.

>>> pss_kb(2**22 + 1)  # no such process
0
"""

from __future__ import annotations

import glob
from pathlib import Path

__all__ = ["own_kb", "pss_kb", "process_tree", "tree_own_kb", "tree_pss_kb"]


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


def own_kb(pid: int) -> tuple[int, int]:
    """(PSS of the anonymous memory, file-backed resident memory) of process ``pid`` in KiB; (0, 0) once gone."""
    fields: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as stream:
            for line in stream:
                parts = line.split()
                if len(parts) >= 2 and parts[0] in ("Pss_Anon:", "Rss:", "Anonymous:"):
                    fields[parts[0]] = int(parts[1])
    except OSError:
        pass
    return fields.get("Pss_Anon:", 0), fields.get("Rss:", 0) - fields.get("Anonymous:", 0)


def tree_own_kb(pid: int) -> int:
    """Memory of ``pid`` and its descendants counted as if no other process shared it, in KiB.

    The anonymous memory's PSS summed over the tree (anonymous pages are shared
    only with the tree's own forked processes) plus the root's file-backed
    resident pages counted whole (libraries the workers map are the parent's).
    Unlike PSS, it does not fall when other processes on the machine happen to
    map the same libraries, so it is steadier on a shared machine.
    """
    pids = process_tree(pid)
    parts = [own_kb(p) for p in pids]
    return sum(anon for anon, _ in parts) + (parts[0][1] if parts else 0)
