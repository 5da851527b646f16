"""The model file (YAML and JSON): its layout, what it reads, and every error it reports."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from _io_helpers import raises_input_error, write

from dependencia.errors import InputError
from dependencia.io import read
from dependencia.io import write as write_network
from dependencia.network.model import Network

# A model file with every section, in YAML's flow style (docs/formats.md#model-file-yaml-or-json).
ARCHITECTURE_EXAMPLE = """\
dependencia: 1
dimensions:      [{id: compute, monetized: 1.0}, {id: capital, monetized: 1.0},
                  {id: care, monetized: 0.0}]
actors:          [{id: nvidia, kind: firm, unit_cost: 1.0}, {id: microsoft, kind: firm},
                  {id: github, kind: firm}, {id: openai, kind: firm},
                  {id: board, kind: ngo}, {id: bund, kind: state, budget: 481}]
infrastructures: [{id: azure, owner: microsoft, dimensions: [compute], build_cost: 10}]
dependencies:    [{dependent: openai, provider: nvidia, dimension: compute,
                   strength: 3, channel: market, via: [azure]},
                  {dependent: openai, provider: microsoft, dimension: capital}]
needs:           [{dependent: bund, dimension: compute}]
ownership:       [{owner: microsoft, owned: github, share: 1.0}]
authority:       [{holder: board, subject: openai}]
"""


def small_network() -> Network:
    return Network.from_records(
        [
            {"id": "nvidia", "kind": "firm", "unit_cost": 1.5},
            {"id": "microsoft", "kind": "firm"},
            {"id": "openai", "kind": "firm", "label": "OpenAI: the lab"},
            {"id": "board", "kind": "ngo"},
            {"id": "bund", "kind": "state", "budget": 481},
        ],
        [
            {"dependent": "openai", "provider": "nvidia", "dimension": "compute", "strength": 3, "via": ["azure"]},
            {"dependent": "openai", "provider": "microsoft", "dimension": "capital"},
        ],
        dimensions=[{"id": "compute", "monetized": 1.0}, {"id": "capital"}, {"id": "care"}],
        infrastructures=[{"id": "azure", "owner": "microsoft", "dimensions": ["compute"], "build_cost": 10}],
        needs=[{"dependent": "bund", "dimension": "compute"}],
        ownership=[{"owner": "microsoft", "owned": "openai", "share": 0.49}],
        authority=[{"holder": "board", "subject": "openai"}],
    )


# Written by hand from the format's rules: version first, sections in order,
# one record per line, missing fields left out, defaults filled in.
EXPECTED_YAML = """\
dependencia: 1
dimensions:
- {id: compute, monetized: 1.0}
- {id: capital, monetized: 1.0}
- {id: care, monetized: 0.0}
actors:
- {id: nvidia, kind: firm, unit_cost: 1.5}
- {id: microsoft, kind: firm}
- {id: openai, kind: firm, label: 'OpenAI: the lab'}
- {id: board, kind: ngo}
- {id: bund, kind: state, budget: 481.0}
infrastructures:
- {id: azure, owner: microsoft, dimensions: [compute], build_cost: 10.0, transit: closed}
dependencies:
- {dependent: openai, provider: nvidia, dimension: compute, strength: 3.0, channel: market, via: [azure]}
- {dependent: openai, provider: microsoft, dimension: capital, strength: 1.0, channel: market}
needs:
- {dependent: bund, dimension: compute}
ownership:
- {owner: microsoft, owned: openai, share: 0.49}
authority:
- {holder: board, subject: openai}
"""


def test_yaml_layout(tmp_path):
    assert write_network(small_network(), tmp_path / "n.yaml") == []
    assert (tmp_path / "n.yaml").read_text() == EXPECTED_YAML


def test_json_layout(tmp_path):
    write_network(small_network(), tmp_path / "n.json")
    text = (tmp_path / "n.json").read_text()
    document = json.loads(text)
    assert list(document) == [
        "dependencia", "dimensions", "actors", "infrastructures", "dependencies", "needs", "ownership", "authority",
    ]
    assert document["dependencia"] == 1
    assert document["actors"][0] == {"id": "nvidia", "kind": "firm", "unit_cost": 1.5}
    assert document["dependencies"][0]["via"] == ["azure"]
    assert "via" not in document["dependencies"][1]
    assert document["dimensions"][2] == {"id": "care", "monetized": 0.0}
    # one line per record: 3 dimensions, 5 actors, 1 infrastructure, 2 dependencies, 1 need, 1 holding, 1 authority
    records = [line for line in text.splitlines() if line.startswith("    {")]
    assert len(records) == 14
    assert records[3] == '    {"id": "nvidia", "kind": "firm", "unit_cost": 1.5},'


def test_empty_sections_are_left_out(tmp_path):
    net = Network.from_records([{"id": "a"}])
    write_network(net, tmp_path / "n.yaml")
    assert (tmp_path / "n.yaml").read_text() == "dependencia: 1\nactors:\n- {id: a, kind: actor}\n"


def test_reads_the_architecture_example(tmp_path):
    net = read(write(tmp_path / "ai.yaml", ARCHITECTURE_EXAMPLE))
    assert list(net.actors.index) == ["nvidia", "microsoft", "github", "openai", "board", "bund"]
    assert net.actors.loc["bund", "budget"] == 481.0
    assert net.actors.loc["nvidia", "kind"] == "firm"
    assert net.dimensions["monetized"].to_dict() == {"compute": 1.0, "capital": 1.0, "care": 0.0}
    first = net.dependencies.iloc[0]
    assert (first["dependent"], first["provider"]) == ("openai", "nvidia")
    assert (first["strength"], first["via"]) == (3.0, ("azure",))
    assert net.dependencies.iloc[1]["channel"] == "market"  # the default
    assert net.infrastructures.loc["azure", "dimensions"] == ("compute",)
    assert net.needs.values.tolist() == [["bund", "compute"]]
    assert sorted(net.controls("microsoft")) == ["azure", "github", "microsoft"]
    assert net.authority.values.tolist() == [["board", "openai"]]


def test_json_file_reads_like_yaml(tmp_path):
    document = {
        "dependencia": 1,
        "actors": [{"id": "a"}, {"id": "b"}],
        "dependencies": [{"dependent": "a", "provider": "b", "strength": 2}],
    }
    net = read(write(tmp_path / "n.json", json.dumps(document)))
    assert net.dependencies[["dependent", "provider", "strength"]].values.tolist() == [["a", "b", 2.0]]


def test_numpy_scalars_and_tuples_are_written_as_plain_values(tmp_path):
    actors = pd.DataFrame({"id": ["a", "b"], "size": pd.Series([np.int64(3), np.float64(2.5)], dtype=object),
                           "tags": [("x", "y"), None]})
    net = Network(actors)
    write_network(net, tmp_path / "n.yaml")
    text = (tmp_path / "n.yaml").read_text()
    assert "!!" not in text
    assert "- {id: a, kind: actor, size: 3, tags: [x, y]}" in text
    assert "- {id: b, kind: actor, size: 2.5}" in text
    assert read(tmp_path / "n.yaml").equals(net)


def test_column_order_survives_when_the_first_record_lacks_an_attribute(tmp_path):
    # Free columns come in order of first appearance; the writer adds nulls to
    # the first record so that the order (and an empty column) survive.
    actors = pd.DataFrame({"id": ["a", "b"], "x": [None, 1], "y": [2, 3], "empty": [None, None]})
    net = Network(actors)
    write_network(net, tmp_path / "n.yaml")
    assert "- {id: a, kind: actor, x: null, y: 2, empty: null}" in (tmp_path / "n.yaml").read_text()
    back = read(tmp_path / "n.yaml")
    assert list(back.actors.columns) == ["kind", "label", "budget", "unit_cost", "x", "y", "empty"]
    assert back.equals(net)


def test_a_null_section_is_an_absent_one(tmp_path):
    text = "dependencia: 1\ndimensions:\nactors: [{id: a}, {id: b}]\ndependencies: [{dependent: a, provider: b}]\n"
    text += "needs:\n"
    net = read(write(tmp_path / "n.yaml", text))
    assert net.n_actors == 2 and len(net.needs) == 0
    assert list(net.dimensions.index) == ["default"]  # derived, as without the section


# --------------------------------------------------------------------- errors
MINIMAL = "dependencia: 1\nactors: [{id: a}, {id: b}]\n"


def _error(tmp_path, name, text, where, *words):
    path = write(tmp_path / name, text)
    return raises_input_error(lambda: read(path), path, where, *words)


def test_unknown_schema_version(tmp_path):
    error = _error(tmp_path, "n.yaml", "dependencia: 2\nactors: []\n", "dependencia",
                   "unknown schema version 2", "reads version 1")
    assert "this version of dependencia reads version 1" in error.message


def test_boolean_is_not_schema_version_one(tmp_path):
    _error(tmp_path, "n.yaml", "dependencia: true\n", "dependencia", "unknown schema version True")


def test_missing_schema_version(tmp_path):
    _error(tmp_path, "n.yaml", "actors: [{id: a}]\n", None, "'dependencia: 1'", "missing")


def test_unknown_section(tmp_path):
    error = _error(tmp_path, "n.yaml", MINIMAL + "actor: []\n", "actor", "unknown section 'actor'")
    assert "allowed: dependencia, dimensions, actors, infrastructures, dependencies, needs, ownership, authority" in (
        error.message
    )


def test_top_level_must_be_a_mapping(tmp_path):
    _error(tmp_path, "n.yaml", "- a\n- b\n", None, "must be a mapping", "list")


def test_section_must_be_a_list(tmp_path):
    _error(tmp_path, "n.yaml", "dependencia: 1\nactors: {id: a}\n", "actors", "must be a list of records")


def test_yaml_python_tag_is_refused_with_its_line(tmp_path):
    text = "dependencia: 1\nactors:\n- !!python/object/apply:os.system ['echo hacked']\n"
    _error(tmp_path, "n.yaml", text, "line 3", "unsafe or unknown YAML tag", "!!python/object/apply:os.system")


def test_yaml_syntax_error_names_the_line(tmp_path):
    _error(tmp_path, "n.yaml", "dependencia: 1\nactors:\n  - {id: a\n  - {id: b}\nx: [\n", "line 4", "invalid YAML")


def test_json_syntax_error_names_the_line(tmp_path):
    _error(tmp_path, "n.json", '{"dependencia": 1,\n "actors": [\n  {"id": "a"},\n ]\n}\n', "line 4", "invalid JSON")


def test_unknown_actor(tmp_path):
    text = MINIMAL + "dependencies: [{dependent: a, provider: b}, {dependent: a, provider: zed}]\n"
    _error(tmp_path, "n.yaml", text, "dependencies[1].provider", "unknown actor 'zed'")


def test_unknown_dimension(tmp_path):
    text = MINIMAL + "dimensions: [{id: compute}]\ndependencies: [{dependent: a, provider: b, dimension: care}]\n"
    _error(tmp_path, "n.yaml", text, "dependencies[0].dimension", "unknown dimension 'care'")


def test_unknown_infrastructure(tmp_path):
    text = MINIMAL + "dependencies: [{dependent: a, provider: b, via: [cloud]}]\n"
    _error(tmp_path, "n.yaml", text, "dependencies[0].via", "unknown infrastructure 'cloud'")


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (".nan", ("strength must be a number", "NaN")),
        ("0", ("strength must be > 0", "0")),
        ("-2", ("strength must be > 0", "-2")),
        (".inf", ("strength must be finite",)),
        ("lots", ("strength must be a number", "'lots'")),
    ],
)
def test_bad_strength(tmp_path, value, words):
    text = MINIMAL + f"dependencies: [{{dependent: a, provider: b, strength: {value}}}]\n"
    _error(tmp_path, "n.yaml", text, "dependencies[0].strength", *words)


def test_duplicate_actor_id(tmp_path):
    _error(tmp_path, "n.yaml", "dependencia: 1\nactors: [{id: a}, {id: b}, {id: a}]\n", "actors[2].id",
           "duplicate id 'a'")


def test_self_dependency(tmp_path):
    _error(tmp_path, "n.yaml", MINIMAL + "dependencies: [{dependent: b, provider: b}]\n",
           "dependencies[0].provider", "self-dependency", "'b'")


def test_mutual_control(tmp_path):
    text = MINIMAL + "ownership: [{owner: a, owned: b, share: 0.6}, {owner: b, owned: a, share: 0.6}]\n"
    _error(tmp_path, "n.yaml", text, "ownership[1].share", "control each other")


def test_json_with_nan_strength(tmp_path):
    document = '{"dependencia": 1, "actors": [{"id": "a"}, {"id": "b"}],\n' \
               ' "dependencies": [{"dependent": "a", "provider": "b", "strength": NaN}]}'
    _error(tmp_path, "n.json", document, "dependencies[0].strength", "must be a number", "NaN")


def test_error_messages_start_with_the_file(tmp_path):
    path = write(tmp_path / "n.yaml", "dependencia: 3\n")
    with pytest.raises(InputError, match=r"n\.yaml, dependencia: unknown schema version 3"):
        read(path)
