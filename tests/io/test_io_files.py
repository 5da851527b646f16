"""Checked text input, CSV tables with exact line numbers, atomic output (io._files)."""

from __future__ import annotations

import os

import pandas as pd
import pytest
from _io_helpers import raises_input_error, write

from dependencia.io._files import read_text, write_bytes_atomic, write_text_atomic
from dependencia.io.csvtable import numeric_column, read_csv_table


# ------------------------------------------------------------------ read_text
def test_missing_file(tmp_path):
    raises_input_error(lambda: read_text(tmp_path / "nope.yaml"), tmp_path / "nope.yaml", None, "no such file")


def test_folder_where_a_file_is_expected(tmp_path):
    raises_input_error(lambda: read_text(tmp_path), tmp_path, None, "folder", "file is expected")


@pytest.mark.parametrize("content", [b"", b"  \n\t\n"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "e.csv"
    path.write_bytes(content)
    raises_input_error(lambda: read_text(path), path, None, "empty")


def test_binary_garbage_names_the_line_of_the_nul_byte(tmp_path):
    path = tmp_path / "g.csv"
    path.write_bytes(b"source,target\na,b\n\x89PNG\x00\x00\x01")
    raises_input_error(lambda: read_text(path), path, "line 3", "binary", "NUL")


def test_latin1_bytes_in_a_utf8_file_name_the_line(tmp_path):
    path = tmp_path / "l.csv"
    path.write_bytes("source,target\na,b\ncafé,b\n".encode("latin-1"))
    error = raises_input_error(lambda: read_text(path), path, "line 3", "not UTF-8", "0xe9")
    assert "save the file as UTF-8" in error.message


def test_byte_order_mark_is_accepted_and_removed(tmp_path):
    path = tmp_path / "b.csv"
    path.write_bytes(b"\xef\xbb\xbfsource,target\n")
    assert read_text(path) == "source,target\n"


# ------------------------------------------------------------- read_csv_table
def test_blank_and_all_empty_rows_are_dropped_but_lines_still_count(tmp_path):
    path = write(tmp_path / "t.csv", "a,b\n1,2\n\n,\n3,4\n")
    table = read_csv_table(path)
    assert table.frame.values.tolist() == [["1", "2"], ["3", "4"]]
    assert [table.line(0), table.line(1)] == [2, 5]
    assert table.where(1, "b") == "line 5, column b"


def test_quoted_newlines_move_the_lines_of_later_rows(tmp_path):
    path = write(tmp_path / "t.csv", 'a,b\n"two\nlines",x\nlast,y\n')
    table = read_csv_table(path)
    assert table.frame["a"].tolist() == ["two\nlines", "last"]
    assert table.line(1) == 4  # the first record spans lines 2 and 3


def test_every_cell_is_text_and_empty_cells_are_missing(tmp_path):
    path = write(tmp_path / "t.csv", "a,b,c\n007,nan,\nTrue,NA,1e3\n")
    frame = read_csv_table(path).frame
    assert frame["a"].tolist() == ["007", "True"]
    assert frame["b"].tolist() == ["nan", "NA"]
    assert frame["c"].isna().tolist() == [True, False]


def test_header_names_are_stripped(tmp_path):
    path = write(tmp_path / "t.csv", " source , target\na,b\n")
    assert list(read_csv_table(path).frame.columns) == ["source", "target"]


def test_header_with_a_repeated_name(tmp_path):
    path = write(tmp_path / "t.csv", "source,target,source\na,b,c\n")
    raises_input_error(lambda: read_csv_table(path), path, "line 1", "'source' twice")


def test_header_with_an_empty_name(tmp_path):
    path = write(tmp_path / "t.csv", "source,,target\na,b,c\n")
    raises_input_error(lambda: read_csv_table(path), path, "line 1", "column 2 has no name")


@pytest.mark.parametrize(
    ("text", "line"),
    [("a,b\n1,2,3\n4,5\n", "line 2"), ("a,b\n1,2\n\n4,5,6\n", "line 4")],
)
def test_a_row_with_more_fields_than_the_header(tmp_path, text, line):
    path = write(tmp_path / "t.csv", text)
    raises_input_error(lambda: read_csv_table(path), path, line, "3 fields", "header names 2")


def test_a_quote_that_is_never_closed(tmp_path):
    path = write(tmp_path / "t.csv", 'a,b\n1,2\n"3,4\n5,6\n')
    raises_input_error(lambda: read_csv_table(path), path, "line 3", "quoted field is never closed")


def test_short_rows_have_missing_cells(tmp_path):
    path = write(tmp_path / "t.csv", "a,b\n1\n2,3\n")
    frame = read_csv_table(path).frame
    assert frame["b"].isna().tolist() == [True, False]


def test_numeric_column_rules():
    cells = pd.Series(["3", "-2", "2.50", "1e3", None], dtype=str)
    as_objects = numeric_column(cells, integers=True).tolist()
    assert as_objects == [3, -2, 2.5, 1000.0, None]
    assert [type(v) for v in as_objects[:4]] == [int, int, float, float]
    floats = numeric_column(cells, integers=False)
    assert floats.dtype == "float64" and floats.isna().tolist() == [False] * 4 + [True]
    assert numeric_column(pd.Series(["1", "one"], dtype=str), integers=False) is None
    big = numeric_column(pd.Series(["123456789012345678901234"], dtype=str), integers=True)
    assert big.tolist() == [123456789012345678901234]


# --------------------------------------------------------------- atomic write
def test_atomic_write_leaves_only_the_file(tmp_path):
    write_text_atomic(tmp_path / "out.txt", "hello\n")
    assert os.listdir(tmp_path) == ["out.txt"]
    assert (tmp_path / "out.txt").read_text() == "hello\n"


def test_atomic_write_replaces_a_symlink_instead_of_following_it(tmp_path):
    target = write(tmp_path / "elsewhere.txt", "keep me\n")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    write_bytes_atomic(link, b"new\n")
    assert not link.is_symlink()
    assert link.read_text() == "new\n"
    assert target.read_text() == "keep me\n"


def test_a_failed_atomic_write_leaves_nothing_behind(tmp_path):
    from dependencia.base.atomic import write_atomic

    def broken(stream):
        stream.write(b"partial")
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        write_atomic(tmp_path / "out.txt", broken)
    assert os.listdir(tmp_path) == []
