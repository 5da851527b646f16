"""CSV tables with exact line numbers, shared by the edge list and CSV bundle readers.

:func:`read_csv_table` reads through :func:`~dependencia.io._files.read_checked`
(so a CSV file is refused for the same reasons as any text file), finds the
delimiter, checks the header and line lengths, and keeps each row's line in
the file, so that every later message names the line and column of a bad
cell. :func:`numeric_column` turns a text column into numbers when every cell
is one.

Examples
--------
>>> import pathlib, tempfile
>>> from dependencia.io._files import write_bytes_atomic
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_bytes_atomic(folder / "t.csv", b"a,b\\n1,2\\n\\nx,\\n")
>>> table = read_csv_table(folder / "t.csv")
>>> table.frame.to_dict("list")
{'a': ['1', 'x'], 'b': ['2', nan]}
>>> table.where(1, "b")  # the blank line 3 is skipped but still counted
'line 4, column b'
"""

from __future__ import annotations

import csv
import io
import os
import re
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError, shown
from ._csvtext import DECIMAL_COMMA, DELIMITER_NAMES, MAX_CSV_LINE, read_header

__all__ = ["MAX_CSV_LINE", "CsvLines", "CsvTable", "numeric_column", "read_csv_table"]

_INTEGER = r"\s*[+-]?\d+\s*"
_WHITE_LINE = re.compile(r"^[ \t]+\r?$", re.MULTILINE)


@dataclass
class CsvLines:
    """Where the rows of a CSV table are in its file, for error messages.

    Attributes
    ----------
    path : str
        The file, as the caller named it (used as the error source).
    rows : numpy.ndarray
        ``rows[i]`` is the record number (0 = first record after the header)
        of table row ``i``; all-empty records are dropped but counted.
    text : str or None
        The file's text, kept only when a quoted cell may span lines; without
        quotes, record ``r`` is on line ``r + 2``.
    delimiter : str
        What separates the cells: ``,``, or ``;`` or a tab (see :func:`read_csv_table`).
    """

    path: str
    rows: np.ndarray
    text: str | None = field(default=None, repr=False)
    delimiter: str = ","
    _starts: np.ndarray | None = field(default=None, repr=False)

    def line(self, row: int) -> int:
        """The line of the file on which table row ``row`` starts."""
        record = int(self.rows[row])
        if self.text is None:
            return record + 2
        if self._starts is None:
            self._starts = _record_lines(self.text, self.delimiter)
        if record >= len(self._starts):  # the csv module stopped early (a cell over its size limit)
            return record + 2
        return int(self._starts[record])

    def where(self, row: int | None, column: str | None = None) -> str | None:
        """``"line N, column X"`` for an error in table row ``row``."""
        if row is None:
            return f"column {column}" if column else None
        place = f"line {self.line(row)}"
        return f"{place}, column {column}" if column else place

    def error(self, message: str, row: int | None = None, column: str | None = None) -> InputError:
        """An :class:`InputError` located in this file."""
        return InputError(message, source=self.path, where=self.where(row, column))


@dataclass
class CsvTable:
    """A CSV file read as text cells.

    Attributes
    ----------
    frame : pandas.DataFrame
        One row per non-empty record, every cell a string or NaN (empty).
    lines : CsvLines
        Where each row of ``frame`` is in the file. A locator that outlives
        the table keeps only this (not the cells).
    """

    frame: pd.DataFrame
    lines: CsvLines

    @property
    def path(self) -> str:
        """The file, as the caller named it."""
        return self.lines.path

    def line(self, row: int) -> int:
        """The line of the file on which ``frame`` row ``row`` starts."""
        return self.lines.line(row)

    def where(self, row: int | None, column: str | None = None) -> str | None:
        """``"line N, column X"`` for an error in ``frame`` row ``row``."""
        return self.lines.where(row, column)

    def error(self, message: str, row: int | None = None, column: str | None = None) -> InputError:
        """An :class:`InputError` located in this file."""
        return self.lines.error(message, row, column)


def _record_lines(text: str, delimiter: str = ",") -> np.ndarray:
    """Start line of every record after the header (embedded newlines counted)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    starts: list[int] = []
    previous = 0
    try:
        for index, _ in enumerate(reader):
            if index:
                starts.append(previous + 1)
            previous = reader.line_num
    except csv.Error:  # a cell over the csv module's size limit: the lines after it are approximate
        pass
    return np.asarray(starts, dtype=np.int64)


def read_csv_table(path: str | os.PathLike[str], *, required: tuple[str, ...] = ()) -> CsvTable:
    """Read a CSV file with a header row as text cells, checking its shape.

    Parameters
    ----------
    path : path-like
    required : tuple of str
        Columns the header must name.

    Returns
    -------
    CsvTable

    Raises
    ------
    InputError
        Everything :func:`read_text` rejects; a header with an empty or
        repeated column name; missing required columns; a row with more
        fields than the header or a quote that is never closed (with its line);
        in a file separated by ``;`` or tabs, a number with a decimal comma.

    Notes
    -----
    Every cell is read as text (nothing is guessed); empty cells are missing
    (NaN). Header names are stripped of surrounding white space. Records whose
    cells are all empty (or, on a line of nothing but spaces or tabs, all white
    space) are dropped, and line numbers still count them.

    Cells are separated by commas; a file whose header row has no comma but
    semicolons (or tabs) is read as separated by those, as spreadsheets with a
    German locale export CSV. Numbers are read with a decimal point in every
    file: a cell such as ``1,5`` in such a file is an error that says so.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "e.csv"
    >>> _ = path.write_text("source;target;strength\\na;b;2\\n")
    >>> read_csv_table(path).frame.to_dict("list")
    {'source': ['a'], 'target': ['b'], 'strength': ['2']}
    """
    found = read_header(path, required=required)
    data, text, source, delimiter, header = found.data, found.text, found.source, found.delimiter, found.header
    frame = _parse(data, text, header, source, delimiter)
    empty = frame.isna().all(axis=1).to_numpy() if len(frame.columns) else np.ones(len(frame), dtype=bool)
    if len(frame.columns) and _WHITE_LINE.search(text):  # a line of spaces is blank too (only looked for then)
        empty = empty | frame.apply(lambda cells: cells.isna() | (cells.str.strip() == "")).all(axis=1).to_numpy()
    rows = np.arange(len(frame), dtype=np.int64)
    if empty.any():
        frame = frame.loc[~empty].reset_index(drop=True)
        rows = rows[~empty]
    table = CsvTable(frame, CsvLines(source, rows, text if '"' in text else None, delimiter))
    if delimiter != ",":
        _check_decimal_commas(table)
    return table


def _check_decimal_commas(table: CsvTable) -> None:
    """Refuse a number with a decimal comma (``1,5``) in a file separated by ``;`` or tabs."""
    frame = table.frame
    for column in frame.columns:
        cells = frame[column]
        comma = cells.str.fullmatch(DECIMAL_COMMA).fillna(False).to_numpy(dtype=bool)
        if comma.any():
            row = int(np.flatnonzero(comma)[0])
            cell = str(cells.iloc[row]).strip()
            raise table.error(
                f"{shown(cell)} is written with a decimal comma: dependencia reads numbers with a decimal point "
                f"({shown(cell.replace(',', '.'))}) in every CSV file, also in one separated by "
                f"{DELIMITER_NAMES[table.lines.delimiter]} (export with '.' as the decimal separator)",
                row, column,
            )


def _parse(data: bytes, text: str, header: list[str], source: str, delimiter: str = ",") -> pd.DataFrame:
    options: dict[str, Any] = dict(dtype=str, keep_default_na=False, na_values=[""], names=header, header=0,
                                   sep=delimiter)
    # pyarrow's parser is an order of magnitude faster, but it skips blank lines
    # (row numbers would no longer be record numbers) and refuses short rows;
    # the C parser, with one row per record, handles those files.
    if "\n\n" not in text and "\n\r\n" not in text:
        try:
            return pd.read_csv(io.BytesIO(data), engine="pyarrow", **options)
        except Exception:  # any refusal falls back to the C parser
            pass
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            return pd.read_csv(
                io.StringIO(text), engine="c", skip_blank_lines=False, index_col=False, **options
            )
    except (pd.errors.ParserError, pd.errors.ParserWarning, ValueError) as problem:
        raise _diagnose(text, len(header), source, problem, delimiter) from None


def _diagnose(text: str, width: int, source: str, problem: Exception, delimiter: str = ",") -> InputError:
    """Find the line that the CSV parser choked on (csv module, exact lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, delimiter=delimiter)
    previous = 0
    try:
        for index, record in enumerate(reader):
            if index and len(record) > width:
                return InputError(
                    f"this row has {len(record)} fields, but the header names {width} columns",
                    source=source, where=f"line {previous + 1}",
                )
            previous = reader.line_num
    except csv.Error as bad:
        detail = "a quoted field is never closed" if "EOF" in str(bad) or "end of data" in str(bad) else str(bad)
        return InputError(f"the CSV cannot be parsed: {detail}", source=source, where=f"line {previous + 1}")
    match = re.search(r"line (\d+)", str(problem))
    where = f"line {match.group(1)}" if match else None
    return InputError(f"the CSV cannot be parsed: {str(problem).strip()}", source=source, where=where)


def numeric_column(column: pd.Series, *, integers: bool) -> pd.Series | None:
    """Convert a text column to numbers when every non-empty cell is a number.

    Returns None when some cell is not a number (the column stays text).
    With ``integers=True`` the result is an object column holding a Python
    ``int`` for every integer literal and a ``float`` otherwise (None where
    empty); with ``integers=False`` it is a float64 column (NaN where empty).

    Examples
    --------
    >>> s = pd.Series(["1", "2.5", None, "-3"], dtype=str)
    >>> numeric_column(s, integers=True).tolist()
    [1, 2.5, None, -3]
    >>> numeric_column(s, integers=False).tolist()
    [1.0, 2.5, nan, -3.0]
    >>> numeric_column(pd.Series(["1", "x"], dtype=str), integers=True) is None
    True
    """
    present = column.notna().to_numpy()
    numbers = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)
    if (present & np.isnan(numbers)).any():
        return None
    if not integers:
        return pd.Series(numbers, index=column.index, dtype=float)
    values = np.full(len(column), None, dtype=object)
    is_int = column.str.fullmatch(_INTEGER).fillna(False).to_numpy(dtype=bool) & present
    is_int &= np.isfinite(numbers)  # an integer beyond a float's range reads as infinite, as 1e400 does
    floats = present & ~is_int
    values[floats] = numbers[floats].astype(object)
    if is_int.any():
        values[is_int] = [int(v) for v in column[is_int].tolist()]
    return pd.Series(values, index=column.index, dtype=object)
