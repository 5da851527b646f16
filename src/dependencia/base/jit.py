"""Numba for the kernels, with its on-disk cache wherever one can be written.

Every kernel is compiled with ``cache=True``: the machine code is stored on
disk and a later process loads it instead of compiling again (seconds per
kernel). Numba keeps it in ``__pycache__`` beside the module when that is
writable (an editable or user install), else in the user's cache folder
(``~/.cache/numba``). Where neither can be written (a read-only install run
by a user without a home folder, a locked-down container) Numba refuses to
cache and the kernel modules would not import; then the cache goes to a
folder of the temporary directory. ``NUMBA_CACHE_DIR`` set by the user wins.

``python -m dependencia._warmup`` (run by ``make``'s install step) fills the
cache, so that no command pays for compiling (docs/architecture.md, "The Numba cache").

:func:`parallel_safe` says whether a kernel may start a parallel region here:
not in a forked child of a process whose Numba thread pool had started, where
GNU OpenMP, Numba's usual pool, kills the child ("fork() called from a process
already using GNU OpenMP"); the kernels then run one lane, with the same values.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import numba.np.ufunc.parallel as numba_parallel
from numba import njit, prange
from numba.core import config

#: Numba's settings module (its attributes are set at import, which mypy cannot see)
numba_config: Any = config

__all__ = ["cache_folder", "njit", "parallel_allowed", "prange"]

_KERNEL_FOLDERS = (Path(__file__).parent / "measures", Path(__file__).parent / "simulation")


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=folder).close()
    except OSError:
        return False
    return True


def cache_folder() -> str:
    """Where Numba keeps this package's compiled kernels (as Numba chooses it, in the same order)."""
    if numba_config.CACHE_DIR and _writable(Path(numba_config.CACHE_DIR)):
        return numba_config.CACHE_DIR
    if all(_writable(folder / "__pycache__") for folder in _KERNEL_FOLDERS):
        return "__pycache__ beside each kernel module"
    from numba.misc.appdirs import AppDirs

    return AppDirs(appname="numba", appauthor=False).user_cache_dir


def _ensure_cache_folder() -> None:
    if cache_folder() != "__pycache__ beside each kernel module" and not _writable(Path(cache_folder())):
        user = os.getuid() if hasattr(os, "getuid") else 0
        fallback = Path(tempfile.gettempdir()) / f"dependencia-numba-cache-{user}"
        if _writable(fallback):
            numba_config.CACHE_DIR = str(fallback)  # read by Numba when each kernel is decorated, just below


_ensure_cache_folder()


#: True where a parallel region would kill the process: a fork child of a process whose Numba
#: thread pool (GNU OpenMP) had started ("fork() called from a process already using GNU OpenMP");
#: also True if the pool had started before this module could watch (where is then unknown).
_serial_only = [bool(getattr(numba_parallel, "_is_initialized", False))]


def _after_fork_in_child() -> None:
    if getattr(numba_parallel, "_is_initialized", False):
        _serial_only[0] = True


os.register_at_fork(after_in_child=_after_fork_in_child)


def parallel_allowed() -> bool:
    """Whether a kernel may open a parallel region (prange) in this process.

    False in a forked child of a process whose Numba thread pool had
    started, where the region would kill the process: such a child runs
    its kernels on one lane.

    Examples
    --------
    >>> parallel_allowed() in (True, False)
    True
    """
    return not _serial_only[0]
