"""The results of a simulation run: its tables, its final network and its manifest.

A :class:`Run` comes from :meth:`~.runner.Simulation.run`, :func:`~.runner.resume`
or a complete run folder (:meth:`~.run_folder.RunFolder.completed_run`); in a
notebook it shows a compact summary (:mod:`.summary`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from ..network.model import Network

__all__ = ["Run"]


@dataclass(frozen=True)
class Run:
    """The results of a simulation run.

    Attributes
    ----------
    steps, actors, events : pandas.DataFrame
        The tables of docs/simulation.md#results-the-run-folder.
    network : Network
        The network after the last step.
    manifest : dict
        Version, resolved configuration, seed, steps done, timings.
    directory : Path or None
        The run folder, when the run was written to one.
    already_complete : bool
        True when :func:`resume` found the run finished and read it back
        (``network`` is then read from ``network-final.json``).
    """

    steps: pd.DataFrame
    actors: pd.DataFrame
    events: pd.DataFrame
    network: Network
    manifest: dict
    directory: Path | None = None
    already_complete: bool = False

    def _repr_html_(self) -> str:
        from .summary import run_html

        return run_html(self.manifest, self.steps, self.actors, self.directory)
