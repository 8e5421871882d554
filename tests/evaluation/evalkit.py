"""Paths and lines of the example evaluation set shared by the evaluation tests."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "examples" / "eval" / "psoriasis.jsonl"
CASES = REPO / "examples" / "cases"


def data_lines() -> list[str]:
    """The example set's non-blank JSONL lines, in file order."""
    return [line for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
