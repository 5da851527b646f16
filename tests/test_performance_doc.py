"""docs/performance.md cites what reproduces its figures, and what it cites exists (issue 22, item 6).

The document's convention, which this test reads (no benchmark runs here):

- a command that reproduces a figure is written ``python benchmarks/<name>.py ...``
  in backticks: ``benchmarks/<name>.py`` must exist;
- a stored result is written ``benchmarks/results-<name>.json``, optionally with
  a JSON pointer (RFC 6901) to the key that holds the figure:
  ``benchmarks/results-20k.json#/hops/igraph/seconds``. The file must exist
  and parse, and the pointer must resolve in it;
- every ``## `` section gives at least one command and either a stored result
  or says that its figures are historical or not measured;
- every stored result in ``benchmarks/`` is cited (none is left orphaned).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "performance.md"

COMMAND = re.compile(r"python (benchmarks/[\w.-]+\.py)")
RESULT = re.compile(r"(benchmarks/results-[\w.-]+\.json)(?:#(/[^`]*))?")


def _text() -> str:
    return DOC.read_text(encoding="utf-8")


def _sections(text: str) -> list[tuple[str, str]]:
    parts = re.split(r"^## (.+)$", text, flags=re.MULTILINE)
    return list(zip(parts[1::2], parts[2::2]))


def _resolve(document: object, pointer: str) -> object:
    """The value a JSON pointer names (``~1`` is ``/``, ``~0`` is ``~``)."""
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(document, list):
            document = document[int(token)]
        else:
            document = document[token]  # type: ignore[index]
    return document


def test_cited_scripts_exist() -> None:
    scripts = set(COMMAND.findall(_text()))
    assert scripts, "docs/performance.md cites no benchmark command"
    missing = sorted(s for s in scripts if not (ROOT / s).is_file())
    assert not missing, f"commands in docs/performance.md name missing scripts: {missing}"


def test_cited_results_exist_and_pointers_resolve() -> None:
    citations = RESULT.findall(_text())
    assert citations, "docs/performance.md cites no stored result"
    loaded: dict[str, object] = {}
    problems = []
    for path, pointer in citations:
        target = ROOT / path
        if not target.is_file():
            problems.append(f"{path}: no such file")
            continue
        if path not in loaded:
            loaded[path] = json.loads(target.read_text(encoding="utf-8"))
        if pointer:
            try:
                _resolve(loaded[path], pointer)
            except (KeyError, IndexError, ValueError, TypeError):
                problems.append(f"{path}#{pointer}: no such key")
    assert not problems, "docs/performance.md cites what is not there:\n" + "\n".join(problems)


@pytest.mark.parametrize("title", [title for title, _ in _sections(DOC.read_text(encoding="utf-8"))])
def test_every_section_cites_its_source(title: str) -> None:
    body = dict(_sections(_text()))[title]
    assert COMMAND.search(body), f"section {title!r} gives no command (python benchmarks/...)"
    assert RESULT.search(body) or re.search(r"historical|not measured", body, re.IGNORECASE), (
        f"section {title!r} cites no stored result and marks nothing historical"
    )


def test_every_stored_result_is_cited() -> None:
    cited = {path for path, _ in RESULT.findall(_text())}
    stored = {f"benchmarks/{p.name}" for p in (ROOT / "benchmarks").glob("results-*.json")}
    assert not stored - cited, f"stored results docs/performance.md does not cite: {sorted(stored - cited)}"


def test_pointer_resolution() -> None:
    document = {"a/b": {"c": [1, 2]}, "dependencia CLI": 3}
    assert _resolve(document, "/a~1b/c/1") == 2
    assert _resolve(document, "/dependencia CLI") == 3
    with pytest.raises(KeyError):
        _resolve(document, "/missing")
