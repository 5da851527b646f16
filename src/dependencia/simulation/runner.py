"""The step loop of the network Monopoly (docs/simulation.md#one-step): measure, pay, invest, adopt, spill over, decay, record.

:class:`Simulation` runs a network under a :class:`~.config.SimulationConfig`;
with an output folder it writes the run's tables (docs/simulation.md#results-the-run-folder),
checkpoints every ``checkpoint_every`` steps, and :func:`resume` continues a
killed run with byte-identical results.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..network.model import Network
from .config import SimulationConfig
from .phases import Phases
from .results import Recorder
from .run import Run
from .run_folder import RunFolder
from .state import State

__all__ = ["Run", "Simulation", "resume"]


class Simulation:
    """A simulation of a network under a configuration.

    Parameters
    ----------
    network : Network
    config : SimulationConfig or mapping, optional
        The configuration (a scenario's ``simulation:`` section); defaults
        throughout when omitted.
    scenario : str, optional
        A name recorded in the manifest.
    workers, scheduler : optional
        Where the measure phase computes power each step, as in :func:`dependencia.power` (None: all
        cores, in-process where the network is small); the values (and the run's bytes) are the same
        for any. Sweeps and experiments run each simulation with one worker: their runs are the
        parallel unit.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records(
    ...     [{"id": "a"}, {"id": "b"}, {"id": "c"}, {"id": "big", "budget": 50}],
    ...     [{"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "c"},
    ...      {"dependent": "a", "provider": "c"}])
    >>> run = dp.Simulation(net, {"investors": [{"actor": "big", "strategy": "greedy"}]}).run(3)
    >>> run.steps["step"].tolist()
    [0, 1, 2]
    >>> bool((run.events["kind"] == "build").any())
    True
    """

    def __init__(self, network: Network, config: SimulationConfig | Mapping[str, Any] | None = None, *,
                 scenario: str | None = None, workers: int | None = None, scheduler: str | None = None):
        _check_workers(workers)
        self.network = network
        self.workers, self.scheduler = workers, scheduler
        self.config = config if isinstance(config, SimulationConfig) else SimulationConfig.from_mapping(config)
        self.scenario = scenario
        Phases.check(network, self.config)

    def run(self, steps: int | None = None, *, out: str | Path | None = None,
            progress: Callable[[int, int], None] | None = None) -> Run:
        """Run ``steps`` steps (default: the configuration's), writing to ``out`` when given."""
        total = self.config.steps if steps is None else steps
        if total < 0:
            raise ValueError("steps must be >= 0")
        folder = None
        network = self.network
        config = dataclasses.replace(self.config, steps=total)  # the manifest records what runs
        if out is not None:
            folder = RunFolder.create(Path(out), network, config, total, self.scenario)
            network = folder.initial_network()
        state = Phases.initial_state(network, config)
        return _loop(network, state, Recorder(), config, total, folder, progress, (self.workers, self.scheduler))


def resume(directory: str | Path, *, progress: Callable[[int, int], None] | None = None, workers: int | None = None,
           scheduler: str | None = None) -> Run:
    """Continue a run folder from its last checkpoint (or from the start) to its planned number of steps.

    A run that is already complete is read back, not run again. ``workers`` and ``scheduler`` serve the
    measure phase's power as in :class:`Simulation` (the same values for any).
    """
    _check_workers(workers)
    folder = RunFolder.open(Path(directory))
    if folder.complete():
        return folder.completed_run()
    network, state, recorder = folder.restart_point()
    return _loop(network, state, recorder, folder.config, folder.total_steps, folder, progress,
                 (workers, scheduler))


def _loop(network: Network, state: State, recorder: Recorder, config: SimulationConfig, total: int,
          folder: RunFolder | None, progress: Callable[[int, int], None] | None,
          parallel: tuple[int | None, str | None] = (None, None)) -> Run:
    timings: dict[str, float] = {}
    phases = Phases(network, state, recorder, config, workers=parallel[0], scheduler=parallel[1])
    started = time.perf_counter()
    while phases.state.step < total:
        phases.step(timings)
        done = phases.state.step
        if folder is not None and (done % config.checkpoint_every == 0) and done < total:
            phases.network = folder.checkpoint(phases.network, phases.state, recorder)
        if progress is not None:
            progress(done, total)
    timings["total"] = time.perf_counter() - started
    frames = recorder.frames()
    manifest = {"steps_done": phases.state.step, "seed": config.seed, "config": config.to_mapping(),
                "timings": {k: round(v, 6) for k, v in sorted(timings.items())}}
    if folder is not None:
        manifest = folder.finish(recorder, phases.state, timings, phases.network)
    return Run(steps=frames["steps"], actors=frames["actors"], events=frames["events"], network=phases.network,
               manifest=manifest, directory=None if folder is None else folder.path)


def _check_workers(workers: int | None) -> None:
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise UsageError(f"workers must be a whole number of at least 1 (or None: all cores), got {workers!r}")
