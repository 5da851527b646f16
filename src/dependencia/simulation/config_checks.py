"""The checks every simulation parameter passes: the error types and the ranges of shares and rates.

:data:`RANGES` lists every share-, rate- and probability-like parameter with
its range; :func:`check_range` applies it wherever a value comes from (the
API, a scenario file, ``--set``, a sweep), and the error names the
parameter, what it is, the range and the value.

Examples
--------
>>> check_range("public.interest_rate", 0.02)
>>> check_range("public.interest_rate", 2)
Traceback (most recent call last):
...
dependencia.simulation.config_checks.RangeError: public.interest_rate: an interest rate per step, must be in [0, 1], got 2
"""

from __future__ import annotations

from typing import Any

from ..errors import UsageError

__all__ = ["RANGES", "ConfigError", "RangeError", "check", "check_range"]


class ConfigError(UsageError):
    """A parameter with a bad value or an unknown name."""


def check(condition: bool, path: str, message: str) -> None:
    """Raise :class:`ConfigError` ``"path: message"`` unless ``condition`` holds."""
    if not condition:
        raise ConfigError(f"{path}: {message}")


class RangeError(ConfigError):
    """A share, rate or probability outside its range: names the parameter, what it is, the range and the value."""

    def __init__(self, path: str, what: str, interval: str, value: float):
        self.path, self.what, self.interval, self.value = path, what, interval, value
        super().__init__(f"{path}: {self.requirement}, got {number_text(value)}")

    @property
    def requirement(self) -> str:
        """``a share, must be in [0, 1]``."""
        return f"{self.what}, must be in {self.interval}"


def number_text(value: float) -> str:
    """``2`` for 2.0, the shortest repr otherwise.

    Examples
    --------
    >>> number_text(2.0), number_text(0.25)
    ('2', '0.25')
    """
    return f"{int(value)}" if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))


#: Every share-, rate- and probability-like parameter: (what it is, low, high, low open, high open).
#: Checked wherever the value comes from (the API, a scenario file, --set, a sweep); the error names
#: the parameter, what it is, the range and the value. Cost and price multipliers (extend_cost,
#: sale_price, markups) and amounts (subsidies, tax cuts) are not shares: they may exceed 1.
RANGES: dict[str, tuple[str, float, float, bool, bool]] = {
    "measure.epsilon": ("an error bound on the normalized power scale", 0.0, 1.0, True, True),
    "measure.delta": ("a probability", 0.0, 1.0, True, True),
    "adoption.switching_cost": ("a share of the old route's cost", 0.0, 1.0, False, True),
    "spillover.probability": ("a probability", 0.0, 1.0, False, False),
    "economy.rent_tax": ("a share of rent income", 0.0, 1.0, False, False),
    "public.interest_rate": ("an interest rate per step", 0.0, 1.0, False, False),
    "public.interest_slope": ("a rise of the interest rate per unit of debt-to-revenue ratio", 0.0, 1.0,
                              False, False),
    "policies.debt_brake.borrowing_cap": ("a share of the public budget (1: no cap)", 0.0, 1.0, False, False),
    "policies.debt_brake.gdp_share": ("a share of the step's total payments (GDP)", 0.0, 1.0, False, False),
    "policies.rent_tax.rate": ("a share of rent income", 0.0, 1.0, False, False),
    "policies.antitrust.cap": ("a power share", 0.0, 1.0, True, False),
    "policies.interoperability.threshold": ("a power share", 0.0, 1.0, True, False),
}


def check_range(path: str, value: Any) -> None:
    """Raise :class:`RangeError` when ``value`` (a number, or None for unset) lies outside ``RANGES[path]``."""
    if path not in RANGES or value is None:
        return
    what, low, high, low_open, high_open = RANGES[path]
    below = value <= low if low_open else value < low
    above = value >= high if high_open else value > high
    if below or above:
        interval = f"{'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
        raise RangeError(path, what, interval, value)
