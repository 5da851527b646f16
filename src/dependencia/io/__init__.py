"""Reading and writing networks: model files, CSV bundles, edge lists, GraphML, GEXF, NetworkX.

:func:`read` and :func:`write` pick the format from the path (docs/formats.md):

=====================  ==========================================
path                   format
=====================  ==========================================
a folder (or no        CSV bundle (:mod:`.csvbundle`)
suffix, for write)
``.yaml``, ``.yml``,   model file (:mod:`.modelfile`)
``.json``
``.csv``               edge list (:mod:`.edgelist`), with an
                       optional actors CSV and infrastructures CSV
``.graphml``           GraphML (:mod:`.graphformats`)
``.gexf``              GEXF (:mod:`.graphformats`)
=====================  ==========================================

Every reader reports bad input as an :class:`~dependencia.errors.InputError`
that names the file and the line (or record); input that is read but perhaps
not as meant (a CSV column or a model-file field whose name looks like a
misspelled known one, such as ``strenght``) is an
:class:`~dependencia.errors.InputWarning`, and an error with ``strict=True``.
Every writer writes atomically and returns what the target format cannot
express.

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
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..base import lazy as _lazy
from ..errors import InputError, UsageError
from ._columns import Notes

if TYPE_CHECKING:
    from ..network.model import Network
    from .csvbundle import read_csv_bundle, write_csv_bundle
    from .edgelist import read_edge_list, write_edge_list
    from .graphformats import read_gexf, read_graphml, write_gexf, write_graphml
    from .modelfile import read_model_file, write_model_file
    from .mrio import from_mrio
    from .nxgraph import from_networkx, to_networkx
    from .ownership import read_ownership

__all__ = ["from_mrio", "from_networkx", "read", "to_networkx", "write"]

# NetworkX (GraphML, GEXF and NetworkX graphs) is loaded on first use: most reads never need it; the
# readers and writers too, with pandas, so that a module of this package that needs neither (the
# plain edge-list path of `power --by node`, issue 19) imports neither
__all__ += ["read_ownership"]

__getattr__, __dir__ = _lazy.attributes(__name__, {
    "read_csv_bundle": (".csvbundle", "read_csv_bundle"),
    "write_csv_bundle": (".csvbundle", "write_csv_bundle"),
    "read_edge_list": (".edgelist", "read_edge_list"),
    "write_edge_list": (".edgelist", "write_edge_list"),
    "read_model_file": (".modelfile", "read_model_file"),
    "write_model_file": (".modelfile", "write_model_file"),
    "read_ownership": (".ownership", "read_ownership"),
    "from_networkx": (".nxgraph", "from_networkx"),
    "to_networkx": (".nxgraph", "to_networkx"),
    "read_gexf": (".graphformats", "read_gexf"),
    "read_graphml": (".graphformats", "read_graphml"),
    "write_gexf": (".graphformats", "write_gexf"),
    "write_graphml": (".graphformats", "write_graphml"),
    "from_mrio": (".mrio", "from_mrio"),
})


_BY_SUFFIX = {
    ".yaml": "model file",
    ".yml": "model file",
    ".json": "model file",
    ".csv": "edge list",
    ".graphml": "GraphML",
    ".gexf": "GEXF",
}
# by name, looked up when used: GraphML and GEXF load NetworkX
_READERS = {
    "model file": "read_model_file",
    "edge list": "read_edge_list",
    "GraphML": "read_graphml",
    "GEXF": "read_gexf",
    "CSV bundle": "read_csv_bundle",
}
_WRITERS = {
    "model file": "write_model_file",
    "edge list": "write_edge_list",
    "GraphML": "write_graphml",
    "GEXF": "write_gexf",
    "CSV bundle": "write_csv_bundle",
}
_SUPPORTED = (
    "a folder (CSV bundle), .yaml/.yml/.json (model file), .csv (edge list), .graphml (GraphML), .gexf (GEXF)"
)


def read(
    path: str | os.PathLike[str],
    *,
    actors: str | os.PathLike[str] | None = None,
    infrastructures: str | os.PathLike[str] | None = None,
    ownership: str | os.PathLike[str] | None = None,
    strict: bool = False,
) -> Network:
    """Read a network; the path names the format (see the module docs).

    Parameters
    ----------
    path : path-like
        A folder (CSV bundle) or a file: ``.yaml``/``.yml``/``.json``,
        ``.csv`` (edge list), ``.graphml``, ``.gexf``.
    actors : path-like, optional
        An actors CSV (``id`` column and attributes); edge lists only. With
        it, every target of the edge list must be listed there.
    infrastructures : path-like, optional
        An infrastructures CSV (``id``, ``owner``, optional ``dimensions``,
        ``transit``, ``build_cost``, ``upkeep``); edge lists only. With it,
        every id in ``via`` must be listed there, and owners control theirs.
    ownership : path-like, optional
        An ownership register (CSV: ``owner``, ``owned``, a share column), any
        format: its holdings replace the network's ownership table, read as
        :func:`~dependencia.io.ownership.read_ownership` reads them (percent
        detected, repeated pairs summed, treasury shares left out with a
        warning); every name must be one of the network's actors. Control
        follows the network's model (:meth:`Network.with_control` to change it).
    strict : bool, default False
        Raise an :class:`~dependencia.errors.InputError` for what is
        otherwise an :class:`~dependencia.errors.InputWarning`. GraphML and
        GEXF have nothing to warn about (every attribute is free).

    Returns
    -------
    Network

    Raises
    ------
    InputError
        A missing file, an unsupported format, or bad content (naming the
        file and the line or record), in the network or in the register.
    UsageError
        ``actors`` or ``infrastructures`` given with a format other than an
        edge list.

    Warns
    -----
    InputWarning
        A column (or model-file field, or bundle file) whose name looks like
        a misspelled known one, e.g. ``edges.csv, line 1: unknown column
        'strenght' (did you mean 'strength'?); kept as a free attribute``.

    Examples
    --------
    >>> import pathlib, tempfile, warnings
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "edges.csv"
    >>> _ = path.write_text("source,target,strenght\\na,b,2\\n")
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     net = read(path)
    >>> caught[0].message.message
    "unknown column 'strenght' (did you mean 'strength'?); kept as a free attribute"
    >>> read(path, strict=True)
    Traceback (most recent call last):
    ...
    dependencia.errors.InputError: ...: unknown column 'strenght' (did you mean 'strength'?); strict reading refuses it
    """
    kind = _read_kind(path)
    notes = Notes(strict=strict)
    if actors is not None or infrastructures is not None:
        if kind != "edge list":
            option = "--actors" if actors is not None else "--infrastructures"
            raise UsageError(f"{option} only applies to edge lists (.csv files); {path} is a {kind}")
        network = _edge_list_network(path, actors, infrastructures, notes)
    elif kind == "edge list":
        network = _edge_list_network(path, None, None, notes)
    elif kind == "CSV bundle":
        from .csvbundle import bundle_network

        network = bundle_network(path, notes=notes)
    elif kind == "model file":
        from .modelfile import model_file_network

        network = model_file_network(path, notes=notes)
    else:  # GraphML, GEXF: every attribute is free, nothing to warn about
        network = getattr(sys.modules[__name__], _READERS[kind])(path)
    notes.emit(stacklevel=2)
    if ownership is not None:
        from .ownership import read_ownership

        network = read_ownership(ownership, network=network, strict=strict)
    return network


def _edge_list_network(path: str | os.PathLike[str], actors: str | os.PathLike[str] | None,
                       infrastructures: str | os.PathLike[str] | None, notes: Notes) -> Network:
    """An edge list's Network: a plain one without importing pandas (its tables built when used), any other in full."""
    if infrastructures is None:
        from .edgelist_plain import plain_edge_list_network  # each reader imported when its format is read

        plain = plain_edge_list_network(path, actors=actors)
        if plain is not None:
            return plain
    from .edgelist import edge_list_network

    return edge_list_network(path, actors=actors, infrastructures=infrastructures, notes=notes, try_plain=False)


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
    from ..network.model import Network

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
    return getattr(sys.modules[__name__], _WRITERS[kind])(network, path)
