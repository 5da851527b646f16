"""Hypothesis strategies for small, valid Networks (used by the round-trip tests).

The generated networks exercise what the formats must carry: awkward ids
(text that looks like numbers, nulls or booleans, quotes, commas, spaces,
non-ASCII), actors with and without optional fields, infrastructures with
routes through them, ownership whose shares sum to at most 1 per owned actor
(only from a lower to a higher actor index, so no one controls its
controller), needs, authority, explicit or derived dimensions, and free
attributes that are ints, finite floats or non-numeric text, with gaps.
"""

from __future__ import annotations

from hypothesis import strategies as st

from dependencia.network.model import Network

_AWKWARD = ["nan", "NA", "null", "True", "1", "1.0", " x", "a,b", 'q"uote', "é中", "-", "#c"]
_ID_CHARS = "abcxyzAZ09 _-,:'\"é中#&<"
ids = st.one_of(
    st.sampled_from(_AWKWARD),
    st.text(alphabet=_ID_CHARS, min_size=1, max_size=5).filter(lambda s: s.strip() != ""),
)
#: Ids that may go into ';'-separated lists (dimension and infrastructure ids).
list_ids = ids.filter(lambda s: ";" not in s)
labels = st.text(alphabet="abc XYZ,\"'é\n&<>", min_size=1, max_size=8).filter(lambda s: s.strip() != "")
texts = st.text(alphabet="abcdefxyz ,é", min_size=0, max_size=5).map(lambda s: "t" + s)
finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
positive = st.floats(min_value=1e-6, max_value=1e6, allow_nan=False)
non_negative = st.floats(min_value=0.0, max_value=1e9, allow_nan=False)
numbers = st.one_of(st.integers(-10**6, 10**6), finite)


@st.composite
def free_values(draw, n: int) -> list:
    """One free attribute column of length n: numbers or text, some missing."""
    kind = draw(st.sampled_from(["int", "number", "text"]))
    value = {"int": st.integers(-10**9, 10**9), "number": numbers, "text": texts}[kind]
    return draw(st.lists(st.one_of(st.none(), value), min_size=n, max_size=n))


@st.composite
def with_free(draw, records: list[dict], names: list[str]) -> list[dict]:
    chosen = draw(st.lists(st.sampled_from(names), unique=True, max_size=2))
    for name in chosen:
        column = draw(free_values(len(records)))
        for record, value in zip(records, column):
            if value is not None:
                record[name] = value
    return records


def optional(strategy):
    return st.one_of(st.none(), strategy)


def _drop_none(record: dict) -> dict:
    return {k: v for k, v in record.items() if v is not None}


@st.composite
def networks(draw, max_actors: int = 8) -> Network:
    n_actors = draw(st.integers(2, max_actors))
    n_infras = draw(st.integers(0, 3))
    node_ids = draw(st.lists(list_ids, min_size=n_actors + n_infras, max_size=n_actors + n_infras, unique=True))
    actor_ids, infra_ids = node_ids[:n_actors], node_ids[n_actors:]
    dims = draw(st.lists(list_ids, min_size=1, max_size=3, unique=True))

    actors = [
        _drop_none({
            "id": a,
            "kind": draw(optional(st.sampled_from(["firm", "state", "household", "platform"]))),
            "label": draw(optional(labels)),
            "budget": draw(optional(finite)),
            "unit_cost": draw(optional(non_negative)),
        })
        for a in actor_ids
    ]
    actors = draw(with_free(actors, ["size", "colour"]))

    serves = {i: draw(st.lists(st.sampled_from(dims), unique=True, max_size=len(dims))) for i in infra_ids}
    infrastructures = [
        _drop_none({
            "id": i,
            "owner": draw(st.sampled_from(actor_ids)),
            "dimensions": serves[i] or None,
            "build_cost": draw(optional(non_negative)),
            "upkeep": draw(optional(non_negative)),
        })
        for i in infra_ids
    ]
    infrastructures = draw(with_free(infrastructures, ["region"]))

    dependencies = []
    for _ in range(draw(st.integers(0, 12))):
        dependent, provider = draw(st.lists(st.sampled_from(actor_ids), min_size=2, max_size=2, unique=True))
        dimension = draw(optional(st.sampled_from(dims)))
        effective = "default" if dimension is None else dimension
        usable = [i for i in infra_ids if not serves[i] or effective in serves[i]]
        via = draw(st.lists(st.sampled_from(usable), unique=True, max_size=2)) if usable else []
        dependencies.append(_drop_none({
            "dependent": dependent,
            "provider": provider,
            "dimension": dimension,
            "strength": draw(optional(st.one_of(positive, st.integers(1, 100)))),
            "channel": draw(optional(st.sampled_from(["market", "public", "care", "voluntary"]))),
            "via": via or None,
        }))
    dependencies = draw(with_free(dependencies, ["distance", "note"]))
    if any("dimension" not in d for d in dependencies):
        dims = dims if "default" in dims else [*dims, "default"]

    ownership = []
    for j in range(1, n_actors):
        owners = draw(st.lists(st.integers(0, j - 1), unique=True, max_size=2))
        shares = [draw(st.floats(0.01, 1.0)) for _ in owners]
        total = sum(shares)
        for i, share in zip(owners, shares):
            ownership.append({"owner": actor_ids[i], "owned": actor_ids[j],
                              "share": share / total if total > 1 else share})

    needs = [
        {"dependent": draw(st.sampled_from(actor_ids)), "dimension": draw(st.sampled_from(dims))}
        for _ in range(draw(st.integers(0, 2)))
    ]
    authority = [
        dict(zip(("holder", "subject"), draw(st.lists(st.sampled_from(actor_ids), min_size=2, max_size=2,
                                                       unique=True))))
        for _ in range(draw(st.integers(0, 2)))
    ]
    dimensions = None
    if draw(st.booleans()):
        dimensions = [_drop_none({"id": d, "monetized": draw(optional(st.floats(0.0, 1.0)))}) for d in dims]
    return Network.from_records(
        actors, dependencies, dimensions=dimensions, needs=needs, infrastructures=infrastructures,
        ownership=ownership, authority=authority,
    )
