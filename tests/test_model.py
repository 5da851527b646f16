"""The Network model: defaults, validation with record paths, queries, copy/replace/equals.

docs/model.md#parts-of-a-network and the Network docstring are the contract: every rule broken
raises InputError naming the record (``table[row].field``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import dependencia as dp
from dependencia.errors import DependenciaError, InputError

N = dp.Network.from_records
ABC = [{"id": "a"}, {"id": "b"}, {"id": "c"}]


def dep(dependent="a", provider="b", **fields):
    return {"dependent": dependent, "provider": provider, **fields}


# --------------------------------------------------------------------------- defaults
def test_actor_defaults():
    net = N([{"id": "a"}, {"id": "s", "kind": "state", "label": "Bund", "budget": 481, "unit_cost": 2}])
    a = net.actors.loc["a"]
    assert a["kind"] == "actor"
    assert a["label"] is None
    assert math.isnan(a["budget"]) and math.isnan(a["unit_cost"])  # unspecified stays NaN
    s = net.actors.loc["s"]
    assert (s["kind"], s["label"], s["budget"], s["unit_cost"]) == ("state", "Bund", 481.0, 2.0)
    assert list(net.actors.index) == ["a", "s"] and net.actors.index.name == "id"


def test_dependency_defaults():
    net = N(ABC, [dep()])
    record = net.dependencies.iloc[0].to_dict()
    assert record == {
        "dependent": "a", "provider": "b", "dimension": "default",
        "strength": 1.0, "channel": "market", "via": (),
    }
    assert net.dependencies["strength"].dtype == np.float64


def test_missing_fields_take_defaults_per_record():
    net = N(ABC, [dep(strength=2, channel="care", dimension="care"), dep("b", "c")])
    deps = net.dependencies
    assert deps["strength"].tolist() == [2.0, 1.0]
    assert deps["channel"].tolist() == ["care", "market"]
    assert deps["dimension"].tolist() == ["care", "default"]


def test_inferred_dimensions_and_monetized_defaults():
    # Dimensions named by dependencies, needs and infrastructures, in that order;
    # care is unmonetized (0.0) by default, every other dimension monetized (1.0).
    net = N(
        ABC,
        [dep(dimension="care"), dep("b", "c")],
        needs=[{"dependent": "c", "dimension": "compute"}],
        infrastructures=[{"id": "X", "owner": "a", "dimensions": ["semantic"]}],
    )
    assert net.dimensions["monetized"].to_dict() == {"care": 0.0, "default": 1.0, "compute": 1.0, "semantic": 1.0}


def test_declared_dimensions_keep_given_monetized_shares():
    net = N(ABC, [dep(dimension="care")],
            dimensions=[{"id": "care", "monetized": 0.4}, {"id": "family"}, {"id": "money", "monetized": 0.0}])
    assert net.dimensions["monetized"].to_dict() == {"care": 0.4, "family": 1.0, "money": 0.0}
    # declared care without a share falls back to 0.0
    net = N(ABC, dimensions=[{"id": "care"}])
    assert net.dimensions.loc["care", "monetized"] == 0.0


def test_infrastructure_defaults():
    net = N(ABC, infrastructures=[{"id": "X", "owner": "a"}])
    x = net.infrastructures.loc["X"]
    assert x["owner"] == "a" and x["dimensions"] == ()
    assert math.isnan(x["build_cost"]) and math.isnan(x["upkeep"])


def test_free_attributes_are_kept():
    net = N([{"id": "a", "sector": "ai"}, {"id": "b"}], [dep(distance=3.5)])
    assert net.actors.loc["a", "sector"] == "ai"
    assert net.dependencies.loc[0, "distance"] == 3.5


def test_integer_ids_become_text_and_lists_become_tuples():
    # ids written as YAML integers (id: 7) are ids all the same
    net = N([{"id": 1}, {"id": 2}], [{"dependent": 1, "provider": 2, "via": ["X"]}],
            infrastructures=[{"id": "X", "owner": 1}])
    assert list(net.actors.index) == ["1", "2"]
    assert net.dependencies.loc[0, "via"] == ("X",)
    assert net.infrastructures.loc["X", "owner"] == "1"


def test_data_frame_input_with_id_index_and_missing_strength():
    # NaN in a DataFrame reads as "missing" and takes the default (Network Notes);
    # an explicit NaN in a *record* is an error instead (see the validation tests).
    actors = pd.DataFrame({"kind": ["firm", "person"]}, index=pd.Index(["a", "b"], name="id"))
    deps = pd.DataFrame({"dependent": ["a"], "provider": ["b"], "strength": [np.nan]})
    net = dp.Network(actors, deps)
    assert list(net.actors.index) == ["a", "b"]
    assert net.actors["kind"].tolist() == ["firm", "person"]
    assert net.dependencies["strength"].tolist() == [1.0]


def test_empty_network():
    net = N([])
    assert net.n_actors == 0 and net.n_infrastructures == 0 and net.n_edges_declared == 0
    assert list(net.node_ids) == [] and list(net.dimensions.index) == []
    assert list(net.dependencies.columns[:6]) == ["dependent", "provider", "dimension", "strength", "channel", "via"]


# --------------------------------------------------------------------------- validation
CASES = [
    # (id, kwargs for from_records, record path, message pattern)
    ("unknown-provider", dict(dependencies=[dep(), dep("a", "zz")]), "dependencies[1].provider", "unknown actor 'zz'"),
    ("unknown-dependent", dict(dependencies=[dep("zz", "a")]), "dependencies[0].dependent", "unknown actor 'zz'"),
    ("self-dependency", dict(dependencies=[dep("b", "c"), dep("a", "a")]), "dependencies[1].provider", "self-dependency"),
    ("strength-zero", dict(dependencies=[dep(strength=0)]), "dependencies[0].strength", "> 0"),
    ("strength-negative", dict(dependencies=[dep(strength=-1)]), "dependencies[0].strength", "> 0"),
    ("strength-nan", dict(dependencies=[dep(strength=float("nan"))]), "dependencies[0].strength", "NaN"),
    ("strength-inf", dict(dependencies=[dep(strength=math.inf)]), "dependencies[0].strength", "finite"),
    ("strength-text", dict(dependencies=[dep(strength="strong")]), "dependencies[0].strength", "must be a number"),
    ("strength-bool", dict(dependencies=[dep(strength=True)]), "dependencies[0].strength", "must be a number"),
    ("missing-provider", dict(dependencies=[{"dependent": "a"}]), "dependencies[0].provider", "missing"),
    ("empty-dependent", dict(dependencies=[dep(" ", "b")]), "dependencies[0].dependent", "empty"),
    ("bad-channel", dict(dependencies=[dep(channel="gift")]), "dependencies[0].channel", "one of market, public"),
    ("unknown-dimension-declared", dict(dependencies=[dep(), dep(dimension="x")], dimensions=[{"id": "default"}]),
     "dependencies[1].dimension", "unknown dimension 'x'"),
    ("unknown-need-dimension", dict(needs=[{"dependent": "a", "dimension": "x"}], dimensions=[{"id": "y"}]),
     "needs[0].dimension", "unknown dimension 'x'"),
    ("unknown-infra-dimension", dict(infrastructures=[{"id": "X", "owner": "a", "dimensions": ["x"]}],
                                     dimensions=[{"id": "y"}]),
     "infrastructures[0].dimensions", "unknown dimension 'x'"),
    ("via-does-not-serve", dict(dependencies=[dep(dimension="x", via=["X"])],
                                infrastructures=[{"id": "X", "owner": "c", "dimensions": ["y"]}]),
     "dependencies[0].via", "does not serve dimension 'x'"),
    ("via-unknown", dict(dependencies=[dep(via=["Q"])]), "dependencies[0].via", "unknown infrastructure 'Q'"),
    ("via-twice", dict(dependencies=[dep(via=["X", "X"])], infrastructures=[{"id": "X", "owner": "c"}]),
     "dependencies[0].via", "twice"),
    ("via-text", dict(dependencies=[dep(via="X")], infrastructures=[{"id": "X", "owner": "c"}]),
     "dependencies[0].via", "list of ids"),
    ("infra-id-clash", dict(infrastructures=[{"id": "a", "owner": "b"}]), "infrastructures[0].id", "already an actor"),
    ("infra-id-separator", dict(infrastructures=[{"id": "X;Y", "owner": "b"}]), "infrastructures[0].id", "';'"),
    ("infra-unknown-owner", dict(infrastructures=[{"id": "X", "owner": "q"}]), "infrastructures[0].owner",
     "unknown actor 'q'"),
    ("shares-over-one", dict(ownership=[{"owner": "a", "owned": "c", "share": 0.6},
                                        {"owner": "b", "owned": "c", "share": 0.5}]),
     "ownership[1].share", "sum to 1.1"),
    ("share-zero", dict(ownership=[{"owner": "a", "owned": "b", "share": 0}]), "ownership[0].share", "> 0"),
    ("share-above-one", dict(ownership=[{"owner": "a", "owned": "b", "share": 1.5}]), "ownership[0].share", "<= 1"),
    ("self-ownership", dict(ownership=[{"owner": "a", "owned": "a", "share": 0.2}]), "ownership[0].owned",
     "cannot own shares of itself"),
    ("unknown-owned", dict(ownership=[{"owner": "a", "owned": "zz", "share": 0.2}]), "ownership[0].owned",
     "unknown actor 'zz'"),
    ("mutual-control", dict(ownership=[{"owner": "a", "owned": "b", "share": 0.6},
                                       {"owner": "b", "owned": "a", "share": 0.6}]),
     "ownership[1].share", "control each other"),
    ("monetized-range", dict(dimensions=[{"id": "x", "monetized": 1.5}]), "dimensions[0].monetized", "<= 1"),
    ("unit-cost-negative", dict(actors=ABC + [{"id": "d", "unit_cost": -1}]), "actors[3].unit_cost", ">= 0"),
    ("need-unknown-actor", dict(needs=[{"dependent": "zz"}]), "needs[0].dependent", "unknown actor 'zz'"),
    ("authority-unknown", dict(authority=[{"holder": "a", "subject": "zz"}]), "authority[0].subject",
     "unknown actor 'zz'"),
    ("duplicate-actor", dict(actors=ABC + [{"id": "b"}]), "actors[3].id", "duplicate id 'b'"),
    ("duplicate-infra", dict(infrastructures=[{"id": "X", "owner": "a"}, {"id": "X", "owner": "b"}]),
     "infrastructures[1].id", "duplicate id 'X'"),
    ("actor-id-missing", dict(actors=[{"id": "a"}, {"kind": "firm"}]), "actors[1].id", "missing"),
    ("actor-id-number", dict(actors=[{"id": "a"}, {"id": 1.5}]), "actors[1].id", "must be a string"),
    ("record-not-mapping", dict(dependencies=[dep(), ("a", "b")]), "dependencies[1]", "mapping"),
]


@pytest.mark.parametrize(("kwargs", "where", "pattern"), [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_validation_errors_name_the_record(kwargs, where, pattern):
    kwargs = dict(kwargs)
    actors = kwargs.pop("actors", ABC)
    with pytest.raises(InputError) as info:
        N(actors, **kwargs)
    error = info.value
    assert error.where == where
    assert error.source is None
    assert pattern in error.message
    assert str(error) == f"{where}: {error.message}"
    assert isinstance(error, ValueError) and isinstance(error, DependenciaError)


def test_mutual_control_through_a_cycle_names_a_record():
    """BUG: mutual control through a cycle gives an error without a record.

    a holds 0.6 of b, b 0.6 of c, c 0.6 of a: each controls the next, so by
    iteration every one controls the other two, an input error. The error
    reads "actors 'a' and 'b' control each other" at ``ownership.share``,
    with no row: model.py ``Network._resolve_control`` only looks for a direct
    holding b -> a, and there is none. The Network docstring promises that
    the message names the record; a row of the cycle (e.g. ownership[2],
    c -> a, which closes it) would do.
    """
    ownership = [
        {"owner": "a", "owned": "b", "share": 0.6},
        {"owner": "b", "owned": "c", "share": 0.6},
        {"owner": "c", "owned": "a", "share": 0.6},
    ]
    with pytest.raises(InputError, match="control each other") as info:
        N(ABC, ownership=ownership)
    assert info.value.where is not None
    assert info.value.where.startswith("ownership[")


def test_shares_may_exceed_one_by_rounding_only():
    # 0.1 + 0.2 + 0.7 is 1.0000000000000002 in floating point: within the tolerance.
    own = [{"owner": "a", "owned": "c", "share": 0.1}, {"owner": "b", "owned": "c", "share": 0.2},
           {"owner": "a", "owned": "c", "share": 0.7}]
    net = N(ABC, ownership=own)
    assert len(net.ownership) == 3
    # a holds 0.1 + 0.7 = 0.8 of c directly: control
    assert net.controls("a") == {"a", "c"}
    # a share of exactly 1 is allowed
    assert N(ABC, ownership=[{"owner": "a", "owned": "b", "share": 1.0}]).controls("a") == {"a", "b"}


def test_declared_dimensions_accept_known_ones():
    net = N(ABC, [dep(dimension="x", via=["X"])], dimensions=[{"id": "x"}, {"id": "y"}],
            infrastructures=[{"id": "X", "owner": "c", "dimensions": ["x", "y"]}])
    assert list(net.dimensions.index) == ["x", "y"]


def test_infrastructure_without_dimensions_serves_every_dimension():
    net = N(ABC, [dep(dimension="x", via=["X"]), dep("b", "c", dimension="y", via=["X"])],
            infrastructures=[{"id": "X", "owner": "c"}])
    assert net.n_edges_declared == 2


def test_custom_locator_names_file_and_line():
    def locate(table, row, field):
        return f"{table}.csv", None if row is None else f"line {row + 2}"

    with pytest.raises(InputError) as info:
        N(ABC, [dep(), dep("a", "zz")], locate=locate)
    assert (info.value.source, info.value.where) == ("dependencies.csv", "line 3")
    assert str(info.value).startswith("dependencies.csv, line 3: ")
    net = N(ABC, locate=locate)
    assert net.locate("actors", 0, "id") == ("actors.csv", "line 2")


def test_table_must_be_a_list_of_records():
    with pytest.raises(InputError, match="list of records"):
        N({"id": "a"})


# --------------------------------------------------------------------------- queries
def test_public_actors():
    net = N([{"id": "bund", "kind": "state"}, {"id": "kfw", "kind": "public_body"},
             {"id": "msft", "kind": "firm"}, {"id": "ann"}, {"id": "ngo", "kind": "ngo"}])
    assert list(net.public_actors) == ["bund", "kfw"]
    assert list(N(ABC).public_actors) == []


def test_counts_and_node_ids():
    net = N(ABC, [dep(via=["X"]), dep("b", "c")],
            infrastructures=[{"id": "X", "owner": "c"}, {"id": "Y", "owner": "a"}])
    assert (net.n_actors, net.n_infrastructures, net.n_edges_declared) == (3, 2, 2)
    assert list(net.node_ids) == ["a", "b", "c", "X", "Y"]


def test_summary():
    net = N(
        [{"id": "a", "kind": "state"}, {"id": "b"}, {"id": "c"}],
        [dep(via=["X"]), dep("b", "c", dimension="care"), dep("c", "a")],
        infrastructures=[{"id": "X", "owner": "c"}],
        needs=[{"dependent": "a"}],
        ownership=[{"owner": "a", "owned": "b", "share": 0.6}, {"owner": "c", "owned": "b", "share": 0.1}],
        authority=[{"holder": "c", "subject": "a"}],
    )
    s = net.summary()
    assert s["actors"] == 3 and s["public_actors"] == 1 and s["infrastructures"] == 1
    assert s["dimensions"] == ["default", "care"]
    assert s["dependencies"] == 3 and s["dependencies_by_dimension"] == {"default": 2, "care": 1}
    assert s["routed_dependencies"] == 1
    assert s["needs"] == 1 and s["ownership"] == 2 and s["authority"] == 1
    assert s["controlling_actors"] == 1  # a controls b; c controls nobody
    assert "3 actors" in repr(net) and "<table>" in net._repr_html_()


def test_authority_confers_no_control():
    # The OpenAI case: the board's formal authority is recorded but is not control.
    net = N([{"id": "board"}, {"id": "openai"}], authority=[{"holder": "board", "subject": "openai"}])
    assert net.controls("board") == {"board"}
    assert list(net.top_level_actors()) == ["board", "openai"]


# --------------------------------------------------------------------------- copy / replace / equals
def _sample() -> dp.Network:
    return N(
        ABC,
        [dep(strength=2), dep("b", "c", via=["X"])],
        infrastructures=[{"id": "X", "owner": "a"}],
        ownership=[{"owner": "a", "owned": "b", "share": 0.6}],
    )


def test_copy_is_equal_and_independent():
    net = _sample()
    clone = net.copy()
    assert clone.equals(net) and clone == net and clone is not net
    clone.actors.loc["a", "kind"] = "firm"
    clone.dependencies.loc[0, "strength"] = 9.0
    assert net.actors.loc["a", "kind"] == "actor"
    assert net.dependencies.loc[0, "strength"] == 2.0
    assert not clone.equals(net)
    assert clone.controls("a") == net.controls("a") == {"a", "b", "X"}


def test_equals():
    assert _sample().equals(_sample())
    assert _sample() == _sample()
    assert _sample() != N(ABC)
    assert not _sample().equals("not a network")
    # one value differs
    other = N(ABC, [dep(strength=3), dep("b", "c", via=["X"])], infrastructures=[{"id": "X", "owner": "a"}],
              ownership=[{"owner": "a", "owned": "b", "share": 0.6}])
    assert not _sample().equals(other)
    # order matters (values and order)
    assert not N(ABC).equals(N([{"id": "b"}, {"id": "a"}, {"id": "c"}]))
    # missing values compare equal to missing values
    assert N([{"id": "a", "budget": None}]).equals(N([{"id": "a"}]))
    with pytest.raises(TypeError):
        hash(_sample())


def test_replace_returns_a_new_validated_network():
    net = _sample()
    deps = pd.DataFrame({"dependent": ["c"], "provider": ["a"]})
    new = net.replace(dependencies=deps)
    assert new is not net
    assert new.dependencies[["dependent", "provider"]].values.tolist() == [["c", "a"]]
    assert new.infrastructures.equals(net.infrastructures)
    assert new.controls("a") == {"a", "b", "X"}
    assert net.dependencies["dependent"].tolist() == ["a", "b"]  # the original is unchanged
    # replace validates again
    with pytest.raises(InputError, match="unknown actor 'zz'"):
        net.replace(dependencies=pd.DataFrame({"dependent": ["a"], "provider": ["zz"]}))
    with pytest.raises(InputError, match="control each other"):
        net.replace(ownership=pd.DataFrame({"owner": ["a", "b"], "owned": ["b", "a"], "share": [0.6, 0.6]}))
    with pytest.raises(TypeError, match="unknown tables"):
        net.replace(edges=deps)


def test_replace_identity():
    net = _sample()
    assert net.replace().equals(net)
    assert net.replace(actors=net.actors).equals(net)


def test_replace_dependencies_in_a_new_dimension():
    """BUG: replace() freezes inferred dimensions.

    A Network built without a ``dimensions`` table infers them from the other
    tables (docs/model.md#parts-of-a-network, Network docstring). ``replace`` (model.py,
    ``Network.replace``) passes the old inferred ``self.dimensions`` on as if
    the user had declared it, so a new dependency in a dimension the old
    network did not use is rejected ("unknown dimension 'default'" in the
    method's own doctest, which fails). Fix: remember whether dimensions were
    declared and only pass them on when they were (or when the caller
    replaces them).
    """
    # the method's own doctest
    net = dp.Network.from_records([{"id": "a"}, {"id": "b"}])
    assert net.replace(dependencies=pd.DataFrame({"dependent": ["a"], "provider": ["b"]})).n_edges_declared == 1
    # a dependency in a dimension the network did not use so far
    net = N(ABC, [dep(dimension="material")])
    new = net.replace(dependencies=pd.DataFrame({"dependent": ["a"], "provider": ["b"], "dimension": ["care"]}))
    assert list(new.dimensions.index) == ["care"]
    assert new.dimensions.loc["care", "monetized"] == 0.0


def test_replace_keeps_declared_dimensions():
    net = N(ABC, [dep(dimension="x")], dimensions=[{"id": "x", "monetized": 0.5}, {"id": "y"}])
    new = net.replace(dependencies=pd.DataFrame({"dependent": ["a"], "provider": ["b"], "dimension": ["y"]}))
    assert new.dimensions["monetized"].to_dict() == {"x": 0.5, "y": 1.0}
    with pytest.raises(InputError, match="unknown dimension 'z'"):
        net.replace(dependencies=pd.DataFrame({"dependent": ["a"], "provider": ["b"], "dimension": ["z"]}))
