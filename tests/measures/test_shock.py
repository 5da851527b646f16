"""Shock propagation (DebtRank, issue 16 item 3) against an independent plain-Python oracle.

The oracle below is written straight from the definition (docs/model.md#shock-propagation;
Battiston et al. 2012, doi:10.1038/srep00541), with dicts and loops and none of the
package's code: W[i, j] = strength of i's dependencies whose route (provider or `via`)
includes j / all of i's strength; the failed nodes start at h = 1, distressed, in round 1;
in round t, h_i(t) = min(1, h_i(t-1) + sum over j distressed at t-1 of W[i, j] h_j(t-1));
distressed nodes become inactive, undistressed ones with h > 0 distressed; an
infrastructure (with owner_impairs) is impaired as much as its owner; v_i is i's share of
all dependency strength as a dependent.
"""

from __future__ import annotations

import math
import random
import sys

import numpy as np
import pandas as pd
import pytest

import dependencia as dp
from dependencia.measures.shock import impact_matrix, shock, systemic_impact


# ------------------------------------------------------------------ the oracle
def oracle(net: dp.Network, fail, dimensions=None, owner_impairs=True) -> dict:
    actors = list(net.actors.index)
    infras = list(net.infrastructures.index)
    nodes = actors + infras
    chosen = set(net.dimensions.index if dimensions is None else dimensions)
    total = {a: 0.0 for a in actors}
    weight = {a: {} for a in actors}  # weight[i][j]: strength through j, then W[i, j]
    for record in net.dependencies.to_dict(orient="records"):
        if record["dimension"] not in chosen:
            continue
        i, s = record["dependent"], record["strength"]
        total[i] += s
        for j in [record["provider"], *record["via"]]:
            weight[i][j] = weight[i].get(j, 0.0) + s
    for i in actors:
        for j in weight[i]:
            weight[i][j] /= total[i]
    owner = {}
    if owner_impairs:
        for x, o in zip(infras, net.infrastructures["owner"].tolist()):
            if o is not None and not (isinstance(o, float) and math.isnan(o)):
                owner[x] = o
    failed = list(dict.fromkeys([fail] if isinstance(fail, str) else fail))
    h = {v: 0.0 for v in nodes}
    for f in failed:
        h[f] = 1.0
    for x, o in owner.items():  # the owner's failure takes its infrastructure with it
        h[x] = max(h[x], h[o])
    state = {v: "D" if h[v] > 0 else "U" for v in nodes}
    first = {v: 1 for v in nodes if h[v] > 0}
    t = 1
    while any(s == "D" for s in state.values()):
        t += 1
        new = {}
        for i in actors:
            gain = 0.0
            for j, w in weight[i].items():
                if state[j] == "D":
                    gain += w * h[j]
            new[i] = min(1.0, h[i] + gain)
        for x in infras:
            new[x] = max(h[x], new[owner[x]]) if x in owner else h[x]
        for v in nodes:
            if state[v] == "D":
                state[v] = "I"
            elif state[v] == "U" and new[v] > 0:
                state[v] = "D"
                first[v] = t
        h = new
    grand = sum(total.values())
    value = {a: (total[a] / grand if grand > 0 else 0.0) for a in actors}
    share = sum(value[a] * h[a] for a in actors)
    own = sum(value[f] for f in failed if f in value)
    return {"h": h, "round": first, "impaired_share": share, "debtrank": share - own,
            "rounds": max(first.values()), "value": value}


def random_network(seed: int) -> dp.Network:
    """Actors, infrastructures (some unowned), routes, ownership and three dimensions."""
    rng = random.Random(seed)
    n_actors = rng.randint(3, 14)
    actors = [f"a{k}" for k in range(n_actors)]
    infras = [f"x{k}" for k in range(rng.randint(0, 4))]
    infrastructures = [{"id": x, "owner": rng.choice(actors + [None])} for x in infras]
    dependencies = []
    for _ in range(rng.randint(0, 4 * n_actors)):
        dependent, provider = rng.sample(actors, 2)
        record = {"dependent": dependent, "provider": provider, "dimension": rng.choice("xyz"),
                  "strength": rng.choice([1.0, 2.0, 0.5, rng.uniform(0.1, 3.0)])}
        if infras and rng.random() < 0.4:
            record["via"] = rng.sample(infras, rng.randint(1, min(2, len(infras))))
        dependencies.append(record)
    ownership = []
    if n_actors > 3 and rng.random() < 0.5:
        ownership.append({"owner": actors[0], "owned": actors[1], "share": 0.6})
    return dp.Network.from_records([{"id": a} for a in actors], dependencies, infrastructures=infrastructures,
                                   ownership=ownership)


def assert_matches_oracle(net, fail, dimensions=None, owner_impairs=True):
    frame = shock(net, fail, dimensions=dimensions, owner_impairs=owner_impairs)
    expected = oracle(net, fail, dimensions, owner_impairs)
    assert list(frame.index) == list(net.node_ids)
    for v in net.node_ids:
        assert frame.at[v, "impairment"] == pytest.approx(expected["h"][v], rel=1e-12, abs=1e-15), v
        if v in expected["round"]:
            assert frame.at[v, "round"] == expected["round"][v], v
        else:
            assert np.isnan(frame.at[v, "round"]), v
    assert frame.attrs["impaired_share"] == pytest.approx(expected["impaired_share"], rel=1e-12, abs=1e-15)
    assert frame.attrs["debtrank"] == pytest.approx(expected["debtrank"], rel=1e-12, abs=1e-15)
    assert frame.attrs["rounds"] == expected["rounds"]
    return frame, expected


# ------------------------------------------------------------------ against the oracle
@pytest.mark.parametrize("seed", range(60))
def test_random_networks_match_the_oracle(seed):
    net = random_network(seed)
    rng = random.Random(1000 + seed)
    nodes = list(net.node_ids)
    for _ in range(3):
        fail = rng.sample(nodes, rng.randint(1, min(3, len(nodes))))
        dims = rng.choice([None, ["x"], ["x", "z"]])
        dims = None if dims is None else [d for d in dims if d in net.dimensions.index] or None
        for owner_impairs in (True, False):
            assert_matches_oracle(net, fail, dims, owner_impairs)


@pytest.mark.parametrize("seed", range(30))
def test_systemic_impact_is_shock_of_each_actor_alone(seed):
    net = random_network(seed)
    for owner_impairs in (True, False):
        frame = systemic_impact(net, owner_impairs=owner_impairs, workers=1)
        assert list(frame.index) == list(net.actors.index) and frame.index.name == "id"
        assert list(frame.columns) == ["systemic_impact", "debtrank"]
        for actor in net.actors.index:
            alone = shock(net, actor, owner_impairs=owner_impairs)
            assert frame.at[actor, "systemic_impact"] == pytest.approx(alone.attrs["impaired_share"], rel=1e-12,
                                                                       abs=1e-15)
            assert frame.at[actor, "debtrank"] == pytest.approx(alone.attrs["debtrank"], rel=1e-12, abs=1e-15)
            expected = oracle(net, [actor], None, owner_impairs)
            assert frame.at[actor, "systemic_impact"] == pytest.approx(expected["impaired_share"], rel=1e-12,
                                                                       abs=1e-15)


def test_the_number_of_threads_changes_no_value():
    net = random_network(7)
    one = systemic_impact(net, workers=1)
    pd.testing.assert_frame_equal(one, systemic_impact(net, workers=2))
    pd.testing.assert_frame_equal(one, systemic_impact(net, workers=5))
    pd.testing.assert_frame_equal(one, systemic_impact(net))


def _impact_in_child(net: dp.Network) -> tuple[pd.DataFrame, bool]:
    from dependencia.base.jit import parallel_allowed

    return systemic_impact(net, workers=2), not parallel_allowed()


@pytest.mark.skipif(sys.platform != "linux", reason="fork")
def test_a_forked_child_runs_serially_and_matches_the_oracle():
    # GNU OpenMP kills a forked child that starts a parallel region once the parent's pool has started
    # (the guard of base/jit.py): such a child runs one lane, with the oracle's values
    import multiprocessing

    net = random_network(7)
    systemic_impact(net, workers=2)  # starts the pool here
    with multiprocessing.get_context("fork").Pool(1) as pool:
        frame, serial = pool.apply_async(_impact_in_child, (net,)).get(timeout=120)
    assert serial
    for actor in net.actors.index:
        expected = oracle(net, [actor], None, True)["impaired_share"]
        assert frame.at[actor, "systemic_impact"] == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_the_impact_matrix_is_the_definition():
    for seed in range(20):
        net = random_network(seed)
        expected = oracle(net, list(net.node_ids)[:1])
        w = impact_matrix(net).dense()
        nodes = list(net.node_ids)
        for a, i in zip(net.actors.index, range(net.n_actors)):
            assert w[i].sum() >= 0.0
            assert expected["value"][a] == pytest.approx(impact_matrix(net).value[i], rel=1e-12, abs=0)
        assert w.shape == (len(nodes), len(nodes))
        assert not w[net.n_actors:].any()  # infrastructures declare no dependencies


# ------------------------------------------------------------------ worked by hand
def test_hand_worked_chain_with_strengths():
    # a depends on b (strength 1) and on c (3); b depends on c (2). W[a,b] = 1/4, W[a,c] = 3/4,
    # W[b,c] = 1. Value weights: a depends on 4 of the 6 units, b on 2, c on none: v = (2/3, 1/3, 0).
    net = dp.Network.from_records([{"id": i} for i in "abc"], [
        {"dependent": "a", "provider": "b", "strength": 1}, {"dependent": "a", "provider": "c", "strength": 3},
        {"dependent": "b", "provider": "c", "strength": 2}])
    # c fails: round 1 h_c = 1 (distressed). Round 2: h_a = 3/4 * 1 = 0.75, h_b = 1 * 1 = 1; both distressed,
    # c inactive. Round 3: a gains W[a,b] h_b(2) = 1/4 -> h_a = 1; b gains nothing (c is inactive);
    # nobody new is distressed: the last round with a distressed node is 2.
    frame, _ = assert_matches_oracle(net, "c")
    assert frame["impairment"].tolist() == [1.0, 1.0, 1.0]
    assert frame["round"].tolist() == [2.0, 2.0, 1.0]
    assert frame.attrs["rounds"] == 2
    # impaired share 2/3 + 1/3 = 1; c weighs 0, so the DebtRank is 1 too
    assert frame.attrs["impaired_share"] == pytest.approx(1.0)
    assert frame.attrs["debtrank"] == pytest.approx(1.0)
    # b fails: round 2 h_a = W[a,b] = 1/4, then a passes to nobody. Share 2/3 * 1/4 + 1/3 = 1/2; R = 1/2 - 1/3.
    frame, _ = assert_matches_oracle(net, "b")
    assert frame["impairment"].tolist() == [0.25, 1.0, 0.0]
    assert frame["round"].tolist()[:2] == [2.0, 1.0] and np.isnan(frame.at["c", "round"])
    assert frame.attrs["impaired_share"] == pytest.approx(0.5)
    assert frame.attrs["debtrank"] == pytest.approx(0.5 - 1 / 3)
    impact = systemic_impact(net)
    assert impact["systemic_impact"].tolist() == pytest.approx([2 / 3, 0.5, 1.0])
    assert impact["debtrank"].tolist() == pytest.approx([0.0, 0.5 - 1 / 3, 1.0])


def test_hand_worked_route_through_an_owned_infrastructure():
    # a depends on p via the cloud X (strength 1) and on q directly (strength 1); X belongs to o.
    # W[a,X] = W[a,p] = 1/2 (the route counts fully for both), W[a,q] = 1/2; only a depends: v_a = 1.
    net = dp.Network.from_records(
        [{"id": i} for i in ("a", "p", "q", "o")],
        [{"dependent": "a", "provider": "p", "via": ["X"]}, {"dependent": "a", "provider": "q"}],
        infrastructures=[{"id": "X", "owner": "o"}])
    # o fails and takes X with it (round 1, h_X = 1). Round 2: h_a = W[a,X] = 1/2. Share 1/2; o weighs 0.
    frame, _ = assert_matches_oracle(net, "o")
    assert frame["impairment"].to_dict() == {"a": 0.5, "p": 0.0, "q": 0.0, "o": 1.0, "X": 1.0}
    assert frame.at["X", "round"] == 1.0 and frame.at["a", "round"] == 2.0
    assert frame.attrs["impaired_share"] == pytest.approx(0.5) and frame.attrs["debtrank"] == pytest.approx(0.5)
    # without owner_impairs the owner's failure leaves its cloud and a alone
    frame, _ = assert_matches_oracle(net, "o", owner_impairs=False)
    assert frame.attrs["impaired_share"] == 0.0 and frame.at["X", "impairment"] == 0.0
    # p and X fail together: a loses 1/2 through each, the sum 1 is the whole of a (capped at 1)
    frame, _ = assert_matches_oracle(net, ["p", "X"])
    assert frame.at["a", "impairment"] == 1.0
    # p, X and q: 3/2 is capped at 1
    frame, _ = assert_matches_oracle(net, ["p", "X", "q"])
    assert frame.at["a", "impairment"] == 1.0
    # systemic impact: a fails (share v_a = 1, R 0); p, q, o each take half of a
    impact = systemic_impact(net)
    assert impact["systemic_impact"].to_dict() == pytest.approx({"a": 1.0, "p": 0.5, "q": 0.5, "o": 0.5})
    assert impact["debtrank"].to_dict() == pytest.approx({"a": 0.0, "p": 0.5, "q": 0.5, "o": 0.5})


def test_each_node_passes_its_impairment_once():
    # b depends on c and d (1 each); a on b. c fails in round 1, b (h 1/2) in round 2, a in round 3.
    # d is never hit. Battiston's rule: b, distressed in round 2, passes h_b(2) = 1/2 to a in round 3, and
    # nothing later even though nothing more reaches it.
    net = dp.Network.from_records([{"id": i} for i in "abcd"], [
        {"dependent": "b", "provider": "c"}, {"dependent": "b", "provider": "d"},
        {"dependent": "a", "provider": "b"}])
    frame, _ = assert_matches_oracle(net, "c")
    assert frame["impairment"].tolist() == [0.5, 0.5, 1.0, 0.0]
    # a cycle: a and b depend on each other only. a fails; b gets 1 in round 2 and passes it back to a,
    # which is inactive already (and at 1); the rounds end.
    net = dp.Network.from_records([{"id": i} for i in "ab"], [
        {"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "a"}])
    frame, _ = assert_matches_oracle(net, "a")
    assert frame.attrs["rounds"] == 2 and frame["impairment"].tolist() == [1.0, 1.0]


def test_dimensions_choose_the_dependencies():
    net = dp.Network.from_records([{"id": i} for i in "abc"], [
        {"dependent": "a", "provider": "b", "dimension": "x"}, {"dependent": "a", "provider": "c", "dimension": "y"}])
    assert shock(net, "b").at["a", "impairment"] == 0.5
    assert shock(net, "b", dimensions="x").at["a", "impairment"] == 1.0
    assert shock(net, "b", dimensions=["y"]).at["a", "impairment"] == 0.0
    pd.testing.assert_frame_equal(systemic_impact(net, dimensions="x"), systemic_impact(net, dimensions=["x"]))
    with pytest.raises(dp.UsageError, match="unknown dimension 'w'"):
        shock(net, "b", dimensions="w")
    with pytest.raises(dp.UsageError, match="dimensions"):
        systemic_impact(net, dimensions=5)


def test_a_network_without_dependencies():
    net = dp.Network.from_records([{"id": "a"}, {"id": "b"}], infrastructures=[{"id": "X", "owner": "a"}])
    frame = shock(net, "a")
    assert frame["impairment"].tolist() == [1.0, 0.0, 1.0]
    assert frame.attrs == {"impaired_share": 0.0, "debtrank": 0.0, "failed": ["a"], "rounds": 1,
                           "dimensions": [], "owner_impairs": True}
    assert systemic_impact(net)["systemic_impact"].tolist() == [0.0, 0.0]


def test_failed_is_the_given_ids_once():
    net = dp.examples.load("ai-stack")
    frame = shock(net, ["azure", "nvidia", "azure"])
    assert frame.attrs["failed"] == ["azure", "nvidia"]
    assert frame.loc[["azure", "nvidia"], "round"].tolist() == [1.0, 1.0]
    pd.testing.assert_frame_equal(frame, shock(net, ("azure", "nvidia")))


def test_ai_stack_against_the_oracle():
    net = dp.examples.load("ai-stack")
    for actor in net.node_ids:
        for owner_impairs in (True, False):
            assert_matches_oracle(net, actor, owner_impairs=owner_impairs)
    impact = systemic_impact(net)
    assert impact["systemic_impact"].idxmax() == "nvidia"  # every model is trained on its chips


# ------------------------------------------------------------------ bad arguments
def test_an_unknown_id_is_named_with_a_suggestion():
    net = dp.examples.load("ai-stack")
    with pytest.raises(dp.UsageError, match=r"fail: 'nvidai' is neither an actor nor an infrastructure.*did you mean 'nvidia'"):
        shock(net, "nvidai")
    with pytest.raises(dp.UsageError, match=r"'zzz' is neither"):
        shock(net, ["nvidia", "zzz"])
    with pytest.raises(dp.UsageError, match="at least one"):
        shock(net, [])
    with pytest.raises(dp.UsageError, match="fail must hold ids"):
        shock(net, ["nvidia", 3])
    with pytest.raises(dp.UsageError, match="fail must be"):
        shock(net, 3)
    with pytest.raises(dp.UsageError, match="workers"):
        systemic_impact(net, workers=0)


@pytest.mark.slow
def test_dask_gives_the_same_values():
    net = random_network(3)
    pd.testing.assert_frame_equal(systemic_impact(net, workers=1), systemic_impact(net, workers=2, scheduler="dask"))
