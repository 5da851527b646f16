"""The record of one change to a network: :class:`Edit` (the result of every operation in :mod:`dependencia.network.edits`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..model import Network

__all__ = ["Edit"]


def _no_rows() -> np.ndarray:
    return np.zeros(0, dtype=np.int64)


@dataclass(frozen=True, eq=False)
class Edit:
    """A changed network and what changed (rows and nodes) against the network it started from.

    Attributes
    ----------
    network : Network
        The network after the operation (new and validated).
    before : Network
        The network the operation started from.
    removed : numpy.ndarray of int64
        Sorted positions in ``before.dependencies`` of the rows whose hops
        leave the graphs: rows deleted, and rows rewritten in place (a new
        route).
    deleted : numpy.ndarray of int64
        Sorted positions in ``before.dependencies`` of the rows that are gone
        from the table (a subset of ``removed``); later rows move up.
    added : numpy.ndarray of int64
        Sorted positions in ``network.dependencies`` of the rows whose hops
        enter the graphs: rows rewritten in place and rows appended.
    nodes_added, nodes_removed : tuple of str
        Ids of actors or infrastructures added or removed. New actors come
        after the old actors (so infrastructure node indices shift), new
        infrastructures at the end.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": "a"}, {"id": "b"}])
    >>> from dependencia.network.edits import add_dependencies
    >>> edit = add_dependencies(net, [{"dependent": "a", "provider": "b"}])
    >>> edit.added.tolist(), edit.removed.tolist(), len(edit.before.dependencies)
    ([0], [], 0)
    """

    network: Network
    before: Network
    removed: np.ndarray = field(default_factory=_no_rows)
    deleted: np.ndarray = field(default_factory=_no_rows)
    added: np.ndarray = field(default_factory=_no_rows)
    nodes_added: tuple[str, ...] = ()
    nodes_removed: tuple[str, ...] = ()
