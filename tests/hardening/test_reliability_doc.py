"""docs/reliability.md names the tests behind each promise: every one it names exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parents[2]
DOC = ROOT / "docs" / "reliability.md"
# a test file (tests/<folder>/test_<name>.py, or test_<name>.py for tests/hardening/), optionally ::a_test; or ::a_test alone,
# which is in the test file named last
REFERENCE = re.compile(r"((?:tests/(?:\w+/)*)?test_\w+\.py)(?:::(test_\w+))?|::(test_\w+)")


def test_every_test_named_in_reliability_md_exists():
    current, checked, missing = None, 0, []
    for file_name, test_after_file, test_alone in REFERENCE.findall(DOC.read_text()):
        if file_name:
            current = ROOT / file_name if "/" in file_name else ROOT / "tests" / "hardening" / file_name
            if not current.exists():
                missing.append(file_name)
        test = test_after_file or test_alone
        if not test:
            continue
        assert current is not None, f"::{test} follows no test file"
        source = current.read_text() if current.exists() else ""
        if not re.search(rf"^def {test}\(", source, re.MULTILINE):
            missing.append(f"{current.relative_to(ROOT)}::{test}")
        checked += 1
    assert checked > 40 and not missing, missing
