"""Values as the report's JSON holds them: finite floats to 12 significant digits, None for NaN, plain text.

Examples
--------
>>> number(0.1 + 0.2), number(float("nan")), text(["a", "b"]), text(None)
(0.3, None, 'a, b', '')
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["cell", "floats", "ints", "number", "text"]


def cell(value: Any) -> Any:
    if isinstance(value, (float, np.floating)):
        return number(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    return text(value)


def number(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if not math.isfinite(value) else float(f"{value:.12g}")


def floats(values: Any) -> list[float | None]:
    return [number(v) for v in np.asarray(values, dtype=float).tolist()]


def ints(values: Any) -> list[int]:
    return [int(v) for v in values]


def text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)
