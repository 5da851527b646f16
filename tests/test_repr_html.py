"""Every ``_repr_html_`` escapes what the user wrote: a ``<script>`` in an actor or infrastructure id stays text.

The report promises that every user string is escaped; the notebook summaries
of a Network, an Explanation, an Improvement, a WhatIf, Rents, a Run and a
Report make the same promise. Each test plants the tag in the ids and checks
that the raw tag never appears while its escaped form does.
"""

from __future__ import annotations

import html

import dependencia as dp

ACTOR = "<script>alert(1)</script>"
INFRA = "<script>alert(2)</script>"
PROVIDER = "p<b>"


def hostile_network() -> dp.Network:
    """ACTOR depends on PROVIDER, served through INFRA (owned by ACTOR), so ACTOR holds power."""
    return dp.Network.from_records(
        [{"id": "d"}, {"id": ACTOR, "budget": 10}, {"id": PROVIDER}],
        [{"dependent": "d", "provider": PROVIDER, "via": [INFRA]},
         {"dependent": "d", "provider": ACTOR}, {"dependent": ACTOR, "provider": PROVIDER}],
        infrastructures=[{"id": INFRA, "owner": ACTOR}],
    )


def assert_escaped(page: str, planted: tuple[str, ...]) -> None:
    assert "<script>" not in page and "</script>" not in page
    assert "<b>" not in page
    for text in planted:
        assert html.escape(text) in page or html.escape(text, quote=False) in page, text


def test_network() -> None:
    # the summary counts actors; it names the dimensions, so plant the tag in one
    net = dp.Network.from_records([{"id": ACTOR}, {"id": "b"}], [{"dependent": ACTOR, "provider": "b", "dimension": INFRA}])
    assert_escaped(net._repr_html_(), (INFRA,))


def test_explanation() -> None:
    assert_escaped(dp.explain(hostile_network(), ACTOR, workers=1)._repr_html_(), (ACTOR, INFRA))


def test_improvement() -> None:
    result = dp.improve(hostile_network(), ACTOR, links=1, workers=1)
    assert_escaped(result._repr_html_(), (ACTOR,))


def test_whatif() -> None:
    result = dp.whatif(hostile_network(), remove=[INFRA], workers=1)
    assert_escaped(result._repr_html_(), (ACTOR,))


def test_rents() -> None:
    assert_escaped(dp.rents(hostile_network(), workers=1)._repr_html_(), (ACTOR,))


def test_run() -> None:
    run = dp.Simulation(hostile_network()).run(2)
    assert_escaped(run._repr_html_(), (ACTOR,))


def test_report() -> None:
    # the page sits in an iframe's srcdoc: the whole page is escaped once more, so no tag of it is live
    page = dp.report(hostile_network())._repr_html_()
    assert page.startswith("<iframe") and page.count("<") == 2 and page.endswith("</iframe>")
