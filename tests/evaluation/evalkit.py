"""Paths and lines of the example evaluation set shared by the evaluation tests."""

from __future__ import annotations

import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "examples" / "eval" / "psoriasis.jsonl"
CASES = REPO / "examples" / "cases"


def data_lines() -> list[str]:
    """The example set's non-blank JSONL lines, in file order."""
    return [line for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]


def image_lines(copies: int) -> list[str]:
    """The example set's lines with photographs, ``copies`` times over, each copy's case ids suffixed ``-N``.

    A case with photographs takes ~0.4 s, so a batch of them keeps a run busy long enough to kill or race it.
    """
    lines = []
    for copy in range(copies):
        for text in data_lines():
            if '"images": [{' in text:
                line = json.loads(text)
                line["case"]["case_id"] += f"-{copy}"
                lines.append(json.dumps(line, ensure_ascii=False))
    return lines
