"""Server fixtures: an app on a fresh SQLite record per test, sharing the session's Derm3R system."""

from __future__ import annotations

import importlib.util
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
