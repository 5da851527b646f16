"""Every file the project's own text cites is in the repository (issue 21).

Docs, narratives, comments and tests used to cite ``MODEL.md §3`` or
``CALIBRATION.md``, files that never shipped. This test scans the
repository's text files (``git ls-files``, tracked and new files that git
does not ignore: ``.md``, ``.py``, ``.yaml``, ``.yml``, ``.toml``, ``.txt``
and ``Makefile``) and fails on a citation of a file that does not exist.

What counts as a citation (the rule, kept narrow so that example paths in
commands and temporary files in tests are not mistaken for citations):

1. **Markdown links** ``[text](target)`` in ``.md`` files, outside fenced code
   blocks, whose target is not a URL: the target must exist relative to the
   citing file's folder (as GitHub resolves it).
2. **Path mentions**: a token that looks like a file name ending in ``.md``,
   ``.py``, ``.yaml``, ``.yml``, ``.json``, ``.csv``, ``.toml`` or ``.txt``, and
   that either starts with one of the repository's own top-level folders
   (``docs/model.md``, ``scripts/write_narratives.py``,
   ``benchmarks/results-large.json``), or starts with ``../``, or is a document
   named in capitals (``README.md``, ``CALIBRATION.md``, ``shared/MODEL.md``).
   It must exist relative to the repository root or to the citing file's
   folder. Lower-case bare names (``power.json``) and paths under folders the
   repository does not have (``runs/brake/manifest.json``,
   ``my-scenarios/x.yaml``) are examples, not citations, and are not checked.
3. **Section citations** ``NAME §N`` of a document named in capitals
   (``ARCHITECTURE §2.3``): ``NAME.md`` must exist, as in rule 2.

An anchor (``docs/model.md#actor-power``, ``[x](model.md#actor-power)``,
``[x](#actor-power)``) must match a heading of the ``.md`` file it points into,
slugged as GitHub does (lower case; punctuation other than ``-`` and ``_``
dropped; spaces become ``-``; repeats get ``-1``, ``-2``, ...).

This file is not scanned: its examples are broken on purpose.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parents[1]
SUFFIXES = frozenset({".md", ".py", ".yaml", ".yml", ".toml", ".txt"})
NAMES = frozenset({"Makefile"})

_EXTENSIONS = r"(?:md|py|ya?ml|json|csv|toml|txt)"
#: A file-name-like token, optionally with folders before it and an anchor after it.
_PATH = re.compile(
    r"(?<![\w./~$-])"  # not the middle of a longer token (URL, ~/x, $OUT/x)
    r"((?:\.{1,2}/)*(?:[\w-][\w.-]*/)*[\w.-]*[\w-]\." + _EXTENSIONS + r")"
    r"(?![\w/-])"
    r"(#[\w-]+)?"
)
#: A document named in capitals: README.md, CALIBRATION.md.
_CAPITALS = re.compile(r"[A-Z][A-Z0-9_-]*\.md")
#: ``NAME §N``: a section of the document NAME.md.
_SECTION = re.compile(r"(?<![\w./-])([A-Z][A-Z0-9_]+)\s*§")
#: A markdown link or image: ``[text](target "title")``.
_LINK = re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_SCHEME = re.compile(r"^[A-Za-z][\w+.-]*:")
_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")


class Broken(NamedTuple):
    """One citation that does not resolve: where it is, what it cites, why it fails."""

    file: str
    line: int
    citation: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.citation} ({self.reason})"


def repository_files(root: Path = ROOT) -> list[Path]:
    """The repository's text files: tracked, and new ones git does not ignore."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root, capture_output=True, check=True,
    ).stdout.decode("utf-8").split("\0")
    files = {root / name for name in listed if name}
    return sorted(path for path in files if _is_text(path) and path.is_file())


def _is_text(path: Path) -> bool:
    return path.suffix in SUFFIXES or path.name in NAMES


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading (without the de-duplicating suffix)."""
    text = re.sub(r"<[^>]+>", "", heading).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """The anchors of a markdown file's headings, outside fenced code blocks."""
    seen: dict[str, int] = {}
    result = set()
    fenced = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if _FENCE.match(line):
            fenced = not fenced
            continue
        match = None if fenced else _HEADING.match(line)
        if match:
            base = slug(match.group(2))
            count = seen.get(base, 0)
            seen[base] = count + 1
            result.add(base if count == 0 else f"{base}-{count}")
    return result


def find_broken_citations(root: Path, files: Iterable[Path]) -> list[Broken]:
    """Every citation in ``files`` (paths under ``root``) of a file or heading that does not exist."""
    root = root.resolve()
    files = [Path(f).resolve() for f in files]
    top_folders = {f.relative_to(root).parts[0] for f in files if len(f.relative_to(root).parts) > 1}
    anchor_cache: dict[Path, set[str]] = {}
    broken: dict[tuple[str, int, str], Broken] = {}

    def report(citing: Path, number: int, citation: str, reason: str) -> None:
        name = citing.relative_to(root).as_posix()
        broken.setdefault((name, number, citation), Broken(name, number, citation, reason))

    def check_anchor(citing: Path, number: int, citation: str, target: Path, anchor: str) -> None:
        if target.suffix != ".md" or not target.is_file():
            return
        if target not in anchor_cache:
            anchor_cache[target] = anchors(target)
        if anchor.lower() not in anchor_cache[target]:
            report(citing, number, citation, f"no heading '{anchor}' in {_shown(root, target)}")

    for citing in files:
        if citing == Path(__file__).resolve():
            continue
        folder = citing.parent
        fenced = False
        lines = citing.read_text(encoding="utf-8", errors="replace").splitlines()
        for number, line in enumerate(lines, 1):
            if citing.suffix == ".md" and _FENCE.match(line):
                fenced = not fenced
            if citing.suffix == ".md" and not fenced:
                for match in _LINK.finditer(line):
                    target = match.group(1)
                    if _SCHEME.match(target):
                        continue
                    name, _, anchor = target.partition("#")
                    path = citing if not name else (root / name.lstrip("/") if name.startswith("/") else folder / name)
                    if not path.exists():
                        report(citing, number, target, f"no {name} next to {citing.relative_to(root).as_posix()}")
                    elif anchor:
                        check_anchor(citing, number, target, path, anchor)
            for match in _PATH.finditer(line):
                token, anchor = match.group(1), (match.group(2) or "")[1:]
                parts = token.split("/")
                checked = (
                    (len(parts) > 1 and parts[0] in top_folders)
                    or parts[0] == ".."
                    or _CAPITALS.fullmatch(parts[-1]) is not None
                )
                if not checked:
                    continue
                candidates = [(root / token), (folder / token)]
                found = next((path for path in candidates if path.exists()), None)
                if found is None:
                    report(citing, number, token, "no such file in the repository")
                elif anchor:
                    check_anchor(citing, number, f"{token}#{anchor}", found, anchor)
            # a name at the end of a line may have its § on the next one (after a comment's #)
            following = re.sub(r"^\s*#*\s*", "", lines[number]) if number < len(lines) else ""
            for match in _SECTION.finditer(f"{line} {following}"):
                if match.start() >= len(line):  # the next line's own, reported there
                    continue
                name = f"{match.group(1)}.md"
                if not ((root / name).exists() or (folder / name).exists()):
                    report(citing, number, f"{match.group(1)} §", f"no {name} in the repository")
    return list(broken.values())


def _shown(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


# -- the checker, on a small tree with good and bad citations -------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "src" / "pkg").mkdir(parents=True)
    (tmp_path / "src" / "pkg" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "README.md").write_text("# Project\n\nSee [the model](docs/model.md).\n", encoding="utf-8")
    (tmp_path / "docs" / "model.md").write_text(
        "# The model\n\n## Actor power\n\n### `power --by node` (NetworkX's rule)\n\n## Actor power\n",
        encoding="utf-8",
    )
    return tmp_path


def _check(root: Path, name: str, text: str) -> list[Broken]:
    path = root / name
    path.write_text(text, encoding="utf-8")
    files = [f for f in root.rglob("*") if f.is_file()]
    return [b for b in find_broken_citations(root, files) if b.file == name]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("src/pkg/a.py", '"""Power (docs/model.md#actor-power; README.md)."""\n'),
        ("src/pkg/b.py", "# anchors are GitHub's: docs/model.md#power---by-node-networkxs-rule, "
                         "docs/model.md#actor-power-1\n"),
        ("docs/guide.md", "[power](model.md#actor-power), [top](#guide), [readme](../README.md)\n# Guide\n"),
        ("docs/run.md", "```console\n$ tool run my-runs/x.yaml --out runs/brake/manifest.json\n```\n"
                        "It writes `power.json`; see https://example.org/docs/missing.md.\n"),
        ("src/pkg/c.py", 'path = tmp_path / "sub/file.csv"  # a temporary file, not a citation\n'),
    ],
)
def test_good_citations_pass(tree, name, text):
    assert _check(tree, name, text) == []


@pytest.mark.parametrize(
    ("name", "text", "citation"),
    [
        ("src/pkg/a.py", '"""Power (MODEL.md §3)."""\n', "MODEL.md"),
        ("src/pkg/a.py", "# figures from shared/CALIBRATION.md\n", "shared/CALIBRATION.md"),
        ("src/pkg/a.py", "# the run folder (ARCHITECTURE §2.3)\n", "ARCHITECTURE §"),
        ("src/pkg/a.py", "# the format, from the path (ARCHITECTURE\n# §2.1)\n", "ARCHITECTURE §"),
        ("src/pkg/a.py", "# see docs/missing.md\n", "docs/missing.md"),
        ("src/pkg/a.py", "# see docs/model.md#no-such-section\n", "docs/model.md#no-such-section"),
        ("docs/guide.md", "See [the figures](calibration.md).\n", "calibration.md"),
        ("docs/guide.md", "See [power](model.md#power).\n", "model.md#power"),
        ("docs/guide.md", "See [below](#nowhere).\n", "#nowhere"),
        ("docs/guide.md", "Reproduce with `python src/run_it.py`.\n", "src/run_it.py"),
    ],
)
def test_bad_citations_are_caught(tree, name, text, citation):
    found = _check(tree, name, text)
    assert [b.citation for b in found] == [citation], found


def test_slug_follows_github():
    assert slug("Results (ARCHITECTURE §2.3)") == "results-architecture-23"
    assert slug("`dependencia power NETWORK ...`") == "dependencia-power-network-"
    assert slug("Reach and asymmetry") == "reach-and-asymmetry"


# -- the repository itself ------------------------------------------------------------


def test_repository_cites_only_files_it_has():
    try:
        files = repository_files()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    broken = find_broken_citations(ROOT, files)
    assert not broken, "citations of files or headings the repository does not have:\n" + "\n".join(
        map(str, broken)
    )
