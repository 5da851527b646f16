"""The configuration of a simulation: every parameter named, typed, validated, with a default.

A scenario file's ``simulation:`` section is read into :class:`SimulationConfig`.
Every parameter has a dotted name (``policies.debt_brake.borrowing_cap``) by
which ``--set`` overrides it and sweeps vary it; values are checked when the
configuration is built, and an error names the parameter.

Examples
--------
>>> config = SimulationConfig.from_mapping({"steps": 5, "policies": {"debt_brake": {"enabled": True}}})
>>> config.policies.debt_brake.borrowing_cap == 44 / 481
True
>>> config.with_overrides(["policies.debt_brake.borrowing_cap=0"]).policies.debt_brake.borrowing_cap
0.0
>>> config.with_overrides(["policies.debt_brake.cap=0"])  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
dependencia.errors.UsageError: --set policies.debt_brake.cap: unknown parameter; policies.debt_brake has: enabled, ...
"""

from __future__ import annotations

import dataclasses
import math
import re
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..economics.config import Economy
from ..errors import InputError, UsageError, shown

__all__ = ["SimulationConfig", "parse_override", "split_where"]

#: The 2025 German federal budget draft: 44 bn EUR new debt in 481 bn EUR spending (docs/calibration.md#figures-from-sources).
DEBT_BRAKE_SHARE = 44 / 481
#: The structural rule of the debt brake: 0.35% of GDP.
DEBT_BRAKE_GDP_SHARE = 0.0035


_INT64 = 2**63
_FLOAT_LIMIT = 2**1024
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


class ConfigError(UsageError):
    """A parameter with a bad value or an unknown name."""


def _check(condition: bool, path: str, message: str) -> None:
    if not condition:
        raise ConfigError(f"{path}: {message}")


class RangeError(ConfigError):
    """A share, rate or probability outside its range: names the parameter, what it is, the range and the value."""

    def __init__(self, path: str, what: str, interval: str, value: float):
        self.path, self.what, self.interval, self.value = path, what, interval, value
        super().__init__(f"{path}: {self.requirement}, got {_number_text(value)}")

    @property
    def requirement(self) -> str:
        """``a share, must be in [0, 1]``."""
        return f"{self.what}, must be in {self.interval}"


def _number_text(value: float) -> str:
    """``2`` for 2.0, the shortest repr otherwise."""
    return f"{int(value)}" if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))


#: Every share-, rate- and probability-like parameter: (what it is, low, high, low open, high open).
#: Checked wherever the value comes from (the API, a scenario file, --set, a sweep); the error names
#: the parameter, what it is, the range and the value. Cost and price multipliers (extend_cost,
#: sale_price, markups) are not shares: they may exceed 1.
RANGES: dict[str, tuple[str, float, float, bool, bool]] = {
    "measure.epsilon": ("an error bound on the normalized power scale", 0.0, 1.0, True, True),
    "measure.delta": ("a probability", 0.0, 1.0, True, True),
    "adoption.switching_cost": ("a share of the old route's cost", 0.0, 1.0, False, True),
    "spillover.probability": ("a probability", 0.0, 1.0, False, False),
    "economy.rent_tax": ("a share of rent income", 0.0, 1.0, False, False),
    "policies.debt_brake.borrowing_cap": ("a share of the public budget (1: no cap)", 0.0, 1.0, False, False),
    "policies.debt_brake.gdp_share": ("a share of the step's total payments (GDP)", 0.0, 1.0, False, False),
    "policies.rent_tax.rate": ("a share of rent income", 0.0, 1.0, False, False),
    "policies.antitrust.cap": ("a power share", 0.0, 1.0, True, False),
    "policies.interoperability.threshold": ("a power share", 0.0, 1.0, True, False),
}


def _check_range(path: str, value: Any) -> None:
    """Raise :class:`RangeError` when ``value`` (a number, or None for unset) lies outside ``RANGES[path]``."""
    if path not in RANGES or value is None:
        return
    what, low, high, low_open, high_open = RANGES[path]
    below = value <= low if low_open else value < low
    above = value >= high if high_open else value > high
    if below or above:
        interval = f"{'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
        raise RangeError(path, what, interval, value)


@dataclass(frozen=True, kw_only=True)
class Investor:
    """Who invests with which strategy: one actor (``actor``) or every actor of a kind (``kind``)."""

    strategy: str
    actor: str | None = None
    kind: str | None = None

    def _validate(self, path: str) -> None:
        _check((self.actor is None) != (self.kind is None), path, "give exactly one of actor or kind")


@dataclass(frozen=True, kw_only=True)
class Measure:
    """How power is measured each step: exact, or approximate with (epsilon, delta), on the routed or hub graph.

    ``paths`` (docs/model.md#graphs) also decides how investors score their
    moves, so that they aim at the power that is measured.
    """

    epsilon: float | None = None
    delta: float = 0.1
    dimensions: tuple[str, ...] | None = None
    paths: str = "routed"

    def _validate(self, path: str) -> None:
        _check(self.paths in ("routed", "hub"), f"{path}.paths", "must be routed or hub")  # epsilon, delta: RANGES


@dataclass(frozen=True, kw_only=True)
class Infrastructure:
    """Costs and terms of infrastructure that investors build.

    ``build_cost`` and ``upkeep`` of a new infrastructure; extending one to a
    further set of dependencies costs ``extend_cost`` x build_cost; a new
    infrastructure takes no toll for ``intro_steps`` steps (introductory
    terms), then its owner's markup; a move reroutes or creates at most
    ``move_size`` dependencies.
    """

    build_cost: float = 10.0
    upkeep: float = 1.0
    extend_cost: float = 0.5
    intro_steps: int = 3
    move_size: int = 10

    def _validate(self, path: str) -> None:
        _check(self.build_cost > 0, f"{path}.build_cost", "must be > 0")
        _check(self.upkeep >= 0, f"{path}.upkeep", "must be >= 0")
        _check(self.extend_cost >= 0, f"{path}.extend_cost", "must be >= 0")
        _check(self.intro_steps >= 0, f"{path}.intro_steps", "must be >= 0")
        _check(self.move_size >= 1, f"{path}.move_size", "must be >= 1")


@dataclass(frozen=True, kw_only=True)
class Evaluation:
    """How candidate moves are scored: ``sample`` source actors (all when the network has fewer)."""

    sample: int = 64

    def _validate(self, path: str) -> None:
        _check(self.sample >= 1, f"{path}.sample", "must be >= 1")


@dataclass(frozen=True, kw_only=True)
class Adoption:
    """Dependents take a new route when it costs them at most (1 - switching_cost) x the old one."""

    switching_cost: float = 0.0

    def _validate(self, path: str) -> None:
        pass  # switching_cost: RANGES


@dataclass(frozen=True, kw_only=True)
class Spillover:
    """Each step, each infrastructure creates a dependency in another dimension with this probability."""

    probability: float = 0.02
    dimensions: tuple[str, ...] | None = None

    def _validate(self, path: str) -> None:
        pass  # probability: RANGES


@dataclass(frozen=True, kw_only=True)
class Decay:
    """Unpaid upkeep: private infrastructure disappears; public may be sold (privatized) at ``sale_price`` x build cost.

    Buyers are private actors whose kind is not in ``excluded_bidders``
    (households and persons do not buy infrastructure), richest first.
    """

    privatize: bool = True
    sale_price: float = 0.5
    fallback: str = "direct"
    excluded_bidders: tuple[str, ...] = ("household", "person")

    def _validate(self, path: str) -> None:
        _check(self.sale_price >= 0, f"{path}.sale_price", "must be >= 0")
        _check(self.fallback in ("direct", "need"), f"{path}.fallback", "must be direct or need")


@dataclass(frozen=True, kw_only=True)
class DebtBrake:
    """Caps public borrowing per step (docs/simulation.md#one-step).

    ``rule`` ``budget_share``: at most ``borrowing_cap`` x the public's
    spending of the step (default 44/481, the 2025 German federal budget);
    ``gdp_share``: at most ``gdp_share`` x the step's total payments (the
    structural 0.35%-of-GDP rule). Borrowing for an ``exempt`` purpose
    (``operations``: paying the public's bills in the pay phase;
    ``investment``: building) is not capped.
    """

    enabled: bool = False
    borrowing_cap: float = DEBT_BRAKE_SHARE
    rule: str = "budget_share"
    gdp_share: float = DEBT_BRAKE_GDP_SHARE
    exempt: tuple[str, ...] = ()

    def _validate(self, path: str) -> None:
        _check(self.rule in ("budget_share", "gdp_share"), f"{path}.rule", "must be budget_share or gdp_share")
        bad = sorted(set(self.exempt) - {"operations", "investment"})
        _check(not bad, f"{path}.exempt", f"unknown purpose {bad[0] if bad else ''!r} (operations, investment)")


@dataclass(frozen=True, kw_only=True)
class RentTax:
    """A share of private rent income (markup, toll) paid to the public account in the pay phase."""

    enabled: bool = False
    rate: float = 0.1

    def _validate(self, path: str) -> None:
        pass  # rate: RANGES


@dataclass(frozen=True, kw_only=True)
class Antitrust:
    """After measuring: an actor whose power share exceeds ``cap`` divests its most central infrastructure."""

    enabled: bool = False
    cap: float = 0.3

    def _validate(self, path: str) -> None:
        pass  # cap: RANGES


@dataclass(frozen=True, kw_only=True)
class Interoperability:
    """After measuring: dependencies routed through the infrastructure of an actor above ``threshold``
    power share get a mandated alternative route without it (half their strength moves there)."""

    enabled: bool = False
    threshold: float = 0.3

    def _validate(self, path: str) -> None:
        pass  # threshold: RANGES


@dataclass(frozen=True, kw_only=True)
class PublicOption:
    """The public account builds toll-free infrastructure parallel to the most central private one."""

    enabled: bool = False

    def _validate(self, path: str) -> None:
        pass


@dataclass(frozen=True, kw_only=True)
class Policies:
    debt_brake: DebtBrake = field(default_factory=DebtBrake)
    rent_tax: RentTax = field(default_factory=RentTax)
    antitrust: Antitrust = field(default_factory=Antitrust)
    interoperability: Interoperability = field(default_factory=Interoperability)
    public_option: PublicOption = field(default_factory=PublicOption)

    def _validate(self, path: str) -> None:
        pass


@dataclass(frozen=True, kw_only=True)
class SimulationConfig:
    """Every parameter of a simulation (keyword-only, validated).

    Parameters
    ----------
    steps : int, default 20
        Steps to run when the caller does not say.
    seed : int, default 0
    checkpoint_every : int, default 10
        Write the full state every K steps.
    initial_budget : float, default 100.0
        Budget of actors whose ``budget`` is unspecified.
    public_revenue : float, default 0.0
        Revenue the public account receives each step from outside the
        network (general taxation), paid by ``world``.
    investors : list of Investor
        Who invests with which strategy (``greedy``, ``preferential``,
        ``random``, ``public``, ``none`` or a registered name); actors not
        listed do not invest.
    candidates : int, default 20
        Candidate moves sampled per investor and step.
    measure, economy, infrastructure, evaluation, adoption, spillover, decay, policies :
        The sections above; ``economy`` holds :class:`~dependencia.economics.Economy`
        settings.
    insolvency : {"exit", "sell", "none"}, default "exit"
        An infrastructure owner or investor whose budget stays below zero
        exits, or first sells its infrastructure to the richest bidder; or
        nothing happens (``none``).
    """

    steps: int = 20
    seed: int = 0
    checkpoint_every: int = 10
    initial_budget: float = 100.0
    public_revenue: float = 0.0
    investors: tuple[Investor, ...] = ()
    candidates: int = 20
    insolvency: str = "exit"
    measure: Measure = field(default_factory=Measure)
    economy: Economy = field(default_factory=Economy)
    infrastructure: Infrastructure = field(default_factory=Infrastructure)
    evaluation: Evaluation = field(default_factory=Evaluation)
    adoption: Adoption = field(default_factory=Adoption)
    spillover: Spillover = field(default_factory=Spillover)
    decay: Decay = field(default_factory=Decay)
    policies: Policies = field(default_factory=Policies)

    def _validate(self, path: str) -> None:
        _check(self.steps >= 0, f"{path}steps", "must be >= 0")
        _check(self.seed >= 0, f"{path}seed", "must be >= 0")
        _check(self.checkpoint_every >= 1, f"{path}checkpoint_every", "must be >= 1")
        _check(self.candidates >= 1, f"{path}candidates", "must be >= 1")
        _check(self.public_revenue >= 0, f"{path}public_revenue", "must be >= 0")
        _check(self.insolvency in ("exit", "sell", "none"), f"{path}insolvency", "must be exit, sell or none")

    # ------------------------------------------------------------------ building
    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None, *, source: str | None = None) -> SimulationConfig:
        """Build and validate from a plain mapping (a scenario's ``simulation:`` section)."""
        try:
            return _build(cls, {} if data is None else data, "")
        except ConfigError as problem:
            if source is None:
                raise
            where, message = split_where(str(problem))
            raise InputError(message, source=source, where=_in_section(where)) from None

    def to_mapping(self) -> dict[str, Any]:
        """The fully resolved configuration as plain data (JSON- and YAML-ready)."""
        return _plain(self)

    def with_overrides(self, assignments: Sequence[str]) -> SimulationConfig:
        """Apply ``dotted.key=value`` overrides (values parsed as YAML scalars)."""
        data = self.to_mapping()
        given = {}
        for assignment in assignments:
            key, value = parse_override(assignment)
            _assign(data, key, value, type(self))
            given[key] = assignment.partition("=")[2].strip()
        try:
            return _build(type(self), data, "")
        except RangeError as problem:
            if problem.path in given:  # --set policies.debt_brake.borrowing_cap=2: a share, must be in [0, 1]
                raise ConfigError(f"--set {problem.path}={given[problem.path]}: {problem.requirement}") from None
            raise ConfigError(f"--set {problem}") from None
        except ConfigError as problem:
            raise ConfigError(f"--set {problem}") from None

    def get(self, dotted: str) -> Any:
        """The value of a parameter by its dotted name."""
        value: Any = self
        for part in dotted.split("."):
            value = getattr(value, part)
        return value


def split_where(message: str) -> tuple[str | None, str]:
    """Split ``"policies.x.rate: must be ..."`` into the parameter path and the message."""
    match = re.match(r"^([\w.\[\]]+): (.*)$", message, re.DOTALL) or re.match(
        r"^(\w+(?:\.\w+|\[\d+\])+) (.*)$", message, re.DOTALL)  # "economy.pricing must be ..."
    return (match.group(1), match.group(2)) if match else (None, message)


def _in_section(where: str | None) -> str:
    """The record path of a parameter in a scenario file: ``simulation.<path>``."""
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
    if isinstance(value, (dict,)):
        raise UsageError(f"--set {key}: give one value, not a mapping")
    return key, value


def _assign(data: dict, key: str, value: Any, cls: type) -> None:
    parts = key.split(".")
    node, node_cls, path = data, cls, ""
    for i, part in enumerate(parts):
        names = _field_names(node_cls)
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


def _field_names(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _nested_class(cls: type, name: str) -> type | None:
    hint = _hints(cls)[name]
    return hint if dataclasses.is_dataclass(hint) else None


def _build(cls: type, data: Any, path: str) -> Any:
    where = path.rstrip(".") or "simulation"
    if not isinstance(data, Mapping):
        raise ConfigError(f"{where}: must be a mapping, got {type(data).__name__}")
    names = _field_names(cls)
    unknown = [k for k in data if k not in names]
    if unknown:
        raise ConfigError(f"{path}{unknown[0]}: unknown parameter; {where} has: {', '.join(names)}")
    hints = _hints(cls)
    for f in dataclasses.fields(cls):
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if required and f.name not in data:
            raise ConfigError(f"{path}{f.name}: missing (required)")
    values = {name: _convert(hints[name], data[name], f"{path}{name}") for name in names if name in data}
    for name, value in values.items():
        _check_range(f"{path}{name}", value)
    if cls is Economy:
        try:
            return Economy(**values)
        except UsageError as problem:
            raise ConfigError(f"{path}{str(problem).removeprefix('economy.')}") from None
    built = cls(**values)
    built._validate(path if cls is SimulationConfig else path.rstrip("."))
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
    if dataclasses.is_dataclass(hint):
        return _build(hint, value, f"{path}.")
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


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value
