"""Control resolution: who controls whom through holdings, under one of three models.

docs/model.md#control. Under the **majority** rule (the default) an actor
controls itself, and every actor in which the shares it holds directly plus
the shares held by actors it already controls sum to more than one half,
iterated to a fixed point. The **linear** and **threshold** models of network
control (Vitali, Glattfelder & Battiston 2011) take a threshold t: under the
linear model an actor controls every actor whose integrated ownership
``(I - W)^-1 W`` (:mod:`.ownership`) it holds more than t of; under the
threshold model, every actor it holds more than t of directly. Under both,
an actor also controls what the actors it controls control (the chains are
integrated). Cross-holdings and cycles are allowed; two distinct actors
controlling each other is an input error.

Examples
--------
>>> import pandas as pd
>>> holdings = pd.DataFrame({"owner": ["a", "a", "b"], "owned": ["b", "c", "c"],
...                          "share": [0.6, 0.3, 0.3]})
>>> sorted(resolve_control(holdings)["a"])  # a holds 0.3 of c, its b another 0.3
['a', 'b', 'c']
"""

from __future__ import annotations

import math
import numbers
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import shown
from .ownership import ClosedLoop, holdings_matrix, integrated_matrix
from .schema import Locator, fail, record_locator

#: Shares held in one actor may sum to 1 plus this (rounding in input files).
SHARE_TOLERANCE = 1e-9
#: Shares must sum to *more than* one half; sums within the tolerance of 0.5
#: are not more (0.1 + 0.2 + 0.15 + 0.05 is 0.5000000000000001 in floating
#: point). The same tolerance as for totals means two groups can never both
#: hold a majority of one actor.
MAJORITY = 0.5 + SHARE_TOLERANCE
#: The models of control (docs/model.md#control); the first is the default.
CONTROL_MODELS = ("majority", "linear", "threshold")
#: The threshold of the linear and threshold models when none is given (the majority rule's one half).
DEFAULT_THRESHOLD = 0.5


@dataclass(frozen=True)
class ControlModel:
    """How holdings become control: ``model`` (majority, linear, threshold) and its ``threshold``.

    Use :func:`control_model` to build one from user input (it checks both).

    Examples
    --------
    >>> ControlModel("linear", 0.5).describe()
    'linear, threshold 0.5'
    >>> ControlModel().describe()
    'majority'
    """

    model: str = "majority"
    threshold: float = DEFAULT_THRESHOLD

    def describe(self) -> str:
        """The model in words, e.g. ``'threshold, threshold 0.25'``."""
        return self.model if self.model == "majority" else f"{self.model}, threshold {self.threshold:g}"


def control_model(model: object = "majority", threshold: object = None, *,
                  locate: Locator | None = None) -> ControlModel:
    """Check a control model and its threshold (from a file or a call); errors through ``locate``.

    The threshold must be a number strictly between 0 and 1 (default
    :data:`DEFAULT_THRESHOLD`); the majority rule takes none but one half.

    Examples
    --------
    >>> control_model("threshold", 0.25)
    ControlModel(model='threshold', threshold=0.25)
    >>> control_model("lineer")
    Traceback (most recent call last):
    ...
    dependencia.errors.InputError: control.model: unknown control model 'lineer'; one of majority, linear, threshold
    """
    where = locate or record_locator
    if not isinstance(model, str) or model not in CONTROL_MODELS:
        raise fail(where, "control", None, "model",
                   f"unknown control model {shown(model)}; one of {', '.join(CONTROL_MODELS)}")
    if threshold is None:
        return ControlModel(model, DEFAULT_THRESHOLD)
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real) or not math.isfinite(float(threshold)) \
            or not 0.0 < float(threshold) < 1.0:
        raise fail(where, "control", None, "threshold",
                   f"the control threshold must be a number between 0 and 1 (both excluded), got {shown(threshold)}")
    value = float(threshold)
    if model == "majority" and abs(value - DEFAULT_THRESHOLD) > SHARE_TOLERANCE:
        raise fail(where, "control", None, "threshold",
                   f"the majority rule's threshold is one half, got {value:g}; for another threshold use the "
                   "linear or threshold model")
    return ControlModel(model, value)


def resolve_model_control(ownership: pd.DataFrame, model: ControlModel) -> dict[str, frozenset[str]]:
    """:func:`resolve_control` under ``model``: the majority rule, or the linear or threshold model.

    Raises :class:`~dependencia.network.ownership.ClosedLoop` under the
    linear model where integrated ownership is infinite.

    Examples
    --------
    >>> holdings = pd.DataFrame({"owner": ["a", "b"], "owned": ["c", "c"], "share": [0.3, 0.3]})
    >>> sorted(resolve_model_control(holdings, ControlModel("threshold", 0.25))["a"])
    ['a', 'c']
    """
    if model.model == "majority":
        return resolve_control(ownership)
    ids = pd.Index(pd.unique(pd.concat([ownership["owner"], ownership["owned"]], ignore_index=True)), dtype=object)
    matrix = holdings_matrix(ownership, ids)
    limit = model.threshold + SHARE_TOLERANCE
    direct: dict[int, list[int]] = defaultdict(list)
    coo = (integrated_matrix(matrix, ids) if model.model == "linear" else matrix).tocoo()
    over = (coo.data > limit) & (coo.row != coo.col)
    for holder, held in zip(coo.row[over].tolist(), coo.col[over].tolist()):
        direct[holder].append(held)
    names = ids.tolist()
    owners = np.unique(ids.get_indexer(ownership["owner"]))
    return {names[i]: frozenset(names[j] for j in _reachable(i, direct)) for i in owners.tolist()}


def resolve_network_control(ownership: pd.DataFrame, model: ControlModel,
                            locate: Locator) -> dict[str, frozenset[str]]:
    """:func:`resolve_model_control`, refusing mutual control and closed loops through ``locate``.

    Examples
    --------
    >>> mutual = pd.DataFrame({"owner": ["a", "b"], "owned": ["b", "a"], "share": [0.6, 0.6]})
    >>> resolve_network_control(mutual, ControlModel(), record_locator)
    Traceback (most recent call last):
    ...
    dependencia.errors.InputError: ownership[1].share: actors 'a' and 'b' control each other
    """
    if ownership.empty:
        return {}
    try:
        control = resolve_model_control(ownership, model)
    except ClosedLoop as loop:
        raise loop.located(ownership, locate) from None
    mutual = find_mutual_control(control)
    if mutual is None:
        return control
    a, b = mutual
    # a record through which b's group holds a (direct, or closing a cycle); under the linear model control
    # may run through holdings of actors b does not control: then the first record holding a
    closing = np.flatnonzero((ownership["owner"].isin(list(control[b])) & (ownership["owned"] == a)).to_numpy())
    if not len(closing):
        closing = np.flatnonzero((ownership["owned"] == a).to_numpy())
    row = int(closing[0]) if len(closing) else None
    under = "" if model.model == "majority" else f" under the {model.model} model (threshold {model.threshold:g})"
    raise fail(locate, "ownership", row, "share", f"actors {shown(a)} and {shown(b)} control each other{under}")


def _reachable(root: int, direct: dict[int, list[int]]) -> set[int]:
    """``root`` and every node reachable from it along ``direct`` (the integrated chains of control)."""
    seen = {root}
    frontier = [root]
    while frontier:
        for held in direct.get(frontier.pop(), ()):
            if held not in seen:
                seen.add(held)
                frontier.append(held)
    return seen


def resolve_control(ownership: pd.DataFrame) -> dict[str, frozenset[str]]:
    """Return, for every actor that holds shares, the set of actors it controls.

    Parameters
    ----------
    ownership : pandas.DataFrame
        Columns ``owner``, ``owned`` and ``share``.

    Returns
    -------
    dict
        ``{owner: frozenset of controlled actors, itself included}``. Actors
        that hold no shares control only themselves and are not listed.
    """
    holdings: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for owner, owned, share in zip(
        ownership["owner"].tolist(), ownership["owned"].tolist(), ownership["share"].tolist()
    ):
        holdings[owner].append((owned, share))
    return {owner: _controlled_by(owner, holdings) for owner in holdings}


def _controlled_by(root: str, holdings: dict[str, list[tuple[str, float]]]) -> frozenset[str]:
    controlled = {root}
    accumulated: dict[str, float] = defaultdict(float)
    frontier = [root]
    while frontier:
        holder = frontier.pop()
        for owned, share in holdings.get(holder, ()):
            if owned in controlled:
                continue
            accumulated[owned] += share
            if accumulated[owned] > MAJORITY:
                controlled.add(owned)
                frontier.append(owned)
    return frozenset(controlled)


def find_mutual_control(control: dict[str, frozenset[str]]) -> tuple[str, str] | None:
    """Return a pair of distinct actors that control each other, or None."""
    for a in sorted(control):
        for b in sorted(control[a]):
            if b != a and a in control.get(b, frozenset()):
                return a, b
    return None


def control_groups(actors: pd.Index, infrastructures: pd.DataFrame,
                   control: dict[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    """For every actor, the actors it controls (``control``, from :func:`resolve_model_control`) and their
    infrastructures, itself included (:meth:`~dependencia.network.model.Network.control_groups`).

    Examples
    --------
    >>> infra = pd.DataFrame({"owner": ["b"]}, index=["road"])
    >>> {a: sorted(g) for a, g in control_groups(pd.Index(["a", "b"]), infra, {"a": frozenset("ab")}).items()}
    {'a': ['a', 'b', 'road'], 'b': ['b', 'road']}
    """
    owned: dict[str, list[str]] = {}
    for infra, owner in zip(infrastructures.index.tolist(), infrastructures["owner"].tolist()):
        if isinstance(owner, str):
            owned.setdefault(owner, []).append(infra)
    groups = {}
    for actor in actors.tolist():
        members = control.get(actor)
        if members is None:  # controls itself only: its own infrastructures, in the order of the table
            groups[actor] = frozenset({actor}) | frozenset(owned.get(actor, ()))
        else:
            groups[actor] = members | frozenset(x for a in members for x in owned.get(a, ()))
    return groups


def top_controllers(actors: pd.Index, control: dict[str, frozenset[str]]) -> pd.Series:
    """For every actor, the actor at the top of the chain that controls it, itself when none does
    (:meth:`~dependencia.network.model.Network.controllers`).

    Examples
    --------
    >>> top_controllers(pd.Index(["a", "b", "c"]), {"a": frozenset("abc"), "b": frozenset("bc")}).tolist()
    ['a', 'a', 'a']
    """
    top = pd.Series(actors, index=actors, dtype=object)
    if not control:
        return top
    size = {a: len(c) for a, c in control.items()}
    for owner in sorted(control, key=lambda a: (-size[a], a)):  # the largest controlling set first: a chain's top wins
        for controlled in control[owner]:
            if controlled != owner and top[controlled] == controlled:
                top[controlled] = owner
    return top
