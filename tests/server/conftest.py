"""Server fixtures: an app on a fresh SQLite record per test, sharing the session's Derm3R system; for the browser
tests one live ``derm3r serve`` and one headless chromium for the session, and a fresh tab per test."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

if importlib.util.find_spec("fastapi") is None:  # the serve extra is not installed: nothing here can run
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture
def make_client(system: Any, tmp_path: Path) -> Iterator[Any]:
    """Build a started TestClient for given settings (on the session's Derm3R); all are closed after the test."""
    from fastapi.testclient import TestClient

    from derm3r.server import ServerSettings, create_app

    clients: list[TestClient] = []

    def build(**overrides: Any) -> TestClient:
        settings = ServerSettings(**{"data_dir": tmp_path / f"data{len(clients)}", **overrides})
        client = TestClient(create_app(settings, system=system), raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Any) -> Any:
    """A client of an app without a token, on a fresh SQLite record."""
    return make_client()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL server (Debian's package), started for this session on 127.0.0.1."""
    from pgcluster import find_bin_dir, postgres_cluster

    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) are not installed: apt-get install postgresql (.ci/run does)")
    with postgres_cluster(bin_dir) as url:
        yield url


#: The live server's retention period, which the page states beside the photo inputs.
PHOTO_RETENTION_DAYS = 90


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory, system: Any) -> Iterator[str]:
    """``derm3r serve`` in a subprocess on a free 127.0.0.1 port, shared by the browser test modules.

    It reads the vector index the session's system built (built once, not once per process).
    """
    from _servers import free_port, running_server
    from serverkit import REPO
    system.store.open()
    port = free_port()
    data_dir = tmp_path_factory.mktemp("serve-data")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("DERM3R_TOKEN", None)
    command = [sys.executable, "-m", "derm3r.cli.main", "serve", "--port", str(port), "--data-dir", str(data_dir),
               "--index-path", str(system.store.path), "--log-level", "warning",
               "--photo-retention-days", str(PHOTO_RETENTION_DAYS)]
    with running_server("derm3r serve", command, port=port, ready_path="/healthz", log=data_dir / "server.log",
                        env=env) as url:
        # The first consultation loads the embedder and opens the index: done before the page is timed.
        body = json.dumps({"case_id": "warm", "chief_complaint": "红斑鳞屑"}).encode()
        warm = urllib.request.Request(f"{url}/api/consult", data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(warm, timeout=600) as response:
            assert response.status == 200
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium, headless, for the session (skipped where it is not installed)."""
    from browserkit import CHROMIUM

    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium; .ci/run does)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        # --no-sandbox: CI runs as root, where chromium's sandbox cannot start.
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any, live_server: str) -> Iterator[Any]:
    """A fresh tab (desktop width, Chinese locale) on the served page."""
    context = browser.new_context(viewport={"width": 1360, "height": 1000}, locale="zh-CN")
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    tab.goto(live_server)
    yield tab
    context.close()
