"""The shipped scenarios described: name, kind (static or simulated), steps, title, model file and narrative.

What ``dependencia scenarios list`` prints, as a table. A scenario is
*simulated* when its model file has a ``simulation:`` section (its ``steps``
are the section's, or the default), *static* otherwise; its title is the
first heading of its narrative (``<name>.md``), or else the first line of
the model file's header comment.

Examples
--------
>>> import dependencia as dp
>>> table = dp.scenarios()
>>> list(table.columns)
['name', 'kind', 'steps', 'title', 'file', 'narrative']
>>> table.set_index("name").loc["debt-brake", "kind"], table.set_index("name").loc["florentine", "steps"] is None
('simulated', True)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .scenario import scenario_names, scenario_path

if TYPE_CHECKING:  # pandas is imported where used: the CLI's help imports this module
    import pandas as pd

__all__ = ["COLUMNS", "NARRATIVE_SUFFIX", "comment_block", "describe_scenario", "scenario_kind", "scenarios"]

#: The columns of :func:`scenarios`.
COLUMNS = ("name", "kind", "steps", "title", "file", "narrative")
#: A scenario's narrative is its model file with this suffix.
NARRATIVE_SUFFIX = ".md"


def scenarios() -> pd.DataFrame:
    """The shipped scenarios, one row each in name order: :data:`COLUMNS` (``steps`` and ``narrative`` None
    where a scenario is static or has no narrative yet)."""
    import pandas as pd

    entries = [describe_scenario(name) for name in scenario_names()]
    return pd.DataFrame({column: pd.Series([e[column] for e in entries], dtype=object) for column in COLUMNS})


def describe_scenario(name: str) -> dict[str, Any]:
    """One row of :func:`scenarios`: name, kind, steps (simulated only), title, file and narrative paths."""
    from ..io.modelfile import load_document

    model = scenario_path(name)
    narrative = model.with_suffix(NARRATIVE_SUFFIX)
    kind, steps = scenario_kind(load_document(model), str(model))
    has_narrative = narrative.is_file()
    title = _markdown_title(narrative) if has_narrative else None
    if not title:
        header = comment_block(model)
        title = header[0] if header else ""
    return {"name": name, "kind": kind, "steps": steps, "title": title, "file": str(model),
            "narrative": str(narrative) if has_narrative else None}


def scenario_kind(document: Any, source: str) -> tuple[str, int | None]:
    """``("simulated", steps)`` for a parsed model file with a ``simulation:`` section, else ``("static", None)``."""
    from .config import SimulationConfig

    if isinstance(document, dict) and "simulation" in document:
        return "simulated", SimulationConfig.from_mapping(document["simulation"], source=source).steps
    return "static", None


def _markdown_title(path: Path) -> str | None:
    """The text of the first ``# `` heading of a markdown file."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return None


def comment_block(path: Path) -> list[str]:
    """The leading comment lines of a YAML file, without ``#``, from the first non-empty one."""
    lines: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            break
        text = stripped.lstrip("#").strip()
        if text or lines:
            lines.append(text)
    while lines and not lines[-1]:
        lines.pop()
    return lines
