"""Investment strategies (docs/simulation.md#moves-and-strategies): greedy's choice rule, determinism, user strategies, refusals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import dependencia as dp
from dependencia.errors import UsageError
from dependencia.simulation import STRATEGIES, Context, Move, SimulationConfig, register
from dependencia.simulation import strategies as strategies_module


def network():
    """Ten actors in a chain-and-star of dependencies in two dimensions, two needs; ``inv`` and ``inv2`` invest."""
    actors = [{"id": "inv", "kind": "platform", "budget": 100}, {"id": "inv2", "kind": "platform", "budget": 100}] + [
        {"id": f"a{i}", "kind": "firm"} for i in range(8)]
    deps = [{"dependent": f"a{i}", "provider": f"a{(i + 1) % 8}", "dimension": "d"} for i in range(8)]
    deps += [{"dependent": f"a{i}", "provider": "a0", "dimension": "e"} for i in range(2, 8)]
    needs = [{"dependent": "a3", "dimension": "d"}, {"dependent": "a5", "dimension": "e"}]
    return dp.Network.from_records(actors, deps, needs=needs,
                                   dimensions=[{"id": "d", "monetized": 1.0}, {"id": "e", "monetized": 1.0}])


def config(strategy: str, seed: int = 0, **extra):
    investors = [{"actor": "inv", "strategy": strategy}, {"actor": "inv2", "strategy": strategy}]
    return {"seed": seed, "investors": investors, "spillover": {"probability": 0.0}, **extra}


# ---------------------------------------------------------------- greedy, by hand
def hand_context(moves, gains, budget=10.0, seen=None):
    def scorer(chosen):
        if seen is not None:
            seen.append(list(chosen))
        return np.array([gains[moves.index(m)] for m in chosen], dtype=float)

    context = Context(actor="inv", budget=budget, network=network(), power=pd.DataFrame(),
                      rng=np.random.default_rng(0), settings=SimulationConfig(), _scorer=scorer)
    context.candidates = lambda count=None, kinds=None: list(moves)
    return context


def move(cost: float, dependent: str = "a1") -> Move:
    return Move("create", "inv", "d", cost, dependents=(dependent,))


def test_greedy_takes_largest_gain_per_cost_among_affordable():
    moves = [move(10, "a1"), move(5, "a2"), move(50, "a3"), move(2, "a4")]
    gains = [1.0, 0.6, 100.0, -0.1]  # per cost: 0.1, 0.12, (unaffordable), negative
    seen = []
    assert STRATEGIES["greedy"](hand_context(moves, gains, seen=seen)) == moves[1]
    assert seen == [[moves[0], moves[1], moves[3]]]  # the unaffordable move is never scored


def test_greedy_prefers_ratio_over_absolute_gain():
    moves = [move(10, "a1"), move(1, "a2")]
    assert STRATEGIES["greedy"](hand_context(moves, [1.0, 0.2])) == moves[1]


@pytest.mark.parametrize("gains", [[0.0, 0.0], [-1.0, -0.5], [0.0, -3.0]])
def test_greedy_declines_without_positive_gain(gains):
    assert STRATEGIES["greedy"](hand_context([move(1, "a1"), move(2, "a2")], gains)) is None


def test_greedy_declines_when_nothing_is_affordable():
    seen = []
    assert STRATEGIES["greedy"](hand_context([move(20), move(30, "a2")], [1.0, 1.0], seen=seen)) is None
    assert seen == []


def test_greedy_in_a_run_builds_the_best_scored_candidate(monkeypatch):
    """With Context.score patched to prefer 'create' moves of dimension e, greedy's builds are exactly those."""
    def score(self, moves):
        return np.array([1.0 if (m.kind, m.dimension) == ("create", "e") else -1.0 for m in moves])

    monkeypatch.setattr(Context, "score", score)
    run = dp.Simulation(network(), config("greedy")).run(2)
    builds = run.events[run.events["kind"] == "build"]
    assert len(builds)
    assert all('"move": "create"' in d and '"dimension": "e"' in d for d in builds["detail"])


# ---------------------------------------------------------------- none, random, preferential
def test_none_never_builds():
    run = dp.Simulation(network(), config("none")).run(3)
    assert not (run.events["kind"] == "build").any()
    assert (run.steps["built"] == 0).all()


@pytest.mark.parametrize("strategy", ["random", "preferential"])
def test_randomized_strategies_are_deterministic_for_a_seed(strategy):
    first = dp.Simulation(network(), config(strategy, seed=3)).run(3)
    second = dp.Simulation(network(), config(strategy, seed=3)).run(3)
    assert (first.events["kind"] == "build").any()
    pd.testing.assert_frame_equal(first.events, second.events)
    pd.testing.assert_frame_equal(first.steps, second.steps)
    others = [dp.Simulation(network(), config(strategy, seed=s)).run(3).events for s in (4, 5, 6)]
    assert any(not other.equals(first.events) for other in others)


def test_preferential_only_concentrates_or_creates():
    run = dp.Simulation(network(), config("preferential", seed=1)).run(3)
    builds = run.events[run.events["kind"] == "build"]
    assert len(builds)
    assert builds["detail"].str.contains('"move": "(?:concentrate|create)"', regex=True).all()


# ---------------------------------------------------------------- user strategies
@pytest.fixture
def registered():
    names = []

    def add(name, strategy):
        register(name, strategy)
        names.append(name)

    yield add
    for name in names:
        STRATEGIES.pop(name, None)


def test_registered_strategy_is_used_by_name_and_receives_a_context(registered):
    received = []

    def mine(context):
        received.append(context)
        moves = context.candidates(kinds=("create",))
        return moves[0] if moves else None

    registered("mine", mine)
    run = dp.Simulation(network(), {"investors": [{"actor": "inv", "strategy": "mine"}],
                                    "spillover": {"probability": 0.0}}).run(2)
    assert len(received) == 2
    first = received[0]
    assert isinstance(first, Context) and first.actor == "inv" and first.budget == 100.0
    assert isinstance(first.network, dp.Network) and isinstance(first.rng, np.random.Generator)
    assert isinstance(first.settings, SimulationConfig)
    assert "inv" in first.power.index and "power_share" in first.power.columns
    assert "inv" in first.controlled
    assert first.score([]).shape == (0,)
    assert {"unit_cost", "tolled_by"} <= set(first.route_costs().columns)
    builds = run.events[run.events["kind"] == "build"]
    assert list(builds["actor"]) == ["inv", "inv"]
    assert builds["detail"].str.contains('"move": "create"').all()


@pytest.mark.parametrize("returned", [
    "nonsense",
    Move("create", "inv2", "d", 1.0, dependents=("a1",)),  # another actor's move
    Move("create", "inv", "d", 1e6, dependents=("a1",)),  # beyond the budget
])
def test_invalid_move_is_refused(registered, returned):
    registered("broken", lambda context: returned)
    simulation = dp.Simulation(network(), {"investors": [{"actor": "inv", "strategy": "broken"}]})
    with pytest.raises(UsageError, match="strategy 'broken' returned an invalid move for 'inv'"):
        simulation.run(1)


@pytest.mark.parametrize("returned", [
    Move("teleport", "inv", "d", 1.0, dependents=("a1",)),
    Move("create", "inv", "d", -5.0, dependents=("a1",)),
    Move("create", "inv", "d", float("nan"), dependents=("a1",)),
    Move("concentrate", "inv", "d", 1.0, rows=(999,)),
    Move("create", "inv", "d", 1.0, dependents=("ghost",)),
], ids=["kind", "negative-cost", "nan-cost", "rows", "dependent"])
def test_malformed_move_is_refused(registered, returned):
    registered("broken", lambda context: returned)
    simulation = dp.Simulation(network(), {"investors": [{"actor": "inv", "strategy": "broken"}]})
    with pytest.raises(UsageError, match="invalid move"):
        simulation.run(1)


def test_unknown_strategy_is_refused_listing_known_ones():
    with pytest.raises(UsageError) as caught:
        dp.Simulation(network(), {"investors": [{"actor": "inv", "strategy": "grredy"}]})
    message = str(caught.value)
    assert "grredy" in message
    for name in ("greedy", "none", "preferential", "public", "random"):
        assert name in message


def test_register_refuses_non_callable():
    with pytest.raises(UsageError):
        register("nothing", 42)
    assert "nothing" not in STRATEGIES


def test_shipped_strategies():
    assert {"greedy", "preferential", "random", "public", "none"} <= set(STRATEGIES)
    assert strategies_module.get("greedy") is STRATEGIES["greedy"]


def test_context_made_without_scorer_or_route_costs_says_so():
    """A Context built by hand (as a user testing a strategy does) without them: a UsageError naming what is missing."""
    context = Context(actor="inv", budget=10.0, network=network(), power=pd.DataFrame(),
                      rng=np.random.default_rng(0), settings=SimulationConfig())
    with pytest.raises(UsageError, match="'inv' cannot score moves: it was made without a scorer"):
        context.score([move(1.0)])
    with pytest.raises(UsageError, match="'inv' has no route costs"):
        context.route_costs()
