"""A fever told from one calendar date to another ("10月2号开始烧，到10月8号还烧", "from 2 Oct to 7 Oct"): its days.

A child's fever of five days or more is NICE NG143's amber feature and AHA 2017's first Kawasaki criterion. Carers
often give the first day and today's date rather than the count, and no list of words can hold every pair of dates,
so the days are counted here: the first date, a later date within the same stretch of text, and the fever going on
up to it. The days are counted inclusively, as a fever's days are (AHA 2017: the first day of fever is day 1), so
10月2号 to 10月6号 is five days.

A pair counts only when the fever is said to go on to the later date: the later date's clause names the fever or a
temperature (到10月8号还烧, "still burning up on 8 March", 今天12月3号了还是三十九度), or the later date closes a range
(从…到10月8号, "from 2 Oct to 7 Oct"). A fever said to have settled before the later date (10月4号就退了，今天10月8号)
ended there: the dates after it count nothing. The span read is the later date, so its clause decides the scope (a
relative's, past, resolved) as for any other mention.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from derm3r.text.clauses import Clause
from derm3r.text.extract import RawSpan

if TYPE_CHECKING:
    from derm3r.kb.loader import KnowledgeBase

FEVER_DAYS_TERM = "course.fever_five_days"
THRESHOLD = "threshold.prolonged_fever_days"
#: Two dates further apart than this are no single fever (a date of birth, last year's visit).
LONGEST_SPAN_DAYS = 60
#: At most this many characters between the first date and the later one.
REACH = 80

_CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMERAL = r"\d{1,2}|[一二三四五六七八九十]{1,3}"
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH_NAME = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ORDINAL = r"(?:st|nd|rd|th)?"
#: 10月2号 / 十月二日 / 12月1日; a day alone only with 号 (5日 is also "five days": 烧咗六日), also after 上个月.
CHINESE_DATE = re.compile(
    rf"(?:(?P<month>{_NUMERAL})月(?P<day>{_NUMERAL})(?:号|日)|(?<!\d)(?<![一二三四五六七八九十]月)(?P<bare>\d{{1,2}})号)"
)
_WEEKDAY_CN = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WEEKDAY_EN = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
#: 周一 / 上星期四 / 这礼拜六 / "monday" / "last thursday": a day of the week, 上 and "last" a week earlier.
WEEKDAY = re.compile(
    r"(?P<last>上个?)?(?:这|本)?(?:周|星期|礼拜)(?P<cn>[一二三四五六日天])"
    r"|\b(?P<last_en>last\s+)?(?P<en>mon|tue|wed|thu|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\b"
)
#: 3 March / 3rd of March / March 3 / Oct 2nd.
ENGLISH_DATE = re.compile(
    rf"\b(?:(?P<day>\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?(?P<month>{_MONTH_NAME})\b"
    rf"|(?P<month2>{_MONTH_NAME})\.?\s+(?P<day2>\d{{1,2}}){_ORDINAL}\b)"
)
#: "from 3 to 8 March": the first day borrows the second's month.
ENGLISH_RANGE = re.compile(
    rf"\bfrom\s+(?P<day>\d{{1,2}}){_ORDINAL}\s*(?:to|until|till|through|-|–)\s*(?P<day2>\d{{1,2}}){_ORDINAL}\s+"
    rf"(?:of\s+)?(?P<month>{_MONTH_NAME})\b"
)
FEVER = re.compile(r"烧(?!伤|烤|饭|菜|水)|发热|高热|低热|热度|\bfever|febrile|pyrexi|temperature|\btemp\b|burning up")
TEMPERATURE = re.compile(r"(?:3[789]|4[012])(?:\.\d)?\s*(?:度|°|℃|c\b)|三十[七八九]度|四十度")
#: The later clause starts a fever rather than continuing one: 周五开始发烧, "started on Friday".
ONSET = re.compile(r"开始|起烧|started|began|start")
#: The fever ended: 退了, 不烧了, "settled", "went down" (not 退烧药, 没退, 退不下去, "not settled").
SETTLED = re.compile(
    r"(?<![没不未冇])(?:退了|退下来了|退下去了|退烧了|烧退了|热退了|就退|已退|不烧了|不发烧了|没再烧|好了|正常了)"
    r"|(?<!not )(?<!n't )\b(?:settled|resolved|went down|came down|broke|subsided|gone)\b"
)
#: Words just before the later date that close a range: 到, 至, 直到, "to", "until".
RANGE_CLOSE = re.compile(
    r"(?:到|至|直到|一直到|烧到|to|until|till|through|-|–|~)\s*"
    r"(?:今天|现在|今日|今仔日|today|now|(?:it'?s|today is))?\s*$"
)


#: A fever since the first date (从…, 自从…, Hokkien 對…, "since …") …
SINCE = re.compile(r"(?:since|从|自从|打从|对|由)\s*$")
#: … and the later date said as today's (今天3号, "it's Tuesday now", "today is Saturday"): the fever goes on to it.
TODAY = re.compile(r"(?:今天|现在|今日|今仔日|today is|it'?s)\s*(?:是)?\s*$")


@dataclass(frozen=True)
class _Date:
    start: int
    end: int
    month: int | None
    day: int
    weekday: int | None = None  # a day of the week: 0 Monday … 6 Sunday, -7 … -1 the week before


def fever_date_spans(
    kb: KnowledgeBase, lowered: str, clauses: Sequence[Clause], blocked: Sequence[tuple[int, int]] = ()
) -> list[RawSpan]:
    """Spans (the later date) where a fever told from one date to another lasts the threshold's days or more.

    Args:
        kb: The knowledge base (the term and ``threshold.prolonged_fever_days``).
        lowered: Text after :func:`derm3r.text.normalize.normalize`.
        clauses: Its clauses (:func:`derm3r.text.clauses.split_clauses`).
        blocked: Spans that must not be read (drug names, extraneous clauses).

    Returns:
        ``course.fever_five_days`` spans, in text order.
    """
    if FEVER_DAYS_TERM not in kb.terms or THRESHOLD not in kb.thresholds or not FEVER.search(lowered):
        return []
    least = kb.threshold(THRESHOLD)
    dates = _dates(lowered)
    found: dict[int, RawSpan] = {}
    for index, first in enumerate(dates):
        if any(s <= first.start < e for s, e in blocked):
            continue
        for later in dates[index + 1 :]:
            if later.start - first.end > REACH:
                break
            between = lowered[first.end : later.start]
            if SETTLED.search(between):
                break  # the fever ended before the later date (10月4号就退了，今天10月8号)
            clause = _clause_text(lowered, clauses, later.start)
            if SETTLED.search(clause) and not RANGE_CLOSE.search(between):
                break
            if ONSET.search(lowered[later.end : later.end + 12]):
                break  # 10月8号开始发烧: the fever began on the later date
            # The fever is said at the first date or on the way to the later one: 10月1号起疹子，10月8号发烧 is
            # no span.
            said_fever = FEVER.search(_clause_text(lowered, clauses, first.start) + between)
            goes_on = FEVER.search(clause) or TEMPERATURE.search(clause) or RANGE_CLOSE.search(between)
            since = SINCE.search(lowered[max(0, first.start - 8) : first.start])
            goes_on = goes_on or (since and TODAY.search(between))
            days = _days_between(first, later)
            if said_fever and goes_on and days is not None and days + 1 >= least:
                found.setdefault(
                    later.start,
                    RawSpan(later.start, later.end, lowered[later.start : later.end], FEVER_DAYS_TERM, "exact", 1.0),
                )
    return sorted(found.values(), key=lambda span: span.start)


def _dates(lowered: str) -> list[_Date]:
    """Every calendar date of the text, in order (a day without a month borrows the month before it, if any)."""
    dates: list[_Date] = []
    for match in CHINESE_DATE.finditer(lowered):
        if match.group("bare"):
            dates.append(_Date(match.start(), match.end(), None, int(match.group("bare"))))
            continue
        month, day = _number(match.group("month")), _number(match.group("day"))
        if month is not None and day is not None:
            dates.append(_Date(match.start(), match.end(), month, day))
    for match in ENGLISH_RANGE.finditer(lowered):
        month = _MONTHS[match.group("month")]
        dates.append(_Date(match.start("day"), match.end("day"), month, int(match.group("day"))))
    for match in ENGLISH_DATE.finditer(lowered):
        name, digits = match.group("month") or match.group("month2"), match.group("day") or match.group("day2")
        dates.append(_Date(match.start(), match.end(), _MONTHS[name], int(digits)))
    for match in WEEKDAY.finditer(lowered):
        day = _WEEKDAY_CN[match.group("cn")] if match.group("cn") else _WEEKDAY_EN[match.group("en")]
        earlier = bool(match.group("last") or match.group("last_en"))
        dates.append(_Date(match.start(), match.end(), None, 1, day - 7 if earlier else day))
    dates.sort(key=lambda found: found.start)
    return [found for found in dates if 1 <= found.day <= 31 and (found.month is None or 1 <= found.month <= 12)]


def _days_between(first: _Date, later: _Date) -> int | None:
    """Days from one date to a later one; a later date before the first in the year is in the next year.

    Days of the week count within a week (周一 … 周六 is five days on); a later weekday before the first is in the
    next week (从周五烧到周三), and 上周四 is a week before 周四.
    """
    if first.weekday is not None or later.weekday is not None:
        if first.weekday is None or later.weekday is None:
            return None
        span = later.weekday - first.weekday
        return span if span > 0 else span + 7
    if first.month is None or later.month is None:
        if first.month is not None or later.month is not None:
            return None  # 10月2号 … 8号 reads as the same month only when both say it, or neither does
        span = later.day - first.day if later.day >= first.day else later.day + 30 - first.day
        return span if span <= LONGEST_SPAN_DAYS else None
    try:
        # 2024 is a leap year, so 2月29号 is a date; the year itself never matters, only the distance.
        start, end = date(2024, first.month, first.day), date(2024, later.month, later.day)
    except ValueError:
        return None
    span = (end - start).days
    if span < 0:
        span = (date(2025, later.month, min(later.day, 28 if later.month == 2 else later.day)) - start).days
    return span if 0 <= span <= LONGEST_SPAN_DAYS else None


def _clause_text(lowered: str, clauses: Sequence[Clause], position: int) -> str:
    clause = next((c for c in clauses if c.start <= position < max(c.end, c.start + 1)), None)
    return lowered[clause.start : clause.end] if clause is not None else ""


def _number(numeral: str) -> int | None:
    """The value of one or two digits, or of Chinese numerals up to 三十一 (十, 十二, 二十八)."""
    if numeral.isdigit():
        return int(numeral)
    if "十" not in numeral:
        return _CN.get(numeral) if len(numeral) == 1 else None
    tens, _, units = numeral.partition("十")
    if "十" in units:
        return None
    return (_CN.get(tens, 0) if tens else 1) * 10 + (_CN.get(units, 0) if units else 0)
