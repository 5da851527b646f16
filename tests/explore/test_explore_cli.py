"""``dependencia explore``: bad input exits 2 before serving; a served explorer answers with its token and stops on Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from dependencia.cli import main


def test_an_unreadable_network_exits_2_before_serving(tmp_path, capsys):
    broken = tmp_path / "broken.yaml"
    broken.write_text("dependencia: 1\nactors: [{id: a}]\ndependencies: [{dependent: a, provider: nobody}]\n")
    assert main(["explore", str(broken), "--no-browser"]) == 2
    error = capsys.readouterr().err
    assert "nobody" in error and "Traceback" not in error and "127.0.0.1" not in error
    assert main(["explore", str(tmp_path / "missing.yaml"), "--no-browser"]) == 2


def test_it_serves_on_127_0_0_1_with_a_token_and_stops_on_ctrl_c():
    environment = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src")}
    process = subprocess.Popen([sys.executable, "-m", "dependencia", "explore", "florentine", "--no-browser"],
                               stderr=subprocess.PIPE, text=True, env=environment)
    try:
        line = process.stderr.readline()
        assert line.startswith("dependencia explore: http://127.0.0.1:"), line
        url = line.split(": ", 1)[1].strip()
        base, token = url.split("/?token=")
        assert len(token) >= 32  # secrets.token_urlsafe(24)
        for _ in range(100):  # the address is printed just before the server answers
            try:
                with urllib.request.urlopen(f"{base}/api/state?token={token}", timeout=5) as answer:
                    state = json.loads(answer.read())
                break
            except urllib.error.URLError:
                time.sleep(0.1)
        assert state["history"] == [] and "Medici" in state["fixed"]["nodes"]["id"]
        with pytest.raises(urllib.error.HTTPError, match="403"):
            urllib.request.urlopen(f"{base}/api/state", timeout=5)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 0
        assert "stopped" in process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
