"""Sign words in a figurative or everyday sense (心里痒痒, 让人头疼, 笑得肚子疼, "itching to"): no sign.

The idioms are data (derm3r/text/data/figurative.yaml); their spans are kept from every reading, as drug names are,
so the sign words inside them are never read while the rest of the clause still is.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

import yaml


@functools.lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    text = resources.files("derm3r.text").joinpath("data/figurative.yaml").read_text(encoding="utf-8")
    forms = [str(form) for form in yaml.safe_load(text)["figurative"]]
    return re.compile("|".join(f"(?:{form})" for form in forms))


def figurative_spans(lowered: str) -> list[tuple[int, int]]:
    """Spans of a normalised text whose sign words are said figuratively.

    Args:
        lowered: Text after :func:`derm3r.text.normalize.normalize`.

    Returns:
        (start, end) spans, in text order.
    """
    return [match.span() for match in _pattern().finditer(lowered)]
