"""Terminal output of the command line: Rich tables, progress bars, atomic output files."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

from ..base.atomic import write_atomic, write_text_atomic

if TYPE_CHECKING:  # Rich is imported when a bar is shown
    from rich.progress import Progress

# `from . import _output` (NumPy, pandas) inside the functions: the CLI loads this module for `--help`


def deliver(
    format: str,
    header: dict,
    rows,
    *,
    title: str,
    caption: str,
    output: Path | None,
    table_rows=None,
) -> None:
    """Emit a result as one JSON object (``header`` plus ``rows``), CSV, or a Rich table.

    Lists in cells become ``;``-joined text in CSV and ``, ``-joined in the
    table; ``table_rows`` (default ``rows``) is what the table shows.
    """
    from ..base import output as _output

    if format == "json":  # written a block of rows at a time (issue 19: peak memory)
        emit_chunks(_output.json_chunks(header, rows), output)
        return
    if format == "csv":
        text = _output.to_csv(_output.joined_lists(rows, ";"))
    else:
        shown = _output.joined_lists(rows if table_rows is None else table_rows, ", ")
        text = render_table(title, shown, caption, to_file=output is not None)
        if output is None:
            return
    emit(text, output)


def render_table(title: str, rows, caption: str, *, to_file: bool, names_as_is: bool = False) -> str:
    """Print ``rows`` as a Rich table on stdout, or return it as plain text when ``to_file``.

    ``names_as_is`` keeps the column names exactly (no ``_`` shown as a space).
    """
    from rich.console import Console

    from ..base import output as _output

    table = _output.to_rich_table(title, rows, caption, names_as_is=names_as_is)
    if to_file:
        console = Console(record=True, width=160, file=io.StringIO(), color_system=None)
        console.print(table)
        return console.export_text()
    Console(width=None if sys.stdout.isatty() else 160).print(table)
    return ""


def emit_chunks(chunks: Iterable[str], output: Path | None) -> None:
    """Write the pieces of one text to stdout, or atomically to ``output`` (UTF-8), as they come."""
    if output is None:
        for chunk in chunks:
            sys.stdout.write(chunk)
        return

    def put(stream: IO[bytes]) -> None:
        for chunk in chunks:
            stream.write(chunk.encode("utf-8"))

    write_atomic(output, put)


def emit(text: str, output: Path | None) -> None:
    """Write ``text`` to stdout, or atomically to ``output``."""
    if output is None:
        sys.stdout.write(text)
        return
    write_text_atomic(output, text)


class progress:
    """A progress bar on stderr while long work runs, only when stderr is a terminal and not ``quiet``.

    Yields a callback ``(done, total, **fields)`` for the computation, or
    None when there is nothing to show. ``eta`` adds the time remaining;
    ``fields`` names counters shown beside the bar (e.g. ``("failed",)``).
    """

    def __init__(self, description: str, *, quiet: bool = False, eta: bool = False, fields: tuple[str, ...] = ()):
        self.description = description
        self.quiet = quiet
        self.eta = eta
        self.fields = fields
        self._bar: Progress | None = None

    def __enter__(self) -> Callable[..., None] | None:
        if self.quiet or not sys.stderr.isatty():
            return None
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        columns = [TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}")]
        columns += [TextColumn(f"{{task.fields[{name}]}} {name}") for name in self.fields]
        columns.append(TimeElapsedColumn())
        if self.eta:
            columns.append(TimeRemainingColumn())
        bar = self._bar = Progress(*columns, console=Console(stderr=True), transient=True)
        bar.__enter__()
        counters: dict[str, Any] = {name: 0 for name in self.fields}
        task = bar.add_task(self.description, total=None, **counters)

        def advance(done: int, total: int | None, **values: int) -> None:
            shown: dict[str, Any] = dict(values)
            bar.update(task, completed=done, total=total, **shown)

        return advance

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if self._bar is not None:
            self._bar.__exit__(kind, error, traceback)
