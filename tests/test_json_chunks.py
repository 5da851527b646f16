"""The JSON of the command line written a block of rows at a time: the same text as one ``json.dumps``.

Oracle: the document built whole and dumped by the standard library, as ``to_json`` did before
(issue 19: the blocks only lower the peak memory).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from dependencia.base import output
from dependencia.base.output import json_chunks, records


def _whole(header: dict, rows: pd.DataFrame) -> str:
    document = dict(header)
    document["rows"] = records(rows)
    return json.dumps(document, allow_nan=False) + "\n"


def _frame(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(n)
    values = rng.normal(size=n)
    values[::7] = np.nan
    return pd.DataFrame(
        {"rank": np.arange(1, n + 1), "power": values, "share": rng.random(n) / 3,
         "controlled_by": [None if i % 3 else f"é{i}" for i in range(n)],
         "over": [[f"s{i}", "t"] if i % 5 == 0 else [] for i in range(n)],
         "count": rng.integers(0, 100, n)},
        index=pd.Index([f"n{i}\u2192" for i in range(n)], name="id", dtype=object),
    )


@pytest.mark.parametrize("n", [0, 1, 999, 1000, 1001, 2500])
@pytest.mark.parametrize("header", [{}, {"measure": "power", "exact": True, "epsilon": None, "dimensions": ["a"]}])
def test_json_chunks_are_one_dumps(n: int, header: dict) -> None:
    rows = _frame(n)
    assert "".join(json_chunks(header, rows)) == _whole(header, rows)


def test_small_blocks_join_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output, "JSON_BLOCK_ROWS", 3)
    rows = _frame(10)
    chunks = list(json_chunks({"by": "actor"}, rows))
    assert len(chunks) == 2 + 4  # the opening, four blocks of at most 3 rows, the closing
    assert "".join(chunks) == _whole({"by": "actor"}, rows)


def test_a_header_that_names_rows_keeps_its_place() -> None:
    header = {"rows": "replaced", "after": 1}
    rows = _frame(4)
    assert "".join(json_chunks(header, rows)) == _whole(header, rows)
