"""Every command in the README and the tutorial runs as written, on files that ship.

The shell blocks (```sh) of README.md and docs/tutorial.md are read line by line: each
`dependencia ...` line is run through the command line's entry point, in a fresh folder
that holds a copy of `examples/` (so that `examples/edges.csv` means what it means at the
repository root, and what the commands write lands in the temporary folder). Lines that
start with `make` are the README's two set-up commands, which CI itself runs. The commands
of one document run in order, since later ones read what earlier ones wrote (`resume
runs/brake`). The README's Python block runs as one script in the same kind of folder.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from dependencia.cli import main

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = ("README.md", "docs/tutorial.md")
PROMISE = re.compile(r"^(?P<expr>[^#\n]+?)\s+#\s*(?P<value>-?\d+(?:\.\d+)?)\s*$", re.M)
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)


def blocks(text: str, language: str) -> list[str]:
    """The bodies of the fenced blocks of one language, in order."""
    return [body for lang, body in FENCE.findall(text) if lang == language]


def shell_commands(text: str) -> list[list[str]]:
    """The `dependencia` command lines of the ```sh blocks, as argument lists.

    Examples
    --------
    >>> shell_commands("```sh\\ndependencia power a.csv \\\\\\n  --top 3   # the top\\nmake test\\n```\\n")
    [['dependencia', 'power', 'a.csv', '--top', '3']]
    """
    commands = []
    for body in blocks(text, "sh"):
        for line in body.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            if not words or words[0] == "make":
                continue
            assert words[0] == "dependencia", f"a shell line that is not a dependencia command: {line!r}"
            commands.append(words)
    return commands


def _documents() -> list[tuple[str, list[str]]]:
    cases = []
    for name in DOCUMENTS:
        for words in shell_commands((ROOT / name).read_text(encoding="utf-8")):
            cases.append((name, words))
    return cases


CASES = _documents()


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> dict[str, Path]:
    """One working folder per document, each with a fresh copy of examples/."""
    made = {}
    for name in DOCUMENTS:
        folder = tmp_path_factory.mktemp(Path(name).stem)
        shutil.copytree(ROOT / "examples", folder / "examples")
        made[name] = folder
    return made


def test_every_document_has_commands():
    for name in DOCUMENTS:
        assert any(document == name for document, _ in CASES), f"{name} has no dependencia command to test"


@pytest.mark.parametrize(("document", "words"), CASES, ids=[f"{d}: {shlex.join(w)[:80]}" for d, w in CASES])
def test_command_runs_as_written(document, words, folders, monkeypatch, capsys):
    monkeypatch.chdir(folders[document])
    code = main(words[1:])
    captured = capsys.readouterr()
    assert code == 0, f"{shlex.join(words)} exited {code}:\n{captured.err}"
    target = next((words[i + 1] for i, w in enumerate(words[:-1]) if w in ("-o", "--output", "--out")), None)
    if target is not None:
        assert (folders[document] / target).exists(), f"{shlex.join(words)} did not write {target}"
    else:
        assert captured.out or captured.err, f"{shlex.join(words)} printed nothing"
    assert "Traceback" not in captured.err


def test_readme_python_block_runs(tmp_path, monkeypatch, capsys):
    (code,) = blocks((ROOT / "README.md").read_text(encoding="utf-8"), "python")
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(code, "README.md (python block)", "exec"), namespace)
    # a line whose comment is only a number promises that value: check it against the objects built
    promised = [(m["expr"], float(m["value"])) for m in PROMISE.finditer(code)]
    assert promised, "the README's Python block promises no value to check"
    for expression, value in promised:
        assert float(eval(expression, namespace)) == pytest.approx(value, abs=5e-4), expression
    assert (tmp_path / "report.html").is_file() and (tmp_path / "network.graphml").is_file()
