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

import reprlib
from typing import Any

__all__ = ["DependenciaError", "InputError", "InputWarning", "UsageError", "shown"]

#: The longest message an :class:`InputError` carries; longer ones are cut in the middle.
MAX_MESSAGE = 1000

_REPR = reprlib.Repr()
_REPR.maxstring = 80
_REPR.maxother = 80
_REPR.maxlong = 40
_REPR.maxlevel = 3
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 6


def shown(value: Any) -> str:
    """``repr(value)`` for an error message, bounded in length and in nesting depth.

    Input values can be huge (a 100 MB cell) or nested exponentially (a YAML
    alias bomb); the message shows their beginning and end only.

    Examples
    --------
    >>> shown("abc"), shown(2.5)
    ("'abc'", '2.5')
    >>> len(shown("x" * 10**6)) <= 80
    True
    >>> shown([[[[[1]]]]])
    '[[[[...]]]]'
    """
    item = getattr(value, "item", None)
    if item is not None and type(value).__module__ == "numpy":
        try:
            value = item()  # numpy scalars as plain numbers: 1.5, not np.float64(1.5)
        except (TypeError, ValueError):
            pass
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 10_000:
        return f"<an integer of about {int(value.bit_length() * 0.30103)} digits>"
    try:
        return _REPR.repr(value)
    except Exception:  # a value whose repr fails: name its type
        return f"<{type(value).__name__}>"


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
        message = f"{place}: {self.message}" if place else self.message
        message = " ".join(message.splitlines())  # one line, whatever a parser's message held
        if len(message) > MAX_MESSAGE:  # one readable line, whatever value it quotes
            half = MAX_MESSAGE // 2
            message = f"{message[:half]} ... {message[-half:]}"
        return message

    def located(self, *, source: str | None = None, where: str | None = None) -> "InputError":
        """Return a copy with the source and/or location filled in where still missing."""
        return InputError(
            self.message,
            source=self.source or source,
            where=self.where or where,
        )


class UsageError(DependenciaError, ValueError):
    """A valid network used in a way that does not make sense (bad option values)."""


class InputWarning(UserWarning):
    """Input that was read, but perhaps not as meant: a column that looks misspelled.

    Readers issue it through :mod:`warnings` (the command line prints it on
    stderr as ``warning: ...``); with ``strict=True`` (``--strict``) the same
    problem is an :class:`InputError` instead.

    Parameters
    ----------
    message : str
        What looks wrong, in one sentence.
    source : str, optional
        The file the input came from.
    where : str, optional
        The line (``"line 1"``) or record path.

    Examples
    --------
    >>> str(InputWarning("unknown column 'strenght' (did you mean 'strength'?)", source="e.csv", where="line 1"))
    "e.csv, line 1: unknown column 'strenght' (did you mean 'strength'?)"
    """

    def __init__(self, message: str, *, source: str | None = None, where: str | None = None):
        self.message = message
        self.source = source
        self.where = where
        super().__init__(InputError(message, source=source, where=where).args[0])

    def as_error(self, reason: str) -> InputError:
        """The same problem as an :class:`InputError`, ``reason`` appended to the message."""
        return InputError(f"{self.message}; {reason}", source=self.source, where=self.where)
