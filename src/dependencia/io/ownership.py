"""Ownership registers: a CSV of holdings (owner, owned, share) as real registers write them.

:func:`read_ownership` reads a register and returns its holdings as an
ownership table, or, given a network, that network with its ownership table
replaced by the register (docs/formats.md#ownership-register-csv). It accepts
what registers do that a bundle's ``ownership.csv`` does not:

- **percent**: the shares are read as percent when the share column's header
  says so (``share_pct``, ``share_percent``, ``percent``, ``pct``), when a cell
  ends with ``%``, or when some share is over 1 and none over 100; otherwise
  as fractions. A share over 100 (percent) is refused with its line.
- **repeated pairs** (several records of one owner in one owned actor, e.g.
  share classes) are summed into one holding.
- **white space** around names and numbers is dropped; header names are
  matched without regard to case, with spaces read as underscores.
- the delimiters of :func:`~dependencia.io.csvtable.read_csv_table`: commas,
  or semicolons or tabs (a decimal comma is refused there).
- **treasury shares** (an actor holding itself) are left out with a warning
  (refused with ``strict=True``).

Refused, each with the file and line: a missing owner or owned name; a share
that is not a number, not finite, zero or negative; shares held in one owned
actor that sum to more than 100% (the message names the lines of its rows).

Examples
--------
>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "register.csv"
>>> _ = path.write_text("owner;owned;share\\nHolding AG; Bank ;30\\nHolding AG;Bank;25\\nFonds;Bank;40\\n")
>>> read_ownership(path).to_dict("list")
{'owner': ['Holding AG', 'Fonds'], 'owned': ['Bank', 'Bank'], 'share': [0.55, 0.4]}
"""

from __future__ import annotations

import os
import re
from typing import overload

import numpy as np
import pandas as pd

from ..errors import InputError, shown
from ..network.control import SHARE_TOLERANCE
from ..network.model import Network
from ._columns import Notes
from ._csvcells import free_attribute
from .csvtable import CsvTable, read_csv_table

__all__ = ["PERCENT_COLUMNS", "read_ownership"]

#: Share columns whose header says the shares are percent.
PERCENT_COLUMNS = ("share_pct", "share_percent", "percent", "pct")
_SHARE_COLUMNS = ("share", *PERCENT_COLUMNS)
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+")
#: How many lines a message about one owned actor names.
_LINES_NAMED = 10


@overload
def read_ownership(path: str | os.PathLike[str], *, network: None = None, strict: bool = False) -> pd.DataFrame: ...


@overload
def read_ownership(path: str | os.PathLike[str], *, network: Network, strict: bool = False) -> Network: ...


def read_ownership(path: str | os.PathLike[str], *, network: Network | None = None,
                   strict: bool = False) -> pd.DataFrame | Network:
    """Read an ownership register (CSV: owner, owned, share); see the module docs for what it accepts.

    Parameters
    ----------
    path : path-like
        The register: a header row naming ``owner``, ``owned`` and one share
        column (``share``, or a percent column such as ``share_pct``), then
        one holding per row. Other columns are kept (from the first row of
        each owner and owned pair).
    network : Network, optional
        When given, the result is this network with its ownership table
        replaced by the register's holdings (its control resolved again under
        its model of control); every owner and owned actor must be one of its
        actors.
    strict : bool, default False
        Refuse treasury shares (an actor holding itself) instead of leaving
        them out with a warning.

    Returns
    -------
    pandas.DataFrame or Network
        Without ``network``: columns ``owner``, ``owned``, ``share`` (a
        fraction in (0, 1]) and the register's other columns, one row per pair
        in the order of its first row. With ``network``: the new Network.

    Raises
    ------
    InputError
        Naming the file and line: a missing column, name or share; a share
        that is not a positive finite number, or over 100%; shares in one
        owned actor summing to more than 100% (with the lines of its rows); an
        actor the network lacks; two actors that control each other.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import dependencia as dp
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "register.csv"
    >>> _ = path.write_text("owner,owned,share_pct\\nmsft,openai,49\\n")
    >>> net = dp.Network.from_records([{"id": "msft"}, {"id": "openai"}])
    >>> dp.read_ownership(path, network=net).ownership.to_dict("records")
    [{'owner': 'msft', 'owned': 'openai', 'share': 0.49}]
    """
    notes = Notes(strict=strict)
    table = read_csv_table(path)
    columns = _columns(table)
    owner = _names(table, columns["owner"])
    owned = _names(table, columns["owned"])
    share = _shares(table, columns["share"])
    rows = np.arange(len(table.frame))
    treasury = (owner == owned).to_numpy()
    if treasury.any():
        row = int(np.flatnonzero(treasury)[0])
        notes.add(f"{shown(owner.iloc[row])} holds shares of itself (treasury shares)", source=table.path,
                  where=table.where(row, columns["owned"]),
                  lenient=f"{int(treasury.sum())} such row(s) left out")
        rows = rows[~treasury]
    holdings = _summed(table, columns, owner, owned, share, rows)
    notes.emit(stacklevel=2)
    if network is None:
        return holdings.drop(columns="_row").reset_index(drop=True)
    return _attached(network, holdings, table, columns)


def _columns(table: CsvTable) -> dict[str, str]:
    """The register's owner, owned and share columns by their header names."""
    by_name: dict[str, str] = {}
    for header in table.frame.columns:
        by_name.setdefault(re.sub(r"\s+", "_", header.strip().lower()), header)
    found: dict[str, str] = {}
    for name in ("owner", "owned"):
        if name not in by_name:
            raise InputError(
                f"no {name!r} column: the first row must be a header naming the columns owner, owned and share; "
                f"found {', '.join(repr(h) for h in table.frame.columns)}", source=table.path, where="line 1")
        found[name] = by_name[name]
    shares = [by_name[name] for name in _SHARE_COLUMNS if name in by_name]
    if not shares:
        raise InputError(
            "no share column: name it 'share' (fractions, or percent as detected) or one of "
            f"{', '.join(repr(p) for p in PERCENT_COLUMNS)} (percent)", source=table.path, where="line 1")
    if len(shares) > 1:
        raise InputError(f"two share columns, {shares[0]!r} and {shares[1]!r}: keep one", source=table.path,
                         where="line 1")
    found["share"] = shares[0]
    return found


def _names(table: CsvTable, column: str) -> pd.Series:
    """The names of a column, stripped; a missing one is an error with its line."""
    cells = table.frame[column].str.strip()
    missing = (cells.isna() | (cells == "")).to_numpy()
    if missing.any():
        row = int(np.flatnonzero(missing)[0])
        raise table.error(f"the {column} name is missing", row, column)
    return cells.astype(object)


def _shares(table: CsvTable, column: str) -> pd.Series:
    """The shares as fractions: percent detected (module docs), each checked with its line."""
    cells = table.frame[column].str.strip()
    missing = (cells.isna() | (cells == "")).to_numpy()
    if missing.any():
        row = int(np.flatnonzero(missing)[0])
        raise table.error("the share is missing", row, column)
    marked = cells.str.endswith("%").to_numpy(dtype=bool)
    text = cells.str.removesuffix("%").str.strip()
    values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    unreadable = np.isnan(values) & ~text.str.lower().isin(["nan", "+nan", "-nan"]).to_numpy()
    if unreadable.any():
        row = int(np.flatnonzero(unreadable)[0])
        number = str(text.iloc[row])
        hint = f" (a decimal comma? write {shown(number.replace(',', '.'))})" if _DECIMAL_COMMA.fullmatch(number) else ""
        raise table.error(f"the share {shown(cells.iloc[row])} is not a number{hint}", row, column)
    bad = ~np.isfinite(values)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise table.error(f"the share must be a finite number, got {shown(cells.iloc[row])}", row, column)
    bad = values <= 0
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise table.error(f"the share must be more than 0, got {shown(cells.iloc[row])}", row, column)
    header_percent = re.sub(r"\s+", "_", column.strip().lower()) in PERCENT_COLUMNS
    percent = header_percent or bool(marked.any()) or bool((values > 1).any() and (values <= 100).all())
    if percent:
        over = values > 100 * (1 + SHARE_TOLERANCE)
        if over.any():
            row = int(np.flatnonzero(over)[0])
            raise table.error(f"the share {shown(cells.iloc[row])} is more than 100%", row, column)
        return pd.Series(values / 100.0, index=cells.index)
    over = values > 1  # only where some share is over 100: fractions and percent are both out of range
    if over.any():
        row = int(np.flatnonzero(values > 100)[0])
        raise table.error(
            f"the share {shown(cells.iloc[row])} is more than 100: shares are fractions (0 to 1) or percent "
            "(0 to 100)", row, column)
    return pd.Series(values, index=cells.index)


def _summed(table: CsvTable, columns: dict[str, str], owner: pd.Series, owned: pd.Series, share: pd.Series,
            rows: np.ndarray) -> pd.DataFrame:
    """One holding per (owner, owned) pair, shares summed, in order of first row; over 100% refused."""
    frame = pd.DataFrame({"owner": owner.iloc[rows].to_numpy(), "owned": owned.iloc[rows].to_numpy(),
                          "share": share.iloc[rows].to_numpy(), "_row": rows})
    others = [c for c in table.frame.columns if c not in columns.values() and c not in ("owner", "owned", "share")]
    for name in others:
        frame[name] = free_attribute(table, name).iloc[rows].to_numpy()
    totals = frame.groupby("owned", sort=False)["share"].sum()
    over = totals[totals > 1.0 + SHARE_TOLERANCE]
    if len(over):
        name = over.index[0]
        lines = [table.line(int(r)) for r in frame.loc[frame["owned"] == name, "_row"]]
        named = ", ".join(map(str, lines[:_LINES_NAMED])) + (" ..." if len(lines) > _LINES_NAMED else "")
        raise InputError(
            f"the shares held in {shown(name)} sum to {over.iloc[0] * 100:g}%, more than 100% (lines {named})",
            source=table.path, where=f"line {lines[-1]}")
    grouped = frame.groupby(["owner", "owned"], sort=False)
    summed = grouped.first()
    summed["share"] = grouped["share"].sum()
    return summed.reset_index()[["owner", "owned", "share", "_row", *others]]


def _attached(network: Network, holdings: pd.DataFrame, table: CsvTable, columns: dict[str, str]) -> Network:
    """``network`` with the register as its ownership table; errors in the register name its lines."""
    actors = network.actors.index
    for column in ("owner", "owned"):
        unknown = ~holdings[column].isin(actors).to_numpy()
        if unknown.any():
            row = int(np.flatnonzero(unknown)[0])
            raise table.error(f"unknown actor {shown(holdings[column].iloc[row])}: the network has no such actor",
                              int(holdings["_row"].iloc[row]), columns[column])
    first_rows = holdings["_row"].to_numpy()
    # the locator keeps the register's line numbers and the network's own locator, not their tables
    lines, elsewhere = table.lines, network._locate

    def locate(name: str, row: int | None, field: str | None) -> tuple[str | None, str | None]:
        if name != "ownership":
            return elsewhere(name, row, field)
        return lines.path, lines.where(None if row is None else int(first_rows[row]), columns.get(field or "", field))

    return Network(
        network.actors, network.dependencies,
        dimensions=network.dimensions if network._dimensions_declared else None,
        needs=network.needs, infrastructures=network.infrastructures,
        ownership=holdings.drop(columns="_row").reset_index(drop=True), authority=network.authority,
        control=network.control.model, control_threshold=network.control.threshold, locate=locate,
    )
