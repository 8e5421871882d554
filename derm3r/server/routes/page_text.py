"""GET /i18n/measures.js: the page's measurement labels, from the message table the CLI and reports use."""

from __future__ import annotations

import json

from fastapi import APIRouter
from fastapi.responses import Response

from derm3r.i18n import LANGS, messages

MEASURE_PREFIX = "measure."

router = APIRouter(include_in_schema=False)


def measure_names_script() -> str:
    """JavaScript defining ``MEASURE_NAMES`` (language → measurement name → label) from ``measure.*`` messages.

    Returns:
        The script; one table, so the page and ``describe_measurements`` cannot name a measurement differently.
    """
    names = {
        lang: {
            key.removeprefix(MEASURE_PREFIX): text
            for key, text in messages(lang).items()
            if key.startswith(MEASURE_PREFIX)
        }
        for lang in LANGS
    }
    return f'"use strict";\nconst MEASURE_NAMES = {json.dumps(names, ensure_ascii=False)};\n'


@router.get("/i18n/measures.js")
def measure_names() -> Response:
    """The labels as a script the page loads before photos.js (no token: no patient data in it)."""
    return Response(measure_names_script(), media_type="text/javascript", headers={"Cache-Control": "no-cache"})
