"""Atheris harness for the YAML readers: model files, scenario files and sweep specs.

Run by ``make fuzz`` for a fixed time::

    python fuzz/fuzz_yaml.py -max_total_time=60

Any input must read, or raise :class:`dependencia.errors.InputError`; any
other exception is a crash that atheris reports (with the input saved as
``crash-*``). Without corpus folders on the command line, the harness starts
from seeds it writes itself into a temporary folder.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["dependencia"]):
    from dependencia.batch.sweep import read_spec
    from dependencia.errors import InputError
    from dependencia.io.modelfile import read_model_file
    from dependencia.simulation.scenario import read_scenario

from _seeds import run_with_seeds, yaml_seeds

WORK = Path(tempfile.mkdtemp(prefix="dependencia-atheris-yaml-"))


def test_one_input(data: bytes) -> None:
    # the first byte picks the reader, the rest is the file
    choice, body = (data[0] % 4, data[1:]) if data else (0, b"")
    path = WORK / ("net.json" if choice == 3 else "net.yaml")
    path.write_bytes(body)
    reader = (read_model_file, read_scenario, read_spec, read_model_file)[choice]
    try:
        reader(path)
    except InputError as problem:
        assert "\n" not in str(problem)


if __name__ == "__main__":
    run_with_seeds(test_one_input, yaml_seeds(), "yaml", sys.argv)
