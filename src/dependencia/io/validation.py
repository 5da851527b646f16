"""What ``dependencia validate`` reports on a network: its counts, owners, free attributes and warnings.

A :class:`~dependencia.network.model.Network` is valid once built (its
constructor checks the model's rules), so :func:`validate` reports what a
newcomer should look at: the counts of :meth:`Network.summary`, every
infrastructure's owner and those without one (their power counts to no
actor), the free attribute columns (kept, and usable as a path length), and
the warnings of reading the file.

Examples
--------
>>> import dependencia as dp
>>> net = dp.Network.from_records([{"id": "a"}, {"id": "b", "size": 3}], [{"dependent": "a", "provider": "b"}],
...                               infrastructures=[{"id": "road"}])
>>> report = dp.validate(net)
>>> report.ownerless_infrastructures, report.free_attributes, report.warnings
(['road'], {'actors': ['size']}, ["infrastructure 'road' has no owner: its power counts to no actor"])
>>> list(report.to_dict())[:4]
['actors', 'public_actors', 'infrastructures', 'infrastructure_owners']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..network.model import Network
from ._records import SECTIONS, free_columns

__all__ = ["Validation", "validate"]


@dataclass(frozen=True)
class Validation:
    """The report of :func:`validate`; :meth:`to_dict` gives it in the order ``dependencia validate`` prints."""

    #: :meth:`Network.summary`: counts of actors, infrastructures, dependencies, ...
    counts: dict[str, Any]
    #: every infrastructure's owner (None where it has none), in table order
    infrastructure_owners: dict[str, str | None]
    #: the infrastructures without an owner
    ownerless_infrastructures: list[str]
    #: per table, the columns the format does not define (kept as free attributes)
    free_attributes: dict[str, list[str]]
    #: the warnings of reading the file, then one per infrastructure without an owner
    warnings: list[str]

    def to_dict(self) -> dict[str, Any]:
        """The counts, with the owners after ``infrastructures``, then free attributes and warnings."""
        document: dict[str, Any] = {}
        for key, value in self.counts.items():
            document[key] = value
            if key == "infrastructures":
                document["infrastructure_owners"] = self.infrastructure_owners
                document["ownerless_infrastructures"] = self.ownerless_infrastructures
        document["free_attributes"] = self.free_attributes
        document["warnings"] = self.warnings
        return document


def validate(network: Network, *, read_warnings: Sequence[str] = (), owner_hint: str = "") -> Validation:
    """Report on a network: counts, owners, free attributes, and warnings to act on.

    Parameters
    ----------
    network : Network
    read_warnings : sequence of str, default ()
        The warnings of reading the network's file (:class:`~dependencia.errors.InputWarning`
        messages), listed first among the report's warnings.
    owner_hint : str, default ""
        Appended to the warning of each infrastructure without an owner, to
        say where its owner can be given (the command line names its
        ``--infrastructures`` option for an edge list).

    Returns
    -------
    Validation
    """
    owners = network.infrastructures["owner"]
    ownerless = [str(i) for i in owners.index[owners.isna().to_numpy()]]
    advice = [f"infrastructure {i!r} has no owner: its power counts to no actor{owner_hint}" for i in ownerless]
    free = {table: columns for table in SECTIONS if (columns := free_columns(network, table))}
    return Validation(
        counts=network.summary(),
        infrastructure_owners={str(i): (o if isinstance(o, str) else None) for i, o in owners.items()},
        ownerless_infrastructures=ownerless,
        free_attributes=free,
        warnings=[*read_warnings, *advice],
    )
