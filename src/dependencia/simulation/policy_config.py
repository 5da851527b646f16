"""The policies of a simulation and the public's spending purposes: one checked dataclass per policy.

Each policy is a section of :class:`~.config.SimulationConfig` under
``policies.`` (``policies.debt_brake.exempt``, ``policies.fiscal_rule.ceiling``,
``policies.privatization.rule``, ...); docs/simulation.md#configuration-reference
gives each parameter's meaning and default, docs/model.md the choices behind them.

Examples
--------
>>> DebtBrake(enabled=True, exempt=("rescue",)).caps("investment"), DebtBrake(exempt=("rescue",)).caps("rescue")
(True, False)
>>> Privatization().rule, Privatization().limit
('arrears', 0.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .config_checks import check

__all__ = ["DEBT_BRAKE_GDP_SHARE", "DEBT_BRAKE_SHARE", "FISCAL_CEILING", "PRIVATIZATION_RULES", "PURPOSES",
           "Antitrust", "DebtBrake", "FiscalRule", "Interoperability", "Policies", "Privatization",
           "PublicOption", "RentTax"]

#: The 2025 German federal budget draft: 44 bn EUR new debt in 481 bn EUR spending (docs/calibration.md#figures-from-sources).
DEBT_BRAKE_SHARE = 44 / 481
#: The structural rule of the debt brake: 0.35% of GDP.
DEBT_BRAKE_GDP_SHARE = 0.0035
#: Federal debt at the end of 2024 over federal revenue in 2024: 1,732.7 bn / 440.6 bn EUR (docs/calibration.md).
FISCAL_CEILING = 1732.7 / 440.6

#: What the public spends on, in the order a step spends it: ``operations`` (its bills: upkeep, purchases,
#: interest), ``subsidies`` (to private infrastructure owners), ``tax_cuts`` (refunds to private actors),
#: ``investment`` (building), ``rescue`` (paying an insolvent private owner's arrears).
PURPOSES = ("operations", "subsidies", "tax_cuts", "investment", "rescue")

#: When the public sells infrastructure: ``arrears`` (while its arrears exceed a limit), ``offer`` (when a
#: private offer exceeds a price), ``never``.
PRIVATIZATION_RULES = ("arrears", "offer", "never")


@dataclass(frozen=True, kw_only=True)
class DebtBrake:
    """Caps public borrowing per step (docs/simulation.md#one-step).

    ``rule`` ``budget_share``: at most ``borrowing_cap`` x the public's
    spending of the step (default 44/481, the 2025 German federal budget);
    ``gdp_share``: at most ``gdp_share`` x the step's total payments (the
    structural 0.35%-of-GDP rule). Borrowing for an ``exempt`` purpose (of
    :data:`PURPOSES`) is not capped and does not use up the cap: the bypass.
    """

    enabled: bool = False
    borrowing_cap: float = DEBT_BRAKE_SHARE
    rule: str = "budget_share"
    gdp_share: float = DEBT_BRAKE_GDP_SHARE
    exempt: tuple[str, ...] = ()

    def _validate(self, path: str) -> None:
        check(self.rule in ("budget_share", "gdp_share"), f"{path}.rule", "must be budget_share or gdp_share")
        bad = sorted(set(self.exempt) - set(PURPOSES))
        check(not bad, f"{path}.exempt", f"unknown purpose {bad[0] if bad else ''!r} ({', '.join(PURPOSES)})")

    def caps(self, purpose: str) -> bool:
        """Whether borrowing for ``purpose`` is capped (the brake is on and the purpose not exempt)."""
        return self.enabled and purpose not in self.exempt


@dataclass(frozen=True, kw_only=True)
class FiscalRule:
    """A limit on public debt that holds without the debt brake too: debt at most ``ceiling`` x the step's revenue.

    Borrowing for every purpose counts (the rule has no exemptions); what it
    does not allow is not borrowed. The default ceiling is the federal
    debt-to-revenue ratio of 2024 (:data:`FISCAL_CEILING`).
    """

    enabled: bool = False
    ceiling: float = FISCAL_CEILING

    def _validate(self, path: str) -> None:
        check(self.ceiling >= 0, f"{path}.ceiling", "must be >= 0 (a multiple of the step's revenue)")


@dataclass(frozen=True, kw_only=True)
class Privatization:
    """When the public sells its infrastructure to a private owner (:data:`PRIVATIZATION_RULES`).

    ``arrears``: while the public's arrears (minus its budget) exceed
    ``limit``, it sells, highest upkeep first, at ``decay.sale_price`` x the
    build cost to the richest bidder (``limit`` 0: the behaviour before issue
    17). ``offer``: each step it sells an infrastructure when the best private
    offer exceeds ``price`` x its build cost; a bidder offers the tolls the
    infrastructure would bring it over ``horizon`` steps less its upkeep,
    at most its budget. ``never``: no sale. Under ``offer`` and ``never``,
    arrears above ``limit`` make the public give up infrastructure (it
    decays) instead of selling it; ``decay.privatize: false`` forbids every
    sale under any rule. ``keep_terms``: a sold infrastructure keeps the toll
    the public set (the public's own builds take none, so a buyer earns no
    toll from them); false: its buyer charges its own markup.
    """

    rule: str = "arrears"
    limit: float = 0.0
    price: float = 1.0
    horizon: int = 10
    keep_terms: bool = True

    def _validate(self, path: str) -> None:
        check(self.rule in PRIVATIZATION_RULES, f"{path}.rule", f"must be {', '.join(PRIVATIZATION_RULES[:-1])} "
              f"or {PRIVATIZATION_RULES[-1]}")
        check(self.limit >= 0, f"{path}.limit", "must be >= 0 (arrears the public tolerates)")
        check(self.price >= 0, f"{path}.price", "must be >= 0 (a multiple of the build cost)")
        check(self.horizon >= 1, f"{path}.horizon", "must be >= 1 (steps)")


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
    """Every policy, each off by default (privatization: the rule in force, ``arrears`` with limit 0)."""

    debt_brake: DebtBrake = field(default_factory=DebtBrake)
    fiscal_rule: FiscalRule = field(default_factory=FiscalRule)
    privatization: Privatization = field(default_factory=Privatization)
    rent_tax: RentTax = field(default_factory=RentTax)
    antitrust: Antitrust = field(default_factory=Antitrust)
    interoperability: Interoperability = field(default_factory=Interoperability)
    public_option: PublicOption = field(default_factory=PublicOption)

    def _validate(self, path: str) -> None:
        pass
