"""Whole runs: determinism, resume after a kill, the run folder contract (docs/simulation.md#results-the-run-folder), conservation.

The shipped ``debt-brake`` scenario (28 actors, three dimensions) is small
enough for a few steps per test; the kill tests start the command line in a
subprocess and SIGKILL it at a chosen moment.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

import dependencia as dp
from dependencia.cli import main
from dependencia.errors import InputError
from dependencia.simulation.results import EVENT_KINDS, SCHEMAS, TABLES, parquet_bytes
from dependencia.simulation.scenario import load_scenario
from dependencia.simulation.state import latest_checkpoint

SCENARIO = "debt-brake"
KILL_STEPS = 10  # long enough that the subprocess is still running when we kill it


def run_cli(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def scenario(*overrides: str):
    network, config = load_scenario(SCENARIO)
    return network, config.with_overrides(list(overrides))


def table_bytes(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in TABLES}


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """An undisturbed 4-step run of the scenario (seed 1, checkpoint every 2) in a folder, and in memory."""
    network, config = scenario("checkpoint_every=2")
    folder = tmp_path_factory.mktemp("reference") / "run"
    on_disk = dp.Simulation(network, config).run(4, out=folder)
    in_memory = dp.Simulation(network, config).run(4)
    return folder, on_disk, in_memory


# ---------------------------------------------------------------- determinism
def test_same_seed_gives_byte_identical_tables(reference, tmp_path):
    folder, _, _ = reference
    network, config = scenario("checkpoint_every=2")
    dp.Simulation(network, config).run(4, out=tmp_path / "again")
    assert table_bytes(tmp_path / "again") == table_bytes(folder)


def test_different_seed_gives_different_events(reference):
    _, _, in_memory = reference
    network, config = scenario("checkpoint_every=2", "seed=2")
    other = dp.Simulation(network, config).run(4)
    assert len(in_memory.events) and len(other.events)
    assert not other.events.equals(in_memory.events)


def test_in_memory_run_equals_folder_run(reference):
    folder, on_disk, in_memory = reference
    for name in ("steps", "actors", "events"):
        pd.testing.assert_frame_equal(getattr(in_memory, name), getattr(on_disk, name))
        # the in-memory frames render to exactly the bytes of the files
        assert parquet_bytes(getattr(in_memory, name), name) == (folder / f"{name}.parquet").read_bytes()
        pd.testing.assert_frame_equal(pd.read_parquet(folder / f"{name}.parquet"), getattr(on_disk, name),
                                      check_dtype=False)
    assert on_disk.directory == folder and in_memory.directory is None


def test_seeded_run_leaves_global_random_state_alone():
    network, config = scenario("investors=[{actor: railco, strategy: random}, {actor: state, strategy: public}]",
                               "spillover.probability=0.5")
    random.seed(1234)
    np.random.seed(4321)
    before_py, before_np = random.getstate(), np.random.get_state()
    run = dp.Simulation(network, config).run(2)
    after_np = np.random.get_state()
    assert random.getstate() == before_py
    assert before_np[0] == after_np[0] and np.array_equal(before_np[1], after_np[1]) and before_np[2:] == after_np[2:]
    assert len(run.events)  # randomness was used: random moves and spillover


# ---------------------------------------------------------------- resume
def start_subprocess(out: Path, *extra: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "dependencia", "simulate", SCENARIO, "--out", str(out),
               "--steps", str(KILL_STEPS), "--set", "checkpoint_every=2", "--quiet", *extra]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def kill_when(process: subprocess.Popen, path: Path, timeout: float = 60.0) -> None:
    """SIGKILL ``process`` as soon as ``path`` exists; fail if it ended first."""
    deadline = time.monotonic() + timeout
    try:
        while not path.exists():
            if process.poll() is not None:
                pytest.fail(f"the run ended (rc {process.returncode}) before {path.name} appeared: "
                            f"{process.stderr.read().decode()}")
            if time.monotonic() > deadline:
                pytest.fail(f"{path} did not appear within {timeout} s")
            time.sleep(0.002)
        process.send_signal(signal.SIGKILL)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL, "the run finished before it could be killed"


@pytest.fixture(scope="module")
def undisturbed(tmp_path_factory):
    """The reference for the kill tests: the same command, not interrupted (in-process CLI)."""
    out = tmp_path_factory.mktemp("undisturbed") / "run"
    code = main(["simulate", SCENARIO, "--out", str(out), "--steps", str(KILL_STEPS), "--set", "checkpoint_every=2",
                 "--quiet"])
    assert code == 0
    return out


def assert_killed_folder_is_incomplete(folder: Path) -> None:
    for name in TABLES:
        assert not (folder / name).exists(), f"a killed run left {name}"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["status"] == "running" and manifest["steps_planned"] == KILL_STEPS
    assert not list(folder.glob("*.parquet"))  # temporary files never end in .parquet


def test_resume_after_kill_after_first_checkpoint(undisturbed, tmp_path, capsys):
    killed = tmp_path / "killed"
    kill_when(start_subprocess(killed), killed / "checkpoints" / "step-000002" / "checksums.json")
    assert_killed_folder_is_incomplete(killed)  # (d): nothing that looks complete
    assert (killed / "checkpoints" / "step-000002").is_dir()
    copy = tmp_path / "copy"
    shutil.copytree(killed, copy)

    run = dp.resume(killed)  # the Python API
    assert run.manifest["status"] == "complete" and run.manifest["steps_done"] == KILL_STEPS
    assert table_bytes(killed) == table_bytes(undisturbed)
    assert run.steps["step"].tolist() == list(range(KILL_STEPS))

    code, _, err = run_cli(capsys, "resume", copy, "--quiet")  # the command line
    assert code == 0, err
    assert table_bytes(copy) == table_bytes(undisturbed)


def test_resume_without_checkpoint_restarts_from_step_zero(undisturbed, tmp_path):
    killed = tmp_path / "killed"
    kill_when(start_subprocess(killed), killed / "manifest.json")
    assert_killed_folder_is_incomplete(killed)
    assert latest_checkpoint(killed) is None
    run = dp.resume(killed)
    assert run.steps["step"].tolist() == list(range(KILL_STEPS))
    assert table_bytes(killed) == table_bytes(undisturbed)


def test_resume_of_complete_folder_gives_same_tables(reference, tmp_path):
    folder, _, _ = reference
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    run = dp.resume(copy)
    assert run.manifest["steps_done"] == 4
    assert table_bytes(copy) == table_bytes(folder)


def test_corrupted_checkpoint_is_refused(reference, tmp_path, capsys):
    folder, _, _ = reference
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    manifest = json.loads((copy / "manifest.json").read_text())  # as a killed run leaves it
    (copy / "manifest.json").write_text(json.dumps({**manifest, "status": "running", "checksums": {}}))
    for table in TABLES:
        (copy / table).unlink()
    state = copy / "checkpoints" / "step-000002" / "state.json"
    data = bytearray(state.read_bytes())
    data[len(data) // 2] ^= 0x01
    state.write_bytes(bytes(data))
    with pytest.raises(InputError) as caught:
        dp.resume(copy)
    message = str(caught.value)
    assert "state.json" in message and "step-000002" in message
    code, out, err = run_cli(capsys, "resume", copy)
    assert code == 2 and "state.json" in err and "Traceback" not in err


# ---------------------------------------------------------------- the tables and the manifest
REQUIRED = {
    "steps": ["step", "gini", "hhi", "top1_share", "top5_share", "public_infrastructures", "private_infrastructures",
              "private_route_share", "privatized", "total_paid", "public_debt"],
    "actors": ["step", "actor", "dimension", "power", "power_share", "income", "budget", "price", "dependents",
               "dependencies"],
    "events": ["step", "kind", "actor", "target", "detail"],
}


@pytest.mark.parametrize("name", ["steps", "actors", "events"])
def test_table_schema(reference, name):
    folder, run, _ = reference
    schema = pq.read_schema(folder / f"{name}.parquet")
    assert schema.remove_metadata().equals(SCHEMAS[name])
    assert set(REQUIRED[name]) <= set(schema.names)
    frame = pd.read_parquet(folder / f"{name}.parquet")
    assert list(frame.columns) == SCHEMAS[name].names
    for column in REQUIRED[name]:
        kind = SCHEMAS[name].field(column).type
        if str(kind) == "int64":
            assert frame[column].dtype == np.int64
        elif str(kind) == "double":
            assert frame[column].dtype == np.float64
        else:
            assert frame[column].map(lambda v: isinstance(v, str) or pd.isna(v)).all()
    assert list(getattr(run, name).columns) == SCHEMAS[name].names


def test_steps_table_content(reference):
    _, run, _ = reference
    steps = run.steps
    assert steps["step"].tolist() == [0, 1, 2, 3]
    for column in ("gini", "hhi", "top1_share", "top5_share", "private_route_share"):
        assert steps[column].between(0, 1).all(), column
    assert (steps["top1_share"] <= steps["top5_share"] + 1e-12).all()
    assert (steps["public_debt"].diff().dropna() >= -1e-12).all()
    assert np.allclose(steps["public_debt"], steps["borrowed"].cumsum())
    assert (steps["privatized"].diff().dropna() >= 0).all()


def test_actors_table_content(reference):
    _, run, _ = reference
    network, _ = scenario()
    actors = run.actors
    dimensions = set(network.dimensions.index)
    assert set(actors["dimension"]) == {"*"} | dimensions
    for (step, _dimension), group in actors.groupby(["step", "dimension"]):
        assert group["actor"].is_unique
        if step == 0:
            assert set(group["actor"]) == set(network.actors.index)
    star = actors[actors["dimension"] == "*"]
    per_dim = actors[actors["dimension"] != "*"]
    assert star["budget"].notna().all() and star["income"].notna().all() and star["price"].isna().all()
    assert per_dim["budget"].isna().all() and per_dim["income"].isna().all()
    assert per_dim["price"].notna().any()
    assert actors["power"].between(0, 1).all()
    shares = star.groupby("step")["power_share"].sum()
    assert np.allclose(shares, 1.0)  # no ownership: every actor is top-level
    assert (actors["dependents"] >= 0).all() and (actors["dependencies"] >= 0).all()


def test_events_table_content(reference):
    _, run, _ = reference
    events = run.events
    assert set(events["kind"]) <= set(EVENT_KINDS)
    assert {"build", "adopt"} <= set(events["kind"])
    assert events["step"].is_monotonic_increasing
    for detail in events["detail"]:
        assert isinstance(json.loads(detail), dict)
    builds = events[events["kind"] == "build"]
    assert builds["actor"].notna().all() and builds["target"].notna().all()


def test_manifest(reference):
    folder, run, _ = reference
    manifest = json.loads((folder / "manifest.json").read_text())
    network, config = scenario("checkpoint_every=2")
    assert manifest["dependencia"] == dp.__version__
    assert manifest["seed"] == 1 and manifest["steps_done"] == 4 and manifest["status"] == "complete"
    assert manifest["config"] == {**config.to_mapping(), "steps": 4}  # the steps that ran
    assert dp.SimulationConfig.from_mapping(manifest["config"]) == config.with_overrides(["steps=4"])
    assert manifest["started"] and manifest["ended"] and manifest["started"] <= manifest["ended"]
    assert manifest["timings"]["total"] > 0
    assert {"measure", "pay", "invest", "record"} <= set(manifest["timings"])
    assert set(manifest["checksums"]) == set(TABLES) | {"network-final.json"}
    for name, digest in manifest["checksums"].items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    assert run.manifest["checksums"] == manifest["checksums"]


def test_complete_folder_reads_back_the_final_network(reference):
    folder, run, _ = reference
    again = dp.resume(folder)
    assert again.already_complete
    assert again.network == run.network  # after the last step, not the last checkpoint's


def test_manifest_written_when_run_starts(tmp_path):
    network, config = scenario()
    seen = {}

    def progress(done, total):
        if done == 1:
            seen.update(json.loads((tmp_path / "run" / "manifest.json").read_text()))

    dp.Simulation(network, config).run(2, out=tmp_path / "run", progress=progress)
    assert seen["status"] == "running" and seen["config"] == {**config.to_mapping(), "steps": 2} and seen["steps_planned"] == 2
    assert not seen["checksums"]


def test_zero_steps(tmp_path):
    network, config = scenario()
    run = dp.Simulation(network, config).run(0, out=tmp_path / "run")
    assert run.manifest["steps_done"] == 0
    for name in ("steps", "actors", "events"):
        frame = pd.read_parquet(tmp_path / "run" / f"{name}.parquet")
        assert len(frame) == 0 and list(frame.columns) == SCHEMAS[name].names


# ---------------------------------------------------------------- conservation
def test_money_is_conserved_every_step():
    """Actor budgets change by exactly what enters (public revenue, borrowing) less what leaves (world, builds)."""
    network, config = scenario("insolvency=none", "spillover.probability=0")
    steps = 5
    run = dp.Simulation(network, config).run(steps)
    budgets = network.actors["budget"].fillna(config.initial_budget).astype(float)
    before = budgets.sum()
    star = run.actors[run.actors["dimension"] == "*"]
    events = run.events
    assert (run.steps["total_paid"] > 0).all()
    for t in range(steps):
        row = run.steps.iloc[t]
        after = star.loc[star["step"] == t, "budget"].sum()
        builds = sum(json.loads(d)["cost"] for d in events.loc[(events["step"] == t) & (events["kind"] == "build"),
                                                                "detail"])
        expected = -row["to_world"] + config.public_revenue + row["borrowed"] - builds
        assert after - before == pytest.approx(expected, rel=1e-9, abs=1e-9), f"step {t}"
        before = after
