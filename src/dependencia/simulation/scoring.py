"""Scoring the candidate moves of one step's investors on one compiled graph (docs/simulation.md#moves-and-strategies).

A :class:`StepScorer` compiles the aggregate graph once per step, not once
per investor, and keeps every source actor's path shares through each
investor's controlled nodes on the graph as it is (the "before" sums of
:mod:`.evaluate`) for the whole step: a source that several moves of an
investor affect is searched once for it, with the one-group kernel of
:mod:`.batch_search` (the same bits as that investor's column of
:func:`.evaluate.source_sums`; a source is wanted by 1.7 investors on
average at 10,000 actors, and a search for ten groups at once costs about
twice one for a single group). Within the invest phase the network
changes only by new infrastructures with no routes yet, which add no path,
so those sums stay valid; the graph is compiled again (and the sums
dropped) only when the dependencies themselves change. Every value is the
same bytes as scoring each investor on a freshly compiled graph: nodes
added since keep the relative order of the others, and the searches add the
same numbers in the same order.

Examples
--------
>>> import numpy as np
>>> import dependencia as dp
>>> from dependencia.simulation.config import SimulationConfig
>>> from dependencia.simulation.moves import Move
>>> from dependencia.simulation.phases import Phases
>>> from dependencia.simulation.results import Recorder
>>> net = dp.Network.from_records([{"id": i} for i in "abc"],
...     [{"dependent": "a", "provider": "c"}, {"dependent": "b", "provider": "c"}])
>>> config = SimulationConfig.from_mapping({})
>>> phases = Phases(net, Phases.initial_state(net, config), Recorder(), config)
>>> measured = phases._measure(0)
>>> costs = phases.route_costs(phases._pay(0, measured), measured, 0)
>>> move = Move("concentrate", "b", "default", 10.0, rows=(0,))   # a -> c becomes a -> X -> c, X owned by b
>>> StepScorer(phases, ["b"]).power_changes("b", [move], costs, np.random.default_rng(0)).tolist()  # pair (a, c)
[1.0]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import numpy as np
import pandas as pd

from ..graph.compiled import compile_graph
from ..measures.power import controlled_groups
from .batch_search import AfterSearch, after_sums
from .evaluate import HopGraph, hop_arrays, strata
from .moves import Move, RouteNodes, hops
from .unchanged import unchanged

if TYPE_CHECKING:
    from ..graph.compiled import CompiledGraph
    from ..network.model import Network
    from .config import SimulationConfig


class Step(Protocol):
    """What the scorer reads of the step in progress (:class:`~.phases.Phases` is one)."""

    network: Network
    config: SimulationConfig

    def taken(self, move: Move, costs: pd.DataFrame) -> Move:
        """``move`` as its dependents take it up."""
        ...

__all__ = ["NEW_INFRASTRUCTURE", "Step", "StepScorer"]

#: The name a move's infrastructure has while the move is scored, before it is built.
NEW_INFRASTRUCTURE = "\0new"


class StepScorer:
    """The scoring state of one step: compiled graph, hop multiset, and the sources' sums before any move.

    Parameters
    ----------
    phases : Step
        The step in progress (its network, configuration and ``taken``): the
        :class:`~.phases.Phases` of the run.
    investors : list of str
        The step's investors (an actor not listed is added when it scores).
    """

    def __init__(self, phases: Step, investors: list[str]):
        self.phases = phases
        self.investors = list(dict.fromkeys(investors))
        self._dependencies: pd.DataFrame | None = None
        self._before: dict[tuple[str, int], float] = {}  # (investor, source actor) -> its sum before any move
        self.network: Network | None = None  # compiled at the first scoring (a step may have no scoring investor)
        self.graph: CompiledGraph
        self.hop_graph: HopGraph

    def _compile(self) -> None:
        """Compile the graph of the network as it is now; keep the sums when the dependencies are unchanged."""
        net = self.phases.network
        config = self.phases.config.measure
        self.network = net
        self.graph = compile_graph(net, dimensions=config.dimensions, paths=config.paths)
        self.hop_graph = HopGraph(self.graph.n_nodes, *hop_arrays(net, self.graph))
        self._groups = controlled_groups(net, self.graph)
        deps = net.dependencies
        if self._dependencies is None or not (deps is self._dependencies or deps.equals(self._dependencies)):
            self._before = {}
        self._dependencies = deps

    def _current(self, moves: list[Move]) -> None:
        """Recompile when the network has changed in a way the step's graph does not cover."""
        net = self.phases.network
        if net is self.network:
            return
        if self.network is None:
            self._compile()
            return
        known = self.graph.index
        missing = any(m.infrastructure is not None and m.infrastructure not in known for m in moves)
        if missing or not (net.dependencies is self._dependencies or net.dependencies.equals(self._dependencies)):
            self._compile()
        else:
            self.network = net  # only infrastructures without routes were added: they add no path

    def _group(self, actor: str) -> np.ndarray:
        return self._groups[int(self.graph.index.get_loc(actor))]

    def before_sums(self, actor: str, sources: np.ndarray) -> list[float]:
        """``actor``'s sums of the given sources on the graph before any move, searching each source at most once."""
        if actor not in self.investors:
            self.investors.append(actor)
        wanted = [s for s in dict.fromkeys(sources.tolist()) if (actor, s) not in self._before]
        if wanted:
            job = AfterSearch(self.hop_graph.base(), np.asarray(self._group(actor), dtype=np.int64),
                              np.asarray(wanted, dtype=np.int64))
            values = after_sums([job], self.graph.n_actors)[0]
            self._before.update(zip(((actor, s) for s in wanted), values.tolist()))
        return [self._before[(actor, s)] for s in sources.tolist()]

    def power_changes(self, actor: str, moves: list[Move], costs: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
        """Change of ``actor``'s raw power (ordered actor pairs) each move would bring (see :mod:`.evaluate`).

        Only source actors that reach a changed hop are evaluated, before and
        after the move: all of them (exact) when at most ``evaluation.sample``
        are affected, else the nearest exactly and a sample of the rest
        (:func:`.evaluate.strata`), an unbiased estimate.
        """
        self._current(moves)
        net, graph, hop_graph = self.phases.network, self.graph, self.hop_graph
        index, n_actors = graph.index, graph.n_actors
        group = self._group(actor)
        controlled = net.controls(actor)
        budget = self.phases.config.evaluation.sample
        order = rng.permutation(n_actors)  # shared by this investor's moves: coupled samples
        changes = np.zeros(len(moves))
        # (move, exact, sampled, factor, their sources in that order, which of those the move cannot change)
        planned: list[tuple[int, np.ndarray, np.ndarray, float, np.ndarray, np.ndarray]] = []
        jobs: list[AfterSearch] = []
        for i, move in enumerate(moves):
            if move.dimension not in graph.dimensions:
                continue
            move = self.phases.taken(move, costs)
            if move.kind in ("concentrate", "extend", "substitute", "create") and not (move.rows or move.dependents):
                continue
            node = graph.n_nodes if move.builds else int(index.get_loc(move.infrastructure))
            routes = RouteNodes(graph, net, NEW_INFRASTRUCTURE if move.builds else None,
                                graph.n_nodes + int(move.builds))
            removed, added, tails = hops(move, net, routes, node)
            levels = hop_graph.distances_to(tails)[:n_actors]
            exact, sampled, factor = strata(levels, budget, order)
            if not len(exact) and not len(sampled):
                continue
            gained = [v for v, x in routes.created if x == NEW_INFRASTRUCTURE or x in controlled]
            after_group = np.concatenate([group, [node] if move.builds else [], gained]).astype(np.int64)
            after = hop_graph.adjacency(extra_nodes=routes.next - graph.n_nodes, removed=removed, added=added)
            sources = np.concatenate([exact, sampled])
            same = unchanged(hop_graph, sources, levels[sources], removed, added)  # sums after = sums before
            planned.append((i, exact, sampled, factor, sources, same))
            jobs.append(AfterSearch(after, after_group, sources[~same]))
        # every candidate's searches in one batch (each source's value computed alone: the same bytes as one
        # search call per candidate), and the sums before any move of all their sources searched at once
        searched = after_sums(jobs, n_actors)
        if planned:
            self.before_sums(actor, np.concatenate([sources for *_, sources, _ in planned]))
        for (i, exact, sampled, factor, sources, same), found in zip(planned, searched):
            values = np.empty(len(same))
            values[~same] = found
            values[same] = self.before_sums(actor, sources[same])  # the same bits
            change = _in_order(values[:len(exact)]) - sum(self.before_sums(actor, exact))
            if len(sampled):
                after_sampled = _in_order(values[len(exact):])
                change += factor * (after_sampled - sum(self.before_sums(actor, sampled)))
            changes[i] = change
        return changes


def _in_order(values: np.ndarray) -> float:
    """The sum of ``values`` added one after the other from the first (as the group kernel adds its sources)."""
    total = 0.0
    for value in values.tolist():
        total += value
    return total
