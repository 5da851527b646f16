"""Reading a simulation's configuration: plain data and ``--set key=value`` into checked dataclasses.

:func:`build` turns a mapping (a scenario's ``simulation:`` section) into a
configuration dataclass, section by section, converting each value to its
field's type and checking it (:mod:`.config_checks`); :func:`assign` applies
one ``--set`` override to such a mapping, refusing an unknown name with the
names the section has; :func:`plain` turns a configuration back into plain
data. An error names the parameter by its dotted path.

Examples
--------
>>> parse_override("policies.debt_brake.exempt=[investment, rescue]")
('policies.debt_brake.exempt', ['investment', 'rescue'])
>>> split_where("policies.rent_tax.rate: a share of rent income, must be in [0, 1], got 2")
('policies.rent_tax.rate', 'a share of rent income, must be in [0, 1], got 2')
"""

from __future__ import annotations

import dataclasses
import math
import re
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from ..economics.config import Economy
from ..errors import UsageError, shown
from .config_checks import ConfigError, check_range

__all__ = ["INVESTORS", "assign", "build", "in_section", "investor_strategy", "parse_override", "plain", "split_where"]

#: ``--set investors.ACTOR=STRATEGY`` gives one actor its strategy (``none``: it does not invest),
#: ahead of every entry of ``investors`` that would give it another, so that an experiment can
#: switch one investor on or off with a single value.
INVESTORS = "investors"

_INT64 = 2**63
_FLOAT_LIMIT = 2**1024
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def split_where(message: str) -> tuple[str | None, str]:
    """Split ``"policies.x.rate: must be ..."`` into the parameter path and the message."""
    match = re.match(r"^([\w.\[\]]+): (.*)$", message, re.DOTALL) or re.match(
        r"^(\w+(?:\.\w+|\[\d+\])+) (.*)$", message, re.DOTALL)  # "economy.pricing must be ..."
    return (match.group(1), match.group(2)) if match else (None, message)


def in_section(where: str | None) -> str:
    """The record path of a parameter in a scenario file: ``simulation.<path>``.

    Examples
    --------
    >>> in_section("public.interest_rate"), in_section(None)
    ('simulation.public.interest_rate', 'simulation')
    """
    if not where or where == "simulation":
        return "simulation"
    return where if where.startswith("simulation.") else f"simulation.{where}"


def parse_override(assignment: str) -> tuple[str, Any]:
    """Split ``key=value``; the value is read as a YAML scalar or flow list (``true``, ``0.5``, ``[a, b]``)."""
    key, sep, text = assignment.partition("=")
    key = key.strip()
    if not sep or not key:
        raise UsageError(f"--set expects key=value, got {assignment!r}")
    try:
        value = yaml.safe_load(text) if text.strip() else None
    except yaml.YAMLError:
        value = text
    if isinstance(value, dict):
        raise UsageError(f"--set {key}: give one value, not a mapping")
    return key, value


def assign(data: dict[str, Any], key: str, value: Any, cls: type) -> None:
    """Set the dotted ``key`` of the plain configuration ``data`` (of dataclass ``cls``) to ``value``.

    ``investors.ACTOR`` names one actor's strategy (see :data:`INVESTORS`).

    Examples
    --------
    >>> data = {"investors": [{"actor": "a", "strategy": "greedy", "kind": None}]}
    >>> assign(data, "investors.a", "none", dict)
    >>> assign(data, "investors.b", "random", dict)
    >>> [(i["actor"], i["strategy"]) for i in data["investors"]]
    [('b', 'random'), ('a', 'none')]
    """
    parts = key.split(".")
    if parts[0] == INVESTORS and len(parts) > 1:
        if len(parts) != 2 or not parts[1]:
            raise UsageError(f"--set {key}: name one actor, investors.ACTOR=STRATEGY")
        if not isinstance(value, str) or not value:
            raise UsageError(f"--set {key}: a strategy name (greedy, random, none, ...), got {shown(value)}")
        others = [entry for entry in data.get(INVESTORS) or [] if entry.get("actor") != parts[1]]
        data[INVESTORS] = [{"actor": parts[1], "strategy": value, "kind": None}, *others]
        return
    node, node_cls, path = data, cls, ""
    for i, part in enumerate(parts):
        names = field_names(node_cls)
        if part not in names:
            where = path.rstrip(".") or "simulation"
            raise UsageError(f"--set {key}: unknown parameter; {where} has: {', '.join(names)}")
        if i == len(parts) - 1:
            node[part] = value
            return
        child_cls = _nested_class(node_cls, part)
        if child_cls is None:
            raise UsageError(f"--set {key}: {path}{part} is a value, not a section")
        node = node.setdefault(part, {})
        node_cls, path = child_cls, f"{path}{part}."


def investor_strategy(investors: Sequence[Mapping[str, Any]], actor: str) -> str | None:
    """The strategy the entry naming ``actor`` gives it (``investors.ACTOR``), or None when none names it.

    Examples
    --------
    >>> investor_strategy([{"actor": "a", "strategy": "greedy"}], "a"), investor_strategy([], "a")
    ('greedy', None)
    """
    return next((str(entry["strategy"]) for entry in investors if entry.get("actor") == actor), None)


def field_names(cls: type) -> list[str]:
    """The parameters of a configuration section, in order."""
    return [f.name for f in dataclasses.fields(cls)]


def _nested_class(cls: type, name: str) -> type | None:
    hint = typing.get_type_hints(cls)[name]
    return hint if dataclasses.is_dataclass(hint) and isinstance(hint, type) else None


def build(cls: type, data: Any, path: str) -> Any:
    """An instance of the configuration dataclass ``cls`` from plain ``data``, every value converted and checked."""
    where = path.rstrip(".") or "simulation"
    if not isinstance(data, Mapping):
        raise ConfigError(f"{where}: must be a mapping, got {type(data).__name__}")
    names = field_names(cls)
    unknown = [k for k in data if k not in names]
    if unknown:
        raise ConfigError(f"{path}{unknown[0]}: unknown parameter; {where} has: {', '.join(names)}")
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if required and f.name not in data:
            raise ConfigError(f"{path}{f.name}: missing (required)")
    values = {name: _convert(hints[name], data[name], f"{path}{name}") for name in names if name in data}
    for name, value in values.items():
        check_range(f"{path}{name}", value)
    if cls is Economy:
        try:
            return Economy(**values)
        except UsageError as problem:
            raise ConfigError(f"{path}{str(problem).removeprefix('economy.')}") from None
    built = cls(**values)
    built._validate(path.rstrip("."))
    return built


def _convert(hint: Any, value: Any, path: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        options = [a for a in args if a is not type(None)]
        errors = []
        for option in options:
            try:
                return _convert(option, value, path)
            except ConfigError as problem:
                errors.append(problem)
        raise errors[0]
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return build(hint, value, f"{path}.")
    if origin is tuple:
        if isinstance(value, str) or not isinstance(value, Sequence):
            raise ConfigError(f"{path}: must be a list, got {shown(value)}")
        return tuple(_convert(args[0], v, f"{path}[{i}]") for i, v in enumerate(value))
    if origin in (Mapping, dict) or hint is Mapping:
        if not isinstance(value, Mapping):
            raise ConfigError(f"{path}: must be a mapping, got {shown(value)}")
        return {str(k): _convert(args[1], v, f"{path}.{k}") for k, v in value.items()}
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{path}: must be true or false, got {shown(value)}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{path}: must be an integer, got {shown(value)}")
        if not -_INT64 <= value < _INT64:  # seeds and counts go into int64 table columns
            raise ConfigError(f"{path}: must be an integer of at most 64 bits, got {shown(value)}")
        return value
    if hint is float:
        if isinstance(value, str) and _NUMBER.match(value.strip()):
            value = float(value)  # YAML 1.1 reads 1e-3 (no dot) as text
        too_large = isinstance(value, int) and abs(value) >= _FLOAT_LIMIT  # no float holds it
        if isinstance(value, bool) or not isinstance(value, (int, float)) or too_large or not math.isfinite(value):
            raise ConfigError(f"{path}: must be a finite number, got {shown(value)}")
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise ConfigError(f"{path}: must be text, got {shown(value)}")
        return value
    raise ConfigError(f"{path}: unsupported parameter type {hint!r}")  # pragma: no cover


def plain(value: Any) -> Any:
    """A configuration (or any part of it) as plain JSON- and YAML-ready data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    return value
