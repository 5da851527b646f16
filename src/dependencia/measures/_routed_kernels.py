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


#: Path counts up to this fit the compact rows of :func:`group_counts` (uint16) and stay exact there.
COMPACT_MAX = 65535.0
#: Row width unit: a compact row holds ``64 * blocks`` groups, so that the row loops have a fixed length.
BLOCK = 64
#: ``dag_group`` of a DAG edge whose chain is in no group, and of one in several groups (then see the edge's list).
NO_GROUP, GROUPS = -1, -2


@njit(cache=True)
def bucket_dag(indptr, indices, lengths, span, source, edge_group, dist, sigma, order, bucket_head, entry_next,
               entry_node, dag_ptr, dag_next, dag_edge, dag_group):
    """The shortest-path DAG from ``source``, lengths whole numbers 1 .. span - 1; returns (reached, compact).

    Dial's bucket queue: ``span`` circular buckets of nodes by distance, so a
    node costs O(1) instead of a heap operation. As a node v settles (its
    distance and ``sigma[v]`` final), the DAG edges from it are recorded:
    ``dag_next``, ``dag_edge`` and ``dag_group`` (``edge_group`` of the edge,
    read here in the edge's order rather than later at random) from
    ``dag_ptr[i]``, i its position in ``order``. ``compact`` is True while no
    path count exceeds :data:`COMPACT_MAX`. ``bucket_head`` must be -1
    everywhere on entry and is again on return.

    No array of settled nodes is read: lengths are at least 1, so an edge
    to a settled node w (``dist[w]`` <= the current distance) is never
    shorter nor as short, and a node has at most one entry at its distance
    (it is entered only when its distance drops), so an entry whose
    distance is not the node's is stale. That saves a random read per
    scanned edge.
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
    edges = 0
    improved = False
    compact = True
    while pending > 0:
        b = current % span
        while bucket_head[b] >= 0:
            entry = bucket_head[b]
            bucket_head[b] = entry_next[entry]
            pending -= 1
            v = entry_node[entry]
            if dist[v] != current:
                continue  # a stale entry
            order[reached] = v
            dag_ptr[reached] = edges
            reached += 1
            sv = sigma[v]
            if sv > COMPACT_MAX:
                compact = False
            for e in range(indptr[v], indptr[v + 1]):
                w = indices[e]
                candidate = current + lengths[e]  # > dist[w] for a settled w
                if candidate < dist[w]:
                    if dist[w] != np.inf:  # a shorter way: what came the longer way does not count
                        improved = True
                    dist[w] = candidate
                    sigma[w] = sv
                    k = int(candidate) % span
                    entry_node[entries] = w
                    entry_next[entries] = bucket_head[k]
                    bucket_head[k] = entries
                    entries += 1
                    pending += 1
                elif candidate == dist[w]:
                    sigma[w] += sv
                else:
                    continue
                dag_next[edges] = w
                dag_edge[edges] = e
                dag_group[edges] = edge_group[e]
                edges += 1
        current += 1
    dag_ptr[reached] = edges
    if improved:  # drop the edges recorded to nodes that a shorter way reached later
        kept = 0
        for i in range(reached):
            v = order[i]
            start = dag_ptr[i]
            dag_ptr[i] = kept
            for k in range(start, dag_ptr[i + 1]):
                if dist[v] + lengths[dag_edge[k]] == dist[dag_next[k]]:
                    dag_next[kept] = dag_next[k]
                    dag_edge[kept] = dag_edge[k]
                    dag_group[kept] = dag_group[k]
                    kept += 1
        dag_ptr[reached] = kept
    return reached, compact


@njit(cache=True)
def group_counts(through, reached, order, sigma, slot, dag_ptr, dag_next, dag_edge, dag_group, edge_group_ptr,
                 edge_groups, node_group_ptr, node_groups, node_met, unmet, edge_unmet):
    """For each group, the shortest paths that meet it first at each of its member nodes and DAG edges.

    One pass in the DAG's order. A node that is the tail of a DAG edge or a
    member of a group gets a row (``through[slot[v]]``): for each group g,
    the shortest paths from the source to v that have met g; an edge
    u -> v adds u's row to v's, all of u's paths for the groups of its
    chain; v's own groups get all of v's paths. The DAG's leaves, most of
    the reached nodes, need no row. Recorded: ``node_met[j]`` for each group
    of a member node (the paths that met it before), ``unmet[k]`` for the
    DAG edge k of one group ``dag_group[k]`` (the paths that meet it first
    on that edge), ``edge_unmet[j]`` for the groups of an edge of several.
    ``through`` holds uint16 rows (exact while no count exceeds
    :data:`COMPACT_MAX`) or float64 rows (exact below 2**53); it is zero
    again on return.
    """
    slots = 0
    for i in range(reached):
        v = order[i]
        if dag_ptr[i + 1] > dag_ptr[i] or node_group_ptr[v + 1] > node_group_ptr[v]:
            slot[v] = slots
            slots += 1
        else:
            slot[v] = -1
    width = through.shape[1]
    for i in range(reached):
        v = order[i]
        own = slot[v]
        if own < 0:
            continue
        count = sigma[v]
        for j in range(node_group_ptr[v], node_group_ptr[v + 1]):
            g = node_groups[j]
            node_met[j] = through[own, g]
            through[own, g] = count
        for k in range(dag_ptr[i], dag_ptr[i + 1]):
            g = dag_group[k]
            if g >= 0:
                unmet[k] = count - through[own, g]
            elif g == GROUPS:
                e = dag_edge[k]
                for j in range(edge_group_ptr[e], edge_group_ptr[e + 1]):
                    edge_unmet[j] = count - through[own, edge_groups[j]]
            t = slot[dag_next[k]]
            if t < 0:
                continue
            if width == BLOCK:  # a fixed length: compiled to a few vector additions
                into = through[t]
                row = through[own]
                for h in range(BLOCK):
                    into[h] += row[h]
            else:
                for h in range(width):
                    through[t, h] += through[own, h]
            if g >= 0:
                through[t, g] += count - through[own, g]  # every path along this chain meets g
            elif g == GROUPS:
                e = dag_edge[k]
                for j in range(edge_group_ptr[e], edge_group_ptr[e + 1]):
                    through[t, edge_groups[j]] += count - through[own, edge_groups[j]]
    for i in range(slots):
        for h in range(width):
            through[i, h] = 0


@njit(cache=True)
def contracted_pair_sums(indptr, indices, lengths, weighted, span, sources, n_actors, node_group_ptr, node_groups,
                         edge_group_ptr, edge_groups, n_groups, singles):
    """Actor-pair sums of every model node and of every group on the contracted routed graph.

    Returns an array of ``n_model + n_groups`` values: first, for each model
    node v, the sum over ordered actor pairs (s, t), s in ``sources``,
    s != v != t, of the share of shortest s-t paths through v (Brandes);
    then, for each group g, the sum over ordered actor pairs (s, t), s in
    ``sources``, neither of them in g, of the share of shortest s-t paths
    that meet g (what :func:`~dependencia.measures._kernels.group_pair_sums`
    gives for the group on the routed graph). Model node v belongs to the
    groups ``node_groups[node_group_ptr[v]:node_group_ptr[v + 1]]``, the
    contracted edge e (a chain one of whose route nodes is in a group) to
    ``edge_groups[edge_group_ptr[e]:edge_group_ptr[e + 1]]``. Actors are
    the nodes ``0 .. n_actors - 1``. ``span`` > 0: lengths are whole numbers
    below it (bucket queue); else Dijkstra. Without ``singles`` the node sums
    are left 0 (a later batch of groups).

    Each path that meets a group is credited where it meets the group
    first (:func:`group_counts`), in the backward pass of Brandes: on a
    member node v, the share ``(sigma[v] - met) / sigma[v]`` of the paths to
    v that had not met the group, times Brandes' dependency ``delta[v]``
    (the targets behind v); on a DAG edge v -> w of a chain of the group,
    ``unmet / sigma[v]`` times the edge's term of ``delta[v]``. A member
    target t is no target of its group: the paths to it that met the group
    before t, credited on the way, are taken off again (``met / sigma[t]``).
    """
    n = len(indptr) - 1
    out = np.zeros(n + n_groups)
    dist = np.full(n, np.inf)
    sigma = np.zeros(n)
    final = np.zeros(n, dtype=np.bool_)
    order = np.empty(n, dtype=np.int64)
    slot = np.empty(n, dtype=np.int64)
    delta = np.zeros(n)
    compact_rows = np.zeros((n if span > 0 and n_groups > 0 else 0, BLOCK * ((n_groups + BLOCK - 1) // BLOCK)),
                            dtype=np.uint16)
    rows = np.zeros((0, n_groups))  # float64 rows, allocated when first needed
    node_met = np.zeros(len(node_groups))
    edge_unmet = np.zeros(len(edge_groups))
    share = np.zeros(max(n_groups, 1))
    edge_group = np.full(len(indices), NO_GROUP, dtype=np.int64)  # an edge's one group, or GROUPS
    for e in range(len(indices)):
        if edge_group_ptr[e + 1] - edge_group_ptr[e] == 1:
            edge_group[e] = edge_groups[edge_group_ptr[e]]
        elif edge_group_ptr[e + 1] > edge_group_ptr[e]:
            edge_group[e] = GROUPS
    dag_ptr = np.empty(n + 1, dtype=np.int64)
    dag_next = np.empty(len(indices), dtype=np.int64)
    dag_edge = np.empty(len(indices), dtype=np.int64)
    dag_group = np.empty(len(indices), dtype=np.int64)
    unmet = np.empty(len(indices))
    heap_keys = np.empty(len(indices) + 1)
    heap_values = np.empty(len(indices) + 1, dtype=np.int64)
    bucket_head = np.full(max(span, 1), -1, dtype=np.int64)
    entry_next = np.empty(len(indices) + 1 if span > 0 else 0, dtype=np.int64)
    for s in sources:
        if span > 0:
            reached, compact = bucket_dag(indptr, indices, lengths, span, s, edge_group, dist, sigma, order,
                                          bucket_head, entry_next, heap_values, dag_ptr, dag_next, dag_edge, dag_group)
        else:
            reached = shortest_path_dag(indptr, indices, lengths, weighted, s, dist, sigma, final, order, heap_keys,
                                        heap_values)
            compact = False
            edges = 0
            for i in range(reached):  # the DAG's edges, by position of their start
                v = order[i]
                dag_ptr[i] = edges
                for e in range(indptr[v], indptr[v + 1]):
                    w = indices[e]
                    if dist[w] > dist[v] and _same(dist[v] + lengths[e], dist[w]):
                        dag_next[edges] = w
                        dag_edge[edges] = e
                        dag_group[edges] = edge_group[e]
                        edges += 1
            dag_ptr[reached] = edges
        if n_groups > 0:
            if not compact and len(rows) == 0:
                rows = np.zeros((n, n_groups))
            if compact:
                group_counts(compact_rows, reached, order, sigma, slot, dag_ptr, dag_next, dag_edge, dag_group,
                             edge_group_ptr, edge_groups, node_group_ptr, node_groups, node_met, unmet, edge_unmet)
            else:
                group_counts(rows, reached, order, sigma, slot, dag_ptr, dag_next, dag_edge, dag_group,
                             edge_group_ptr, edge_groups, node_group_ptr, node_groups, node_met, unmet, edge_unmet)
        for i in range(reached - 1 if singles or n_groups > 0 else -1, -1, -1):  # Brandes, and the groups' credits
            v = order[i]
            sv = sigma[v]
            total = 0.0
            for k in range(dag_ptr[i], dag_ptr[i + 1]):
                w = dag_next[k]
                term = sv / sigma[w] * ((1.0 if w < n_actors else 0.0) + delta[w])
                total += term
                g = dag_group[k]
                if g >= 0:
                    share[g] += unmet[k] / sv * term  # the paths that meet g first on this edge
                elif g == GROUPS:
                    e = dag_edge[k]
                    for j in range(edge_group_ptr[e], edge_group_ptr[e + 1]):
                        share[edge_groups[j]] += edge_unmet[j] / sv * term
            delta[v] = total
            if v != s:
                out[v] += total
                for j in range(node_group_ptr[v], node_group_ptr[v + 1]):
                    met = node_met[j]
                    share[node_groups[j]] += (sv - met) / sv * total - (met / sv if v < n_actors else 0.0)
        for i in range(reached):
            delta[order[i]] = 0.0
        if n_groups > 0:
            for j in range(node_group_ptr[s], node_group_ptr[s + 1]):
                share[node_groups[j]] = 0.0  # a member is no source of its group
            for g in range(n_groups):
                out[n + g] += share[g]
            share[:] = 0.0
        reset(order, reached, dist, sigma, final)
    if not singles:
        out[:n] = 0.0
    return out
