"""tests/_servers.py itself, on Python's own http.server: ready, stopped, and failures that show the log."""

from __future__ import annotations

import sys
import urllib.request
from pathlib import Path

import pytest
from _servers import free_port, running_server


def test_a_server_is_up_inside_and_stopped_after(tmp_path: Path) -> None:
    port = free_port()
    command = [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port), "--directory", str(tmp_path)]
    (tmp_path / "ok.txt").write_text("ready", encoding="utf-8")
    with running_server("http.server", command, port=port, ready_path="/ok.txt", log=tmp_path / "log",
                        startup_s=30, stop_s=10) as url:
        assert url == f"http://127.0.0.1:{port}"
        with urllib.request.urlopen(f"{url}/ok.txt", timeout=5) as response:
            assert response.read() == b"ready"
    with pytest.raises(OSError):  # terminated: nothing listens any more
        urllib.request.urlopen(f"{url}/ok.txt", timeout=2)


def test_a_server_that_exits_or_never_answers_fails_with_its_log(tmp_path: Path) -> None:
    crash = [sys.executable, "-c", "print('cannot bind: address in use'); raise SystemExit(3)"]
    crashing = running_server("crasher", crash, port=free_port(), ready_path="/", log=tmp_path / "a.log")
    with pytest.raises(pytest.fail.Exception, match=r"(?s)crasher exited \(3\) before it was ready.*address in use"):
        crashing.__enter__()
    silent = [sys.executable, "-c", "print('loading', flush=True); import time; time.sleep(60)"]
    sleeping = running_server("sleeper", silent, port=free_port(), ready_path="/health", log=tmp_path / "b.log",
                              startup_s=1, poll_s=0.5, stop_s=10)
    with pytest.raises(pytest.fail.Exception, match=r"(?s)sleeper did not answer /health within 1 s.*loading"):
        sleeping.__enter__()  # the helper stops the sleeper before it fails
