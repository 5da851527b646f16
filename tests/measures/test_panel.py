"""The panel of power measures (dependencia.measures.panel) and traffic share (dependencia.measures.traffic).

* The registry names every column of the panel once, each with a description and a reference;
  an unknown name is a UsageError listing the known ones.
* Each column of the panel equals its measure computed alone by its own module (each has its
  own oracle tests); the panel only wires them to one compiled graph.
* Traffic share against a plain Python loop over the dependency records and the control groups.
* compare: Kendall's tau-b against a brute force over all pairs written from the definition
  (ties in either ranking count for neither side), on small rankings with ties; top-k overlap
  by hand. movers: ranks against a brute force (1 + the number of strictly higher values).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from test_centrality import random_network

import dependencia as dp
from dependencia.errors import UsageError
from dependencia.measures import centrality, panel
from dependencia.measures.dominance import dominance
from dependencia.measures.panel import REGISTRY, compare, kendall_tau_b, measure_names, measures, movers, top_k
from dependencia.measures.power import actor_power
from dependencia.measures.reach import reach
from dependencia.measures.shock import systemic_impact
from dependencia.measures.traffic import traffic_share

ALL = ["power", "power_hub", "dominance", "asymmetry", "dependents", "dependencies", "traffic", "pagerank", "katz",
       "bonacich", "impact"]


# --------------------------------------------------------------------------- registry
def test_the_registry_names_every_measure_once_with_description_and_reference():
    assert list(REGISTRY) == ALL
    for name, measure in REGISTRY.items():
        assert measure.name == name and measure.description and measure.reference and callable(measure.compute)


def test_unknown_or_no_measure_is_a_usage_error_listing_the_known_ones():
    with pytest.raises(UsageError) as caught:
        measures(dp.examples.load("florentine"), measures=["power", "rank"])
    assert "'rank'" in str(caught.value) and ", ".join(ALL) in str(caught.value)
    with pytest.raises(UsageError, match="no measure chosen"):
        measure_names([])
    assert measure_names(None) == ALL
    assert measure_names(["katz", "power", "katz"]) == ["katz", "power"]


def test_bad_options_are_usage_errors():
    net = dp.examples.load("florentine")
    with pytest.raises(UsageError, match="paths"):
        measures(net, measures="power", paths="shortest")
    with pytest.raises(UsageError, match="unknown dimension"):
        measures(net, measures="katz", dimensions="nope")


# --------------------------------------------------------------------------- the panel = each measure alone
def _alone(net, name, *, paths, dimensions, directed):
    """Each measure computed by its own module (the panel must give the same column)."""
    options = {"dimensions": dimensions, "directed": directed}
    if name in ("power", "power_hub"):
        return actor_power(net, paths=paths if name == "power" else "hub", **options)["power"]
    if name == "dominance":
        return dominance(net, paths=paths, **options)["dominance"]
    if name in ("asymmetry", "dependents", "dependencies"):
        return reach(net, paths=paths, **options)[name]
    if name == "traffic":
        return traffic_share(net, dimensions=dimensions)["traffic_share"]
    if name in ("pagerank", "katz", "bonacich"):
        return getattr(centrality, name)(net, paths=paths, **options)[name]
    return systemic_impact(net, dimensions=dimensions)["systemic_impact"]


@pytest.mark.parametrize("seed", range(8))
def test_every_column_equals_its_measure_computed_alone(seed):
    net = random_network(seed)
    known = list(net.dimensions.index)
    dimensions = known[:1] if known and seed % 2 else None
    for paths, directed in itertools.product(("routed", "hub"), (True, False)):
        frame = measures(net, paths=paths, dimensions=dimensions, directed=directed, workers=1)
        assert list(frame.columns) == ALL and frame.index.tolist() == net.actors.index.tolist()
        assert frame.index.name == "id"
        for name in ALL:
            expected = _alone(net, name, paths=paths, dimensions=dimensions, directed=directed)
            np.testing.assert_allclose(frame[name].to_numpy(), expected.to_numpy(dtype=float), rtol=1e-12,
                                       atol=1e-15, err_msg=name)
        assert frame.attrs["paths"] == paths and frame.attrs["directed"] == directed
        assert frame.attrs["katz_alpha"] == centrality.katz(net, paths=paths, dimensions=dimensions,
                                                            directed=directed).attrs["alpha"]


def test_a_chosen_subset_in_the_order_asked():
    net = dp.examples.load("ai-stack")
    frame = measures(net, measures=["katz", "power"])
    assert list(frame.columns) == ["katz", "power"]
    assert "bonacich_beta" not in frame.attrs and frame.attrs["measures"] == ["katz", "power"]
    assert measures(net, measures="traffic").columns.tolist() == ["traffic"]


# --------------------------------------------------------------------------- traffic share
def brute_force_traffic(net: dp.Network, dimensions=None) -> pd.DataFrame:
    """The definition as a loop: a dependency counts for a when an infrastructure of its via is in C(a)."""
    groups = net.control_groups()
    wanted = None if dimensions is None else set([dimensions] if isinstance(dimensions, str) else dimensions)
    records = [r for r in net.dependencies.to_dict(orient="records") if wanted is None or r["dimension"] in wanted]
    total = sum(r["strength"] for r in records)
    carried = {}
    for actor in net.actors.index:
        carried[actor] = sum(r["strength"] for r in records if any(x in groups[actor] for x in r["via"]))
    traffic = pd.Series(carried, dtype=float)
    return pd.DataFrame({"traffic_share": traffic / total if total else traffic * 0.0, "traffic": traffic})


@pytest.mark.parametrize("seed", range(30))
def test_traffic_share_equals_a_loop_over_the_records(seed):
    net = random_network(seed)
    known = list(net.dimensions.index)
    for dimensions in (None, known[:1] or None):
        frame = traffic_share(net, dimensions=dimensions)
        expected = brute_force_traffic(net, dimensions).reindex(net.actors.index)
        np.testing.assert_allclose(frame[["traffic_share", "traffic"]].to_numpy(), expected.to_numpy(), rtol=1e-12)


def test_traffic_share_by_hand():
    # d -> p via [X, Y] (strength 2; X and Y both o's: counted once for o, and for h, which controls o),
    # d -> p via [Z] (strength 1; Z is p's own: p carries traffic to itself), d -> q directly (strength 5:
    # no node inside the route, counts for nobody). Total 8.
    net = dp.Network.from_records([{"id": i} for i in ("d", "p", "q", "o", "h")], [
        {"dependent": "d", "provider": "p", "via": ["X", "Y"], "strength": 2},
        {"dependent": "d", "provider": "p", "via": ["Z"], "strength": 1},
        {"dependent": "d", "provider": "q", "strength": 5}],
        infrastructures=[{"id": "X", "owner": "o"}, {"id": "Y", "owner": "o", "transit": "open"},
                         {"id": "Z", "owner": "p"}],
        ownership=[{"owner": "h", "owned": "o", "share": 0.6}])
    frame = traffic_share(net)
    assert frame["traffic"].to_dict() == {"d": 0.0, "p": 1.0, "q": 0.0, "o": 2.0, "h": 2.0}
    assert frame["traffic_share"].to_dict() == {"d": 0.0, "p": 1 / 8, "q": 0.0, "o": 2 / 8, "h": 2 / 8}
    assert frame.attrs["total_strength"] == 8.0
    with pytest.raises(UsageError, match="unknown dimension 'nope'"):
        traffic_share(net, dimensions="nope")


def test_traffic_share_without_dependencies():
    frame = traffic_share(dp.Network.from_records([{"id": "a"}]))
    assert frame["traffic_share"].tolist() == [0.0] and frame.attrs["total_strength"] == 0.0


# --------------------------------------------------------------------------- Kendall's tau-b
def brute_tau_b(x, y) -> float:
    """tau-b from the definition: (concordant - discordant) / sqrt((n0 - ties in x)(n0 - ties in y))."""
    concordant = discordant = tied_x = tied_y = 0
    n = len(x)
    for i, j in itertools.combinations(range(n), 2):
        dx, dy = x[i] - x[j], y[i] - y[j]
        if dx == 0:
            tied_x += 1
        if dy == 0:
            tied_y += 1
        if dx * dy > 0:
            concordant += 1
        elif dx * dy < 0:
            discordant += 1
    n0 = n * (n - 1) // 2
    denominator = math.sqrt((n0 - tied_x) * (n0 - tied_y))
    return (concordant - discordant) / denominator if denominator else float("nan")


@pytest.mark.parametrize("seed", range(40))
def test_kendall_tau_b_equals_the_brute_force_with_ties(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 12))
    x = rng.integers(0, 4, size=n).astype(float)  # few distinct values: many ties
    y = rng.integers(0, 4, size=n).astype(float)
    expected = brute_tau_b(x, y)
    got = kendall_tau_b(x, y)
    assert (math.isnan(got) and math.isnan(expected)) or got == pytest.approx(expected, abs=1e-12)


def test_kendall_tau_b_by_hand():
    # x = (1, 2, 3, 4), y = (1, 1, 2, 2): 6 pairs, 5 concordant-or-tied: (1,2) and (3,4) tied in y, the other 4
    # concordant; tau-b = 4 / sqrt(6 * (6 - 2)) = 4 / sqrt(24)
    assert kendall_tau_b([1, 2, 3, 4], [1, 1, 2, 2]) == pytest.approx(4 / math.sqrt(24))
    assert math.isnan(kendall_tau_b([1, 1, 1], [1, 2, 3]))  # constant: no ranking
    assert math.isnan(kendall_tau_b([1], [1]))


# --------------------------------------------------------------------------- compare and movers
def test_compare_by_hand():
    # m1 ranks a > b > c > d; m2 ranks b > a > c = d; m3 ranks c = d > a = b
    frame = pd.DataFrame({"m1": [4.0, 3.0, 2.0, 1.0], "m2": [3.0, 4.0, 1.0, 1.0], "m3": [1.0, 1.0, 2.0, 2.0]},
                         index=pd.Index(["a", "b", "c", "d"], name="id"))
    result = compare(frame, top=2)
    assert result[["measure_a", "measure_b"]].values.tolist() == [["m1", "m2"], ["m1", "m3"], ["m2", "m3"]]
    # top 2: m1 {a, b}, m2 {b, a}, m3 {c, d} (tied at 2, by id): overlaps 1, 0, 0
    assert result["top_overlap"].tolist() == [1.0, 0.0, 0.0]
    expected = [brute_tau_b(frame[a].to_numpy(), frame[b].to_numpy()) for a, b in
                [("m1", "m2"), ("m1", "m3"), ("m2", "m3")]]
    np.testing.assert_allclose(result["kendall_tau"].to_numpy(), expected)
    assert result.attrs["top"] == 2


def test_top_k_breaks_ties_by_id_and_puts_nan_last():
    values = pd.Series([2.0, np.nan, 2.0, 1.0, 2.0], index=["e", "a", "c", "b", "d"])
    assert top_k(values, 2) == ["c", "d"]
    assert top_k(values, 5) == ["c", "d", "e", "b", "a"]
    # k larger than the actors: all of them
    frame = pd.DataFrame({"m1": [1.0, 2.0], "m2": [2.0, 1.0]}, index=["a", "b"])
    assert compare(frame, top=10)["top_overlap"].tolist() == [1.0]


def test_compare_uses_the_actors_known_to_both_and_ignores_float_noise():
    frame = pd.DataFrame({"m1": [1.0, 2.0, 3.0, np.nan], "m2": [1.0, 2.0, 3.0, 4.0],
                          "m3": [0.1 + 0.2, 0.3, 0.5, 0.7]}, index=list("abcd"))
    result = compare(frame, top=1).set_index(["measure_a", "measure_b"])
    assert result.loc[("m1", "m2"), "kendall_tau"] == 1.0  # d left out
    # 0.1 + 0.2 != 0.3 in floating point; rounded to 12 digits they tie: tau-b with one tie in m3
    assert result.loc[("m2", "m3"), "kendall_tau"] == pytest.approx(brute_tau_b([1, 2, 3, 4], [0.3, 0.3, 0.5, 0.7]))


def brute_ranks(values: pd.Series) -> pd.Series:
    return pd.Series([np.nan if np.isnan(v) else 1 + int((values > v).sum()) for v in values], index=values.index)


@pytest.mark.parametrize("seed", range(10))
def test_movers_ranks_and_spreads_equal_a_brute_force(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 10))
    frame = pd.DataFrame({f"m{k}": rng.integers(0, 4, size=n).astype(float) for k in range(3)},
                         index=pd.Index([f"a{i}" for i in range(n)], name="id"))
    frame["constant"] = 1.0
    result = movers(frame, top=2)
    ranks = pd.DataFrame({name: brute_ranks(frame[name]) for name in frame.columns})
    ranking = [name for name in ["m0", "m1", "m2"] if frame[name].nunique() > 1]
    spread = (ranks[ranking].max(axis=1) - ranks[ranking].min(axis=1)) if ranking else pd.Series(np.nan, ranks.index)
    for name in frame.columns:
        assert result[name].reindex(frame.index).tolist() == ranks[name].tolist()
    np.testing.assert_array_equal(result["rank_spread"].reindex(frame.index).to_numpy(dtype=float),
                                  spread.to_numpy(dtype=float))
    # sorted by spread, then id; the first two that move are marked
    order = sorted(frame.index, key=lambda a: (-np.nan_to_num(spread[a], nan=-1), a))
    assert result.index.tolist() == order
    marked = [a for a in order[:2] if spread[a] > 0]
    assert result.index[result["mover"]].tolist() == marked


def test_top_is_checked():
    frame = pd.DataFrame({"m1": [1.0, 2.0], "m2": [2.0, 1.0]}, index=["a", "b"])
    for bad in (0, -1, 1.5, True):
        with pytest.raises(UsageError, match="top"):
            compare(frame, top=bad)
        with pytest.raises(UsageError, match="top"):
            movers(frame, top=bad)


def test_the_panel_compares_with_itself():
    frame = measures(dp.examples.load("ai-stack"), measures=["power", "dominance", "katz"])
    result = compare(frame)
    assert len(result) == 3 and result["kendall_tau"].between(-1, 1).all()
    assert panel.movers(frame)["rank_spread"].ge(0).all()
