"""The edits the explorer offers, as plain records: check, apply, describe, and write each as a script line.

A :class:`Change` is one edit a person makes in the explorer, e.g.
``{"op": "remove", "id": "azure"}``. :func:`parse` checks a mapping (from
the page or a test) and returns a :class:`Change`; :func:`apply_change`
runs it through the one edit API (:mod:`dependencia.network.edits`), so
that an edit refused there (an unknown id, a route through a missing
infrastructure) is refused here with the model's own message.

==================  ==========================================  ===========================================
op                  fields                                      edit
==================  ==========================================  ===========================================
remove              id                                          :func:`~dependencia.network.edits.remove_nodes`
restore             id                                          undoes the removal of ``id`` (the explorer
                                                                replays the other changes)
add_dependency      dependent, provider, dimension, via         :func:`~dependencia.network.edits.add_dependencies`
remove_dependency   dependent, provider, dimension              :func:`~dependencia.network.edits.remove_dependencies`
reroute             dependent, provider, dimension, via         :func:`~dependencia.network.edits.reroute`
transfer            infrastructure, owner (None: no owner)      :func:`~dependencia.network.edits.transfer_ownership`
transit             infrastructure, transit (open or closed)    :func:`~dependencia.network.edits.set_transit`
holding             owner, owned, share (0 to 1; 0: sell all)   :func:`~dependencia.network.edits.set_holding`
interoperate        actor                                       the interoperability policy's direct effect
                                                                (:func:`~dependencia.simulation.policies.interoperable`)
==================  ==========================================  ===========================================

Examples
--------
>>> import dependencia as dp
>>> net = dp.Network.from_records([{"id": "a"}, {"id": "b"}, {"id": "o"}],
...     [{"dependent": "a", "provider": "b", "via": ["hub"]}], infrastructures=[{"id": "hub", "owner": "o"}])
>>> change = parse({"op": "remove", "id": "hub"})
>>> describe(change), apply_change(net, change).n_infrastructures
('remove hub', 0)
>>> python_line(parse({"op": "transit", "infrastructure": "hub", "transit": "open"}))
"net = dp.edits.set_transit(net, 'hub', 'open').network"
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import UsageError
from ..network import edits
from ..network.model import Network
from ..network.schema import DEFAULT_DIMENSION, TRANSIT

__all__ = ["OPERATIONS", "Change", "apply_change", "cli_arguments", "describe", "parse", "python_line"]

#: Each operation's fields: (name, required).
OPERATIONS: dict[str, tuple[tuple[str, bool], ...]] = {
    "remove": (("id", True),),
    "restore": (("id", True),),
    "add_dependency": (("dependent", True), ("provider", True), ("dimension", False), ("via", False)),
    "remove_dependency": (("dependent", True), ("provider", True), ("dimension", False)),
    "reroute": (("dependent", True), ("provider", True), ("dimension", False), ("via", False)),
    "transfer": (("infrastructure", True), ("owner", False)),
    "transit": (("infrastructure", True), ("transit", True)),
    "holding": (("owner", True), ("owned", True), ("share", True)),
    "interoperate": (("actor", True),),
}


@dataclass(frozen=True)
class Change:
    """One edit: its operation and its fields (ids as strings, a route as a tuple of ids)."""

    op: str
    fields: tuple[tuple[str, Any], ...]

    def get(self, name: str, default: Any = None) -> Any:
        """The value of field ``name`` (``default`` when not given)."""
        return dict(self.fields).get(name, default)

    def as_dict(self) -> dict[str, Any]:
        """The change as a JSON-ready mapping (``parse`` reads it back)."""
        return {"op": self.op, **{k: list(v) if isinstance(v, tuple) else v for k, v in self.fields}}


def parse(spec: Mapping[str, Any]) -> Change:
    """Check an edit given as a mapping and return it as a :class:`Change`.

    Raises
    ------
    UsageError
        An unknown operation, a missing or unknown field, or a field of the wrong type.
    """
    if not isinstance(spec, Mapping):
        raise UsageError(f"an edit is a mapping with an 'op' field, got {type(spec).__name__}")
    op = spec.get("op")
    if op not in OPERATIONS:
        raise UsageError(f"unknown edit {op!r}; the explorer knows: {', '.join(OPERATIONS)}")
    known = dict(OPERATIONS[op])
    unknown = sorted(set(spec) - set(known) - {"op"})
    if unknown:
        raise UsageError(f"edit {op!r} has no field {unknown[0]!r}; its fields: {', '.join(known)}")
    fields: list[tuple[str, Any]] = []
    for name, required in OPERATIONS[op]:
        value = spec.get(name)
        if value is None or value == "":
            if required:
                raise UsageError(f"edit {op!r} needs the field {name!r}")
            value = _default(name)
        fields.append((name, _checked(op, name, value)))
    return Change(op, tuple(fields))


def _default(name: str) -> Any:
    return {"dimension": DEFAULT_DIMENSION, "via": ()}.get(name)


def _checked(op: str, name: str, value: Any) -> Any:
    if name == "via":
        route = [value] if isinstance(value, str) else value
        if not isinstance(route, Sequence) or not all(isinstance(x, str) and x for x in route):
            raise UsageError(f"edit {op!r}: 'via' is a list of infrastructure ids, got {value!r}")
        return tuple(route)
    if name == "share":
        return _share(op, value)
    if value is not None and not isinstance(value, str):
        raise UsageError(f"edit {op!r}: {name!r} is an id (a string), got {value!r}")
    if name == "transit" and value not in TRANSIT:
        raise UsageError(f"edit {op!r}: transit is one of {', '.join(TRANSIT)}, got {value!r}")
    return value


def _share(op: str, value: Any) -> float:
    """A share as a number (the page sends the text of its field); its range is the model's to check."""
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise UsageError(f"edit {op!r}: 'share' is a number from 0 to 1, got {value!r}") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise UsageError(f"edit {op!r}: 'share' is a number from 0 to 1, got {value!r}")
    return float(value)


def apply_change(network: Network, change: Change) -> Network:
    """The network after ``change`` (``restore`` is the explorer's: it replays the other changes)."""
    op, get = change.op, change.get
    if op == "remove":
        return edits.remove_nodes(network, [get("id")]).network
    if op == "add_dependency":
        record = {"dependent": get("dependent"), "provider": get("provider"), "dimension": get("dimension"),
                  "via": list(get("via"))}
        return edits.add_dependencies(network, [record]).network
    if op == "remove_dependency":
        _rows(network, change)  # the same message as reroute's when no such dependency exists
        return edits.remove_dependencies(network, [(get("dependent"), get("provider"), get("dimension"))]).network
    if op == "reroute":
        return edits.reroute(network, _rows(network, change), list(get("via"))).network
    if op == "transfer":
        return edits.transfer_ownership(network, get("infrastructure"), get("owner")).network
    if op == "transit":
        return edits.set_transit(network, get("infrastructure"), get("transit")).network
    if op == "holding":
        return edits.set_holding(network, get("owner"), get("owned"), get("share")).network
    if op == "interoperate":
        from ..simulation.policies import interoperable

        return interoperable(network, get("actor"))
    raise UsageError(f"edit {op!r} is applied by the explorer's state, not to a network alone")


def _rows(network: Network, change: Change) -> list[int]:
    deps = network.dependencies
    key = (change.get("dependent"), change.get("provider"), change.get("dimension"))
    match = (deps["dependent"] == key[0]) & (deps["provider"] == key[1]) & (deps["dimension"] == key[2])
    rows = match.to_numpy().nonzero()[0].tolist()
    if not rows:
        raise UsageError(f"no dependency {key[0]!r} -> {key[1]!r} in dimension {key[2]!r}")
    return rows


def describe(change: Change) -> str:
    """A short line for the history list."""
    get = change.get
    if change.op in ("remove", "restore"):
        return f"{change.op} {get('id')}"
    if change.op in ("add_dependency", "remove_dependency", "reroute"):
        verb = {"add_dependency": "add", "remove_dependency": "remove", "reroute": "reroute"}[change.op]
        via = get("via")
        route = f" via {', '.join(via)}" if via else (" directly" if change.op == "reroute" else "")
        return f"{verb} {get('dependent')} -> {get('provider')} ({get('dimension')}){route}"
    if change.op == "transfer":
        return f"transfer {get('infrastructure')} to {get('owner') or '(no owner)'}"
    if change.op == "transit":
        return f"{get('infrastructure')}: {get('transit')} transit"
    if change.op == "holding":
        share = get("share")
        if share == 0:
            return f"{get('owner')} sells its holding in {get('owned')}"
        return f"{get('owner')} holds {share:.4g} of {get('owned')}"
    return f"interoperability for {get('actor')}"


def python_line(change: Change) -> str:
    """The line of Python that applies ``change`` to ``net`` (``restore`` has none: scripts omit undone removals)."""
    get = change.get
    if change.op == "remove":
        return f"net = dp.edits.remove_nodes(net, [{get('id')!r}]).network"
    if change.op == "add_dependency":
        record = {"dependent": get("dependent"), "provider": get("provider"), "dimension": get("dimension"),
                  "via": list(get("via"))}
        return f"net = dp.edits.add_dependencies(net, [{record!r}]).network"
    triple = (get("dependent"), get("provider"), get("dimension"))
    if change.op == "remove_dependency":
        return f"net = dp.edits.remove_dependencies(net, [{triple!r}]).network"
    if change.op == "reroute":
        return f"net = dp.edits.reroute(net, rows(net, *{triple!r}), {list(get('via'))!r}).network"
    if change.op == "transfer":
        return f"net = dp.edits.transfer_ownership(net, {get('infrastructure')!r}, {get('owner')!r}).network"
    if change.op == "transit":
        return f"net = dp.edits.set_transit(net, {get('infrastructure')!r}, {get('transit')!r}).network"
    if change.op == "holding":
        return f"net = dp.edits.set_holding(net, {get('owner')!r}, {get('owned')!r}, {get('share')!r}).network"
    if change.op == "interoperate":
        return f"net = interoperable(net, {get('actor')!r})"
    raise UsageError(f"edit {change.op!r} has no line of its own")


def cli_arguments(change: Change) -> list[str] | None:
    """The ``dependencia whatif`` options for ``change``, or None where the command has none."""
    get = change.get
    ids = [v for k, v in change.fields if k != "via" and isinstance(v, str)] + list(get("via") or ())
    if any(":" in x or ";" in x for x in ids):  # the command's separators
        return None
    if change.op == "remove":
        return ["--remove", get("id")]
    if change.op == "remove_dependency":
        return ["--remove-dependency", f"{get('dependent')}:{get('provider')}:{get('dimension')}"]
    if change.op == "add_dependency":
        via = get("via")
        tail = f":{';'.join(via)}" if via else ""
        return ["--add-dependency", f"{get('dependent')}:{get('provider')}:{get('dimension')}{tail}"]
    return None
