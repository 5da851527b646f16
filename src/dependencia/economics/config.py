"""The settings of the economy: pricing rule, markups, tolls, care, taxes.

The model leaves several choices open
(docs/economics.md#choices-the-text-leaves-open-and-how-to-change-them);
:class:`Economy` makes each one a named, validated setting with a documented
default, so that users (and the simulation's ``--set economy.<name>=value``)
can change it.

Examples
--------
>>> from dependencia.economics import Economy
>>> economy = Economy(markup_base=0.2)
>>> economy.markup(0.5)   # 0.2 + 0.5 * 0.5
0.45
>>> Economy(pricing="auction")
Traceback (most recent call last):
...
dependencia.errors.UsageError: economy.pricing must be one of administered, marginalist; got 'auction'
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..base.constants import CHANNELS  # not .._schema: Economy() is built when the CLI loads, before pandas
from ..errors import UsageError

__all__ = ["PRICING_RULES", "WAGE_RULES", "Economy"]

PRICING_RULES = ("administered", "marginalist")
WAGE_RULES = ("administered", "position")


@dataclass(frozen=True)
class Economy:
    """Every economic setting of one period's accounts (docs/economics.md#the-rules).

    Parameters
    ----------
    pricing : {"administered", "marginalist"}, default "administered"
        ``administered`` (Lee): unit cost x (1 + :meth:`markup`), with price
        leaders whose price the followers take (never below their own cost);
        demand does not enter. ``marginalist``: unit cost x (1 + markup_base)
        x (demand / capacity) ** (1 / elasticity), for comparison; no leaders.
    leaders : int, default 1
        How many providers per dimension lead prices: the ones with the
        highest power share in that dimension (ties broken by id). Followers
        take the mean of the leaders' prices, or their own unit cost if that
        is higher.
    markup_base, markup_slope : float, default 0.1 and 0.5
        The markup function: markup = markup_base + markup_slope x s, where s
        is the provider's power share in the dimension (0 <= s <= 1). The
        defaults are illustrative (10% for a provider with no power, 60% for
        one with all of it); no source fixes them.
    elasticity : float, default 1.0
        Marginalist pricing only: how strongly the price follows demand
        relative to capacity (price ~ (demand/capacity) ** (1/elasticity)).
    capacity : float or mapping of provider id to float, optional
        Marginalist pricing only: the units a provider supplies per period.
        A mapping wins over an actor's ``capacity`` attribute, which wins
        over a single number; where none says, each provider gets an equal
        share of its dimension's demand.
    unit_cost : float, default 1.0
        Unit cost of actors whose ``unit_cost`` is unspecified.
    unpaid_channels : tuple of str, default ("care", "voluntary")
        Channels on which no money moves.
    care_dimensions : tuple of str, default ("care",)
        Dimensions whose unpaid part counts as unpaid care (as does every
        dependency on the ``care`` channel).
    care_shadow_price : float, default 1.0
        Shadow price of one unit of strength of unpaid care: valued and
        reported, it moves no money.
    public_toll : float or None, default 0.0
        Toll rate of publicly owned infrastructure without a ``toll``
        attribute: 0 means public infrastructure is run without a toll; None
        applies the owner's markup, as for private owners.
    rent_tax : float, default 0.0
        Share of every private actor's positive rent income (markup and toll)
        paid to the public account.
    public_account : str, optional
        Actor id of the public account. Default: the first actor of kind
        ``state`` by id, or an account ``public`` created for the run when the
        network has none.
    labour_dimensions : tuple of str, default ("labour",)
        Dimensions whose dependencies are wage labour: the employer (the
        dependent) pays the worker (the provider) a wage (docs/economics.md#wages).
    wage_rule : {"administered", "position"}, default "administered"
        The wage per unit of strength where a dependency gives no ``wage``:
        ``administered``: subsistence x (1 + wage_markup), the same for every
        worker whatever its position; ``position``: subsistence x (1 +
        :meth:`markup`) of the worker's power share in the labour dimension,
        the rent of its position, as any provider prices its own sales.
    subsistence : float, default 1.0
        The worker's cost of one unit of labour (what it must spend to work),
        where the actor has no ``subsistence`` attribute; paid on like a unit
        cost. Stylized: the same unit as the default unit cost.
    wage_markup : float, default 0.1
        Administered wage rule: the wage's margin over subsistence. Stylized
        (the default base markup); no source fixes it.
    """

    pricing: str = "administered"
    leaders: int = 1
    markup_base: float = 0.1
    markup_slope: float = 0.5
    elasticity: float = 1.0
    capacity: float | Mapping[str, float] | None = None
    unit_cost: float = 1.0
    unpaid_channels: tuple[str, ...] = ("care", "voluntary")
    care_dimensions: tuple[str, ...] = ("care",)
    care_shadow_price: float = 1.0
    public_toll: float | None = 0.0
    rent_tax: float = 0.0
    public_account: str | None = None
    labour_dimensions: tuple[str, ...] = ("labour",)
    wage_rule: str = "administered"
    subsistence: float = 1.0
    wage_markup: float = 0.1

    def __post_init__(self) -> None:
        if self.pricing not in PRICING_RULES:
            raise UsageError(f"economy.pricing must be one of {', '.join(PRICING_RULES)}; got {self.pricing!r}")
        if isinstance(self.leaders, bool) or not isinstance(self.leaders, int) or self.leaders < 1:
            raise UsageError(f"economy.leaders must be an integer >= 1; got {self.leaders!r}")
        _number("markup_base", self.markup_base, low=0.0)
        _number("markup_slope", self.markup_slope, low=0.0)
        _number("elasticity", self.elasticity, low=0.0, open_low=True)
        _number("unit_cost", self.unit_cost, low=0.0)
        _number("care_shadow_price", self.care_shadow_price, low=0.0)
        _number("rent_tax", self.rent_tax, low=0.0, high=1.0)
        if self.wage_rule not in WAGE_RULES:
            raise UsageError(f"economy.wage_rule must be one of {', '.join(WAGE_RULES)}; got {self.wage_rule!r}")
        _number("subsistence", self.subsistence, low=0.0)
        _number("wage_markup", self.wage_markup, low=0.0)
        if self.public_toll is not None:
            _number("public_toll", self.public_toll, low=0.0)
        if isinstance(self.capacity, Mapping):
            for provider, value in self.capacity.items():
                _number(f"capacity[{provider!r}]", value, low=0.0, open_low=True)
        elif self.capacity is not None:
            _number("capacity", self.capacity, low=0.0, open_low=True)
        object.__setattr__(self, "unpaid_channels", _names("unpaid_channels", self.unpaid_channels))
        object.__setattr__(self, "care_dimensions", _names("care_dimensions", self.care_dimensions))
        object.__setattr__(self, "labour_dimensions", _names("labour_dimensions", self.labour_dimensions))
        unknown = sorted(set(self.unpaid_channels) - set(CHANNELS))
        if unknown:
            raise UsageError(f"economy.unpaid_channels: unknown channel {unknown[0]!r} (channels: {', '.join(CHANNELS)})")
        if "public" in self.unpaid_channels or "market" in self.unpaid_channels:
            raise UsageError("economy.unpaid_channels may not include 'market' or 'public': money moves on them")

    def markup(self, share: float) -> float:
        """The administered markup of a provider with power share ``share`` in a dimension."""
        return self.markup_base + self.markup_slope * share

    def replace(self, **settings: Any) -> Economy:
        """A copy with some settings changed; an unknown name is a usage error."""
        names = [f.name for f in dataclasses.fields(self)]
        unknown = sorted(set(settings) - set(names))
        if unknown:
            raise UsageError(f"unknown economy setting {unknown[0]!r}; settings: {', '.join(names)}")
        return dataclasses.replace(self, **settings)


def _number(name: str, value: Any, *, low: float, high: float = math.inf, open_low: bool = False) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise UsageError(f"economy.{name} must be a finite number; got {value!r}")
    if value < low or (open_low and value == low) or value > high:
        bound = f"> {low:g}" if open_low else f">= {low:g}"
        if high < math.inf:
            bound += f" and <= {high:g}"
        raise UsageError(f"economy.{name} must be {bound}; got {value!r}")


def _names(name: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"economy.{name} must be a list of names; got {value!r}")
    return tuple(value)
