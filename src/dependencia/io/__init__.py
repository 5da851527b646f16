"""Reading and writing networks: model files, CSV bundles, edge lists, GraphML, GEXF, NetworkX.

:func:`read` and :func:`write` pick the format from the path (ARCHITECTURE
§2.1):

=====================  ==========================================
path                   format
=====================  ==========================================
a folder (or no        CSV bundle (:mod:`.csvbundle`)
suffix, for write)
``.yaml``, ``.yml``,   model file (:mod:`.modelfile`)
``.json``
``.csv``               edge list (:mod:`.edgelist`), with an
                       optional actors CSV
``.graphml``           GraphML (:mod:`.graphformats`)
``.gexf``              GEXF (:mod:`.graphformats`)
=====================  ==========================================

Every reader reports bad input as an :class:`~dependencia.errors.InputError`
that names the file and the line (or record); every writer writes
atomically and returns what the target format cannot express.

Examples
--------
>>> import pathlib, tempfile
>>> import dependencia as dp
>>> net = dp.Network.from_records([{"id": "a"}, {"id": "b"}, {"id": "c"}],
...                               [{"dependent": "a", "provider": "b"}],
...                               ownership=[{"owner": "b", "owned": "c", "share": 0.6}])
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write(net, folder / "net.yaml")
[]
>>> read(folder / "net.yaml").equals(net)
True
>>> write(net, folder / "edges.csv")
['1 isolated actor', '1 ownership record']
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import InputError, UsageError
from ..model import Network
from .csvbundle import read_csv_bundle, write_csv_bundle
from .edgelist import read_edge_list, write_edge_list
from .graphformats import read_gexf, read_graphml, write_gexf, write_graphml
from .modelfile import read_model_file, write_model_file
from .nxgraph import from_networkx, to_networkx

__all__ = ["from_networkx", "read", "to_networkx", "write"]

_BY_SUFFIX = {
    ".yaml": "model file",
    ".yml": "model file",
    ".json": "model file",
    ".csv": "edge list",
    ".graphml": "GraphML",
    ".gexf": "GEXF",
}
_READERS = {
    "model file": read_model_file,
    "edge list": read_edge_list,
    "GraphML": read_graphml,
    "GEXF": read_gexf,
    "CSV bundle": read_csv_bundle,
}
_WRITERS = {
    "model file": write_model_file,
    "edge list": write_edge_list,
    "GraphML": write_graphml,
    "GEXF": write_gexf,
    "CSV bundle": write_csv_bundle,
}
_SUPPORTED = (
    "a folder (CSV bundle), .yaml/.yml/.json (model file), .csv (edge list), .graphml (GraphML), .gexf (GEXF)"
)


def read(path: str | os.PathLike[str], *, actors: str | os.PathLike[str] | None = None) -> Network:
    """Read a network; the path names the format (see the module docs).

    Parameters
    ----------
    path : path-like
        A folder (CSV bundle) or a file: ``.yaml``/``.yml``/``.json``,
        ``.csv`` (edge list), ``.graphml``, ``.gexf``.
    actors : path-like, optional
        An actors CSV (``id`` column and attributes); edge lists only.

    Returns
    -------
    Network

    Raises
    ------
    InputError
        A missing file, an unsupported format, or bad content (naming the
        file and the line or record).
    UsageError
        ``actors`` given with a format other than an edge list.
    """
    kind = _read_kind(path)
    if actors is not None:
        if kind != "edge list":
            raise UsageError(f"--actors only applies to edge lists (.csv files); {path} is a {kind}")
        return read_edge_list(path, actors=actors)
    return _READERS[kind](path)


def _read_kind(path: str | os.PathLike[str]) -> str:
    target = Path(path)
    kind = _BY_SUFFIX.get(target.suffix.lower())
    if target.is_dir():
        if kind is not None and not (target / "actors.csv").exists():
            raise InputError(f"this is a folder, but a file ({kind}) is expected here", source=str(path))
        return "CSV bundle"
    if kind is None:
        if not target.exists():
            raise InputError("no such file or folder", source=str(path))
        raise InputError(f"unsupported file format {target.suffix or '(no suffix)'!r}; supported: {_SUPPORTED}",
                         source=str(path))
    return kind


def write(network: Network, path: str | os.PathLike[str]) -> list[str]:
    """Write a network in the format the path names; return what that format drops.

    Parameters
    ----------
    network : Network
    path : path-like
        A file with a supported suffix, or a folder (an existing one, or a
        path without suffix) for a CSV bundle.

    Returns
    -------
    list of str
        Human-readable descriptions of what the format cannot express and the
        output therefore lacks, e.g. ``"3 ownership records"``; empty for a
        lossless write.

    Notes
    -----
    Files are written atomically (a temp file beside the target, then a
    rename): on error no partial file is left behind, and a target that is a
    symbolic link is replaced by the file, never written through. A CSV
    bundle's folder that is a symbolic link is refused.
    """
    if not isinstance(network, Network):
        raise TypeError(f"expected a Network, got {type(network).__name__}")
    target = Path(path)
    if target.is_dir() or not target.suffix:
        kind = "CSV bundle"
        if target.is_symlink():  # as for run folders and scenario copies: never write through a link
            raise UsageError(f"{path} is a symbolic link; a CSV bundle is never written through a link "
                             "(give the folder itself)")
    else:
        kind = _BY_SUFFIX.get(target.suffix.lower(), "")
        if not kind:
            raise UsageError(f"cannot write {path}: unsupported format {target.suffix!r}; supported: {_SUPPORTED}")
    return _WRITERS[kind](network, path)
