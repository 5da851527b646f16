"""The explorer's state: a start network, the edits made to it, undo and redo, and their exports.

:class:`Explorer` is a plain Python object (the web app is a thin layer over
it): :meth:`~Explorer.apply` checks an edit (:mod:`.operations`), applies
it through the one edit API and keeps the new network; a refused edit
raises the model's own :class:`~dependencia.errors.UsageError` or
:class:`~dependencia.errors.InputError` and leaves the state as it was.
:meth:`~Explorer.undo` and :meth:`~Explorer.redo` move along the history
without recomputing. ``restore`` undoes the removal of one node wherever it
stands in the history: the explorer replays the other edits from the start.

Power is computed as :func:`dependencia.power` computes it (routed paths,
exact up to the cost limit, approximate above it), once per state, without
the reach columns that :func:`dependencia.power` adds beside it
(:func:`~dependencia.measures.power.actor_power`: the same values, in less
time per edit).

Examples
--------
>>> import dependencia as dp
>>> explorer = Explorer(dp.examples.load("ai-stack"))
>>> _ = explorer.apply({"op": "remove", "id": "azure"})
>>> explorer.history()
['remove azure']
>>> bool(explorer.changes()["change"].abs().max() > 0)
True
>>> explorer.undo().network.equals(explorer.start)
True
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import UsageError
from ..measures.power import actor_power
from ..network.model import Network
from .operations import Change, apply_change, cli_arguments, describe, parse, python_line

__all__ = ["EXACT_LIMIT", "EPSILON", "Explorer", "Step", "effective_changes"]

#: Above this many nodes times dependencies the explorer approximates power, so that an edit answers in
#: seconds (the command line's limit, 1e10, means minutes of exact betweenness per edit).
EXACT_LIMIT = 5e8
#: The approximation's epsilon there (on the normalized scale; delta 0.1).
EPSILON = 0.02


@dataclass(frozen=True)
class Step:
    """One edit in the history and the network after it."""

    change: Change
    network: Network


def effective_changes(changes: list[Change]) -> list[Change]:
    """The changes that make the network: each ``restore`` cancels the latest earlier removal of its id.

    Examples
    --------
    >>> from dependencia.explore.operations import parse
    >>> steps = [parse({"op": "remove", "id": "x"}), parse({"op": "remove", "id": "y"}),
    ...          parse({"op": "restore", "id": "x"})]
    >>> [c.get("id") for c in effective_changes(steps)]
    ['y']
    """
    kept: list[Change] = []
    for change in changes:
        if change.op != "restore":
            kept.append(change)
            continue
        removals = [i for i, c in enumerate(kept) if c.op == "remove" and c.get("id") == change.get("id")]
        if not removals:
            raise UsageError(f"cannot restore {change.get('id')!r}: it was not removed")
        del kept[removals[-1]]
    return kept


class Explorer:
    """A start network and a history of edits, with undo and redo.

    Parameters
    ----------
    network : Network
        The network to start from.
    source : str, optional
        Where it came from (a file or a shipped example's name), for the scripts.
    exact_limit : float, default EXACT_LIMIT
        Power is exact up to this many nodes times dependencies, approximate above
        (``epsilon``, delta 0.1; the page says which).
    epsilon : float, default EPSILON
    """

    def __init__(self, network: Network, *, source: str | None = None, exact_limit: float = EXACT_LIMIT,
                 epsilon: float = EPSILON) -> None:
        self.start = network
        self.source = source
        self.exact_limit = exact_limit
        self.epsilon = epsilon
        self._steps: list[Step] = []
        self._position = 0  # steps in force: the rest can be redone
        self._power: dict[int, tuple[Network, pd.DataFrame]] = {}  # by position: the network measured, its power

    # the state -------------------------------------------------------------------------------------------------
    @property
    def network(self) -> Network:
        """The network now."""
        return self._steps[self._position - 1].network if self._position else self.start

    @property
    def position(self) -> int:
        """How many edits are in force (the rest of :meth:`history` can be redone)."""
        return self._position

    def history(self, *, all_steps: bool = False) -> list[str]:
        """The edits in force, one line each (``all_steps``: also those that can be redone)."""
        steps = self._steps if all_steps else self._steps[:self._position]
        return [describe(step.change) for step in steps]

    def changes_made(self) -> list[Change]:
        """The edits in force."""
        return [step.change for step in self._steps[:self._position]]

    # edits -------------------------------------------------------------------------------------------------------
    def apply(self, spec: Mapping[str, Any] | Change) -> Explorer:
        """Apply one edit (a mapping such as ``{"op": "remove", "id": "azure"}``); the redo tail is dropped.

        Raises
        ------
        UsageError, InputError
            The edit is unknown or the model refuses it; the state is unchanged.
        """
        change = spec if isinstance(spec, Change) else parse(spec)
        if change.op == "restore":
            node = change.get("id")
            if node in self.network.actors.index or node in self.network.infrastructures.index:
                raise UsageError(f"cannot restore {node!r}: it is in the network")
            network = self.start
            for kept in effective_changes([*self.changes_made(), change]):
                network = apply_change(network, kept)
        else:
            network = apply_change(self.network, change)
        del self._steps[self._position:]
        self._steps.append(Step(change, network))
        self._position += 1
        return self

    def undo(self) -> Explorer:
        """Take back the last edit in force (nothing to undo: a UsageError)."""
        if not self._position:
            raise UsageError("nothing to undo")
        self._position -= 1
        return self

    def redo(self) -> Explorer:
        """Apply again the next edit taken back (nothing to redo: a UsageError)."""
        if self._position >= len(self._steps):
            raise UsageError("nothing to redo")
        self._position += 1
        return self

    # values ------------------------------------------------------------------------------------------------------
    def power(self, position: int | None = None) -> pd.DataFrame:
        """The power columns of :func:`dependencia.power` after ``position`` edits (default: now), computed once."""
        at = self._position if position is None else position
        network = self._at(at)
        if at not in self._power or self._power[at][0] is not network:  # a position is reused after an undo
            exact = (network.n_actors + network.n_infrastructures) * max(len(network.dependencies), 1) <= self.exact_limit
            self._power[at] = (network, actor_power(network, exact=exact, epsilon=None if exact else self.epsilon))
        return self._power[at][1]

    def _at(self, position: int) -> Network:
        return self._steps[position - 1].network if position else self.start

    def changes(self) -> pd.DataFrame:
        """Every actor's power at the start and now, as :func:`dependencia.whatif` reports them.

        Indexed by actor id (start actors, then actors that are new): ``power_before``,
        ``power_after`` (NaN where the actor is gone), ``change``, ``share_before``, ``share_after``.
        """
        before, after = self.power(0), self.power()
        table = pd.DataFrame({"power_before": before["power"], "power_after": after["power"],
                              "share_before": before["power_share"], "share_after": after["power_share"]})
        table = table.reindex(before.index.append(after.index.difference(before.index)))
        table.insert(2, "change", table["power_after"] - table["power_before"])
        table.index.name = "id"
        return table

    # exports -----------------------------------------------------------------------------------------------------
    def model_file(self, suffix: str = ".yaml") -> str:
        """The network now as the text of a model file (``.yaml`` or ``.json``)."""
        from ..io import write

        if suffix not in (".yaml", ".yml", ".json"):
            raise UsageError(f"a model file ends in .yaml, .yml or .json, not {suffix!r}")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"network{suffix}"
            write(self.network, path)
            return path.read_text(encoding="utf-8")

    def python_script(self) -> str:
        """A Python script that makes the same edits to the start network and prints every actor's power."""
        start = _python_source(self.source)
        effective = effective_changes(self.changes_made())
        lines = ["# Made by `dependencia explore`: the edits in force, from the start network.",
                 "import dependencia as dp", ""]
        if any(change.op == "reroute" for change in effective):
            lines += ["", "def rows(net, dependent, provider, dimension):",
                      '    """Positions of the dependency records dependent -> provider in dimension."""',
                      '    deps = net.dependencies',
                      '    match = (deps["dependent"] == dependent) & (deps["provider"] == provider) '
                      '& (deps["dimension"] == dimension)',
                      "    return match.to_numpy().nonzero()[0].tolist()", "", ""]
        if any(change.op == "interoperate" for change in effective):
            lines.insert(2, "from dependencia.simulation.policies import interoperable")
        lines += [f"start = {start}", "net = start"] + [python_line(change) for change in effective]
        lines += ["", "print(dp.power(net)[['power', 'power_share']])"]
        return "\n".join(lines) + "\n"

    def cli_script(self) -> str:
        """The same edits as one ``dependencia whatif`` command, where that command can express them.

        Raises
        ------
        UsageError
            An edit that ``whatif`` has no option for (reroute, transfer, transit, interoperability), or
            edits whose order matters to the result: use :meth:`python_script`.
        """
        import shlex

        effective = effective_changes(self.changes_made())
        if not effective:
            raise UsageError("no edits in force: there is no what-if to write")
        order = {"remove": 0, "remove_dependency": 1, "add_dependency": 2}
        arguments: list[str] = []
        for change in sorted(effective, key=lambda c: order.get(c.op, 3)):
            options = cli_arguments(change)
            if options is None:
                raise UsageError(f"'dependencia whatif' cannot express the edit {describe(change)!r}: "
                                 "export the Python script instead")
            arguments += options
        replay = self.start
        for change in sorted(effective, key=lambda c: order[c.op]):
            replay = apply_change(replay, change)
        if not replay.equals(self.network):
            raise UsageError("'dependencia whatif' applies removals first, then added dependencies, and these edits "
                             "give another network in that order: export the Python script instead")
        network = self.source if self.source else "network.yaml"
        command = shlex.join(["dependencia", "whatif", network, *arguments])
        return "#!/bin/sh\n# Made by `dependencia explore`: the edits in force, as one what-if.\n" + command + "\n"


def _python_source(source: str | None) -> str:
    if source is None:
        return 'dp.read("network.yaml")  # the start network: write it with dp.write first'
    from ..io import examples

    if not os.path.exists(source) and source in examples.names():
        return f"dp.examples.load({source!r})"
    return f"dp.read({source!r})"
