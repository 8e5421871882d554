"""A course told as a number of years ("反反复复三年了", "病史5年", "这两年"): 病程日久 (course.chronic).

The lexicon holds the fixed forms of a long course (多年, 数年, 几年, 年余, 十年), but patients give the number
("三年了", "两年多"), and no list of forms can hold every number. A numeral with 年 and at least
``threshold.chronic_course_years`` of them states the long course; 年前 (three years ago), 年龄, 年轻, 年级 and a
calendar year (2019年) do not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from derm3r.text.extract import RawSpan

if TYPE_CHECKING:
    from derm3r.kb.loader import KnowledgeBase

CHRONIC_TERM = "course.chronic"
THRESHOLD = "threshold.chronic_course_years"
_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
YEARS = re.compile(
    r"(?<![\d年第])(\d{1,2}|[一二两三四五六七八九十]{1,3})(?:多|余)?个?年(?:多|余)?(?![前级龄轻纪代初底末内度份头终])"
)


def _number(numeral: str) -> int | None:
    """The value of a numeral of one or two digits or of Chinese numerals up to 九十九 (两, 十二, 二十)."""
    if numeral.isdigit():
        return int(numeral)
    if "十" not in numeral:
        return _DIGITS.get(numeral) if len(numeral) == 1 else None
    tens, _, units = numeral.partition("十")
    if "十" in units:
        return None
    return (_DIGITS.get(tens, 0) if tens else 1) * 10 + (_DIGITS.get(units, 0) if units else 0)


def duration_spans(kb: KnowledgeBase, lowered: str, taken: Sequence[RawSpan]) -> list[RawSpan]:
    """Spans of a normalised text that state a long course by its number of years.

    Args:
        kb: The knowledge base (the term and the threshold).
        lowered: Text after :func:`derm3r.text.normalize.normalize`.
        taken: Spans already read (a lexicon form such as 十年 is not read twice).

    Returns:
        ``course.chronic`` spans, in text order.
    """
    if CHRONIC_TERM not in kb.terms or THRESHOLD not in kb.thresholds:
        return []
    least = kb.threshold(THRESHOLD)
    found = []
    for match in YEARS.finditer(lowered):
        years = _number(match.group(1))
        start, end = match.span()
        if years is None or years < least or any(span.start < end and start < span.end for span in taken):
            continue
        found.append(RawSpan(start, end, match.group(), CHRONIC_TERM, "exact", 1.0))
    return found
