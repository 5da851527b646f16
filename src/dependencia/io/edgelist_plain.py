"""A plain edge list read to its Network without pandas (issue 19: peak memory).

:func:`plain_edge_list_network` builds, for an edge list that
:func:`~dependencia.io.edge_arrays.plain_edge_cells` reads (a source, a
target and free attribute columns, no quote, nothing the full reader would
warn about or refuse; an optional actors file of nothing but ids), the same
Network that :func:`~dependencia.io.edgelist.edge_list_network` builds: the
same tables, dtypes and values, table by table, and a locator that names the
same lines (tested against the full reader). The rows are read with the
``csv`` module into integer arrays. The tables are built when first used:
until then the Network holds the arrays, from which betweenness and power
compile its graph without importing pandas. Building them, the endpoint
columns hold the node ids' own string objects, and only the free columns
pass through pandas, with the full reader's own conversion
(:func:`dependency_attribute`), so that their numbers are the same bits.
The full reader's pyarrow parse, its table of text cells and the object
columns it is turned into are never built.

Anything else returns None, and the caller reads the file in full (and
gets its result, warning or error).

Examples
--------
>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "edges.csv").write_text("source,target,km\\nann,shop,2\\nbob,shop,0.5\\n")
>>> net = plain_edge_list_network(folder / "edges.csv")
>>> list(net.actors.index), net.dependencies["km"].tolist()
(['ann', 'shop', 'bob'], [2.0, 0.5])
>>> net.locate("dependencies", 1, "provider")[1]
'line 3, column target'
"""

from __future__ import annotations

import dataclasses
import os
from functools import partial
from typing import TYPE_CHECKING

import numpy as np

from ..network.fields import Locator, record_locator
from .edge_arrays import EdgeArrays, EdgeCells, plain_edge_cells

if TYPE_CHECKING:  # pandas, the model's validation and the locator's line maps: when the tables are built
    import pandas as pd

    from ..network.model import Network
    from .csvtable import CsvLines

__all__ = ["dependency_attribute", "edge_list_locator", "plain_edge_list_network"]

#: The edge list's names for the two ends of a dependency, by the model's names.
RENAMED = {"dependent": "source", "provider": "target"}


def plain_edge_list_network(
    path: str | os.PathLike[str], *, actors: str | os.PathLike[str] | None = None
) -> Network | None:
    """The Network of the plain edge list ``path`` (and actors file), or None where it needs the full reader.

    Its tables are built when first used (``Network._deferred``): until then
    it holds the node ids, each row's two ends as integers and each free
    column's cells as one text, and imports no pandas, so that
    :func:`~dependencia.betweenness` and :func:`~dependencia.power` compute
    from the arrays alone (issue 19: peak memory). The tables it then builds
    are the full reader's (tested table by table). The file is read now:
    what it holds is fixed, whatever happens to the file later.

    Parameters
    ----------
    path : path-like
        An edge list CSV (docs/formats.md#edge-list-csv).
    actors : path-like, optional
        An actors CSV; only one with nothing but an ``id`` column is read here.

    Returns
    -------
    Network or None
        None for every file :func:`~dependencia.io.edge_arrays.plain_edge_cells`
        leaves to the full reader (which refuses or warns of anything the
        model would refuse in the tables: a self-dependency, a blank end, a
        repeated id, a target the actors file does not list).

    Raises
    ------
    InputError
        What the full reader refuses in the file's header, with its message.
    """
    cells = plain_edge_cells(path, actors=actors)
    if cells is None:
        return None
    from ..network.model import Network

    # a cell of a file without quotes holds no line break: each column is held as one text, split when built
    packed = {name: "\n".join(column) for name, column in cells.columns.items()}
    held = dataclasses.replace(cells, columns={})
    return Network._deferred(partial(_network_of_cells, held, packed),
                             EdgeArrays(cells.node_ids, cells.source, cells.target, None))


def _network_of_cells(cells: EdgeCells, packed: dict[str, str]) -> Network:
    """The Network of a plain edge list's cells (free columns packed as one text each), the full reader's tables."""
    import pandas as pd

    from ..network.model import Network
    from .csvtable import CsvLines

    ids = cells.node_ids
    deps: dict[str, pd.Series] = {
        "dependent": pd.Series(ids[cells.source], dtype=object),  # each row points at its node's id string
        "provider": pd.Series(ids[cells.target], dtype=object),
    }
    for name, text in packed.items():
        # the cells as the full reader's text column holds them (NaN where empty), as objects: pandas parses a
        # text column's numbers from its objects either way (the same bits), and no copy of the cells is made
        column = np.array(text.split("\n"), dtype=object)
        column[column == ""] = np.nan
        deps[name] = dependency_attribute(pd.Series(column, dtype=object))
        del column
    n_listed = 0 if cells.n_listed is None else cells.n_listed
    interleaved = np.empty(2 * len(cells.source), dtype=np.int64)
    interleaved[0::2], interleaved[1::2] = cells.source, cells.target
    seen, first = np.unique(interleaved, return_index=True)
    edge_lines = CsvLines(cells.edge_file[0], cells.edge_rows, None, cells.edge_file[1])
    actor_lines = None if cells.actor_file is None else CsvLines(cells.actor_file[0], cells.actor_rows, None,
                                                                 cells.actor_file[1])
    locate = edge_list_locator(edge_lines, actor_lines, n_listed, first[seen >= n_listed], None,
                               np.zeros(0, dtype=np.int64))
    return Network(pd.DataFrame({"id": pd.Series(ids, dtype=object)}), pd.DataFrame(deps), locate=locate)


def dependency_attribute(column: pd.Series) -> pd.Series:
    """A free column of an edge list as the model gets it: float64 when every cell is a number, text otherwise.

    Text cells stay ``str``, None where empty.

    Examples
    --------
    >>> import pandas as pd
    >>> dependency_attribute(pd.Series(["1", None, "2.5"], dtype=str)).tolist()
    [1.0, nan, 2.5]
    >>> dependency_attribute(pd.Series(["x", None], dtype=str)).tolist()
    ['x', None]
    """
    from .csvtable import numeric_column

    values = numeric_column(column, integers=False)
    if values is None:  # not all numbers: text, None where empty
        text = column.astype(object)
        values = text.where(text.notna(), None)
    return values


def edge_list_locator(
    edge_lines: CsvLines,
    actor_lines: CsvLines | None,
    n_listed: int,
    first_seen: np.ndarray,
    infra_lines: CsvLines | None,
    infra_rows: np.ndarray,
) -> Locator:
    """Where a record of an edge list's Network came from: its file and line.

    Dependencies are edge-list rows; actors are actors-file rows, then the
    ids the edge list adds (``first_seen``: where each first appears in the
    interleaved order of sources and targets, row = position // 2);
    infrastructures are infrastructures-file rows, or where ``via`` first
    names them (``infra_rows``). The locator keeps line maps, not cells.
    """

    def locate(table: str, row: int | None, field: str | None) -> tuple[str | None, str | None]:
        if table == "dependencies":
            return edge_lines.path, edge_lines.where(row, RENAMED.get(field or "", field))
        if table == "actors" and actor_lines is not None and (row is None or row < n_listed):
            return actor_lines.path, actor_lines.where(row, field)
        if table == "actors" and row is not None:
            position = int(first_seen[row - n_listed])
            return edge_lines.path, edge_lines.where(position // 2, ("source", "target")[position % 2])
        if table == "infrastructures" and infra_lines is not None:
            return infra_lines.path, infra_lines.where(row, field)
        if table == "infrastructures" and row is not None:
            return edge_lines.path, edge_lines.where(int(infra_rows[row]), "via")
        return edge_lines.path, record_locator(table, row, field)[1]

    return locate
