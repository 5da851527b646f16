"""The dependency network: actors, dimensions, dependencies and what serves them.

:class:`Network` is the single source of truth that every other part of
dependencia reads. It is a set of validated tables (pandas DataFrames), checked
on construction and treated as immutable: methods that change something return
a new Network, so copies are cheap and safe. A Network read from a plain edge
list builds its tables on their first use (:meth:`Network.plain_edges`);
this module imports pandas only then, so that betweenness and power of such a
network compute without it (issue 19: peak memory).

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

import threading
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from .fields import PUBLIC_KINDS, Locator, record_locator

if TYPE_CHECKING:  # pandas and the validation are imported when a Network's tables are built (issue 19: memory)
    import pandas as pd

    from .arrays import EdgeArrays
    from .control import ControlModel

__all__ = ["Network"]

#: Held while a Network read from a plain edge list builds its tables (``Network._deferred``).
_BUILDING = threading.Lock()

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
    control : {"majority", "linear", "threshold"}, default "majority"
        How holdings become control (docs/model.md#control): the majority
        rule, or the linear or threshold model of network control (Vitali,
        Glattfelder & Battiston 2011). See also :meth:`with_control`.
    control_threshold : float, optional
        The threshold of the linear and threshold models, strictly between 0
        and 1 (default 0.5); the majority rule takes none but 0.5.
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
    #: how holdings become control (docs/model.md#control)
    control: ControlModel

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
        control: str = "majority",
        control_threshold: float | None = None,
        locate: Locator = record_locator,
        _normalized: frozenset[str] = frozenset(),
        _references_checked: bool = False,
    ) -> None:
        from . import schema
        from .control import control_model
        from .references import check_references, dimensions_table

        self._locate = locate
        self.control = control_model(control, control_threshold, locate=locate)
        given = {"actors": actors, "dependencies": dependencies, "needs": needs, "infrastructures": infrastructures,
                 "ownership": ownership, "authority": authority}
        for name, frame in given.items():
            # tables taken over from a Network already validated are kept; cross-references are checked below
            table = frame if name in _normalized else schema.normalize(frame, schema.SCHEMAS[name], locate)
            setattr(self, name, table)
        self._dimensions_declared = dimensions is not None
        self.dimensions = dimensions_table(self.dependencies, self.needs, self.infrastructures, dimensions, locate,
                                           normalized="dimensions" in _normalized)
        if not _references_checked:  # an edit that has checked what it changed says so (network/edits)
            check_references(self.actors, self.dependencies, self.needs, self.infrastructures, self.ownership,
                             self.authority, locate)
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
        control: str = "majority",
        control_threshold: float | None = None,
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
        from .records import records_to_frame

        frames = {name: records_to_frame(records, name, locate) for name, records in given.items()}
        return cls(**frames, control=control, control_threshold=control_threshold, locate=locate)

    def replace(self, _trusted: tuple[str, ...] = (), _references_checked: bool = False,
                **tables: pd.DataFrame) -> Network:
        """Return a new Network with some tables replaced (validated again).

        The tables not replaced were validated when this Network was built and
        are taken over as they are; every cross-reference is checked again.
        (``_trusted`` names replaced tables that the caller built from
        validated ones without changing their types, e.g. a new route in a
        ``via`` cell: they skip the column checks too. ``_references_checked``: the caller has checked
        every cross-reference its change could break, and every other one held in this Network; the
        edits that say so name why, network/edits.)

        Examples
        --------
        >>> import pandas as pd
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
        kept = frozenset(name for name in TABLES if name not in tables or name in _trusted)
        if not self._dimensions_declared:
            kept -= {"dimensions"}
        return Network(actors, **current, control=self.control.model, control_threshold=self.control.threshold,
                       locate=self._locate, _normalized=kept, _references_checked=_references_checked)

    def with_control(self, model: str, threshold: float | None = None) -> Network:
        """Return this network with another model of control (docs/model.md#control).

        ``model`` is ``"majority"``, ``"linear"`` (more than ``threshold`` of
        the integrated ownership, :func:`~dependencia.integrated_ownership`)
        or ``"threshold"`` (more than ``threshold`` held directly);
        ``threshold`` is strictly between 0 and 1 (default 0.5; the majority
        rule takes none but 0.5). The tables are the same; :meth:`controls`,
        :meth:`controllers` and actors' power follow the new model. An
        InputError names an unknown model or a threshold out of range, two
        actors that control each other under the model, or, under the linear
        model, a closed loop of holdings (integrated ownership is infinite).

        Examples
        --------
        >>> net = Network.from_records([{"id": i} for i in "abc"], ownership=[
        ...     {"owner": "a", "owned": "b", "share": 0.4}, {"owner": "a", "owned": "c", "share": 0.35},
        ...     {"owner": "b", "owned": "c", "share": 0.5}])
        >>> sorted(net.controls("a")), sorted(net.with_control("linear").controls("a"))  # 0.35 + 0.4 x 0.5
        (['a'], ['a', 'c'])
        """
        kept = frozenset(name for name in TABLES if name != "dimensions")
        return Network(
            self.actors, self.dependencies, dimensions=self.dimensions if self._dimensions_declared else None,
            needs=self.needs, infrastructures=self.infrastructures, ownership=self.ownership,
            authority=self.authority, control=model, control_threshold=threshold, locate=self._locate,
            _normalized=kept,
        )

    def copy(self) -> Network:
        """Return a copy (tables are copied; the copy is independent)."""
        clone = object.__new__(Network)
        for name in TABLES:
            setattr(clone, name, getattr(self, name).copy())
        clone._control = dict(self._control)
        clone.control = self.control
        clone._locate = self._locate
        clone._dimensions_declared = self._dimensions_declared
        return clone

    @classmethod
    def _deferred(cls, build: Callable[[], Network], edges: EdgeArrays) -> Network:
        """A Network whose tables ``build`` makes on their first use; until then its edges are ``edges``.

        For a plain edge list (:mod:`~dependencia.io.edgelist_plain`, issue 19:
        peak memory): :func:`~dependencia.betweenness` and
        :func:`~dependencia.power` compile its graph from the arrays
        (:meth:`plain_edges`) with neither the tables nor pandas. The first
        use of anything else (a table, the control model, the summary)
        builds the tables: this object becomes the Network ``build``
        returns, and lets go of the arrays.
        """
        network = object.__new__(cls)
        network.__dict__.update(_build=build, _plain_edges=edges)
        return network

    if not TYPE_CHECKING:  # for a type checker every attribute stays declared, not Any

        def __getattr__(self, name: str) -> Any:
            # called only for an attribute this object does not have: a deferred Network's, built on first use
            if "_build" not in self.__dict__ or (name.startswith("__") and name.endswith("__")):
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            with _BUILDING:  # once, whichever thread asks first
                build = self.__dict__.get("_build")
                if build is not None:
                    self.__dict__.update(build().__dict__)
                    del self.__dict__["_build"], self.__dict__["_plain_edges"]
            return getattr(self, name)

    def plain_edges(self) -> EdgeArrays | None:
        """The edges as arrays while the tables of a Network read from a plain edge list are not built; else None.

        Examples
        --------
        >>> Network.from_records([{"id": "a"}]).plain_edges() is None
        True
        """
        return self.__dict__.get("_plain_edges")

    # ---------------------------------------------------------------- validation
    def _resolve_control(self, locate: Locator) -> dict[str, frozenset[str]]:
        from .control import resolve_network_control

        return resolve_network_control(self.ownership, self.control, locate)

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
        return self.actors.index[self.actors["kind"].isin(list(PUBLIC_KINDS)).to_numpy()]

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
        if cached is None:
            from .control import control_groups

            cached = self.__dict__["_control_groups"] = control_groups(self.actors.index, self.infrastructures,
                                                                      self._control)
        return cached

    def controllers(self) -> pd.Series:
        """For every actor, the actor that controls it at the top level.

        An actor that no other actor controls is *top-level* and maps to
        itself. Where an actor is controlled by a chain, the top of the chain
        is given.
        """
        from .control import top_controllers

        return top_controllers(self.actors.index, self._control)

    def top_level_actors(self) -> pd.Index:
        """Ids of actors that no other actor controls."""
        top = self.controllers()
        return top.index[(top.index == top.to_numpy())]

    def locate(self, table: str, row: int | None, field: str | None) -> tuple[str | None, str | None]:
        """Where record ``row`` of ``table`` came from: (file, line or record path)."""
        return self._locate(table, row, field)

    # --------------------------------------------------------------- comparison
    def equals(self, other: object) -> bool:
        """True when every table of both networks is equal (values and order), and so is the control model."""
        if not isinstance(other, Network):
            return False
        from .records import frames_equal

        return self.control == other.control and all(frames_equal(getattr(self, t), getattr(other, t)) for t in TABLES)

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
            "control": self.control.describe(),
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
