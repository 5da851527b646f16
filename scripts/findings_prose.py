"""Helpers for the findings that scripts write into the narratives: figures as printed, the panel's verdicts.

Shared by ``scripts/static_findings.py`` (the static scenarios' findings) and
``scripts/write_static_findings.py`` (the writer of the blocks and the guide's tables). Numbers are
printed at a fixed precision, so a narrative's figure and an oracle can be compared at that precision.
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Iterable, Sequence

import pandas as pd
import robust_rankings as robust

#: The panel's columns as the prose names them.
NAMES = {"power": "betweenness", "power_hub": "hub betweenness", "dominance": "dominance", "asymmetry": "asymmetry",
         "dependents": "dependents", "dependencies": "dependencies", "traffic": "traffic share",
         "pagerank": "PageRank", "katz": "Katz", "bonacich": "Bonacich", "impact": "systemic impact"}


class Stale(Exception):
    """The computation no longer agrees with a statement the narrative's prose makes."""


def require(condition: bool, scenario: str, statement: str) -> None:
    """Stop where the prose's mechanism would no longer be true of the computation."""
    if not condition:
        raise Stale(f"{scenario}: the computation no longer supports '{statement}'; revise the prose in "
                    "scripts/static_findings.py")


def fixed(value: float, digits: int = 3) -> str:
    """A share as the narratives print it: ``digits`` decimals; an exact zero as 0."""
    if value == 0:
        return "0"
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def signed(value: float) -> str:
    text = fixed(value)
    return text if text.startswith("-") or text == "0" else f"+{text}"


def sig(value: float) -> str:
    """A panel value: 3 significant digits."""
    return "0" if value == 0 else f"{value:.3g}"


def listing(items: Iterable[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    return ", ".join(items[:-1]) + (" and " if len(items) > 1 else "") + (items[-1] if items else "")


@functools.cache
def panel(name: str) -> pd.DataFrame:
    return robust.panel(name)


def verdicts(name: str, finding: str) -> tuple[list[str], list[str], list[str]]:
    """The measures (other than ``power``) under which a finding of robust_rankings holds, fails, cannot rank."""
    cells = robust.holds(name, panel(name))[finding]
    chosen: dict[bool | None, list[str]] = {True: [], False: [], None: []}
    for measure, ok in cells.items():
        if measure != "power":
            chosen[ok].append(measure)
    return chosen[True], chosen[False], chosen[None]


def named(measures: Sequence[str]) -> str:
    return listing(NAMES[m] for m in measures)


def values(frame: pd.DataFrame, measure: str, actors: Sequence[str], labels: dict[str, str]) -> str:
    return ", ".join(f"{labels[a]} {sig(frame.loc[a, measure])}" for a in actors)


def where(name: str, finding: str) -> str:
    """Where a finding holds: 'under A, B and C; not under D' (the measures of the panel other than power)."""
    yes, no, _ = verdicts(name, finding)
    return f"under {'every other measure that ranks anyone: ' if not no else ''}{named(yes)}" + (
        f"; not under {named(no)}" if no else "")


def details(name: str, findings: Sequence[str], actors: Sequence[str], labels: dict[str, str],
            why: dict[str, str]) -> str:
    """Each measure under which one of ``findings`` fails, once: the actors' values and the reason."""
    failing = list(dict.fromkeys(m for finding in findings for m in verdicts(name, finding)[1]))
    frame = panel(name)
    return "; ".join(f"{NAMES[m]}: {values(frame, m, actors, labels)}{why.get(m, '')}" for m in failing)


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def count(n: int, noun: str) -> str:
    return f"{NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else n} {noun}{'' if n == 1 else 's'}"


def wrap(text: str, width: int = 100) -> str:
    """Paragraphs and list items wrapped for the source; table rows and blank lines as they are."""
    lines = []
    for line in text.split("\n"):
        if not line or line.startswith("|"):
            lines.append(line)
            continue
        indent = " " * (len(line) - len(line.lstrip("-0123456789. "))) if line[0] in "-0123456789" else ""
        lines.append(textwrap.fill(line, width, subsequent_indent=indent, break_long_words=False,
                                   break_on_hyphens=False))
    return "\n".join(lines)
