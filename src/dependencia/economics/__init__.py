"""Economics of one network state: administered prices, payments along routes, rents, latent power.

MODEL.md §4. :func:`rents` computes one period's accounts; :class:`Economy`
holds its settings.
"""

from .config import Economy
from .ledger import ConservationError
from .rents import Rents, rents

__all__ = ["ConservationError", "Economy", "Rents", "rents"]
