"""The ``scenarios`` commands: list (table, CSV, JSON), show, copy; exit codes and safe copying.

The commands run through :func:`dependencia.cli.main` (its exit codes and
error messages) on a small Typer app that registers only the ``scenarios``
sub-app, so these tests do not depend on the main app's registration.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
import typer

from dependencia import cli
from dependencia.cli.scenarios import app as scenarios_app
from dependencia.io.modelfile import load_document
from dependencia.simulation.scenario import load_scenario, scenario_names, scenario_path

NAMES = scenario_names()


def _kind(name: str) -> str:
    return "simulated" if "simulation" in load_document(scenario_path(name)) else "static"


def _narrative(name: str) -> Path:
    return scenario_path(name).with_suffix(".md")


STATIC = [n for n in NAMES if _kind(n) == "static"]
SIMULATED = [n for n in NAMES if _kind(n) == "simulated"]
WITH_NARRATIVE = [n for n in NAMES if _narrative(n).is_file()]


@pytest.fixture
def run(monkeypatch, capsys):
    app = typer.Typer(name="dependencia", no_args_is_help=True, add_completion=False,
                      pretty_exceptions_enable=False, rich_markup_mode=None)
    app.callback()(cli._root)
    app.add_typer(scenarios_app, name="scenarios")
    monkeypatch.setattr(cli, "app", app)

    def invoke(*args: object) -> tuple[int, str, str]:
        code = cli.main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def _one_line_error(code: int, err: str) -> str:
    assert code == 2
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    return lines[0]


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# list


def test_list_table_shows_every_scenario_and_its_kind(run):
    code, out, err = run("scenarios", "list")
    assert code == 0 and err == ""
    rows = {line.split("│")[1].strip(): line for line in out.splitlines()
            if line.startswith("│") and line.split("│")[1].strip()}
    assert set(rows) == set(NAMES)
    for name in NAMES:
        assert _kind(name) in rows[name]


def test_list_json(run):
    code, out, err = run("scenarios", "list", "--format", "json")
    assert code == 0 and err == ""
    entries = json.loads(out)["scenarios"]
    assert [e["name"] for e in entries] == NAMES
    for entry in entries:
        name = entry["name"]
        assert list(entry) == ["name", "kind", "steps", "title", "file", "narrative"]
        assert entry["kind"] == _kind(name)
        assert Path(entry["file"]) == scenario_path(name)
        assert entry["title"] and "\n" not in entry["title"] and not entry["title"].startswith("#")
        if entry["kind"] == "simulated":
            assert entry["steps"] == load_scenario(name)[1].steps and isinstance(entry["steps"], int)
        else:
            assert entry["steps"] is None
        if _narrative(name).is_file():
            assert Path(entry["narrative"]) == _narrative(name)
            headings = [ln[2:].strip() for ln in _narrative(name).read_text().splitlines() if ln.startswith("# ")]
            if headings:
                assert entry["title"] == headings[0]
        else:
            assert entry["narrative"] is None


def test_list_csv_agrees_with_json(run):
    code, out, err = run("scenarios", "list", "--format", "csv")
    assert code == 0 and err == ""
    rows = list(csv.DictReader(io.StringIO(out)))
    _, doc, _ = run("scenarios", "list", "--format", "json")
    entries = json.loads(doc)["scenarios"]
    assert [r["name"] for r in rows] == NAMES
    for row, entry in zip(rows, entries):
        assert row["kind"] == entry["kind"] and row["title"] == entry["title"] and row["file"] == entry["file"]
        assert row["steps"] == ("" if entry["steps"] is None else str(entry["steps"]))  # an int, never "20.0"


def test_title_falls_back_to_the_first_yaml_comment_line(run, monkeypatch, tmp_path):
    from dependencia.cli import scenarios as _cli_scenarios
    from dependencia.simulation import catalog

    (tmp_path / "demo.yaml").write_text("#\n# demo: a tiny scenario\n# more text\ndependencia: 1\n"
                                        "actors:\n- {id: a}\n- {id: b}\n")
    for module in (_cli_scenarios, catalog):  # show looks the file up in the command, list in dp.scenarios
        monkeypatch.setattr(module, "scenario_names", lambda: ["demo"], raising=False)
        monkeypatch.setattr(module, "scenario_path", lambda name: tmp_path / f"{name}.yaml")
    code, out, _ = run("scenarios", "list", "--format", "json")
    assert code == 0
    assert json.loads(out)["scenarios"] == [{"name": "demo", "kind": "static", "steps": None,
                                             "title": "demo: a tiny scenario",
                                             "file": str(tmp_path / "demo.yaml"), "narrative": None}]
    code, out, err = run("scenarios", "show", "demo")  # no narrative: the header comment instead, exit 0
    assert code == 0 and out == "demo: a tiny scenario\nmore text\n"
    assert "no narrative yet" in err and "dependencia power demo" in err


# show


@pytest.mark.parametrize("name", WITH_NARRATIVE)
def test_show_prints_the_narrative(run, name):
    code, out, err = run("scenarios", "show", name)
    assert code == 0
    assert out.rstrip("\n") == _narrative(name).read_text(encoding="utf-8").rstrip("\n")
    assert str(scenario_path(name)) in err and str(_narrative(name)) in err


@pytest.mark.parametrize("name", NAMES)
def test_show_works_for_every_scenario(run, name):
    code, out, err = run("scenarios", "show", name)
    assert code == 0 and out.strip() and "Traceback" not in err
    assert str(scenario_path(name)) in err
    assert (f"dependencia simulate {name} --out" if _kind(name) == "simulated" else f"dependencia power {name}") in err


@pytest.mark.parametrize("command", [["show", "no-such-scenario"], ["copy", "no-such-scenario", "DIR"]])
def test_unknown_name_exits_2_with_one_line(run, tmp_path, command):
    args = [tmp_path / a if a == "DIR" else a for a in command]
    code, out, err = run("scenarios", *args)
    line = _one_line_error(code, err)
    assert out == ""
    assert "no-such-scenario" in line and all(name in line for name in NAMES)
    assert not (tmp_path / "DIR").exists()


# copy


@pytest.mark.parametrize("name", NAMES)
def test_copy_is_byte_identical_and_loads_to_an_equal_network(run, tmp_path, name):
    target = tmp_path / "work"
    code, out, err = run("scenarios", "copy", name, target)
    assert code == 0, err
    expected = {f"{name}.yaml": scenario_path(name).read_bytes()}
    if _narrative(name).is_file():
        expected[f"{name}.md"] = _narrative(name).read_bytes()
    assert _tree(target) == expected
    for file_name in expected:
        assert f"wrote {target / file_name}" in err
    command = "simulate" if _kind(name) == "simulated" else "power"
    assert f"dependencia {command} {target / f'{name}.yaml'}" in err
    copied, copied_config = load_scenario(str(target / f"{name}.yaml"))
    shipped, shipped_config = load_scenario(name)
    assert copied.equals(shipped) and copied_config == shipped_config


def test_copy_creates_nested_folders(run, tmp_path):
    name = NAMES[0]
    target = tmp_path / "a" / "b" / "c"
    code, _, err = run("scenarios", "copy", name, target)
    assert code == 0, err
    assert (target / f"{name}.yaml").read_bytes() == scenario_path(name).read_bytes()


def test_copy_into_relative_folder(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    name = NAMES[0]
    code, _, err = run("scenarios", "copy", name, "here")
    assert code == 0, err
    assert (tmp_path / "here" / f"{name}.yaml").read_bytes() == scenario_path(name).read_bytes()


def test_second_copy_refuses_and_leaves_files_untouched(run, tmp_path):
    name = WITH_NARRATIVE[0]
    assert run("scenarios", "copy", name, tmp_path)[0] == 0
    (tmp_path / f"{name}.yaml").write_text("edited by hand\n")
    before = _tree(tmp_path)
    code, out, err = run("scenarios", "copy", name, tmp_path)
    line = _one_line_error(code, err)
    assert "already exists" in line and out == ""
    assert _tree(tmp_path) == before


def test_copy_checks_every_target_before_writing_any(run, tmp_path):
    name = WITH_NARRATIVE[0]
    (tmp_path / f"{name}.md").write_text("mine\n")  # only the second target exists
    code, _, err = run("scenarios", "copy", name, tmp_path)
    assert "already exists" in _one_line_error(code, err)
    assert _tree(tmp_path) == {f"{name}.md": b"mine\n"}  # the model file was not written either


def test_copy_refuses_a_symlinked_folder(run, tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    code, _, err = run("scenarios", "copy", NAMES[0], link)
    assert "symbolic link" in _one_line_error(code, err)
    assert list(real.iterdir()) == []


@pytest.mark.parametrize("dangling", [False, True])
def test_copy_refuses_a_symlinked_target_file(run, tmp_path, dangling):
    name = NAMES[0]
    elsewhere = tmp_path / "elsewhere.yaml"
    if not dangling:
        elsewhere.write_text("keep me\n")
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / f"{name}.yaml").symlink_to(elsewhere)
    code, _, err = run("scenarios", "copy", name, folder)
    assert "symbolic link" in _one_line_error(code, err)
    assert os.path.islink(folder / f"{name}.yaml") and os.readlink(folder / f"{name}.yaml") == str(elsewhere)
    assert [p.name for p in folder.iterdir()] == [f"{name}.yaml"]
    if dangling:
        assert not elsewhere.exists()
    else:
        assert elsewhere.read_text() == "keep me\n"


def test_copy_refuses_a_file_as_folder(run, tmp_path):
    file = tmp_path / "file"
    file.write_text("x")
    code, _, err = run("scenarios", "copy", NAMES[0], file)
    assert "not a folder" in _one_line_error(code, err)
    assert file.read_text() == "x"


def test_copy_never_writes_outside_the_folder(run, tmp_path, monkeypatch):
    from dependencia.cli import scenarios as _cli_scenarios

    # a registry whose name would climb out of DIR (shipped names never do; copy checks anyway)
    shipped = scenario_path(NAMES[0])
    monkeypatch.setattr(_cli_scenarios, "scenario_path", lambda name: shipped)
    folder = tmp_path / "work"
    code, _, err = run("scenarios", "copy", "../escaped", folder)
    assert "outside" in _one_line_error(code, err)
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nothing written, not even DIR


def test_every_shipped_scenario_has_a_narrative():
    assert WITH_NARRATIVE == NAMES
