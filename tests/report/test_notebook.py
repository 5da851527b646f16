"""Jupyter summaries (`_repr_html_`): compact, static and escaped."""

from __future__ import annotations

import dataclasses
from html.parser import HTMLParser

import dependencia as dp
from dependencia.simulation.summary import sparkline

HOSTILE = ["<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>", "a&b\"'"]
ALLOWED = {"div", "table", "caption", "tr", "th", "td", "svg", "polyline"}


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]


def tags_of(text: str) -> Tags:
    parser = Tags()
    parser.feed(text)
    return parser


def hostile_run():
    # a path hostile[0] -> hostile[1] -> hostile[2] -> big: every actor has a row, hostile[1] and [2] have power
    net = dp.Network.from_records(
        [{"id": HOSTILE[0]}, {"id": HOSTILE[1]}, {"id": HOSTILE[2]}, {"id": "big", "budget": 50}],
        [{"dependent": HOSTILE[0], "provider": HOSTILE[1]}, {"dependent": HOSTILE[1], "provider": HOSTILE[2]},
         {"dependent": HOSTILE[2], "provider": "big"}])
    return dp.Simulation(net).run(3)


def test_run_summary_escapes_hostile_actor_ids_and_scenario():
    run = dataclasses.replace(hostile_run(), manifest={"scenario": "<b onmouseover=alert(1)>", "seed": "<i>"})
    text = run._repr_html_()
    assert "<img" not in text and "<script" not in text and "</script" not in text and "<b" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text and "&lt;/script&gt;" in text
    parsed = tags_of(text)
    assert set(parsed.tags) <= ALLOWED
    assert not [a for a in parsed.attributes if a.startswith("on")]


def test_run_summary_has_what_a_reader_needs(tmp_path):
    run = dp.Simulation(dp.examples.load("florentine")).run(3, out=tmp_path / "run")
    text = dp.resume(tmp_path / "run")._repr_html_()
    for needed in ("seed", "steps", "gini", "hhi", "top5_share", "<polyline", "top 5 actors"):
        assert needed in text, needed
    last = run.actors[(run.actors["step"] == 2) & (run.actors["dimension"] == "*")]
    leader = last.sort_values(["power_share", "actor"], ascending=[False, True])["actor"].iloc[0]
    assert f"<td>{leader}</td>" in text
    assert len(text) < 4000  # a summary, not the report


def test_sparkline_scales_values_into_the_box():
    svg = sparkline([0.0, 1.0, 0.5], width=100, height=20)
    # x from 2 to 98; y from 18 (minimum) to 2 (maximum)
    assert 'points="2.0,18.0 50.0,2.0 98.0,10.0"' in svg
    assert sparkline([1.0]) == "" and sparkline([float("nan"), 1.0]) == ""
    assert 'points="2.0,10.0 98.0,10.0"' in sparkline([3.0, 3.0], width=100, height=20)


def test_network_summary_escapes_too():
    net = dp.Network.from_records([{"id": HOSTILE[0]}, {"id": "b"}], [{"dependent": HOSTILE[0], "provider": "b"}])
    assert "<img" not in net._repr_html_()
