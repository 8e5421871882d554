"""Tests run with sockets blocked except loopback (see conftest)."""

from __future__ import annotations

import socket

import pytest


def test_network_guard_blocks_outside_addresses() -> None:
    with socket.socket() as sock, pytest.raises(OSError, match="blocked"):
        sock.connect(("93.184.216.34", 80))


def test_loopback_stays_open() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.socket() as client:
            client.connect(server.getsockname())
