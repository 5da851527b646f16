"""Compiled kernels (Numba) on the routed graph with its route chains contracted (issue 16, speed).

On the routed graph every route node has one predecessor and one successor
(on an undirected graph: two neighbours), so the route nodes between two
model nodes form a *chain* ``u -> r1 -> ... -> rk -> w`` with exactly one
path through it. :func:`route_chains` replaces each chain by one edge
``u -> w`` whose length is the chain's summed length (k + 1 hops for hop
counts) and that carries the chain's id; parallel chains stay separate
edges, each a shortest path of its own when tied. The contracted graph has
only the actors and infrastructures, so the shortest-path DAG of a source
costs what it costs on the hub graph.

Shortest-path counts are those of the routed graph: a shortest s-t path of
the routed graph is a sequence of direct edges and whole chains. A path
passes a group when it passes one of the group's model nodes or uses a chain
with one of the group's route nodes.

Examples
--------
>>> import numpy as np
>>> # 0 -> 2 -> 1 with 2 a route node (n_model = 2), and a direct edge 0 -> 1
>>> indptr, indices = np.array([0, 2, 2, 3]), np.array([1, 2, 1])
>>> ok, ptr, target, length, chain, chain_ptr, chain_nodes = route_chains(indptr, indices, np.ones(3), 2, True)
>>> bool(ok), ptr.tolist(), target.tolist(), length.tolist(), chain.tolist(), chain_nodes.tolist()
(True, [0, 2, 2], [1, 1], [1.0, 2.0], [-1, 0], [2])
"""

from __future__ import annotations

import numpy as np

from ..base.jit import njit  # numba.njit, with a cache folder that can be written
from ._kernels import _same, reset, shortest_path_dag


@njit(cache=True)
def route_chains(indptr, indices, lengths, n_model, directed):
    """Contract the route chains of a CSR graph whose nodes from ``n_model`` on are route nodes.

    Returns (ok, indptr, indices, lengths, chain, chain_ptr, chain_nodes) of the
    contracted graph on the model nodes: ``chain[e]`` is the id of the chain
    behind edge e (-1 for a direct edge), chain c's route nodes are
    ``chain_nodes[chain_ptr[c]:chain_ptr[c + 1]]``. A chain's length adds its
    edges' lengths from its start. ``ok`` is False (and the rest empty) when
    a route node does not have exactly one way on (the caller then keeps the
    routed graph as it is). On an undirected graph (``directed`` False, the
    CSR holding both directions) a chain is one id for both directions.
    """
    n = len(indptr) - 1
    n_route = n - n_model
    chain_of = np.full(n_route, -1, dtype=np.int64)
    chain_nodes = np.empty(n_route, dtype=np.int64)
    chain_ptr = np.zeros(n_route + 1, dtype=np.int64)
    m = indptr[n_model]
    out_ptr = indptr[:n_model + 1].copy()
    out_target = np.empty(m, dtype=np.int64)
    out_length = np.empty(m)
    out_chain = np.empty(m, dtype=np.int64)
    n_chains = 0
    filled = 0
    for u in range(n_model):
        for e in range(indptr[u], indptr[u + 1]):
            w = indices[e]
            total = lengths[e]
            chain = -1
            if w >= n_model:
                new = chain_of[w - n_model] < 0
                chain = n_chains if new else chain_of[w - n_model]
                if new:
                    n_chains += 1
                previous = u
                r = w
                steps = 0
                while r >= n_model:
                    steps += 1
                    if steps > n_route:
                        return False, out_ptr[:1], out_target[:0], out_length[:0], out_chain[:0], chain_ptr[:1], \
                            chain_nodes[:0]
                    if new:
                        chain_of[r - n_model] = chain
                        chain_nodes[filled] = r
                        filled += 1
                    ways = indptr[r + 1] - indptr[r]
                    if ways != (1 if directed else 2):
                        return False, out_ptr[:1], out_target[:0], out_length[:0], out_chain[:0], chain_ptr[:1], \
                            chain_nodes[:0]
                    following = indptr[r]
                    if not directed and indices[following] == previous:
                        following += 1
                    total += lengths[following]
                    previous = r
                    r = indices[following]
                if new:
                    chain_ptr[chain + 1] = filled
                w = r
            out_target[e] = w
            out_length[e] = total
            out_chain[e] = chain
    if filled != n_route:  # a route node no chain from a model node reaches
        return False, out_ptr[:1], out_target[:0], out_length[:0], out_chain[:0], chain_ptr[:1], chain_nodes[:0]
    return True, out_ptr, out_target, out_length, out_chain, chain_ptr[:n_chains + 1].copy(), chain_nodes


@njit(cache=True)
def bucket_dag(indptr, indices, lengths, span, source, dist, sigma, final, order, bucket_head, entry_next,
               entry_node):
    """:func:`~dependencia.measures._kernels.shortest_path_dag` for lengths that are whole numbers 1 .. span - 1.

    Dial's bucket queue: ``span`` circular buckets of nodes by distance, so a
    node costs O(1) instead of a heap operation. ``bucket_head`` (length
    ``span``) must be -1 everywhere on entry and is again on return;
    ``entry_next`` and ``entry_node`` hold one entry per improvement (at most
    the number of edges plus one).
    """
    dist[source] = 0.0
    sigma[source] = 1.0
    entry_node[0] = source
    entry_next[0] = -1
    bucket_head[0] = 0
    entries = 1
    pending = 1
    reached = 0
    current = 0
    while pending > 0:
        b = current % span
        while bucket_head[b] >= 0:
            entry = bucket_head[b]
            bucket_head[b] = entry_next[entry]
            pending -= 1
            v = entry_node[entry]
            if final[v] or dist[v] != current:
                continue  # a stale entry
            final[v] = True
            order[reached] = v
            reached += 1
            for e in range(indptr[v], indptr[v + 1]):
                w = indices[e]
                if final[w]:
                    continue
                candidate = current + lengths[e]
                if candidate < dist[w]:
                    dist[w] = candidate
                    sigma[w] = sigma[v]
                    slot = int(candidate) % span
                    entry_node[entries] = w
                    entry_next[entries] = bucket_head[slot]
                    bucket_head[slot] = entries
                    entries += 1
                    pending += 1
                elif candidate == dist[w]:
                    sigma[w] += sigma[v]
        current += 1
    return reached


@njit(cache=True)
def contracted_pair_sums(indptr, indices, lengths, chain, weighted, span, sources, n_actors, node_group_ptr,
                         node_groups, chain_group_ptr, chain_groups, n_groups, singles):
    """Actor-pair sums of every model node and of every group on the contracted routed graph.

    Returns an array of ``n_model + n_groups`` values: first, for each model
    node v, the sum over ordered actor pairs (s, t), s in ``sources``,
    s != v != t, of the share of shortest s-t paths through v (Brandes);
    then, for each group g, the sum over ordered actor pairs (s, t), s in
    ``sources``, neither of them in g, of the share of shortest s-t paths
    that meet g (what :func:`~dependencia.measures._kernels.group_pair_sums`
    gives for the group on the routed graph). Model node v belongs to the
    groups ``node_groups[node_group_ptr[v]:node_group_ptr[v + 1]]``, chain c
    (one of whose route nodes is in a group) to
    ``chain_groups[chain_group_ptr[c]:chain_group_ptr[c + 1]]``. Actors are
    the nodes ``0 .. n_actors - 1``. ``span`` > 0: lengths are whole numbers
    below it (bucket queue); else Dijkstra. Without ``singles`` the node sums
    are left 0 (a later batch of groups).

    All groups share one forward pass over the DAG from s: ``through[i, g]``
    counts the shortest s-v paths (v the i-th node reached) that have met g:
    ``sigma[v]`` at a member, else the sum over DAG edges u -> v of
    ``sigma[u]`` for a chain of g and ``through[u, g]`` otherwise; a target
    t adds ``through[t, g] / sigma[t]``. Path counts are whole numbers, so the
    sums are exact in floating point below 2**53 and the order of the
    additions is the same as one group at a time.
    """
    n = len(indptr) - 1
    out = np.zeros(n + n_groups)
    dist = np.full(n, np.inf)
    sigma = np.zeros(n)
    final = np.zeros(n, dtype=np.bool_)
    order = np.empty(n, dtype=np.int64)
    position = np.empty(n, dtype=np.int64)
    delta = np.zeros(n)
    through = np.zeros((n, n_groups))
    share = np.zeros(n_groups)
    dag_ptr = np.empty(n + 1, dtype=np.int64)
    dag_next = np.empty(len(indices), dtype=np.int64)
    dag_chain = np.empty(len(indices), dtype=np.int64)
    heap_keys = np.empty(len(indices) + 1)
    heap_values = np.empty(len(indices) + 1, dtype=np.int64)
    bucket_head = np.full(max(span, 1), -1, dtype=np.int64)
    entry_next = np.empty(len(indices) + 1 if span > 0 else 0, dtype=np.int64)
    for s in sources:
        if span > 0:
            reached = bucket_dag(indptr, indices, lengths, span, s, dist, sigma, final, order, bucket_head,
                                 entry_next, heap_values)
        else:
            reached = shortest_path_dag(indptr, indices, lengths, weighted, s, dist, sigma, final, order, heap_keys,
                                        heap_values)
        edges = 0
        for i in range(reached):  # the DAG's edges, by position of their start
            v = order[i]
            position[v] = i
            dag_ptr[i] = edges
            for e in range(indptr[v], indptr[v + 1]):
                w = indices[e]
                if dist[w] > dist[v] and _same(dist[v] + lengths[e], dist[w]):
                    dag_next[edges] = w
                    dag_chain[edges] = chain[e]
                    edges += 1
        dag_ptr[reached] = edges
        for i in range(reached - 1 if singles else -1, -1, -1):  # Brandes: the dependency of s on each node
            v = order[i]
            total = 0.0
            for k in range(dag_ptr[i], dag_ptr[i + 1]):
                w = dag_next[k]
                total += sigma[v] / sigma[w] * ((1.0 if w < n_actors else 0.0) + delta[w])
            delta[v] = total
            if v != s:
                out[v] += total
        for i in range(reached):
            delta[order[i]] = 0.0
        if n_groups == 0:
            reset(order, reached, dist, sigma, final)
            continue
        for i in range(reached):  # all groups at once, in the DAG's order
            v = order[i]
            row = through[i]
            for j in range(node_group_ptr[v], node_group_ptr[v + 1]):
                row[node_groups[j]] = 0.0  # a member is no target of its group
            if v < n_actors and v != s:
                for g in range(n_groups):
                    share[g] += row[g] / sigma[v]
            for j in range(node_group_ptr[v], node_group_ptr[v + 1]):
                row[node_groups[j]] = sigma[v]  # paths meet the group here
            for k in range(dag_ptr[i], dag_ptr[i + 1]):
                w = dag_next[k]
                c = dag_chain[k]
                successor = through[position[w]]
                if c >= 0 and chain_group_ptr[c + 1] > chain_group_ptr[c]:
                    for g in range(n_groups):
                        successor[g] += row[g]
                    for j in range(chain_group_ptr[c], chain_group_ptr[c + 1]):
                        g = chain_groups[j]
                        successor[g] += sigma[v] - row[g]
                else:
                    for g in range(n_groups):
                        successor[g] += row[g]
        for j in range(node_group_ptr[s], node_group_ptr[s + 1]):
            share[node_groups[j]] = 0.0  # a member is no source of its group
        for g in range(n_groups):
            out[n + g] += share[g]
            share[g] = 0.0
        for i in range(reached):
            through[i, :] = 0.0
        reset(order, reached, dist, sigma, final)
    return out
