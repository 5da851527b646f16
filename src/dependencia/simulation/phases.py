"""The phases of one step (docs/simulation.md#one-step), in order: measure, pay, invest, adopt, spill over, decay, record.

Policies act inside the phase they concern (:mod:`.policies`): antitrust and
interoperability after measuring, the rent tax when paying, the debt brake
and the fiscal rule when the public borrows (pay phase for interest, bills,
subsidies and tax cuts; invest phase for building; decay phase for rescues),
the public option when investing, privatization when decaying
(:mod:`.privatization`). Who takes a creating move, and who leaves a tolled
route, is :mod:`.adoption`.

Modelling choices, each a parameter of :class:`~.config.SimulationConfig`:
power is measured at the start of the step (exact, or approximate with
``measure.epsilon``); a new infrastructure takes no toll for
``infrastructure.intro_steps`` steps; a dependent adopts a rerouting when its
cost per unit (price x (1 + tolls)) is at most (1 - switching_cost) x the old
one; insolvency applies to infrastructure owners and investors (households'
budgets may go negative: they earn wages only where the network has a labour
dimension, docs/economics.md#wages).
"""

from __future__ import annotations

import time
from typing import TypedDict

import numpy as np
import pandas as pd

from ..economics.config import Economy
from ..economics.rents import Rents, account, public_account, route_costs
from ..errors import UsageError
from ..graph.compiled import compile_graph, compiled_once
from ..measures.power import graph_power
from ..measures.reach import reach
from ..network import edits
from ..network.model import Network
from . import adoption, policies, strategies
from .config import SimulationConfig
from .moves import Move, apply_move, check_move
from .results import Recorder
from .scoring import StepScorer
from .state import State
from .world import Measurement, PublicFinances

__all__ = ["Phases"]


class _PowerOptions(TypedDict, total=False):
    """The keyword arguments of :func:`~dependencia.measures.power.graph_power` the measure phase sets."""

    workers: int | None
    scheduler: str | None
    epsilon: float
    delta: float
    seed: int
    exact: bool


class Phases:
    """One simulation's network and state, advanced step by step."""

    def __init__(self, network: Network, state: State, recorder: Recorder, config: SimulationConfig, *,
                 workers: int | None = None, scheduler: str | None = None):
        self.network = network
        self.state = state
        self.recorder = recorder
        self.config = config
        self.workers, self.scheduler = workers, scheduler  # for the measure phase's power (same values for any)
        self.measured: Measurement | None = None
        self._scorer: StepScorer | None = None  # the invest phase's, shared by its investors
        self._held_costs: tuple | None = None  # the invest phase's route costs (see route_costs)

    # ------------------------------------------------------------------ set-up
    @staticmethod
    def check(network: Network, config: SimulationConfig) -> None:
        """Refuse a configuration that does not fit the network (unknown actors, strategies, dimensions)."""
        for i, investor in enumerate(config.investors):
            try:
                strategies.get(investor.strategy)
            except UsageError as problem:
                raise UsageError(f"investors[{i}].strategy: {problem}") from None
            if investor.actor is not None and investor.actor not in network.actors.index:
                raise UsageError(f"investors[{i}].actor: no actor {investor.actor!r} in the network")
        known = set(network.dimensions.index)
        for name, dims in (("measure.dimensions", config.measure.dimensions),
                           ("spillover.dimensions", config.spillover.dimensions)):
            unknown = sorted(set(dims or ()) - known)
            if unknown:
                raise UsageError(f"{name}: unknown dimension {unknown[0]!r}; the network has: {', '.join(sorted(known))}")
        if config.economy.public_account is not None and config.economy.public_account not in network.actors.index:
            raise UsageError(f"economy.public_account: no actor {config.economy.public_account!r}")
        has_state = config.economy.public_account is not None or (network.actors["kind"] == "state").any()
        if config.policies.public_option.enabled and not has_state:
            raise UsageError("policies.public_option needs a public actor that can own infrastructure: "
                             "add an actor of kind 'state' (or name one in economy.public_account)")

    @staticmethod
    def initial_state(network: Network, config: SimulationConfig) -> State:
        budgets = network.actors["budget"].fillna(config.initial_budget).astype(float)
        public = set(network.public_actors)
        origin = sorted(x for x, owner in network.infrastructures["owner"].items() if owner in public)
        return State(budgets={str(k): float(v) for k, v in budgets.items()}, public_origin=origin)

    # ------------------------------------------------------------------ the step
    def step(self, timings: dict[str, float]) -> None:
        t = self.state.step
        rng = np.random.default_rng([self.config.seed, t])
        clock = _Clock(timings)
        with compiled_once():  # a graph compiled in the step serves every phase that needs it (the same values)
            measured = clock.time("measure", self._measure, t)
            self.measured = measured
            clock.time("policies", self._after_measure, t, measured)
            paid = clock.time("pay", self._pay, t, measured)
            proposals = clock.time("invest", self._invest, t, measured, paid, rng)
            adopted = clock.time("adopt", self._adopt, t, proposals, paid, measured)
            clock.time("spillover", self._spillover, t, rng)
            clock.time("decay", self._decay, t)
            clock.time("record", self._record, t, measured, paid, len(proposals), adopted)
        self.state.step += 1

    # measure ---------------------------------------------------------------
    def _measure(self, t: int) -> Measurement:
        net, cfg = self.network, self.config.measure
        dims = cfg.dimensions
        options: _PowerOptions = {"workers": self.workers, "scheduler": self.scheduler}
        if cfg.epsilon is not None:
            options.update({"epsilon": cfg.epsilon, "delta": cfg.delta, "seed": self.config.seed * 100_003 + t,
                            "exact": False})
        graph = compile_graph(net, dimensions=dims, paths=cfg.paths)
        raw = graph_power(net, graph, normalized=False, node_betweenness=False, **options)
        by_dimension, reached = {}, {"*": reach(net, dimensions=list(graph.dimensions), paths=cfg.paths)}
        for k in sorted(net.dependencies["dimension"].unique()):
            if graph.dimensions == (k,):  # the aggregate is this dimension's graph: no second pass
                by_dimension[k] = raw.assign(power=_normalized(net, raw["power"].to_numpy()))
                reached[k] = reached["*"]
                continue
            by_dimension[k] = graph_power(net, compile_graph(net, dimensions=[k], paths=cfg.paths),
                                          node_betweenness=False, **options)
            reached[k] = reach(net, dimensions=[k], paths=cfg.paths)
        return Measurement(raw=raw, normalized=_normalized(net, raw["power"].to_numpy()), by_dimension=by_dimension,
                           graph_dimensions=graph.dimensions, reach=reached)

    def _after_measure(self, t: int, measured: Measurement) -> None:
        rules = self.config.policies
        if rules.antitrust.enabled:
            self.network = policies.antitrust(self, t, measured, rules.antitrust.cap)
        if rules.interoperability.enabled:
            self.network = policies.interoperability(self, t, measured, rules.interoperability.threshold)

    # pay -------------------------------------------------------------------
    def economy(self) -> Economy:
        economy = self.config.economy
        if self.config.policies.rent_tax.enabled:
            economy = economy.replace(rent_tax=self.config.policies.rent_tax.rate)
        return economy

    def intro_tolls(self, t: int) -> dict[str, float]:
        """Toll overrides: new infrastructure takes none during its introductory steps."""
        infra = self.network.infrastructures.index
        intro = self.config.infrastructure.intro_steps
        return {x: 0.0 for x, built in sorted(self.state.built.items()) if x in infra and t < built + intro}

    def _pay(self, t: int, measured: Measurement) -> Rents:
        net = self.network
        economy = self.economy()
        rents = account(net, net.dependencies, economy, measured.raw["power_share"], measured.shares(),
                        toll_overrides=self.intro_tolls(t))
        budgets = self.state.budgets
        for actor, value in rents.actors["net"].items():
            budgets[actor] = budgets.get(actor, self.config.initial_budget) + float(value)
        self.public = PublicFinances.start(self, rents)
        return rents

    def public_actor(self) -> str | None:
        """The actor that is the public account, or None when it is created for the run."""
        return public_account(self.network, self.config.economy)

    # invest ----------------------------------------------------------------
    def investors(self, rng: np.random.Generator) -> list[tuple[str, str]]:
        """(actor, strategy) of every investor, in an order drawn with ``rng``."""
        chosen = self.strategies()
        names = sorted(chosen)
        return [(names[i], chosen[names[i]]) for i in rng.permutation(len(names))]

    def strategies(self) -> dict[str, str]:
        """The strategy of every investing actor: listed ones, every actor of a listed kind, the public option."""
        chosen: dict[str, str] = {}
        actors = self.network.actors
        for investor in self.config.investors:
            if investor.actor is not None:
                if investor.actor in actors.index:
                    chosen.setdefault(investor.actor, investor.strategy)
            else:
                for actor in sorted(actors.index[(actors["kind"] == investor.kind).to_numpy()]):
                    chosen.setdefault(actor, investor.strategy)
        public = self.public_actor()
        if self.config.policies.public_option.enabled and public is not None:
            chosen.setdefault(public, "public")
        return chosen

    def _invest(self, t: int, measured: Measurement, paid: Rents, rng: np.random.Generator) -> list[tuple[Move, str]]:
        proposals: list[tuple[Move, str]] = []
        order = self.investors(rng)
        self._scorer = StepScorer(self, [actor for actor, _ in order])
        self._held_costs = ()  # held for the phase: it changes the network only by building (route_costs)
        try:
            for actor, name in order:
                self._propose(t, actor, name, measured, paid, rng, proposals)
        finally:
            self._scorer, self._held_costs = None, None
        return proposals

    def _propose(self, t: int, actor: str, name: str, measured: Measurement, paid: Rents, rng: np.random.Generator,
                 proposals: list[tuple[Move, str]]) -> None:
        """Ask the strategy of one investor for its move; a valid one is built and added to ``proposals``."""
        available = self.public.available(actor, self.state.budgets.get(actor, 0.0))
        if available <= 0:
            return
        context = strategies.Context(
            actor=actor, budget=available, network=self.network, power=measured.raw, rng=rng,
            settings=self.config, _scorer=lambda moves: self.score(actor, moves, measured, paid, t, rng),
            _unit_costs=lambda: self.route_costs(paid, measured, t),
            outlook=self.public.outlook() if actor == self.public.actor else None,
        )
        move = strategies.get(name)(context)
        if move is None:
            return
        if not isinstance(move, Move) or move.actor != actor:
            raise UsageError(f"strategy {name!r} returned an invalid move for {actor!r}: {move!r}")
        check_move(move, self.network, self.network.controls(actor))
        if move.cost > available + 1e-9:
            raise UsageError(f"strategy {name!r} returned an invalid move for {actor!r}: it costs {move.cost:g}, "
                             f"more than it can spend ({available:g})")
        proposals.append((move, self._build(t, move)))

    def _build(self, t: int, move: Move) -> str:
        self.public.spend(move.actor, move.cost, self.state)
        public = move.actor in set(self.network.public_actors)
        infra_id = move.infrastructure
        if infra_id is None:  # the move builds (Move.builds)
            self.state.counter += 1
            infra_id = f"{move.actor}/infra-{self.state.counter}"
            attributes = {"toll": 0.0} if public else {}
            self.network = edits.add_infrastructure(
                self.network, infra_id, owner=move.actor, dimensions=(move.dimension,),
                build_cost=self.config.infrastructure.build_cost, upkeep=self.config.infrastructure.upkeep,
                **attributes,
            ).network
            if public:
                self.state.public_origin = sorted({*self.state.public_origin, infra_id})
        self.state.built[infra_id] = t
        self.recorder.event(t, "build", move.actor, infra_id, **move.describe())
        return infra_id

    def route_costs(self, paid: Rents, measured: Measurement, t: int) -> pd.DataFrame:
        """Per dependency row, what a unit costs its payer now (:func:`~dependencia.economics.rents.route_costs`).

        Within the invest phase the network changes only by new infrastructures (``_build``), which no
        route of the unchanged dependencies table passes, and by the introductory terms of what was
        built or extended (``state.built``): the costs are computed once for the phase and computed
        again when the table or the introductory tolls of the infrastructures it knew change (each
        caller gets a copy of its own).
        """
        overrides = self.intro_tolls(t)
        held = self._held_costs
        if held and held[0] is self.network.dependencies and held[1] is paid and held[2] is measured \
                and held[3] == t and {x: v for x, v in overrides.items() if x in held[4]} == held[5]:
            return held[6].copy()
        costs = route_costs(self.network, self.economy(), paid.prices, measured.shares(), toll_overrides=overrides)
        if held is not None:
            self._held_costs = (self.network.dependencies, paid, measured, t,
                                set(self.network.infrastructures.index), overrides, costs)
            return costs.copy()
        return costs

    def adopters(self, move: Move, costs: pd.DataFrame) -> tuple[int, ...]:
        """The rows of a rerouting move whose dependents take the new route."""
        if move.kind not in ("concentrate", "extend", "substitute"):
            return move.rows
        rows = [r for r in move.rows if r < len(costs)]
        old = costs["unit_cost"].to_numpy()[rows]
        price = costs["price"].to_numpy()[rows]
        rate = self.toll_of_move(move)
        if move.kind == "substitute":
            new = old - price * self.route_costs_of(move.replaces, rows, costs) + price * rate
        else:
            new = old + price * rate
        keep = new <= (1.0 - self.config.adoption.switching_cost) * old + 1e-12 * np.maximum(old, 1.0)
        return tuple(r for r, k in zip(rows, keep) if k)

    def taken(self, move: Move, costs: pd.DataFrame) -> Move:
        """``move`` as its dependents take it: the adopting rows of a rerouting, the adopters of a creation."""
        if move.kind in ("concentrate", "extend", "substitute"):
            rows = self.adopters(move, costs)
            return Move(move.kind, move.actor, move.dimension, move.cost, rows=rows,
                        infrastructure=move.infrastructure, replaces=move.replaces)
        if move.kind == "create" and self.config.adoption.create != "always" and self.public.rents is not None:
            return adoption.create_taken(self, move, costs, self.public.rents, self.toll_of_move(move))
        return move

    def toll_of_move(self, move: Move) -> float:
        """The toll rate the move's infrastructure charges the dependents it wins over, now."""
        if self.config.infrastructure.intro_steps > 0:
            return 0.0  # new and extended infrastructure starts on introductory terms
        economy = self.economy()
        if move.actor in set(self.network.public_actors):
            return 0.0 if economy.public_toll is None else economy.public_toll
        if not move.builds and "toll" in self.network.infrastructures.columns:
            given = self.network.infrastructures.at[move.infrastructure, "toll"]
            if given == given and given is not None:
                return float(given)
        share = self.measured.shares().get(move.dimension) if self.measured is not None else None
        return economy.markup(float(share.get(move.actor, 0.0)) if share is not None else 0.0)

    def route_costs_of(self, infrastructure: str | None, rows: list[int], costs: pd.DataFrame) -> np.ndarray:
        """Toll rate of ``infrastructure`` on each row's route (0 where it is not on it)."""
        by = costs["tolled_by"].to_numpy(dtype=object)[rows]
        toll = costs["toll"].to_numpy()[rows]
        return np.where(by == infrastructure, toll, 0.0)

    def score(self, actor: str, moves: list[Move], measured: Measurement, paid: Rents, t: int,
              rng: np.random.Generator) -> np.ndarray:
        """Estimated gain in ``actor``'s power share of each move, others' power held fixed (see :mod:`.evaluate`)."""
        change = self.power_changes(actor, moves, self.route_costs(paid, measured, t), measured, rng)
        total = measured.total_raw
        own = float(measured.raw["power"].get(actor, 0.0))
        before = own / total if total > 0 else 0.0
        after = np.divide(own + change, total + change, out=np.zeros(len(change)), where=total + change > 0)
        return np.where(change != 0, after - before, 0.0)

    def power_changes(self, actor: str, moves: list[Move], costs: pd.DataFrame, measured: Measurement,
                      rng: np.random.Generator) -> np.ndarray:
        """Change of ``actor``'s raw power (ordered actor pairs) each move would bring (:class:`.scoring.StepScorer`).

        Within the invest phase one scorer serves every investor of the step;
        outside it (a test, a caller of its own) a scorer is made for the call.
        """
        scorer = self._scorer if self._scorer is not None else StepScorer(self, [actor])
        return scorer.power_changes(actor, moves, costs, rng)

    # adopt -----------------------------------------------------------------
    def _adopt(self, t: int, proposals: list[tuple[Move, str]], paid: Rents, measured: Measurement) -> int:
        adopted = 0
        by_need = self.config.adoption.create != "always"
        for move, infra_id in proposals:
            costs = self.route_costs(paid, measured, t)
            channel = "public" if move.actor in set(self.network.public_actors) else "market"
            if move.kind == "create" and by_need:
                self.network, count = adoption.apply_create(self.network, self.taken(move, costs), infra_id,
                                                            channel=channel)
            else:
                self.network, count = apply_move(self.network, move, infra_id, self.adopters(move, costs),
                                                 channel=channel)
            adopted += count
            kind = "reroute" if move.kind in ("concentrate", "extend", "substitute") else "adopt"
            self.recorder.event(t, kind, move.actor, infra_id, move=move.kind,
                                offered=len(move.rows) or len(move.dependents), adopted=count)
        if self.config.adoption.exit:
            adoption.exits(self, t, self.route_costs(paid, measured, t))
        return adopted

    # spill over ------------------------------------------------------------
    def _spillover(self, t: int, rng: np.random.Generator) -> None:
        policies.spillover(self, t, rng)

    # decay -----------------------------------------------------------------
    def _decay(self, t: int) -> None:
        policies.decay(self, t)

    # record ----------------------------------------------------------------
    def _record(self, t: int, measured: Measurement, paid: Rents, built: int, adopted: int) -> None:
        from .record import record_step

        record_step(self, t, measured, paid, built, adopted)


def _normalized(network: Network, raw: np.ndarray) -> np.ndarray:
    """Normalized power from raw (directed) power: divide by the ordered pairs outside each controlled set."""
    actors = set(network.actors.index)
    n = network.n_actors
    groups = network.control_groups()
    c = np.array([len(groups[a] & actors) for a in network.actors.index], dtype=float)
    pairs = (n - c) * (n - c - 1)
    return np.divide(raw, pairs, out=np.zeros(len(raw)), where=pairs > 0)


class _Clock:
    def __init__(self, timings: dict[str, float]):
        self.timings = timings

    def time(self, name, function, *args):
        start = time.perf_counter()
        try:
            return function(*args)
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start

