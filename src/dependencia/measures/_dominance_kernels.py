"""Compiled kernels (Numba) for dominance: one dominator tree per source, counted per actor.

For a source s, node d *dominates* node t when d lies on every path from s to
t; the immediate dominators form a tree rooted at s (the dominator tree), and
d dominates t exactly when t lies in d's subtree. The tree is built with the
semi-NCA algorithm (Georgiadis, Tarjan and Werneck 2006): a depth-first
search numbers the reached nodes in preorder; Lengauer and Tarjan's
semidominators are computed in reverse preorder with path compression; then,
in preorder, each node's immediate dominator is the nearest ancestor, in the
dominator tree built so far, of its search-tree parent whose number is at
most its semidominator's. In practice it is among the fastest of the
classic algorithms (Cooper, Harvey and Kennedy's iterative one took 1.7
times as long on the benchmark graph of ``benchmarks/bench_dominance.py``).

From the tree, with ``actors[v]`` the actors in v's subtree (v included):

* a single node a (an actor controlling only itself) dominates
  ``actors[a] - 1`` actor targets from s;
* a group C dominates the actors in the union of its reached nodes'
  subtrees, less its own reached actors. The union is read off preorder
  intervals of the dominator tree (an Euler tour): v's subtree is the
  interval ``[pre[v], pre[v] + size[v])``; C's nodes sorted by ``pre`` keep
  only those not inside the interval of an earlier one.

Every kernel works in the numbers of the search (0 for the source): ``key[v]
- base`` is node v's number when it is at least 0 (``base`` grows with each
source, so nothing is reset between sources), ``vertex[k]`` the node
numbered k.

References
----------
T. Lengauer and R. E. Tarjan, "A fast algorithm for finding dominators in a
flowgraph", ACM TOPLAS 1(1), 121-141 (1979). doi:10.1145/357062.357071

L. Georgiadis, R. E. Tarjan and R. F. Werneck, "Finding dominators in
practice", Journal of Graph Algorithms and Applications 10(1), 69-94 (2006).
doi:10.7155/jgaa.00119

K. D. Cooper, T. J. Harvey and K. Kennedy, "A simple, fast dominance
algorithm", Software Practice and Experience 4 (2001), 1-10.
"""

from __future__ import annotations

import numpy as np

from ..base.jit import njit  # numba.njit, with a cache folder that can be written


@njit(cache=True)
def preorder(indptr, indices, source, key, base, vertex, parent, next_edge):
    """Depth-first search from ``source``: numbers the reached nodes in preorder; returns how many.

    Sets ``key[v] = base + k`` for the node numbered k, ``vertex[k] = v`` and
    ``parent[k]``, the number of its parent in the search tree (-1 for the
    source). ``key`` must be below ``base`` on every node on entry.
    """
    key[source] = base
    vertex[0] = source
    parent[0] = -1
    next_edge[0] = indptr[source]
    count = 1
    current = 0
    while current >= 0:
        v = vertex[current]
        e = next_edge[current]
        if e < indptr[v + 1]:
            next_edge[current] = e + 1
            w = indices[e]
            if key[w] < base:
                key[w] = base + count
                vertex[count] = w
                parent[count] = current
                next_edge[count] = indptr[w]
                current = count
                count += 1
        else:
            current = parent[current]
    return count


@njit(cache=True)
def immediate_dominators(rindptr, rindices, reached, key, base, vertex, parent, semi, label, ancestor, idom, stack):
    """Immediate dominators, by number, of the nodes :func:`preorder` reached (semi-NCA); ``idom[0] = 0``.

    ``rindptr``/``rindices`` list each node's predecessors. ``label`` and
    ``ancestor`` are the path-compressed forest of Lengauer and Tarjan's
    ``eval``: after node w is processed ``label[w]`` is its semidominator and
    it hangs from its search-tree parent; ``eval(v)`` is the least label on
    the forest path from v up to, not including, its unprocessed root.
    """
    for k in range(reached):
        label[k] = k
        ancestor[k] = -1
    for w in range(reached - 1, 0, -1):
        node = vertex[w]
        best = w
        for e in range(rindptr[node], rindptr[node + 1]):
            v = key[rindices[e]] - base
            if v < 0:
                continue  # a predecessor the source does not reach
            if ancestor[v] >= 0:  # processed: compress its path, the least label ends at v
                u = v
                top = 0
                while ancestor[ancestor[u]] >= 0:
                    stack[top] = u
                    top += 1
                    u = ancestor[u]
                while top > 0:
                    top -= 1
                    u = stack[top]
                    a = ancestor[u]
                    if label[a] < label[u]:
                        label[u] = label[a]
                    ancestor[u] = ancestor[a]
            if label[v] < best:
                best = label[v]
        semi[w] = best
        label[w] = best
        ancestor[w] = parent[w]
    idom[0] = 0
    for k in range(1, reached):
        d = parent[k]
        bound = semi[k]
        while d > bound:
            d = idom[d]
        idom[k] = d


@njit(cache=True)
def _sort_by(keys, values, count):
    """Sort ``values[:count]`` in place by ``keys[value]`` (insertion sort for a few, else argsort)."""
    if count > 32:
        chosen = values[:count].copy()
        order = np.argsort(keys[chosen])
        for i in range(count):
            values[i] = chosen[order[i]]
        return
    for i in range(1, count):
        v = values[i]
        k = keys[v]
        j = i - 1
        while j >= 0 and keys[values[j]] > k:
            values[j + 1] = values[j]
            j -= 1
        values[j + 1] = v


@njit(cache=True)
def dominated_counts(indptr, indices, rindptr, rindices, sources, n_actors, group_ptr, group_nodes):
    """Dominated actor pairs from every source in ``sources``.

    Returns
    -------
    dominated : int64 array (n_actors)
        For each actor a (its own node alone), the targets t != a of another
        actor that a dominates, summed over sources s != a.
    reached_by : int64 array (n_actors)
        How many of the sources, other than a, reach actor a.
    reach : int64 array (n_actors)
        For each source s, the actors other than s that it reaches (0 for
        actors not in ``sources``).
    group_dominated, group_pairs : int64 arrays (groups)
        For group g (nodes ``group_nodes[group_ptr[g]:group_ptr[g + 1]]``),
        summed over the sources outside g: the actor targets outside g that a
        node of g dominates, and the actor targets outside g reached.
    """
    n = len(indptr) - 1
    groups = len(group_ptr) - 1
    dominated = np.zeros(n_actors, dtype=np.int64)
    reached_by = np.zeros(n_actors, dtype=np.int64)
    reach = np.zeros(n_actors, dtype=np.int64)
    group_dominated = np.zeros(groups, dtype=np.int64)
    group_pairs = np.zeros(groups, dtype=np.int64)
    key = np.full(n, -1, dtype=np.int64)
    vertex = np.empty(n, dtype=np.int64)
    parent = np.empty(n, dtype=np.int64)
    next_edge = np.empty(n, dtype=np.int64)
    semi = np.empty(n, dtype=np.int64)
    label = np.empty(n, dtype=np.int64)
    ancestor = np.empty(n, dtype=np.int64)
    idom = np.empty(n, dtype=np.int64)
    stack = np.empty(n, dtype=np.int64)
    actors = np.empty(n, dtype=np.int64)
    size = np.empty(n, dtype=np.int64)
    pre = np.empty(n, dtype=np.int64)
    slot = np.empty(n, dtype=np.int64)
    largest = 0
    for g in range(groups):
        largest = max(largest, group_ptr[g + 1] - group_ptr[g])
    members = np.empty(max(largest, 1), dtype=np.int64)
    for i in range(len(sources)):
        s = sources[i]
        base = i * n
        reached = preorder(indptr, indices, s, key, base, vertex, parent, next_edge)
        immediate_dominators(rindptr, rindices, reached, key, base, vertex, parent, semi, label, ancestor, idom,
                             stack)
        for k in range(reached):
            actors[k] = 1 if vertex[k] < n_actors else 0
            size[k] = 1
        for k in range(reached - 1, 0, -1):  # a node's immediate dominator has a smaller number
            d = idom[k]
            actors[d] += actors[k]
            size[d] += size[k]
        reach_s = actors[0] - 1
        reach[s] = reach_s
        for k in range(1, reached):
            v = vertex[k]
            if v < n_actors:
                dominated[v] += actors[k] - 1
                reached_by[v] += 1
        if groups == 0:
            continue
        pre[0] = 0  # preorder intervals of the dominator tree, parents first
        slot[0] = 1
        for k in range(1, reached):
            d = idom[k]
            pre[k] = slot[d]
            slot[d] += size[k]
            slot[k] = pre[k] + 1
        for g in range(groups):
            count = 0
            own = 0
            inside = False
            for j in range(group_ptr[g], group_ptr[g + 1]):
                c = group_nodes[j]
                if c == s:
                    inside = True
                    break
                k = key[c] - base
                if k >= 0:
                    members[count] = k
                    count += 1
                    if c < n_actors:
                        own += 1
            if inside:
                continue
            _sort_by(pre, members, count)
            end = -1
            covered = 0
            for j in range(count):
                k = members[j]
                if pre[k] >= end:
                    covered += actors[k]
                    end = pre[k] + size[k]
            group_dominated[g] += covered - own
            group_pairs[g] += reach_s - own
    return dominated, reached_by, reach, group_dominated, group_pairs
