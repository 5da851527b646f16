"""A run folder (docs/simulation.md#results-the-run-folder): manifest, initial network, checkpoints, tables.

At the start: ``manifest.json`` (status ``running``, the resolved
configuration, seed, planned steps) and ``network.json`` (the network at
step 0). Every ``checkpoint_every`` steps: ``checkpoints/step-NNNNNN/``. At
the end: ``steps.parquet``, ``actors.parquet``, ``events.parquet`` and
``network-final.json`` (the network after the last step), each written
atomically, and the manifest again with status ``complete``,
timings and a SHA-256 checksum of each table. A killed run therefore never
leaves a table that looks complete; :func:`~.runner.resume` continues it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import platform
from pathlib import Path
from typing import Any

from ..base.atomic import write_bytes_atomic, write_text_atomic
from ..errors import InputError, UsageError
from ..io.modelfile import read_model_file, write_model_file
from ..network.model import Network
from .config import SimulationConfig
from .results import Recorder
from .state import NETWORK_FILE, State, latest_checkpoint, load_checkpoint, save_checkpoint

__all__ = ["RunFolder"]

MANIFEST = "manifest.json"
FINAL_NETWORK = "network-final.json"


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


class RunFolder:
    """The files of one run."""

    def __init__(self, path: Path, manifest: dict[str, Any]):
        self.path = path
        self.manifest = manifest
        self.config = SimulationConfig.from_mapping(manifest["config"], source=str(path / MANIFEST))
        self.total_steps = int(manifest["steps_planned"])

    @classmethod
    def create(cls, path: Path, network: Network, config: SimulationConfig, steps: int,
               scenario: str | None) -> RunFolder:
        """Start a new run folder; refuses one that already holds a run."""
        from ..base.constants import VERSION

        if path.is_symlink():
            raise UsageError(f"{path} is a symbolic link: give the folder itself (a run is never written through a link)")
        if path.exists() and not path.is_dir():
            raise UsageError(f"{path} exists and is not a folder")
        if (path / MANIFEST).exists():
            raise UsageError(f"{path} already holds a run; use 'dependencia resume {path}' or another --out")
        path.mkdir(parents=True, exist_ok=True)
        manifest = {
            "dependencia": VERSION, "scenario": scenario, "seed": config.seed, "steps_planned": steps,
            "steps_done": 0, "status": "running", "started": _now(), "ended": None,
            "python": platform.python_version(), "config": config.to_mapping(), "timings": {}, "checksums": {},
        }
        write_model_file(network, path / NETWORK_FILE)
        folder = cls(path, manifest)
        folder._write_manifest()
        return folder

    @classmethod
    def open(cls, path: Path) -> RunFolder:
        """An existing run folder, to resume."""
        try:
            manifest = json.loads((path / MANIFEST).read_text())
        except FileNotFoundError:
            raise InputError("not a run folder (no manifest.json)", source=str(path)) from None
        except (OSError, ValueError) as problem:
            raise InputError(f"unreadable manifest: {problem}", source=str(path / MANIFEST)) from None
        if not isinstance(manifest, dict) or "config" not in manifest or "steps_planned" not in manifest:
            raise InputError("manifest.json lacks the configuration or planned steps", source=str(path / MANIFEST))
        return cls(path, manifest)

    def complete(self) -> bool:
        """Whether the run finished and its tables match the manifest's checksums."""
        if self.manifest.get("status") != "complete":
            return False
        sums = self.manifest.get("checksums") or {}
        return all((self.path / name).exists() and hashlib.sha256((self.path / name).read_bytes()).hexdigest() == digest
                   for name, digest in sums.items()) and bool(sums)

    def completed_run(self):
        """The :class:`~.run.Run` of a complete folder, read back from its files."""
        import pandas as pd

        from .run import Run

        tables = {name: pd.read_parquet(self.path / f"{name}.parquet") for name in ("steps", "actors", "events")}
        network = self.final_network()
        return Run(steps=tables["steps"], actors=tables["actors"], events=tables["events"], network=network,
                   manifest=dict(self.manifest), directory=self.path, already_complete=True)

    def final_network(self) -> Network:
        """The network after the last step (folders written before 0.1.0's report: the last checkpoint's)."""
        from .state import latest_checkpoint

        if (self.path / FINAL_NETWORK).exists():
            return read_model_file(self.path / FINAL_NETWORK)
        checkpoint = latest_checkpoint(self.path)
        return self.initial_network() if checkpoint is None else read_model_file(checkpoint / NETWORK_FILE)

    def initial_network(self) -> Network:
        """The network at step 0 as written (the run continues from exactly what a resume would read)."""
        return read_model_file(self.path / NETWORK_FILE)

    def restart_point(self) -> tuple[Network, State, Recorder]:
        """Where a resumed run continues: the last checkpoint, or step 0."""
        from .phases import Phases

        checkpoint = latest_checkpoint(self.path)
        if checkpoint is None:
            network = self.initial_network()
            return network, Phases.initial_state(network, self.config), Recorder()
        network, state, tables = load_checkpoint(checkpoint)
        return network, state, Recorder.from_bytes(tables)

    def checkpoint(self, network: Network, state: State, recorder: Recorder) -> Network:
        """Write a checkpoint; returns the network as read back from it (what a resume would continue with)."""
        folder = save_checkpoint(self.path, network, state, recorder.to_bytes())
        self.manifest["steps_done"] = state.step
        self._write_manifest()
        return read_model_file(folder / NETWORK_FILE)

    def finish(self, recorder: Recorder, state: State, timings: dict[str, float], network: Network) -> dict[str, Any]:
        """Write the tables and the final network atomically, then the final manifest; returns the manifest."""
        sums = {}
        write_model_file(network, self.path / FINAL_NETWORK)
        sums[FINAL_NETWORK] = hashlib.sha256((self.path / FINAL_NETWORK).read_bytes()).hexdigest()
        for name, data in recorder.to_bytes().items():
            write_bytes_atomic(self.path / name, data)
            sums[name] = hashlib.sha256(data).hexdigest()
        self.manifest.update(status="complete", steps_done=state.step, ended=_now(), checksums=sums,
                             timings={k: round(v, 6) for k, v in sorted(timings.items())})
        self._write_manifest()
        return dict(self.manifest)

    def _write_manifest(self) -> None:
        write_text_atomic(self.path / MANIFEST, json.dumps(self.manifest, indent=1, allow_nan=False) + "\n")
