"""GraphML and GEXF files, through NetworkX, in the representation of :mod:`.nxgraph`.

GraphML keeps everything a Network has (graph attributes included), so it
round-trips exactly, as long as attribute values are text, numbers or
booleans. GEXF (as NetworkX writes it) has no graph attributes: the
dimension settings (``monetized``, unused dimensions), the needs and a model
of control other than majority are lost, and :func:`write_gexf` names them. A GEXF node label is the actor's label
(a node without one gets its id as label, which reading drops again).

Examples
--------
>>> import pathlib, tempfile
>>> from dependencia.network.model import Network
>>> net = Network.from_records([{"id": "a"}, {"id": "b"}], [{"dependent": "a", "provider": "b"}],
...                            dimensions=[{"id": "default", "monetized": 0.5}])
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_graphml(net, folder / "n.graphml")
[]
>>> read_graphml(folder / "n.graphml").equals(net)
True
>>> write_gexf(net, folder / "n.gexf")
['dimension settings (monetized)']
>>> read_gexf(folder / "n.gexf").dimensions["monetized"].tolist()
[1.0]
"""

from __future__ import annotations

import io
import json
import os
import re
import warnings
from collections.abc import Callable
from typing import Any
from xml.etree.ElementTree import ParseError

import networkx as nx

from ..base.atomic import write_atomic
from ..errors import InputError, UsageError, shown
from ..network.model import Network
from ._files import read_checked
from ._records import dimension_settings_lost, free_columns, id_list_column, table_records
from .nxgraph import network_from_graph, to_networkx

__all__ = ["read_gexf", "read_graphml", "write_gexf", "write_graphml"]

_SCALARS = (str, int, float, bool)
#: Attribute names the GEXF writer takes for itself (it would move or drop them).
_GEXF_NODE_RESERVED = ("viz", "pid", "start", "end", "spells", "slices", "parents")
_GEXF_EDGE_RESERVED = ("id", "key", "start", "end", "spells", "slices", "viz")


def read_graphml(path: str | os.PathLike[str]) -> Network:
    """Read a GraphML file (this package's representation, or a plain graph).

    Raises
    ------
    InputError
        Malformed XML (with the line), a file NetworkX cannot read as
        GraphML, or anything the model's rules reject.
    """
    graph = _parse(path, "GraphML", lambda stream: nx.read_graphml(stream, force_multigraph=True))
    return network_from_graph(graph, str(path))


def read_gexf(path: str | os.PathLike[str]) -> Network:
    """Read a GEXF file (this package's representation, or a plain graph).

    GEXF's own edge ids order the edges (and are not kept as attributes); a
    node label equal to the node id is GEXF's default and is dropped.
    """
    graph = _parse(path, "GEXF", nx.read_gexf)
    clean = nx.MultiDiGraph() if graph.is_directed() else nx.MultiGraph()
    for node, data in graph.nodes(data=True):
        attributes = dict(data)
        if attributes.get("label") == str(node):
            del attributes["label"]
        clean.add_node(node, **attributes)
    edges = graph.edges(keys=True, data=True) if graph.is_multigraph() else graph.edges(data=True)
    for *ends, data in edges:
        attributes = dict(data)
        key = attributes.pop("id", None)
        clean.add_edge(ends[0], ends[1], key=key, **attributes)
    return network_from_graph(clean, str(path))


def _parse(path: str | os.PathLike[str], name: str, reader: Callable[[io.BytesIO], nx.Graph]) -> nx.Graph:
    data, _ = read_checked(path)
    try:
        with warnings.catch_warnings():  # NetworkX warns about what it then does anyway ("No key type ... string")
            warnings.simplefilter("ignore")
            return reader(_WholeReads(data))
    except ParseError as problem:
        line = problem.position[0] if problem.position else None
        message = str(problem).split(":")[0]
        raise InputError(
            f"malformed XML ({message}); a {name} file must be XML", source=str(path),
            where=f"line {line}" if line else None,
        ) from None
    except RuntimeError:  # NetworkX's GEXF reader says `raise` with nothing to raise for this one problem
        raise InputError(f"cannot read the {name} file: an <attributes> element's class is neither node nor edge",
                         source=str(path), where=_line_of(data, "'attributes'")) from None
    except (nx.NetworkXError, ValueError, KeyError, TypeError, AttributeError, IndexError, LookupError) as problem:
        detail = str(problem).strip() or type(problem).__name__
        where = "line 1" if detail.startswith("unknown encoding") else _line_of(data, detail)  # the XML declaration
        raise InputError(f"cannot read the {name} file: {shown(detail)[1:-1]}", source=str(path), where=where) from None


class _WholeReads(io.BytesIO):
    """A stream that answers every read with all that is left.

    ElementTree feeds expat 64 KiB at a time, and expat rescans an unfinished
    token on every feed: a 100 MB attribute took 70 s. Fed whole, it takes 0.5 s.
    """

    def read(self, size: int | None = -1) -> bytes:
        return super().read()


_NEWLINE = b"\n"


def _line_of(data: bytes, detail: str) -> str | None:
    """The line of the value that an error of NetworkX quotes ('abc', key d9), where the file has it once or first."""
    match = re.search(r"'([^']{1,200})'|\bkey (\S{1,200})", detail)
    if match is None:
        return None
    value = (match.group(1) or match.group(2)).encode("utf-8", "replace")
    for needle in (b">" + value + b"<", b'"' + value + b'"', b"'" + value + b"'", b"<" + value + b" "):
        offset = data.find(needle)
        if offset >= 0:
            return f"line {data.count(_NEWLINE, 0, offset) + 1}"
    return None


def write_graphml(network: Network, path: str | os.PathLike[str]) -> list[str]:
    """Write a GraphML file; returns what it cannot hold (attribute values that are not text, numbers or booleans).

    Raises
    ------
    UsageError
        Text with a control character that XML 1.0 cannot hold.
    """
    graph = to_networkx(network)
    dropped = _scalars_only(graph)
    if _check_xml_text(graph):
        dropped.append("carriage returns in text (GraphML reads them back as line feeds)")
    write_atomic(path, lambda stream: nx.write_graphml(graph, stream))
    return dropped


def write_gexf(network: Network, path: str | os.PathLike[str]) -> list[str]:
    """Write a GEXF file; returns what GEXF loses (dimension settings, needs, ...).

    Raises
    ------
    UsageError
        Text with a control character that XML 1.0 cannot hold.
    """
    graph = to_networkx(network)
    dropped = _gexf_losses(network)
    dropped += _scalars_only(graph)
    dropped += _drop_reserved(graph)
    dropped += _one_type_per_attribute(graph)
    _check_xml_text(graph)
    for _, _, key, data in graph.edges(keys=True, data=True):
        data["id"] = str(key)  # GEXF edge ids keep the order of the records
    graph.graph.clear()
    write_atomic(path, lambda stream: nx.write_gexf(graph, stream))
    return dropped


def _gexf_losses(network: Network) -> list[str]:
    dropped = []
    lost = dimension_settings_lost(
        network, [network.dependencies["dimension"], id_list_column(network.infrastructures["dimensions"])]
    )
    if lost:
        dropped.append(lost)
    if len(network.needs):
        dropped.append(f"{len(network.needs)} need{'' if len(network.needs) == 1 else 's'}")
    if network.control.model != "majority":
        dropped.append(f"the model of control ({network.control.describe()}; read back as majority)")
    labels = network.actors["label"]
    if (labels == network.actors.index.to_series()).any():
        dropped.append("actor labels equal to the actor's id (GEXF's default label)")
    if "label" in network.infrastructures.columns:
        same = network.infrastructures["label"] == network.infrastructures.index.to_series()
        if same.any():
            dropped.append("infrastructure labels equal to the infrastructure's id (GEXF's default label)")
    for table in ("actors", "infrastructures", "dependencies", "ownership", "authority"):
        moved = ("label",) if table in ("actors", "infrastructures") else ("label", "weight")
        free = free_columns(network, table)
        found = _appearance_order(network, table, moved)
        empty = [name for name in free if name not in found]
        if empty:
            dropped.append(f"{table} attributes without any value ({', '.join(empty)})")
        elif found != free:
            dropped.append(f"order of the {table} attribute columns")
    return dropped


def _appearance_order(network: Network, table: str, moved: tuple[str, ...]) -> list[str]:
    """Free attributes in the order GEXF reading meets them (it lists labels and weights last)."""
    free = free_columns(network, table)
    seen: dict[str, None] = {}
    for record in table_records(network, table):
        for key in [k for k in record if k not in moved] + [k for k in record if k in moved]:
            if key in free:
                seen.setdefault(key, None)
    return list(seen)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _check_xml_text(graph: nx.MultiDiGraph) -> bool:
    """Refuse text XML 1.0 cannot hold; return whether any text has a carriage return."""
    texts = [("node", str(n)) for n in graph.nodes]
    for kind, data in _items(graph):
        texts += [(kind, str(k)) for k in data] + [(kind, v) for v in data.values() if isinstance(v, str)]
    texts += [("graph", v) for v in graph.graph.values() if isinstance(v, str)]
    for kind, text in texts:
        bad = _NOT_XML.search(text)
        if bad is not None:
            raise UsageError(
                f"XML cannot hold the control character U+{ord(bad.group()):04X} (in {kind} text {text!r}); "
                "write a model file (.yaml or .json) instead"
            )
    return any("\r" in text for _, text in texts)


def _items(graph: nx.MultiDiGraph) -> list[tuple[str, dict[str, Any]]]:
    nodes = [("node", data) for _, data in graph.nodes(data=True)]
    edges = [("edge", data) for _, _, data in graph.edges(data=True)]
    return nodes + edges


def _describe(kind: str, data: dict[str, Any], name: str) -> str:
    owner = data.get("type", "actor") if kind == "node" else data.get("relation", "dependency")
    table = {"actor": "actor", "infrastructure": "infrastructure"}.get(owner, owner)
    return f"{table} attribute {name}"


def _scalars_only(graph: nx.MultiDiGraph) -> list[str]:
    """Turn values XML formats cannot type into text (lists as JSON, dates as ISO text), naming them."""
    dropped = set()
    for kind, data in _items(graph):
        for name, value in data.items():
            if not isinstance(value, _SCALARS):
                data[name] = json.dumps(value, default=str, ensure_ascii=False) if isinstance(
                    value, (list, dict)
                ) else str(value)
                dropped.add(f"value types of {_describe(kind, data, name)} (written as text)")
    return sorted(dropped)


def _drop_reserved(graph: nx.MultiDiGraph) -> list[str]:
    dropped = set()
    for kind, data in _items(graph):
        reserved = _GEXF_NODE_RESERVED if kind == "node" else _GEXF_EDGE_RESERVED
        for name in [n for n in data if n in reserved]:
            dropped.add(f"{_describe(kind, data, name)} (GEXF reserves the name)")
            del data[name]
        weight = data.get("weight") if kind == "edge" else None
        if weight is not None and (isinstance(weight, (bool, str))):
            dropped.add(f"{_describe(kind, data, 'weight')} (a GEXF weight must be a number)")
            del data["weight"]
    return sorted(dropped)


def _one_type_per_attribute(graph: nx.MultiDiGraph) -> list[str]:
    """GEXF declares one type per attribute name: mixed numbers become floats, other mixes text."""
    types: dict[tuple[str, str], set[type]] = {}
    for kind, data in _items(graph):
        for name, value in data.items():
            types.setdefault((kind, name), set()).add(type(value))
    dropped = []
    for (kind, name), found in sorted(types.items(), key=lambda item: item[0]):
        if len(found) < 2:
            continue
        to_float = found <= {int, float}
        for item_kind, data in _items(graph):
            if item_kind == kind and name in data:
                data[name] = float(data[name]) if to_float else str(data[name])
        written = "decimals" if to_float else "text"
        dropped.append(f"value types of {kind} attribute {name} (mixed types, written as {written})")
    return dropped
