"""The ``scenarios`` commands: list, show and copy the scenarios shipped with dependencia.

A Typer sub-app; :mod:`dependencia.cli` registers it with
``app.add_typer(_cli_scenarios.app, name="scenarios")``, which gives
``dependencia scenarios list``, ``dependencia scenarios show NAME`` and
``dependencia scenarios copy NAME DIR``.

A shipped scenario is ``data/scenarios/<name>.yaml`` (a model file; "simulated"
when it has a ``simulation:`` section, "static" otherwise) and, once written,
``<name>.md``, its narrative.
"""

from __future__ import annotations

import json
import os
import shlex
from pathlib import Path
from typing import Annotated

import typer

from ..base.atomic import write_bytes_atomic
from ..errors import UsageError
from ..simulation.catalog import NARRATIVE_SUFFIX as _NARRATIVE
from ..simulation.catalog import comment_block, scenario_kind
from ..simulation.scenario import scenario_path  # light; YAML and pandas inside the commands
from .console import render_table
from .options import Format, FormatOpt

__all__ = ["app", "copy", "list_scenarios", "show"]


app = typer.Typer(
    name="scenarios",
    help="The scenarios shipped with dependencia: list them (the default), read one, copy one to edit and run.",
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

NameArg = Annotated[
    str, typer.Argument(metavar="NAME", help="A shipped scenario (see `dependencia scenarios list`).",
                        show_default=False),
]


@app.callback()
def _default(context: typer.Context) -> None:
    """Without a sub-command, list the scenarios."""
    if context.invoked_subcommand is None:
        list_scenarios(Format.table)


@app.command("list")
def list_scenarios(format: FormatOpt = Format.table) -> None:
    """List the shipped scenarios: name, kind (static or simulated), steps, title and model file."""
    from ..simulation.catalog import scenarios

    frame = scenarios()
    if format is Format.json:
        typer.echo(json.dumps({"scenarios": frame.to_dict(orient="records")}, allow_nan=False))
        return
    if format is Format.csv:
        typer.echo(frame.to_csv(index=False, lineterminator="\n"), nl=False)
        return
    shown = frame.drop(columns="narrative").set_index("name")
    caption = "read one: dependencia scenarios show NAME; copy one to edit it: dependencia scenarios copy NAME DIR"
    render_table(f"{len(frame)} shipped scenarios", shown, caption, to_file=False)


@app.command()
def show(name: NameArg) -> None:
    """Print a scenario's narrative (markdown) on stdout, and where its files are on stderr."""
    from ..io.modelfile import load_document

    model = scenario_path(name)  # an unknown name: InputError listing the shipped names
    narrative = model.with_suffix(_NARRATIVE)
    kind, steps = scenario_kind(load_document(model), str(model))
    if narrative.is_file():
        text = narrative.read_text(encoding="utf-8")
        typer.echo(text if text.endswith("\n") else text + "\n", nl=False)
    else:  # narratives are still being written: fall back to the model file's header comment
        header = comment_block(model)
        if header:
            typer.echo("\n".join(header))
        typer.echo(f"(no narrative yet: {narrative.name}; shown above is the model file's header comment)", err=True)
    typer.echo(f"scenario {name} ({kind}{f', {steps} steps' if steps is not None else ''})", err=True)
    typer.echo(f"  model file: {model}", err=True)
    if narrative.is_file():
        typer.echo(f"  narrative:  {narrative}", err=True)
    typer.echo(f"  run it:     {_run_hint(name, kind, name)}", err=True)
    typer.echo(f"  edit it:    dependencia scenarios copy {name} DIR", err=True)


@app.command()
def copy(
    name: NameArg,
    directory: Annotated[
        Path, typer.Argument(metavar="DIR", help="Folder to copy into (created if missing, parents too).",
                             show_default=False),
    ],
) -> None:
    """Copy a scenario's model file (and narrative, if any) into DIR, to edit and run; never overwrites."""
    from ..io.modelfile import load_document

    model = scenario_path(name)
    sources = [model]
    narrative = model.with_suffix(_NARRATIVE)
    if narrative.is_file():
        sources.append(narrative)
    # the target names come from the registry's name; checked below to stay inside DIR all the same
    contents = [(f"{name}{source.suffix}", source.read_bytes()) for source in sources]  # read all, then write

    if directory.is_symlink():
        raise UsageError(f"{directory} is a symbolic link; refusing to write through it (give the real folder)")
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory} exists and is not a folder")
    folder = directory.resolve()
    targets = [(directory / file_name, data) for file_name, data in contents]
    for target, _ in targets:
        _check_target(target, folder)

    directory.mkdir(parents=True, exist_ok=True)
    if directory.is_symlink() or directory.resolve() != folder:  # changed under us since the checks
        raise UsageError(f"{directory} changed while copying; nothing written")
    written: list[Path] = []
    try:
        for target, data in targets:
            _check_target(target, folder)
            write_bytes_atomic(target, data)
            written.append(target)
    except BaseException:
        for path in written:  # all or nothing
            path.unlink(missing_ok=True)
        raise
    for path in written:
        typer.echo(f"wrote {path}", err=True)
    kind, _ = scenario_kind(load_document(model), str(model))
    copied = shlex.quote(str(directory / f"{name}{model.suffix}"))
    typer.echo(f"run it: {_run_hint(name, kind, copied)}", err=True)




def _check_target(target: Path, folder: Path) -> None:
    """Refuse a target that exists (or is a link, even a dangling one) or that resolves outside ``folder``."""
    if target.is_symlink():
        raise UsageError(f"{target} is a symbolic link; refusing to write through it; nothing written")
    if os.path.lexists(target):
        raise UsageError(f"{target} already exists; refusing to overwrite it; nothing written")
    if target.resolve().parent != folder:
        raise UsageError(f"{target} would be written outside {folder}; nothing written")


def _run_hint(name: str, kind: str, model: str) -> str:
    if kind == "simulated":
        return f"dependencia simulate {model} --out {shlex.quote(name + '-run')}"
    return f"dependencia power {model}"
