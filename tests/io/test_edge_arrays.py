"""Issue 19 (memory): a plain edge list read to arrays compiles to the very graph the full reader's Network does."""

from __future__ import annotations

import numpy as np
import pytest
from _io_helpers import write

from dependencia.graph import compile_graph
from dependencia.graph.compiled import compile_edge_arrays
from dependencia.io import read
from dependencia.io.edge_arrays import plain_edge_arrays

#: How the random files are laid out: (delimiter, line end, a blank line after every this many rows (0: none)).
LAYOUTS = [(",", "\n", 0), (";", "\r\n", 7), ("\t", "\n", 3)]


def _random_files(folder, seed, *, listed):
    """An edge list with parallel rows and lengths, and perhaps an actors file listing every target and isolated ids.

    The delimiter, line ends and blank lines vary with the seed; lengths are
    drawn from a few round values and from uniform floats written with 17
    significant digits (both readers must parse them to the same bits).
    """
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(3, 40)), int(rng.integers(1, 200))
    source, target = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = source != target
    lengths = rng.choice([0.5, 1.0, 2.0, 3.25, 10.0], m) if seed % 2 else rng.uniform(0.1, 10.0, m)
    sep, end, blank = LAYOUTS[seed % len(LAYOUTS)]
    rows = [sep.join([f"n{s}", f"n{t}", repr(w), f"x {s}"])
            for s, t, w in zip(source[keep].tolist(), target[keep].tolist(), lengths[keep].tolist())]
    if blank:
        rows = [row + (end if i % blank == blank - 1 else "") for i, row in enumerate(rows)]
    header = sep.join(["source", "target", "km", "note"])
    edges = folder / f"e{seed}.csv"
    edges.write_bytes((header + end + "".join(r + end for r in rows)).encode())
    actors = None
    if listed:
        ids = [f"n{i}" for i in rng.permutation(n + 3)]  # three isolated actors, in a shuffled order
        actors = write(folder / f"a{seed}.csv", "id\n" + "".join(i + "\n" for i in ids))
    return edges, actors, int(keep.sum())


def _same_graph(lean, full):
    for name in ("source", "target", "strength", "route_infrastructure"):
        assert getattr(lean, name).tobytes() == getattr(full, name).tobytes(), name
        assert getattr(lean, name).dtype == getattr(full, name).dtype, name
    assert (lean.length is None) == (full.length is None)
    if full.length is not None:
        assert lean.length.tobytes() == full.length.tobytes()
    assert lean.node_ids.tolist() == full.node_ids.tolist() and lean.node_ids.dtype == full.node_ids.dtype
    assert lean.route_key.tolist() == full.route_key.tolist()
    for name in ("n_actors", "directed", "dimensions", "length_name", "all_dimensions", "paths", "n_model"):
        assert getattr(lean, name) == getattr(full, name), name
    assert list(lean.index) == list(full.index)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("listed", [False, True])
def test_the_arrays_compile_to_the_graph_of_the_network_read_in_full(tmp_path, read_in_full, seed, listed):
    edges, actors, rows = _random_files(tmp_path, seed, listed=listed)
    assert rows > 0, "the seeded draw must keep some dependency"  # fixed seeds: none of them draws only self-loops
    with read_in_full():
        net = read(edges, actors=actors)
    assert net.plain_edges() is None  # compiled from its tables
    for length in (None, "km"):
        arrays = plain_edge_arrays(edges, actors=actors, length=length)
        assert arrays is not None
        for directed in (True, False):
            for paths in ("routed", "hub"):
                _same_graph(compile_edge_arrays(arrays, length=length, directed=directed, paths=paths),
                            compile_graph(net, length=length, directed=directed, paths=paths))


@pytest.mark.parametrize(("text", "actors", "length"), [
    ("source,target,via\na,b,r\n", None, None),  # a route
    ("source,target,dimension\na,b,care\n", None, None),
    ("source,target,strength\na,b,2\n", None, None),
    ("source,target,strenght\na,b,2\n", None, None),  # misspelled: the full reader warns
    ("source,target\na,a\n", None, None),  # a self-dependency: the full reader's error
    ("source,target\na,\n", None, None),  # a missing target
    ("source,target\na, \n", None, None),  # a blank one
    ("source,target\n", None, None),  # no rows
    ("source,target,km\na,b,0\n", None, "km"),  # a length that is not > 0
    ("source,target,km\na,b,x\n", None, "km"),
    ("source,target,km\na,b,1\n", None, "source"),
    ("source,target,km\na,b,1\n", None, "nope"),
    ("source,target\na,b\n", "id,kind\nb,firm\n", None),  # an actors file with more than ids
    ("source,target\na,b\n", "id\nc\n", None),  # a target it does not list
    ("source,target\na,b\n", "id\nb\nb\n", None),  # a repeated id
    ("source,target\na,b\n", "id\n \nb\n", None),  # a blank id
    ("source,target\na,b,c\n", None, None),  # a row longer than the header: the full reader's error
    ("source,target,note\na,b\n", None, None),  # a short row
    ('source,target\n"a",b\n', None, None),  # a quoted cell
    ("source;target;note\na;b;1,5\n", None, None),  # a decimal comma: the full reader's error
    ("source,target,km\na,b,\n", None, "km"),  # a missing length
    ("source,target\na,b\n,\n", None, None),  # a row of empty cells
])
def test_anything_beyond_the_plain_case_is_left_to_the_full_reader(tmp_path, text, actors, length):
    edges = write(tmp_path / "e.csv", text)
    listed = write(tmp_path / "a.csv", actors) if actors is not None else None
    assert plain_edge_arrays(edges, actors=listed, length=length) is None


@pytest.mark.parametrize("text", [
    "sorce,target\na,b\n",  # no source column (with the hint at the misspelling)
    "source,target,source\na,b,c\n",  # a repeated column
    "source,,target\na,x,b\n",  # a column without a name
    "",  # an empty file
])
def test_a_broken_header_raises_the_full_readers_error(tmp_path, text):
    from dependencia.errors import InputError

    path = write(tmp_path / "e.csv", text)
    with pytest.raises(InputError) as lean:
        plain_edge_arrays(path)
    with pytest.raises(InputError) as full:
        read(path)
    assert str(lean.value) == str(full.value)


def test_a_broken_row_is_left_to_the_full_reader_which_names_it(tmp_path):
    from dependencia.errors import InputError

    path = write(tmp_path / "e.csv", "source,target\na,b\nc,d,e\n")
    assert plain_edge_arrays(path) is None
    with pytest.raises(InputError, match="line 3"):
        read(path)


def test_the_plain_path_computes_without_pandas(tmp_path):
    """Read, compile and compute exact betweenness in a fresh interpreter: pandas is first imported for the table."""
    import json
    import subprocess
    import sys

    edges, actors, _ = _random_files(tmp_path, 0, listed=True)
    code = (
        "import json, sys\n"
        "from dependencia.io.edge_arrays import plain_edge_arrays\n"
        "from dependencia.graph.compiled import compile_edge_arrays\n"
        "from dependencia.measures import betweenness as b\n"
        "seen = []\n"
        "inner = b.exact_betweenness\n"
        "b.exact_betweenness = lambda *a, **k: (r := inner(*a, **k), seen.append('pandas' in sys.modules))[0]\n"
        f"graph = compile_edge_arrays(plain_edge_arrays({str(edges)!r}, actors={str(actors)!r}))\n"
        "frame = b.graph_betweenness(graph, exact=True, workers=1)\n"
        "print(json.dumps([seen, 'pandas' in sys.modules, len(frame)]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seen, after, rows = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == [False]  # computed with no pandas loaded
    assert after and rows > 0  # the table is a pandas table


def test_plain_actor_power_computes_without_pandas(tmp_path):
    """``dependencia power`` (by actor) on a plain edge list, in a fresh interpreter: pandas first comes for the table."""
    import json
    import subprocess
    import sys

    edges, actors, _ = _random_files(tmp_path, 1, listed=True)
    code = (
        "import json, sys\n"
        "from dependencia.io.edge_arrays import plain_edge_arrays\n"
        "from dependencia.graph.compiled import compile_edge_arrays\n"
        "from dependencia.measures import power_sums as p\n"
        "from dependencia.measures.plain_power import plain_power\n"
        "seen = []\n"
        "inner = p.actor_pair_sums\n"
        "p.actor_pair_sums = lambda *a, **k: (r := inner(*a, **k), seen.append('pandas' in sys.modules))[0]\n"
        f"graph = compile_edge_arrays(plain_edge_arrays({str(edges)!r}, actors={str(actors)!r}))\n"
        "frame = plain_power(graph, exact=True, workers=1)\n"
        "print(json.dumps([seen, 'pandas' in sys.modules, len(frame)]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seen, after, rows = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == [False]  # computed with no pandas loaded
    assert after and rows > 0  # the table is a pandas table
