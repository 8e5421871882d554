"""Shared fixtures: one knowledge base and one consultation system per test session."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "cases"


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the vector index of the tests out of the user's cache directory."""
    os.environ["DERM3R_CACHE_DIR"] = str(tmp_path_factory.mktemp("derm3r-cache"))


@pytest.fixture(scope="session")
def kb():  # type: ignore[no-untyped-def]
    from derm3r.kb.loader import load_knowledge_base

    return load_knowledge_base(REPO / "knowledge")


@pytest.fixture(scope="session")
def system(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from derm3r import Derm3R

    return Derm3R(index_path=tmp_path_factory.mktemp("index"))


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse any connection that leaves the machine: derm3r needs no network at run time."""
    import ipaddress
    import socket

    real_connect = socket.socket.connect

    def guarded_connect(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else None
        if host is not None and host != "localhost":
            try:
                loopback = ipaddress.ip_address(host).is_loopback
            except ValueError:
                loopback = False
            if not loopback:
                raise OSError(f"network access blocked in tests: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)

