"""A feared disease asked about (会不会是癌？, 是不是带状疱疹？, "Is it melanoma?"): the name is a worry, not a finding.

The openers are data (derm3r/text/data/worry_words.yaml). :func:`worry_spans` gives, for each opener, the few
characters after it where a feared name stands; :mod:`derm3r.text.mentions` gives a disease name or a named red flag
starting there the scope ``hypothetical``. Signs are not names: "会不会是过敏？嗓子发紧" still states a tight throat,
and the red-flag sign patterns (knowledge/rules/red_flag_signs.yaml) read a sign inside the question as usual.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from typing import Any

import yaml

#: Lexicon categories that name a disease rather than describe a sign.
NAMED_CATEGORIES = frozenset({"disease_name", "red_flag"})
_STOP = re.compile(r"[，,。.;；!！?？\n]")


def _words() -> dict[str, Any]:
    text = resources.files("derm3r.text").joinpath("data/worry_words.yaml").read_text(encoding="utf-8")
    return dict(yaml.safe_load(text))


#: Words with a negator inside that deny nothing after them: "don't know why" (不知道为什么…) and a worry question's
#: own 不 (会不会…, 是不是…); :mod:`derm3r.text.extract` masks them as pseudo-negations.
NOT_DENYING: tuple[str, ...] = tuple(str(word) for word in _words()["not_denying"])


@functools.lru_cache(maxsize=1)
def _openers() -> tuple[re.Pattern[str], int]:
    raw = _words()
    forms = sorted((str(word) for word in raw["openers"]), key=len, reverse=True)
    alternatives = [rf"\b{re.escape(word)}\b" if word.isascii() else re.escape(word) for word in forms]
    return re.compile("|".join(alternatives)), int(raw["gap"])


def worry_spans(lowered: str) -> list[tuple[int, int]]:
    """Where a feared name may start after each worry opener of a normalised text.

    Args:
        lowered: Text after :func:`derm3r.text.normalize.normalize`.

    Returns:
        ``(start, end)`` windows, in text order: a name whose first character lies inside one is only feared.
    """
    pattern, gap = _openers()
    windows = []
    for match in pattern.finditer(lowered):
        limit = gap * 3 if match.group().isascii() else gap
        stop = _STOP.search(lowered, match.end())
        end = min(match.end() + limit + 1, stop.start() if stop else len(lowered))
        windows.append((match.end(), end))
    return windows
