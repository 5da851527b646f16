"""Serving the explorer: uvicorn on 127.0.0.1 only, a random access token, the browser opened where there is one.

:func:`serve` blocks until ``Ctrl-C`` (uvicorn stops cleanly on SIGINT and
SIGTERM); :class:`Running` runs the same server in a thread, for tests and
notebooks, and stops it on :meth:`Running.stop`.
"""

from __future__ import annotations

import secrets
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import UsageError
from .app import explorer_app
from .view import View

__all__ = ["HOST", "Running", "serve", "start"]

HOST = "127.0.0.1"


def _bound_socket(port: int) -> socket.socket:
    """A socket bound to 127.0.0.1 (port 0: one the system picks)."""
    if not 0 <= port <= 65535:
        raise UsageError(f"--port must be between 0 and 65535, got {port}")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as problem:
        sock.close()
        raise UsageError(f"cannot listen on {HOST}:{port}: {problem.strerror or problem}") from None
    sock.listen(64)
    return sock


def _server(view: View, token: str) -> Any:
    import uvicorn

    config = uvicorn.Config(explorer_app(view, token=token), log_level="warning", access_log=False, lifespan="off",
                            timeout_graceful_shutdown=2)
    return uvicorn.Server(config)


@dataclass
class Running:
    """An explorer served in a background thread; ``url`` carries the token."""

    url: str
    token: str
    server: Any
    thread: threading.Thread

    def stop(self) -> None:
        """Stop serving and wait for the thread."""
        self.server.should_exit = True
        self.thread.join(timeout=10)


def start(view: View, *, port: int = 0, token: str | None = None) -> Running:
    """Serve ``view`` in a background thread and return once it answers.

    Examples
    --------
    >>> import dependencia as dp, urllib.request
    >>> from dependencia.explore.state import Explorer
    >>> running = start(View(Explorer(dp.examples.load("florentine"))))
    >>> urllib.request.urlopen(running.url.replace("/?", "/api/state?")).status
    200
    >>> running.stop()
    """
    token = token or secrets.token_urlsafe(24)
    sock = _bound_socket(port)
    server = _server(view, token)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="dependencia-explore")
    thread.start()
    while not server.started and thread.is_alive():
        threading.Event().wait(0.02)
    port = sock.getsockname()[1]
    return Running(url=f"http://{HOST}:{port}/?token={token}", token=token, server=server, thread=thread)


def serve(view: View, *, port: int = 0, open_browser: bool = True, announce: Callable[[str], None] = print) -> None:
    """Serve ``view`` until Ctrl-C: print the address (with its token) and open it in a browser where one is available."""
    token = secrets.token_urlsafe(24)
    sock = _bound_socket(port)
    url = f"http://{HOST}:{sock.getsockname()[1]}/?token={token}"
    server = _server(view, token)
    announce(f"dependencia explore: {url}")
    announce("(only this machine can reach it; the token in the address is required; Ctrl-C stops)")
    if open_browser:
        def opener() -> None:
            import webbrowser

            while not server.started and not server.should_exit:
                threading.Event().wait(0.05)
            try:
                webbrowser.open(url)
            except Exception:  # no browser here: the printed address is enough
                pass

        threading.Thread(target=opener, daemon=True).start()
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
