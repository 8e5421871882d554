"""User-facing messages in Chinese (default) and English, one table for the CLI, reports and web page.

The table is ``messages.yaml`` beside this module: ``key: {zh: …, en: …}`` with ``str.format`` fields.
A page can take the whole table of one language with :func:`messages`.
"""

from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources
from typing import Any, Literal, cast

import yaml

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
DEFAULT_LANG: Lang = "zh"


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, str]]:
    text = resources.files(__package__).joinpath("messages.yaml").read_text(encoding="utf-8")
    return cast(dict[str, dict[str, str]], yaml.safe_load(text))


def default_lang() -> Lang:
    """The language when none is given: ``DERM3R_LANG`` if it names one, else Chinese."""
    value = os.environ.get("DERM3R_LANG", DEFAULT_LANG)
    return cast(Lang, value) if value in LANGS else DEFAULT_LANG


def t(key: str, lang: str | None = None, /, **fields: Any) -> str:
    """The message ``key`` in ``lang``, its ``{fields}`` filled in.

    Args:
        key: The message's key in messages.yaml.
        lang: ``zh`` or ``en`` (default: :func:`default_lang`).
        **fields: Values of the message's format fields.

    Returns:
        The message; a key missing from the table is returned as it is, so a gap shows rather than fails.
    """
    entry = _table().get(key)
    if entry is None:
        return key
    text = entry.get(lang or default_lang()) or entry[DEFAULT_LANG]
    return text.format(**fields) if fields else text


def messages(lang: str | None = None) -> dict[str, str]:
    """Every message of one language (for a web page's string table).

    Args:
        lang: ``zh`` or ``en`` (default: :func:`default_lang`).

    Returns:
        Key → message with its format fields unfilled.
    """
    chosen = lang or default_lang()
    return {key: entry.get(chosen) or entry[DEFAULT_LANG] for key, entry in _table().items()}
