"""Small helpers shared by the io tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from dependencia.errors import InputError
from dependencia.network.model import Network


def raises_input_error(call, path: Path | str, where: str | None, *words: str) -> InputError:
    """Assert that ``call()`` raises an InputError naming ``path``, ``where`` and every word.

    ``where`` is compared exactly (None: the error must not name a place).
    """
    with pytest.raises(InputError) as caught:
        call()
    error = caught.value
    assert error.source == str(path), str(error)
    assert error.where == where, str(error)
    message = str(error)
    assert message.startswith(str(path)), message
    for word in words:
        assert word.lower() in error.message.lower(), (word, message)
    return error


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def rich_network() -> Network:
    return Network.from_records(
        [{"id": "ms", "kind": "firm", "label": "Microsoft", "budget": 5, "hq": "Redmond"},
         {"id": "gh", "kind": "firm"}, {"id": "me", "kind": "person"}],
        [{"dependent": "me", "provider": "gh", "dimension": "code", "strength": 2, "via": ["azure"], "distance": 3},
         {"dependent": "gh", "provider": "ms", "dimension": "capital", "channel": "market"}],
        dimensions=[{"id": "code", "monetized": 0.5}, {"id": "capital"}],
        infrastructures=[{"id": "azure", "owner": "ms", "dimensions": ["code", "capital"], "build_cost": 7}],
        needs=[{"dependent": "me", "dimension": "capital"}],
        ownership=[{"owner": "ms", "owned": "gh", "share": 1.0}],
        authority=[{"holder": "me", "subject": "ms"}],
    )
