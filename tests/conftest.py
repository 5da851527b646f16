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

from hypothesis import HealthCheck, settings

_COMMON = dict(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

settings.register_profile("dev", max_examples=40, **_COMMON)
settings.register_profile("ci", max_examples=40, derandomize=True, database=None, print_blob=True, **_COMMON)
settings.register_profile("fuzz", max_examples=40, print_blob=True, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
