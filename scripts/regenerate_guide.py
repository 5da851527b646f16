"""Regenerate the outputs in docs/guide.md from the commands shown there.

Every ```console block of the guide starts with ``$ dependencia ...``; this script runs
each command (80 columns, as a terminal) and writes its output below it, so that the
numbers in the guide come from the computation of this version. The prose around
the blocks cites some of these numbers and is checked by hand after a run; a
block whose command prints nothing on a terminal (a progress line only) keeps just
the command.

Usage: python scripts/regenerate_guide.py [--check]   (--check: exit 1 if the guide is out of date)
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "guide.md"
BLOCK = re.compile(r"```console\n\$ (?P<command>[^\n]+)\n(?P<output>.*?)```", re.S)


def output_of(command: str) -> str:
    """What ``command`` prints on an 80-column terminal (standard output only)."""
    args = shlex.split(command)
    if args[0] != "dependencia":
        raise SystemExit(f"not a dependencia command: {command}")
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-m", "dependencia", *args[1:]], capture_output=True, text=True, env=env,
                          check=True)
    return done.stdout


def regenerate(text: str) -> str:
    def replace(match: re.Match) -> str:
        command = match["command"]
        return f"```console\n$ {command}\n{output_of(command)}```"

    return BLOCK.sub(replace, text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    old = GUIDE.read_text()
    new = regenerate(old)
    if args.check:
        sys.exit(0 if new == old else 1)
    GUIDE.write_text(new)


if __name__ == "__main__":
    main()
