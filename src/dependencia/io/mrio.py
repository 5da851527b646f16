"""Input-output tables as dependency networks, through pymrio (docs/data.md#an-input-output-table).

pymrio parses the multi-regional input-output tables economists use (OECD
ICIO, WIOD, EXIOBASE, Eora) into an ``IOSystem``; :func:`from_mrio` makes an
actor of each region-sector pair (``REGION:SECTOR``, kind ``sector``) and of
each region's households and government (``REGION:households``, kind
``household``; ``REGION:government``, kind ``state``), and a dependency
``buyer -> seller`` wherever the measure is at or above the threshold, the
measure its strength, own-sector purchases (the diagonal) left out; in
dimension ``financial`` for purchases from a financial-services sector,
``material`` for the others. Measures (the seller's row, the buyer's
column): ``direct``, pymrio's A = Z / x (the default); ``input_share``, Z
over the buyer's column sum; ``total``, pymrio's L = (I - A)^-1. A
final-demand actor's strengths are its spending shares (its Y columns over
their sum), times L for ``total``.

Examples
--------
>>> import pymrio
>>> net = from_mrio(pymrio.load_test(), threshold=0.05)
>>> net.n_actors, len(net.dependencies)
(60, 74)
>>> row = net.dependencies.iloc[0]
>>> row["dependent"], row["provider"], row["dimension"], round(float(row["strength"]), 4)
('reg1:food', 'reg1:manufactoring', 'material', 0.1653)
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Collection, Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError, InputWarning, UsageError, shown
from ..network.model import Network
from .mrio_files import FORMATS, read_mrio

__all__ = ["DEFAULT_MEASURE", "DEFAULT_THRESHOLD", "FORMATS", "MEASURES", "from_mrio", "read_mrio"]

MEASURES = ("direct", "input_share", "total")
DEFAULT_MEASURE = "direct"
DEFAULT_THRESHOLD = 0.01
#: Final-demand categories of the tables pymrio parses, by role (lower case; a name containing "household"
#: but not "non-profit"/"npish"/"serving households" is a household's, one containing "government" the
#: government's): OECD ICIO codes, WIOD codes (c37, c39 and CONS_h, CONS_g), Eora's P.3h and P.3g.
_ROLE_CODES = {"hfce": "households", "cons_h": "households", "c37": "households", "p.3h": "households",
               "ggfc": "government", "cons_g": "government", "c39": "government", "p.3g": "government"}
_NOT_HOUSEHOLDS = re.compile(r"non-?profit|npish|serving households", re.IGNORECASE)
ROLES = {"households": "household", "government": "state"}  # role -> actor kind
#: Entries of a Leontief inverse this close below 0 are rounding of an exact 0 (L = (I - A)^-1 >= 0 for
#: a productive A), taken as 0.
_NOISE = 1e-9
#: Sector names of financial services: EXIOBASE's and Eora's names (finance, insurance), ISIC Rev. 4 section
#: K and its divisions K64-K66 (OECD ICIO 2023, WIOD 2016), OECD ICIO's codes ending in 64T66 (or 65T67).
_FINANCIAL = re.compile(r"financ|insurance|^K(6[4-6]\w*)?$|^[A-Z]?6[45]T6[67]$", re.IGNORECASE)


def from_mrio(
    iosystem: Any,
    *,
    measure: str = DEFAULT_MEASURE,
    threshold: float = DEFAULT_THRESHOLD,
    final_demand: bool | Mapping[str, str] = True,
    financial_sectors: Collection[str] | None = None,
) -> Network:
    """A dependency network from a pymrio ``IOSystem`` (see the module docs for the mapping).

    Parameters
    ----------
    iosystem : pymrio.IOSystem
        A parsed table with Z (flows) and Y (final demand), or with A (and
        x); L is used where given, computed where needed. Nothing is changed
        in it (no ``calc_all``).
    measure : {"direct", "input_share", "total"}, default "direct"
        Which coefficient becomes the strength (the module docs). ``direct``
        by default: it is the table's technical coefficient, the one
        input-output analysis starts from, and it needs no matrix inverse.
    threshold : float in (0, 1], default 0.01
        A dependency where the measure is at or above it: one cent of inputs
        per unit of output. Higher thresholds keep fewer, stronger
        dependencies (docs/data.md shows the effect).
    final_demand : bool or mapping, default True
        True: households and government per region, from the Y categories
        named in the module's role table; False: none; a mapping of Y
        category to ``"households"`` or ``"government"`` names them.
    financial_sectors : collection of str, optional
        Sectors whose sales are ``financial`` dependencies; by default those
        whose name reads as finance or insurance.

    Returns
    -------
    Network
        Actors with attributes ``region``, ``sector``, ``output`` (x),
        ``intermediate_inputs`` (Z's column sum), ``value_added`` (their
        difference), ``unit_cost`` (intermediate inputs per unit of output)
        and, for final demand, ``spending`` (its Y columns' sum); values in
        the table's monetary unit.

    Raises
    ------
    InputError
        Rows and columns that do not match (naming the sector and matrix),
        negative flows in Z, A, x or the final demand used, non-finite
        values, a Leontief inverse that is not non-negative.
    UsageError
        An unknown measure, a threshold outside (0, 1].
    """
    check_options(measure, threshold)
    roles = _roles(final_demand)
    table = _Table(iosystem, need_y=roles is not None)
    coefficients = table.measure(measure)
    sellers = table.ids
    financial = _financial(table.labels.get_level_values(1), financial_sectors)
    buyer, seller, strength = _edges(coefficients, threshold, diagonal=True)
    frames = [(sellers[buyer], seller, strength)]
    actors = [table.sector_actors()]
    if roles is not None:
        spending, fd_actors = table.final_demand(roles)
        if not len(fd_actors) and not roles:
            warnings.warn(InputWarning("no final-demand category reads as households' or government's; name them: "
                                       "final_demand={category: 'households' or 'government'}", where="Y"),
                          stacklevel=2)
        if len(fd_actors):
            shares = spending / np.where(spending.sum(axis=0) > 0, spending.sum(axis=0), 1.0)
            if measure == "total":
                shares = table.leontief() @ shares
            buyer, seller, value = _edges(shares, threshold, diagonal=False)
            frames.append((fd_actors.index.to_numpy()[buyer], seller, value))
            actors.append(fd_actors)
    dependencies = pd.DataFrame({
        "dependent": np.concatenate([f[0] for f in frames]),
        "provider": sellers[np.concatenate([f[1] for f in frames])],
        "dimension": np.where(financial, "financial", "material")[np.concatenate([f[1] for f in frames])],
        "strength": np.concatenate([f[2] for f in frames]),
    })
    return Network(pd.concat(actors), dependencies)


def check_options(measure: str, threshold: float) -> None:
    """Raise a :class:`~dependencia.errors.UsageError` for an unknown measure or a threshold outside (0, 1]."""
    if measure not in MEASURES:
        raise UsageError(f"unknown measure {measure!r}; measures: {', '.join(MEASURES)}")
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 < threshold <= 1:
        raise UsageError(f"threshold must be in (0, 1]; got {shown(threshold)}")


class _Table:
    """The matrices of an IOSystem as aligned, validated numpy arrays (sellers in rows, buyers in columns)."""

    def __init__(self, iosystem: Any, *, need_y: bool) -> None:
        frames = {name: getattr(iosystem, name, None) for name in ("Z", "A", "L", "x", "Y")}
        first = next((name for name in ("Z", "A", "L") if frames[name] is not None), None)
        if first is None:
            raise InputError("the table has neither Z, A nor L: nothing to build dependencies from")
        self.labels = _labels(frames[first], first)
        self.ids = np.array([f"{region}:{sector}" for region, sector in self.labels], dtype=object)
        self.Z = self._square(frames["Z"], "Z", negative="intermediate flows cannot be negative")
        self.A = self._square(frames["A"], "A", negative="coefficients of intermediate flows cannot be negative")
        self.L = self._square(frames["L"], "L", negative="a Leontief inverse has no negative entries", noise=_NOISE)
        self.Y = None if frames["Y"] is None else self._rows(frames["Y"], "Y")
        if need_y and self.Y is None:
            raise InputError("the table has no final demand (Y); build it without final-demand actors "
                             "(final_demand=False, --no-final-demand)")
        x = frames["x"]
        if x is not None:
            x = self._rows(x.to_frame() if isinstance(x, pd.Series) else x, "x").iloc[:, 0]
            self._check_cells(x.to_numpy(float)[:, None], "x", "output cannot be negative", columns=["x"])
        elif self.Z is not None and self.Y is not None:  # pymrio's calc_x: what is sold to sectors and final demand
            x = pd.Series(self.Z.sum(axis=1) + self.Y.to_numpy(float).sum(axis=1), index=self.labels)
        self.x = None if x is None else x.to_numpy(float)

    # -------------------------------------------------------------- alignment and checks
    def _square(self, frame: Any, name: str, *, negative: str, noise: float = 0.0) -> np.ndarray | None:
        if frame is None:
            return None
        frame = self._rows(frame, name)
        columns = _labels(frame.T, name, axis="column")
        missing = self.labels.difference(columns)
        extra = columns.difference(self.labels)
        if len(missing) or len(extra):
            sector, where = (missing[0], "a row but not a column") if len(missing) else (extra[0], "a column but not a row")
            raise InputError(f"rows and columns do not match: sector {_id(sector)} is {where}", where=name)
        values = _floats(frame.reindex(columns=self.labels), name)
        if noise:  # a new array: the table's own may be read-only or the caller's
            values = np.where((values < 0) & (values >= -noise), 0.0, values)
        self._check_cells(values, name, negative)
        return values

    def _rows(self, frame: Any, name: str) -> pd.DataFrame:
        if not isinstance(frame, pd.DataFrame):
            raise InputError(f"expected a table (pandas DataFrame), got {type(frame).__name__}", where=name)
        rows = _labels(frame, name)
        if len(rows) != len(self.labels) or not rows.equals(self.labels):
            missing, extra = self.labels.difference(rows), rows.difference(self.labels)
            if len(missing) or len(extra):
                sector, what = (missing[0], "missing from") if len(missing) else (extra[0], "an extra row of")
                raise InputError(f"rows do not match the sectors of the table: sector {_id(sector)} is {what} "
                                 f"{name}", where=name)
            frame = frame.reindex(index=self.labels)
        return frame

    def _check_cells(self, values: np.ndarray, name: str, negative: str, columns: Any = None) -> None:
        bad = ~np.isfinite(values)
        for mask, problem in ((bad, "non-finite value"), (values < 0, f"negative value ({negative})")):
            if mask.any():
                row, column = np.unravel_index(int(np.argmax(mask)), mask.shape)
                label = self.ids[column] if columns is None else columns[column]
                raise InputError(f"{problem} {shown(values[row, column])}",
                                 where=f"{name}, row {self.ids[row]}, column {label}")

    # ---------------------------------------------------------------- the measures
    def technical(self) -> np.ndarray:
        """pymrio's A: given, or Z / x (0 where x is 0, as pymrio's calc_A)."""
        if self.A is None:
            if self.Z is None or self.x is None:
                raise InputError("the table has neither A nor Z with x (or Y) to compute it")
            with np.errstate(divide="ignore"):
                inverse = np.where(self.x > 0, 1.0 / self.x, 0.0)
            self.A = self.Z * inverse[None, :]
        return self.A

    def leontief(self) -> np.ndarray:
        """pymrio's L = (I - A)^-1: given, or computed (refused when not finite and non-negative)."""
        if self.L is None:
            a = self.technical()
            try:
                inverse = np.linalg.inv(np.eye(len(a)) - a)
            except np.linalg.LinAlgError:
                raise InputError("I - A is singular: the table has no Leontief inverse", where="A") from None
            inverse[(inverse < 0) & (inverse >= -_NOISE)] = 0.0  # rounding where the exact value is 0
            self._check_cells(inverse, "L (computed from A)", "A is not productive: some column sums of A reach 1")
            self.L = inverse
        return self.L

    def measure(self, measure: str) -> np.ndarray:
        if measure == "direct":
            return self.technical()
        if measure == "total":
            return self.leontief()
        flows = self.Z if self.Z is not None else self.technical()
        inputs = flows.sum(axis=0)
        return flows / np.where(inputs > 0, inputs, 1.0)[None, :]

    # ----------------------------------------------------------------- the actors
    def sector_actors(self) -> pd.DataFrame:
        columns: dict[str, Any] = {"kind": "sector", "region": self.labels.get_level_values(0).astype(str),
                                   "sector": self.labels.get_level_values(1).astype(str)}
        if self.A is None and self.Z is not None and self.x is not None:
            self.technical()
        per_unit = None if self.A is None else self.A.sum(axis=0)
        inputs = self.Z.sum(axis=0) if self.Z is not None else None
        if inputs is None and per_unit is not None and self.x is not None:
            inputs = per_unit * self.x
        if inputs is not None and self.x is not None:
            columns.update(output=self.x, intermediate_inputs=inputs, value_added=self.x - inputs)
        if per_unit is not None:
            columns["unit_cost"] = per_unit
        return pd.DataFrame(columns, index=pd.Index(self.ids, name="id"))

    def final_demand(self, roles: Mapping[str, str] | None) -> tuple[np.ndarray, pd.DataFrame]:
        """Spending (sellers x final-demand actors) and the final-demand actors' table."""
        assert self.Y is not None
        y = self.Y
        if not isinstance(y.columns, pd.MultiIndex) or y.columns.nlevels != 2:
            raise InputError("final-demand columns must be (region, category) pairs", where="Y")
        spending, rows = [], []
        for region in dict.fromkeys(y.columns.get_level_values(0)):
            categories = y.columns.get_level_values(1)[y.columns.get_level_values(0) == region]
            for role in ROLES:
                used = [c for c in categories if _role(c, roles) == role]
                if not used:
                    continue
                part = y.loc[:, [(region, c) for c in used]]
                values = _floats(part, "Y")
                self._check_cells(values, "Y", "final demand of households and government cannot be negative",
                                  columns=[f"{region}:{c}" for c in used])
                spending.append(values.sum(axis=1))
                rows.append({"id": f"{region}:{role}", "kind": ROLES[role], "region": str(region),
                             "spending": float(values.sum())})
        frame = pd.DataFrame(rows, columns=["id", "kind", "region", "spending"]).set_index("id")
        clash = frame.index.intersection(pd.Index(self.ids))
        if len(clash):
            raise InputError(f"final-demand actor {clash[0]!r} has the id of a sector; rename the sector or pass "
                             "final_demand=False", where="Y")
        matrix = np.column_stack(spending) if spending else np.zeros((len(self.ids), 0))
        return matrix, frame


def _labels(frame: pd.DataFrame, name: str, axis: str = "row") -> pd.MultiIndex:
    index = frame.index
    if not isinstance(index, pd.MultiIndex) or index.nlevels != 2:
        raise InputError(f"{axis}s must be (region, sector) pairs, got {index.nlevels} level(s)", where=name)
    duplicated = index.duplicated()
    if duplicated.any():
        raise InputError(f"sector {_id(index[int(np.argmax(duplicated))])} is a {axis} twice", where=name)
    return index


def _floats(frame: pd.DataFrame, name: str) -> np.ndarray:
    try:
        return frame.to_numpy(dtype=float)
    except (TypeError, ValueError) as problem:
        raise InputError(f"a value is not a number: {problem}", where=name) from None


def _id(label: Any) -> str:
    return repr(":".join(str(part) for part in label)) if isinstance(label, tuple) else repr(str(label))


def _roles(final_demand: bool | Mapping[str, str]) -> Mapping[str, str] | None:
    """None: no final-demand actors; {}: the default role table; else the caller's category -> role."""
    if final_demand is True:
        return {}
    if final_demand is False:
        return None
    unknown = sorted({str(role) for role in final_demand.values()} - set(ROLES))
    if unknown:
        raise UsageError(f"final-demand role {unknown[0]!r} is not one of {', '.join(ROLES)}")
    return dict(final_demand)


def _role(category: Any, roles: Mapping[str, str] | None) -> str | None:
    if roles:
        return roles.get(str(category))
    name = str(category).strip().lower()
    if name in _ROLE_CODES:
        return _ROLE_CODES[name]
    if "household" in name and not _NOT_HOUSEHOLDS.search(name):
        return "households"
    return "government" if "government" in name else None


def _financial(sectors: pd.Index, named: Collection[str] | None) -> np.ndarray:
    names = sectors.astype(str)
    if named is not None:
        return np.asarray(names.isin([str(s) for s in named]))
    return np.array([bool(_FINANCIAL.search(s.strip())) for s in names], dtype=bool)


def _edges(values: np.ndarray, threshold: float, *, diagonal: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(buyer, seller, value) where ``values[seller, buyer] >= threshold``, by buyer then seller; no diagonal."""
    keep = values >= threshold
    if diagonal:
        np.fill_diagonal(keep, False)
    buyer, seller = np.nonzero(keep.T)
    return buyer, seller, values[seller, buyer]
