"""Write every output of the shipped scenarios and a manifest of their SHA-256, to compare two checkouts.

Runs the ``dependencia`` command in this process (``dependencia.cli.main``, so
``PYTHONPATH`` chooses the checkout) on each shipped scenario: power (by actor
and by node), explain, whatif, chokepoints, concentration, rents, improve and
validate in JSON and CSV; ``scenarios list`` in JSON and CSV; convert to every format; and a short simulation of
each simulated scenario (5 steps, seed 1), whose run folder's files are hashed
too. The run folder's ``manifest.json`` holds clock times and timings; those
fields are left out of its hash (the run folder's contract: the tables are the
same bytes, the timings are not). The benchmarks call the same public
functions on the same code paths, so these values cover theirs.

Usage::

    python scripts/same_bytes.py OUT            # writes OUT/outputs/... and OUT/manifest.json
    python scripts/same_bytes.py --compare A/manifest.json B/manifest.json

Examples
--------
Before and after a change::

    git worktree add /tmp/baseline <rev>
    PYTHONPATH=/tmp/baseline/src python scripts/same_bytes.py /tmp/before
    python scripts/same_bytes.py /tmp/after
    python scripts/same_bytes.py --compare /tmp/before/manifest.json /tmp/after/manifest.json
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import re
import sys
from pathlib import Path

SCENARIOS = ("florentine", "ai-stack", "debt-brake", "care", "openai-board", "platform")
SIMULATED = ("ai-stack", "debt-brake", "platform")
FORMATS = ("json", "csv")
VOLATILE = {"started", "ended", "timings", "python", "version", "elapsed", "seconds"}
CONVERT_SUFFIXES = (".yaml", ".json", ".csv", ".graphml", ".gexf", "")  # "" is a CSV bundle folder


def _run(argv: list[str]) -> int:
    """Run the command line in this process, its terminal output discarded."""
    from dependencia.cli import main

    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        try:
            code = main(argv)
        except SystemExit as stop:  # a Typer/Click exit
            code = stop.code if isinstance(stop.code, int) else 1
    if code:
        raise SystemExit(f"dependencia {' '.join(argv)} failed ({code}):\n{sink.getvalue()}")
    return code


def _first_ids(name: str) -> tuple[str, str]:
    """The first actor of a scenario and the node to remove in whatif (its first infrastructure, else actor)."""
    import dependencia as dp

    net = dp.examples.load(name)
    actor = str(net.actors.index[0])
    node = str(net.infrastructures.index[0]) if len(net.infrastructures) else actor
    return actor, node


def write_outputs(out: Path) -> None:
    """Every output listed in the module docstring, under ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    for name in SCENARIOS:
        actor, node = _first_ids(name)
        commands = {
            "power-actor": ["power", name, "--by", "actor", "--workers", "1"],
            "power-node": ["power", name, "--by", "node", "--workers", "1"],
            "explain": ["explain", name, actor, "--workers", "1"],
            "whatif": ["whatif", name, "--remove", node, "--workers", "1"],
            "chokepoints": ["chokepoints", name],
            "concentration": ["concentration", name, "--workers", "1"],
            "rents": ["rents", name, "--workers", "1"],
            "improve": ["improve", name, actor, "--links", "2", "--workers", "1"],
        }
        for label, argv in commands.items():
            for fmt in FORMATS:
                _run([*argv, "--format", fmt, "-o", str(out / f"{name}.{label}.{fmt}")])
        for fmt in FORMATS:  # validate writes to standard output
            sink = io.StringIO()
            from dependencia.cli import main

            with contextlib.redirect_stdout(sink):
                code = main(["validate", name, "--format", fmt])
            if code:
                raise SystemExit(f"validate {name} failed")
            (out / f"{name}.validate.{fmt}").write_text(sink.getvalue(), encoding="utf-8")
        for suffix in CONVERT_SUFFIXES:
            _run(["convert", name, str(out / (f"{name}.convert{suffix}" if suffix else f"{name}-convert-bundle"))])
        if name in SIMULATED:
            _run(["simulate", name, "--out", str(out / f"{name}.run"), "--steps", "5", "--seed", "1", "--quiet"])
    for fmt in FORMATS:  # scenarios list names the model files: the checkout's folder replaced by a placeholder
        (out / f"scenarios-list.{fmt}").write_text(_scenarios_list(fmt), encoding="utf-8")


def _scenarios_list(fmt: str) -> str:
    """``dependencia scenarios list --format FMT`` as printed, the package's folder written as ``<package>``."""
    from importlib import resources

    from dependencia.cli import main

    sink = io.StringIO()
    with contextlib.redirect_stdout(sink):
        code = main(["scenarios", "list", "--format", fmt])
    if code:
        raise SystemExit("scenarios list failed")
    package = str(resources.files("dependencia"))
    return sink.getvalue().replace(json.dumps(package)[1:-1], "<package>").replace(package, "<package>")


def _stable(value):
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_stable(v) for v in value]
    return value


def manifest(out: Path) -> dict[str, str]:
    """SHA-256 of every file under ``out`` (a run folder's manifest.json without its clock fields, a GEXF
    file without its date of writing)."""
    digests = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.name == "manifest.json" and path.parent.name.endswith(".run"):
            data = json.dumps(_stable(json.loads(data)), sort_keys=True).encode()
        if path.suffix == ".gexf":  # NetworkX writes the day of writing into <meta lastmodifieddate=...>
            data = re.sub(rb'lastmodifieddate="[^"]*"', b'lastmodifieddate=""', data)
        digests[path.relative_to(out).as_posix()] = hashlib.sha256(data).hexdigest()
    return digests


def compare(before: Path, after: Path) -> int:
    """Print the outputs that differ or exist on one side only; 0 when all are equal."""
    a, b = json.loads(before.read_text()), json.loads(after.read_text())
    differ = sorted(k for k in a.keys() & b.keys() if a[k] != b[k])
    only = sorted(a.keys() ^ b.keys())
    for k in differ:
        print("differs:", k)
    for k in only:
        print("only on one side:", k)
    print(f"{len(a.keys() & b.keys()) - len(differ)} of {len(a.keys() | b.keys())} outputs the same bytes")
    return 1 if differ or only else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path)
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args(argv)
    if args.compare:
        return compare(*args.compare)
    if args.out is None:
        parser.error("give OUT or --compare BEFORE AFTER")
    write_outputs(args.out / "outputs")
    digests = manifest(args.out / "outputs")
    (args.out / "manifest.json").write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n")
    print(f"{len(digests)} outputs hashed into {args.out / 'manifest.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
