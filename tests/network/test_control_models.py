"""The three models of control (docs/model.md#control): majority, linear, threshold, on hand examples.

Majority: shares held directly and by actors already controlled sum to more
than one half. Linear (Vitali, Glattfelder & Battiston 2011): more than the
threshold of the integrated ownership (I - W)^-1 W. Threshold: more than the
threshold held directly. Under the last two, control of a controlled actor's
holdings passes up the chain.
"""

from __future__ import annotations

import pytest

import dependencia as dp
from dependencia.errors import InputError
from dependencia.network.control import ControlModel, control_model


def network(actors, *rows, dependencies=(), control="majority", threshold=None) -> dp.Network:
    return dp.Network.from_records(
        [{"id": a} for a in actors], list(dependencies),
        ownership=[{"owner": o, "owned": t, "share": s} for o, t, s in rows],
        control=control, control_threshold=threshold,
    )


def groups(net: dp.Network) -> dict[str, list[str]]:
    return {a: sorted(g) for a, g in net.control_groups().items()}


# a holds 40% of b and 35% of c; b holds 50% of c. Integrated: a holds 0.35 + 0.4 x 0.5 = 0.55 of c.
INDIRECT = (("a", "b", 0.4), ("a", "c", 0.35), ("b", "c", 0.5))


def test_majority_is_the_default_and_unchanged():
    net = network("abc", *INDIRECT)
    assert net.control == ControlModel("majority", 0.5)
    assert groups(net) == {"a": ["a"], "b": ["b"], "c": ["c"]}  # 0.35 and 0.5 are no majority
    assert net.summary()["control"] == "majority"


def test_linear_counts_integrated_ownership():
    net = network("abc", *INDIRECT).with_control("linear")
    assert net.control == ControlModel("linear", 0.5)
    assert groups(net) == {"a": ["a", "c"], "b": ["b"], "c": ["c"]}  # 0.55 > 0.5; b's 0.5 is not more
    assert net.summary()["control"] == "linear, threshold 0.5"
    assert list(net.controllers()) == ["a", "b", "a"]
    # at 0.6 nobody controls anybody
    assert groups(net.with_control("linear", 0.6)) == {"a": ["a"], "b": ["b"], "c": ["c"]}


def test_threshold_counts_direct_holdings_and_integrates_chains():
    net = network("abc", *INDIRECT)
    assert groups(net.with_control("threshold")) == {"a": ["a"], "b": ["b"], "c": ["c"]}
    # at 0.3: a controls b (0.4) and c (0.35); b controls c (0.5)
    assert groups(net.with_control("threshold", 0.3)) == {"a": ["a", "b", "c"], "b": ["b", "c"], "c": ["c"]}
    # at 0.45: a does not control b (0.4) and holds only 0.35 of c; b controls c (0.5)
    assert groups(net.with_control("threshold", 0.45)) == {"a": ["a"], "b": ["b", "c"], "c": ["c"]}


def test_chains_pass_control_up_under_every_model():
    # a holds 60% of b, b 60% of c: a holds only 0.36 of c, but controls b, which controls c
    rows = (("a", "b", 0.6), ("b", "c", 0.6))
    for model in ("majority", "linear", "threshold"):
        net = network("abc", *rows, control=model)
        assert groups(net) == {"a": ["a", "b", "c"], "b": ["b", "c"], "c": ["c"]}, model
        assert list(net.top_level_actors()) == ["a"], model


def test_the_models_differ_where_holdings_are_pooled():
    # a holds 60% of b; a and b hold 30% of c each. Majority pools b's 30% with a's: a controls c.
    # Threshold: nobody holds more than 50% of c directly. Linear: 0.3 + 0.6 x 0.3 = 0.48 < 0.5.
    rows = (("a", "b", 0.6), ("a", "c", 0.3), ("b", "c", 0.3))
    assert groups(network("abc", *rows))["a"] == ["a", "b", "c"]
    assert groups(network("abc", *rows, control="threshold"))["a"] == ["a", "b"]
    assert groups(network("abc", *rows, control="linear"))["a"] == ["a", "b"]
    assert groups(network("abc", *rows, control="linear", threshold=0.45))["a"] == ["a", "b", "c"]


def test_a_cycle_under_the_linear_model():
    # A holds 50% of B, B 30% of A: A holds 0.5 / 0.85 = 0.588 of B integrated, B 0.3 / 0.85 = 0.353 of A
    rows = (("A", "B", 0.5), ("B", "A", 0.3))
    assert groups(network("AB", *rows, control="linear")) == {"A": ["A", "B"], "B": ["B"]}
    assert groups(network("AB", *rows, control="linear", threshold=0.59)) == {"A": ["A"], "B": ["B"]}
    with pytest.raises(InputError, match=r"ownership\[1\]\.share: actors 'A' and 'B' control each other under "
                                         r"the linear model \(threshold 0\.35\)"):
        network("AB", *rows, control="linear", threshold=0.35)


def test_mutual_control_under_the_threshold_model_is_an_input_error():
    rows = (("a", "b", 0.3), ("b", "a", 0.3))
    assert groups(network("ab", *rows, control="threshold")) == {"a": ["a"], "b": ["b"]}
    with pytest.raises(InputError, match="actors 'a' and 'b' control each other under the threshold model"):
        network("ab", *rows).with_control("threshold", 0.25)


def test_joint_control_below_one_half():
    # at 0.3, a and b (40% of c each) both control c; neither controls the other. The larger group
    # (here equal: the first by id) is c's controller; both count c in their power.
    net = network("abc", ("a", "c", 0.4), ("b", "c", 0.4), control="threshold", threshold=0.3)
    assert groups(net) == {"a": ["a", "c"], "b": ["b", "c"], "c": ["c"]}
    assert net.controllers().to_dict() == {"a": "a", "b": "b", "c": "a"}
    assert list(net.top_level_actors()) == ["a", "b"]


def test_joint_control_under_the_linear_model_at_one_half():
    # m holds 60% of c; k holds 40% of c and 45% of m: k's integrated share of c is 0.4 + 0.45 x 0.6 = 0.67.
    # Both exceed one half, neither controls the other (k holds 0.45 of m): both control c. Their groups
    # are the same size, so c's controller is the first of them by id, k.
    net = network("mkc", ("m", "c", 0.6), ("k", "c", 0.4), ("k", "m", 0.45), control="linear")
    assert groups(net) == {"m": ["c", "m"], "k": ["c", "k"], "c": ["c"]}
    assert net.controllers()["c"] == "k"


def test_power_groups_follow_the_model():
    # s -> c -> t: c carries the only path of the pair (s, t). Under linear control a controls c
    # (0.55 integrated) and gains c's paths; the same groups by a direct majority give the same power.
    deps = [{"dependent": "s", "provider": "c"}, {"dependent": "c", "provider": "t"}]
    linear = network("abcst", *INDIRECT, dependencies=deps, control="linear")
    majority = network("abcst", ("a", "b", 0.4), ("a", "c", 0.6), dependencies=deps)
    assert groups(linear) == groups(majority)
    got, expected = dp.power(linear), dp.power(majority)
    assert got["power"].tolist() == expected["power"].tolist()
    assert got.loc["a", "power"] > 0 and got.loc["c", "controlled_by"] == "a"
    assert dp.power(linear.with_control("majority")).loc["a", "power"] == 0.0


def test_the_model_survives_edits_copies_and_comparison():
    net = network("abc", *INDIRECT, control="linear")
    assert net.replace(actors=net.actors).control == net.control
    assert net.copy().control == net.control and net.copy().equals(net)
    edited = dp.edits.add_actor(net, "d").network
    assert edited.control == net.control and edited.controls("a") == {"a", "c"}
    assert not net.equals(net.with_control("majority"))
    assert net.with_control("majority").with_control("linear").equals(net)


@pytest.mark.parametrize(("model", "threshold", "field", "words"), [
    ("lineer", None, "model", "unknown control model 'lineer'; one of majority, linear, threshold"),
    (None, None, "model", "unknown control model None"),
    ("linear", 0.0, "threshold", "between 0 and 1 (both excluded), got 0.0"),
    ("linear", 1.0, "threshold", "got 1.0"),
    ("threshold", float("nan"), "threshold", "got nan"),
    ("threshold", "0.5", "threshold", "got '0.5'"),
    ("threshold", True, "threshold", "got True"),
    ("majority", 0.6, "threshold", "the majority rule's threshold is one half, got 0.6"),
])
def test_bad_models_and_thresholds_are_refused(model, threshold, field, words):
    with pytest.raises(InputError) as caught:
        control_model(model, threshold)
    assert caught.value.where == f"control.{field}" and words in caught.value.message
    with pytest.raises(InputError, match="control"):
        network("ab").with_control(model, threshold)


def test_majority_accepts_its_own_threshold():
    assert control_model("majority", 0.5) == ControlModel()
    assert control_model("threshold", 0.2).describe() == "threshold, threshold 0.2"
