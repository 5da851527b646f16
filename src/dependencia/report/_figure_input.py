"""What a figure is drawn from: a run (its folder or its object) or a single network.

A run folder (docs/simulation.md#results-the-run-folder) is read lazily: only the tables a figure
needs, and networks only at the steps the folder holds them: ``network.json``
at step 0, one per checkpoint (``checkpoints/step-NNNNNN/``, the network
after N steps, which is the one measured in the actors rows of step N), and
``network-final.json``, the network after the last of T steps (step T, which
no actors row measures: its power is computed when drawn).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import InputError, UsageError
from ..network.model import Network

if TYPE_CHECKING:
    from ..simulation.run import Run

__all__ = ["FigureInput", "figure_input"]


class FigureInput:
    """The tables and networks of a run, or one network (then ``is_run`` is False).

    Parameters
    ----------
    name : str
        What the input is called (a folder, a file, a scenario).
    tables : dict of str to callable
        ``steps`` and ``actors`` loaders (absent for a single network).
    networks : dict of int to callable
        Loaders of the networks held, by step (key ``0`` for a single network).
    is_run : bool
    final_step : int, optional
        The step of the network after the run's last step, when held.
    """

    def __init__(self, name: str, *, tables: dict[str, Callable[[], pd.DataFrame]],
                 networks: dict[int, Callable[[], Network]], is_run: bool, final_step: int | None = None):
        self.name = name
        self.is_run = is_run
        self.final_step = final_step
        self._tables = tables
        self._networks = networks
        self._cache: dict[object, object] = {}

    def table(self, name: str) -> pd.DataFrame:
        """The ``steps`` or ``actors`` table; UsageError for a single network."""
        if name not in self._tables:
            raise UsageError(f"{self.name} is a network, not a run folder: it has no {name} table")
        if name not in self._cache:
            self._cache[name] = self._tables[name]()
        return self._cache[name]

    @property
    def network_steps(self) -> list[int]:
        """Steps at which the network is held, ascending."""
        return sorted(self._networks)

    def network(self, step: int) -> Network:
        """The network after ``step`` steps (one of :attr:`network_steps`)."""
        if step not in self._networks:
            held = ", ".join(map(str, self.network_steps))
            raise UsageError(f"no network of step {step} in {self.name}: it holds the network at step(s) {held} "
                             "(the start, each checkpoint and the end)")
        key = ("network", step)
        if key not in self._cache:
            self._cache[key] = self._networks[step]()
        return self._cache[key]  # type: ignore[return-value]

    def controlled(self, step: int) -> set[str]:
        """Actors another actor controls, as of the latest network held at or before ``step``."""
        held = [s for s in self.network_steps if s <= step] or self.network_steps[:1]
        if not held:
            return set()
        controllers = self.network(held[-1]).controllers()
        return set(controllers.index[controllers.index != controllers.to_numpy()])


def figure_input(source: "Run | Network | str | os.PathLike[str]") -> FigureInput:
    """Wrap what :func:`~dependencia.report.plots.plot` accepts: a Run, a Network, or a path.

    A path is a run folder (it holds ``manifest.json``), or anything
    :func:`dependencia.read` reads, or the name of a shipped example.
    """
    from ..simulation.run import Run

    if isinstance(source, Run):
        return _from_run(source)
    if isinstance(source, Network):
        return _from_network("the network", source)
    if not isinstance(source, (str, os.PathLike)):
        raise UsageError(f"cannot draw a {type(source).__name__}: give a Run, a Network, a run folder "
                         "or a network file")
    return _from_path(Path(source))


def _from_path(path: Path) -> FigureInput:
    from ..io import examples, read

    if not path.exists():
        if str(path) in examples.names():
            return _from_network(str(path), read(examples.path(str(path))))
        raise InputError("no such file or folder", source=str(path))
    if path.is_dir():
        if (path / "manifest.json").exists():
            return _from_folder(path)
        from ..batch.sweep import refuse_sweep_folder

        refuse_sweep_folder(path)  # says which run folder to pass instead
        if not (path / "actors.csv").exists():
            raise InputError("not a run folder (no manifest.json) nor a CSV bundle (no actors.csv)", source=str(path))
    return _from_network(str(path), read(path))


def _from_network(name: str, network: Network) -> FigureInput:
    return FigureInput(name, tables={}, networks={0: lambda: network}, is_run=False)


def _from_folder(path: Path) -> FigureInput:
    from ..io.modelfile import read_model_file
    from ..simulation.run_folder import FINAL_NETWORK, RunFolder
    from ..simulation.state import CHECKPOINTS, NETWORK_FILE

    folder = RunFolder.open(path)
    status = folder.manifest.get("status")
    if status != "complete":
        done, planned = folder.manifest.get("steps_done"), folder.total_steps
        raise UsageError(f"the run in {path} is not complete (status {status}, {done} of {planned} steps): "
                         f"run 'dependencia resume {path}' first")
    if not folder.complete():
        raise InputError("a table is missing or does not match the manifest's checksum (changed after the run?)",
                         source=str(path))

    def reader(name: str) -> Callable[[], pd.DataFrame]:
        return lambda: pd.read_parquet(path / f"{name}.parquet")

    networks: dict[int, Callable[[], Network]] = {0: lambda: read_model_file(path / NETWORK_FILE)}
    root = path / CHECKPOINTS
    if root.is_dir():
        for child in sorted(root.iterdir()):
            if child.is_dir() and child.name.startswith("step-") and child.name[5:].isdigit():
                networks[int(child.name[5:])] = _checkpoint_reader(child)
    final = None
    if (path / FINAL_NETWORK).exists():  # verified by the manifest's checksums above
        final = int(folder.manifest["steps_done"])
        networks[final] = lambda: read_model_file(path / FINAL_NETWORK)
    return FigureInput(str(path), tables={"steps": reader("steps"), "actors": reader("actors")}, networks=networks,
                       is_run=True, final_step=final)


def _from_run(run: "Run") -> FigureInput:
    if run.directory is not None and (Path(run.directory) / "manifest.json").exists():
        return _from_folder(Path(run.directory))
    done = int(run.manifest.get("steps_done", len(run.steps)))
    name = str(run.manifest.get("scenario") or "the run")
    return FigureInput(name, tables={"steps": lambda: run.steps, "actors": lambda: run.actors},
                       networks={done: lambda: run.network}, is_run=True, final_step=done)


def power_at(source: FigureInput, step: int) -> pd.Series:
    """Power (normalized) of every actor of the network held at ``step``, by actor id.

    From the run's actors table where it has that step, else computed with
    :func:`dependencia.power`.
    """
    network = source.network(step)
    if source.is_run:
        actors = source.table("actors")
        rows = actors[(actors["step"] == step) & (actors["dimension"] == "*")]
        if not rows.empty:
            return rows.set_index("actor")["power"].reindex(network.actors.index).fillna(0.0)
    from ..measures.power import actor_power as power

    return power(network)["power"].astype(float)


def top_level_shares(source: FigureInput, *, step: int | None, dimension: str) -> tuple[int | None, np.ndarray]:
    """(step, power shares of the top-level actors) for a Lorenz curve, as the run's Gini counts them."""
    if not source.is_run:
        if step is not None:
            raise UsageError("--step applies to a run folder; a network file holds one network")
        from ..measures.power import actor_power as power

        network = source.network(0)
        dims = None if dimension == "*" else [dimension]
        if dims is not None and dimension not in network.dimensions.index:
            raise UsageError(f"no dimension {dimension!r}; the network has {', '.join(network.dimensions.index)}")
        frame = power(network, dimensions=dims)
        return None, frame.loc[frame["controlled_by"].isna(), "power_share"].to_numpy(dtype=float)
    from ..simulation.series import _rows

    rows = _rows(source.table("actors"), dimension, ("step", "actor", "power_share"))
    steps = rows["step"].unique()
    chosen = int(steps.max()) if step is None else step
    if chosen not in set(steps.tolist()):
        raise UsageError(f"no step {chosen} in the run: its steps are {int(steps.min())}-{int(steps.max())}")
    at = rows[rows["step"] == chosen]
    controlled = source.controlled(chosen)
    return chosen, at.loc[~at["actor"].isin(controlled), "power_share"].to_numpy(dtype=float)


def _checkpoint_reader(folder: Path) -> Callable[[], Network]:
    """Read the network of one checkpoint folder when called (not before)."""
    from ..simulation.state import load_checkpoint

    return lambda: load_checkpoint(folder)[0]
