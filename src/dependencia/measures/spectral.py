"""Linear algebra of the walk measures (Katz, Bonacich): the adjacency matrix, its spectral radius, (I - f M) x = b.

rho(A) is the largest Perron root of the graph's strong components (the
eigenvalues of A are those of its diagonal blocks): dense eigenvalues for
small components, power iteration (ARPACK where it is slow) for large ones.
The linear systems are solved by SciPy's sparse LU on small graphs and by
iteration on large ones (LU fills in). :mod:`.centrality` defines the
measures; the tests check both against NetworkX and NumPy.

Examples
--------
>>> import dependencia as dp
>>> net = dp.Network.from_records([{"id": "a"}, {"id": "b"}],
...     [{"dependent": "a", "provider": "b", "strength": 4}, {"dependent": "b", "provider": "a"}])
>>> graph = dp.compile_graph(net)
>>> round(spectral_radius(graph), 12)  # the cycle a -> b -> a: sqrt(4 * 1)
2.0
>>> solve(adjacency(graph).T.tocsc(), 0.1, np.ones(2), "alpha").round(6).tolist()  # x0 = 1.1 / 0.96
[1.145833, 1.458333]
"""

from __future__ import annotations

import numpy as np

from ..errors import UsageError
from ..graph.compiled import CompiledGraph

__all__ = ["DENSE_MAX", "DIRECT_MAX", "RADIUS_RTOL", "SOLVE_RTOL", "adjacency", "solve", "spectral_radius"]

#: Strong components up to this size get dense eigenvalues; larger ones power iteration (module notes).
DENSE_MAX = 400
#: Relative accuracy of rho(A) on a large component.
RADIUS_RTOL = 1e-10
#: Up to this many nodes the linear systems are solved by sparse LU; above, iteratively (LU fills in:
#: 100 s on a routed graph of 115,000 nodes, where the iteration takes 0.3 s).
DIRECT_MAX = 2000
#: Relative accuracy of the iterative solution.
SOLVE_RTOL = 1e-13


def adjacency(graph: CompiledGraph):  # -> scipy.sparse.csr_matrix
    """A as a SciPy CSR matrix: A[u, v] = strength of ``u -> v`` (both ways on an undirected graph).

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": "a"}, {"id": "b"}], [{"dependent": "a", "provider": "b", "strength": 2}])
    >>> adjacency(dp.compile_graph(net)).toarray().tolist()
    [[0.0, 2.0], [0.0, 0.0]]
    """
    from scipy import sparse

    n = graph.n_nodes
    source, target, strength = graph.source, graph.target, graph.strength.astype(float)
    if not graph.directed:
        source, target = np.concatenate([source, target]), np.concatenate([target, source])
        strength = np.concatenate([strength, strength])
    return sparse.csr_matrix((strength, (source, target)), shape=(n, n))


def spectral_radius(graph: CompiledGraph) -> float:
    """rho(A): the largest modulus of an eigenvalue of the strength-weighted adjacency matrix (0 when acyclic).

    The largest Perron root of the strong components: a component's is at
    most its largest row (and column) sum, so components are visited by that
    bound, largest first, until no bound exceeds the root found.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": "a"}, {"id": "b"}],
    ...     [{"dependent": "a", "provider": "b", "strength": 4}, {"dependent": "b", "provider": "a"}])
    >>> round(spectral_radius(dp.compile_graph(net)), 12)  # the cycle a -> b -> a: sqrt(4 * 1)
    2.0
    """
    from scipy.sparse import csgraph

    matrix = adjacency(graph).tocoo()
    if matrix.nnz == 0:
        return 0.0
    _, label = csgraph.connected_components(matrix, directed=True, connection="strong")
    inside = label[matrix.row] == label[matrix.col]
    if not inside.any():
        return 0.0
    rows, cols, weights = matrix.row[inside], matrix.col[inside], matrix.data[inside]
    component = label[rows]
    n = graph.n_nodes
    bound = np.zeros(int(label.max()) + 1)
    row_bound = np.zeros_like(bound)
    np.maximum.at(row_bound, label, np.bincount(rows, weights=weights, minlength=n))
    np.maximum.at(bound, label, np.bincount(cols, weights=weights, minlength=n))
    bound = np.minimum(bound, row_bound)
    order = np.argsort(component, kind="stable")
    rows, cols, weights, component = rows[order], cols[order], weights[order], component[order]
    starts = np.searchsorted(component, np.arange(len(bound) + 1))
    best = 0.0
    for c in np.argsort(-bound, kind="stable").tolist():
        if bound[c] <= best or bound[c] == 0:
            break
        part = slice(starts[c], starts[c + 1])
        best = max(best, _perron_root(rows[part], cols[part], weights[part]))
    return float(best)


def _perron_root(rows: np.ndarray, cols: np.ndarray, weights: np.ndarray) -> float:
    """The Perron root of one strong component given by its edges (global node numbers).

    Dense eigenvalues up to :data:`DENSE_MAX` nodes; above, power iteration
    on block + I (20 to 40 times faster than ARPACK on the large component of
    a routed graph), then ARPACK where that converges too slowly, then the
    iteration's upper bound.
    """
    from scipy import sparse

    nodes, local = np.unique(np.concatenate([rows, cols]), return_inverse=True)
    m = len(nodes)
    block = sparse.csr_matrix((weights, (local[:len(rows)], local[len(rows):])), shape=(m, m))
    if m <= DENSE_MAX:
        return float(np.abs(np.linalg.eigvals(block.toarray())).max())
    upper, converged = _power_iteration_root(block)
    if converged:
        return upper
    from scipy.sparse.linalg import ArpackError, ArpackNoConvergence, eigs

    try:
        # the Perron root is the one eigenvalue of largest real part (the others of its modulus are rotations)
        value = eigs(block, k=1, which="LR", tol=RADIUS_RTOL, maxiter=20 * m, return_eigenvectors=False)
        return float(np.abs(value).max())
    except (ArpackNoConvergence, ArpackError):
        return upper


def _power_iteration_root(block, *, iterations: int = 2000) -> tuple[float, bool]:
    """Perron root of an irreducible block by power iteration on block + I (primitive): (upper bound, converged).

    For x > 0, min_i (Bx)_i / x_i <= rho <= max_i (Bx)_i / x_i (Collatz and
    Wielandt); the iteration stops when the two agree within
    :data:`RADIUS_RTOL`, and the upper bound is returned, so that 1 / rho is
    never overestimated.
    """
    x = np.ones(block.shape[0])
    upper = np.inf
    for _ in range(iterations):
        y = block @ x + x
        ratio = y / x
        lower, upper = float(ratio.min()) - 1.0, float(ratio.max()) - 1.0
        if upper - lower <= RADIUS_RTOL * upper:
            return upper, True
        x = y / y.max()
    return upper, False


def solve(transposed, factor: float, right: np.ndarray, name: str) -> np.ndarray:
    """x solving (I - factor M) x = right, M sparse (CSC), |factor| rho(M) < 1.

    Sparse LU up to :data:`DIRECT_MAX` nodes. Above, the Neumann series
    x = right + factor M x iterated (it converges at the rate |factor| rho,
    0.9 or 0.5 with the defaults, and ends after the longest path on an
    acyclic graph), then BiCGSTAB from there when that is too slow (a factor
    close to 1 / rho).
    """
    from scipy import sparse

    n = transposed.shape[0]
    right = np.asarray(right, dtype=float)
    if n == 0:
        return np.zeros(0)
    if transposed.nnz == 0:
        return right.copy()
    system = (sparse.identity(n, format="csc") - factor * transposed).tocsc()
    if n <= DIRECT_MAX:
        from scipy.sparse.linalg import spsolve

        x = np.atleast_1d(spsolve(system, right))
    else:
        x = _iterate(transposed.tocsr(), factor, right, system)
    if not np.all(np.isfinite(x)):
        raise UsageError(f"{name} = {factor:.6g} is too close to 1/rho(A) on this graph (the solution does not "
                         f"converge); choose a smaller |{name}|")
    return x


def _iterate(matrix, factor: float, right: np.ndarray, system, *, iterations: int = 1000) -> np.ndarray:
    x = right.copy()
    for _ in range(iterations):
        y = right + factor * (matrix @ x)
        change = float(np.abs(y - x).max())
        x = y
        if change <= SOLVE_RTOL * float(np.abs(x).max()):
            return x
    from scipy.sparse.linalg import bicgstab

    system = system.tocsr()
    x, _ = bicgstab(system, right, x0=x, rtol=SOLVE_RTOL, atol=0.0, maxiter=10 * system.shape[0])
    residual = float(np.linalg.norm(system @ x - right)) / max(float(np.linalg.norm(right)), 1e-300)
    return x if residual <= 1e-8 else np.full(len(x), np.nan)  # not converged: the caller says so
