"""The self-contained HTML report: one file, no network access, no script but ours.

:func:`report` gathers one panel per network or run (:mod:`.data`), embeds
them as JSON in a Jinja2 template together with Plotly's JavaScript (from the
``plotly`` package, vendored into the page) and the report's own script and
stylesheet, and writes the file atomically.

Safety: every user-supplied string travels inside the embedded JSON, in which
``<``, ``>``, ``&`` and the line separators U+2028/U+2029 are written as
``\\u`` escapes, so no id can close the ``<script>`` element; the page's
script puts strings into the page only as text (``textContent``) or as
escaped Plotly labels; and a Content-Security-Policy allows only the page's
own scripts (by their SHA-256) and no connection, image or font from
anywhere else.

Examples
--------
>>> import dependencia as dp
>>> page = dp.report(dp.examples.load("florentine"))
>>> page.html.startswith("<!DOCTYPE html>") and "Medici" in page.html
True
>>> page.panels[0]["graph"]["shown_nodes"]
15
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..base.atomic import write_text_atomic
from ..errors import InputError, UsageError
from ..network.model import Network
from .data import LABEL_TOP, MAX_NODES, TOP_ACTORS, comparison, network_panel, run_panel

__all__ = ["Report", "content_policy", "embed_json", "report", "static_text"]

_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026", 0x2028: "\\u2028", 0x2029: "\\u2029"}


@dataclass
class Report:
    """A written (or in-memory) report.

    Attributes
    ----------
    html : str
        The whole page.
    panels : list of dict
        The data shown, one panel per network or run (see :mod:`.data`).
    path : Path or None
        Where the page was written, if it was.
    """

    html: str
    panels: list[dict[str, Any]] = field(repr=False)
    path: Path | None = None

    def _repr_html_(self) -> str:
        # the page in a sandboxed frame: it runs its own scripts but cannot reach the notebook
        source = html.escape(self.html, quote=True)
        return (f'<iframe sandbox="allow-scripts" srcdoc="{source}" '
                'style="width:100%;height:900px;border:1px solid #ddd"></iframe>')

    def __repr__(self) -> str:
        where = f" at {self.path}" if self.path else ""
        return f"<Report of {', '.join(p['label'] for p in self.panels)}{where}, {len(self.html) / 2**20:.1f} MiB>"


def report(source: Network | str | Path | Any, other: Network | str | Path | Any | None = None, *,
           out: str | Path | None = None, title: str | None = None, labels: Sequence[str | None] | None = None,
           seed: int = 0, max_nodes: int = MAX_NODES, top: int = TOP_ACTORS, label_top: int = LABEL_TOP,
           workers: int | None = None, scheduler: str | None = None,
           progress: Callable[[int, int], None] | None = None) -> Report:
    """Build the HTML report of a network or a run, or of two side by side.

    Parameters
    ----------
    source : Network, path or Run
        A network (object or file), a complete run folder, or a
        :class:`~dependencia.simulation.run.Run` written to a folder.
    other : Network, path or Run, optional
        A second one, shown beside the first on the same scales (e.g. a run
        with a policy and one without).
    out : path, optional
        Write the page there (atomically; a symbolic link at that path is
        replaced, never written through).
    title : str, optional
    labels : sequence of str or None, optional
        Names for the networks (runs are named by their scenario or folder);
        None in it keeps that item's own name.
    seed : int, default 0
        Seeds the layout of the network view.
    max_nodes, top : int
        Above ``max_nodes`` nodes the network view shows the ``top`` actors
        by power and their neighbours (up to ``max_nodes`` nodes) and says so.
    label_top : int, default 10
        The network view names this many of the most powerful actors next to
        their markers (0: none); the rest show their id on hover. The page
        can change it.
    workers, scheduler : optional
        Parallel execution of the power computations, as for
        :func:`~dependencia.power`; the page does not depend on them.
    progress : callable, optional
        Called as ``progress(done, total)`` after each network or run and
        after the page is written.

    Returns
    -------
    Report
        ``html`` is the page; in Jupyter the report displays inline.
    """
    if max_nodes < 1 or top < 1:
        raise UsageError("max_nodes and top must be at least 1")
    if label_top < 0:
        raise UsageError("label_top must be at least 0")
    items = [item for item in (source, other) if item is not None]
    names = list(labels or []) + [None] * len(items)
    tick = progress or (lambda done, total: None)
    panels = []
    for item, name in zip(items, names):
        panels.append(_panel(item, name, seed=seed, max_nodes=max_nodes, top=top, label_top=label_top,
                             workers=workers, scheduler=scheduler))
        tick(len(panels), len(items) + 1)
    _distinguish(panels)
    title = title or "dependencia report: " + " vs ".join(p["label"] for p in panels)
    page = render(panels, title=title)
    target = None
    if out is not None:
        target = Path(out)
        write_text_atomic(target, page)
    tick(len(items) + 1, len(items) + 1)
    return Report(html=page, panels=panels, path=target)


def render(panels: list[dict[str, Any]], *, title: str) -> str:
    """The page for ``panels`` (see :mod:`.data`)."""
    from jinja2 import Environment
    from markupsafe import Markup

    from ..base.constants import VERSION

    scripts = (static_text("plotly"), static_text("report.js"))
    names = ", ".join(p["label"] for p in panels)
    template = Environment(autoescape=True, keep_trailing_newline=True).from_string(_template())
    return template.render(
        title=title, version=VERSION, policy=content_policy(scripts),
        subtitle=("Side by side, on the same scales: " if len(panels) > 1 else "") + names,
        css=Markup(static_text("report.css")),
        data=Markup(embed_json({"panels": panels, "comparison": comparison(panels)})),
        plotly=Markup(scripts[0]), app=Markup(scripts[1]),
    )


def embed_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` appears raw.

    >>> embed_json({"id": "</script><script>alert(1)</script>"})
    '{"id":"\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.translate(_JSON_ESCAPES)


def _panel(item: Any, label: str | None, *, seed: int, max_nodes: int, top: int, label_top: int,
           workers: int | None, scheduler: str | None) -> dict[str, Any]:
    from ..io import read
    from ..simulation.run import Run
    from ..simulation.run_folder import MANIFEST

    options: dict[str, Any] = {"seed": seed, "max_nodes": max_nodes, "top": top, "label_top": label_top,
                               "workers": workers, "scheduler": scheduler}
    if isinstance(item, Network):
        return network_panel(item, label=label or "network", **options)
    if isinstance(item, Run):
        if item.directory is None:
            raise UsageError("this run was not written to a folder; run it with out=... to report on it")
        return run_panel(item.directory, **options)
    if isinstance(item, (str, Path)):
        from ..batch.sweep import refuse_sweep_folder
        from ..io import examples

        path = Path(item)
        if path.is_dir() and (path / MANIFEST).exists():
            return run_panel(path, **options)
        refuse_sweep_folder(path)  # not "the CSV bundle has no actors.csv"
        if not path.exists() and str(item) in examples.names():
            return network_panel(read(examples.path(str(item))), label=label or str(item), **options)
        if not path.exists():
            raise InputError("no such file or folder (give a network file, a run folder or a shipped example: "
                             f"{', '.join(examples.names())})", source=str(item))
        return network_panel(read(path), label=label or path.name, **options)
    raise UsageError(f"cannot make a report of a {type(item).__name__}: give a Network, a path or a Run")


def _distinguish(panels: list[dict[str, Any]]) -> None:
    """Two panels with one label (the same scenario) are named by the parameters in which they differ."""
    if len(panels) != 2 or panels[0]["label"] != panels[1]["label"]:
        return
    settings = [{k: v for k, v in panel["summary"] if k.startswith("parameter: ")} for panel in panels]
    differ = [k for k in settings[0] if settings[0].get(k) != settings[1].get(k)]
    differ += [k for k in settings[1] if k not in settings[0]]
    for panel, values in zip(panels, settings):
        shown = [f"{k.removeprefix('parameter: ')}={values.get(k, '(unset)')}" for k in differ[:3]]
        seed = dict(panel["summary"]).get("seed")
        if not shown and seed is not None:
            shown = [f"seed {seed}"]
        panel["label"] += f" ({', '.join(shown)})" if shown else f" ({dict(panel['summary']).get('run folder', '')})"


def content_policy(scripts: tuple[str, ...], *, connect: str = "'none'") -> str:
    """The Content-Security-Policy of a page whose only scripts are ``scripts`` (inline; ``connect``: fetch targets)."""
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in scripts)
    return (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data: blob:; "
            f"font-src data:; connect-src {connect}; base-uri 'none'; form-action 'none'")


@cache
def static_text(name: str) -> str:
    """A static asset of the report (``report.js``, ``report.css``), or ``"plotly"``: Plotly's bundled script."""
    if name == "plotly":
        return (resources.files("plotly") / "package_data" / "plotly.min.js").read_text(encoding="utf-8")
    return (resources.files(__package__) / "static" / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _template() -> str:
    return (resources.files(__package__) / "templates" / "report.html.j2").read_text(encoding="utf-8")
