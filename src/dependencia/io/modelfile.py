"""The model file: a whole Network in one YAML or JSON document (docs/formats.md#model-file-yaml-or-json).

The document is a mapping with the schema version ``dependencia: 1`` and one
list of records per table, in this order: ``dimensions``, ``actors``,
``infrastructures``, ``dependencies``, ``needs``, ``ownership``,
``authority``. Every section is optional. An optional ``control:`` mapping
(``{model: linear, threshold: 0.5}``, or just ``control: linear``) names the
model of control (docs/model.md#control); without it, the majority rule.
The format is lossless:
``read_model_file(p)`` after ``write_model_file(net, p)`` equals ``net``.

Errors name the file and the record, e.g. ``net.yaml, dependencies[3].provider:
unknown actor 'x'``; syntax errors name the line. A field whose name looks
like a misspelled known one (``strenght``) is kept as a free attribute and
reported as a warning (an error with ``strict=True``).

Examples
--------
>>> import pathlib, tempfile
>>> from dependencia.network.model import Network
>>> net = Network.from_records([{"id": "a"}, {"id": "b"}],
...                            [{"dependent": "a", "provider": "b", "strength": 2}])
>>> path = pathlib.Path(tempfile.mkdtemp()) / "net.yaml"
>>> write_model_file(net, path)
[]
>>> print(path.read_text(), end="")
dependencia: 1
dimensions:
- {id: default, monetized: 1.0}
actors:
- {id: a, kind: actor}
- {id: b, kind: actor}
dependencies:
- {dependent: a, provider: b, dimension: default, strength: 2.0, channel: market}
>>> read_model_file(path).equals(net)
True
"""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError, UsageError, shown
from ..network.model import Network
from ..network.schema import record_locator
from ._columns import KNOWN_COLUMNS, Notes, did_you_mean, suggestion
from ._files import read_text, write_text_atomic
from ._records import SECTIONS, free_columns, table_records, with_column_order
from .safe_parse import MAX_YAML_VALUES, parse_json, parse_yaml

__all__ = ["MAX_JSON_BYTES", "MAX_YAML_BYTES", "MAX_YAML_VALUES", "SCHEMA_VERSION", "parse_yaml", "read_model_file",
           "write_model_file"]

#: The version of the model file format this code reads and writes.
SCHEMA_VERSION = 1
_JSON_SUFFIXES = (".json",)
#: The largest YAML model file read: PyYAML needs up to ~150 bytes of memory and ~1 s per 400 KB of YAML,
#: so 4 MiB (some 50,000 records) stays well under 1 GB and 30 s, however the file is built.
MAX_YAML_BYTES = 4 << 20
#: The largest JSON model file read (the json module needs up to ~25 bytes of memory per byte of JSON).
MAX_JSON_BYTES = 32 << 20


def read_model_file(path: str | os.PathLike[str], *, strict: bool = False) -> Network:
    """Read a model file (``.yaml``, ``.yml`` or ``.json``).

    Parameters
    ----------
    path : path-like
    strict : bool, default False
        Refuse (raise) a field whose name looks like a misspelled known one,
        otherwise a warning.

    Returns
    -------
    Network

    Raises
    ------
    InputError
        A file that cannot be read or parsed (with the line), a file larger
        than :data:`MAX_YAML_BYTES` (YAML) or :data:`MAX_JSON_BYTES` (JSON),
        a missing or unknown schema version, an unknown section, a YAML tag
        that would construct Python objects, a key twice in one mapping, an
        alias bomb, or a record that breaks the model's rules (with its
        record path, e.g. ``dependencies[3].provider``).

    Warns
    -----
    InputWarning
        A field whose name looks like a misspelled known one (kept as a free
        attribute), naming the first record that has it.
    """
    notes = Notes(strict=strict)
    network = model_file_network(path, notes=notes)
    notes.emit(stacklevel=2)
    return network


def model_file_network(path: str | os.PathLike[str], *, notes: Notes) -> Network:
    """:func:`read_model_file`, collecting its warnings in ``notes`` (for :func:`dependencia.io.read`)."""
    source = str(path)
    document = load_document(path)
    if isinstance(document, dict):
        for table in SECTIONS:
            records = document.get(table)
            if isinstance(records, list):
                _unknown_fields(records, table, source, notes)
    return network_from_document(document, source)


def _unknown_fields(records: list[Any], table: str, source: str, notes: Notes) -> None:
    """Report fields that look like misspelled known ones, at the first record that has each."""
    known = KNOWN_COLUMNS[table]
    plain = set(known)
    first: dict[str, int] = {}
    for row, record in enumerate(records):
        if isinstance(record, dict):
            for key in record:
                if key not in plain and key not in first and isinstance(key, str):
                    first[key] = row
    for key, row in first.items():
        close = suggestion(key, known)
        if close is not None:
            notes.add(f"unknown field {shown(key)}{did_you_mean(close)}", source=source, where=f"{table}[{row}]",
                      lenient="kept as a free attribute")


def load_document(path: str | os.PathLike[str]) -> Any:
    """Parse a model file's YAML or JSON (safe loading only) into plain data; errors name the line."""
    source = str(path)
    as_json = Path(path).suffix.lower() in _JSON_SUFFIXES
    advice = "save a network this large as a CSV bundle (a folder)" + (
        "" if as_json else f" or, up to {MAX_JSON_BYTES >> 20} MiB, as JSON (.json)")
    text = read_text(path, max_bytes=MAX_JSON_BYTES if as_json else MAX_YAML_BYTES, advice=advice)
    return parse_json(text, source) if as_json else parse_yaml(text, source)


#: Sections a model file may carry for other readers; the network ignores them (a scenario's ``simulation:``).
IGNORED_SECTIONS = ("simulation",)


def network_from_document(document: Any, source: str, *, extra_sections: tuple[str, ...] = IGNORED_SECTIONS) -> Network:
    """Build the Network of a parsed model file; ``extra_sections`` are tolerated (and ignored)."""
    if isinstance(document, dict) and extra_sections:
        document = {k: v for k, v in document.items() if k not in extra_sections}
    sections = _sections(document, source)

    def locate(table: str, row: int | None, field: str | None) -> tuple[str | None, str | None]:
        return source, record_locator(table, row, field)[1]

    model, threshold = _control(document.get("control"), source) if isinstance(document, dict) else ("majority", None)
    return Network.from_records(
        sections.get("actors", []),
        sections.get("dependencies", []),
        dimensions=sections.get("dimensions"),
        needs=sections.get("needs", []),
        infrastructures=sections.get("infrastructures", []),
        ownership=sections.get("ownership", []),
        authority=sections.get("authority", []),
        control=model,
        control_threshold=threshold,
        locate=locate,
    )


#: The fields of a model file's ``control:`` mapping.
CONTROL_FIELDS = ("model", "threshold")


def _control(value: Any, source: str) -> tuple[Any, Any]:
    """The model and threshold of a ``control:`` entry (checked by the Network, which names the field)."""
    if value is None:
        return "majority", None
    if isinstance(value, str):
        return value, None
    if not isinstance(value, dict):
        raise InputError(
            f"'control' must be a model name or a mapping {{model: ..., threshold: ...}}, got {type(value).__name__}",
            source=source, where="control",
        )
    unknown = [key for key in value if key not in CONTROL_FIELDS]
    if unknown:
        raise InputError(f"unknown field {shown(unknown[0])}; allowed: {', '.join(CONTROL_FIELDS)}",
                         source=source, where=f"control.{unknown[0]}")
    if "model" not in value:
        raise InputError("the control model is missing (majority, linear or threshold)", source=source,
                         where="control.model")
    return value["model"], value.get("threshold")


def _sections(document: Any, source: str) -> dict[str, Any]:
    expected = f"dependencia: {SCHEMA_VERSION}"
    if not isinstance(document, dict):
        raise InputError(
            f"a model file must be a mapping that starts with '{expected}', "
            f"got {type(document).__name__}",
            source=source,
        )
    if "dependencia" not in document:
        raise InputError(
            f"'{expected}' (the schema version) is missing; a model file must start with it", source=source
        )
    version = document["dependencia"]
    if isinstance(version, bool) or version != SCHEMA_VERSION:
        raise InputError(
            f"unknown schema version {shown(version)} "
            f"(this version of dependencia reads version {SCHEMA_VERSION})",
            source=source, where="dependencia",
        )
    allowed = ("dependencia", *SECTIONS, "control")
    sections: dict[str, Any] = {}
    for key, value in document.items():
        if key not in allowed:
            raise InputError(
                f"unknown section {shown(key)}; allowed: {', '.join(allowed)}", source=source, where=str(key)
            )
        if key in ("dependencia", "control"):
            continue
        if value is None:  # `needs:` with nothing after it: as if absent
            continue
        if not isinstance(value, list):
            raise InputError(
                f"{shown(key)} must be a list of records, got {type(value).__name__}", source=source, where=key
            )
        sections[key] = value
    return sections


def write_model_file(network: Network, path: str | os.PathLike[str]) -> list[str]:
    """Write ``network`` as a model file; the suffix (``.json`` or else YAML) picks the syntax.

    Returns
    -------
    list of str
        What the file cannot hold: values of free attributes that JSON or YAML
        cannot represent, written as their text. Empty in the usual case.

    Raises
    ------
    UsageError
        A network too large for the reader (over :data:`MAX_YAML_BYTES` of
        YAML or :data:`MAX_JSON_BYTES` of JSON): nothing is written.

    Notes
    -----
    ``dependencia: 1`` comes first, then ``control`` when the network's model
    of control is not the majority rule, then the non-empty sections in the
    order of the format. Missing values are left out; dimensions are always written
    with ``monetized``. A record is one line (YAML flow style, one JSON object
    per line). The file is written atomically.
    """
    as_json = Path(path).suffix.lower() in _JSON_SUFFIXES
    dropped: list[str] = []
    document: dict[str, Any] = {"dependencia": SCHEMA_VERSION}
    if network.control.model != "majority":
        document["control"] = {"model": network.control.model, "threshold": network.control.threshold}
    for table in SECTIONS:
        records = table_records(network, table)
        if not records:
            continue
        records = with_column_order(records, free_columns(network, table))
        document[table] = [_checked(record, table, as_json, dropped) for record in records]
    text = _dump_json(document) if as_json else _dump_yaml(document)
    limit = MAX_JSON_BYTES if as_json else MAX_YAML_BYTES
    size = len(text.encode("utf-8"))
    if size > limit:  # a file the reader would refuse: say so now, write nothing
        raise UsageError(
            f"cannot write {path}: the network is too large for a {'JSON' if as_json else 'YAML'} model file "
            f"({size / 2**20:.1f} MiB, at most {limit >> 20} MiB); write a CSV bundle (a folder)"
            + ("" if as_json else " or JSON (.json)")
        )
    write_text_atomic(path, text)
    return sorted(set(dropped))


_YAML_TYPES = (str, int, float, bool, type(None), datetime.date)
_JSON_TYPES = (str, int, float, bool, type(None))


def _checked(record: dict[str, Any], table: str, as_json: bool, dropped: list[str]) -> dict[str, Any]:
    allowed = _JSON_TYPES if as_json else _YAML_TYPES

    def convert(name: str, value: Any) -> Any:
        if isinstance(value, list):
            return [convert(name, v) for v in value]
        if isinstance(value, dict):
            return {k: convert(name, v) for k, v in value.items()}
        if isinstance(value, allowed):
            return value
        dropped.append(f"value types of {table} attribute {name} (written as text)")
        return str(value)

    return {name: convert(name, value) for name, value in record.items()}


class _Record(dict):
    """A record: written on one line, in YAML flow style."""


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, writing each record in flow style."""


_Dumper.add_representer(
    _Record, lambda dumper, data: dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True)
)


def _dump_yaml(document: dict[str, Any]) -> str:
    flow = {key: [_Record(r) for r in value] if isinstance(value, list) else _Record(value) if isinstance(value, dict)
            else value for key, value in document.items()}
    return yaml.dump(
        flow, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=2**31 - 1
    )


def _dump_json(document: dict[str, Any]) -> str:
    parts = [f'{{\n  "dependencia": {json.dumps(document["dependencia"])}']
    if "control" in document:
        parts.append(f'  "control": {json.dumps(document["control"])}')
    for table in SECTIONS:
        if table in document:
            rows = ",\n".join(f"    {json.dumps(r, ensure_ascii=False)}" for r in document[table])
            parts.append(f'  "{table}": [\n{rows}\n  ]')
    return ",\n".join(parts) + "\n}\n"
