"""Integrated ownership: the shares an owner holds in an actor directly and through chains and cycles of holdings.

Vitali, Glattfelder & Battiston (2011), "The network of global corporate
control", PLoS ONE 6(10): e25995, Fig. 1 A-B and Appendix S1, section 3.1:
with ``W`` the direct ownership matrix (``W[i, j]`` the share of ``j`` that
``i`` holds, repeated records of a pair summed), the integrated ownership is

    W~ = (I - W)^-1 W = W + W^2 + W^3 + ...

the sum, over every chain of holdings ``i -> k1 -> ... -> j``, of the product
of the shares along it. In a cycle (a holds 50% of b, b holds 30% of a) the
chains go round it again and again; the series converges as long as the
spectral radius of ``W`` is below 1, and the diagonal ``W~[i, i]`` is then
the share ``i`` holds in itself through the cycle. The spectral radius is 1
exactly where a set of actors holds every share of each of its members (a
closed loop: a holds 100% of b and b 100% of a); integrated ownership is
infinite there, and :class:`ClosedLoop` says so. Appendix S1, sections
3.2-3.3, correct the control *values* computed from it for contributions
that cycles count more than once; dependencia does not apply that
correction (docs/model.md#control).

Examples
--------
>>> import dependencia as dp
>>> net = dp.Network.from_records([{"id": i} for i in "abc"], ownership=[
...     {"owner": "a", "owned": "b", "share": 0.5}, {"owner": "b", "owned": "c", "share": 0.4}])
>>> integrated_ownership(net).round(3).to_dict("index")  # a holds 0.5 x 0.4 of c through b
{'a': {'b': 0.5, 'c': 0.2}, 'b': {'b': 0.0, 'c': 0.4}}
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np
import pandas as pd

from ..errors import InputError, UsageError, shown
from .schema import Locator, fail

__all__ = ["MAX_CELLS", "ClosedLoop", "closed_loop", "holdings_matrix", "integrated_matrix", "integrated_ownership"]

#: A column of W summing to at least 1 minus this is "every share held" (rounding in input files).
LOOP_TOLERANCE = 1e-9
#: How many members of a closed loop an error message names.
_NAMED = 6
#: :func:`integrated_matrix` solves densely up to this many actors when they have a strongly connected core ...
DENSE_LIMIT = 4000
#: ... of more than this many actors (then the result is dense anyway).
DENSE_CORE = 64
_NEGLIGIBLE = 1e-17
_CONVERGED = 1e-13
_MAX_DOUBLINGS = 64
#: The most cells :func:`integrated_ownership` returns (8 bytes each: 400 MB).
MAX_CELLS = 50_000_000


class _HasOwnership(Protocol):
    """What :func:`integrated_ownership` reads of a Network (the network layer's model, without importing it)."""

    @property
    def actors(self) -> pd.DataFrame: ...

    @property
    def ownership(self) -> pd.DataFrame: ...

    def locate(self, table: str, row: int | None, field: str | None) -> tuple[str | None, str | None]: ...


class ClosedLoop(ValueError):
    """A set of actors that holds every share of each of its members: integrated ownership is infinite.

    Attributes
    ----------
    members : list of str
        The actors of the loop, sorted.
    """

    def __init__(self, members: list[str]):
        self.members = members
        named = ", ".join(shown(m) for m in members[:_NAMED]) + (
            f" and {len(members) - _NAMED} more" if len(members) > _NAMED else "")
        super().__init__(
            f"the holdings among {named} form a closed loop: every share of each of them is held inside the "
            "loop, so the spectral radius of the ownership matrix is 1 and integrated ownership (I - W)^-1 W "
            "has no finite value (docs/model.md#control)"
        )

    def located(self, ownership: pd.DataFrame, locate: Locator) -> InputError:
        """The error as an :class:`InputError` at the first ownership record inside the loop."""
        inside = (ownership["owner"].isin(self.members) & ownership["owned"].isin(self.members)).to_numpy()
        row = int(np.flatnonzero(inside)[0]) if inside.any() else None
        return fail(locate, "ownership", row, "share", str(self))


def holdings_matrix(ownership: pd.DataFrame, ids: pd.Index) -> Any:
    """The direct ownership matrix W over ``ids`` as a SciPy CSR matrix (repeated pairs summed).

    Examples
    --------
    >>> own = pd.DataFrame({"owner": ["a", "a"], "owned": ["b", "b"], "share": [0.2, 0.3]})
    >>> holdings_matrix(own, pd.Index(["a", "b"])).toarray().tolist()
    [[0.0, 0.5], [0.0, 0.0]]
    """
    from scipy import sparse

    rows = ids.get_indexer(ownership["owner"])
    cols = ids.get_indexer(ownership["owned"])
    shares = ownership["share"].to_numpy(dtype=float)
    n = len(ids)
    return sparse.coo_matrix((shares, (rows, cols)), shape=(n, n)).tocsr()  # duplicates add up


def closed_loop(matrix: Any, ids: pd.Index) -> list[str] | None:
    """The members of a closed loop of W (sorted), or None when its spectral radius is below 1.

    For a strongly connected set of actors whose columns of W sum to at most 1
    (shares held in one actor sum to at most 1), the spectral radius of its
    block is 1 exactly when every column of the block sums to 1
    (Perron-Frobenius), i.e. when every share of each member is held by
    members; otherwise it is below 1. The spectral radius of W is the largest
    over its strongly connected components.

    Examples
    --------
    >>> from scipy import sparse
    >>> ring = sparse.csr_matrix([[0.0, 1.0], [1.0, 0.0]])
    >>> closed_loop(ring, pd.Index(["a", "b"]))
    ['a', 'b']
    >>> closed_loop(sparse.csr_matrix([[0.0, 1.0], [0.9, 0.0]]), pd.Index(["a", "b"])) is None
    True
    """
    from scipy.sparse import csgraph

    if matrix.nnz == 0:
        return None
    count, labels = csgraph.connected_components(matrix, directed=True, connection="strong")
    if count == matrix.shape[0]:  # no cycle at all
        return None
    coo = matrix.tocoo()
    inside = labels[coo.row] == labels[coo.col]
    held_inside = np.bincount(coo.col[inside], weights=coo.data[inside], minlength=matrix.shape[0])
    sizes = np.bincount(labels, minlength=count)
    # per component: the least share of a member held inside it
    least = np.full(count, np.inf)
    np.minimum.at(least, labels, held_inside)
    closed = np.flatnonzero((sizes > 1) & (least >= 1.0 - LOOP_TOLERANCE))
    if not len(closed):
        return None
    members = ids[labels == closed[0]]
    return sorted(str(m) for m in members)


def integrated_matrix(matrix: Any, ids: pd.Index) -> Any:
    """``(I - W)^-1 W`` as a SciPy CSR matrix; :class:`ClosedLoop` where it has no finite value.

    A strongly connected core of more than :data:`DENSE_LIMIT` actors is
    refused (:class:`~dependencia.errors.UsageError`): the result would be
    dense over it. Where W has a strongly connected set of more than
    :data:`DENSE_CORE` actors and at most :data:`DENSE_LIMIT` actors in all, a dense solve
    (numpy): the result is dense there anyway. Otherwise by doubling,
    ``(I - W)^-1 = (I + W)(I + W^2)(I + W^4)...``, in sparse products: exact
    after log2(depth) steps where holdings have no cycle (a register's
    pyramids), and converged to a relative 1e-13 where they have. Terms
    below 1e-17 are dropped from the powers of W.

    Examples
    --------
    >>> from scipy import sparse
    >>> w = sparse.csr_matrix([[0.0, 0.5], [0.3, 0.0]])  # a holds 50% of b, b 30% of a
    >>> (integrated_matrix(w, pd.Index(["a", "b"])).toarray() * 0.85).round(6).tolist()
    [[0.15, 0.5], [0.3, 0.15]]
    """
    from scipy import sparse
    from scipy.sparse import csgraph

    members = closed_loop(matrix, ids)
    if members is not None:
        raise ClosedLoop(members)
    n = matrix.shape[0]
    if matrix.nnz == 0:
        return sparse.csr_matrix((n, n))
    _, labels = csgraph.connected_components(matrix, directed=True, connection="strong")
    core = int(np.bincount(labels).max())
    if core > DENSE_LIMIT:
        raise UsageError(
            f"{core:,} actors hold shares of each other in one strongly connected core: their integrated "
            f"ownership is a dense {core:,} x {core:,} matrix, more than this computes ({DENSE_LIMIT:,}); the "
            "majority and threshold models of control do not need it")
    if n <= DENSE_LIMIT and core > DENSE_CORE:
        dense = matrix.toarray()
        return sparse.csr_matrix(np.linalg.solve(np.eye(n) - dense, dense))
    identity = sparse.identity(n, format="csr")
    total = identity.copy()  # sum of W^k, k < 2^steps
    power = matrix.tocsr().copy()  # W^(2^steps)
    for _ in range(_MAX_DOUBLINGS):
        total = total + total @ power
        power = power @ power
        power.data[power.data < _NEGLIGIBLE] = 0.0
        power.eliminate_zeros()
        if power.nnz == 0 or power.data.max() * (1.0 + total.data.max()) < _CONVERGED:
            break
    integrated = (total @ matrix).tocsr()  # (sum of W^k) W: the same as (I - W)^-1 W once converged
    integrated.eliminate_zeros()
    return integrated


def integrated_ownership(network: _HasOwnership) -> pd.DataFrame:
    """The integrated ownership ``(I - W)^-1 W`` of a network's holdings (docs/model.md#control).

    Parameters
    ----------
    network : Network

    Returns
    -------
    pandas.DataFrame
        One row per actor that holds shares (index ``owner``) and one column
        per actor whose shares are held (columns ``owned``), both in the order
        of the actors table: the share of the column actor that the row actor
        holds directly and through every chain of holdings (Vitali,
        Glattfelder & Battiston 2011). Where actors hold each other in a
        cycle, an owner's own column (if it is held) carries the share it
        holds in itself through the cycle. Empty when the network has no
        ownership records.

    Raises
    ------
    InputError
        A closed loop (a set of actors that holds every share of each of its
        members): integrated ownership is infinite. The message names the
        loop's members and the first ownership record inside it.
    UsageError
        A table of more than :data:`MAX_CELLS` cells, or a strongly connected
        core of more than :data:`DENSE_LIMIT` actors.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": "a"}, {"id": "b"}], ownership=[
    ...     {"owner": "a", "owned": "b", "share": 0.5}, {"owner": "b", "owned": "a", "share": 0.3}])
    >>> table = dp.integrated_ownership(net)  # a in b: 0.5 (1 + 0.15 + 0.15^2 + ...) = 0.5 / 0.85
    >>> (table * 0.85).round(6).to_dict("index")
    {'a': {'a': 0.15, 'b': 0.5}, 'b': {'a': 0.3, 'b': 0.15}}
    """
    own = network.ownership
    actors = network.actors.index
    owners = actors[actors.isin(own["owner"])]
    owned = actors[actors.isin(own["owned"])]
    if own.empty:
        return pd.DataFrame(index=pd.Index([], name="owner", dtype=object),
                            columns=pd.Index([], name="owned", dtype=object), dtype=float)
    if len(owners) * len(owned) > MAX_CELLS:
        raise UsageError(
            f"the integrated ownership of {len(owners):,} owners in {len(owned):,} owned actors would be a table of "
            f"{len(owners) * len(owned):,} cells, more than {MAX_CELLS:,}; control under the linear model "
            "(Network.with_control('linear')) needs only its large entries")
    ids = actors[actors.isin(own["owner"]) | actors.isin(own["owned"])]
    matrix = holdings_matrix(own, ids)
    try:
        integrated = integrated_matrix(matrix, ids)
    except ClosedLoop as loop:
        raise loop.located(own, network.locate) from None
    values = integrated[ids.get_indexer(owners)][:, ids.get_indexer(owned)].toarray()
    return pd.DataFrame(values, index=pd.Index(owners, name="owner", dtype=object),
                        columns=pd.Index(owned, name="owned", dtype=object))
