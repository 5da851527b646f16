"""Security (issue 10, item 5): safe YAML only, no eval/exec/pickle of user data, no writes through links,
nothing listening beyond loopback.

(a) A static check over ``src/`` (an AST walk): YAML is loaded only with the safe loaders; no ``eval``,
    ``exec``, pickle (or marshal, shelve, dill, cloudpickle, ``read_pickle``, ``allow_pickle=True``),
    ``os.system``/``os.popen`` or ``shell=True``; Jinja environments autoescape. The allow-lists below are
    empty on purpose: our code uses none of these. (Dask and ``multiprocessing`` pickle the tasks and the
    shared graph between our own processes; that is their transport, not user data. A user who passes
    ``--scheduler tcp://...`` trusts that cluster: see docs/reliability.md.)
(b) Python tags in a model file, a scenario file, a sweep spec (and the scenario it names) and a ``--set``
    value are refused with exit code 2, and nothing runs: the payload would create a marker file.
(c) ``scenarios copy`` refuses names that climb out (``..``) and symbolic links (more in
    tests/test_cli_scenarios.py); every ``-o`` replaces a symbolic link instead of writing through it,
    leaving the link's target untouched, and a CSV bundle or run folder that is a link is refused.
(d) The HTML report escapes hostile ids: tests/report/test_browser.py (a real browser) and
    tests/report/test_report.py.
(e) Nothing listens on a non-loopback address: the Dask LocalCluster of ``--scheduler dask`` binds
    127.0.0.1 with no dashboard, and local worker processes listen on nothing (``/proc/net/tcp``).
"""

from __future__ import annotations

import ast
import os
import threading
from pathlib import Path

import pytest
from _hardening import TINY_SCENARIO, needs_proc

import dependencia
from dependencia.cli import main

SRC = Path(dependencia.__file__).parent
SOURCES = sorted(p for p in SRC.rglob("*.py") if "__pycache__" not in p.parts)

# ---------------------------------------------------------------- (a) static checks
SAFE_LOADERS = {"SafeLoader", "CSafeLoader"}
UNSAFE_YAML = {"unsafe_load", "unsafe_load_all", "full_load", "full_load_all", "Loader", "UnsafeLoader",
               "FullLoader", "CLoader", "CUnsafeLoader", "CFullLoader", "add_constructor",
               "add_multi_constructor"}
PICKLE_MODULES = {"pickle", "cPickle", "_pickle", "dill", "cloudpickle", "marshal", "shelve", "joblib"}
PICKLE_CALLS = {"read_pickle", "to_pickle"}
#: (file relative to src/dependencia, what) pairs allowed to break a rule, each with its reason. Empty.
ALLOWED: dict[tuple[str, str], str] = {}


def _name(node: ast.AST) -> str:
    """``a.b.c`` for attribute chains, ``f`` for names, else ''."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _name(node.value)
        return f"{inner}.{node.attr}" if inner else node.attr
    return ""


def _module_assignments(tree: ast.Module) -> dict[str, ast.AST]:
    """Module-level names: what is assigned to them, or a class's bases."""
    found: dict[str, ast.AST] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = node.value
        elif isinstance(node, ast.ClassDef):
            found[node.name] = ast.Tuple(elts=list(node.bases), ctx=ast.Load())
    return found


def _is_safe_loader(node: ast.AST | None, assignments: dict[str, ast.AST]) -> bool:
    """``yaml.SafeLoader``/``yaml.CSafeLoader``, or a module-level name bound to nothing but those (an
    assignment, or a class whose bases are safe loaders)."""
    if node is None:
        return False
    if isinstance(node, ast.Name) and node.id in assignments:
        node = assignments[node.id]
    mentioned = {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}
    mentioned |= {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    mentioned |= {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and n.id != "yaml"}
    loaders = {m for m in mentioned if m.endswith("Loader")}
    return bool(loaders) and loaders <= SAFE_LOADERS


def violations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    assignments = _module_assignments(tree)
    where = path.relative_to(SRC)
    found = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in PICKLE_MODULES:
                    found.append(f"{where}:{line}: import {alias.name}")
        elif isinstance(node, ast.ImportFrom):
            module = (node.module or "").split(".")[0]
            if module in PICKLE_MODULES:
                found.append(f"{where}:{line}: from {node.module} import ...")
            if module == "yaml":
                for alias in node.names:
                    if alias.name in UNSAFE_YAML or alias.name in ("load", "load_all"):
                        found.append(f"{where}:{line}: from yaml import {alias.name}")
        elif isinstance(node, ast.Attribute) and _name(node.value) == "yaml" and node.attr in UNSAFE_YAML:
            found.append(f"{where}:{line}: yaml.{node.attr}")
        elif isinstance(node, ast.Call):
            name = _name(node.func)
            keywords = {k.arg: k.value for k in node.keywords}
            if name in ("eval", "exec", "builtins.eval", "builtins.exec"):
                found.append(f"{where}:{line}: {name}(")
            if name in ("yaml.load", "yaml.load_all"):
                loader = keywords.get("Loader", node.args[1] if len(node.args) > 1 else None)
                if not _is_safe_loader(loader, assignments):
                    found.append(f"{where}:{line}: {name}( without a safe loader")
            if name.split(".")[-1] in PICKLE_CALLS:
                found.append(f"{where}:{line}: {name}(")
            allow_pickle = keywords.get("allow_pickle")
            if isinstance(allow_pickle, ast.Constant) and allow_pickle.value is True:
                found.append(f"{where}:{line}: allow_pickle=True")
            shell = keywords.get("shell")
            if shell is not None and not (isinstance(shell, ast.Constant) and shell.value is False):
                found.append(f"{where}:{line}: shell=")
            if name in ("os.system", "os.popen", "os.execl", "os.execlp", "os.execv", "os.execvp", "os.spawnl"):
                found.append(f"{where}:{line}: {name}(")
            if name.split(".")[-1] == "Environment":  # Jinja: autoescape on, always
                escape = keywords.get("autoescape")
                if not (isinstance(escape, ast.Constant) and escape.value is True):
                    found.append(f"{where}:{line}: a Jinja Environment without autoescape=True")
    return [v for v in found if (str(where), v.split(": ", 1)[1]) not in ALLOWED]


def test_the_static_check_sees_the_whole_package():
    names = {str(p.relative_to(SRC)) for p in SOURCES}
    assert {"io/modelfile.py", "batch/sweep.py", "simulation/state.py", "base/executor.py", "report/html.py",
            "cli/__init__.py"} <= names


def test_no_unsafe_yaml_eval_pickle_or_shell_in_src():
    found = [v for path in SOURCES for v in violations(path)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("code, caught", [
    ("import yaml\nyaml.load(text)\n", "without a safe loader"),
    ("import yaml\nyaml.load(text, Loader=yaml.Loader)\n", "yaml.Loader"),
    ("import yaml\nL = getattr(yaml, 'CLoader', yaml.FullLoader)\nyaml.load(t, Loader=L)\n", "without a safe"),
    ("import yaml\nyaml.unsafe_load(text)\n", "yaml.unsafe_load"),
    ("from yaml import load\n", "from yaml import load"),
    ("import yaml\nclass L(yaml.FullLoader): pass\nyaml.load(t, Loader=L)\n", "without a safe loader"),
    ("eval('1')\n", "eval("),
    ("exec('x = 1')\n", "exec("),
    ("import pickle\n", "import pickle"),
    ("import pandas as pd\npd.read_pickle('x')\n", "read_pickle"),
    ("import numpy as np\nnp.load('x', allow_pickle=True)\n", "allow_pickle"),
    ("import subprocess\nsubprocess.run('ls', shell=True)\n", "shell="),
    ("import os\nos.system('ls')\n", "os.system"),
    ("from jinja2 import Environment\nEnvironment()\n", "autoescape"),
])
def test_the_static_check_catches(code, caught, tmp_path, monkeypatch):
    """The checker itself: each forbidden form is reported (and the safe forms above are not)."""
    fake = SRC / "_probe_for_the_static_check.py"  # a path under SRC for relative_to; never written
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: code if self == fake else _read(self, *a, **k))
    assert any(caught in v for v in violations(fake)), violations(fake)


_read = Path.read_text


def test_the_static_check_accepts_the_safe_forms(monkeypatch):
    code = ("import yaml\n_SAFE = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)\nyaml.load(t, Loader=_SAFE)\n"
            "class _Mine(getattr(yaml, 'CSafeLoader', yaml.SafeLoader)):\n    pass\nyaml.load(t, Loader=_Mine)\n"
            "yaml.safe_load(t)\nyaml.load(t, Loader=yaml.SafeLoader)\nimport subprocess\n"
            "subprocess.run(['ls'], shell=False)\nfrom jinja2 import Environment\nEnvironment(autoescape=True)\n")
    fake = SRC / "_probe_for_the_static_check.py"
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: code if self == fake else _read(self, *a, **k))
    assert violations(fake) == []


# ---------------------------------------------------------------- (b) python tags in YAML run nothing
TAGS = [
    "!!python/object/apply:os.system [{command}]",
    "!!python/object/new:subprocess.Popen [[sh, -c, {command}]]",
    "!!python/name:os.system",
    "!!python/module:os",
]


def payload(tag: str, marker: Path) -> str:
    return tag.format(command=f"'touch {marker}'")


def _model_with(tag_text: str) -> str:
    return ("dependencia: 1\nactors:\n  - {id: a}\n  - {id: b, label: " + tag_text + "}\n"
            "dependencies:\n  - {dependent: a, provider: b}\n")


@pytest.mark.parametrize("tag", TAGS)
@pytest.mark.parametrize("where", ["model file", "scenario file", "sweep spec", "scenario of a sweep spec",
                                   "report", "--set value"])
def test_python_tags_are_refused_and_run_nothing(where, tag, tmp_path, capsys):
    marker = tmp_path / "pwned"
    text = payload(tag, marker)
    scenario_text = TINY_SCENARIO.read_text()
    if where == "model file":
        (tmp_path / "net.yaml").write_text(_model_with(text))
        args = ["power", str(tmp_path / "net.yaml")]
    elif where == "scenario file":
        (tmp_path / "s.yaml").write_text(scenario_text.replace("  seed: 1\n", f"  seed: {text}\n"))
        args = ["simulate", str(tmp_path / "s.yaml"), "--steps", "1", "--out", str(tmp_path / "run"), "--quiet"]
    elif where == "sweep spec":
        (tmp_path / "spec.yaml").write_text(f"scenario: {TINY_SCENARIO}\nsteps: 1\nseeds: [1]\nfixed: {text}\n")
        args = ["sweep", str(tmp_path / "spec.yaml"), "--out", str(tmp_path / "sweep"), "--workers", "1"]
    elif where == "scenario of a sweep spec":
        (tmp_path / "s.yaml").write_text(scenario_text + f"x-extra: {text}\n")
        (tmp_path / "spec.yaml").write_text("scenario: s.yaml\nsteps: 1\nseeds: [1]\n")
        args = ["sweep", str(tmp_path / "spec.yaml"), "--out", str(tmp_path / "sweep"), "--workers", "1"]
    elif where == "report":
        (tmp_path / "net.yaml").write_text(_model_with(text))
        args = ["report", str(tmp_path / "net.yaml"), "-o", str(tmp_path / "r.html"), "--quiet"]
    else:
        args = ["simulate", str(TINY_SCENARIO), "--steps", "1", "--out", str(tmp_path / "run"), "--quiet",
                "--set", f"spillover.probability={text}"]
    code = main(args)
    err = capsys.readouterr().err
    assert not marker.exists(), "a YAML python tag ran code"
    assert code == 2, err
    assert "Traceback" not in err
    assert not (tmp_path / "run" / "steps.parquet").exists() and not (tmp_path / "sweep" / "runs").exists()
    assert not (tmp_path / "r.html").exists()


def test_checkpoints_are_json_and_parquet_verified_by_checksum(tmp_path, capsys):
    """No pickle in a run folder: every file is JSON or Parquet, and a changed checkpoint is refused."""
    folder = tmp_path / "run"
    assert main(["simulate", str(TINY_SCENARIO), "--steps", "3", "--set", "checkpoint_every=1", "--out",
                 str(folder), "--quiet"]) == 0
    suffixes = {p.suffix for p in folder.rglob("*") if p.is_file()}
    assert suffixes == {".json", ".parquet"}
    manifest = folder / "manifest.json"
    import json

    document = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**document, "status": "running", "checksums": {}}))
    network = folder / "checkpoints" / "step-000002" / "network.json"
    network.write_text(network.read_text() + " ")  # still valid JSON, other bytes
    assert main(["resume", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "network.json" in err and "checksum" in err


# ---------------------------------------------------------------- (c) paths that escape
@pytest.mark.parametrize("name", ["../florentine", "florentine/../care", "/etc/passwd", "..", "./florentine"])
def test_scenarios_copy_refuses_names_that_climb_out(name, tmp_path, capsys):
    target = tmp_path / "inside" / "deeper"
    code = main(["scenarios", "copy", name, str(target)])
    err = capsys.readouterr().err
    assert code == 2 and "no shipped scenario" in err, err
    assert not any(tmp_path.iterdir())  # nothing written, not even the folder


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("security") / "run"
    assert main(["simulate", str(TINY_SCENARIO), "--steps", "2", "--out", str(folder), "--quiet"]) == 0
    return folder


OUTPUTS = {
    "power -o": lambda run: ["power", "florentine", "--format", "json"],
    "rents -o": lambda run: ["rents", "florentine", "--format", "csv"],
    "explain -o": lambda run: ["explain", "florentine", "Medici"],
    "chokepoints -o": lambda run: ["chokepoints", "florentine", "--format", "json"],
    "concentration -o": lambda run: ["concentration", "florentine", "--format", "json"],
    "whatif -o": lambda run: ["whatif", "florentine", "--remove", "Medici", "--format", "json"],
    "improve -o": lambda run: ["improve", "florentine", "Pazzi", "--links", "1", "--format", "json"],
    "query -o": lambda run: ["query", str(run), "SELECT count(*) AS n FROM steps", "--format", "json"],
    "plot -o": lambda run: ["plot", str(run), "--kind", "concentration"],
    "report -o": lambda run: ["report", "florentine", "--quiet"],
}
SUFFIX = {"plot -o": ".png", "report -o": ".html"}


@pytest.mark.parametrize("dangling", [False, True], ids=["link to a file", "dangling link"])
@pytest.mark.parametrize("command", OUTPUTS)
def test_output_replaces_a_symlink_and_leaves_its_target_alone(command, dangling, run_folder, tmp_path, capsys):
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "precious.txt"
    if not dangling:
        victim.write_text("keep me\n")
    work = tmp_path / "work"
    work.mkdir()
    link = work / f"out{SUFFIX.get(command, '.txt')}"
    link.symlink_to(victim)
    code = main([*OUTPUTS[command](run_folder), "-o", str(link)])
    assert code == 0, capsys.readouterr().err
    assert not link.is_symlink() and link.stat().st_size > 0  # the link was replaced by the output
    if dangling:
        assert not victim.exists()  # nothing was created where the link pointed
    else:
        assert victim.read_text() == "keep me\n"
    assert sorted(p.name for p in outside.iterdir()) == ([] if dangling else ["precious.txt"])


@pytest.mark.parametrize("suffix", [".yaml", ".json", ".graphml", ".gexf", ".csv"])
def test_convert_replaces_a_symlinked_file(suffix, tmp_path, capsys):
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me\n")
    link = tmp_path / f"out{suffix}"
    link.symlink_to(victim)
    assert main(["convert", "florentine", str(link)]) == 0, capsys.readouterr().err
    assert not link.is_symlink() and victim.read_text() == "keep me\n"


def test_convert_refuses_a_symlinked_bundle_folder(tmp_path, capsys):
    """A CSV bundle is a folder: one that is a link is refused (as a run folder or a scenario copy is)."""
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "bundle"
    link.symlink_to(real, target_is_directory=True)
    code = main(["convert", "florentine", str(link)])
    err = capsys.readouterr().err
    assert code == 2 and "symbolic link" in err, err
    assert list(real.iterdir()) == []


def test_a_run_folder_that_is_a_link_is_refused(tmp_path, capsys):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    code = main(["simulate", str(TINY_SCENARIO), "--steps", "1", "--out", str(link), "--quiet"])
    assert code == 2 and "symbolic link" in capsys.readouterr().err
    assert list(real.iterdir()) == []


def test_a_sweep_folder_that_is_a_link_is_refused(tmp_path, capsys):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    (tmp_path / "spec.yaml").write_text(f"scenario: {TINY_SCENARIO}\nsteps: 1\nseeds: [1]\n")
    code = main(["sweep", str(tmp_path / "spec.yaml"), "--out", str(link), "--workers", "1", "--quiet"])
    assert code == 2 and "symbolic link" in capsys.readouterr().err
    assert list(real.iterdir()) == []


# ---------------------------------------------------------------- (e) nothing listens beyond loopback
def _listening(pids: set[int]) -> list[tuple[str, int]]:
    """(address, port) of the TCP sockets in LISTEN state owned by ``pids`` (from /proc, Linux)."""
    inodes = set()
    for pid in pids:
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                try:
                    target = os.readlink(f"/proc/{pid}/fd/{fd}")
                except OSError:
                    continue
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
        except OSError:
            continue
    found = []
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] != "0A" or fields[9] not in inodes:  # 0A = LISTEN
                continue
            address, port = fields[1].split(":")
            found.append((_address(address, width), int(port, 16)))
    return found


def _address(hexed: str, width: int) -> str:
    import ipaddress

    raw = bytes.fromhex(hexed)
    if width == 8:
        return str(ipaddress.IPv4Address(raw[::-1]))
    words = b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4))
    return str(ipaddress.IPv6Address(words))


def _tree(root: int) -> set[int]:
    """``root`` and its descendants."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            children.setdefault(int(stat[stat.rindex(")") + 2:].split()[1]), []).append(int(entry.name))
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        found.add(pid)
        todo.extend(children.get(pid, []))
    return found


LOOPBACK = {"127.0.0.1", "::1"}


@needs_proc
def test_the_listening_socket_reader_sees_a_socket(tmp_path):
    import socket

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        assert ("127.0.0.1", port) in _listening({os.getpid()})
    with socket.socket() as server:  # and an any-address bind reads as 0.0.0.0 (what the tests forbid)
        server.bind(("0.0.0.0", 0))
        server.listen()
        assert ("0.0.0.0", server.getsockname()[1]) in _listening({os.getpid()})


def _sample_sockets(stop: threading.Event, seen: set) -> None:
    while not stop.is_set():
        seen.update(_listening(_tree(os.getpid())))
        stop.wait(0.05)


@needs_proc
@pytest.mark.parametrize("scheduler", [None, "dask"], ids=["worker processes", "Dask LocalCluster"])
def test_a_parallel_sweep_listens_on_loopback_only(scheduler, tmp_path):
    """``sweep --workers 2`` (and with ``--scheduler dask``): while it runs, every listening socket of this
    process and its children is on 127.0.0.1 (Dask's scheduler, nanny and workers; no dashboard)."""
    if scheduler == "dask":
        pytest.importorskip("dask.distributed")
    spec = {"scenario": str(TINY_SCENARIO), "steps": 2, "seeds": [1, 2], "outcomes": ["hhi"]}
    stop, seen = threading.Event(), set()
    before = set(_listening({os.getpid()}))
    watcher = threading.Thread(target=_sample_sockets, args=(stop, seen), daemon=True)
    watcher.start()
    try:
        runs = dependencia.sweep(spec, out=tmp_path / "sweep", workers=2, scheduler=scheduler)
    finally:
        stop.set()
        watcher.join()
    assert (runs["status"] == "complete").all()
    opened = seen - before
    assert {address for address, _ in opened} <= LOOPBACK, sorted(opened)
    if scheduler == "dask":
        assert opened, "the Dask cluster's sockets were not seen (the check would prove nothing)"
    else:
        assert not opened  # local worker processes talk through pipes


def test_the_local_cluster_is_created_on_loopback_without_dashboard(monkeypatch):
    """The arguments our code gives Dask's LocalCluster (the one place a cluster is created)."""
    pytest.importorskip("dask.distributed")
    import dask.distributed

    from dependencia.base.executor import Executor

    made = {}

    class Refused(Exception):
        pass

    def fake_cluster(**kwargs):
        made.update(kwargs)
        raise Refused

    monkeypatch.setattr(dask.distributed, "LocalCluster", fake_cluster)
    with pytest.raises(Refused):
        Executor(2, scheduler="dask").map(len, [1], len, [1])
    assert made["host"] == "127.0.0.1" and made["dashboard_address"] is None
    clusters = [p for p in SOURCES if "LocalCluster(" in p.read_text()]
    assert [str(p.relative_to(SRC)) for p in clusters] == ["base/executor.py"]
