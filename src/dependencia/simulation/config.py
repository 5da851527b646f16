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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..economics.config import Economy
from ..errors import InputError
from .config_checks import RANGES, ConfigError, RangeError, check, check_range, number_text
from .config_parse import INVESTORS, assign, build, in_section, investor_strategy, parse_override, plain, split_where
from .policy_config import (
    DEBT_BRAKE_GDP_SHARE,
    DEBT_BRAKE_SHARE,
    FISCAL_CEILING,
    PRIVATIZATION_RULES,
    PURPOSES,
    Antitrust,
    DebtBrake,
    FiscalRule,
    Interoperability,
    Policies,
    Privatization,
    PublicOption,
    RentTax,
)

__all__ = ["DEBT_BRAKE_GDP_SHARE", "DEBT_BRAKE_SHARE", "FISCAL_CEILING", "PRIVATIZATION_RULES", "PURPOSES", "RANGES",
           "Adoption", "Antitrust", "ConfigError", "DebtBrake", "Decay", "Evaluation", "FiscalRule", "Infrastructure",
           "Interoperability", "Investor", "Measure", "Policies", "Privatization", "Public", "PublicOption",
           "CREATE_ADOPTION", "RangeError", "RentTax", "SimulationConfig", "Spillover", "parse_override", "split_where"]

# the names other modules and scripts import from here (kept since the split of issue 17)
_check = check
_check_range = check_range
_number_text = number_text


@dataclass(frozen=True, kw_only=True)
class Investor:
    """Who invests with which strategy: one actor (``actor``) or every actor of a kind (``kind``)."""

    strategy: str
    actor: str | None = None
    kind: str | None = None

    def _validate(self, path: str) -> None:
        check((self.actor is None) != (self.kind is None), path, "give exactly one of actor or kind")


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
        check(self.paths in ("routed", "hub"), f"{path}.paths", "must be routed or hub")  # epsilon, delta: RANGES


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
        check(self.build_cost > 0, f"{path}.build_cost", "must be > 0")
        check(self.upkeep >= 0, f"{path}.upkeep", "must be >= 0")
        check(self.extend_cost >= 0, f"{path}.extend_cost", "must be >= 0")
        check(self.intro_steps >= 0, f"{path}.intro_steps", "must be >= 0")
        check(self.move_size >= 1, f"{path}.move_size", "must be >= 1")


@dataclass(frozen=True, kw_only=True)
class Evaluation:
    """How candidate moves are scored: ``sample`` source actors (all when the network has fewer)."""

    sample: int = 64

    def _validate(self, path: str) -> None:
        check(self.sample >= 1, f"{path}.sample", "must be >= 1")


#: How dependents take up a creating move: all of them (``always``, before issue 17) or by need and price.
CREATE_ADOPTION = ("always", "need_or_cheaper")


@dataclass(frozen=True, kw_only=True)
class Adoption:
    """Which new routes and dependencies dependents take (docs/simulation.md#one-step).

    A rerouting is taken when it costs the dependent at most (1 -
    ``switching_cost``) x the old route. ``create``: ``always`` (every
    dependent a creating move names takes the new dependency) or
    ``need_or_cheaper`` (only one with a need in the move's dimension, whose
    need it then serves, or one whose costliest dependency there costs more
    than the new one by more than the switching cost, which it then moves to
    the investor). ``exit``: each step, a dependency leaves its route for
    another route to the same provider in the same dimension when that costs
    at most (1 - ``switching_cost``) x its own.
    """

    switching_cost: float = 0.0
    create: str = "always"
    exit: bool = False

    def _validate(self, path: str) -> None:
        check(self.create in CREATE_ADOPTION, f"{path}.create", f"must be {' or '.join(CREATE_ADOPTION)}")


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

    When the public sells is ``policies.privatization`` (:class:`~.policy_config.Privatization`);
    ``privatize: false`` forbids every sale (public infrastructure the public
    cannot keep then decays). Buyers are private actors whose kind is not in
    ``excluded_bidders`` (households and persons do not buy infrastructure),
    richest first.
    """

    privatize: bool = True
    sale_price: float = 0.5
    fallback: str = "direct"
    excluded_bidders: tuple[str, ...] = ("household", "person")

    def _validate(self, path: str) -> None:
        check(self.sale_price >= 0, f"{path}.sale_price", "must be >= 0")
        check(self.fallback in ("direct", "need"), f"{path}.fallback", "must be direct or need")


@dataclass(frozen=True, kw_only=True)
class Public:
    """The public account's debt and its spending besides bills and building (docs/simulation.md#one-step).

    Each step the public first pays interest on its debt: ``interest_rate``
    plus ``interest_slope`` x its debt-to-revenue ratio (at most 1) x the debt
    at the step's start. It then pays ``subsidies`` (an amount per step) to
    private infrastructure owners in proportion to the upkeep of what they
    own, and ``tax_cuts`` (an amount per step) to private actors in
    proportion to their income of the step; with ``rescue`` it pays the
    arrears of an insolvent private owner or investor instead of letting it
    exit. Each is paid from the public budget, the rest borrowed for its
    purpose (:data:`PURPOSES`) as far as the debt brake and the fiscal rule
    allow; what cannot be financed is not paid (interest, a bill, becomes
    arrears). Every default is 0 or off: the model before issue 17.
    """

    interest_rate: float = 0.0
    interest_slope: float = 0.0
    subsidies: float = 0.0
    tax_cuts: float = 0.0
    rescue: bool = False

    def _validate(self, path: str) -> None:
        check(self.subsidies >= 0, f"{path}.subsidies", "must be >= 0 (an amount per step)")
        check(self.tax_cuts >= 0, f"{path}.tax_cuts", "must be >= 0 (an amount per step)")


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
    measure, economy, infrastructure, evaluation, adoption, spillover, decay, public, policies :
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
    public: Public = field(default_factory=Public)
    policies: Policies = field(default_factory=Policies)

    def _validate(self, path: str) -> None:
        check(self.steps >= 0, f"{path}steps", "must be >= 0")
        check(self.seed >= 0, f"{path}seed", "must be >= 0")
        check(self.checkpoint_every >= 1, f"{path}checkpoint_every", "must be >= 1")
        check(self.candidates >= 1, f"{path}candidates", "must be >= 1")
        check(self.public_revenue >= 0, f"{path}public_revenue", "must be >= 0")
        check(self.insolvency in ("exit", "sell", "none"), f"{path}insolvency", "must be exit, sell or none")

    # ------------------------------------------------------------------ building
    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None, *, source: str | None = None) -> SimulationConfig:
        """Build and validate from a plain mapping (a scenario's ``simulation:`` section)."""
        try:
            return build(cls, {} if data is None else data, "")
        except ConfigError as problem:
            if source is None:
                raise
            where, message = split_where(str(problem))
            raise InputError(message, source=source, where=in_section(where)) from None

    def to_mapping(self) -> dict[str, Any]:
        """The fully resolved configuration as plain data (JSON- and YAML-ready)."""
        return plain(self)

    def with_overrides(self, assignments: Sequence[str]) -> SimulationConfig:
        """Apply ``dotted.key=value`` overrides (values parsed as YAML scalars)."""
        data = self.to_mapping()
        given = {}
        for assignment in assignments:
            key, value = parse_override(assignment)
            assign(data, key, value, type(self))
            given[key] = assignment.partition("=")[2].strip()
        try:
            return build(type(self), data, "")
        except RangeError as problem:
            if problem.path in given:  # --set policies.debt_brake.borrowing_cap=2: a share, must be in [0, 1]
                raise ConfigError(f"--set {problem.path}={given[problem.path]}: {problem.requirement}") from None
            raise ConfigError(f"--set {problem}") from None
        except ConfigError as problem:
            raise ConfigError(f"--set {problem}") from None

    def get(self, dotted: str) -> Any:
        """The value of a parameter by its dotted name (``investors.ACTOR``: that actor's strategy, or None)."""
        head, _, actor = dotted.partition(".")
        if head == INVESTORS and actor:
            return investor_strategy(plain(self.investors), actor)
        value: Any = self
        for part in dotted.split("."):
            value = getattr(value, part)
        return value

