"""The configuration reference in docs/simulation.md names every parameter the code has."""

from __future__ import annotations

from pathlib import Path

from dependencia.simulation.config import SimulationConfig

DOC = Path(__file__).resolve().parents[2] / "docs" / "simulation.md"


def dotted(mapping, prefix=""):
    for key, value in mapping.items():
        if isinstance(value, dict) and key != "economy":
            yield from dotted(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}"


def test_every_parameter_is_documented():
    text = DOC.read_text()
    missing = [name for name in dotted(SimulationConfig().to_mapping()) if f"`{name}" not in text]
    assert not missing, f"parameters missing from docs/simulation.md: {missing}"
    for setting in SimulationConfig().to_mapping()["economy"]:
        assert f"`{setting}`" in text, setting
