"""A course told as a number of years ("反反复复三年了", "病史5年", "这两年"): 病程日久 (course.chronic).

The lexicon holds the fixed forms of a long course (多年, 数年, 几年, 年余, 十年), but patients give the number
("三年了", "两年多"), and no list of forms can hold every number. A numeral with 年 and at least
``threshold.chronic_course_years`` of them states the long course; 年前 (three years ago), 年龄, 年轻, 年级 and a
calendar year (2019年) do not. Nor does a remission's length (好了半年, 两年没犯): the time the disease was away is
no course, and its span is read as no sign at all (not a long course, not a healing now).
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

#: A remission and its length, either way round (好了半年, 消了两个月, 停了一年没发; 两年没犯, 半年没长).
_SPAN = (
    r"(?:差不多|将近|快|近|大)?(?:\d{1,2}|[一二两三四五六七八九十半]{1,3})(?:多|余)?个?"
    r"(?:年|月|天|周|星期|礼拜)(?:多|余)?"
)
_AWAY = r"(?:没发|没犯|没长|没再[发犯长起]|不发)"
REMISSION = re.compile(rf"(?:好了|消了|退了|{_AWAY})(?:有|过)?{_SPAN}|{_SPAN}(?:都|也)?{_AWAY}")


def remission_spans(lowered: str) -> list[tuple[int, int]]:
    """Spans of a normalised text that tell how long the disease was away (read as no sign).

    Args:
        lowered: Text after :func:`derm3r.text.normalize.normalize`.

    Returns:
        (start, end) spans, in text order.
    """
    return [match.span() for match in REMISSION.finditer(lowered)]


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


def duration_spans(
    kb: KnowledgeBase, lowered: str, taken: Sequence[RawSpan], blocked: Sequence[tuple[int, int]] = ()
) -> list[RawSpan]:
    """Spans of a normalised text that state a long course by its number of years.

    Args:
        kb: The knowledge base (the term and the threshold).
        lowered: Text after :func:`derm3r.text.normalize.normalize`.
        taken: Spans already read (a lexicon form such as 十年 is not read twice).
        blocked: Spans that must not be read (a remission's length, drug names, extraneous clauses).

    Returns:
        ``course.chronic`` spans, in text order.
    """
    if CHRONIC_TERM not in kb.terms or THRESHOLD not in kb.thresholds:
        return []
    least = kb.threshold(THRESHOLD)
    found = []
    occupied = [(span.start, span.end) for span in taken] + list(blocked)
    for match in YEARS.finditer(lowered):
        years = _number(match.group(1))
        start, end = match.span()
        if years is None or years < least or any(s < end and start < e for s, e in occupied):
            continue
        found.append(RawSpan(start, end, match.group(), CHRONIC_TERM, "exact", 1.0))
    return found
