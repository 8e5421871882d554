"""Helpers of the server tests: example cases as JSON bodies and multipart forms."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
CASES = REPO / "examples" / "cases"
TOKEN = "a-test-token-of-some-length"


def load_case(name: str) -> dict[str, Any]:
    """An example case as a dict."""
    data: dict[str, Any] = json.loads((CASES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def text_only(case: dict[str, Any]) -> dict[str, Any]:
    """The case without its images."""
    return {key: value for key, value in case.items() if key != "images"}


def image_form(case: dict[str, Any]) -> tuple[dict[str, str], list[tuple[str, tuple[str, bytes, str]]]]:
    """The multipart form of a case with images: ``case`` naming each file by its file name, and the files."""
    refs = [dict(ref, path=Path(ref["path"]).name) for ref in case.get("images", [])]
    files = [("images", (Path(ref["path"]).name, (CASES / ref["path"]).read_bytes(), "image/jpeg"))
             for ref in case.get("images", [])]
    return {"case": json.dumps({**case, "images": refs}, ensure_ascii=False)}, files
