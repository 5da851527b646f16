"""The bad-input catalogue (issue 10, item 1): broken input of every kind, to every reader, through the CLI.

Each case is one class of broken input (a truncated file, a wrong delimiter,
an alias bomb, ...) given to the command that reads it: ``power NETWORK -o
FILE`` (or ``validate``) for networks in every format and for ``--actors``
files, ``simulate FILE --out DIR`` for scenario files, ``sweep SPEC --out
DIR`` for sweep specs. Every case must give

* exit code 2 and one line on stderr, ``error: FILE, WHERE: message``, where
  WHERE is the line (``line 3``, ``line 3, column strength``) or the record
  path (``dependencies[0].strength``, ``simulation.steps``, ``vary.x``); a
  problem of the whole file (empty, missing, a folder, too large) names the
  file alone;
* no traceback; no output left behind: no ``-o`` file (a file already there
  is unchanged), no run or sweep folder, no temp file;
* and, for the cases that could exhaust a machine (a 100 MB line, alias and
  entity bombs, deep nesting, a pipe or a device given as a file), run in a
  child process: rejected within 30 s under a 2 GiB address-space limit, with
  the child's peak memory checked.

Most cases run in this process through ``dependencia.cli.main`` (a child
process costs a second or two to start); the heavy ones run the installed
``dependencia`` command. Valid but unusual input (byte order marks, CRLF line
ends, trailing white space, quoted fields, YAML anchors) must be accepted:
the positive cases at the end.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

import pytest

from dependencia.cli import main

DIR = object()  #: a folder where a file is expected
FIFO = object()  #: a named pipe (reading it would block forever)
DEV_ZERO = object()  #: a symbolic link to /dev/zero (reading it would never end)
Content = Union[bytes, str, object, Callable[[Path], None]]

M = "dependencia: 1\nactors: [{id: a}, {id: b}, {id: c}]\n"  # a valid model file to extend
J = '{"dependencia": 1, "actors": [{"id": "a"}, {"id": "b"}],\n'  # the start of a JSON one
SC = "dependencia: 1\nactors: [{id: a}, {id: b}]\ndependencies: [{dependent: a, provider: b}]\n"
SPEC = "scenario: platform\nsteps: 1\nseeds: [1]\n"
GRAPHML = '<?xml version="1.0"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n'
GEXF = '<?xml version="1.0"?>\n<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">\n'


def _alias_bomb(levels: int = 9) -> str:
    """Billion laughs in YAML: each anchor is a list of nine aliases of the one before (9**9 values)."""
    lines = ["  - {id: a, x: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]}"]
    for level in range(1, levels):
        aliases = ", ".join([f"*l{level - 1}"] * 9)
        lines.append(f"  - {{id: a{level}, x: &l{level} [{aliases}]}}")
    return "dependencia: 1\nactors:\n" + "\n".join(lines) + "\n"


def _entity_bomb(root: str, inner: str) -> str:
    """Billion laughs in XML: ten levels of entities, each ten of the one before (10**10 characters)."""
    entities = ['<!ENTITY l0 "lol">'] + [
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 11)
    ]
    return (f'<?xml version="1.0"?>\n<!DOCTYPE {root} [\n' + "\n".join(entities) + "\n]>\n" + inner + "\n")


def _huge_line(prefix: bytes, size: int = 100 * 2**20) -> Callable[[Path], None]:
    """A file of one 100 MB line after ``prefix`` (written in chunks, fast)."""

    def make(path: Path) -> None:
        chunk = b"x" * 2**20
        with open(path, "wb") as stream:
            stream.write(prefix)
            for _ in range(size // len(chunk)):
                stream.write(chunk)
            stream.write(b"\n")

    return make


@dataclass
class Case:
    """One class of broken input: the files, the command, and what the error must name."""

    name: str
    files: dict[str, Content]
    command: list[str]  # "{path}" placeholders are files of the case
    source: str  # the file (or folder) the message must name, relative to the case folder
    where: str | None  # the line or record path; None: a problem of the whole file
    words: tuple[str, ...] = ()  # words the message must contain (any case)
    child: bool = False  # run as a child process, with time and memory checked
    output: bool = True  # add the command's output option (-o FILE / --out DIR)
    keep: dict[str, str] = field(default_factory=dict)


def net(name, text, where, *words, suffix="yaml", command="power", child=False, extra=()):
    """A network file of one format given to ``power`` (or ``validate``)."""
    file = f"net.{suffix}"
    return Case(name, {file: text}, [command, f"{{{file}}}", *extra], file, where, words, child,
                output=command != "validate")


def bundle(name, files, source, where, *words):
    """A CSV bundle (a folder net/ holding the files) given to ``power``."""
    base = {"net/actors.csv": "id\na\nb\nc\n", "net/dependencies.csv": "dependent,provider\na,b\n"}
    base.update({f"net/{k}": v for k, v in files.items()})
    base = {k: v for k, v in base.items() if v is not None}
    return Case(name, base, ["power", "{net}"], f"net/{source}", where, words)


def actors(name, text, where, *words, edges="source,target\nb,a\n"):
    """An actors CSV given with --actors to an edge list."""
    return Case(name, {"edges.csv": edges, "actors.csv": text}, ["power", "{edges.csv}", "--actors", "{actors.csv}"],
                "actors.csv", where, words)


def infrastructures(name, text, where, *words, source="infras.csv", edges="source,target,via\nb,a,x\n"):
    """An infrastructures CSV given with --infrastructures (and an actors file) to an edge list."""
    files = {"edges.csv": edges, "actors.csv": "id\na\nb\n", "infras.csv": text}
    return Case(name, files, ["power", "{edges.csv}", "--actors", "{actors.csv}", "--infrastructures",
                              "{infras.csv}"], source, where, words)


def scenario(name, text, where, *words, child=False):
    return Case(name, {"scenario.yaml": text}, ["simulate", "{scenario.yaml}"], "scenario.yaml", where, words, child)


def spec(name, text, where, *words, child=False):
    return Case(name, {"spec.yaml": text}, ["sweep", "{spec.yaml}"], "spec.yaml", where, words, child)


CASES = [
    # ------------------------------------------------ every file: what is not a readable text file
    net("empty file", "", None, "empty", command="validate"),
    net("white space only", b"  \n\t\n\n", None, "empty", suffix="json"),
    net("binary garbage", bytes(range(256)) * 8, "line 1", "binary", suffix="csv", command="validate"),
    net("a NUL byte in the middle of a text file", "source,target\na,b\nc,\x00d\n", "line 3", "binary",
        suffix="csv"),
    net("invalid UTF-8 (a Latin-1 byte)", b"source,target\na,b\ncaf\xe9,b\n", "line 3", "UTF-8", suffix="csv"),
    net("mixed encodings (UTF-8, then Windows-1252)", ("dependencia: 1\nactors: [{id: café}]\n".encode()
        + b"dependencies: [{dependent: caf\x93, provider: b}]\n"), "line 3", "UTF-8"),
    net("UTF-16 text", "source,target\na,b\n".encode("utf-16"), "line 1", "UTF-16", suffix="csv"),
    net("a folder where a file is expected", DIR, None, "folder"),
    net("a missing file", None, None, "no such file", suffix="graphml"),
    net("a named pipe where a file is expected", FIFO, None, "not a regular file", suffix="csv", child=True),
    net("a device (/dev/zero) where a file is expected", DEV_ZERO, None, "not a regular file", suffix="csv",
        child=True),
    # ------------------------------------------------ model file: syntax
    net("truncated YAML", M + "dependencies: [{dependent: a, provider: b\n", "line 4", "invalid YAML"),
    net("truncated JSON", J + '"dependencies": [{"dependent": "a"', "line 2", "invalid JSON", suffix="json"),
    net("JSON with a trailing comma", J + '"needs": [],\n}\n', "line 3", "invalid JSON", suffix="json"),
    net("YAML in a .json file", M, "line 1", "invalid JSON", suffix="json"),
    net("tabs as YAML indentation (a wrong delimiter)", "dependencia: 1\nactors:\n\t- {id: a}\n", "line 3",
        "invalid YAML"),
    net("a key twice in one YAML mapping", M + "dependencies: [{dependent: a, provider: b, provider: c}]\n",
        "line 3", "appears twice"),
    net("deeply nested YAML", "dependencia: 1\nactors: " + "[" * 50_000 + "]" * 50_000 + "\n", "line 2",
        "nesting", child=True),
    net("deeply nested JSON", '{"dependencia": 1, "actors": ' + "[" * 200_000 + "]" * 200_000 + "}", None,
        "nested too deeply", suffix="json", child=True),
    net("YAML alias bomb (billion laughs)", _alias_bomb(), "actors[7].x", "alias bomb", child=True),
    net("YAML alias cycle", M + "needs: &n [{dependent: a, x: *n}]\n", None, "cycle", command="validate"),
    net("YAML python tag (!!python/object/apply)", M + "needs: !!python/object/apply:os.system ['echo pwned']\n",
        "line 3", "unsafe", "!!python/object/apply:os.system"),
    net("YAML python tag (!!python/name)", "dependencia: 1\nactors: [{id: a, f: !!python/name:os.system }]\n",
        "line 2", "unsafe"),
    net("YAML date that does not exist", "dependencia: 1\nactors: [{id: a, founded: 2024-13-45}]\n", "line 2",
        "cannot read"),
    net("a 100 MB single line (YAML)", _huge_line(b"dependencia: 1\nactors: "), None, "too large", child=True),
    net("a 100 MB single line (JSON)", _huge_line(b'{"dependencia": 1, "actors": [{"id": "'), None, "too large",
        suffix="json"),
    net("a number of 5000 digits (YAML)", M + "dependencies: [{dependent: a, provider: b, strength: 1"
        + "0" * 5000 + "}]\n", "line 3", "4300 digits"),
    net("a number of 5000 digits (JSON)", J + '"dependencies": [{"dependent": "a", "provider": "b", "strength": 1'
        + "0" * 5000 + "}]}\n", "line 2", "4300 digits", suffix="json"),
    # ------------------------------------------------ model file: structure
    net("no schema version", "actors: [{id: a}]\n", None, "'dependencia: 1'", "missing"),
    net("unknown schema version", "dependencia: 2\nactors: [{id: a}]\n", "dependencia", "unknown schema version"),
    net("a document that is not a mapping", "- a\n- b\n", None, "must be a mapping"),
    net("unknown section", M + "actor: []\n", "actor", "unknown section"),
    net("a section that is not a list", "dependencia: 1\nactors: {id: a}\n", "actors", "list of records"),
    net("a record that is not a mapping", "dependencia: 1\nactors: [a, b]\n", "actors[0]", "mapping"),
    # ------------------------------------------------ model file: values and references
    net("huge number (400 digits) as a strength", M + "dependencies: [{dependent: a, provider: b, strength: 1"
        + "0" * 400 + "}]\n", "dependencies[0].strength", "finite"),
    net("huge number (400 digits) as a free attribute", "dependencia: 1\nactors: [{id: a, size: 1" + "0" * 400
        + "}]\n", "actors[0].size", "too large"),
    net("NaN strength (YAML .nan)", M + "dependencies: [{dependent: a, provider: b, strength: .nan}]\n",
        "dependencies[0].strength", "NaN"),
    net("NaN strength (JSON NaN)", J + '"dependencies": [{"dependent": "a", "provider": "b", "strength": NaN}]}',
        "dependencies[0].strength", "NaN", suffix="json"),
    net("infinite strength (JSON Infinity)", J + '"dependencies": [{"dependent": "a", "provider": "b", '
        '"strength": Infinity}]}', "dependencies[0].strength", "finite", suffix="json"),
    net("negative strength", M + "dependencies: [{dependent: a, provider: b, strength: -2}]\n",
        "dependencies[0].strength", "> 0"),
    net("zero strength", J + '"dependencies": [{"dependent": "a", "provider": "b", "strength": 0}]}',
        "dependencies[0].strength", "> 0", suffix="json"),
    net("negative unit cost", "dependencia: 1\nactors: [{id: a, unit_cost: -1}]\n", "actors[0].unit_cost", ">= 0"),
    net("monetized share above 1", M + "dimensions: [{id: default, monetized: 1.5}]\n", "dimensions[0].monetized",
        "<= 1"),
    net("a channel that does not exist", M + "dependencies: [{dependent: a, provider: b, channel: barter}]\n",
        "dependencies[0].channel", "market"),
    net("an empty id", "dependencia: 1\nactors: [{id: a}, {id: '  '}]\n", "actors[1].id", "empty"),
    net("an id that is a list", "dependencia: 1\nactors: [{id: [a, b]}]\n", "actors[0].id", "string"),
    net("duplicate actor ids", "dependencia: 1\nactors: [{id: a}, {id: b}, {id: a}]\n", "actors[2].id",
        "duplicate id 'a'"),
    net("an infrastructure with an actor's id", M + "infrastructures: [{id: b}]\n", "infrastructures[0].id",
        "already an actor"),
    net("unknown provider (an unknown reference)", M + "dependencies: [{dependent: a, provider: zz}]\n",
        "dependencies[0].provider", "unknown actor 'zz'"),
    net("unknown infrastructure on a route", M + "dependencies: [{dependent: a, provider: b, via: [cloud]}]\n",
        "dependencies[0].via", "unknown infrastructure 'cloud'"),
    net("undeclared dimension", M + "dimensions: [{id: compute}]\n"
        "dependencies: [{dependent: a, provider: b, dimension: care}]\n", "dependencies[0].dimension",
        "unknown dimension 'care'"),
    net("a need of an unknown actor", M + "needs: [{dependent: zz}]\n", "needs[0].dependent", "unknown actor"),
    net("authority over an unknown actor", M + "authority: [{holder: a, subject: zz}]\n", "authority[0].subject",
        "unknown actor"),
    net("a self-dependency", M + "dependencies: [{dependent: a, provider: a}]\n", "dependencies[0].provider",
        "self-dependency"),
    net("a route through one infrastructure twice", M + "infrastructures: [{id: x}]\n"
        "dependencies: [{dependent: a, provider: b, via: [x, x]}]\n", "dependencies[0].via", "twice"),
    net("an infrastructure owned by a missing actor", M + "infrastructures: [{id: x, owner: ghost}]\n",
        "infrastructures[0].owner", "unknown actor 'ghost'"),
    net("ownership shares in one actor summing above 1", M + "ownership: [{owner: a, owned: c, share: 0.6}, "
        "{owner: b, owned: c, share: 0.6}]\n", "ownership[1].share", "sum to 1.2"),
    net("an ownership share of zero", M + "ownership: [{owner: a, owned: b, share: 0}]\n", "ownership[0].share",
        "> 0"),
    net("mutual control", M + "ownership: [{owner: a, owned: b, share: 0.6}, {owner: b, owned: a, share: 0.6}]\n",
        "ownership[1].share", "control each other"),
    net("mutual control through a chain", M + "ownership: [{owner: a, owned: b, share: 1}, "
        "{owner: b, owned: c, share: 1}, {owner: c, owned: a, share: 0.9}]\n", "ownership[2].share",
        "control each other"),
    net("an actor owning itself", M + "ownership: [{owner: a, owned: a, share: 0.5}]\n", "ownership[0].owned",
        "itself"),
    # ------------------------------------------------ edge list
    net("truncated CSV (a quote never closed)", 'source,target\na,b\n"c,d\n', "line 3", "never closed",
        suffix="csv"),
    net("a decimal comma in a file separated by semicolons", "source;target;strength\na;b;2\nb;c;1,5\n",
        "line 3, column strength", "decimal comma", suffix="csv"),
    net("a decimal comma in a file separated by tabs", "source\ttarget\tdistance\na\tb\t0,5\n",
        "line 2, column distance", "decimal comma", suffix="csv", command="validate"),
    net("a misspelled column with --strict", "source,target,strenght\na,b,2\n", "line 1",
        "unknown column 'strenght'", "did you mean 'strength'", suffix="csv", extra=("--strict",)),
    net("a misspelled field with --strict (model file)", M + "dependencies: [{dependent: a, provider: b, "
        "dimenson: x}]\n", "dependencies[0]", "unknown field 'dimenson'", "'dimension'", extra=("--strict",)),
    net("no header row", "a,b\nb,c\n", "line 1", "header", suffix="csv"),
    net("header only", "source,target\n", "line 2", "no rows", suffix="csv"),
    net("more fields than the header", "source,target\na,b\nb,c,d\n", "line 3", "3 fields", suffix="csv"),
    net("a column named twice", "source,target,target\na,b,c\n", "line 1", "twice", suffix="csv"),
    net("a column without a name", "source,,target\na,x,b\n", "line 1", "no name", suffix="csv"),
    net("a reserved column (dependent)", "source,target,dependent\na,b,c\n", "column dependent", "reserved",
        suffix="csv"),
    net("a missing target", "source,target\na,b\nb,\n", "line 3, column target", "target is missing",
        suffix="csv"),
    net("an overflowing strength (1e400)", "source,target,strength\na,b,1\nb,c,1e400\n", "line 3, column strength",
        "finite", suffix="csv"),
    net("NaN strength (CSV)", "source,target,strength\na,b,nan\n", "line 2, column strength", "number",
        suffix="csv"),
    net("infinite strength (CSV)", "source,target,strength\na,b,-inf\n", "line 2, column strength", "finite",
        suffix="csv"),
    net("negative strength (CSV)", "source,target,strength\na,b,-1\n", "line 2, column strength", "> 0",
        suffix="csv"),
    net("a self-dependency (CSV)", "source,target\na,b\nc,c\n", "line 3, column target", "self-dependency",
        suffix="csv"),
    net("an empty id in a route", "source,target,via\na,b,x;;y\n", "line 2, column via", "empty",
        suffix="csv"),
    net("negative length", "source,target,distance\na,b,2\nb,c,-1\n", "line 3, column distance", "> 0",
        suffix="csv", extra=("--length", "distance")),
    net("zero length", "source,target,distance\na,b,0\n", "line 2, column distance", "> 0", suffix="csv",
        extra=("--length", "distance")),
    net("a length that is not a number", "source,target,distance\na,b,far\nb,c,1\n", "line 2, column distance",
        "number", suffix="csv", extra=("--length", "distance")),
    net("a 100 MB single line (CSV)", _huge_line(b"source,target\n"), "line 2", "MiB long", suffix="csv",
        child=True),
    # ------------------------------------------------ actors CSV (--actors)
    actors("duplicate ids in the actors file", "id,kind\na,firm\nb,firm\na,state\n", "line 4, column id",
           "duplicate id 'a'"),
    actors("an actors file without an id column", "name,kind\na,firm\n", "line 1", "'id'"),
    actors("a negative unit cost in the actors file", "id,unit_cost\na,-3\n", "line 2, column unit_cost", ">= 0"),
    actors("an actors file in Latin-1", b"id,label\na,Caf\xe9\n", "line 2", "UTF-8"),
    actors("an actors file that is a folder", DIR, None, "folder"),
    Case("a target the actors file does not list", {"edges.csv": "source,target\na,b\nb,nvidai\n",
                                                    "actors.csv": "id\na\nb\nnvidia\n"},
         ["power", "{edges.csv}", "--actors", "{actors.csv}"], "edges.csv", "line 3, column target",
         ("'nvidai' is not in actors.csv", "did you mean 'nvidia'")),
    Case("a misspelled actors column with --strict", {"edges.csv": "source,target\nb,a\n",
                                                      "actors.csv": "id,budjet\na,1\nb,2\n"},
         ["power", "{edges.csv}", "--actors", "{actors.csv}", "--strict"], "actors.csv", "line 1",
         ("unknown column 'budjet'", "did you mean 'budget'")),
    # ------------------------------------------------ infrastructures CSV (--infrastructures)
    infrastructures("a via id the infrastructures file does not list", "id,owner\ngrid,a\n", "line 2, column via",
                    "'gird' is not in infras.csv", "did you mean 'grid'", source="edges.csv",
                    edges="source,target,via\nb,a,gird\n"),
    infrastructures("an infrastructure owned by no actor", "id,owner\nx,a\ny,ghost\n", "line 3, column owner",
                    "owner 'ghost' is not an actor"),
    infrastructures("an infrastructure without an id", "id,owner\nx,a\n,b\n", "line 3, column id", "missing"),
    infrastructures("an infrastructure listed twice", "id,owner\nx,a\nx,b\n", "line 3, column id", "duplicate"),
    infrastructures("a transit other than open or closed", "id,owner,transit\nx,a,shut\n", "line 2, column transit",
                    "open or closed"),
    infrastructures("an infrastructures file without an owner column", "id,dimensions\nx,default\n", "line 1",
                    "'owner'"),
    Case("a header-only edge list with a header-only actors file",
         {"edges.csv": "source,target\n", "actors.csv": "id\n"},
         ["power", "{edges.csv}", "--actors", "{actors.csv}"], "edges.csv", "line 2", ("no rows", "no actors")),
    # ------------------------------------------------ CSV bundle
    bundle("a bundle without actors.csv", {"actors.csv": None}, "actors.csv", None, "no actors.csv"),
    bundle("a bundle file that is a folder", {"dependencies.csv": DIR}, "dependencies.csv", None, "folder"),
    bundle("a decimal comma in a bundle file separated by semicolons",
           {"ownership.csv": "owner;owned;share\na;b;0,5\n"}, "ownership.csv", "line 2, column share", "decimal comma"),
    bundle("a bad transit (bundle)", {"infrastructures.csv": "id,owner,transit\nx,a,maybe\n"}, "infrastructures.csv",
           "line 2, column transit", "open or closed"),
    bundle("a bundle file without a required column", {"ownership.csv": "owner,owned\na,b\n"}, "ownership.csv",
           "line 1", "'share'"),
    bundle("duplicate ids in actors.csv", {"actors.csv": "id\na\nb\na\n"}, "actors.csv", "line 4, column id",
           "duplicate"),
    bundle("an empty id in a route (bundle)", {"dependencies.csv": "dependent,provider,via\na,b,x;;y\n"},
           "dependencies.csv", "line 2, column via", "empty"),
    bundle("an infrastructure owned by a missing actor (bundle)", {"infrastructures.csv": "id,owner\nx,ghost\n"},
           "infrastructures.csv", "line 2, column owner", "unknown actor 'ghost'"),
    bundle("shares above 1 (bundle)", {"ownership.csv": "owner,owned,share\na,c,0.7\nb,c,0.7\n"},
           "ownership.csv", "line 3, column share", "more than 1"),
    bundle("a share that is text", {"ownership.csv": "owner,owned,share\na,b,half\n"}, "ownership.csv",
           "line 2, column share", "number"),
    bundle("mutual control (bundle)", {"ownership.csv": "owner,owned,share\na,b,1\nb,a,1\n"}, "ownership.csv",
           "line 3, column share", "control each other"),
    bundle("a header-only actors.csv", {"actors.csv": "id\n"}, "dependencies.csv", "line 2, column dependent",
           "unknown actor"),
    # ------------------------------------------------ GraphML
    net("not XML at all (GraphML)", "source,target\na,b\n", "line 1", "malformed XML", suffix="graphml"),
    net("truncated GraphML", GRAPHML + '<graph edgedefault="directed"><node id="a"/>\n', "line 4",
        "malformed XML", suffix="graphml"),
    net("XML entity expansion (billion laughs, GraphML)", _entity_bomb(
        "graphml", '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed">'
        '<node id="&l10;"/></graph></graphml>'), "line 15", "malformed XML", suffix="graphml", child=True),
    net("a 100 MB single line (GraphML, an attribute never closed)", _huge_line(
        GRAPHML.encode() + b'<graph edgedefault="directed"><node id="'), "line 3", "unclosed token",
        suffix="graphml", child=True),
    net("XML external entity (GraphML)", '<?xml version="1.0"?>\n<!DOCTYPE g [<!ENTITY e SYSTEM '
        '"file:///etc/passwd">]>\n' + GRAPHML.split("\n")[1] + '<graph edgedefault="directed"><node id="&e;"/>'
        "</graph></graphml>\n", "line 3", "external entity", suffix="graphml"),
    net("a wrong root element (GraphML)", '<?xml version="1.0"?>\n<graph><node id="a"/></graph>\n', None,
        "graphml", suffix="graphml"),
    net("an undeclared attribute key (GraphML)", GRAPHML + '<graph edgedefault="directed">\n<node id="a">'
        '<data key="d9">x</data></node></graph></graphml>\n', "line 4", "no key d9", suffix="graphml"),
    net("a typed attribute that is not of its type (GraphML)", GRAPHML + '<key id="d0" for="edge" '
        'attr.name="strength" attr.type="double"/>\n<graph edgedefault="directed"><node id="a"/><node id="b"/>\n'
        '<edge source="a" target="b"><data key="d0">strong</data></edge></graph></graphml>\n', "line 5",
        "'strong'", suffix="graphml"),
    net("negative strength (GraphML)", GRAPHML + '<key id="d0" for="edge" attr.name="strength" '
        'attr.type="double"/>\n<graph edgedefault="directed"><node id="a"/><node id="b"/><edge source="a" '
        'target="b"><data key="d0">-1</data></edge></graph></graphml>\n', "edge 'a' -> 'b', attribute strength",
        "> 0", suffix="graphml"),
    net("unknown schema version (GraphML)", GRAPHML + '<key id="g" for="graph" attr.name="dependencia" '
        'attr.type="long"/>\n<graph edgedefault="directed"><data key="g">7</data><node id="a"/></graph>'
        "</graphml>\n", "graph attribute dependencia", "unknown schema version", suffix="graphml"),
    net("graph attribute that is not JSON (GraphML)", GRAPHML + '<key id="g" for="graph" attr.name="dependencia" '
        'attr.type="long"/>\n<key id="n" for="graph" attr.name="needs" attr.type="string"/>\n'
        '<graph edgedefault="directed"><data key="g">1</data><data key="n">[{</data></graph>'
        "</graphml>\n", "graph attribute needs", "JSON", suffix="graphml"),
    # ------------------------------------------------ GEXF
    net("XML entity expansion (quadratic blowup, GEXF)", '<?xml version="1.0"?>\n<!DOCTYPE g [<!ENTITY a "'
        + "x" * 100_000 + '">]>\n' + GEXF.split("\n")[1] + '<graph defaultedgetype="directed"><nodes><node id="n" '
        'label="' + "&a;" * 20_000 + '"/></nodes></graph></gexf>\n', "line 3", "malformed XML", suffix="gexf",
        child=True),
    net("a weight that is not a number (GEXF)", GEXF + '<graph defaultedgetype="directed"><nodes><node id="a"/>'
        '<node id="b"/></nodes>\n<edges><edge source="a" target="b" weight="heavy"/></edges></graph></gexf>\n',
        "line 4", "'heavy'", suffix="gexf"),
    net("no graph element (GEXF)", GEXF + "<nodes/></gexf>\n", None, "graph", suffix="gexf"),
    net("a self-loop (GEXF)", GEXF + '<graph defaultedgetype="directed"><nodes><node id="a"/></nodes><edges>'
        '<edge source="a" target="a"/></edges></graph></gexf>\n', "edge 'a' -> 'a', attribute provider",
        "self-dependency", suffix="gexf"),
    net("an unknown XML encoding (GEXF)", "<?xml version='1.0' encoding='klingon'?>\n<gexf/>\n", "line 1",
        "klingon", suffix="gexf"),
    # ------------------------------------------------ scenario files (simulate FILE)
    scenario("an unknown simulation parameter", SC + "simulation: {stepz: 3}\n", "simulation.stepz",
             "unknown parameter"),
    scenario("a simulation section that is not a mapping", SC + "simulation: [1, 2]\n", "simulation",
             "must be a mapping"),
    scenario("a NaN parameter", SC + "simulation: {initial_budget: .nan}\n", "simulation.initial_budget", "finite"),
    scenario("a huge number parameter", SC + "simulation: {initial_budget: 1" + "0" * 400 + "}\n",
             "simulation.initial_budget", "finite"),
    scenario("a huge step count", SC + "simulation: {steps: 1" + "0" * 30 + "}\n", "simulation.steps", "64 bits"),
    scenario("a negative seed", SC + "simulation: {seed: -1}\n", "simulation.seed", ">= 0"),
    scenario("an investor that is not in the network", SC + "simulation: {investors: [{strategy: greedy, "
             "actor: zz}]}\n", "simulation.investors[0].actor", "no actor 'zz'"),
    scenario("an unknown strategy", SC + "simulation: {investors: [{strategy: luck, actor: a}]}\n",
             "simulation.investors[0].strategy", "unknown strategy"),
    scenario("a measured dimension the network lacks", SC + "simulation: {measure: {dimensions: [water]}}\n",
             "simulation.measure.dimensions", "unknown dimension 'water'"),
    scenario("a python tag in a scenario", SC + "simulation: !!python/object/new:os.system [ls]\n", "line 4",
             "unsafe"),
    scenario("a broken network in a scenario", SC.replace("provider: b", "provider: q"),
             "dependencies[0].provider", "unknown actor 'q'"),
    scenario("an empty scenario file", "", None, "empty"),
    # ------------------------------------------------ sweep specs (sweep SPEC)
    spec("a spec without steps", "scenario: platform\nseeds: [1]\n", "steps", "missing"),
    spec("an unknown spec key", SPEC + "seed: 3\n", "seed", "unknown key"),
    spec("invalid YAML in a spec", SPEC + "vary: {a: [1, 2}\n", "line 4", "invalid YAML"),
    spec("a python tag in a spec", SPEC + "fixed: !!python/object/apply:os.system [ls]\n", "line 4", "unsafe"),
    spec("a spec in Latin-1", SPEC.encode() + b"fixed: {x: caf\xe9}\n", "line 4", "UTF-8"),
    spec("an astronomical seed count", "scenario: platform\nsteps: 1\nseeds: {count: 1" + "0" * 20 + "}\n",
         "seeds.count", "100,000"),
    spec("a seed beyond 64 bits", "scenario: platform\nsteps: 1\nseeds: [18446744073709551616]\n", "seeds",
         "2**63"),
    spec("an astronomical grid", SPEC + "vary: {" + ", ".join(
        f"{k}: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]" for k in ("infrastructure.build_cost", "infrastructure.upkeep",
                                                          "infrastructure.extend_cost", "candidates",
                                                          "initial_budget", "public_revenue")) + "}\n",
         "vary", "1,000,000 points"),
    spec("an astronomical Latin hypercube", SPEC + "design: {lhs: 1000000000000}\n"
         "vary: {infrastructure.build_cost: [1, 2]}\n", "design.lhs", "100,000"),
    spec("NaN in a grid", SPEC + "vary: {infrastructure.build_cost: [.nan, 1.0]}\n",
         "vary.infrastructure.build_cost", "finite"),
    spec("an infinite range", SPEC + "design: {lhs: 4}\nvary: {infrastructure.build_cost: [5, .inf]}\n",
         "vary.infrastructure.build_cost", "finite"),
    spec("a scenario file that does not exist", "scenario: nowhere.yaml\nsteps: 1\nseeds: [1]\n", "scenario",
         "no file"),
    spec("a YAML alias bomb in a spec", SPEC + "fixed:\n  a0: &o0 [1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
        f"  a{i}: &o{i} [{', '.join([f'*o{i - 1}'] * 9)}]\n" for i in range(1, 9)), "fixed.a7", "alias bomb"),
    spec("deeply nested YAML in a spec", SPEC + "fixed: " + "[" * 5000 + "]" * 5000 + "\n", "line 4", "nesting"),
    spec("a spec that is a folder", DIR, None, "folder"),
    spec("a spec over 1 MiB", SPEC + "# " + "x" * (2 << 20) + "\n", None, "too large"),
]


# ---------------------------------------------------------------- running a case


def _make(folder: Path, files: dict[str, Content]) -> dict[str, str]:
    paths = {}
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        paths[name] = str(path)
        if name.startswith("net/"):
            paths["net"] = str(folder / "net")
        if content is None:
            continue
        if content is DIR:
            path.mkdir()
        elif content is FIFO:
            os.mkfifo(path)
        elif content is DEV_ZERO:
            path.symlink_to("/dev/zero")
        elif callable(content):
            content(path)
        else:
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return paths


def _argv(case: Case, folder: Path, paths: dict[str, str]) -> list[str]:
    argv = []
    for part in case.command:
        for name, path in paths.items():
            part = part.replace("{" + name + "}", path)
        argv.append(part)
    if case.output:
        if argv[0] in ("power", "convert"):
            argv += ["--format", "json", "-o", str(folder / "out" / "result.json")]
        elif argv[0] == "simulate":
            argv += ["--out", str(folder / "out" / "run"), "--steps", "1", "--quiet"]
        elif argv[0] == "sweep":
            argv += ["--out", str(folder / "out" / "sweep"), "--quiet", "--workers", "1"]
    return argv


def _dependencia_command() -> list[str]:
    script = Path(sys.executable).with_name("dependencia")
    return [str(script)] if script.exists() else [sys.executable, "-m", "dependencia"]


LIMIT_SECONDS = 30
LIMIT_BYTES = 2 << 30  # the address space of the child: an attempt to use more fails there


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))


def run_child(argv: list[str], folder: Path) -> tuple[int, str, float, int]:
    """Run the dependencia command: (exit code, stderr, seconds, peak resident bytes of that child)."""
    out_path, err_path = folder / "child.stdout", folder / "child.stderr"
    start = time.monotonic()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        child = subprocess.Popen([*_dependencia_command(), *argv], stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                 preexec_fn=_limit_memory, cwd=folder)
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - start > LIMIT_SECONDS:
            child.kill()
            os.wait4(child.pid, 0)
            pytest.fail(f"not rejected within {LIMIT_SECONDS} s: {argv}")
        time.sleep(0.02)
    child.returncode = os.waitstatus_to_exitcode(status)  # Popen would otherwise wait for it again
    seconds = time.monotonic() - start
    return child.returncode, err_path.read_text(errors="replace"), seconds, usage.ru_maxrss * 1024


SENTINEL = b'{"an earlier result": "left alone"}\n'


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_exits_2_with_one_clear_message(case, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    paths = _make(tmp_path, case.files)
    out_folder = tmp_path / "out"
    out_folder.mkdir()
    existing = CASES.index(case) % 2 == 0 and case.command[0] == "power"  # half the -o cases have a file there
    if existing:
        (out_folder / "result.json").write_bytes(SENTINEL)
    argv = _argv(case, tmp_path, paths)

    if case.child:
        code, err, seconds, peak = run_child(argv, tmp_path)
        assert seconds < LIMIT_SECONDS
        assert peak < 1.5 * 2**30, f"peak memory {peak / 2**20:.0f} MiB"
    else:
        code = main(argv)
        err = capsys.readouterr().err

    source = str(tmp_path / case.source)
    assert "Traceback" not in err, err
    assert code == 2, err
    assert err.endswith("\n") and err.count("\n") == 1, f"not one line: {err!r}"
    line = err.rstrip("\n")
    place = f"{source}, {case.where}: " if case.where else f"{source}: "
    assert line.startswith(f"error: {place}"), f"expected 'error: {place}...', got {line!r}"
    assert len(line) < 1100
    message = line[len(f"error: {place}"):].lower()
    for word in case.words:
        assert word.lower() in message, (word, line)
    left = sorted(p.name for p in out_folder.iterdir())
    if existing:
        assert left == ["result.json"] and (out_folder / "result.json").read_bytes() == SENTINEL
    else:
        assert left == [], f"output left behind: {left}"


def test_the_catalogue_is_large_and_distinct():
    names = [case.name for case in CASES]
    assert len(set(names)) == len(names)
    assert len(CASES) >= 35
    assert {case.command[0] for case in CASES} == {"power", "validate", "simulate", "sweep"}
    assert sum(case.child for case in CASES) >= 8


# ---------------------------------------------------------------- valid but unusual input: accepted

BOM = b"\xef\xbb\xbf"


def crlf(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode("utf-8")


UNUSUAL = [
    ("an edge list separated by semicolons, with a quoted route",
     {"e.csv": 'source;target;strength;via\na;b;2;"x;y"\nb;c;1.5;\n'}, ["power", "{e.csv}"]),
    ("an edge list separated by tabs", {"e.csv": "source\ttarget\tstrength\na\tb\t2\n"}, ["power", "{e.csv}"]),
    ("a CSV bundle with a file separated by semicolons",
     {"net/actors.csv": "id;kind\na;firm\nb;state\n", "net/dependencies.csv": "dependent,provider\na,b\n"},
     ["power", "{net}"]),
    ("an edge list with actors and infrastructures files, an ownerless and an open infrastructure",
     {"e.csv": "source,target,via\nb,a,x\nb,a,y;x\n", "a.csv": "id\na\nb\n",
      "i.csv": "id,owner,dimensions,transit,build_cost,upkeep\nx,a,default,open,3,0.5\ny,,,,,\n"},
     ["power", "{e.csv}", "--actors", "{a.csv}", "--infrastructures", "{i.csv}", "--strict"]),
    ("edge list: BOM, CRLF, quoted fields, trailing white space, blank lines",
     {"e.csv": BOM + crlf('source,target ,strength, via\n"a, Inc.",b,2 ,\n\nb,"c ""the"" d",1,x;y\n  \n')},
     ["power", "{e.csv}"]),
    ("edge list with a BOM and an actors file with CRLF and quoted cells",
     {"e.csv": BOM + b"source,target\nz,a\n", "a.csv": crlf('id,kind,label\na,firm,"A, ""the"" firm"\nz,person,\n')},
     ["power", "{e.csv}", "--actors", "{a.csv}"]),
    ("YAML model file: BOM, CRLF, trailing white space, anchors and merge keys",
     {"n.yaml": BOM + crlf("dependencia: 1   \nactors:\n  - &f {id: a, kind: firm}\n  - {<<: *f, id: b}  \n"
                           "dependencies: [{dependent: a, provider: b, via: &r [x]}, "
                           "{dependent: b, provider: a, via: *r}]\ninfrastructures: [{id: x}]\n")},
     ["power", "{n.yaml}"]),
    ("JSON model file: BOM and CRLF",
     {"n.json": BOM + crlf('{"dependencia": 1,\n "actors": [{"id": "a"}, {"id": "b"}],\n'
                           ' "dependencies": [{"dependent": "a", "provider": "b"}]}\n')},
     ["power", "{n.json}"]),
    ("CSV bundle: BOM and CRLF in every file",
     {"net/actors.csv": BOM + crlf("id,kind\na,firm\nb,state\n"),
      "net/dependencies.csv": BOM + crlf("dependent,provider,via\na,b,x\n"),
      "net/infrastructures.csv": BOM + crlf('id,owner,dimensions\nx,b,"default"\n')},
     ["power", "{net}"]),
    ("GraphML: BOM and CRLF",
     {"n.graphml": BOM + crlf(GRAPHML + '<graph edgedefault="directed"><node id="a"/><node id="b"/>\n'
                                        '<edge source="a" target="b"/></graph></graphml>\n')},
     ["power", "{n.graphml}"]),
    ("GEXF: CRLF",
     {"n.gexf": crlf(GEXF + '<graph defaultedgetype="directed"><nodes><node id="a"/><node id="b"/></nodes>\n'
                            '<edges><edge source="a" target="b"/></edges></graph></gexf>\n')},
     ["power", "{n.gexf}"]),
    ("scenario file: BOM and CRLF",
     {"s.yaml": BOM + crlf(SC + "simulation: {steps: 1, seed: 3}\n")}, ["simulate", "{s.yaml}"]),
    ("sweep spec: BOM and CRLF",
     {"spec.yaml": BOM + crlf(SPEC + "outcomes: [hhi]\n")}, ["sweep", "{spec.yaml}"]),
]


@pytest.mark.parametrize("files, command", [u[1:] for u in UNUSUAL], ids=[u[0] for u in UNUSUAL])
def test_valid_but_unusual_input_is_accepted(files, command, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    paths = _make(tmp_path, files)
    (tmp_path / "out").mkdir()
    case = Case("unusual", files, command, "", None)
    code = main(_argv(case, tmp_path, paths))
    err = capsys.readouterr().err
    assert code == 0, err
    assert "error" not in err.lower()
    written = list((tmp_path / "out").iterdir())
    assert len(written) == 1, written  # the -o file, run folder or sweep folder


def test_a_model_file_too_large_to_read_back_is_not_written(tmp_path, monkeypatch):
    """The size limits of the model file reader hold for its writer too: nothing is written that cannot be read."""
    import dependencia.io.modelfile as modelfile
    from dependencia.errors import UsageError
    from dependencia.io import read, write

    edges = tmp_path / "e.csv"
    edges.write_text("source,target\n" + "".join(f"a{i},b{i}\n" for i in range(200)))
    network = read(edges)
    monkeypatch.setattr(modelfile, "MAX_YAML_BYTES", 4096)
    with pytest.raises(UsageError, match="too large for a YAML model file"):
        write(network, tmp_path / "n.yaml")
    assert not (tmp_path / "n.yaml").exists()
    write(network, tmp_path / "n.json")  # JSON has room
    assert read(tmp_path / "n.json").equals(network)
