"""The contract of every shipped scenario (``data/scenarios/NAME.yaml``).

Each scenario loads and validates; its network survives a round trip
through the model file formats; a simulated one (with a ``simulation:``
section) runs, and a run of 3 steps with seed 0 is reproducible: equal
tables, and byte-identical Parquet. Three steps each keep this fast.
"""

from __future__ import annotations

import pandas as pd
import pytest

import dependencia as dp
from dependencia.io import read, write
from dependencia.io.modelfile import load_document
from dependencia.simulation.config import SimulationConfig
from dependencia.simulation.results import SCHEMAS, parquet_bytes
from dependencia.simulation.scenario import load_scenario, read_scenario, scenario_names, scenario_path

NAMES = scenario_names()
SIMULATED = [name for name in NAMES if "simulation" in load_document(scenario_path(name))]
STEPS = 3


def test_there_are_shipped_scenarios():
    assert NAMES, "no shipped scenarios found in dependencia/data/scenarios"
    assert SIMULATED, "no shipped scenario has a simulation: section"


@pytest.mark.parametrize("name", NAMES)
def test_scenario_loads_and_validates(name):
    network, config = read_scenario(scenario_path(name))
    assert isinstance(network, dp.Network) and isinstance(config, SimulationConfig)
    assert network.n_actors > 0
    by_name, config_by_name = load_scenario(name)
    assert by_name.equals(network) and config_by_name == config
    assert SimulationConfig.from_mapping(config.to_mapping()) == config


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
@pytest.mark.parametrize("name", NAMES)
def test_network_round_trips_through_model_files(name, suffix, tmp_path):
    network, _ = read_scenario(scenario_path(name))
    path = tmp_path / f"{name}{suffix}"
    assert write(network, path) == []  # the model file is lossless: nothing dropped
    assert read(path).equals(network)


@pytest.mark.parametrize("name", SIMULATED)
def test_simulated_scenario_runs_reproducibly(name):
    network, config = read_scenario(scenario_path(name))
    seeded = config.with_overrides(["seed=0"])
    first = dp.Simulation(network, seeded).run(STEPS)
    second = dp.Simulation(network, seeded).run(STEPS)
    assert first.steps["step"].tolist() == list(range(STEPS))
    for table in SCHEMAS:
        a, b = getattr(first, table), getattr(second, table)
        pd.testing.assert_frame_equal(a, b)
        assert parquet_bytes(a, table) == parquet_bytes(b, table), f"{name}: {table}.parquet differs between runs"
    assert first.network.equals(second.network)
