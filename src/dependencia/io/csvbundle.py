"""The CSV bundle: a folder with one CSV file per table (docs/formats.md#csv-bundle-a-folder).

``actors.csv`` and ``dependencies.csv`` are required; ``dimensions.csv``,
``infrastructures.csv``, ``ownership.csv``, ``needs.csv`` and
``authority.csv`` are optional, and so is ``control.csv``: a header
``model,threshold`` and one row naming the model of control
(docs/model.md#control; without the file, the majority rule). Each file has a header row naming its
columns: the fields of its table (as in the model file) and any free
attribute columns. ``via`` and an infrastructure's ``dimensions`` are
semicolon-separated ids (``azure;aws``).

Every cell is read as text and converted by the model's own validation; an
empty cell is a missing value. A free attribute column holds numbers when
every non-empty cell in it is a number (an ``int`` for an integer literal such
as ``3``, a ``float`` otherwise), and text otherwise. So the bundle is
lossless for free attributes that are numbers or text that is not a number;
:func:`write_csv_bundle` names any other attribute it cannot keep.

Errors name the file, line and column, e.g. ``net/dependencies.csv, line 4,
column provider: unknown actor 'x'``. A column whose name looks like a
misspelled known one (``strenght``), and a CSV file whose name looks like a
misspelled table's (``infrastructure.csv``), are reported as warnings, and
refused with ``strict=True`` (see :mod:`._columns`).

Examples
--------
>>> import pathlib, tempfile
>>> from dependencia.network.model import Network
>>> net = Network.from_records([{"id": "a", "size": 3}, {"id": "b", "size": 2.5}],
...                            [{"dependent": "a", "provider": "b"}])
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "net"
>>> write_csv_bundle(net, folder)
[]
>>> print((folder / "actors.csv").read_text(), end="")
id,kind,label,budget,unit_cost,size
a,actor,,,,3
b,actor,,,,2.5
>>> read_csv_bundle(folder).equals(net)
True
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from ..errors import InputError, UsageError, shown
from ..network import schema as schema
from ..network.model import Network
from ._columns import Notes, suggestion
from ._csvcells import check_separator, check_transit, frame_to_csv, known_or_free, lossy_columns
from ._files import write_text_atomic
from ._records import SECTIONS, free_columns
from .csvtable import CsvLines, CsvTable, read_csv_table

__all__ = ["FILES", "REQUIRED", "read_csv_bundle", "write_csv_bundle"]

#: The file of each table.
FILES = {table: f"{table}.csv" for table in SECTIONS}
#: The file naming the model of control, and its columns (docs/formats.md#csv-bundle-a-folder).
CONTROL_FILE = "control.csv"
CONTROL_COLUMNS = ("model", "threshold")
#: Tables whose file must exist.
REQUIRED = ("actors", "dependencies")
_KEY_COLUMNS = {
    "dimensions": ("id",),
    "actors": ("id",),
    "infrastructures": ("id", "owner"),
    "dependencies": ("dependent", "provider"),
    "needs": ("dependent",),
    "ownership": ("owner", "owned", "share"),
    "authority": ("holder", "subject"),
}


def read_csv_bundle(folder: str | os.PathLike[str], *, strict: bool = False) -> Network:
    """Read a CSV bundle folder.

    Parameters
    ----------
    folder : path-like
    strict : bool, default False
        Refuse (raise) what is otherwise a warning.

    Returns
    -------
    Network

    Raises
    ------
    InputError
        A missing folder or required file, a file that cannot be read as CSV,
        a ``transit`` other than open or closed, or a value that breaks the
        model's rules (with file, line and column).

    Warns
    -----
    InputWarning
        A column or a file whose name looks like a misspelled known one; a
        ``closed`` transit (not used yet).
    """
    notes = Notes(strict=strict)
    network = bundle_network(folder, notes=notes)
    notes.emit(stacklevel=2)
    return network


def bundle_network(folder: str | os.PathLike[str], *, notes: Notes) -> Network:
    """:func:`read_csv_bundle`, collecting its warnings in ``notes`` (for :func:`dependencia.io.read`)."""
    base = Path(folder)
    if not base.is_dir():
        raise InputError("no such folder (a CSV bundle is a folder of CSV files)", source=str(folder))
    tables: dict[str, CsvTable] = {}
    for table in SECTIONS:
        path = base / FILES[table]
        if not path.exists():
            if table in REQUIRED:
                others = [p.name for p in base.glob("*.csv") if p.name not in FILES.values()]
                close = [name for name in others if suggestion(name, (FILES[table],)) is not None]
                raise InputError(
                    f"the CSV bundle has no {FILES[table]} (required: "
                    f"{', '.join(FILES[t] for t in REQUIRED)})"
                    + (f"; is {sorted(close)[0]!r} meant to be {FILES[table]!r}?" if close else ""),
                    source=str(path),
                )
            continue
        tables[table] = read_csv_table(path, required=_KEY_COLUMNS[table])
        notes.unknown_columns(tables[table].frame.columns, table, source=tables[table].path)
    _unknown_files(base, notes)
    if "infrastructures" in tables:
        check_transit(tables["infrastructures"], notes)
    control, control_lines = _read_control(base / CONTROL_FILE)

    frames = {name: _frame(name, csv_table) for name, csv_table in tables.items()}
    lines = {name: csv_table.lines for name, csv_table in tables.items()}  # kept by the locator, not the cells
    del tables

    def locate(table: str, row: int | None, field: str | None) -> tuple[str | None, str | None]:
        if table == "control" and control_lines is not None:
            return control_lines.path, control_lines.where(0, field)
        if table not in lines:
            return str(folder), schema.record_locator(table, row, field)[1]
        return lines[table].path, lines[table].where(row, field)

    actors = frames.pop("actors")
    return Network(actors, **frames, control=control[0], control_threshold=control[1],  # type: ignore[arg-type]
                   locate=locate)


def _read_control(path: Path) -> tuple[tuple[object, object], CsvLines | None]:
    """The model and threshold that ``control.csv`` names (checked by the Network), and where its row is."""
    if not path.exists():
        return ("majority", None), None
    table = read_csv_table(path, required=("model",))
    unknown = [name for name in table.frame.columns if name not in CONTROL_COLUMNS]
    if unknown:
        raise InputError(f"unknown column {shown(unknown[0])}; {CONTROL_FILE} has the columns "
                         f"{', '.join(CONTROL_COLUMNS)}", source=table.path, where="line 1")
    if len(table.frame) != 1:
        raise table.error(f"{CONTROL_FILE} must have exactly one row (model,threshold) after its header, "
                          f"found {len(table.frame)}", 1 if len(table.frame) > 1 else None)
    row = table.frame.iloc[0]
    model = row["model"].strip() if isinstance(row["model"], str) else row["model"]
    cell = row.get("threshold")
    threshold: object = None
    if isinstance(cell, str) and cell.strip():
        try:
            threshold = float(cell.strip())
        except ValueError:
            threshold = cell  # the Network names it, with this file's line
    return (model, threshold), table.lines


def _unknown_files(base: Path, notes: Notes) -> None:
    """Report CSV files in the folder whose names look like a misspelled table file (never read)."""
    known = (*FILES.values(), CONTROL_FILE)
    for path in sorted(base.glob("*.csv"), key=lambda p: p.name):
        if path.name in known:
            continue
        close = suggestion(path.name, known)
        if close is not None:
            notes.add(f"a CSV bundle has no file {path.name!r} (did you mean {close!r}?)", source=str(path),
                      lenient="not read")


def _frame(table: str, csv_table: CsvTable) -> pd.DataFrame:
    columns = {name: known_or_free(csv_table, table, name) for name in csv_table.frame.columns}
    return pd.DataFrame(columns, index=csv_table.frame.index)


def write_csv_bundle(network: Network, folder: str | os.PathLike[str]) -> list[str]:
    """Write ``network`` as a CSV bundle folder (created if missing).

    All seven files are written, empty tables as a header row only, so that
    no file left over from an earlier bundle in the folder is read back;
    ``control.csv`` is written when the model of control is not the majority
    rule, and a ``control.csv`` already in the folder is removed otherwise. Each
    file is written atomically; every file is rendered before the first is
    written, so a network that cannot be written leaves the folder as it was.

    Returns
    -------
    list of str
        Free attributes whose values CSV text does not keep (booleans, lists,
        text that reads as a number); empty in the usual case.

    Raises
    ------
    UsageError
        ``folder`` is an existing file.
    InputError
        A dimension id that contains ``;`` is listed by an infrastructure.
    """
    base = Path(folder)
    if base.exists() and not base.is_dir():
        raise UsageError(f"{folder} is a file; a CSV bundle is written to a folder")
    check_separator(network.infrastructures["dimensions"], "dimension")
    texts: dict[str, str] = {}
    dropped: list[str] = []
    for table in SECTIONS:
        frame = getattr(network, table)
        if schema.SCHEMAS[table].keyed:
            frame = frame.reset_index()
        texts[table] = frame_to_csv(frame)
        dropped += [
            f"{table} attribute {name} (CSV keeps numbers and text only)"
            for name in lossy_columns(frame, free_columns(network, table))
        ]
    if (network.actors["label"] == "").any():
        dropped.append("empty actor labels (read back as missing)")
    control = network.control
    base.mkdir(parents=True, exist_ok=True)
    for table, text in texts.items():
        write_text_atomic(base / FILES[table], text)
    if control.model != "majority":
        write_text_atomic(base / CONTROL_FILE, f"{','.join(CONTROL_COLUMNS)}\n{control.model},{control.threshold!r}\n")
    elif (base / CONTROL_FILE).is_file():  # left from an earlier bundle: it would name another model
        (base / CONTROL_FILE).unlink()
    return dropped
