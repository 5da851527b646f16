"""Appended dependencies skip the full re-validation of the table: the result must equal validating everything.

Oracle: the whole concatenated table validated in one go (``Network.replace`` without trust, what the edits
did before), and for tables without free attributes the network built from all records at once
(``Network.from_records``). ``add_dependencies`` and ``serve_needs`` validate only the new rows and append
them to the network's own validated table (issue 19, item 3); these tests fail if a column's type, order,
default or free attribute comes out differently.
"""

from __future__ import annotations

import pandas as pd
import pytest

import dependencia as dp
from dependencia.errors import InputError, UsageError
from dependencia.network import edits
from dependencia.network.records import records_to_frame

ACTORS = [{"id": i} for i in ("a", "b", "c", "d")]
INFRA = [{"id": "X", "owner": "c", "dimensions": ["compute"]}, {"id": "Y", "owner": "d"}]
OLD = [
    {"dependent": "a", "provider": "b", "dimension": "compute", "via": ["X"], "citation": "s1", "weight": 3},
    {"dependent": "b", "provider": "c", "strength": 2.5, "channel": "public"},
]
CASES = {
    "plain": [{"dependent": "c", "provider": "a"}],
    "routed, new dimension": [{"dependent": "d", "provider": "a", "dimension": "care", "via": ["Y"]}],
    "new free attribute": [{"dependent": "a", "provider": "d", "note": "added", "strength": 0.5}],
    "known free attribute": [{"dependent": "d", "provider": "b", "citation": "s2", "weight": 7}],
    "several": [{"dependent": "c", "provider": "d", "dimension": "compute", "via": ["X"]},
                {"dependent": "d", "provider": "c", "channel": "market", "unit_cost": 2.0}],
}


@pytest.mark.parametrize("old", [OLD, []], ids=["with rows", "empty"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_add_dependencies_equals_building_from_all_records(old, case):
    net = dp.Network.from_records(ACTORS, old, infrastructures=INFRA)
    got = edits.add_dependencies(net, CASES[case]).network
    raw = records_to_frame(CASES[case], "dependencies", dp.network.schema.record_locator)
    whole = pd.concat([net.dependencies, raw], ignore_index=True) if len(net.dependencies) else raw
    oracle = net.replace(dependencies=whole)  # every column validated again
    pd.testing.assert_frame_equal(got.dependencies, oracle.dependencies)
    pd.testing.assert_frame_equal(got.dimensions, oracle.dimensions)
    if not any(k in r for r in [*old, *CASES[case]] for k in ("citation", "weight", "note")):
        built = dp.Network.from_records(ACTORS, [*old, *CASES[case]], infrastructures=INFRA)
        pd.testing.assert_frame_equal(got.dependencies, built.dependencies)


def test_serve_needs_equals_building_from_all_records():
    needs = [{"dependent": "a", "dimension": "care"}, {"dependent": "d", "dimension": "compute"}]
    plain = [{k: v for k, v in r.items() if k not in ("citation", "weight")} for r in OLD]
    net = dp.Network.from_records(ACTORS, plain, infrastructures=INFRA, needs=needs)
    got = edits.serve_needs(net, [1], "c", via=("X",), channel="public").network
    served = {"dependent": "d", "provider": "c", "dimension": "compute", "via": ["X"], "channel": "public"}
    oracle = dp.Network.from_records(ACTORS, [*plain, served], infrastructures=INFRA, needs=needs[:1])
    pd.testing.assert_frame_equal(got.dependencies, oracle.dependencies)
    pd.testing.assert_frame_equal(got.needs, oracle.needs)


@pytest.mark.parametrize("record, error", [
    ({"dependent": "a", "provider": "a"}, InputError),                      # a self-dependency
    ({"dependent": "a", "provider": "b", "strength": -1}, InputError),      # out of range
    ({"dependent": "a", "provider": "b", "via": ["nope"]}, InputError),     # unknown infrastructure
    ({"dependent": "zz", "provider": "b"}, UsageError),                     # unknown actor
])
def test_bad_rows_are_still_refused(record, error):
    net = dp.Network.from_records(ACTORS, OLD, infrastructures=INFRA)
    with pytest.raises(error):
        edits.add_dependencies(net, [record])


def _fully_checked(net: dp.Network) -> dp.Network:
    """The same tables through the constructor, every column and cross-reference checked again."""
    return dp.Network(net.actors, net.dependencies, needs=net.needs, infrastructures=net.infrastructures,
                      ownership=net.ownership, authority=net.authority)


@pytest.mark.parametrize("edit", ["add_infrastructure", "reroute", "add_dependencies"])
def test_edits_that_skip_the_whole_reference_check_give_a_valid_network(edit):
    net = dp.Network.from_records(ACTORS, OLD, infrastructures=INFRA)
    if edit == "add_infrastructure":
        got = edits.add_infrastructure(net, "Z", owner="a", dimensions=("compute",), toll=0.2).network
    elif edit == "reroute":
        got = edits.reroute(net, [0, 1], [["X", "Y"], ["Y"]]).network
    else:
        got = edits.add_dependencies(net, [{"dependent": "c", "provider": "a", "via": ["Y"]}]).network
    oracle = _fully_checked(got)
    for name in ("actors", "dependencies", "needs", "infrastructures", "ownership", "authority", "dimensions"):
        pd.testing.assert_frame_equal(getattr(got, name), getattr(oracle, name))


@pytest.mark.parametrize("call, error", [
    (lambda n: edits.add_infrastructure(n, "a", owner="b"), UsageError),             # an actor's id
    (lambda n: edits.add_infrastructure(n, "X", owner="b"), UsageError),             # taken
    (lambda n: edits.add_infrastructure(n, "P;Q", owner="b"), UsageError),           # a separator
    (lambda n: edits.add_infrastructure(n, "P", owner="zz"), UsageError),            # unknown owner
    (lambda n: edits.reroute(n, [1], ["nope"]), UsageError),                         # unknown infrastructure
    (lambda n: edits.reroute(n, [1], [["Y", "Y"]]), UsageError),                     # twice on a route
    (lambda n: edits.reroute(n, [1], ["X"]), UsageError),                            # X serves compute only
    (lambda n: edits.add_dependencies(n, [{"dependent": "a", "provider": "b", "via": ["X"]}]), InputError),
])
def test_what_the_skipped_check_would_catch_is_still_refused(call, error):
    net = dp.Network.from_records(ACTORS, OLD, infrastructures=INFRA)
    with pytest.raises(error):
        call(net)
