"""An ownership register read with a network: ``dp.read(..., ownership=)`` and ``--ownership FILE`` (issue 18).

The register (examples/edges.csv's actors) has a repeated pair and percent
shares: bank 25% + 15% = 40% of telecom and 30% of cloudco, telecom 25% of
cloudco, utility 60% of the mill. Worked by hand (docs/model.md#control):

- majority: bank holds 40% of telecom and 30% of cloudco (telecom, which it
  does not control, adds nothing): bank controls itself only; utility
  controls the mill (60%) and its grid.
- linear, threshold 0.35: bank's integrated ownership of cloudco is
  0.30 + 0.40 x 0.25 = 0.40 > 0.35, of telecom 0.40: bank controls telecom,
  telecom's fiber and cloudco.
- threshold 0.35: bank holds more than 0.35 directly only of telecom: bank
  controls telecom and its fiber, not cloudco.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import dependencia as dp
from dependencia.cli import main
from dependencia.errors import InputError

EXAMPLES = Path(__file__).parents[2] / "examples"
REGISTER = "owner,owned,share_pct\nbank,telecom,25\nbank,telecom,15\nbank,cloudco,30\ntelecom,cloudco,25\nutility,mill,60\n"
EXPECTED = {
    ("majority", None): {"bank": {"bank"}, "utility": {"utility", "mill", "grid"}},
    ("linear", 0.35): {"bank": {"bank", "telecom", "fiber", "cloudco"}, "utility": {"utility", "mill", "grid"}},
    ("threshold", 0.35): {"bank": {"bank", "telecom", "fiber"}, "utility": {"utility", "mill", "grid"}},
}


@pytest.fixture
def register(tmp_path) -> Path:
    path = tmp_path / "register.csv"
    path.write_text(REGISTER)
    return path


def _edge_list(*more: str) -> list[str]:
    return [str(EXAMPLES / "edges.csv"), "--actors", str(EXAMPLES / "actors.csv"),
            "--infrastructures", str(EXAMPLES / "infrastructures.csv"), *more]


def _read(register: Path) -> dp.Network:
    return dp.read(EXAMPLES / "edges.csv", actors=EXAMPLES / "actors.csv",
                   infrastructures=EXAMPLES / "infrastructures.csv", ownership=register)


def test_read_with_a_register_holds_its_summed_fractions(register):
    net = _read(register)
    assert net.ownership[["owner", "owned", "share"]].to_dict("records") == [
        {"owner": "bank", "owned": "telecom", "share": 0.4}, {"owner": "bank", "owned": "cloudco", "share": 0.3},
        {"owner": "telecom", "owned": "cloudco", "share": 0.25}, {"owner": "utility", "owned": "mill", "share": 0.6}]


@pytest.mark.parametrize(("model", "threshold"), list(EXPECTED))
def test_control_models_follow_the_hand_worked_register(register, model, threshold):
    net = _read(register).with_control(model, threshold)
    for actor, controlled in EXPECTED[(model, threshold)].items():
        assert set(net.controls(actor)) == controlled, (model, actor)


@pytest.mark.parametrize(("model", "threshold"), list(EXPECTED))
def test_cli_power_equals_the_api(register, capsys, model, threshold):
    more = ["--ownership", str(register), "--control", model]
    if threshold is not None:
        more += ["--control-threshold", str(threshold)]
    assert main(["power", *_edge_list(*more), "--format", "json"]) == 0
    rows = {row["id"]: row for row in json.loads(capsys.readouterr().out)["rows"]}
    table = dp.power(_read(register).with_control(model, threshold))
    assert set(rows) == set(table.index)
    for actor, row in table.iterrows():
        assert rows[actor]["power"] == row["power"] and rows[actor]["controls"] == row["controls"], actor
    assert rows["bank"]["controls"] == len(EXPECTED[(model, threshold)]["bank"]) - 1  # itself not counted


def test_convert_writes_the_register_and_the_model(register, tmp_path):
    out = tmp_path / "net.yaml"
    assert main(["convert", *_edge_list("--ownership", str(register), "--control", "linear",
                                         "--control-threshold", "0.35"), str(out)]) == 0
    back = dp.read(out)
    expected = _read(register).with_control("linear", 0.35)
    assert back.equals(expected)
    assert set(back.controls("bank")) == EXPECTED[("linear", 0.35)]["bank"]


def test_a_shipped_example_takes_a_register(tmp_path, capsys):
    path = tmp_path / "register.csv"
    path.write_text("owner,owned,share\nMedici,Strozzi,0.6\n")
    assert main(["validate", "florentine", "--ownership", str(path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["ownership"] == 1
    assert set(dp.read(dp.examples.path("florentine"), ownership=path).controls("Medici")) == {"Medici", "Strozzi"}


@pytest.mark.parametrize(("text", "where", "what"), [
    ("owner,owned,share\nbank,telecom,0.4\nnobody,cloudco,0.2\n", "line 3", "unknown actor 'nobody'"),
    ("owner,owned,share\nbank,mill,0.6\nutility,mill,0.5\n", "line 3", "sum to 110%"),
    ("owner,owned,share\nbank,mill,-0.1\n", "line 2", "more than 0"),
    ("owner,owned\nbank,mill\n", "line 1", "no share column"),
])
def test_bad_register_exits_2_naming_file_and_row_and_writes_nothing(tmp_path, capsys, text, where, what):
    bad = tmp_path / "bad.csv"
    bad.write_text(text)
    out = tmp_path / "out.yaml"
    assert main(["convert", *_edge_list("--ownership", str(bad)), str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"error: {bad}, {where}") and what in err[0], err
    assert not out.exists()
    with pytest.raises(InputError, match=what):
        _read(bad)


def test_control_threshold_needs_a_model_with_a_threshold(register, capsys):
    assert main(["power", *_edge_list("--ownership", str(register), "--control-threshold", "0.3")]) == 2
    assert "--control-threshold applies to --control linear or threshold" in capsys.readouterr().err


def test_an_unknown_control_model_and_a_threshold_out_of_range_exit_2(register, capsys):
    assert main(["power", *_edge_list("--control", "plurality")]) == 2
    capsys.readouterr()
    assert main(["power", *_edge_list("--ownership", str(register), "--control", "linear",
                                      "--control-threshold", "1.5")]) == 2
    assert "threshold" in capsys.readouterr().err


def test_treasury_shares_warn_and_strict_refuses(tmp_path, capsys):
    path = tmp_path / "register.csv"
    path.write_text("owner,owned,share\nbank,bank,0.1\nbank,telecom,0.2\n")
    assert main(["validate", *_edge_list("--ownership", str(path))]) == 0
    assert "treasury shares" in capsys.readouterr().err
    assert main(["validate", *_edge_list("--ownership", str(path), "--strict")]) == 2
    assert "treasury shares" in capsys.readouterr().err
