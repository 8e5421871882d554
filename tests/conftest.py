"""Shared fixtures: one knowledge base and one consultation system per test session."""

from __future__ import annotations

import os
from pathlib import Path

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
