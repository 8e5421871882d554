"""Evaluation fixtures: one knowledge-engine system without retrieval per test module."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="module")
def fast_system() -> Any:
    """A Derm3R on the knowledge engine without the vector store (fast; retrieval is not under test)."""
    from derm3r import Derm3R

    return Derm3R(retrieval=False)
