"""What the phases of a step share: the measurement at its start, the public account, and the world.

:class:`Measurement` is power at the start of a step; :class:`PublicFinances`
the public account's borrowing in that step (the debt brake:
docs/simulation.md#one-step); :class:`World` what policies and the recorder
read and change of the step in progress (:class:`~.phases.Phases` is the one
world the runner makes). Policies and the recorder depend on this module, not
on :mod:`.phases`, so that the phases can call them without a cycle.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from ..economics.rents import Rents
    from ..network.model import Network
    from .config import SimulationConfig
    from .results import Recorder
    from .state import State

__all__ = ["Measurement", "PublicFinances", "World"]


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

    def public_actor(self) -> str | None:
        """The public actor's id, or None when the public is an account without an actor."""
        ...

    def strategies(self) -> dict[str, str]:
        """Each investor's strategy, by actor id."""
        ...


@dataclass
class PublicFinances:
    """The public account's borrowing in one step."""

    phases: World
    actor: str | None
    cap_left: float
    borrowed: float = 0.0

    @classmethod
    def start(cls, phases: World, rents: "Rents") -> PublicFinances:
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
        finances = cls(phases, actor, cap)
        if finances.budget() < 0:
            finances.borrow(-finances.budget(), "operations")
        return finances

    def budget(self) -> float:
        state = self.phases.state
        return state.budgets.get(self.actor, 0.0) if self.actor is not None else state.public_budget

    def receive(self, amount: float) -> None:
        """Add ``amount`` to the public budget (a sale's price, a loan)."""
        state = self.phases.state
        if self.actor is not None:
            state.budgets[self.actor] = state.budgets.get(self.actor, 0.0) + amount
        else:
            state.public_budget += amount

    def capped(self, purpose: str) -> bool:
        brake = self.phases.config.policies.debt_brake
        return brake.enabled and purpose not in brake.exempt

    def borrow(self, amount: float, purpose: str) -> float:
        """Borrow up to ``amount`` from the lender for ``purpose``; returns what was allowed."""
        allowed = min(amount, self.cap_left) if self.capped(purpose) else amount
        if self.capped(purpose):
            self.cap_left -= allowed
            if allowed < amount:
                self.phases.recorder.event(self.phases.state.step, "policy", self.actor, None, policy="debt_brake",
                                           purpose=purpose, wanted=amount, allowed=allowed)
        if allowed > 0:
            self.phases.state.public_debt += allowed
            self.borrowed += allowed
            self.receive(allowed)
        return allowed

    def available(self, actor: str, budget: float) -> float:
        """What ``actor`` can spend on investment now."""
        if actor != self.actor:
            return budget
        room = self.cap_left if self.capped("investment") else math.inf
        return max(budget, 0.0) + room

    def spend(self, actor: str, cost: float, state: State) -> None:
        """Pay ``cost`` from ``actor``'s budget (to world), borrowing the public's shortfall."""
        if actor == self.actor:
            shortfall = cost - max(self.budget(), 0.0)
            if shortfall > 0:
                self.borrow(shortfall, "investment")
        state.budgets[actor] = state.budgets.get(actor, 0.0) - cost
