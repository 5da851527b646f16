"""The explorer's web app: a thin Starlette layer over :class:`~dependencia.explore.state.Explorer`.

Every request must carry the access token (``?token=`` or the header
``X-Dependencia-Token``); without it the answer is 403 and nothing runs.
Only the hosts ``127.0.0.1`` and ``localhost`` are answered (a page of
another site cannot reach the app by rebinding a name to this machine). A
refused edit answers 400 with the model's own message, and the state is
unchanged. JSON is written with ``<``, ``>`` and ``&`` escaped
(:func:`~dependencia.report.html.embed_json`).

=========================  =====  ===================================================
path                       verb   answer
=========================  =====  ===================================================
``/``                      GET    the page
``/api/state``             GET    the first state (:meth:`~dependencia.explore.view.View.payload`)
``/api/edit``              POST   apply the edit in the JSON body, then what it changed
                                  (:meth:`~dependencia.explore.view.View.state`)
``/api/undo``, ``/redo``   POST   what changed
``/api/panel/rents``       GET    :func:`dependencia.rents` of the network now (rows)
``/api/panel/measures``    GET    :func:`dependencia.measures` of the network now (rows)
``/api/export/model``      GET    the network now as a model file (YAML)
``/api/export/python``     GET    the edits as a Python script
``/api/export/cli``        GET    the edits as a ``dependencia whatif`` command (400 where it cannot)
``/api/export/report``     GET    the HTML report of the network now
``/api/export/table``      GET    every actor's power at the start and now (CSV)
=========================  =====  ===================================================
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Callable
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from ..errors import DependenciaError, UsageError
from ..report.html import embed_json
from .page import page
from .view import View

__all__ = ["HOSTS", "TOKEN_HEADER", "explorer_app"]

TOKEN_HEADER = "x-dependencia-token"
HOSTS = ["127.0.0.1", "localhost"]
_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
            "X-Frame-Options": "DENY"}


class _TokenRequired:
    """ASGI middleware: a request without the right token gets 403 and reaches nothing else."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app, self.token = app, token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            request = Request(scope)
            given = request.headers.get(TOKEN_HEADER) or request.query_params.get("token") or ""
            if not secrets.compare_digest(given.encode(), self.token.encode()):
                await PlainTextResponse("403: this explorer needs its access token (see the URL it printed)",
                                        status_code=403, headers=_HEADERS)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _json(value: Any, status: int = 200) -> Response:
    return Response(embed_json(value), status_code=status, media_type="application/json", headers=_HEADERS)


def _refused(problem: Exception) -> Response:
    return _json({"error": str(problem)}, 400)


def _download(text: str, name: str, media_type: str) -> Response:
    return Response(text, media_type=media_type,
                    headers={**_HEADERS, "Content-Disposition": f'attachment; filename="{name}"'})


def explorer_app(view: View, *, token: str, hosts: list[str] | None = None) -> Starlette:
    """The ASGI app of ``view``'s explorer, answering only requests that carry ``token``.

    Examples
    --------
    >>> import dependencia as dp
    >>> from starlette.testclient import TestClient
    >>> from dependencia.explore.state import Explorer
    >>> app = explorer_app(View(Explorer(dp.examples.load("ai-stack"))), token="secret")
    >>> client = TestClient(app, base_url="http://127.0.0.1")
    >>> client.get("/api/state").status_code, client.get("/api/state?token=secret").status_code
    (403, 200)
    """
    explorer = view.explorer
    lock = threading.Lock()  # one change at a time; Starlette runs these handlers in its thread pool

    def locked(action: Callable[[], Response]) -> Response:
        with lock:
            try:
                return action()
            except DependenciaError as problem:  # the model's own message; the state is unchanged
                return _refused(problem)

    def home(request: Request) -> Response:
        text, policy = page(view.label)
        return Response(text, media_type="text/html", headers={**_HEADERS, "Content-Security-Policy": policy})

    def state(request: Request) -> Response:
        return locked(lambda: _json(view.payload()))

    async def edit(request: Request) -> Response:
        try:
            spec = json.loads(await request.body())
        except ValueError as problem:
            return _json({"error": f"the edit is not JSON: {problem}"}, 400)
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(locked, lambda: (explorer.apply(spec), _json(view.state()))[1])

    def undo(request: Request) -> Response:
        return locked(lambda: (explorer.undo(), _json(view.state()))[1])

    def redo(request: Request) -> Response:
        return locked(lambda: (explorer.redo(), _json(view.state()))[1])

    def panel(request: Request) -> Response:
        return locked(lambda: _json(_panel(explorer.network, request.path_params["name"])))

    def export(request: Request) -> Response:
        kind = request.path_params["kind"]
        if kind == "model":
            return locked(lambda: _download(explorer.model_file(".yaml"), "network.yaml", "application/yaml"))
        if kind == "python":
            return locked(lambda: _download(explorer.python_script(), "edits.py", "text/x-python"))
        if kind == "cli":
            return locked(lambda: _download(explorer.cli_script(), "whatif.sh", "text/plain"))
        if kind == "report":
            from ..report.html import report

            return locked(lambda: _download(report(explorer.network, labels=[view.label + " (edited)"]).html,
                                            "report.html", "text/html"))
        if kind == "table":
            return locked(lambda: _download(explorer.changes().to_csv(), "power.csv", "text/csv"))
        return _json({"error": f"no export {kind!r}: model, python, cli, report or table"}, 404)

    routes = [Route("/", home), Route("/api/state", state), Route("/api/edit", edit, methods=["POST"]),
              Route("/api/undo", undo, methods=["POST"]), Route("/api/redo", redo, methods=["POST"]),
              Route("/api/panel/{name}", panel), Route("/api/export/{kind}", export)]
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=hosts or HOSTS),
                  Middleware(_TokenRequired, token=token)]
    return Starlette(routes=routes, middleware=middleware)


def _panel(network: Any, name: str) -> dict[str, Any]:
    """Rows of the rents or the measures panel of ``network`` (numbers to 12 digits, NaN as null)."""
    from ..report.json_values import cell

    if name == "rents":
        from ..economics import rents

        table = rents(network).actors[["income", "spending", "net", "power_share", "income_share", "latent_power"]]
    elif name == "measures":
        from ..measures.panel import measures

        table = measures(network)
    else:
        raise UsageError(f"no panel {name!r}: rents or measures")
    columns = [str(c) for c in table.columns]
    rows = [{"id": str(actor), **{c: cell(v) for c, v in zip(columns, values)}}
            for actor, values in zip(table.index, table.itertuples(index=False))]
    return {"panel": name, "columns": ["id", *columns], "rows": rows}
