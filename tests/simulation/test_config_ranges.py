"""Shares, rates and probabilities outside their range are refused, naming the key, the value and the range.

The expected ranges below are written from each parameter's meaning
(docs/simulation.md's reference), not read from the code: a share or a
probability lies in [0, 1]; a power-share cap or threshold of 0 would act on
everybody, so it is in (0, 1]; an approximation needs 0 < epsilon, delta < 1;
a switching cost of the whole old cost would lock everybody in, so [0, 1);
an interest rate per step, and its rise per unit of debt-to-revenue ratio,
lie in [0, 1] (a rate above 100% a step is not a rate the model means).
Each is checked where a value can come from: the API, ``--set`` and a scenario
file.
"""

from __future__ import annotations

import pytest
import yaml

from dependencia.cli import main
from dependencia.errors import InputError, UsageError
from dependencia.simulation import SimulationConfig
from dependencia.simulation.config import RANGES

# dotted key -> (low, high, low open, high open)
EXPECTED = {
    "measure.epsilon": (0, 1, True, True),
    "measure.delta": (0, 1, True, True),
    "adoption.switching_cost": (0, 1, False, True),
    "spillover.probability": (0, 1, False, False),
    "economy.rent_tax": (0, 1, False, False),
    "public.interest_rate": (0, 1, False, False),
    "public.interest_slope": (0, 1, False, False),
    "policies.debt_brake.borrowing_cap": (0, 1, False, False),
    "policies.debt_brake.gdp_share": (0, 1, False, False),
    "policies.rent_tax.rate": (0, 1, False, False),
    "policies.antitrust.cap": (0, 1, True, False),
    "policies.interoperability.threshold": (0, 1, True, False),
}


def interval(key: str) -> str:
    low, high, low_open, high_open = EXPECTED[key]
    return f"{'(' if low_open else '['}{low}, {high}{')' if high_open else ']'}"


def bad_values(key: str) -> list[float]:
    low, high, low_open, high_open = EXPECTED[key]
    return [low - 0.5, high + 1] + ([low] if low_open else []) + ([high] if high_open else [])


def good_values(key: str) -> list[float]:
    low, high, low_open, high_open = EXPECTED[key]
    return [0.5] + ([] if low_open else [low]) + ([] if high_open else [high])


def nested(key: str, value: object) -> dict:
    *sections, name = key.split(".")
    data: dict = {name: value}
    for section in reversed(sections):
        data = {section: data}
    return data


CASES = [(key, value) for key in EXPECTED for value in bad_values(key)]


def text(value: float) -> str:
    return f"{value:g}"


def test_every_share_like_parameter_has_a_range():
    assert set(RANGES) == set(EXPECTED)


@pytest.mark.parametrize("key, value", CASES)
def test_api_refuses_with_key_range_and_value(key, value):
    with pytest.raises(UsageError) as caught:
        SimulationConfig.from_mapping(nested(key, value))
    message = str(caught.value)
    assert message.startswith(f"{key}: ") and f"must be in {interval(key)}, got {text(value)}" in message


@pytest.mark.parametrize("key", list(EXPECTED))
def test_values_inside_the_range_are_taken(key):
    for value in good_values(key):
        assert SimulationConfig.from_mapping(nested(key, value)).get(key) == value
        assert SimulationConfig().with_overrides([f"{key}={value}"]).get(key) == value


@pytest.mark.parametrize("key, value", CASES)
def test_set_exits_2_naming_the_assignment(capsys, tmp_path, key, value):
    code = main(["simulate", "platform", "--steps", "1", "--quiet", "--out", str(tmp_path / "run"),
                 "--set", f"{key}={text(value)}"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    (line,) = err.strip().splitlines()
    assert line.startswith(f"error: --set {key}={text(value)}: ")
    assert line.endswith(f", must be in {interval(key)}")
    assert not (tmp_path / "run").exists()


def test_the_issue_example():
    with pytest.raises(UsageError, match=r"^--set policies\.debt_brake\.borrowing_cap=2: a share.*must be in \[0, 1\]$"):
        SimulationConfig().with_overrides(["policies.debt_brake.borrowing_cap=2"])


@pytest.mark.parametrize("key, value", [(k, bad_values(k)[1]) for k in EXPECTED])
def test_scenario_file_value_names_the_file_and_key(capsys, tmp_path, key, value):
    path = tmp_path / "shares.yaml"
    document = {"dependencia": 1, "actors": [{"id": "a"}, {"id": "b"}],
                "dependencies": [{"dependent": "a", "provider": "b"}], "simulation": nested(key, value)}
    path.write_text(yaml.safe_dump(document))
    with pytest.raises(InputError):
        SimulationConfig.from_mapping(document["simulation"], source=str(path))
    code = main(["simulate", str(path), "--steps", "1", "--quiet", "--out", str(tmp_path / "run")])
    err = capsys.readouterr().err
    (line,) = err.strip().splitlines()
    assert code == 2
    assert line.startswith(f"error: {path}, simulation.{key}: ")
    assert line.endswith(f"must be in {interval(key)}, got {text(value)}")
