"""Running many simulations into one folder: each run in ``runs/<run_id>/``, resumed after a kill (sweeps, experiments).

:func:`run_all` runs (or resumes) a plan of runs on the executor (in this
process, local processes or Dask) and records failures instead of raising;
:func:`write_parquet` writes a table with a fixed schema, so that the same
values give the same bytes.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..base.atomic import write_atomic, write_text_atomic
from ..base.executor import Executor
from ..errors import DependenciaError
from ..simulation.config import SimulationConfig
from ..simulation.run_folder import MANIFEST, RunFolder
from ..simulation.runner import Simulation, resume
from ..simulation.scenario import load_scenario

__all__ = ["FAILED", "Progress", "RunSettings", "run_all", "write_parquet"]

FAILED = ".failed"  # workers drop a file here per failed run, for the live count of the progress bar
Progress = Callable[[int, int, int], None]


@dataclass(frozen=True)
class RunSettings:
    """What every worker loads once (an object, not a dict: Dask's scatter would split a dict into futures)."""

    scenario: str
    steps: int
    fixed: tuple[str, ...]


def _setup(shared: RunSettings) -> tuple[Any, SimulationConfig, str]:
    network, config = load_scenario(shared.scenario)
    return network, config.with_overrides([*shared.fixed, f"steps={shared.steps}"]), shared.scenario


def _run_one(state: tuple[Any, SimulationConfig, str],
             item: tuple[str, str, int, list[str]]) -> tuple[str, str, str | None]:
    """Run (or resume) one run in its folder; returns (run_id, status, error) and never raises."""
    network, config, scenario = state
    out, run_id, seed, overrides = item
    folder = Path(out) / "runs" / run_id
    try:
        if (folder / MANIFEST).exists():
            try:
                RunFolder.open(folder)
            except DependenciaError:  # an unreadable manifest: start the run again
                shutil.rmtree(folder)
            else:
                resume(folder)
                return run_id, "complete", None
        elif folder.exists():  # killed before the manifest was written
            shutil.rmtree(folder)
        run_config = config.with_overrides([*overrides, f"seed={seed}"])
        Simulation(network, run_config, scenario=scenario, workers=1).run(None, out=folder)  # runs are the unit
        return run_id, "complete", None
    except Exception as problem:  # a failed run is recorded, not raised
        message = f"{type(problem).__name__}: {problem}"
        try:
            (Path(out) / FAILED).mkdir(exist_ok=True)
            write_text_atomic(Path(out) / FAILED / run_id, message)
        except OSError:
            pass
        return run_id, "failed", message


def run_all(out: Path, shared: RunSettings, plan: list[tuple[str, int, list[str]]], *, workers: int | None,
            scheduler: str | None, progress: Progress | None) -> tuple[dict[str, tuple[str, str | None]], int]:
    """Run (or resume) each ``(run_id, seed, overrides)`` of ``plan`` in ``out/runs/<run_id>``.

    Every run loads ``shared.scenario`` with ``shared.fixed`` and
    ``shared.steps``, then applies its own overrides and seed. Complete runs are skipped, unfinished ones resumed (or restarted),
    failed ones retried; a failure is recorded, not raised. Returns
    ``{run_id: (status, error)}`` and the number of runs complete before.
    Shared by sweeps and experiments (:mod:`.experiment`).
    """
    (out / "runs").mkdir(parents=True, exist_ok=True)
    shutil.rmtree(out / FAILED, ignore_errors=True)
    done_before = {run_id for run_id, _, _ in plan if _complete(out / "runs" / run_id)}
    items = [(str(out), run_id, seed, overrides) for run_id, seed, overrides in plan if run_id not in done_before]
    total, skipped = len(plan), len(done_before)

    def advance(done: int, _: int) -> None:
        if progress is not None:
            failed = len(list((out / FAILED).iterdir())) if (out / FAILED).is_dir() else 0
            progress(skipped + done, failed, total)

    if progress is not None:
        progress(skipped, 0, total)
    results: list[tuple[str, str, str | None]] = []
    if items:
        executor = Executor(workers, scheduler=scheduler, progress=advance)
        results = executor.map(_setup, shared, _run_one, items)
    shutil.rmtree(out / FAILED, ignore_errors=True)
    outcome: dict[str, tuple[str, str | None]] = {run_id: ("complete", None) for run_id in done_before}
    outcome.update({run_id: (status, error) for run_id, status, error in results})
    return outcome, skipped


def _complete(folder: Path) -> bool:
    if not (folder / MANIFEST).exists():
        return False
    try:
        return RunFolder.open(folder).complete()
    except DependenciaError:
        return False


def write_parquet(path: Path, frame: pd.DataFrame) -> None:
    """Write ``frame`` as Parquet (zstd, no pandas metadata, all-null columns as text), atomically."""
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(None)
    for i, field in enumerate(table.schema):  # a column of nothing but nulls (no errors): text, not Arrow's null
        if pa.types.is_null(field.type):
            table = table.set_column(i, field.name, table.column(i).cast(pa.string()))
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    data = buffer.getvalue()

    def write(stream) -> None:
        stream.write(data)

    write_atomic(path, write)
