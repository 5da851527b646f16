"""Seed inputs for the atheris harnesses, and starting atheris on them.

Each seed is one byte (which reader) followed by a file that reader accepts,
written by dependencia itself or taken from the shipped scenarios.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import yaml


def _network():
    from dependencia.network.model import Network

    return Network.from_records(
        [{"id": "ms", "kind": "firm", "label": "Micro, soft", "budget": 5},
         {"id": "gh", "kind": "firm"}, {"id": "me", "kind": "person"}],
        [{"dependent": "me", "provider": "gh", "dimension": "code", "strength": 2, "via": ["azure"], "distance": 3},
         {"dependent": "gh", "provider": "ms", "dimension": "capital", "note": 'q"uote'}],
        infrastructures=[{"id": "azure", "owner": "ms", "dimensions": ["code", "capital"]}],
        ownership=[{"owner": "ms", "owned": "gh", "share": 0.75}],
    )


def csv_seeds() -> list[bytes]:
    from dependencia.io import write

    folder = Path(tempfile.mkdtemp(prefix="dependencia-seeds-"))
    net = _network()
    write(net, folder / "e.csv")
    write(net, folder / "bundle")
    edges = (folder / "e.csv").read_bytes()
    actors = (folder / "bundle" / "actors.csv").read_bytes()
    return [
        b"\x00" + edges,
        b"\x00\xef\xbb\xbf" + edges.replace(b"\n", b"\r\n"),
        b"\x01" + edges + b"\n\n\n" + actors,
        b"\x02" + b"dependent,provider,dimension,via\na,b,x,\nb,c,y,\n",
    ]


def yaml_seeds() -> list[bytes]:
    from dependencia.io import write
    from dependencia.simulation.scenario import scenario_path

    folder = Path(tempfile.mkdtemp(prefix="dependencia-seeds-"))
    net = _network()
    write(net, folder / "n.yaml")
    model = (folder / "n.yaml").read_bytes()
    spec = b"scenario: platform\nsteps: 2\nseeds: [1, 2]\nvary:\n  infrastructure.build_cost: [5.0, 10.0]\n"
    return [
        b"\x00" + model,
        b"\x00dependencia: 1\nactors:\n  - &f {id: a, kind: firm}\n  - {<<: *f, id: b, tags: &t [x, y]}\n"
        b"dependencies: [{dependent: a, provider: b, via: []}]\n",
        b"\x01" + scenario_path("platform").read_bytes(),
        b"\x02" + spec,
        b"\x03" + json.dumps(yaml.safe_load(model)).encode(),
    ]


def run_with_seeds(test_one_input, seeds: list[bytes], name: str, argv: list[str]) -> None:
    """Start atheris; without a corpus folder among the arguments, on a temporary one holding the seeds."""
    import atheris

    if not any(Path(arg).is_dir() for arg in argv[1:] if not arg.startswith("-")):
        corpus = Path(tempfile.mkdtemp(prefix=f"dependencia-corpus-{name}-"))
        for number, seed in enumerate(seeds):
            (corpus / f"seed-{number}").write_bytes(seed)
        argv = [*argv, str(corpus)]
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()
