"""Shared test configuration: hypothesis profiles.

Two profiles, chosen with the ``HYPOTHESIS_PROFILE`` environment variable:

* ``dev`` (the default): no deadline (the first call of a test pays for
  imports and engine start-up), a modest number of examples so that the whole
  suite stays well under 90 seconds on two cores;
* ``ci``: the same size, derandomized so that a CI run is reproducible, and
  printing the reproduction blob of any failure.

``HYPOTHESIS_PROFILE=ci python -m pytest -q`` selects the CI profile.
``HYPOTHESIS_PROFILE=fuzz`` (``make fuzz``) is the dev profile for the long
fuzzing run: the fuzz tests in ``tests/hardening`` then run 25 times as many
examples as in ``make test``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import dependencia as dp

_COMMON = dict(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

settings.register_profile("dev", max_examples=40, **_COMMON)
settings.register_profile("ci", max_examples=40, derandomize=True, database=None, print_blob=True, **_COMMON)
settings.register_profile("fuzz", max_examples=40, print_blob=True, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


# ---- shared by the report's and the explorer's tests -------------------------------------------------

HOSTILE = ("<img src=x onerror=\"window.pwned=1\">", "</script><script>window.pwned=2</script>",
           "a&amp;b \u2028 'quoted\" <!--")


@pytest.fixture(scope="session")
def hostile_ids():
    """Strings that would run script if a page put them in as HTML (they set window.pwned)."""
    return HOSTILE


@pytest.fixture(scope="session")
def hostile_network():
    """A network whose ids, kinds and labels try to run script in a page."""
    actors = [{"id": HOSTILE[0], "kind": "firm", "label": HOSTILE[2]},
              {"id": HOSTILE[1], "kind": "<b>kind</b>"}, {"id": "plain", "kind": "household"},
              {"id": "hub", "kind": "firm"}]
    deps = [{"dependent": "plain", "provider": HOSTILE[0], "dimension": "<svg onload=alert(1)>"},
            {"dependent": HOSTILE[0], "provider": "hub", "dimension": "money"},
            {"dependent": "plain", "provider": "hub", "dimension": "money"},
            {"dependent": HOSTILE[1], "provider": "hub", "dimension": "money"},
            {"dependent": "hub", "provider": HOSTILE[1], "dimension": "<svg onload=alert(1)>"}]
    return dp.Network.from_records(actors, deps)


# Debian's Chromium through Playwright (never a downloaded build): the report's and the explorer's browser tests.
# Skipped with a reason where Playwright or Chromium is missing, unless DEPENDENCIA_REQUIRE_BROWSER=1 (.ci/run).
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]


def _chromium() -> str | None:
    named = os.environ.get("DEPENDENCIA_CHROMIUM")
    if named:
        return named
    for candidate in ("chromium", "chromium-browser"):
        found = shutil.which(candidate)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


@pytest.fixture(scope="module")
def browser():
    required = os.environ.get("DEPENDENCIA_REQUIRE_BROWSER") == "1"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if required:
            pytest.fail("DEPENDENCIA_REQUIRE_BROWSER=1 but Playwright is not installed")
        pytest.skip("Playwright for Python is not installed")
    executable = _chromium()
    if executable is None:
        if required:
            pytest.fail("DEPENDENCIA_REQUIRE_BROWSER=1 but no Chromium was found (apt-get install chromium)")
        pytest.skip("no Chromium found (install Debian's chromium package, or set DEPENDENCIA_CHROMIUM)")
    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=executable, args=FLAGS)
        yield launched
        launched.close()


# ---- the lean reading of a plain edge list, switched off (issue 19) ---------------------------------
@pytest.fixture
def read_in_full(monkeypatch):
    """A context in which every edge list is read by the full reader: the oracle of the lean path.

    ``dp.read`` of a plain edge list returns a Network whose tables are built
    on first use, and betweenness and power compute from its arrays
    (:mod:`dependencia.io.edgelist_plain`); inside the context no file is
    plain, so the Network is built from pandas' parse of the file, tables
    first, as before the lean path existed.
    """
    from contextlib import contextmanager

    from dependencia.io import edgelist_plain

    @contextmanager
    def context():
        with monkeypatch.context() as patch:
            patch.setattr(edgelist_plain, "plain_edge_cells", lambda *args, **kwargs: None)
            yield

    return context
