"""What the phases of a step share: the measurement at its start, the public account, and the world.

:class:`Measurement` is power at the start of a step; :class:`PublicFinances`
the public account's interest, spending and borrowing in that step (the debt
brake, the fiscal rule and the spending purposes: docs/simulation.md#one-step);
:class:`Outlook` what a planning public investor knows of them; :class:`World`
what policies and the recorder read and change of the step in progress
(:class:`~.phases.Phases` is the one world the runner makes). Policies and the
recorder depend on this module, not on :mod:`.phases`, so that the phases can
call them without a cycle.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from ..economics.config import Economy
    from ..economics.rents import Rents
    from ..network.model import Network
    from .config import SimulationConfig
    from .results import Recorder
    from .state import State

__all__ = ["Measurement", "Outlook", "PublicFinances", "World"]


@dataclass
class Measurement:
    """Power at the start of a step."""

    raw: pd.DataFrame  # graph_power(normalized=False) over the measured dimensions
    normalized: np.ndarray
    by_dimension: dict[str, pd.DataFrame]  # normalized power tables per dimension
    graph_dimensions: tuple[str, ...]
    reach: dict[str, pd.DataFrame]  # "*" and each dimension

    @property
    def total_raw(self) -> float:
        top = self.raw["controlled_by"].isna().to_numpy()
        return float(self.raw["power"].to_numpy()[top].sum())

    def shares(self) -> dict[str, pd.Series]:
        return {k: table["power_share"] for k, table in self.by_dimension.items()}


class World(Protocol):
    """The step in progress as policies and the recorder see it."""

    network: Network
    state: State
    recorder: Recorder
    config: SimulationConfig
    public: PublicFinances
    measured: Measurement | None

    def economy(self) -> Economy:
        """The economy of the step (the rent tax applied)."""
        ...

    def public_actor(self) -> str | None:
        """The public actor's id, or None when the public is an account without an actor."""
        ...

    def strategies(self) -> dict[str, str]:
        """Each investor's strategy, by actor id."""
        ...


@dataclass(frozen=True)
class Outlook:
    """The public account's finances as a planning investor sees them during the invest phase.

    ``revenue`` and ``spending`` are the step's (spending: its bills in the
    accounts, the interest charged, its subsidies and tax cuts), ``cash`` its budget if positive,
    ``debt`` its debt, ``interest_rate`` the rate it pays this step.
    """

    revenue: float
    spending: float
    cash: float
    debt: float
    interest_rate: float


@dataclass
class PublicFinances:
    """The public account's finances in one step: interest, spending by purpose, borrowing.

    The public borrows from the lender what its budget does not cover, for a
    purpose of :data:`~.policy_config.PURPOSES`. The debt brake caps the
    step's borrowing for the purposes it does not exempt (``cap_left`` is what
    they may still borrow); the fiscal rule caps the debt at ``ceiling`` x the
    step's ``revenue`` for every purpose. ``interest``, ``borrowed`` and
    ``spent`` (by purpose) are the step's, for the record.
    """

    phases: World
    actor: str | None
    cap_left: float
    revenue: float = 0.0
    rents: Rents | None = None
    borrowed: float = 0.0
    interest: float = 0.0
    rate: float = 0.0
    spent: dict[str, float] = field(default_factory=dict)

    @classmethod
    def start(cls, phases: World, rents: Rents) -> PublicFinances:
        """The pay phase's public finances: revenue in, interest charged, the bills' shortfall borrowed.

        Then subsidies and tax cuts are paid (:meth:`pay`), each as far as
        it can be financed.
        """
        config, state = phases.config, phases.state
        actor = phases.public_actor()
        if actor is not None:
            income = float(rents.actors.at[actor, "income"])
            state.budgets[actor] = state.budgets.get(actor, 0.0) + config.public_revenue
        else:
            income = float(rents.accounts.at["public", "income"])
            state.public_budget += float(rents.accounts.at["public", "net"]) + config.public_revenue
        revenue = income + config.public_revenue
        brake = config.policies.debt_brake
        if not brake.enabled:
            cap = math.inf
        elif brake.rule == "budget_share":
            share = brake.borrowing_cap
            cap = math.inf if share >= 1 else share / (1 - share) * max(revenue, 0.0)
        else:
            cap = brake.gdp_share * rents.totals["paid"]
        finances = cls(phases, actor, cap, revenue=revenue, rents=rents)
        finances._charge_interest()
        if finances.budget() < 0:
            finances.borrow(-finances.budget(), "operations")
        finances._transfers(rents)
        return finances

    # ------------------------------------------------------------------ interest
    def interest_rate(self) -> float:
        """``interest_rate`` + ``interest_slope`` x debt / revenue, at most 1 (debt without revenue: 1 when sloped)."""
        public = self.phases.config.public
        debt = self.phases.state.public_debt
        if public.interest_slope <= 0 or debt <= 0:
            return public.interest_rate
        ratio = debt / self.revenue if self.revenue > 0 else math.inf
        return min(1.0, public.interest_rate + public.interest_slope * ratio)

    def _charge_interest(self) -> None:
        """Interest on the debt at the step's start, the first charge on the public budget (to the lender)."""
        self.rate = self.interest_rate()
        self.interest = self.rate * self.phases.state.public_debt
        if self.interest > 0:
            self.receive(-self.interest)

    # ------------------------------------------------------------------ transfers
    def _transfers(self, rents: Rents) -> None:
        """Subsidies to private infrastructure owners and tax cuts to private actors, as configured."""
        public = self.phases.config.public
        if public.subsidies > 0:
            self._pay_out("subsidies", public.subsidies, _subsidy_weights(self.phases))
        if public.tax_cuts > 0:
            income = rents.actors["income"]
            private = set(self.phases.network.actors.index) - set(self.phases.network.public_actors)
            weights = {a: float(v) for a, v in income.items() if a in private and v > 0}
            self._pay_out("tax_cuts", public.tax_cuts, weights)

    def _pay_out(self, purpose: str, amount: float, weights: dict[str, float]) -> None:
        total = math.fsum(weights.values())
        if total <= 0:
            return
        paid = self.pay(purpose, amount)
        budgets = self.phases.state.budgets
        for receiver in sorted(weights):
            budgets[receiver] = budgets.get(receiver, 0.0) + paid * weights[receiver] / total

    # ------------------------------------------------------------------ the account
    def budget(self) -> float:
        state = self.phases.state
        return state.budgets.get(self.actor, 0.0) if self.actor is not None else state.public_budget

    def receive(self, amount: float) -> None:
        """Add ``amount`` to the public budget (a sale's price, a loan; negative: a charge)."""
        state = self.phases.state
        if self.actor is not None:
            state.budgets[self.actor] = state.budgets.get(self.actor, 0.0) + amount
        else:
            state.public_budget += amount

    def capped(self, purpose: str) -> bool:
        """Whether the debt brake caps borrowing for ``purpose``."""
        return self.phases.config.policies.debt_brake.caps(purpose)

    def ceiling_room(self) -> float:
        """What the fiscal rule still lets the public borrow (infinite when the rule is off)."""
        rule = self.phases.config.policies.fiscal_rule
        if not rule.enabled:
            return math.inf
        return max(rule.ceiling * max(self.revenue, 0.0) - self.phases.state.public_debt, 0.0)

    def room(self, purpose: str) -> float:
        """What the public may still borrow for ``purpose`` in this step."""
        return min(self.cap_left if self.capped(purpose) else math.inf, self.ceiling_room())

    def affordable(self, purpose: str) -> float:
        """What the public can spend on ``purpose`` now: its budget if positive plus what it may borrow."""
        return max(self.budget(), 0.0) + self.room(purpose)

    def borrow(self, amount: float, purpose: str) -> float:
        """Borrow up to ``amount`` from the lender for ``purpose``; returns what the brake and the fiscal rule allowed.

        A cut is recorded as a ``policy`` event (``debt_brake`` or
        ``fiscal_rule``) with the purpose, what was wanted and what was allowed.
        """
        recorder, step = self.phases.recorder, self.phases.state.step
        allowed = min(amount, self.cap_left) if self.capped(purpose) else amount
        if self.capped(purpose) and allowed < amount:
            recorder.event(step, "policy", self.actor, None, policy="debt_brake", purpose=purpose, wanted=amount,
                           allowed=allowed)
        ceiling = self.ceiling_room()
        if ceiling < allowed:
            recorder.event(step, "policy", self.actor, None, policy="fiscal_rule", purpose=purpose, wanted=allowed,
                           allowed=ceiling)
            allowed = ceiling
        if self.capped(purpose):
            self.cap_left -= allowed
        if allowed > 0:
            self.phases.state.public_debt += allowed
            self.borrowed += allowed
            self.receive(allowed)
        return allowed

    def pay(self, purpose: str, amount: float) -> float:
        """Spend up to ``amount`` on ``purpose`` from the budget, borrowing the rest as far as allowed; returns what was spent.

        The caller hands the money on; spending never leaves arrears.
        """
        own = max(self.budget(), 0.0)
        if amount > own:
            amount = own + self.borrow(amount - own, purpose)
        self.receive(-amount)
        self.spent[purpose] = self.spent.get(purpose, 0.0) + amount
        return amount

    def outlook(self) -> Outlook:
        """The step's finances as a planning public investor sees them."""
        if self.actor is not None and self.rents is not None:
            bills = float(self.rents.actors.at[self.actor, "spending"])
        elif self.rents is not None:
            bills = float(self.rents.accounts.at["public", "spending"])
        else:
            bills = 0.0
        transfers = self.spent.get("subsidies", 0.0) + self.spent.get("tax_cuts", 0.0)
        return Outlook(revenue=self.revenue, spending=bills + self.interest + transfers, cash=max(self.budget(), 0.0),
                       debt=self.phases.state.public_debt, interest_rate=self.rate)

    # ------------------------------------------------------------------ investment
    def available(self, actor: str, budget: float) -> float:
        """What ``actor`` can spend on investment now."""
        if actor != self.actor:
            return budget
        return max(budget, 0.0) + self.room("investment")

    def spend(self, actor: str, cost: float, state: State) -> None:
        """Pay ``cost`` from ``actor``'s budget (to world), borrowing the public's shortfall."""
        if actor == self.actor:
            shortfall = cost - max(self.budget(), 0.0)
            if shortfall > 0:
                self.borrow(shortfall, "investment")
            self.spent["investment"] = self.spent.get("investment", 0.0) + cost
        state.budgets[actor] = state.budgets.get(actor, 0.0) - cost


def _subsidy_weights(phases: World) -> dict[str, float]:
    """Each private infrastructure owner's upkeep per step (its share of the subsidies); by count when all are free."""
    infra = phases.network.infrastructures
    public = set(phases.network.public_actors)
    actors = set(phases.network.actors.index)
    owners = infra["owner"].to_numpy(dtype=object)
    upkeep = infra["upkeep"].fillna(0.0).to_numpy(dtype=float)
    private = [i for i, owner in enumerate(owners.tolist()) if owner in actors and owner not in public]
    by_upkeep = math.fsum(upkeep[i] for i in private) > 0
    weights: dict[str, float] = {}
    for i in private:
        weights[owners[i]] = weights.get(owners[i], 0.0) + (float(upkeep[i]) if by_upkeep else 1.0)
    return weights
