"""Issue 19 (memory): a plain edge list read with the csv module gives the very Network the full reader gives.

The oracle is the full reader (pandas' CSV parser, :func:`read_csv_table`),
run on the same files with the plain path switched off: every table, its
dtypes and its values (floats bit for bit), and the locator's answer for
every record.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from _io_helpers import write

from dependencia.errors import InputError
from dependencia.io import read
from dependencia.io.edgelist_plain import plain_edge_list_network
from dependencia.network.model import TABLES

#: (delimiter, line end, a blank line after every this many rows (0: none))
LAYOUTS = [(",", "\n", 0), (";", "\r\n", 5), ("\t", "\n", 3), (",", "\r\n", 0)]
#: cells of a free column that are not all numbers: text, empty, white space, words pandas might read as missing
TEXT = ["x", "", " ", "NA", "n/a", "null", "None", "nan", "1", "2.5", " 3 ", "caf\u00e9", "a b", "-", "TRUE"]
#: cells of a column of numbers (empty ones too): the parser must give the full reader's bits
NUMBERS = ["1", "-2", "+3", "0.1", "1e-320", "1e400", "-1e400", " 4 ", "5.", ".5", "1E3", "007", "inf", "-inf",
           "nan", "NaN", "", "123456789012345678901234567890", "0.30000000000000004", "2.2250738585072014e-308"]


def _files(folder, seed, *, listed):
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(3, 40)), int(rng.integers(1, 200))
    source, target = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = source != target
    source, target = source[keep].tolist(), target[keep].tolist()
    count = len(source)
    floats = [repr(v) for v in rng.uniform(0.1, 10.0, count)]  # 17 significant digits
    tricky = rng.choice(NUMBERS, count).tolist()
    text = rng.choice(TEXT, count).tolist()
    sep, end, blank = LAYOUTS[seed % len(LAYOUTS)]
    rows = [sep.join([f"n{s}", f"n{t}", w, x, y]) for s, t, w, x, y in zip(source, target, floats, tricky, text)]
    if blank:
        rows = [row + (end if i % blank == blank - 1 else "") for i, row in enumerate(rows)]
    header = sep.join(["km", "source", "weight", "target", "note"] if seed % 3 == 0 else
                      ["source", "target", "km", "weight", "note"])
    if seed % 3 == 0:  # the ends need not come first
        rows = [sep.join([r.split(sep)[2], r.split(sep)[0], r.split(sep)[3], r.split(sep)[1], r.split(sep)[4]])
                + (end if r.endswith(end) else "") for r in rows]
    edges = folder / f"e{seed}.csv"
    edges.write_bytes((header + end + "".join(r + end for r in rows)).encode())
    actors = None
    if listed:
        ids = [f"n{i}" for i in rng.permutation(n + 3)]  # three isolated actors, in a shuffled order
        unlisted = [i for i in ids if i not in {f"n{t}" for t in target}][: seed % 4]  # sources it need not list
        ids = [i for i in ids if i not in unlisted]
        actors = write(folder / f"a{seed}.csv", "id\n" + "".join(i + "\n" for i in ids))
    return edges, actors, count


def _full(read_in_full, edges, actors):
    """The full reader's Network: the plain path switched off."""
    with read_in_full():
        network = read(edges, actors=actors)
    assert network.plain_edges() is None  # tables first: not the lean path
    return network


def _same_network(plain, full):
    for name in TABLES:
        ours, theirs = getattr(plain, name), getattr(full, name)
        pd.testing.assert_frame_equal(ours, theirs, check_exact=True)
        assert list(ours.dtypes.astype(str)) == list(theirs.dtypes.astype(str)), name
        assert ours.index.dtype == theirs.index.dtype, name
        for column in ours.columns:
            if ours[column].dtype == float:
                assert ours[column].to_numpy().tobytes() == theirs[column].to_numpy().tobytes(), (name, column)
            else:
                assert [type(v) for v in ours[column]] == [type(v) for v in theirs[column]], (name, column)
    assert plain.equals(full)
    fields = [None, "dependent", "provider", "km", "note"]
    for row in [None, *range(len(full.dependencies))]:
        for field in fields:
            assert plain.locate("dependencies", row, field) == full.locate("dependencies", row, field)
    for row in [None, *range(len(full.actors))]:
        for field in (None, "id", "kind"):
            assert plain.locate("actors", row, field) == full.locate("actors", row, field)


@pytest.mark.parametrize("seed", range(16))
@pytest.mark.parametrize("listed", [False, True])
def test_the_plain_path_reads_the_network_the_full_reader_reads(tmp_path, read_in_full, seed, listed):
    edges, actors, rows = _files(tmp_path, seed, listed=listed)
    assert rows > 0, "the seeded draw must keep some dependency"
    plain = plain_edge_list_network(edges, actors=actors)
    assert plain is not None and plain.plain_edges() is not None  # its tables not built yet
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the plain path only takes files the full reader reads without a warning
        full = _full(read_in_full, edges, actors)
    _same_network(plain, full)
    assert read(edges, actors=actors).equals(full)  # dp.read takes the plain path


def test_the_default_strings_are_one_object(tmp_path):
    """The per-row default dimension and channel are one shared string each, not a copy per row."""
    edges = write(tmp_path / "e.csv", "source,target\n" + "".join(f"a{i},b{i}\n" for i in range(50)))
    net = read(edges)
    for column in ("dimension", "channel"):
        assert len({id(v) for v in net.dependencies[column]}) == 1, column


@pytest.mark.parametrize(("text", "actors"), [
    ("source,target,via\na,b,r\n", None),  # a route
    ("source,target,dimension\na,b,care\n", None),
    ("source,target,strenght\na,b,2\n", None),  # misspelled: the full reader warns
    ('source,target\n"a",b\n', None),  # a quoted cell
    ("source,target\na,b\n", "id,kind\nb,firm\n"),  # an actors file with more than ids
])
def test_anything_beyond_the_plain_case_is_left_to_the_full_reader(tmp_path, read_in_full, text, actors):
    edges = write(tmp_path / "e.csv", text)
    listed = write(tmp_path / "a.csv", actors) if actors is not None else None
    assert plain_edge_list_network(edges, actors=listed) is None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert read(edges, actors=listed).equals(_full(read_in_full, edges, listed))


@pytest.mark.parametrize(("text", "actors", "where"), [
    ("source,target\na,a\n", None, "line 2"),  # a self-dependency
    ("source,target\na,b\nc,\n", None, "line 3"),  # a missing target
    ("source,target\n", None, "line 2"),  # no rows
    ("source,target\na,b\n", "id\nc\n", "line 2"),  # a target the actors file does not list
    ("source,target\na,b\n", "id\nb\nb\n", "line 3"),  # a repeated id
    ("source,target\na,b,c\n", None, "line 2"),  # a row longer than the header
])
def test_a_file_the_full_reader_refuses_gets_its_error(tmp_path, read_in_full, text, actors, where):
    edges = write(tmp_path / "e.csv", text)
    listed = write(tmp_path / "a.csv", actors) if actors is not None else None
    assert plain_edge_list_network(edges, actors=listed) is None
    with pytest.raises(InputError) as ours:
        read(edges, actors=listed)
    with pytest.raises(InputError) as theirs:
        _full(read_in_full, edges, listed)
    assert str(ours.value) == str(theirs.value)
    assert (ours.value.where or "").startswith(where), str(ours.value)
