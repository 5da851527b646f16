"""Investment strategies ("programs" that process the dependency network by rules).

A strategy is a plain callable with one signature::

    def strategy(context: Context) -> Move | None

It looks at the network through ``context`` and returns the move its owner
makes this step, or None. Register your own with :func:`register` and name it
in a scenario's ``investors``.

Shipped strategies (docs/simulation.md#moves-and-strategies):

- ``greedy``: among ``candidates`` sampled moves, the one with the largest
  estimated gain in the owner's power share per unit cost (positive gains
  only, within budget): a generalization of the maximum betweenness
  improvement problem.
- ``preferential``: a sampled move whose rerouted provider or new dependents
  are drawn in proportion to how many already depend on them (rich get
  richer); no evaluation.
- ``random``: a uniformly drawn affordable candidate.
- ``public``: serves needs first, else substitutes a toll-free route for the
  tolled infrastructure that costs dependents most; takes no toll.
- ``public_planned``: the move ``public`` would make, but only when the
  public's revenue of the step covers its bills (interest included), the new
  infrastructure's upkeep and the interest on what it would borrow for it:
  it builds only what it can maintain.
- ``none``: never invests.

Examples
--------
>>> from dependencia.simulation.strategies import STRATEGIES, register
>>> sorted(STRATEGIES)
['greedy', 'none', 'preferential', 'public', 'public_planned', 'random']
>>> def cautious(context):   # a user strategy: greedy, but only with a large budget
...     return STRATEGIES["greedy"](context) if context.budget > 50 else None
>>> register("cautious", cautious)
>>> "cautious" in STRATEGIES
True
>>> del STRATEGIES["cautious"]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import UsageError
from .moves import Move, sample_candidates

if TYPE_CHECKING:
    from ..network.model import Network
    from .world import Outlook

__all__ = ["STRATEGIES", "Context", "Strategy", "register"]

Strategy = Callable[["Context"], "Move | None"]


@dataclass
class Context:
    """What a strategy sees and can do in one step.

    Attributes
    ----------
    actor : str
        The investor.
    budget : float
        What it can spend now (for the public account: budget plus the
        borrowing the debt brake still allows).
    network : Network
        The network as it is now.
    power : pandas.DataFrame
        Power at the start of the step (:func:`~dependencia.power`, raw).
    rng : numpy.random.Generator
        The step's generator; use only this for randomness.
    settings : Any
        The simulation configuration.
    outlook : Outlook or None
        The public account's finances of the step (:class:`~.world.Outlook`)
        when the investor is the public account, else None.
    """

    actor: str
    budget: float
    network: "Network"
    power: pd.DataFrame
    rng: np.random.Generator
    settings: Any
    _scorer: Callable[[list[Move]], np.ndarray] | None = field(repr=False, default=None)
    _unit_costs: Callable[[], pd.DataFrame] | None = field(repr=False, default=None)
    outlook: "Outlook | None" = None

    @property
    def controlled(self) -> frozenset[str]:
        """The actors and infrastructures the investor controls."""
        return self.network.controls(self.actor)

    def candidates(self, count: int | None = None, *, kinds: tuple[str, ...] | None = None) -> list[Move]:
        """Up to ``count`` (default: the configured number) sampled candidate moves."""
        infra = self.settings.infrastructure
        options = {} if kinds is None else {"kinds": kinds}
        return sample_candidates(
            self.network, self.actor, self.controlled, self.rng, count=count or self.settings.candidates,
            move_size=infra.move_size, build_cost=infra.build_cost, extend_cost=infra.extend_cost, **options,
        )

    def score(self, moves: list[Move]) -> np.ndarray:
        """Estimated gain in the investor's power share of each move (see :mod:`.evaluate`)."""
        if self._scorer is None:
            raise UsageError(f"this Context of {self.actor!r} cannot score moves: it was made without a scorer "
                             "(the simulation gives every strategy one)")
        return self._scorer(moves)

    def route_costs(self) -> pd.DataFrame:
        """Per dependency row: ``unit_cost`` to its payer (price x (1 + tolls)), ``tolled_by`` (the costliest toll)."""
        if self._unit_costs is None:
            raise UsageError(f"this Context of {self.actor!r} has no route costs: it was made without them "
                             "(the simulation gives every strategy them)")
        return self._unit_costs()


STRATEGIES: dict[str, Strategy] = {}


def register(name: str, strategy: Strategy) -> None:
    """Make ``strategy`` available under ``name`` in scenario files."""
    if not callable(strategy):
        raise UsageError(f"strategy {name!r} must be callable")
    STRATEGIES[name] = strategy


def get(name: str) -> Strategy:
    """The strategy registered under ``name``."""
    if name not in STRATEGIES:
        raise UsageError(f"unknown strategy {name!r}; known: {', '.join(sorted(STRATEGIES))}")
    return STRATEGIES[name]


def greedy(context: Context) -> Move | None:
    """The affordable candidate with the largest positive share gain per unit cost."""
    moves = [m for m in context.candidates() if m.cost <= context.budget]
    if not moves:
        return None
    gains = context.score(moves)
    value = gains / np.array([max(m.cost, 1e-12) for m in moves])
    best = int(np.argmax(value))
    return moves[best] if gains[best] > 0 else None


def preferential(context: Context) -> Move | None:
    """A candidate drawn with probability proportional to 1 + the dependents it touches."""
    moves = [m for m in context.candidates() if m.cost <= context.budget and m.kind in ("concentrate", "create")]
    if not moves:
        return None
    deps = context.network.dependencies
    dependents = deps.groupby("provider")["dependent"].nunique()
    weights: list[float] = []
    for move in moves:
        if move.kind == "concentrate":
            provider = deps["provider"].iat[move.rows[0]]
            weights.append(1.0 + float(dependents.get(provider, 0)))
        else:
            weights.append(1.0 + float(sum(dependents.get(d, 0) for d in move.dependents)))
    weight = np.asarray(weights)
    return moves[int(context.rng.choice(len(moves), p=weight / weight.sum()))]


def random(context: Context) -> Move | None:
    """A uniformly drawn affordable candidate."""
    moves = [m for m in context.candidates() if m.cost <= context.budget]
    return moves[int(context.rng.integers(len(moves)))] if moves else None


def public(context: Context) -> Move | None:
    """Serve needs; else offer a toll-free route instead of the costliest tolled infrastructure."""
    cost = context.settings.infrastructure.build_cost
    if cost > context.budget:
        return None
    moves = context.candidates(kinds=("serve",))
    if moves:
        return max(moves, key=lambda m: (len(m.rows), m.dimension))
    return substitute(context)


def substitute(context: Context) -> Move | None:
    """A public move: a toll-free infrastructure replacing the tolled one that costs dependents most."""
    cost = context.settings.infrastructure.build_cost
    if cost > context.budget:
        return None
    routes = context.route_costs()
    tolled = routes[routes["tolled_by"].notna() & (routes["toll"] > 0)]
    if not len(tolled):
        return None
    burden = tolled.groupby(["tolled_by", "dimension"], sort=True)["toll"].sum()
    (infrastructure, dimension), _ = max(burden.items(), key=lambda item: (item[1], item[0]))
    rows = tolled.index[(tolled["tolled_by"] == infrastructure).to_numpy()
                        & (tolled["dimension"] == dimension).to_numpy()]
    size = context.settings.infrastructure.move_size
    rows = tuple(int(r) for r in rows[:size])
    return Move("substitute", context.actor, dimension, cost, rows=rows, replaces=infrastructure)


def public_planned(context: Context) -> Move | None:
    """The ``public`` move, made only when the step's revenue can maintain it (and pay its interest).

    With ``outlook`` the step's public finances: revenue - spending (bills
    and interest) must cover the new infrastructure's upkeep (none for an
    extension) plus the interest rate x what the move would borrow (its cost
    beyond the cash). An investor that is not the public account has no
    outlook and does not invest.
    """
    outlook = context.outlook
    if outlook is None:
        return None
    move = public(context)
    if move is None:
        return None
    upkeep = context.settings.infrastructure.upkeep if move.builds else 0.0
    borrowed = max(move.cost - outlook.cash, 0.0)
    surplus = outlook.revenue - outlook.spending
    return move if surplus >= upkeep + outlook.interest_rate * borrowed else None


def none(context: Context) -> Move | None:
    """Never invest."""
    return None


for _name, _strategy in (("greedy", greedy), ("preferential", preferential), ("random", random),
                         ("public", public), ("public_planned", public_planned), ("none", none)):
    register(_name, _strategy)
