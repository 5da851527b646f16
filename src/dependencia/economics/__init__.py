"""Economics of one network state: administered prices, payments along routes, rents, latent power.

docs/economics.md#the-rules. :func:`rents` computes one period's accounts; :class:`Economy`
holds its settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..base import lazy as _lazy

if TYPE_CHECKING:
    from .config import Economy
    from .ledger import ConservationError
    from .rents import Rents, rents

__all__ = ["ConservationError", "Economy", "Rents", "rents"]

# loaded on first use: the command line imports .config (light) without loading pandas and Numba through .rents
__getattr__, __dir__ = _lazy.attributes(__name__, {
    "Economy": (".config", "Economy"),
    "ConservationError": (".ledger", "ConservationError"),
    "Rents": (".rents", "Rents"),
    "rents": (".rents", "rents"),
})
