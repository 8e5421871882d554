"""Error details in the reader's language: derm3r's and argparse's English wording put into Chinese.

Errors are raised deep in the code with English details that name a field, a path or a value; the CLI frames
them in the chosen language (``derm3r：输入有误：…``). For Chinese readers :func:`localize_detail` also puts the
wording into Chinese, phrase by phrase from ``details.yaml`` beside this module, so a Chinese user reads
``x.json：找不到病例文件`` rather than ``x.json: case file not found``; names, paths and values stay as they are.
English readers get the detail unchanged.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml


@lru_cache(maxsize=1)
def _phrases() -> tuple[tuple[re.Pattern[str], str], ...]:
    text = resources.files(__package__).joinpath("details.yaml").read_text(encoding="utf-8")
    return tuple((re.compile(entry["en"], re.MULTILINE), entry["zh"]) for entry in yaml.safe_load(text))


def localize_detail(detail: str, lang: str) -> str:
    """``detail`` in ``lang``: in Chinese with every known English phrase translated, else unchanged.

    Args:
        detail: An error's message (one or several lines).
        lang: ``zh`` or ``en``.

    Returns:
        The detail for the reader.
    """
    if lang != "zh":
        return detail
    for pattern, chinese in _phrases():
        detail = pattern.sub(chinese, detail)
    return detail
