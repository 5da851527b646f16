"""What a report shows, as plain data: one panel per network or run.

A panel is a JSON-ready dict with a ``summary`` (label and value pairs), a
``graph`` (nodes with positions, and one frame per step shown: which nodes
exist, their power, the edges of each dimension), a ``table`` (one row per
actor) and ``charts``. :mod:`.html` turns panels into the HTML file; nothing
here knows about HTML.

Large networks: above ``max_nodes`` nodes the network view keeps the ``top``
actors by power (at the last frame) and then their neighbours, most powerful
first, up to ``max_nodes``, and ``graph["note"]`` says so. The table and the
charts always cover every actor. ``graph["label_top"]`` is how many of the
most powerful actors the view names next to their markers (the page can
change it).

A panel's ``headline`` holds the concentration of power (``gini``, ``hhi``,
``top5_share`` of the power shares of top-level actors, as
:func:`~dependencia.concentration` computes them) that the page shows above
the ranking; :func:`comparison` sets two panels side by side.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..base import constants as _constants
from ..economics import Economy, rents
from ..errors import InputError
from ..io.modelfile import read_model_file
from ..measures.concentration import gini, hhi, top_share
from ..measures.power import actor_power as power  # the power columns alone (reach: below)
from ..measures.reach import reach
from ..network.model import Network
from ..simulation.series import lorenz_points, top_actor_series
from .graph_view import Frame, graph_view
from .json_values import cell, floats, ints, number, text

if TYPE_CHECKING:  # simulation is imported where a run is read
    from ..simulation.run_folder import RunFolder

__all__ = ["LABEL_TOP", "MAX_NODES", "TOP_ACTORS", "Frame", "comparison", "network_panel", "run_panel"]

MAX_NODES = _constants.MAX_NODES  # defined in _constants: the CLI help reads them without NumPy
TOP_ACTORS = _constants.TOP_ACTORS
CHART_ACTORS = 10
LABEL_TOP = _constants.LABEL_TOP  # actors named in the network view by default
COMPARED_ACTORS = 10  # the top actors of each panel that the comparison of two lists
TABLE_COLUMNS = ("id", "kind", "power", "power_share", "dependents", "dependencies", "asymmetry", "income",
                 "latent_power", "formal_authority")
INCOME_SOURCES = ("income_markup", "income_toll", "income_transfer", "income_cost_recovery", "income_tax")
#: Shown only where someone earns it: a network without labour keeps the chart it had.
WAGES = "income_wages"


def network_panel(network: Network, *, label: str, seed: int = 0, max_nodes: int = MAX_NODES,
                  top: int = TOP_ACTORS, economy: Economy | None = None, label_top: int = LABEL_TOP,
                  workers: int | None = None, scheduler: str | None = None) -> dict[str, Any]:
    """The panel of a single network: its actors now, without history (``workers``, ``scheduler``: as for power)."""
    table, measured = actor_table(network, economy, workers=workers, scheduler=scheduler)
    frames = [Frame("network", network, measured["power"])]
    public, private, unowned = infrastructure_counts(network)
    charts = {
        "concentration": None,
        "top_power": None,
        "lorenz": _lorenz(measured),
        "by_dimension": dimension_power(measured.attrs["by_dimension"], _top(table, "power_share")),
        "rents": _rents_by_source(table),
        "infrastructure": {"step": None, "public": [public], "private": [private], "unowned": [unowned]}
        if public + private + unowned else None,
    }
    summary = [("network", label), *((key.replace("_", " "), text(value)) for key, value in network.summary().items()),
               ("infrastructures by owner", f"public {public}, private {private}, no owner {unowned}"),
               ("power", _power_note(measured.attrs))]
    return {"label": label, "summary": summary, "headline": headline(measured),
            "graph": graph_view(frames, seed=seed, max_nodes=max_nodes, top=top, label_top=label_top),
            "table": _table_payload(table), "charts": charts}


def run_panel(directory: str | Path, *, seed: int = 0, max_nodes: int = MAX_NODES,
              top: int = TOP_ACTORS, label_top: int = LABEL_TOP, workers: int | None = None,
              scheduler: str | None = None) -> dict[str, Any]:
    """The panel of a complete run folder: the slider runs over its checkpoints and the end.

    ``workers`` and ``scheduler`` measure the end's power, as for :func:`~dependencia.power`.
    """
    from ..simulation.run_folder import RunFolder

    path = Path(directory)
    folder = RunFolder.open(path)
    if not folder.complete():
        raise InputError("the run is not complete (or its tables do not match the manifest's checksums); "
                         f"finish it first with 'dependencia resume {path}'", source=str(path))
    run = folder.completed_run()
    economy = folder.config.economy
    table, measured = actor_table(run.network, economy, workers=workers, scheduler=scheduler)
    frames = _checkpoint_frames(folder, run.actors) + [
        Frame(f"end (after step {int(run.steps['step'].max())})" if len(run.steps) else "start (no steps run)",
              run.network,
              measured["power"])]
    steps = run.steps
    unowned_end = infrastructure_counts(run.network)[2]  # steps.parquet counts owned infrastructures only
    owned = (steps["public_infrastructures"] + steps["private_infrastructures"]).any() if len(steps) else False
    charts = {
        "concentration": {"step": ints(steps["step"]), **{k: floats(steps[k]) for k in ("gini", "hhi", "top5_share")}}
        if len(steps) else None,
        "top_power": _top_power(run.actors) if len(steps) else None,
        "lorenz": _lorenz(measured),
        "by_dimension": dimension_power(measured.attrs["by_dimension"], _top(table, "power_share")),
        "rents": _rents_by_source(table),
        "infrastructure": {"step": ints(steps["step"]), "public": ints(steps["public_infrastructures"]),
                           "private": ints(steps["private_infrastructures"]), "unowned_end": unowned_end}
        if len(steps) and (owned or unowned_end) else None,
    }
    return {"label": run.manifest.get("scenario") or path.name, "summary": run_summary(run.manifest, path, run.steps),
            "headline": headline(measured),
            "graph": graph_view(frames, seed=seed, max_nodes=max_nodes, top=top, label_top=label_top),
            "table": _table_payload(table), "charts": charts}


def actor_table(network: Network, economy: Economy | None = None, *, workers: int | None = None,
                scheduler: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per actor with the report's columns, and the power table behind it.

    ``measured.attrs["by_dimension"]`` holds the power table of each dimension
    that carries dependencies (rents need them; so does the chart of power by
    dimension). ``workers`` and ``scheduler`` run the power computations, as
    for :func:`~dependencia.power`.
    """
    measured = power(network, workers=workers, scheduler=scheduler)  # as for dp.power: values do not depend on them
    used = sorted(network.dependencies["dimension"].unique())
    by_dimension = {d: power(network, dimensions=[d], workers=workers, scheduler=scheduler) for d in used}
    reached = reach(network)
    paid = rents(network, economy=economy, power=measured, dimension_power=by_dimension).actors
    measured.attrs["by_dimension"] = by_dimension
    subjects = measured["formal_authority_over"].map(lambda held: ", ".join(map(str, held)))
    table = pd.DataFrame({
        "id": measured.index.astype(str),
        "kind": network.actors["kind"].reindex(measured.index).fillna("").astype(str).to_numpy(),
        "power": measured["power"].to_numpy(dtype=float),
        "power_share": measured["power_share"].to_numpy(dtype=float),
        "dependents": reached["dependents"].reindex(measured.index).to_numpy(dtype=float),
        "dependencies": reached["dependencies"].reindex(measured.index).to_numpy(dtype=float),
        "asymmetry": reached["asymmetry"].reindex(measured.index).to_numpy(dtype=float),
        "income": paid["income"].reindex(measured.index).to_numpy(dtype=float),
        "latent_power": paid["latent_power"].reindex(measured.index).to_numpy(dtype=float),
        "formal_authority": subjects.to_numpy(dtype=object),
    }, index=measured.index.rename(None))
    for source in (*INCOME_SOURCES, WAGES):
        table[source] = paid[source].reindex(measured.index).to_numpy(dtype=float) if source in paid else 0.0
    return table, measured


def dimension_power(by_dimension: dict[str, pd.DataFrame], actors: list[str]) -> dict[str, Any] | None:
    """Power share of ``actors`` in each dimension's own graph, from :func:`actor_table`'s tables."""
    if len(by_dimension) < 2 or not actors:
        return None
    values = [[number(table["power_share"].get(a, 0.0)) for a in actors] for table in by_dimension.values()]
    return {"actors": actors, "dimensions": [str(d) for d in by_dimension], "values": values}


def run_summary(manifest: dict[str, Any], path: Path, steps: pd.DataFrame | None = None) -> list[tuple[str, str]]:
    """Scenario, seed, steps, the last step's figures, version and timings of a run, then its parameters.

    The figures are those ``dependencia simulate`` prints, under their ``steps.parquet`` column names
    with their meanings (:data:`dependencia.simulation.results.STEP_COLUMNS`); parameters by dotted names.
    """
    from ..simulation.results import STEP_COLUMNS, SUMMARY_COLUMNS, summary_value

    timings = manifest.get("timings") or {}
    rows = [("run folder", path.name), ("scenario", text(manifest.get("scenario"))),
            ("seed", text(manifest.get("seed"))), ("steps", text(manifest.get("steps_done"))),
            ("dependencia", text(manifest.get("dependencia"))), ("python", text(manifest.get("python"))),
            ("started", text(manifest.get("started"))), ("ended", text(manifest.get("ended"))),
            ("total time", f"{timings['total']:.2f} s" if "total" in timings else "")]
    if steps is not None and len(steps):
        last = steps.iloc[-1]
        rows[4:4] = [("last row of steps.parquet", f"step {int(last['step'])} (steps 0 to {int(last['step'])})"),
                     *((column, f"{summary_value(last[column])} ({STEP_COLUMNS[column]})")
                       for column in SUMMARY_COLUMNS if column in last)]
    rows += [(f"time: {k}", f"{v:.2f} s") for k, v in timings.items() if k != "total"]
    rows += [(f"parameter: {k}", v) for k, v in _flatten(manifest.get("config") or {})]
    return rows


# --- pieces -----------------------------------------------------------------------------------------------

def _checkpoint_frames(folder: RunFolder, actors: pd.DataFrame) -> list[Frame]:
    from ..simulation.state import CHECKPOINTS, NETWORK_FILE

    aggregate = actors[actors["dimension"] == "*"]
    frames = [(0, folder.path / NETWORK_FILE)]
    for checkpoint in sorted((folder.path / CHECKPOINTS).glob("step-*")):
        step = int(checkpoint.name.removeprefix("step-"))
        frames.append((step, checkpoint / NETWORK_FILE))
    result = []
    for step, file in frames:
        rows = aggregate[aggregate["step"] == step]
        if rows.empty:
            continue  # a checkpoint at the very end has no measured step of its own
        result.append(Frame(f"step {step}", read_model_file(file), rows.set_index("actor")["power"].astype(float)))
    return result


def _top(table: pd.DataFrame, column: str, n: int = CHART_ACTORS) -> list[str]:
    ordered = table.sort_values([column, "id"], ascending=[False, True], kind="mergesort")
    return [str(x) for x in ordered["id"].head(n)]


def _lorenz(measured: pd.DataFrame) -> dict[str, Any]:
    """Power shares of the top-level actors (those no one controls), as concentration and the figures count them."""
    values = measured.loc[measured["controlled_by"].isna(), "power_share"].to_numpy(dtype=float)
    x, y = lorenz_points(values)
    return {"x": floats(x), "y": floats(y), "gini": number(gini(values)) if len(values) else None}


def _top_power(actors: pd.DataFrame) -> dict[str, Any]:
    wide = top_actor_series(actors, CHART_ACTORS)
    return {"step": ints(wide.index), "series": [{"id": str(c), "values": floats(wide[c])} for c in wide.columns]}


def _rents_by_source(table: pd.DataFrame) -> dict[str, Any] | None:
    if not (table["income"].fillna(0) > 0).any():
        return None
    chosen = _top(table.assign(income=table["income"].fillna(0)), "income")
    rows = table.set_index("id").loc[chosen]
    sources = [*INCOME_SOURCES, WAGES] if WAGES in table and (table[WAGES].fillna(0) != 0).any() else INCOME_SOURCES
    return {"actors": chosen, "sources": [s.removeprefix("income_").replace("_", " ") for s in sources],
            "values": [floats(rows[s]) for s in sources]}


def infrastructure_counts(network: Network) -> tuple[int, int, int]:
    """Infrastructures owned by public actors, by private ones, and by no one (e.g. named only in ``via``).

    The three add up to the network's infrastructures.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records(
    ...     [{"id": "a"}, {"id": "b"}, {"id": "state", "kind": "state"}],
    ...     [{"dependent": "a", "provider": "b", "via": ["road", "port"]}],
    ...     infrastructures=[{"id": "road", "owner": "state"}, {"id": "port"}])
    >>> infrastructure_counts(net)
    (1, 0, 1)
    """
    owners = network.infrastructures["owner"]
    public = owners.isin(list(network.public_actors)).to_numpy()
    owned = owners.notna().to_numpy()
    return int(public.sum()), int((owned & ~public).sum()), int((~owned).sum())


def headline(measured: pd.DataFrame) -> dict[str, float | None]:
    """Concentration of the power shares of top-level actors: ``gini``, ``hhi``, ``top5_share``."""
    shares = measured.loc[measured["controlled_by"].isna(), "power_share"].to_numpy(dtype=float)
    return {"gini": number(gini(shares)), "hhi": number(hhi(shares)), "top5_share": number(top_share(shares, 5))}


def comparison(panels: list[dict[str, Any]], n: int = COMPARED_ACTORS) -> dict[str, Any] | None:
    """Two panels side by side: their headline figures and the power shares of their top actors.

    ``actors`` are the ``n`` actors of largest power share in either panel (ties by id; only actors with
    power in one of them), in the order of the larger of their two shares; a share is None where the actor
    is absent from a panel (e.g. created during one run).
    """
    if len(panels) != 2:
        return None
    shares = []
    for panel in panels:
        columns = panel["table"]["columns"]
        at_id, at_share = columns.index("id"), columns.index("power_share")
        shares.append({row[at_id]: row[at_share] for row in panel["table"]["rows"]})
    chosen: set[str] = set()
    for share in shares:
        chosen.update(sorted((a for a in share if (share[a] or 0.0) > 0), key=lambda a: (-share[a], a))[:n])
    ordered = sorted(chosen, key=lambda a: (-max(s.get(a) or 0.0 for s in shares), a))
    return {"labels": [p["label"] for p in panels],
            "figures": [[key, *(p["headline"][key] for p in panels)] for key in ("gini", "hhi", "top5_share")],
            "actors": [[a, *(s.get(a) for s in shares)] for a in ordered]}


def _table_payload(table: pd.DataFrame) -> dict[str, Any]:
    rows = [[cell(value) for value in row] for row in table[list(TABLE_COLUMNS)].itertuples(index=False)]
    return {"columns": list(TABLE_COLUMNS), "rows": rows}


def _power_note(attrs: dict[str, Any]) -> str:
    if attrs.get("exact", True):
        return "exact"
    return f"approximate (epsilon {attrs.get('epsilon')}, delta {attrs.get('delta')}, seed {attrs.get('seed')})"


def _flatten(mapping: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    rows = []
    for key, value in mapping.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            rows += _flatten(value, name + ".")
        else:
            rows.append((name, value if isinstance(value, str) else json.dumps(value, sort_keys=True)))
    return rows


