"""Shock propagation (DebtRank): how the failure of some nodes impairs those that depend on them.

docs/model.md#shock-propagation. The failure of a set of actors or
infrastructures impairs, in rounds, each dependent in proportion to the share
of its dependency strength that runs through impaired nodes; each node passes
its impairment on once (Battiston et al. 2012). An actor's *systemic impact*
is the strength-weighted share of all actors impaired when it alone fails.

Choices (documented in docs/model.md):

* **Nodes** are the model's actors and infrastructures (not the route nodes
  of the routed graph; ``paths`` plays no part, the rounds follow the
  declared dependencies and their routes).
* **Impact matrix.** W[i, j] = (strength of i's declared dependencies whose
  route, its provider or any infrastructure of its ``via``, includes j) /
  (strength of all of i's declared dependencies), both in the chosen
  dimensions. A dependency passing j counts fully for j: a route through X
  to p gives W[i, X] and W[i, p] the full share each, so a row may sum to
  more than 1 (the cap at h = 1 bounds the impairment).
* **Infrastructures** declare no dependencies. With ``owner_impairs`` (the
  default) an infrastructure is impaired as much as its owner (its direct
  owner, in the same round: the owner's failure takes its infrastructure with
  it); without it, an infrastructure is impaired only when it fails itself.
  Ownership between actors carries no impairment.
* **Value weights** v_i: each actor's share of all dependency strength as a
  dependent (in the chosen dimensions); an actor that depends on nobody
  weighs 0. The impaired share is sum_i v_i h_i at the end, over actors; the
  DebtRank R (Battiston's) subtracts the share of the failed actors
  themselves.

Rounds: the failed nodes start at h = 1, distressed, in round 1; in round t
each node i gains sum over j distressed in round t-1 of W[i, j] h_j(t-1)
(capped at 1), the nodes distressed in round t-1 become inactive and the
undistressed ones with h > 0 become distressed; it ends when no node is
distressed.

References
----------
S. Battiston, M. Puliga, R. Kaushik, P. Tasca and G. Caldarelli, "DebtRank:
Too central to fail? Financial networks, the FED and systemic risk",
Scientific Reports 2, 541 (2012). doi:10.1038/srep00541

Examples
--------
a depends on b (strength 1) and on c (strength 3); b depends on c (strength
2). When c fails, b loses all it depends on and a three quarters in round 2;
in round 3 b passes its impairment on, and a loses the last quarter:

>>> import dependencia as dp
>>> from dependencia.measures.shock import shock
>>> net = dp.Network.from_records([{"id": i} for i in "abc"], [
...     {"dependent": "a", "provider": "b", "strength": 1}, {"dependent": "a", "provider": "c", "strength": 3},
...     {"dependent": "b", "provider": "c", "strength": 2}])
>>> frame = shock(net, "c")
>>> frame["impairment"].tolist(), frame["round"].tolist()
([1.0, 1.0, 1.0], [2.0, 2.0, 1.0])
>>> frame.attrs["impaired_share"], frame.attrs["rounds"]
(1.0, 2)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..base.arguments import dimension_list
from ..errors import UsageError, shown
from ..network.model import Network

__all__ = ["ImpactMatrix", "impact_matrix", "shock", "systemic_impact"]

#: Below this much work (sources x (nodes + weights)) the cascades run on one thread: starting
#: Numba's thread pool costs more.
PARALLEL_WORK = 2_000_000

#: Above this many nodes, an unknown id gets no "did you mean" (difflib compares with each).
MAX_IDS_TO_COMPARE = 50_000


@dataclass(frozen=True)
class ImpactMatrix:
    """The impact matrix W stored by provider, the owners' infrastructures and the value weights.

    Attributes
    ----------
    node_ids : pandas.Index
        Actors in table order, then infrastructures.
    n_actors : int
    col_ptr, col_idx, col_w : numpy.ndarray
        For node j, its dependents ``col_idx[col_ptr[j]:col_ptr[j + 1]]``
        (ascending) and the weights W[i, j] of those dependents.
    own_ptr, own_idx : numpy.ndarray
        For actor a, the infrastructures that follow it
        (``own_idx[own_ptr[a]:own_ptr[a + 1]]``); none without ``owner_impairs``.
    value : numpy.ndarray
        The value weight of each actor (sums to 1, or all 0 without dependencies).
    dimensions : tuple of str
        The dimensions whose dependencies count.
    """

    node_ids: pd.Index
    n_actors: int
    col_ptr: np.ndarray
    col_idx: np.ndarray
    col_w: np.ndarray
    own_ptr: np.ndarray
    own_idx: np.ndarray
    value: np.ndarray
    dimensions: tuple[str, ...]

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
        """What the kernels take: the CSR of W, the owners' lists and n_actors."""
        return self.col_ptr, self.col_idx, self.col_w, self.own_ptr, self.own_idx, self.n_actors

    def dense(self) -> np.ndarray:
        """W as a dense (n x n) array, rows the dependents (for tests and small networks)."""
        n = len(self.node_ids)
        w = np.zeros((n, n))
        columns = np.repeat(np.arange(n), np.diff(self.col_ptr))
        w[self.col_idx, columns] = self.col_w
        return w


def impact_matrix(
    network: Network, *, dimensions: str | Sequence[str] | None = None, owner_impairs: bool = True
) -> ImpactMatrix:
    """Build the impact matrix W of ``network`` (module docstring, "Impact matrix").

    Raises
    ------
    UsageError
        An unknown dimension, or ``dimensions`` of the wrong type.
    """
    dimensions = dimension_list(dimensions)
    chosen = _choose_dimensions(network, dimensions)
    deps = network.dependencies
    rows = np.arange(len(deps)) if dimensions is None else np.flatnonzero(deps["dimension"].isin(chosen).to_numpy())
    index = pd.Index(network.node_ids, dtype=object)
    n, n_actors = len(index), network.n_actors
    dependent = index.get_indexer(deps["dependent"].to_numpy()[rows]).astype(np.int64)
    provider = index.get_indexer(deps["provider"].to_numpy()[rows]).astype(np.int64)
    strength = deps["strength"].to_numpy(dtype=float)[rows]
    vias = deps["via"].to_numpy()[rows]
    lengths = np.fromiter((len(v) for v in vias), dtype=np.int64, count=len(vias))
    flat = [x for route in vias.tolist() for x in route]
    through = index.get_indexer(pd.Index(flat, dtype=object)).astype(np.int64) if flat else np.zeros(0, np.int64)
    # one entry per (dependency, node on its route): the provider's entries first, then the infrastructures'
    i_all = np.concatenate([dependent, np.repeat(dependent, lengths)])
    j_all = np.concatenate([provider, through])
    s_all = np.concatenate([strength, np.repeat(strength, lengths)])
    total = np.bincount(dependent, weights=strength, minlength=n_actors)[:n_actors]
    key = j_all * max(n, 1) + i_all
    order = np.argsort(key, kind="stable")  # each (j, i) pair's strengths in the order of the dependencies
    key = key[order]
    if len(key):
        start = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]]))
        summed = np.add.reduceat(s_all[order], start)
        key = key[start]
    else:
        summed = np.zeros(0)
    columns, dependents = key // max(n, 1), key % max(n, 1)
    col_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(columns, minlength=n), out=col_ptr[1:])
    col_w = summed / total[dependents]
    grand = float(total.sum())
    value = total / grand if grand > 0 else np.zeros(n_actors)
    own_ptr = np.zeros(n_actors + 1, dtype=np.int64)
    own_idx = np.zeros(0, dtype=np.int32)
    if owner_impairs and network.n_infrastructures:
        owners = network.infrastructures["owner"]
        owned = np.flatnonzero(owners.notna().to_numpy())
        if len(owned):
            owner = index.get_indexer(owners.to_numpy()[owned]).astype(np.int64)
            by_owner = np.argsort(owner, kind="stable")
            np.cumsum(np.bincount(owner, minlength=n_actors), out=own_ptr[1:])
            own_idx = (n_actors + owned[by_owner]).astype(np.int32)
    return ImpactMatrix(
        node_ids=index, n_actors=n_actors, col_ptr=col_ptr, col_idx=dependents.astype(np.int32),
        col_w=np.ascontiguousarray(col_w, dtype=float), own_ptr=own_ptr, own_idx=own_idx, value=value,
        dimensions=tuple(chosen),
    )


def shock(
    network: Network,
    fail: str | Sequence[str],
    *,
    dimensions: str | Sequence[str] | None = None,
    owner_impairs: bool = True,
) -> pd.DataFrame:
    """Propagate the failure of ``fail`` through the network, in DebtRank rounds.

    Parameters
    ----------
    network : Network
    fail : str or sequence of str
        The actors and infrastructures that fail (impairment 1 in round 1).
    dimensions : str or sequence of str, optional
        Only dependencies in these dimensions carry impairment and weigh
        (all by default).
    owner_impairs : bool, default True
        An infrastructure is impaired as much as its owner (a failed actor
        takes its infrastructures with it); False: only when it fails itself.

    Returns
    -------
    pandas.DataFrame
        Indexed by node id (``id``; actors, then infrastructures):
        ``impairment`` (h at the end, in [0, 1]) and ``round`` (the round in
        which the node was first distressed: 1 for the failed nodes; NaN
        where never). ``attrs``: ``impaired_share`` (sum_i v_i h_i over
        actors), ``debtrank`` (that less the failed actors' own share),
        ``failed`` (the ids given, without repeats), ``rounds`` (the last
        round in which a node was distressed), ``dimensions``,
        ``owner_impairs``.

    Raises
    ------
    UsageError
        An id in ``fail`` that is neither an actor nor an infrastructure
        (naming it), an empty ``fail``, or an unknown dimension.
    """
    from . import _shock_kernels

    failed = failed_positions(network, fail)
    matrix = impact_matrix(network, dimensions=dimensions, owner_impairs=owner_impairs)
    h, first, rounds = _shock_kernels.run_once(*matrix.arrays(), np.array(failed, dtype=np.int64))
    n_actors = matrix.n_actors
    share = float(matrix.value @ h[:n_actors])
    own = float(sum(matrix.value[p] for p in failed if p < n_actors))
    frame = pd.DataFrame(
        {"impairment": h, "round": np.where(first > 0, first.astype(float), np.nan)},
        index=pd.Index(matrix.node_ids, name="id"),
    )
    frame.attrs.update({
        "impaired_share": share, "debtrank": share - own, "failed": [str(matrix.node_ids[p]) for p in failed],
        "rounds": rounds, "dimensions": list(matrix.dimensions), "owner_impairs": bool(owner_impairs),
    })
    return frame


def systemic_impact(
    network: Network,
    *,
    dimensions: str | Sequence[str] | None = None,
    owner_impairs: bool = True,
    workers: int | None = None,
    scheduler: str | None = None,
) -> pd.DataFrame:
    """Each actor's systemic impact: the impaired share of all actors when it alone fails.

    What fails is the actor and, with ``owner_impairs``, its
    infrastructures; the rounds are those of :func:`shock`.

    Parameters
    ----------
    network : Network
    dimensions, owner_impairs :
        As for :func:`shock`.
    workers : int, optional
        How many run in parallel: Numba threads in this process (default:
        all of Numba's threads), or with ``scheduler`` worker processes. The
        values do not depend on it.
    scheduler : str, optional
        ``"dask"`` or a Dask scheduler address: the actors are split into
        groups computed on Dask workers (docs/api.md).

    Returns
    -------
    pandas.DataFrame
        Indexed by actor id (``id``): ``systemic_impact`` (the impaired share
        when the actor fails) and ``debtrank`` (that less the actor's own
        value weight). ``attrs``: ``dimensions``, ``owner_impairs``.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": i} for i in "abc"],
    ...     [{"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "c"}])
    >>> systemic_impact(net)["systemic_impact"].tolist()  # c takes b, then a, with it
    [0.5, 1.0, 1.0]
    """
    from . import _shock_kernels

    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, (int, np.integer))
                                or workers < 1):
        raise UsageError(f"workers must be an int of at least 1, got {workers!r}")
    matrix = impact_matrix(network, dimensions=dimensions, owner_impairs=owner_impairs)
    n_actors = matrix.n_actors
    sources = np.arange(n_actors, dtype=np.int64)
    if scheduler is not None:
        from ..base.executor import Executor

        groups = [sources[k::GROUPS] for k in range(min(GROUPS, n_actors))]
        with Executor(workers, scheduler=scheduler) as run:
            parts = run.map(_group_state, matrix, _group_shares, groups)
        shares = np.zeros(n_actors)
        for group, part in zip(groups, parts):
            shares[group] = part
    else:
        work = n_actors * (len(matrix.node_ids) + len(matrix.col_w))
        if workers is not None:
            lanes = int(workers)
        elif work >= PARALLEL_WORK:
            import numba

            lanes = int(numba.get_num_threads())  # starts Numba's thread pool: only for work worth it
        else:
            lanes = 1
        shares = _shock_kernels.each_alone(*matrix.arrays(), matrix.value, sources, lanes)
    frame = pd.DataFrame(
        {"systemic_impact": shares, "debtrank": shares - matrix.value},
        index=pd.Index(matrix.node_ids[:n_actors], name="id"),
    )
    frame.attrs.update({"dimensions": list(matrix.dimensions), "owner_impairs": bool(owner_impairs)})
    return frame


#: Groups of source actors handed to worker processes with a scheduler (interleaved, fixed: the values
#: do not depend on the number of workers).
GROUPS = 64


def _group_state(matrix: ImpactMatrix) -> ImpactMatrix:
    return matrix


def _group_shares(matrix: ImpactMatrix, group: np.ndarray) -> np.ndarray:
    from . import _shock_kernels

    return _shock_kernels.each_alone(*matrix.arrays(), matrix.value, group, 1)


def failed_positions(network: Network, fail: Any, name: str = "fail") -> list[int]:
    """The node positions of the ids in ``fail`` (a str or a sequence of them), without repeats.

    Raises
    ------
    UsageError
        ``fail`` empty or not strings, or an id that is neither an actor nor
        an infrastructure; the message starts with ``name`` and names the id.
    """
    if isinstance(fail, str):
        ids = [fail]
    elif isinstance(fail, (bytes, bytearray)) or not isinstance(fail, Iterable):
        raise UsageError(f"{name} must be an actor or infrastructure id or a list of them, not {type(fail).__name__}")
    else:
        ids = list(fail)
    bad = [x for x in ids if not isinstance(x, str)]
    if bad:
        raise UsageError(f"{name} must hold ids (strings), not {type(bad[0]).__name__} {shown(bad[0])}")
    if not ids:
        raise UsageError(f"{name}: name at least one actor or infrastructure that fails")
    ids = list(dict.fromkeys(ids))
    index = pd.Index(network.node_ids, dtype=object)
    positions = index.get_indexer(pd.Index(ids, dtype=object))
    missing = np.flatnonzero(positions < 0)
    if len(missing):
        unknown = ids[int(missing[0])]
        raise UsageError(f"{name}: {shown(unknown)} is neither an actor nor an infrastructure of the network"
                         f"{_did_you_mean(unknown, index)}")
    return [int(p) for p in positions]


def _did_you_mean(value: str, known: pd.Index) -> str:
    if len(known) > MAX_IDS_TO_COMPARE:
        return ""
    import difflib

    close = difflib.get_close_matches(value, [k for k in known.tolist() if isinstance(k, str)], n=1, cutoff=0.75)
    return f" (did you mean {shown(close[0])}?)" if close else ""


def _choose_dimensions(network: Network, dimensions: list[str] | None) -> list[str]:
    known = list(network.dimensions.index)
    if dimensions is None:
        return known
    unknown = [d for d in dimensions if d not in known]
    if unknown:
        raise UsageError(f"unknown dimension {unknown[0]!r}; the network has: {', '.join(known) or 'none'}")
    return dimensions
