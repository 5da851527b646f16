"""Integrated ownership (I - W)^-1 W (Vitali, Glattfelder & Battiston 2011), worked by hand and by numpy.

W[i, j] is the share of j that i holds directly; the integrated share sums,
over every chain of holdings from i to j, the product of the shares along it.
Each expected value below is that sum written out, or numpy's inverse of
(I - W) computed here, never the package's own earlier output.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import dependencia as dp
from dependencia.errors import InputError


def network(actors, *rows) -> dp.Network:
    return dp.Network.from_records(
        [{"id": a} for a in actors], ownership=[{"owner": o, "owned": t, "share": s} for o, t, s in rows]
    )


def numpy_integrated(actors, rows) -> pd.DataFrame:
    """(I - W)^-1 W by numpy's dense inverse, over all actors (the oracle)."""
    index = {a: i for i, a in enumerate(actors)}
    w = np.zeros((len(actors), len(actors)))
    for owner, owned, share in rows:
        w[index[owner], index[owned]] += share
    integrated = np.linalg.inv(np.eye(len(actors)) - w) @ w
    return pd.DataFrame(integrated, index=list(actors), columns=list(actors))


def test_a_chain_multiplies_the_shares_along_it():
    # a holds 50% of b, b holds 40% of c: a holds 0.5 x 0.4 = 0.2 of c through b
    table = dp.integrated_ownership(network("abc", ("a", "b", 0.5), ("b", "c", 0.4)))
    assert table.index.name == "owner" and table.columns.name == "owned"
    assert list(table.index) == ["a", "b"] and list(table.columns) == ["b", "c"]
    assert table.loc["a", "b"] == pytest.approx(0.5)
    assert table.loc["a", "c"] == pytest.approx(0.2)
    assert table.loc["b", "c"] == pytest.approx(0.4)
    assert table.loc["b", "b"] == 0.0


def test_direct_and_indirect_holdings_add_up():
    # a holds 35% of c directly and 40% of b, which holds 50% of c: 0.35 + 0.4 x 0.5 = 0.55
    table = dp.integrated_ownership(network("abc", ("a", "b", 0.4), ("a", "c", 0.35), ("b", "c", 0.5)))
    assert table.loc["a", "c"] == pytest.approx(0.55)


def test_a_cycle_sums_the_geometric_series_by_hand():
    # A holds 50% of B, B holds 30% of A. Every chain from A to B goes round the cycle k times:
    # 0.5 (1 + 0.15 + 0.15^2 + ...) = 0.5 / 0.85; A holds itself through B: 0.15 / 0.85.
    table = dp.integrated_ownership(network("AB", ("A", "B", 0.5), ("B", "A", 0.3)))
    assert table.loc["A", "B"] == pytest.approx(0.5 / 0.85)
    assert table.loc["B", "A"] == pytest.approx(0.3 / 0.85)
    assert table.loc["A", "A"] == pytest.approx(0.15 / 0.85)
    assert table.loc["B", "B"] == pytest.approx(0.15 / 0.85)
    # the series summed term by term agrees
    assert table.loc["A", "B"] == pytest.approx(sum(0.5 * 0.15**k for k in range(200)))


def test_a_three_cycle_with_an_outside_owner_matches_numpy():
    rows = [("x", "a", 0.6), ("a", "b", 0.7), ("b", "c", 0.5), ("c", "a", 0.2), ("x", "c", 0.3)]
    actors = ["x", "a", "b", "c"]
    table = dp.integrated_ownership(network(actors, *rows))
    oracle = numpy_integrated(actors, rows).loc[table.index, table.columns]
    np.testing.assert_allclose(table.to_numpy(), oracle.to_numpy(), rtol=1e-12, atol=1e-15)
    # by hand: x reaches c directly (0.3) and through a and b (0.6 x 0.7 x 0.5 = 0.21); from c, every
    # further round of the cycle c -> a -> b -> c multiplies by 0.2 x 0.7 x 0.5 = 0.07
    assert table.loc["x", "c"] == pytest.approx((0.3 + 0.21) / (1 - 0.07))


def test_random_cross_holdings_match_a_direct_numpy_inverse():
    rng = np.random.default_rng(7)
    actors = [f"f{i}" for i in range(30)]
    rows = []
    for owned in actors:  # each firm: up to four holders, shares summing to at most 0.9
        holders = rng.choice([a for a in actors if a != owned], size=rng.integers(1, 5), replace=False)
        shares = rng.dirichlet(np.ones(len(holders))) * rng.uniform(0.2, 0.9)
        rows += [(str(h), owned, float(s)) for h, s in zip(holders, shares)]
    table = dp.integrated_ownership(network(actors, *rows))
    oracle = numpy_integrated(actors, rows).loc[table.index, table.columns]
    np.testing.assert_allclose(table.to_numpy(), oracle.to_numpy(), rtol=1e-10, atol=1e-13)


def test_a_large_strongly_connected_core_matches_numpy():
    # 150 firms holding each other at random: one strongly connected core larger than DENSE_CORE
    # (solved densely); the oracle is the same formula by numpy's inverse
    from scipy.sparse import csgraph

    from dependencia.network.ownership import DENSE_CORE, holdings_matrix

    rng = np.random.default_rng(11)
    actors = [f"f{i}" for i in range(150)]
    rows = []
    for j, owned in enumerate(actors):
        holders = rng.choice([i for i in range(150) if i != j], size=3, replace=False)
        shares = rng.dirichlet(np.ones(3)) * rng.uniform(0.5, 0.95)
        rows += [(actors[h], owned, float(s)) for h, s in zip(holders, shares)]
    net = network(actors, *rows)
    _, labels = csgraph.connected_components(holdings_matrix(net.ownership, pd.Index(actors)), connection="strong")
    assert np.bincount(labels).max() > DENSE_CORE
    table = dp.integrated_ownership(net)
    oracle = numpy_integrated(actors, rows).loc[table.index, table.columns]
    np.testing.assert_allclose(table.to_numpy(), oracle.to_numpy(), rtol=1e-9, atol=1e-12)


def test_repeated_records_of_a_pair_add_up():
    table = dp.integrated_ownership(network("abc", ("a", "b", 0.2), ("a", "b", 0.3), ("b", "c", 1.0)))
    assert table.loc["a", "b"] == pytest.approx(0.5) and table.loc["a", "c"] == pytest.approx(0.5)


def test_actors_order_and_no_ownership():
    table = dp.integrated_ownership(network("zyx", ("x", "z", 0.5), ("y", "z", 0.1)))
    assert list(table.index) == ["y", "x"]  # the order of the actors table
    empty = dp.integrated_ownership(network("ab"))
    assert empty.shape == (0, 0) and empty.index.name == "owner"


def test_a_closed_loop_is_refused_naming_its_members():
    # b holds all of a and all of c; a and c hold half of b each: every share of each is held inside
    # the loop, the spectral radius of W is 1 and (I - W) is singular. The majority rule accepts it
    # (b controls a and c; nobody controls b), integrated ownership cannot.
    net = network("abc", ("b", "a", 1.0), ("b", "c", 1.0), ("a", "b", 0.5), ("c", "b", 0.5))
    assert net.controls("b") == {"a", "b", "c"}
    assert np.linalg.matrix_rank(np.eye(3) - np.array([[0, 0.5, 0], [1, 0, 1], [0, 0.5, 0]])) < 3
    with pytest.raises(InputError, match=r"ownership\[0\]\.share: the holdings among 'a', 'b', 'c' form a closed "
                                         r"loop.*spectral radius"):
        dp.integrated_ownership(net)
    with pytest.raises(InputError, match="closed loop"):
        net.with_control("linear")


def test_a_loop_with_a_share_held_outside_is_not_closed():
    # as above, but an outsider holds 10% of b: the loop leaks, the spectral radius is below 1
    rows = [("b", "a", 1.0), ("b", "c", 1.0), ("a", "b", 0.45), ("c", "b", 0.45), ("o", "b", 0.1)]
    actors = ["a", "b", "c", "o"]
    table = dp.integrated_ownership(network(actors, *rows))
    oracle = numpy_integrated(actors, rows).loc[table.index, table.columns]
    np.testing.assert_allclose(table.to_numpy(), oracle.to_numpy(), rtol=1e-10)
    assert table.loc["o", "a"] == pytest.approx(0.1 / (1 - 0.9))  # 0.1 (1 + 0.9 + 0.81 + ...) = 1: o owns it all
