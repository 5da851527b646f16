"""The explorer's page: one HTML document with Plotly and the explorer's script inline, allowed by their hashes.

The page holds no data: its script asks the app for the state (``/api/state``)
with the token of the page's own address, and sends edits back. The
Content-Security-Policy allows the two inline scripts (by their SHA-256),
connections to the page's own origin, and nothing from any other origin.

Examples
--------
>>> text, policy = page("<ai-stack>")
>>> "&lt;ai-stack&gt;" in text and "connect-src 'self'" in policy
True
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from ..base.constants import VERSION
from ..report.html import content_policy, static_text

__all__ = ["page"]


def page(label: str) -> tuple[str, str]:
    """The page's HTML for a network named ``label``, and its Content-Security-Policy."""
    from jinja2 import Environment
    from markupsafe import Markup

    scripts = (static_text("plotly"), _asset("explore.js"))
    template = Environment(autoescape=True).from_string(_asset("explore.html.j2", "templates"))
    text = template.render(title=f"dependencia explore: {label}", version=VERSION, css=Markup(static_text("report.css")),
                           extra_css=Markup(_asset("explore.css")), plotly=Markup(scripts[0]), app=Markup(scripts[1]))
    return text, content_policy(scripts, connect="'self'")


@cache
def _asset(name: str, folder: str = "static") -> str:
    return (resources.files(__package__) / folder / name).read_text(encoding="utf-8")
