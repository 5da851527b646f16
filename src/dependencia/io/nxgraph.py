"""A Network as a NetworkX MultiDiGraph, and back (docs/formats.md#networkx-graphml-gexf).

The representation (also what GraphML and GEXF files hold):

* actor nodes: ``type="actor"``, ``kind``, ``label``, ``budget``,
  ``unit_cost`` and free attributes; infrastructure nodes:
  ``type="infrastructure"``, ``owner``, ``dimensions`` (``"a;b"``),
  ``build_cost``, ``upkeep`` and free attributes. Missing values are left out.
* edges with ``relation="dependency"`` (dependent -> provider: ``dimension``,
  ``strength``, ``channel``, ``via`` as ``"a;b"``, free attributes),
  ``"ownership"`` (owner -> owned, ``share``) and ``"authority"`` (holder ->
  subject). Edge keys number the records (dependencies, then ownership, then
  authority) so that the order of the tables survives.
* graph attributes: ``dependencia=1``, ``dimensions`` and ``needs`` (JSON
  lists of records) and ``attributes`` (JSON: the free attribute columns of
  each table, in order).

:func:`from_networkx` reads that representation back exactly, and also takes
plain graphs from elsewhere (``Graph``, ``DiGraph``, ``MultiGraph``,
``MultiDiGraph`` without these attributes): every node becomes an actor (its
attributes actor attributes), every edge ``u -> v`` a dependency of ``u`` on
``v`` with its attributes kept (so a ``weight`` can serve as path length). An
undirected graph's edge is a mutual dependency: it gives two dependencies,
``u -> v`` and ``v -> u``, so that directed (normalized) betweenness equals
the undirected graph's, and ``directed=False`` (``--undirected``) collapses
them back to one edge. Node ids become text.

Examples
--------
>>> import networkx as nx
>>> from dependencia.network.model import Network
>>> net = Network.from_records([{"id": "a"}, {"id": "b", "kind": "firm"}],
...                            [{"dependent": "a", "provider": "b", "strength": 2}])
>>> g = to_networkx(net)
>>> g.nodes["b"]
{'type': 'actor', 'kind': 'firm'}
>>> list(g.edges(data="strength"))
[('a', 'b', 2.0)]
>>> from_networkx(g).equals(net)
True
>>> plain = from_networkx(nx.path_graph(3, create_using=nx.DiGraph))
>>> plain.dependencies[["dependent", "provider"]].values.tolist()
[['0', '1'], ['1', '2']]
"""

from __future__ import annotations

import json
from collections.abc import Hashable
from typing import Any

import networkx as nx

from ..errors import InputError, UsageError, shown
from ..network import schema as schema
from ..network.model import Network
from ._records import SECTIONS, free_columns, table_records, with_column_order

__all__ = ["RELATIONS", "from_networkx", "to_networkx"]

SCHEMA_VERSION = 1
#: Edge relations and the names of their two ends.
RELATIONS = {
    "dependency": ("dependencies", "dependent", "provider"),
    "ownership": ("ownership", "owner", "owned"),
    "authority": ("authority", "holder", "subject"),
}
_NODE_TYPES = {"actor": "actors", "infrastructure": "infrastructures"}


def to_networkx(network: Network) -> nx.MultiDiGraph:
    """The network as a NetworkX MultiDiGraph (see the module docs for the layout).

    Raises
    ------
    UsageError
        A free attribute named ``type`` (nodes) or ``relation`` (edges),
        which the representation uses itself.
    """
    graph = nx.MultiDiGraph()
    graph.graph["dependencia"] = SCHEMA_VERSION
    graph.graph["dimensions"] = json.dumps(table_records(network, "dimensions"), default=str)
    graph.graph["needs"] = json.dumps(table_records(network, "needs"), default=str)
    free = {table: free_columns(network, table) for table in SECTIONS}
    graph.graph["attributes"] = json.dumps({t: cols for t, cols in free.items() if cols})
    if network.control.model != "majority":  # the default needs no attribute (files of earlier versions lack it)
        graph.graph["control"] = json.dumps({"model": network.control.model, "threshold": network.control.threshold})
    for node_type, table in _NODE_TYPES.items():
        _refuse_reserved(free[table], "type", table)
        for record in table_records(network, table):
            node = record.pop("id")
            if "dimensions" in record:
                record["dimensions"] = schema.VIA_SEPARATOR.join(record["dimensions"])
            graph.add_node(node, type=node_type, **record)
    key = 0
    for relation, (table, tail, head) in RELATIONS.items():
        _refuse_reserved(free[table], "relation", table)
        for record in table_records(network, table):
            u, v = record.pop(tail), record.pop(head)
            if "via" in record and relation == "dependency":
                record["via"] = schema.VIA_SEPARATOR.join(record["via"])
            graph.add_edge(u, v, key=key, relation=relation, **record)
            key += 1
    return graph


def _refuse_reserved(columns: list[str], name: str, table: str) -> None:
    if name in columns:
        raise UsageError(
            f"the {table} attribute {name!r} clashes with the {name!r} that the NetworkX, GraphML and GEXF "
            "representation uses; rename it"
        )


def from_networkx(graph: nx.Graph) -> Network:
    """Build a Network from a NetworkX graph.

    Parameters
    ----------
    graph : networkx.Graph, DiGraph, MultiGraph or MultiDiGraph
        The representation :func:`to_networkx` makes, or a plain graph.

    Returns
    -------
    Network

    Raises
    ------
    InputError
        An unknown schema version, a node or edge of an unknown type or
        relation, or anything the model's rules reject (named by node or edge).
    """
    return network_from_graph(graph)


def network_from_graph(graph: nx.Graph, source: str | None = None) -> Network:
    """:func:`from_networkx`, with ``source`` (a file) named in errors."""
    if not isinstance(graph, nx.Graph):
        raise UsageError(f"expected a NetworkX graph, got {type(graph).__name__}")
    version = graph.graph.get("dependencia")
    if version is not None and (isinstance(version, bool) or version != SCHEMA_VERSION):
        raise InputError(
            f"unknown schema version {shown(version)} (this version of dependencia reads version {SCHEMA_VERSION})",
            source=source, where="graph attribute dependencia",
        )
    ours = version is not None or _looks_ours(graph)
    builder = _Builder(source)
    if ours:
        builder.read_ours(graph)
    else:
        builder.read_plain(graph)
    return builder.network()


def _looks_ours(graph: nx.Graph) -> bool:
    """A graph in this representation whose graph attributes were lost (as GEXF loses them)."""
    return graph.number_of_nodes() > 0 and all(
        t in _NODE_TYPES for _, t in graph.nodes(data="type")
    ) and all(r in RELATIONS for *_, r in graph.edges(data="relation"))


class _Builder:
    """Collects records and, for error messages, where each came from."""

    def __init__(self, source: str | None) -> None:
        self.source = source
        self.records: dict[str, list[dict[str, Any]]] = {t: [] for t in schema.SCHEMAS}
        self.places: dict[str, list[str]] = {t: [] for t in schema.SCHEMAS}
        self.dimensions: list[dict[str, Any]] | None = None
        self.order: dict[str, list[str]] = {}
        self.control: dict[str, Any] = {"model": "majority"}

    def add(self, table: str, record: dict[str, Any], place: str) -> None:
        self.records[table].append(record)
        self.places[table].append(place)

    def fail(self, message: str, place: str) -> InputError:
        return InputError(message, source=self.source, where=place)

    def read_ours(self, graph: nx.Graph) -> None:
        if not graph.is_directed():
            raise self.fail("a dependencia graph must be directed", "graph")
        for node, data in graph.nodes(data=True):
            place = f"node {shown(node)}"
            attributes = dict(data)
            node_type = attributes.pop("type", None)
            if node_type not in _NODE_TYPES:
                raise self.fail(f"type must be actor or infrastructure, got {shown(node_type)}", place)
            record = self._node_record(node, attributes, place)
            if node_type == "infrastructure":
                record = _split_ids(record, "dimensions")
            self.add(_NODE_TYPES[node_type], record, place)
        for u, v, data in _edges_in_order(graph, by_key=True):
            place = f"edge {shown(u)} -> {shown(v)}"
            attributes = dict(data)
            relation = attributes.pop("relation", None)
            if relation not in RELATIONS:
                raise self.fail(f"relation must be one of {', '.join(RELATIONS)}, got {shown(relation)}", place)
            table, tail, head = RELATIONS[relation]
            record = self._edge_record(u, v, tail, head, attributes, place)
            self.add(table, _split_ids(record, "via") if relation == "dependency" else record, place)
        self.dimensions = self._json_records(graph, "dimensions", None)
        for row, record in enumerate(self._json_records(graph, "needs", [])):
            self.add("needs", record, f"graph attribute needs[{row}]")
        self.order = self._json(graph, "attributes", {})
        self.control = self._json(graph, "control", {"model": "majority"})
        if not isinstance(self.control, dict):
            raise self.fail("must be a JSON object with model and threshold", "graph attribute control")

    def read_plain(self, graph: nx.Graph) -> None:
        for node, data in graph.nodes(data=True):
            place = f"node {shown(node)}"
            self.add("actors", self._node_record(node, dict(data), place), place)
        mutual = not graph.is_directed()
        for u, v, data in _edges_in_order(graph, by_key=False):
            place = f"edge {shown(u)} -> {shown(v)}"
            self.add("dependencies", self._edge_record(u, v, "dependent", "provider", dict(data), place), place)
            if mutual:
                place = f"edge {shown(v)} -> {shown(u)} (undirected edge {shown(u)} - {shown(v)})"
                self.add("dependencies", self._edge_record(v, u, "dependent", "provider", dict(data), place), place)

    def _node_record(self, node: Hashable, attributes: dict[str, Any], place: str) -> dict[str, Any]:
        if "id" in attributes:
            raise self.fail("a node attribute may not be called 'id' (the node itself is the id)", place)
        return {"id": str(node), **attributes}

    def _edge_record(
        self, u: Hashable, v: Hashable, tail: str, head: str, attributes: dict[str, Any], place: str
    ) -> dict[str, Any]:
        for name in (tail, head):
            if name in attributes:
                raise self.fail(f"an edge attribute may not be called {name!r} (the edge's ends are)", place)
        return {tail: str(u), head: str(v), **attributes}

    def _json(self, graph: nx.Graph, name: str, default: Any) -> Any:
        text = graph.graph.get(name)
        if text is None:
            return default
        try:
            return json.loads(text)
        except (TypeError, ValueError) as problem:
            raise self.fail(f"must be JSON text: {problem}", f"graph attribute {name}") from None

    def _json_records(self, graph: nx.Graph, name: str, default: Any) -> Any:
        records = self._json(graph, name, default)
        if records is not default and not isinstance(records, list):
            raise self.fail("must be a JSON list of records", f"graph attribute {name}")
        return records

    def network(self) -> Network:
        records = {t: with_column_order(r, self.order.get(t, [])) for t, r in self.records.items()}
        dimensions = None if self.dimensions is None else with_column_order(
            self.dimensions, self.order.get("dimensions", [])
        )

        def locate(table: str, row: int | None, field: str | None) -> tuple[str | None, str | None]:
            if table == "dimensions":
                place = "graph attribute dimensions" if row is None else f"graph attribute dimensions[{row}]"
            elif row is None or row >= len(self.places[table]):
                place = table
            else:
                place = self.places[table][row]
            return self.source, place if field is None else f"{place}, attribute {field}"

        return Network.from_records(
            records["actors"], records["dependencies"], dimensions=dimensions, needs=records["needs"],
            infrastructures=records["infrastructures"], ownership=records["ownership"],
            authority=records["authority"], locate=locate, control=self.control.get("model", "majority"),
            control_threshold=self.control.get("threshold"),
        )


def _split_ids(record: dict[str, Any], name: str) -> dict[str, Any]:
    """Turn an id list written as ``"a;b"`` back into a list."""
    value = record.get(name)
    if isinstance(value, str):
        record[name] = value.split(schema.VIA_SEPARATOR) if value else []
    return record


def _edges_in_order(graph: nx.Graph, *, by_key: bool) -> list[tuple[Hashable, Hashable, dict[str, Any]]]:
    """Edges with their data; with ``by_key``, in key order when the keys are distinct integers.

    :func:`to_networkx` numbers the edges so (NetworkX itself lists them grouped by node).
    """
    if not graph.is_multigraph():
        return [(u, v, d) for u, v, d in graph.edges(data=True)]
    edges = list(graph.edges(keys=True, data=True))
    keys = [_as_int(k) for _, _, k, _ in edges]
    numbers = [k for k in keys if k is not None]
    if by_key and len(numbers) == len(edges) and len(set(numbers)) == len(numbers):
        order = sorted(range(len(edges)), key=numbers.__getitem__)
        edges = [edges[i] for i in order]
    return [(u, v, d) for u, v, _, d in edges]


def _as_int(key: Any) -> int | None:
    if isinstance(key, int) and not isinstance(key, bool):
        return key
    if isinstance(key, str) and key.isdigit():
        return int(key)
    return None
