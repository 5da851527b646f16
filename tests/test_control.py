"""Control resolution (docs/model.md#control), worked by hand.

An actor controls itself, every actor in which the shares it holds directly
plus the shares held by actors it already controls sum to *more than* one
half (iterated to a fixed point), and every infrastructure owned by an actor
it controls. Two distinct actors controlling each other is an input error.
"""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import dependencia as dp
from dependencia.errors import InputError
from dependencia.network.control import MAJORITY, find_mutual_control, resolve_control


def holdings(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=["owner", "owned", "share"])


def network(actors, *rows, infrastructures=()) -> dp.Network:
    return dp.Network.from_records(
        [{"id": a} for a in actors],
        ownership=[{"owner": o, "owned": t, "share": s} for o, t, s in rows],
        infrastructures=list(infrastructures),
    )


# --------------------------------------------------------------------------- resolve_control
def test_direct_majority():
    # a holds 0.6 of b > 1/2: a controls b; b holds nothing and is not listed.
    assert resolve_control(holdings(("a", "b", 0.6))) == {"a": frozenset({"a", "b"})}
    net = network("ab", ("a", "b", 0.6))
    assert net.controls("a") == {"a", "b"}
    assert net.controls("b") == {"b"}


def test_indirect_majority_through_a_controlled_subsidiary():
    # a holds 0.6 of b (control). In c: a 0.3 directly + b's 0.3 (b is controlled)
    # = 0.6 > 1/2, so a controls c. b alone has only 0.3 of c.
    control = resolve_control(holdings(("a", "b", 0.6), ("a", "c", 0.3), ("b", "c", 0.3)))
    assert control == {"a": frozenset("abc"), "b": frozenset("b")}
    # the same whatever the row order
    for rows in itertools.permutations([("a", "b", 0.6), ("a", "c", 0.3), ("b", "c", 0.3)]):
        assert resolve_control(holdings(*rows))["a"] == frozenset("abc")


def test_shares_of_an_uncontrolled_actor_do_not_count():
    # a holds 0.4 of b (no control) and 0.3 of c; b holds 0.3 of c. b's shares do not
    # count for a: a has only 0.3 of c.
    control = resolve_control(holdings(("a", "b", 0.4), ("a", "c", 0.3), ("b", "c", 0.3)))
    assert control["a"] == frozenset("a")


def test_exactly_one_half_is_not_control():
    assert resolve_control(holdings(("a", "b", 0.5)))["a"] == frozenset("a")
    # 0.25 directly + 0.25 through a controlled c = 0.5: still not more than one half
    control = resolve_control(holdings(("a", "c", 0.7), ("a", "b", 0.25), ("c", "b", 0.25)))
    assert control["a"] == frozenset("ac")
    # anything really above one half is control
    assert resolve_control(holdings(("a", "b", 0.5000001)))["a"] == frozenset("ab")
    assert resolve_control(holdings(("a", "b", 0.25), ("a", "b", 0.2500001)))["a"] == frozenset("ab")


def test_floating_point_sums_at_one_half():
    # 0.1 + 0.2 + 0.2 is exactly 0.5 in floating point (0.30000000000000004 + 0.2 rounds
    # to 0.5), while 0.1 + 0.2 + 0.15 + 0.05 is 0.5000000000000001. Neither is more than
    # one half.
    assert 0.1 + 0.2 + 0.2 == 0.5
    assert 0.1 + 0.2 + 0.15 + 0.05 > 0.5
    assert 0.1 + 0.2 + 0.15 + 0.05 <= MAJORITY
    # direct holdings of a in d, several rows
    assert resolve_control(holdings(("a", "d", 0.1), ("a", "d", 0.2), ("a", "d", 0.2)))["a"] == frozenset("a")
    rows = [("a", "d", 0.1), ("a", "d", 0.2), ("a", "d", 0.15), ("a", "d", 0.05)]
    assert resolve_control(holdings(*rows))["a"] == frozenset("a")
    # a's 0.1 plus 0.2 each from its subsidiaries b and c (both held 0.6)
    control = resolve_control(holdings(
        ("a", "b", 0.6), ("a", "c", 0.6), ("a", "d", 0.1), ("b", "d", 0.2), ("c", "d", 0.2),
    ))
    assert control["a"] == frozenset("abc")
    # a's 0.1 and 0.05, b's 0.2, c's 0.15: 0.5000000000000001 in row order, not control
    control = resolve_control(holdings(
        ("a", "b", 0.6), ("a", "c", 0.6), ("a", "d", 0.1), ("b", "d", 0.2), ("c", "d", 0.15), ("a", "d", 0.05),
    ))
    assert control["a"] == frozenset("abc")
    # one more 0.1 makes 0.6000000000000001: control
    control = resolve_control(holdings(("a", "d", 0.1), ("a", "d", 0.2), ("a", "d", 0.2), ("a", "d", 0.1)))
    assert control["a"] == frozenset("ad")
    # through the Network, too
    net = network("abcd", ("a", "b", 0.6), ("a", "c", 0.6), ("a", "d", 0.1), ("b", "d", 0.2), ("c", "d", 0.2))
    assert net.controls("a") == {"a", "b", "c"}
    assert list(net.top_level_actors()) == ["a", "d"]


def test_fixed_point_over_several_levels():
    # a 0.6 b (control); a 0.3 c + b 0.3 c = 0.6 (control); a 0.25 d + c 0.3 d = 0.55
    # (control, only after c is controlled); d 0.6 e (control). x holds 0.4 of e: nothing.
    rows = [("d", "e", 0.6), ("c", "d", 0.3), ("a", "d", 0.25), ("b", "c", 0.3), ("a", "c", 0.3),
            ("a", "b", 0.6), ("x", "e", 0.4)]
    control = resolve_control(holdings(*rows))
    assert control["a"] == frozenset("abcde")
    assert control["c"] == frozenset("c")  # 0.3 of d alone is no majority
    assert control["d"] == frozenset("de")
    assert control["x"] == frozenset("x")


def test_cross_holdings_without_mutual_control():
    # 0.4 each way: nobody controls anybody
    net = network("ab", ("a", "b", 0.4), ("b", "a", 0.4))
    assert net.controls("a") == {"a"} and net.controls("b") == {"b"}
    assert list(net.top_level_actors()) == ["a", "b"]
    # 0.6 one way, 0.4 back: a controls b, b's stake in a gives nothing, no error
    net = network("ab", ("a", "b", 0.6), ("b", "a", 0.4))
    assert net.controls("a") == {"a", "b"} and net.controls("b") == {"b"}
    assert list(net.top_level_actors()) == ["a"]


def test_ownership_cycles():
    # a 0.3 b, b 0.3 c, c 0.3 a: a cycle with no majority anywhere
    net = network("abc", ("a", "b", 0.3), ("b", "c", 0.3), ("c", "a", 0.3))
    assert all(net.controls(x) == {x} for x in "abc")
    # a 0.6 b, b 0.6 c, c 0.45 a: a controls b and c; c's 0.45 of a (plus nothing from
    # actors c controls) is no majority, so no mutual control
    net = network("abc", ("a", "b", 0.6), ("b", "c", 0.6), ("c", "a", 0.45))
    assert net.controls("a") == {"a", "b", "c"}
    assert net.controls("b") == {"b", "c"}
    assert net.controls("c") == {"c"}
    assert list(net.top_level_actors()) == ["a"]


def test_mutual_control_is_an_input_error():
    with pytest.raises(InputError, match="'a' and 'b' control each other"):
        network("ab", ("a", "b", 0.6), ("b", "a", 0.6))
    # through a cycle of majorities: a -> b -> c -> a
    with pytest.raises(InputError, match="control each other"):
        network("abc", ("a", "b", 0.6), ("b", "c", 0.6), ("c", "a", 0.6))
    # a controls b and c, which hold 0.3 of a each: together 0.6, but neither b nor c
    # controls the other, so each has only its own 0.3 of a: no mutual control, no error
    net = network("abc", ("a", "b", 0.6), ("a", "c", 0.6), ("b", "a", 0.3), ("c", "a", 0.3))
    assert net.controls("a") == {"a", "b", "c"}


def test_find_mutual_control():
    assert find_mutual_control({"a": frozenset("ab"), "b": frozenset("b")}) is None
    assert find_mutual_control({"a": frozenset("ab"), "b": frozenset("ab")}) == ("a", "b")
    assert find_mutual_control({}) is None


# --------------------------------------------------------------------------- Network queries
def test_chain_controllers_give_the_top():
    # z 0.6 y, y 0.6 x, x 0.6 w: z controls the whole chain (ids in reverse alphabetical
    # order, so the top is not simply the first id); v is on its own.
    net = network("vwxyz", ("x", "w", 0.6), ("y", "x", 0.6), ("z", "y", 0.6))
    assert net.controls("z") == {"z", "y", "x", "w"}
    assert net.controls("y") == {"y", "x", "w"}
    assert net.controls("x") == {"x", "w"}
    assert net.controllers().to_dict() == {"v": "v", "w": "z", "x": "z", "y": "z", "z": "z"}
    assert list(net.top_level_actors()) == ["v", "z"]


def test_controllers_of_a_tree_of_holdings():
    # a controls b and c (0.6 each); c controls d; b 0.3 e + c 0.3 e = 0.6: a controls e;
    # f holds 0.4 of d and controls nothing.
    net = network("abcdef", ("a", "b", 0.6), ("a", "c", 0.6), ("c", "d", 0.6), ("b", "e", 0.3),
                  ("c", "e", 0.3), ("f", "d", 0.4))
    assert net.controls("a") == set("abcde")
    assert net.controllers().to_dict() == {"a": "a", "b": "a", "c": "a", "d": "a", "e": "a", "f": "f"}
    assert list(net.top_level_actors()) == ["a", "f"]


def test_without_ownership_everyone_is_top_level():
    net = network("abc")
    assert net.controllers().to_dict() == {"a": "a", "b": "b", "c": "c"}
    assert list(net.top_level_actors()) == ["a", "b", "c"]
    assert net.controls("b") == {"b"}
    with pytest.raises(KeyError):
        net.controls("zz")


def test_infrastructures_are_controlled_via_their_owner():
    # z controls y controls x; I is owned by x, J by y, K by the outsider v.
    net = network("vxyz", ("y", "x", 0.6), ("z", "y", 0.6),
                  infrastructures=[{"id": "I", "owner": "x"}, {"id": "J", "owner": "y"},
                                   {"id": "K", "owner": "v"}])
    assert net.controls("z") == {"z", "y", "x", "I", "J"}
    assert net.controls("y") == {"y", "x", "I", "J"}
    assert net.controls("x") == {"x", "I"}
    assert net.controls("v") == {"v", "K"}
    # a minority stake in the owner gives no control of its infrastructure
    net = network("ab", ("a", "b", 0.5), infrastructures=[{"id": "I", "owner": "b"}])
    assert net.controls("a") == {"a"}


def test_two_controllers_through_the_share_tolerance():
    """BUG: the share tolerance lets two actors control the same actor.

    Shares held in one actor may sum to 1 + 1e-9 (model.py SHARE_TOLERANCE),
    but control only needs more than 0.5 + 1e-12 (control.py MAJORITY). So
    a and b holding 0.5000000004 each of c pass validation (sum
    1.0000000008) and *both* control c; c's paths are then counted in two
    top-level groups and controllers() silently picks a. Fix: make the
    majority margin at least the tolerance (MAJORITY = 0.5 +
    SHARE_TOLERANCE), or reject a second controller as an input error.
    """
    try:
        net = network("abc", ("a", "c", 0.5000000004), ("b", "c", 0.5000000004))
    except InputError:
        return  # rejecting the input is a fine answer
    assert not ("c" in net.controls("a") and "c" in net.controls("b"))


# --------------------------------------------------------------------------- property test
def _fixed_point(rows, root):
    """Brute-force oracle: add every actor whose holdings by the controlled set exceed 1/2."""
    controlled = {root}
    while True:
        totals = {}
        for owner, owned, share in rows:
            if owner in controlled and owned not in controlled:
                totals[owned] = totals.get(owned, 0.0) + share
        new = {t for t, total in totals.items() if total > MAJORITY}
        if not new:
            return frozenset(controlled)
        controlled |= new


@st.composite
def ownership_tables(draw):
    actors = "abcdef"
    rows = draw(st.lists(
        st.tuples(st.sampled_from(actors), st.sampled_from(actors),
                  st.sampled_from([0.05, 0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.55, 0.6, 0.8])),
        max_size=14,
    ).map(lambda rs: [r for r in rs if r[0] != r[1]]))
    return rows


@given(rows=ownership_tables(), data=st.data())
def test_resolve_control_is_the_fixed_point(rows, data):
    control = resolve_control(holdings(*rows))
    assert set(control) == {owner for owner, _, _ in rows}
    for owner, controlled in control.items():
        assert controlled == _fixed_point(rows, owner)
    # and independent of the row order
    shuffled = data.draw(st.permutations(rows))
    assert resolve_control(holdings(*shuffled)) == control
