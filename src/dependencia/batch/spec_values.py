"""Sweep and experiment specs: reading the file, and their values (scenarios, seeds, ``--set`` parameters).

Shared by :mod:`.sweep` and :mod:`.experiment_spec`: :func:`read_spec_document`
reads a spec (a YAML file or a mapping) and checks its keys, then each value
has its check here. Every check raises what ``fail(key, message)`` gives (an
:class:`~dependencia.errors.InputError` naming the spec file and the key).

Examples
--------
>>> assignment("policies.debt_brake.enabled", False), yaml_text(1e-05)
('policies.debt_brake.enabled=false', '1.0e-05')
>>> spec = read_spec_document({"steps": 0}, kind="sweep spec", keys=("steps",), required=("steps",))
>>> steps_of(spec.document["steps"], spec.fail)
Traceback (most recent call last):
...
dependencia.errors.InputError: sweep spec, steps: must be an integer >= 1, got 0
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

from ..errors import DependenciaError, InputError, shown
from ..io._files import read_text
from ..io.safe_parse import parse_yaml
from ..network.model import Network
from ..simulation.config import SimulationConfig
from ..simulation.config_parse import INVESTORS, parse_override
from ..simulation.scenario import load_scenario, scenario_names

__all__ = ["MAX_RUNS", "MAX_SPEC_BYTES", "SEED_LIMIT", "Fail", "SpecDocument", "assignment", "check_scalar",
           "check_setting", "current_value", "is_int", "parameters_of", "read_spec_document", "scenario_config",
           "scenario_network_and_config", "scenario_of", "seeds_of", "steps_of", "yaml_text"]

#: The largest spec file read, and the most runs (points times seeds) one sweep or experiment may have.
MAX_SPEC_BYTES = 1 << 20
MAX_RUNS = 100_000

SEED_LIMIT = 2**63  # seeds are an int64 column of runs.parquet

#: How a check names a spec's key in its error: ``fail(key, message)`` gives the InputError to raise.
Fail = Callable[[str, str], InputError]


@dataclass(frozen=True)
class SpecDocument:
    """A spec's parsed document, with its ``source`` (the file, or ``kind`` for a mapping), the folder its
    relative paths start from (``base``) and the ``fail`` that names both in an error."""

    document: dict[str, Any]
    source: str
    base: Path
    fail: Fail


def read_spec_document(spec: str | Path | Mapping[str, Any], *, kind: str, keys: tuple[str, ...],
                       required: tuple[str, ...]) -> SpecDocument:
    """Read a spec of ``kind`` (``"sweep spec"``): a YAML file or a mapping, with only ``keys`` and all of
    ``required``.

    The file is read as a model file is (UTF-8 text of at most :data:`MAX_SPEC_BYTES`, safe YAML, errors
    with the line, alias bombs refused); a missing file, a document that is not a mapping, an unknown key
    and a missing one are InputErrors naming the spec (and the key).
    """
    article = "an" if kind[:1] in "aeiou" else "a"
    if isinstance(spec, Mapping):
        source, base, document = kind, Path("."), dict(spec)
    else:
        source, base = str(spec), Path(spec).parent
        if not Path(spec).exists():
            raise InputError(f"no such {kind} file", source=source)
        document = parse_yaml(read_text(spec, max_bytes=MAX_SPEC_BYTES), source)
    if not isinstance(document, dict):
        raise InputError(f"{article} {kind} is a mapping with keys " + ", ".join(keys), source=source)

    def fail(key: str, message: str) -> InputError:
        return InputError(message, source=source, where=key)

    unknown = sorted(set(map(str, document)) - set(keys))
    if unknown:
        raise fail(unknown[0], f"unknown key; {article} {kind} has {', '.join(keys)}")
    for key in required:
        if key not in document:
            raise fail(key, "missing (required)")
    return SpecDocument(document, source, base, fail)


def steps_of(value: Any, fail: Fail) -> int:
    """The number of steps of every run: an integer >= 1."""
    if not is_int(value) or value < 1:
        raise fail("steps", f"must be an integer >= 1, got {shown(value)}")
    return int(value)


def scenario_config(scenario: str, fail: Fail) -> SimulationConfig:
    """The simulation settings of ``scenario`` (a file or a shipped name), its errors under the key ``scenario``."""
    return scenario_network_and_config(scenario, fail)[1]


def scenario_network_and_config(scenario: str, fail: Fail) -> tuple[Network, SimulationConfig]:
    """The network and simulation settings of ``scenario``, its errors under the key ``scenario``."""
    try:
        return load_scenario(scenario)
    except DependenciaError as problem:
        raise fail("scenario", str(problem)) from None


def is_int(value: Any) -> TypeGuard[int]:
    """An integer, not a boolean (YAML's true is not a count)."""
    return isinstance(value, int) and not isinstance(value, bool)


def scenario_of(value: Any, base: Path, fail) -> str:
    """A scenario file (relative to the spec's folder ``base``) or a shipped scenario's name."""
    if not isinstance(value, str) or not value.strip():
        raise fail("scenario", "must be a shipped scenario name or a scenario file")
    path = Path(value) if Path(value).is_absolute() else base / value
    try:
        exists = path.exists()
    except OSError as problem:  # e.g. a name too long for the file system
        raise fail("scenario", f"not a usable file name ({problem.strerror})") from None
    if exists:
        return str(path)
    if value in scenario_names():
        return value
    raise fail("scenario", f"no file {path} and no shipped scenario {shown(value)} ({', '.join(scenario_names())})")


def seeds_of(value: Any, fail) -> tuple[int, ...]:
    """Seeds as a list of distinct integers or ``{count, start}``, each below 2**63."""
    if isinstance(value, dict):
        extra = sorted(set(map(str, value)) - {"count", "start"})
        if extra:
            raise fail(f"seeds.{extra[0]}", "unknown key; seeds as a mapping has count and start")
        count, start = value.get("count"), value.get("start", 1)
        if not is_int(count) or count < 1:
            raise fail("seeds.count", f"must be an integer >= 1, got {shown(count)}")
        if count > MAX_RUNS:
            raise fail("seeds.count", f"must be at most {MAX_RUNS:,} (the most runs of one sweep), got {shown(count)}")
        if not is_int(start) or not 0 <= start < SEED_LIMIT - count:
            raise fail("seeds.start", f"must be an integer >= 0 (with every seed below 2**63), got {shown(start)}")
        return tuple(range(start, start + count))
    if not isinstance(value, list) or not value:
        raise fail("seeds", "must be a non-empty list of integers or {count: N, start: S}")
    for seed in value:
        if not is_int(seed) or not 0 <= seed < SEED_LIMIT:
            raise fail("seeds", f"must be integers >= 0 and below 2**63, got {shown(seed)}")
    if len(set(value)) != len(value):
        raise fail("seeds", "lists a seed twice")
    return tuple(value)


def parameters_of(value: Any, section: str, known: dict, fail) -> dict[str, Any]:
    """A mapping of ``--set`` names (checked against ``known``, the config as nested dicts) to values."""
    if not isinstance(value, dict):
        raise fail(section, "must be a mapping of dotted parameter names (as for --set) to values")
    for key in value:
        where = f"{section}.{key}"
        if key in ("seed", "steps"):
            raise fail(where, "is set by the sweep itself (seeds:, steps:)")
        head, _, actor = str(key).partition(".")
        if head == INVESTORS and actor:  # investors.ACTOR: one actor's strategy (the actor is checked on the network)
            continue
        node: Any = known
        for part in str(key).split("."):
            if not isinstance(node, dict) or part not in node:
                raise fail(where, "no such parameter (see 'dependencia simulate --help' for --set names)")
            node = node[part]
    return {str(k): v for k, v in value.items()}


def check_scalar(value: Any, where: str, fail) -> None:
    """Refuse a value ``--set`` cannot take: a list, a mapping, NaN or an infinity."""
    if isinstance(value, float) and not math.isfinite(value):
        raise fail(where, f"must be finite, got {shown(value)}")
    if value is not None and not isinstance(value, (bool, int, float, str)):
        raise fail(where, f"must be a single value (true/false, a number or a text), got {shown(value)}")


def check_setting(value: Any, where: str, fail, current: Any) -> None:
    """Refuse a value ``--set`` cannot take for a parameter whose value is now ``current``.

    A list parameter (``policies.debt_brake.exempt``: ``current`` is a list)
    takes a list of single values, ``[]`` included; any other takes a single
    value (:func:`check_scalar`).

    Examples
    --------
    >>> def fail(key, message): return ValueError(f"{key}: {message}")
    >>> check_setting(["subsidies", "rescue"], "treatment.policies.debt_brake.exempt", fail, [])
    >>> check_setting(["rescue"], "treatment.public.rescue", fail, False)
    Traceback (most recent call last):
    ...
    ValueError: treatment.public.rescue: must be a single value (true/false, a number or a text), got ['rescue']
    """
    if isinstance(current, list) and isinstance(value, list):
        for item in value:
            if isinstance(item, (list, dict)):
                raise fail(where, f"must be a list of single values, got {shown(value)}")
            check_scalar(item, where, fail)
        return
    check_scalar(value, where, fail)


def current_value(known: dict, key: str) -> Any:
    """The value of the dotted ``key`` in ``known`` (the config as nested dicts); None where it has none."""
    node: Any = known
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def yaml_text(value: Any) -> str:
    """A value as a YAML scalar (a list: a flow list of them) that reads back to the same value (what --set takes)."""
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(yaml_text(item) for item in value) + "]"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, float):
        text = repr(value)
        if "e" in text and "." not in text.split("e")[0]:  # YAML 1.1 reads 1e-05 as text, 1.0e-05 as a number
            mantissa, exponent = text.split("e")
            text = f"{mantissa}.0e{exponent}"
        return text
    if isinstance(value, int):
        return str(value)
    return json.dumps(value)


def assignment(key: str, value: Any) -> str:
    """``key=value`` as ``--set`` reads it back to the same value."""
    assignment = f"{key}={yaml_text(value)}"
    assert parse_override(assignment)[1] == (list(value) if isinstance(value, tuple) else value), assignment
    return assignment
