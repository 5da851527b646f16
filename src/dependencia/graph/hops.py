"""Hops: every hop behind a compiled graph's edges, and how parallel hops collapse into edges.

A dependency ``d -> p`` served via ``[X, Y]`` has the hops ``d -> X``,
``X -> Y``, ``Y -> p``. :func:`compile_graph <dependencia.graph.compiled.compile_graph>`
collapses the hops of one (source, target) into an edge (strengths add, lengths
take the minimum); :class:`HopIndex` keeps the hops in the order the collapse
summed them, so that :mod:`dependencia.graph.update` can recompute only the
edges an edit touches, with the same sums bit for bit.

Examples
--------
>>> import numpy as np
>>> key, strength, length = collapse_sorted(np.array([3, 3, 5]), np.array([1.0, 2.0, 4.0]), None)
>>> key.tolist(), strength.tolist(), length
([3, 5], [3.0, 4.0], None)
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

from ..errors import UsageError
from ..network.model import Network
from ..network.schema import fail

__all__ = ["HopGraph", "HopIndex", "collapse", "collapse_sorted", "hops", "hops_of", "lengths_of", "sort_hops"]


def lengths_of(network: Network, name: str, rows: np.ndarray) -> np.ndarray:
    deps = network.dependencies
    if name not in deps.columns or name in {"dependent", "provider", "dimension", "channel", "via"}:
        extra = [c for c in deps.columns if c not in {"dependent", "provider", "dimension", "channel", "via"}]
        raise UsageError(f"no dependency attribute {name!r} to use as length; numeric attributes: {', '.join(extra)}")
    column = deps[name]
    chosen = column.iloc[rows]  # only the rows asked for: an update reads a handful
    values = pd.to_numeric(chosen, errors="coerce").to_numpy(dtype=float)
    bad = ~(np.isfinite(values) & (values > 0))
    if chosen.dtype == object:
        bad |= chosen.map(lambda v: isinstance(v, (bool, np.bool_))).to_numpy(dtype=bool)
    bad_rows = rows[bad]
    if len(bad_rows):
        row = int(bad_rows[0])
        raw = column.iloc[row]
        shown = "missing" if raw is None or (isinstance(raw, float) and np.isnan(raw)) else repr(raw)
        raise fail(network.locate, "dependencies", row, name, f"length {name} must be a finite number > 0, got {shown}")
    return values


def hops(
    dependent: np.ndarray, provider: np.ndarray, via: np.ndarray, index: pd.Index
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every hop of every dependency: (source, target, row of its dependency)."""
    source, target, hop_of, _ = hops_of(dependent, provider, via, index)
    return source, target, hop_of


def hops_of(
    dependent: np.ndarray, provider: np.ndarray, via: np.ndarray, index: pd.Index
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """As :func:`hops`, and whether each hop belongs to a routed dependency.

    The hops of direct dependencies come first (in row order), then those of
    routed ones (row by row, along the route): the order the collapse sums in.
    """
    route_len = np.fromiter((len(v) for v in via), dtype=np.int64, count=len(via))
    direct = np.flatnonzero(route_len == 0)
    if len(direct) == len(via):
        return (
            dependent.astype(np.int64), provider.astype(np.int64), np.arange(len(via)),
            np.zeros(len(via), dtype=bool),
        )
    routed = np.flatnonzero(route_len > 0)
    stops = route_len[routed] + 2  # dependent, the route, provider
    ends = np.cumsum(stops)
    starts = ends - stops
    path = np.empty(int(ends[-1]) if len(ends) else 0, dtype=np.int64)
    path[starts] = dependent[routed]
    path[ends - 1] = provider[routed]
    inner = np.ones(len(path), dtype=bool)
    inner[starts] = False
    inner[ends - 1] = False
    flat_via = np.concatenate([np.asarray(v, dtype=object) for v in via[routed]])
    path[inner] = index.get_indexer(flat_via)
    hop_mask = np.ones(len(path) - 1, dtype=bool)
    hop_mask[(ends - 1)[:-1]] = False  # no hop from one route's provider to the next route's dependent
    hop_rows = np.repeat(routed, stops - 1)
    source = np.concatenate([dependent[direct], path[:-1][hop_mask]]).astype(np.int64)
    target = np.concatenate([provider[direct], path[1:][hop_mask]]).astype(np.int64)
    hop_of = np.concatenate([direct, hop_rows])
    routed_hop = np.zeros(len(hop_of), dtype=bool)
    routed_hop[len(direct):] = True
    return source, target, hop_of, routed_hop


def collapse(
    source: np.ndarray, target: np.ndarray, strength: np.ndarray, length: np.ndarray | None, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """Collapse parallel edges: strengths add, lengths take the minimum.

    Edges come back sorted by (source, target).
    """
    key, order = sort_hops(source, target, n)
    unique, summed, shortest = collapse_sorted(key, strength[order], None if length is None else length[order])
    return unique // max(n, 1), unique % max(n, 1), summed, shortest


def sort_hops(source: np.ndarray, target: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Edge keys ``source * max(n, 1) + target``, sorted (stable), and the sorting order."""
    key = source.astype(np.int64) * np.int64(max(n, 1)) + target.astype(np.int64)
    order = np.argsort(key, kind="stable")
    return key[order], order


def collapse_sorted(
    key: np.ndarray, strength: np.ndarray, length: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Collapse runs of equal (sorted) keys: (unique keys, summed strengths, minimum lengths)."""
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    starts = np.flatnonzero(first)
    unique = key[starts]
    summed = np.add.reduceat(strength, starts) if len(starts) else np.zeros(0)
    shortest = None
    if length is not None:
        shortest = np.minimum.reduceat(length, starts) if len(starts) else np.zeros(0)
    return unique, summed.astype(float), shortest


@dataclass(frozen=True, eq=False)
class HopIndex:
    """Every hop behind a compiled graph, in the order the collapse sums them.

    Sorted by (``key``, ``routed``, ``row``): that is the order of
    :func:`compile_graph` (direct hops before routed ones, rows ascending,
    stable sort by key). A route passes each node once, so no dependency has
    two hops on one edge, directed or not.
    """

    key: np.ndarray  # int64: source * max(n, 1) + target
    routed: np.ndarray  # bool: the hop's dependency has a route
    row: np.ndarray  # int64: the dependency's position in network.dependencies
    strength: np.ndarray
    length: np.ndarray | None
    network: weakref.ref  # the Network these rows are positions in

    def arrays(self) -> list[np.ndarray | None]:
        return [self.key, self.routed, self.row, self.strength, self.length]


class HopGraph(Protocol):
    """What an update reads of a compiled graph (:class:`~dependencia.graph.compiled.CompiledGraph` has it)."""

    @property
    def node_ids(self) -> np.ndarray: ...
    @property
    def source(self) -> np.ndarray: ...
    @property
    def target(self) -> np.ndarray: ...
    @property
    def strength(self) -> np.ndarray: ...
    @property
    def length(self) -> np.ndarray | None: ...
    @property
    def directed(self) -> bool: ...
    @property
    def dimensions(self) -> tuple[str, ...]: ...
    @property
    def length_name(self) -> str | None: ...
    @property
    def all_dimensions(self) -> bool: ...
    @property
    def n_nodes(self) -> int: ...
    @property
    def index(self) -> pd.Index: ...
    @property
    def _hops(self) -> HopIndex | None: ...
