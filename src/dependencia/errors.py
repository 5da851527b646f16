"""The exception tree of dependencia.

One shallow tree: every error dependencia raises on purpose is a
:class:`DependenciaError`, and each also subclasses the fitting built-in, so
``except ValueError`` keeps working for callers who do not know this package.

Examples
--------
>>> from dependencia.errors import InputError
>>> err = InputError("strength must be > 0, got -1", source="deps.csv", where="line 3")
>>> str(err)
'deps.csv, line 3: strength must be > 0, got -1'
>>> isinstance(err, ValueError)
True
"""

from __future__ import annotations

__all__ = ["DependenciaError", "InputError", "UsageError"]


class DependenciaError(Exception):
    """Base class of every error dependencia raises deliberately."""


class InputError(DependenciaError, ValueError):
    """Bad input data: a file, a record or a value that breaks the model's rules.

    Parameters
    ----------
    message : str
        What is wrong, in one sentence.
    source : str, optional
        The file (or other source) the bad input came from.
    where : str, optional
        The line (``"line 7"``) or record path (``"dependencies[3].provider"``).
    """

    def __init__(self, message: str, *, source: str | None = None, where: str | None = None):
        self.message = message
        self.source = source
        self.where = where
        super().__init__(self._render())

    def _render(self) -> str:
        place = ", ".join(part for part in (self.source, self.where) if part)
        return f"{place}: {self.message}" if place else self.message

    def located(self, *, source: str | None = None, where: str | None = None) -> "InputError":
        """Return a copy with the source and/or location filled in where still missing."""
        return InputError(
            self.message,
            source=self.source or source,
            where=self.where or where,
        )


class UsageError(DependenciaError, ValueError):
    """A valid network used in a way that does not make sense (bad option values)."""
