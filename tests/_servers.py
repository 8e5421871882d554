"""Real servers for the slow tests: a subprocess on a free 127.0.0.1 port, polled until ready, always stopped.

Used by tests/server/test_server_browser.py (``derm3r serve``), tests/graph/test_langgraph_dev.py
(``langgraph dev``) and tests/training/test_finetune_e2e.py (``transformers serve``). Every wait is bounded:
readiness by ``startup_s``, each poll by ``poll_s``, the stop by ``stop_s`` (terminate, then kill). A server
that exits or does not answer in time fails the test with the tail of its log; a failure while it runs prints
that tail beside the failure; a server that died while in use fails the teardown.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

HOST = "127.0.0.1"
LOG_TAIL_CHARS = 4000


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def log_tail(log: Path) -> str:
    """The last :data:`LOG_TAIL_CHARS` characters of a server's log (empty when it wrote none)."""
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    return text[-LOG_TAIL_CHARS:]


def _answers(url: str, poll_s: float) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=poll_s) as response:
            return int(response.status) == 200
    except OSError:  # refused, reset, timed out, or an HTTP error status: not ready yet
        return False


def _stop(process: subprocess.Popen[bytes], stop_s: float) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=stop_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=stop_s)


@contextmanager
def running_server(
    name: str,
    command: Sequence[str],
    *,
    port: int,
    ready_path: str,
    log: Path,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    startup_s: float = 180.0,
    poll_s: float = 5.0,
    stop_s: float = 30.0,
) -> Iterator[str]:
    """Start ``command`` (which must bind 127.0.0.1:``port``), wait until it answers, yield its URL, stop it.

    Args:
        name: What the failure messages call it (``derm3r serve``).
        command: The server's command line.
        port: The port it listens on (from :func:`free_port`).
        ready_path: Path whose HTTP 200 means ready (``/healthz``).
        log: File that receives the server's stdout and stderr.
        cwd: Its working directory (default: this process's).
        env: Its environment (default: this process's).
        startup_s: Longest wait for the first 200.
        poll_s: Timeout of each readiness request.
        stop_s: Wait after terminate (and again after kill) for it to exit.

    Yields:
        ``http://127.0.0.1:PORT``.
    """
    url = f"http://{HOST}:{port}"
    environment = dict(os.environ if env is None else env)
    with log.open("wb") as output:
        process = subprocess.Popen(list(command), cwd=cwd, env=environment, stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + startup_s
        while not _answers(url + ready_path, poll_s):
            if process.poll() is not None:
                pytest.fail(f"{name} exited ({process.returncode}) before it was ready:\n{log_tail(log)}")
            if time.monotonic() > deadline:
                pytest.fail(f"{name} did not answer {ready_path} within {startup_s:.0f} s:\n{log_tail(log)}")
            time.sleep(0.3)
        try:
            yield url
        except BaseException:  # a failure while the server ran (a test, or a fixture's own requests)
            sys.stderr.write(f"--- {name}: log tail ---\n{log_tail(log)}\n")
            raise
        if process.poll() is not None:  # it died while in use (the tests of a module-scoped fixture may not notice)
            pytest.fail(f"{name} exited ({process.returncode}) while in use:\n{log_tail(log)}")
    finally:
        _stop(process, stop_s)
