"""The dependency network: actors, dimensions, dependencies and what serves them.

:class:`Network` is the single source of truth that every other part of
dependencia reads. It is a set of validated tables (pandas DataFrames), checked
on construction and treated as immutable: methods that change something return
a new Network, so copies are cheap and safe.

Examples
--------
>>> import dependencia as dp
>>> net = dp.Network.from_records(
...     actors=[{"id": "ann"}, {"id": "bob"}, {"id": "shop", "kind": "firm"}],
...     dependencies=[{"dependent": "ann", "provider": "shop"},
...                   {"dependent": "bob", "provider": "shop", "strength": 2}],
... )
>>> net.n_actors, len(net.dependencies)
(3, 2)
>>> net.actors.loc["shop", "kind"]
'firm'
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..errors import shown
from . import schema as schema
from .control import SHARE_TOLERANCE, find_mutual_control, resolve_control
from .schema import Locator, fail, record_locator

__all__ = ["Network"]

TABLES = ("actors", "dimensions", "dependencies", "needs", "infrastructures", "ownership", "authority")


class Network:
    """A multi-dimensional dependency network (docs/model.md#parts-of-a-network).

    Parameters
    ----------
    actors : pandas.DataFrame
        One row per actor: ``id`` (column or index), optional ``kind``
        (default ``"actor"``), ``label``, ``budget``, ``unit_cost`` and any
        free attribute columns.
    dependencies : pandas.DataFrame, optional
        ``dependent``, ``provider`` (actor ids), optional ``dimension``
        (default ``"default"``), ``strength`` (> 0, default 1), ``channel``
        (market, public, care, voluntary; default market), ``via`` (a tuple of
        infrastructure ids, default empty) and free attribute columns (e.g. a
        ``distance`` to use as path length).
    dimensions : pandas.DataFrame, optional
        ``id`` and ``monetized`` in [0, 1] (default 1, 0 for ``care``). When
        omitted, the dimensions are those the other tables name.
    needs, infrastructures, ownership, authority : pandas.DataFrame, optional
        Unmet dependencies (``dependent``, ``dimension``); infrastructures
        (``id``, ``owner``, ``dimensions``, ``build_cost``, ``upkeep``);
        holdings (``owner``, ``owned``, ``share`` in (0, 1]); formal authority
        (``holder``, ``subject``).
    locate : callable, optional
        How to name the place of an error; readers pass one that names the
        file and line. The default names the record, e.g.
        ``dependencies[3].provider``.

    Raises
    ------
    InputError
        When any rule of the model is broken; the message names the record.

    Notes
    -----
    Missing values of fields with a default take the default; missing optional
    numbers (budget, unit cost, build cost, upkeep) stay NaN, meaning
    "unspecified", and the economics supplies its documented defaults.
    Actors and infrastructures share one id space (they are all nodes).
    """

    # the tables (TABLES), set by __init__ after validation
    actors: pd.DataFrame
    dimensions: pd.DataFrame
    dependencies: pd.DataFrame
    needs: pd.DataFrame
    infrastructures: pd.DataFrame
    ownership: pd.DataFrame
    authority: pd.DataFrame

    def __init__(
        self,
        actors: pd.DataFrame,
        dependencies: pd.DataFrame | None = None,
        *,
        dimensions: pd.DataFrame | None = None,
        needs: pd.DataFrame | None = None,
        infrastructures: pd.DataFrame | None = None,
        ownership: pd.DataFrame | None = None,
        authority: pd.DataFrame | None = None,
        locate: Locator = record_locator,
        _normalized: frozenset[str] = frozenset(),
    ) -> None:
        self._locate = locate
        given = {"actors": actors, "dependencies": dependencies, "needs": needs, "infrastructures": infrastructures,
                 "ownership": ownership, "authority": authority}
        for name, frame in given.items():
            # tables taken over from a Network already validated are kept; cross-references are checked below
            table = frame if name in _normalized else schema.normalize(frame, schema.SCHEMAS[name], locate)
            setattr(self, name, table)
        self._dimensions_declared = dimensions is not None
        self.dimensions = self._dimensions(dimensions, locate)
        self._check_references(locate)
        self._control = self._resolve_control(locate)

    # ------------------------------------------------------------------ building
    @classmethod
    def from_records(
        cls,
        actors: Iterable[Mapping[str, Any]],
        dependencies: Iterable[Mapping[str, Any]] = (),
        *,
        dimensions: Iterable[Mapping[str, Any]] | None = None,
        needs: Iterable[Mapping[str, Any]] = (),
        infrastructures: Iterable[Mapping[str, Any]] = (),
        ownership: Iterable[Mapping[str, Any]] = (),
        authority: Iterable[Mapping[str, Any]] = (),
        locate: Locator = record_locator,
    ) -> Network:
        """Build a Network from lists of dicts, one dict per record.

        Examples
        --------
        >>> net = Network.from_records([{"id": "a"}, {"id": "b"}],
        ...                            [{"dependent": "a", "provider": "b"}])
        >>> net.dependencies[["dependent", "provider", "strength"]].values.tolist()
        [['a', 'b', 1.0]]
        """
        given = {
            "actors": actors, "dependencies": dependencies, "needs": needs,
            "infrastructures": infrastructures, "ownership": ownership, "authority": authority,
        }
        if dimensions is not None:
            given["dimensions"] = dimensions
        frames = {name: records_to_frame(records, name, locate) for name, records in given.items()}
        return cls(**frames, locate=locate)

    def replace(self, _trusted: tuple[str, ...] = (), **tables: pd.DataFrame) -> Network:
        """Return a new Network with some tables replaced (validated again).

        The tables not replaced were validated when this Network was built and
        are taken over as they are; every cross-reference is checked again.
        (``_trusted`` names replaced tables that the caller built from
        validated ones without changing their types, e.g. a new route in a
        ``via`` cell: they skip the column checks too.)

        Examples
        --------
        >>> net = Network.from_records([{"id": "a"}, {"id": "b"}])
        >>> net.replace(dependencies=pd.DataFrame({"dependent": ["a"], "provider": ["b"]})).n_edges_declared
        1
        """
        unknown = set(tables) - set(TABLES)
        if unknown:
            raise TypeError(f"unknown tables: {', '.join(sorted(unknown))}")
        current = {name: getattr(self, name) for name in TABLES}
        if not self._dimensions_declared:
            current["dimensions"] = None  # inferred again from the new tables
        current.update(tables)
        actors = current.pop("actors")
        kept = frozenset(name for name in TABLES if name != "dimensions" and (name not in tables or name in _trusted))
        return Network(actors, **current, locate=self._locate, _normalized=kept)

    def copy(self) -> Network:
        """Return a copy (tables are copied; the copy is independent)."""
        clone = object.__new__(Network)
        for name in TABLES:
            setattr(clone, name, getattr(self, name).copy())
        clone._control = dict(self._control)
        clone._locate = self._locate
        clone._dimensions_declared = self._dimensions_declared
        return clone

    # ---------------------------------------------------------------- validation
    def _dimensions(self, given: pd.DataFrame | None, locate: Locator) -> pd.DataFrame:
        named = pd.unique(
            pd.concat(
                [
                    self.dependencies["dimension"],
                    self.needs["dimension"],
                    pd.Series([d for ds in self.infrastructures["dimensions"] for d in ds], dtype=object),
                ],
                ignore_index=True,
            ).astype(object)
        )
        if given is None:
            frame = schema.normalize(pd.DataFrame({"id": pd.Series(named, dtype=object)}), schema.DIMENSIONS, locate)
        else:
            frame = schema.normalize(given, schema.DIMENSIONS, locate)
            known = frame.index
            schema.check_references(self.dependencies["dimension"], known, "dependencies", "dimension", "dimension", locate)
            schema.check_references(self.needs["dimension"], known, "needs", "dimension", "dimension", locate)
            schema.check_id_lists(
                self.infrastructures["dimensions"], known, "infrastructures", "dimensions", "dimension", locate
            )
        unspecified = frame["monetized"].isna()
        if unspecified.any():
            default = np.where(frame.index.isin(list(schema.UNMONETIZED_BY_DEFAULT)), 0.0, 1.0)
            frame["monetized"] = frame["monetized"].where(~unspecified, default)
        return frame

    def _check_references(self, locate: Locator) -> None:
        actors = self.actors.index
        infras = self.infrastructures.index
        clash = infras.isin(actors)
        if clash.any():
            row = int(np.flatnonzero(clash)[0])
            raise fail(locate, "infrastructures", row, "id",
                       f"id {shown(infras[row])} is already an actor's id")
        bad_ids = infras.str.contains(schema.VIA_SEPARATOR, regex=False)
        if len(infras) and bad_ids.any():
            row = int(np.flatnonzero(bad_ids)[0])
            raise fail(locate, "infrastructures", row, "id",
                       f"an infrastructure id may not contain ';': {shown(infras[row])}")
        deps = self.dependencies
        schema.check_references(deps["dependent"], actors, "dependencies", "dependent", "actor", locate)
        schema.check_references(deps["provider"], actors, "dependencies", "provider", "actor", locate)
        own_loop = (deps["dependent"] == deps["provider"]).to_numpy()
        if own_loop.any():
            row = int(np.flatnonzero(own_loop)[0])
            raise fail(
                locate, "dependencies", row, "provider",
                f"self-dependency: {shown(deps['dependent'].iloc[row])} cannot depend on itself",
            )
        schema.check_id_lists(deps["via"], infras, "dependencies", "via", "infrastructure", locate)
        self._check_routes(locate)
        schema.check_references(self.needs["dependent"], actors, "needs", "dependent", "actor", locate)
        schema.check_references(
            self.infrastructures["owner"], actors, "infrastructures", "owner", "actor", locate, optional=True
        )
        own = self.ownership
        schema.check_references(own["owner"], actors, "ownership", "owner", "actor", locate)
        schema.check_references(own["owned"], actors, "ownership", "owned", "actor", locate)
        self_held = (own["owner"] == own["owned"]).to_numpy()
        if self_held.any():
            row = int(np.flatnonzero(self_held)[0])
            raise fail(locate, "ownership", row, "owned",
                       f"{shown(own['owner'].iloc[row])} cannot own shares of itself")
        totals = own.groupby("owned", sort=False)["share"].cumsum().to_numpy()
        over = totals > 1.0 + SHARE_TOLERANCE
        if over.any():
            row = int(np.flatnonzero(over)[0])
            raise fail(
                locate, "ownership", row, "share",
                f"the shares held in {shown(own['owned'].iloc[row])} sum to {totals[row]:g}, more than 1",
            )
        schema.check_references(self.authority["holder"], actors, "authority", "holder", "actor", locate)
        schema.check_references(self.authority["subject"], actors, "authority", "subject", "actor", locate)

    def _check_routes(self, locate: Locator) -> None:
        deps = self.dependencies
        with_route = np.flatnonzero(deps["via"].map(len).to_numpy())
        if not len(with_route):
            return
        serves = {
            infra: frozenset(dims)
            for infra, dims in zip(self.infrastructures.index, self.infrastructures["dimensions"].tolist())
        }
        vias = deps["via"].to_numpy()
        dims = deps["dimension"].to_numpy()
        for row in with_route.tolist():
            route = vias[row]
            if len(set(route)) != len(route):
                raise fail(locate, "dependencies", row, "via", f"the route {list(route)} passes an infrastructure twice")
            for infra in route:
                served = serves[infra]
                if served and dims[row] not in served:
                    raise fail(
                        locate, "dependencies", row, "via",
                        f"infrastructure {shown(infra)} does not serve dimension {shown(dims[row])} "
                        f"(it serves {', '.join(sorted(served))})",
                    )

    def _resolve_control(self, locate: Locator) -> dict[str, frozenset[str]]:
        if self.ownership.empty:
            return {}
        control = resolve_control(self.ownership)
        mutual = find_mutual_control(control)
        if mutual is not None:
            a, b = mutual
            own = self.ownership
            # a record through which b's group holds a (direct, or closing a cycle)
            closing = np.flatnonzero((own["owner"].isin(list(control[b])) & (own["owned"] == a)).to_numpy())
            row = int(closing[0]) if len(closing) else None
            raise fail(locate, "ownership", row, "share", f"actors {shown(a)} and {shown(b)} control each other")
        return control

    # ------------------------------------------------------------------- queries
    @property
    def n_actors(self) -> int:
        """Number of actors."""
        return len(self.actors)

    def closed_infrastructures(self) -> np.ndarray:
        """Whether each infrastructure (in table order) is closed (``transit``, docs/model.md#graphs).

        Examples
        --------
        >>> import dependencia as dp
        >>> dp.Network.from_records([{"id": "a"}], infrastructures=[
        ...     {"id": "road", "transit": "open"}, {"id": "cloud"}]).closed_infrastructures().tolist()
        [False, True]
        """
        return (self.infrastructures["transit"] != "open").to_numpy(dtype=bool)

    @property
    def n_infrastructures(self) -> int:
        """Number of infrastructures."""
        return len(self.infrastructures)

    @property
    def n_edges_declared(self) -> int:
        """Number of declared dependencies (before routes and collapse)."""
        return len(self.dependencies)

    @property
    def node_ids(self) -> pd.Index:
        """All node ids: actors in table order, then infrastructures."""
        return self.actors.index.append(self.infrastructures.index)

    @property
    def public_actors(self) -> pd.Index:
        """Ids of actors of a public kind (state, public_body)."""
        return self.actors.index[self.actors["kind"].isin(list(schema.PUBLIC_KINDS)).to_numpy()]

    def controls(self, actor: str) -> frozenset[str]:
        """The actors and infrastructures that ``actor`` controls, itself included.

        Examples
        --------
        >>> net = Network.from_records(
        ...     [{"id": "msft"}, {"id": "github"}],
        ...     infrastructures=[{"id": "azure", "owner": "msft"}],
        ...     ownership=[{"owner": "msft", "owned": "github", "share": 1.0}])
        >>> sorted(net.controls("msft"))
        ['azure', 'github', 'msft']
        """
        groups = self.control_groups()
        if actor not in groups:
            raise KeyError(f"unknown actor {actor!r}")
        return groups[actor]

    def control_groups(self) -> dict[str, frozenset[str]]:
        """:meth:`controls` of every actor at once (computed once per network; same result).

        Examples
        --------
        >>> net = Network.from_records(
        ...     [{"id": "msft"}, {"id": "github"}],
        ...     infrastructures=[{"id": "azure", "owner": "msft"}],
        ...     ownership=[{"owner": "msft", "owned": "github", "share": 1.0}])
        >>> {a: sorted(g) for a, g in net.control_groups().items()}
        {'msft': ['azure', 'github', 'msft'], 'github': ['github']}
        """
        cached = self.__dict__.get("_control_groups")
        if cached is not None:
            return cached
        owned: dict[str, list[str]] = {}
        for infra, owner in zip(self.infrastructures.index.tolist(), self.infrastructures["owner"].tolist()):
            if isinstance(owner, str):
                owned.setdefault(owner, []).append(infra)
        groups = {}
        for actor in self.actors.index.tolist():
            actors = self._control.get(actor, frozenset({actor}))
            groups[actor] = actors | frozenset(x for a in actors for x in owned.get(a, ()))
        self.__dict__["_control_groups"] = groups
        return groups

    def controllers(self) -> pd.Series:
        """For every actor, the actor that controls it at the top level.

        An actor that no other actor controls is *top-level* and maps to
        itself. Where an actor is controlled by a chain, the top of the chain
        is given.
        """
        top = pd.Series(self.actors.index, index=self.actors.index, dtype=object)
        if not self._control:
            return top
        size = {a: len(c) for a, c in self._control.items()}
        for owner in sorted(self._control, key=lambda a: (-size[a], a)):
            for controlled in self._control[owner]:
                if controlled != owner and top[controlled] == controlled:
                    top[controlled] = owner
        # the largest controlling set is processed first, so a chain's top wins
        return top

    def top_level_actors(self) -> pd.Index:
        """Ids of actors that no other actor controls."""
        top = self.controllers()
        return top.index[(top.index == top.to_numpy())]

    def locate(self, table: str, row: int | None, field: str | None) -> tuple[str | None, str | None]:
        """Where record ``row`` of ``table`` came from: (file, line or record path)."""
        return self._locate(table, row, field)

    # --------------------------------------------------------------- comparison
    def equals(self, other: object) -> bool:
        """True when every table of both networks is equal (values and order)."""
        if not isinstance(other, Network):
            return False
        return all(_frames_equal(getattr(self, t), getattr(other, t)) for t in TABLES)

    def __eq__(self, other: object) -> bool:
        return self.equals(other)

    __hash__ = None  # type: ignore[assignment]

    def summary(self) -> dict[str, Any]:
        """Counts that describe the network (for ``dependencia validate``)."""
        deps = self.dependencies
        return {
            "actors": self.n_actors,
            "public_actors": len(self.public_actors),
            "infrastructures": self.n_infrastructures,
            "dimensions": list(self.dimensions.index),
            "dependencies": len(deps),
            "dependencies_by_dimension": {
                str(k): int(v) for k, v in deps["dimension"].value_counts(sort=False).items()
            },
            "routed_dependencies": int(deps["via"].map(len).astype(bool).sum()) if len(deps) else 0,
            "needs": len(self.needs),
            "ownership": len(self.ownership),
            "authority": len(self.authority),
            "controlling_actors": sum(1 for c in self._control.values() if len(c) > 1),
        }

    def __repr__(self) -> str:
        s = self.summary()
        return (
            f"<Network: {s['actors']} actors, {s['infrastructures']} infrastructures, "
            f"{s['dependencies']} dependencies in {len(s['dimensions'])} dimensions>"
        )

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th style='text-align:left'>{key.replace('_', ' ')}</th><td>{_html(value)}</td></tr>"
            for key, value in self.summary().items()
        )
        return f"<table><caption>dependencia Network</caption>{rows}</table>"


def _html(value: Any) -> str:
    import html

    if isinstance(value, dict):
        value = ", ".join(f"{k}: {v}" for k, v in value.items())
    elif isinstance(value, list):
        value = ", ".join(map(str, value))
    return html.escape(str(value))


def _frames_equal(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    if list(a.columns) != list(b.columns) or not a.index.equals(b.index):
        return False
    for column in a.columns:
        left, right = a[column].tolist(), b[column].tolist()
        if len(left) != len(right):
            return False
        for x, y in zip(left, right):
            if _is_missing(x) and _is_missing(y):
                continue
            if x != y:
                return False
    return True


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def records_to_frame(records: Iterable[Mapping[str, Any]], table: str, locate: Locator) -> pd.DataFrame:
    """Turn a list of dicts into a table, keeping free attributes as columns.

    Rejects what a DataFrame would silently hide: a record that is not a
    mapping, and a NaN in a required field or one with a default (NaN would
    read as "missing" and silently take the default). In an optional field
    (``budget``, ``unit_cost``, ``label``, ``owner``, ``build_cost``,
    ``upkeep``, ``share``, ``monetized``) and in a free attribute, NaN is
    how pandas writes "missing", and means it: a network's own tables round
    trip (``net.actors.reset_index().to_dict("records")``).
    """
    if isinstance(records, Mapping) or isinstance(records, str):
        raise fail(locate, table, None, None, f"'{table}' must be a list of records")
    rows = list(records)
    columns: dict[str, None] = {}
    known = {"id", *schema.SCHEMAS[table].names} if table in schema.SCHEMAS else set()
    optional = {f.name for f in schema.SCHEMAS[table].fields if f.kind in ("float", "text") and f.default is None
                } if table in schema.SCHEMAS else set()
    for row, record in enumerate(rows):
        if not isinstance(record, Mapping):
            raise fail(locate, table, row, None,
                       f"a {table} record must be a mapping of fields, got {shown(record)}")
        missing = []
        for key, value in record.items():
            if not isinstance(key, str):
                raise fail(locate, table, row, shown(key), f"field names must be text, got {shown(key)}")
            if isinstance(value, float) and math.isnan(value):
                if key in optional or key not in known:
                    missing.append(key)  # NaN = missing, as in a DataFrame; the column stays, empty here
                    columns.setdefault(key, None)
                    continue
                raise fail(locate, table, row, key, f"{key} must be a number, got NaN (NaN means missing only in "
                                                    f"optional fields; leave {key} out for its default)")
            if (isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _FLOAT_LIMIT
                    and key not in known):  # a free attribute no float can hold (nor a length, nor a table column)
                raise fail(locate, table, row, key, f"{key} is too large for a number: {shown(value)}")
            columns.setdefault(key, None)
        if missing:
            rows[row] = {k: v for k, v in record.items() if k not in missing}
    data = {
        key: pd.Series([_canonical_value(key, r.get(key)) for r in rows], dtype=object) for key in columns
    }
    return pd.DataFrame(data, index=pd.RangeIndex(len(rows)))


_FLOAT_LIMIT = 2**1024
_ID_FIELDS = frozenset({"id", "dependent", "provider", "owner", "owned", "holder", "subject", "dimension"})


def _canonical_value(key: str, value: Any) -> Any:
    # ids written as YAML integers (id: 7) are ids all the same
    if key in _ID_FIELDS and (
        isinstance(value, int) and not isinstance(value, bool)
    ):
        return str(value)
    if isinstance(value, list):
        return tuple(value)
    return value
