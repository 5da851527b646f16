"""Fuzz tests of every reader and of the model constructor (issue 10, item 2).

Each test feeds a reader mutated or generated input and checks the readers'
contract: the input reads, or the reader raises an
:class:`~dependencia.errors.InputError` that names the file in one bounded
line; never another exception, never a hang (a per-example deadline, and an
alarm that interrupts a read running past 20 s).

``make test`` runs 3,400 examples in all (the counts in the
decorators); ``make fuzz`` runs the ``fuzz`` hypothesis profile, 25 times as
many, and then the atheris harnesses in ``fuzz/``.
"""

from __future__ import annotations

import json
import math
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from _fuzz_inputs import (
    HAND_ACTORS,
    HAND_EDGES,
    HAND_YAML,
    fuzz_settings,
    mutated,
    reads_or_refuses,
    seed_network,
    time_limit,
)
from hypothesis import example, given
from hypothesis import strategies as st

from dependencia.batch.sweep import read_spec
from dependencia.errors import InputError
from dependencia.io import read, write
from dependencia.io.csvbundle import FILES
from dependencia.network.model import Network
from dependencia.simulation.scenario import read_scenario, scenario_path

# mutated headers and field names are what the readers warn about ("did you mean ...?"); here only
# "reads or refuses cleanly" is checked, so the warnings are expected and not shown
pytestmark = pytest.mark.filterwarnings("ignore::dependencia.errors.InputWarning")


@pytest.fixture(scope="module")
def seeds() -> dict[str, list[bytes]]:
    """Seed files of every format, written by dependencia itself (plus hand-written ones)."""
    folder = Path(tempfile.mkdtemp(prefix="dependencia-fuzz-seeds-"))
    net = seed_network()
    files: dict[str, list[bytes]] = {}
    for name in ("n.yaml", "n.json", "n.graphml", "n.gexf", "n.csv"):
        write(net, folder / name)
        files[name.split(".")[1]] = [(folder / name).read_bytes()]
    write(net, folder / "bundle")
    files["yaml"].append(HAND_YAML)
    files["json"].append(json.dumps(yaml.safe_load(HAND_YAML)).encode())
    files["csv"].append(HAND_EDGES)
    files["actors"] = [HAND_ACTORS, (folder / "bundle" / "actors.csv").read_bytes()]
    for table, name in FILES.items():
        files[f"bundle/{table}"] = [(folder / "bundle" / name).read_bytes()]
    files["scenario"] = [scenario_path(name).read_bytes() for name in ("platform", "debt-brake")]
    files["spec"] = [
        b"scenario: platform\nsteps: 2\nseeds: [1, 2]\nvary:\n  infrastructure.build_cost: [5.0, 10.0]\n"
        b"fixed:\n  policies.rent_tax.rate: 0.1\noutcomes: [hhi]\n",
        b"scenario: platform\nsteps: 3\nseeds: {count: 2, start: 4}\ndesign: {lhs: 3}\n"
        b"vary: {infrastructure.build_cost: [1, 9], adoption.switching_cost: [0.0, 0.5]}\n",
    ]
    shutil.rmtree(folder)
    return files


@pytest.fixture(scope="module")
def scratch():
    folder = Path(tempfile.mkdtemp(prefix="dependencia-fuzz-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def put(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------- files, mutated


@pytest.mark.parametrize("kind", ["yaml", "json"])
def test_model_file_mutations(seeds, scratch, kind):
    @fuzz_settings(300)
    @given(mutated(seeds[kind]))
    def check(data):
        path = put(scratch, f"net.{kind}", data)
        reads_or_refuses(lambda: read(path), str(path))

    check()


def test_scenario_file_mutations(seeds, scratch):
    @fuzz_settings(150)
    @given(mutated(seeds["scenario"]))
    def check(data):
        path = put(scratch, "scenario.yaml", data)
        reads_or_refuses(lambda: read_scenario(path), str(path))

    check()


def test_sweep_spec_mutations(seeds, scratch):
    @fuzz_settings(150)
    @given(mutated(seeds["spec"]))
    # found by `make fuzz`: a scenario name longer than a file name may be (ENAMETOOLONG from stat)
    @example(b"scenario: " + b"1" * 300 + b"platform\nsteps: 2\nseeds: [1, 2]\n")
    def check(data):
        path = put(scratch, "spec.yaml", data)
        reads_or_refuses(lambda: read_spec(path), str(path))

    check()


def test_edge_list_mutations(seeds, scratch):
    @fuzz_settings(300)
    @given(mutated(seeds["csv"]), st.none() | mutated(seeds["actors"]))
    def check(edges, actors):
        path = put(scratch, "edges.csv", edges)
        listed = None if actors is None else put(scratch, "actors.csv", actors)
        reads_or_refuses(lambda: read(path, actors=listed), str(scratch))

    check()


def test_csv_bundle_mutations(seeds, scratch):
    tables = list(FILES)

    @fuzz_settings(300)
    @given(st.data())
    def check(data):
        folder = scratch / "bundle"
        shutil.rmtree(folder, ignore_errors=True)
        changed = data.draw(st.lists(st.sampled_from(tables), min_size=1, max_size=3, unique=True))
        dropped = data.draw(st.lists(st.sampled_from(tables), max_size=2, unique=True))
        for table in tables:
            if table in dropped and table not in changed:
                continue
            seed = seeds[f"bundle/{table}"]
            put(folder, FILES[table], data.draw(mutated(seed)) if table in changed else seed[0])
        reads_or_refuses(lambda: read(folder), str(folder))

    check()


@pytest.mark.parametrize("kind", ["graphml", "gexf"])
def test_graph_file_mutations(seeds, scratch, kind):
    @fuzz_settings(250)
    @given(mutated(seeds[kind]))
    def check(data):
        path = put(scratch, f"net.{kind}", data)
        reads_or_refuses(lambda: read(path), str(path))

    check()


def test_arbitrary_bytes_in_every_format(scratch):
    """Bytes with no seed at all: binary, empty, random text."""
    suffixes = ["yaml", "json", "csv", "graphml", "gexf"]

    @fuzz_settings(250)
    @given(st.sampled_from(suffixes), st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
    def check(suffix, data):
        path = put(scratch, f"any.{suffix}", data)
        reads_or_refuses(lambda: read(path), str(path))

    check()


# ---------------------------------------------------------------- files, generated

_CELL = st.one_of(
    st.sampled_from(["a", "b", "c", "x", "", " ", "nan", "inf", "-1", "0", "1e400", "2", "0.5", "a;b", ";", "a;;b",
                     "market", "care", "public", "firm", "state", "compute", "default"]),
    st.text(alphabet='ab,;"\n\r \t\x00é', max_size=6),
)
_COLUMNS = ["source", "target", "dimension", "strength", "channel", "via", "distance", "dependent", "provider",
            "id", "kind", "budget", "label", ""]


@st.composite
def csv_texts(draw, required: tuple[str, ...]) -> bytes:
    """A CSV table: a header (usually with the required columns) and rows of awkward cells, quoted or not."""
    columns = list(required) if draw(st.booleans()) else []
    columns += draw(st.lists(st.sampled_from(_COLUMNS), max_size=3))
    rows = draw(st.lists(st.lists(_CELL, min_size=0, max_size=len(columns) + 1), max_size=6))
    quote = draw(st.booleans())
    end = draw(st.sampled_from(["\n", "\r\n"]))

    def line(cells: list[str]) -> str:
        return ",".join('"' + c.replace('"', '""') + '"' if quote else c for c in cells)

    return (end.join([line(columns), *map(line, rows)]) + end).encode("utf-8", "surrogatepass")


def test_generated_edge_lists(scratch):
    @fuzz_settings(300)
    @given(csv_texts(("source", "target")), st.none() | csv_texts(("id",)))
    def check(edges, actors):
        path = put(scratch, "gen.csv", edges)
        listed = None if actors is None else put(scratch, "gen-actors.csv", actors)
        reads_or_refuses(lambda: read(path, actors=listed), str(scratch))

    check()


_IDS = st.sampled_from(["a", "b", "c", "x", "compute", "care", "default", " ", "", "a;b"]) | st.integers(-2, 3)
_VALUES = st.one_of(
    _IDS, st.none(), st.booleans(), st.floats(), st.integers(-(2**70), 2**70), st.just(10**400),
    st.sampled_from(["market", "care", "firm", "state", "1.5", "nan"]), st.lists(_IDS, max_size=3),
    st.dictionaries(st.sampled_from(["a", "id"]), _IDS, max_size=2),
)
_FIELDS = ["id", "kind", "label", "budget", "unit_cost", "monetized", "dependent", "provider", "dimension",
           "strength", "channel", "via", "owner", "owned", "share", "holder", "subject", "dimensions", "build_cost",
           "upkeep", "free"]
_RECORDS = st.lists(st.dictionaries(st.sampled_from(_FIELDS), _VALUES, max_size=5), max_size=4)
_TABLES = ["dimensions", "actors", "infrastructures", "dependencies", "needs", "ownership", "authority"]


@st.composite
def documents(draw) -> dict:
    """A model file document: the schema version, then tables of records with awkward fields and values."""
    document = {"dependencia": draw(st.sampled_from([1, 1, 1, 2, "1", None]))}
    for table in draw(st.lists(st.sampled_from(_TABLES), unique=True, max_size=5)):
        document[table] = draw(_RECORDS | st.sampled_from([None, "text", 3, {"id": "a"}]))
    return document


def test_generated_model_files(scratch):
    @fuzz_settings(300)
    @given(documents(), st.sampled_from(["yaml", "json"]))
    def check(document, kind):
        if kind == "json":
            text = json.dumps(document, default=str)
        else:
            text = yaml.safe_dump(document, allow_unicode=True)
        path = put(scratch, f"gen.{kind}", text.encode("utf-8", "surrogatepass"))
        reads_or_refuses(lambda: read(path), str(path))

    check()


# ---------------------------------------------------------------- the model constructor


@st.composite
def record_tables(draw) -> dict:
    return {table: draw(_RECORDS) for table in draw(st.lists(st.sampled_from(_TABLES), unique=True, max_size=6))}


def test_network_from_records():
    @fuzz_settings(300)
    @given(record_tables())
    def check(tables):
        actors = tables.pop("actors", [])
        reads_or_refuses(lambda: Network.from_records(actors, **tables))

    check()


_COLUMN_VALUES = {
    "object": st.lists(_VALUES, min_size=3, max_size=3),
    "float": st.lists(st.floats(), min_size=3, max_size=3),
    "int": st.lists(st.integers(-(2**63), 2**63 - 1), min_size=3, max_size=3),
    "bool": st.lists(st.booleans(), min_size=3, max_size=3),
    "str": st.lists(st.sampled_from(["a", "b", "c", "", "x"]), min_size=3, max_size=3),
}


@st.composite
def frames(draw) -> pd.DataFrame:
    """A three-row table whose columns have awkward dtypes (numpy ints, floats, bools, strings, objects)."""
    columns = {}
    for name in draw(st.lists(st.sampled_from(_FIELDS), unique=True, max_size=5)):
        kind = draw(st.sampled_from(sorted(_COLUMN_VALUES)))
        values = draw(_COLUMN_VALUES[kind])
        dtype = {"object": object, "float": float, "int": np.int64, "bool": bool, "str": "string"}[kind]
        columns[name] = pd.Series(values, dtype=dtype)
    return pd.DataFrame(columns, index=pd.RangeIndex(3))


def test_network_from_frames():
    @fuzz_settings(250)
    @given(frames(), st.dictionaries(st.sampled_from([t for t in _TABLES if t != "actors"]), frames(), max_size=3))
    def check(actors, others):
        reads_or_refuses(lambda: Network(actors, **others))

    check()


# ---------------------------------------------------------------- the guard itself


def test_the_hang_guard_interrupts_a_read():
    from _fuzz_inputs import Hang

    with pytest.raises(Hang), time_limit(0.2):
        while True:
            try:
                math.factorial(2000)
            except Exception:  # a reader's broad except must not swallow it
                pass


def test_reads_or_refuses_lets_other_errors_through():
    with pytest.raises(ZeroDivisionError):
        reads_or_refuses(lambda: 1 / 0)
    assert reads_or_refuses(lambda: (_ for _ in ()).throw(InputError("bad", source="f"))) is None
