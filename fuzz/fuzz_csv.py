"""Atheris harness for the CSV readers: edge lists (with an actors file) and CSV bundles.

Run by ``make fuzz`` for a fixed time::

    python fuzz/fuzz_csv.py -max_total_time=60

Any input must read, or raise :class:`dependencia.errors.InputError`; any
other exception is a crash that atheris reports (with the input saved as
``crash-*``). Without corpus folders on the command line, the harness starts
from seeds it writes itself into a temporary folder.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["dependencia"]):
    from dependencia.errors import InputError
    from dependencia.io.csvbundle import read_csv_bundle
    from dependencia.io.edgelist import read_edge_list

from _seeds import csv_seeds, run_with_seeds

WORK = Path(tempfile.mkdtemp(prefix="dependencia-atheris-csv-"))
BUNDLE = WORK / "bundle"
BUNDLE.mkdir()
(BUNDLE / "actors.csv").write_text("id,kind\na,firm\nb,state\nc,person\n")


def test_one_input(data: bytes) -> None:
    # the first byte picks the reader, the rest is the file
    choice, body = (data[0] % 3, data[1:]) if data else (0, b"")
    edges = WORK / "edges.csv"
    if choice == 0:
        edges.write_bytes(body)
        call = lambda: read_edge_list(edges)  # noqa: E731
    elif choice == 1:
        cut = body.find(b"\n\n\n")  # edges, then (after two blank lines) an actors file
        edges.write_bytes(body if cut < 0 else body[:cut])
        actors = WORK / "actors.csv"
        actors.write_bytes(b"id\na\n" if cut < 0 else body[cut + 3:])
        call = lambda: read_edge_list(edges, actors=actors)  # noqa: E731
    else:
        (BUNDLE / "dependencies.csv").write_bytes(body)
        call = lambda: read_csv_bundle(BUNDLE)  # noqa: E731
    try:
        call()
    except InputError as problem:
        assert "\n" not in str(problem)


if __name__ == "__main__":
    run_with_seeds(test_one_input, csv_seeds(), "csv", sys.argv)
