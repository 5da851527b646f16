"""The model's tables as data: their fields, defaults and allowed values, and located errors.

Split from :mod:`~dependencia.network.schema` (which validates tables with
pandas and re-exports every name here) so that code which only needs the
names and defaults, such as the plain edge-list path of ``power --by node``
(issue 19: peak memory), imports no pandas.

Examples
--------
>>> DEPENDENCIES.names
('dependent', 'provider', 'dimension', 'strength', 'channel', 'via')
>>> record_locator("dependencies", 3, "provider")
(None, 'dependencies[3].provider')
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..base import constants as _constants
from ..errors import InputError

#: Turns (table name, row position or None, field name or None) into
#: (source, where) for an error message.
Locator = Callable[[str, "int | None", "str | None"], "tuple[str | None, str | None]"]

PUBLIC_KINDS = frozenset({"state", "public_body"})
CHANNELS = _constants.CHANNELS
DEFAULT_KIND = "actor"
DEFAULT_CHANNEL = "market"
DEFAULT_DIMENSION = "default"
#: Dimensions that are unmonetized unless the input says otherwise.
UNMONETIZED_BY_DEFAULT = frozenset({"care"})
#: Separator of infrastructure ids in a ``via`` cell of a CSV file.
VIA_SEPARATOR = ";"


def record_locator(table: str, row: int | None, field: str | None) -> tuple[str | None, str | None]:
    """Locate an error as a record path such as ``dependencies[3].provider``."""
    where = table if row is None else f"{table}[{row}]"
    if field is not None:
        where = f"{where}.{field}"
    return None, where


@dataclass(frozen=True)
class Field:
    """One known field of a table.

    ``kind`` is one of ``"str"`` (a non-empty string), ``"text"`` (any string,
    optional), ``"float"`` (a finite number), ``"ids"`` (a tuple of ids).
    ``default`` is used where the value is missing; ``None`` as default means
    the field is required (for ``"str"``) or stays unspecified (NaN, for
    ``"float"``). ``low``/``high`` bound floats; ``low_open`` makes the lower
    bound strict.
    """

    name: str
    kind: str
    default: Any = None
    low: float = -math.inf
    high: float = math.inf
    low_open: bool = False
    choices: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Schema:
    """The fields of one table, and whether it is keyed by ``id``."""

    table: str
    fields: tuple[Field, ...]
    keyed: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


ACTORS = Schema(
    "actors",
    (
        Field("kind", "str", DEFAULT_KIND),
        Field("label", "text"),
        Field("budget", "float"),
        Field("unit_cost", "float", low=0.0),
    ),
    keyed=True,
)
DIMENSIONS = Schema("dimensions", (Field("monetized", "float", low=0.0, high=1.0),), keyed=True)
DEPENDENCIES = Schema(
    "dependencies",
    (
        Field("dependent", "str"),
        Field("provider", "str"),
        Field("dimension", "str", DEFAULT_DIMENSION),
        Field("strength", "float", 1.0, low=0.0, low_open=True),
        Field("channel", "str", DEFAULT_CHANNEL, choices=CHANNELS),
        Field("via", "ids", ()),
    ),
)
NEEDS = Schema("needs", (Field("dependent", "str"), Field("dimension", "str", DEFAULT_DIMENSION)))
#: An infrastructure's ``transit`` (docs/model.md#graphs): ``closed`` carries only the routes
#: declared through it, ``open`` joins every route through it in one node.
TRANSIT = ("closed", "open")
INFRASTRUCTURES = Schema(
    "infrastructures",
    (
        Field("owner", "text"),
        Field("dimensions", "ids", ()),
        Field("build_cost", "float", low=0.0),
        Field("upkeep", "float", low=0.0),
        Field("transit", "str", "closed", choices=TRANSIT),
    ),
    keyed=True,
)
OWNERSHIP = Schema(
    "ownership",
    (Field("owner", "str"), Field("owned", "str"), Field("share", "float", low=0.0, low_open=True, high=1.0)),
)
AUTHORITY = Schema("authority", (Field("holder", "str"), Field("subject", "str")))

SCHEMAS = {s.table: s for s in (ACTORS, DIMENSIONS, DEPENDENCIES, NEEDS, INFRASTRUCTURES, OWNERSHIP, AUTHORITY)}


def fail(locate: Locator, table: str, row: int | None, field: str | None, message: str) -> InputError:
    """Build an :class:`InputError` located through ``locate``."""
    source, where = locate(table, row, field)
    return InputError(message, source=source, where=where)
