"""Stock-flow consistent bookkeeping: every flow has a payer, a payee and a kind.

Accounts are the network's actors (by position) followed by the accounts the
network does not model: ``world`` (what leaves the network: costs it does not
model, build costs, upkeep), ``lender`` (from whom the public borrows) and,
when the network has no actor of kind ``state``, a ``public`` account created
for the run.

The kind of a flow is the recipient's income source (``markup``,
``cost_recovery``, ``transfer``, ``toll``, ``tax``, ``wages``) or the purpose of a
payment that leaves the network (``cost``, ``upkeep``, ``build``) or finances
the public (``borrowing``).

Examples
--------
>>> import numpy as np
>>> ledger = Ledger(["ann", "shop"], public=None)
>>> ledger.pay(np.array([0]), np.array([1]), "markup", np.array([2.5]))
>>> ledger.pay(np.array([1]), np.array([ledger.world]), "cost", np.array([1.0]))
>>> ledger.received("markup").tolist(), ledger.paid().tolist()
([0.0, 2.5, 0.0, 0.0, 0.0], [2.5, 1.0, 0.0, 0.0, 0.0])
>>> ledger.check_conservation()
3.5
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import DependenciaError

__all__ = ["FLOW_KINDS", "ConservationError", "Ledger", "TOLERANCE"]

FLOW_KINDS = ("markup", "cost_recovery", "transfer", "toll", "tax", "cost", "upkeep", "build", "borrowing", "wages")
#: Relative tolerance of the conservation check (docs/economics.md#the-rules, rule 9).
TOLERANCE = 1e-9
WORLD, LENDER, PUBLIC = "world", "lender", "public"


class ConservationError(DependenciaError, ArithmeticError):
    """Money was created or destroyed: total paid differs from total received."""


class Ledger:
    """The flows of one period between the actors and the outside accounts.

    Parameters
    ----------
    actors : sequence of str
        Actor ids, in the network's order; account ``i < len(actors)`` is actor ``i``.
    public : int or None
        Position of the actor that is the public account, or None to create a
        ``public`` account for the run.
    """

    def __init__(self, actors: Sequence[object] | pd.Index, *, public: int | None) -> None:
        self.n_actors = len(actors)
        self.names = [str(a) for a in actors] + [WORLD, LENDER]
        self.world = self.n_actors
        self.lender = self.n_actors + 1
        if public is None:
            self.names.append(PUBLIC)
            public = self.n_actors + 2
        self.public = public
        self._payer: list[np.ndarray] = []
        self._payee: list[np.ndarray] = []
        self._kind: list[np.ndarray] = []
        self._amount: list[np.ndarray] = []

    @property
    def n_accounts(self) -> int:
        return len(self.names)

    @property
    def created_public(self) -> bool:
        """Whether the public account was created for the run (the network has no state)."""
        return self.public >= self.n_actors

    def pay(self, payer: np.ndarray, payee: np.ndarray, kind: str, amount: np.ndarray) -> None:
        """Record flows ``payer[i] -> payee[i]`` of ``amount[i]``; flows to oneself and zero flows are dropped."""
        if kind not in FLOW_KINDS:
            raise ValueError(f"unknown flow kind {kind!r}")
        payer, payee = np.asarray(payer, dtype=np.int64), np.asarray(payee, dtype=np.int64)
        amount = np.asarray(amount, dtype=float)
        for side in (payer, payee):
            if len(side) and (side.min() < 0 or side.max() >= self.n_accounts):
                raise ConservationError(f"a {kind} flow names an account that does not exist")
        if not np.isfinite(amount).all():
            raise ConservationError(f"a {kind} flow has a non-finite amount")
        keep = (payer != payee) & (amount != 0.0)
        self._payer.append(payer[keep])
        self._payee.append(payee[keep])
        self._kind.append(np.full(int(keep.sum()), FLOW_KINDS.index(kind), dtype=np.int8))
        self._amount.append(amount[keep])

    def _arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        if not self._amount:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0, dtype=np.int8), np.zeros(0)
        return (np.concatenate(self._payer), np.concatenate(self._payee), np.concatenate(self._kind),
                np.concatenate(self._amount))

    def received(self, *kinds: str) -> np.ndarray:
        """Total received per account, over flows of the given kinds (all kinds when none given)."""
        payer, payee, kind, amount = self._arrays()
        mask = self._kinds_mask(kind, kinds)
        return np.bincount(payee[mask], weights=amount[mask], minlength=self.n_accounts).astype(float)

    def paid(self, *kinds: str) -> np.ndarray:
        """Total paid per account, over flows of the given kinds (all kinds when none given)."""
        payer, payee, kind, amount = self._arrays()
        mask = self._kinds_mask(kind, kinds)
        return np.bincount(payer[mask], weights=amount[mask], minlength=self.n_accounts).astype(float)

    @staticmethod
    def _kinds_mask(kind: np.ndarray, kinds: tuple[str, ...]) -> np.ndarray:
        if not kinds:
            return np.ones(len(kind), dtype=bool)
        return np.isin(kind, [FLOW_KINDS.index(k) for k in kinds])

    def flows(self) -> pd.DataFrame:
        """Flows summed by (payer, payee, kind): ``payer``, ``payee``, ``kind``, ``amount``."""
        payer, payee, kind, amount = self._arrays()
        names = np.array(self.names, dtype=object)
        frame = pd.DataFrame({
            "payer": pd.Series(names[payer], dtype=object),
            "payee": pd.Series(names[payee], dtype=object),
            "kind": pd.Series(np.array(FLOW_KINDS, dtype=object)[kind], dtype=object),
            "amount": amount,
        })
        return frame.groupby(["payer", "payee", "kind"], sort=True, as_index=False)["amount"].sum()

    def total(self) -> float:
        """The sum of all flows, correctly rounded (``math.fsum``).

        Every flow is paid once and received once, so this is both total
        paid and total received; :meth:`check_conservation` checks that the
        accounts' own sums agree with each other.
        """
        return math.fsum(self._arrays()[3].tolist())

    def check_conservation(self) -> float:
        """Total paid over all accounts; raises :class:`ConservationError` if it differs from total received.

        The two totals are summed independently (by payer and by payee);
        :meth:`pay` already refuses flows with an unknown account or a
        non-finite amount.
        """
        paid, received = self.paid(), self.received()
        return check_totals(float(paid.sum()), float(received.sum()))


def check_totals(paid: float, received: float) -> float:
    """Raise :class:`ConservationError` unless ``paid`` equals ``received`` to relative 1e-9; return ``paid``."""
    scale = max(abs(paid), abs(received))
    if not (np.isfinite(paid) and np.isfinite(received)) or abs(paid - received) > TOLERANCE * scale:
        raise ConservationError(
            f"money is not conserved: total paid {paid!r} but total received {received!r} "
            f"(relative difference above {TOLERANCE:g})"
        )
    return paid
