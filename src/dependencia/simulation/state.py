"""The state of a simulation between steps, and its checkpoints.

Everything a run needs to continue is the network (written as a model file in
JSON, the documented format) plus :class:`State` (plain JSON: budgets, public
debt, counters) plus the result rows recorded so far (Parquet). A checkpoint
is a folder ``checkpoints/step-NNNNNN/`` holding these files and
``checksums.json`` (SHA-256 of each); it is written to a temporary folder
and renamed into place, so a checkpoint either exists complete or not at all,
and a checkpoint whose checksums do not match is refused. No pickle is used
anywhere. Each step draws its random numbers from a generator seeded with
(seed, step), so no generator state needs saving.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import InputError
from ..io.modelfile import read_model_file, write_model_file
from ..network.model import Network

__all__ = ["State", "latest_checkpoint", "load_checkpoint", "save_checkpoint"]

CHECKPOINTS = "checkpoints"
STATE_FILE = "state.json"
NETWORK_FILE = "network.json"
CHECKSUMS = "checksums.json"


@dataclass
class State:
    """What changes from step to step besides the network.

    Attributes
    ----------
    step : int
        The next step to run (steps done so far).
    budgets : dict
        Budget of every actor.
    public_budget : float
        Budget of a public account created for the run (the network has no state).
    public_debt : float
        What the public account owes the lender.
    privatized : int
        Public infrastructures sold to private owners so far.
    public_origin : list of str
        Infrastructures built or first owned by the public.
    built : dict
        Step at which each infrastructure the simulation built was built (or last extended).
    counter : int
        Infrastructures built so far (for new ids).
    """

    step: int = 0
    budgets: dict[str, float] = field(default_factory=dict)
    public_budget: float = 0.0
    public_debt: float = 0.0
    privatized: int = 0
    public_origin: list[str] = field(default_factory=list)
    built: dict[str, int] = field(default_factory=dict)
    counter: int = 0

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, allow_nan=False, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str, source: str) -> State:
        try:
            data = json.loads(text)
            return cls(**data)
        except (ValueError, TypeError) as problem:
            raise InputError(f"not a valid simulation state: {problem}", source=source) from None


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def save_checkpoint(run_dir: Path, network: Network, state: State, tables: dict[str, bytes]) -> Path:
    """Write a checkpoint of the state after ``state.step`` steps; returns its folder."""
    root = Path(run_dir) / CHECKPOINTS
    root.mkdir(parents=True, exist_ok=True)
    final = root / f"step-{state.step:06d}"
    staging = root / f".step-{state.step:06d}.partial"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    try:
        write_model_file(network, staging / NETWORK_FILE)
        (staging / STATE_FILE).write_text(state.to_json())
        for name, data in tables.items():
            (staging / name).write_bytes(data)
        sums = {p.name: _digest(p) for p in sorted(staging.iterdir())}
        (staging / CHECKSUMS).write_text(json.dumps(sums, indent=1, sort_keys=True) + "\n")
        for p in staging.iterdir():
            with open(p, "rb") as handle:
                os.fsync(handle.fileno())
    except BaseException as problem:  # e.g. a full disk: no half-written staging folder stays behind
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(problem, OSError) and problem.errno is not None:
            raise OSError(problem.errno, problem.strerror, str(final)) from problem
        raise
    if final.exists():
        shutil.rmtree(final)
    os.replace(staging, final)
    return final


def latest_checkpoint(run_dir: Path) -> Path | None:
    """The most recent complete checkpoint folder, or None."""
    root = Path(run_dir) / CHECKPOINTS
    if not root.is_dir():
        return None
    done = sorted(p for p in root.iterdir() if p.is_dir() and p.name.startswith("step-") and (p / CHECKSUMS).exists())
    return done[-1] if done else None


def load_checkpoint(folder: Path) -> tuple[Network, State, dict[str, bytes]]:
    """Read and verify a checkpoint: (network, state, table bytes by file name)."""
    folder = Path(folder)
    try:
        sums = json.loads((folder / CHECKSUMS).read_text())
    except (OSError, ValueError) as problem:
        raise InputError(f"unreadable checkpoint: {problem}", source=str(folder)) from None
    for name, expected in sums.items():
        path = folder / name
        if not path.exists() or _digest(path) != expected:
            raise InputError(f"checkpoint file {name} is missing or corrupt (checksum mismatch)", source=str(folder))
    network = read_model_file(folder / NETWORK_FILE)
    state = State.from_json((folder / STATE_FILE).read_text(), str(folder / STATE_FILE))
    tables = {name: (folder / name).read_bytes() for name in sums if name.endswith(".parquet")}
    return network, state, tables
