"""Find lexicon terms in case text, longest match first, with negation scope.

Chinese clinical notes negate with a leading particle whose scope runs to the end of the clause
("无发热、口渴" denies both), so a match is negated when a negator precedes it in its clause with no
scope breaker (但, 伴 …) in between. Words that contain a negator but do not negate (无明显诱因,
非常, 不断 …) are masked first, as are the other matched terms (边界不清 is a finding, not a denial).
Pulse qualities are single characters (弦, 滑, 数 …) and are read only inside a pulse description.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from derm3r.kb.models import LexiconTerm
from derm3r.text.attributive import ATTRIBUTIVE_DENIAL
from derm3r.text.normalize import normalize
from derm3r.text.worry import NOT_DENYING

NEGATORS = (
    "无明显",
    "否认",
    "未见",
    "没有",
    "未诉",
    "未有",
    "无",
    "未",
    "不",
    "非",
    "没",
    "否",
    # Cantonese 冇/冇有 ("not have", 冇發燒 = 没有发烧); Cantonese 唔 and Hokkien 毋/袂 are read as 不 (normalize.py)
    "冇",
    "no ",
    "not ",
    "denies ",
    # English verb negations ("never bleeds", "without fever", "doesn't itch"): a denied sign, within its clause.
    "never ",
    "without ",
    "doesn't ",
    "does not ",
    "didn't ",
    "isn't ",
    "don't ",
    "haven't ",
    "hasn't ",
    "hadn't ",
    "aren't ",
    "wasn't ",
    "weren't ",
)
PSEUDO_NEGATIONS = (
    "无明显诱因",
    "无诱因",
    "无明显原因",
    "无明显好转",
    "非常",
    "不断",
    "不停",
    "不久",
    # "not long after": time words, not denials ("吃完螃蟹没多久浑身发痒" is an itch that came on soon)
    "没多久",
    "没过多久",
    "没一会",
    "不一会",
    "没几分钟",
    "没几天",
    "不少",
    "不同",
    "不仅",
    "不但",
    "不论",
    "不管",
    "不愈",
    "未愈",
    "无效",
    "不佳",
    "未控制",
    "不明原因",
    # "about" and "more than": quantity words ("差不多39度", "不止一处"), which deny nothing after them
    "差不多",
    "不止",
    # "sterile": 无菌性脓疱 is pustular psoriasis's own sign (中国银屑病诊疗指南 2023), not a denied pustule
    "无菌",
    # "don't know why" (不知道为什么全身起风团) and a worry question's own 不 (会不会是…) deny nothing after them
    *NOT_DENYING,
)
#: A denial stops at these: "不过" is "but" ("有颗痣，不过最近出血了"), so its 不 denies nothing after it.
SCOPE_BREAKERS = ("但", "而", "伴", "仍", "却", "可见", "并见", "兼", "现", "不过", "but ", "with ")
#: Words before a negator that deny it in turn (也不是不痒 is an itch, "it's not that it doesn't itch" too; Cantonese
#: 唔係冇發燒 (不系冇); 没有不发烧的时候 is a fever all the time).
DOUBLE_NEGATION = re.compile(r"(?:没有?|不是|不系|并非|并不是|不能说|谈不上|not that(?: it| they| he| she| i)?)\s*$")
#: After a site word, words that make it a size (指甲盖那么大, 手掌大小): a comparison, not where the lesion is;
#: 面部大小不等 and 手背大小约3cm keep their site.
SIZE_AFTER = re.compile(r"(?:盖儿?)?(?:(?:那么|这么|一样|般|似的)大|大小(?![不各约]))")
POST_NEGATORS = ("不明显", "（-）", "(-)", "阴性", "不显")
CLAUSE_DELIMITERS = re.compile(r"[，,。.;；!！?？\n:：]")
#: The same delimiters as characters, for a reverse search (str.rfind) from a span back to its clause's start.
CLAUSE_DELIMITER_CHARS = "，,。.;；!！?？\n:："
PULSE_MARKERS = ("脉", "pulse")
_ASCII_LETTER = re.compile(r"[a-z]")
#: Degree and filler characters a fuzzy match may skip inside a surface form (never a negator).
#: 更 (more) is a degree word too; 咗 and 紧 are Cantonese aspect particles (起咗 = 起了, 流紧黄水 = 流着黄水).
FILLERS = frozenset("很较偏稍略有点些的了都也特别常十分比明显极甚太挺蛮颇尤更咗紧")
#: Filler words skipped as one (嗓子也有点发紧, 鸽子蛋那么大): a hedge or a comparison word is one degree word.
FILLER_WORDS = ("有点儿", "有点", "有些", "那么", "这么", "一样")
#: Characters typed for 得 in a degree complement: 的 (痒的受不了) and, in Cantonese and Taiwanese, 到 (痒到睡不着).
DE_VARIANTS = frozenset("的到")
FUZZY_MIN_CHARS = 3
#: Read even inside an extraneous clause: a red flag in a lab line (抗核抗体阳性) still refers.
ALWAYS_READ = frozenset({"red_flag"})
#: Categories whose long forms may state a term of another category inside them (红色丘疹 → 红色).
#: Disease names, tongue, pulse and red-flag forms are read whole (银屑病 does not state 银屑).
NESTING_CATEGORIES = frozenset({"morphology", "symptom", "distribution", "course", "scale", "itch", "shape", "border"})
#: (outer, inner) category pairs never read nested: a symptom's words state no skin lesion (口腔溃疡 is no
#: skin ulcer), a size or shape states no body site (掌心大小的斑块 is not on the palm), an asymmetric shape
#: (不对称, asymmetric) states no symmetric distribution.
NOT_NESTED = frozenset({("symptom", "morphology"), ("shape", "site"), ("shape", "distribution")})
FUZZY_MAX_FILLERS = 2
MatchMethod = Literal["exact", "fuzzy", "composed"]


@dataclass(frozen=True)
class RawSpan:
    """A lexicon surface form found at a place in a normalised text."""

    start: int
    end: int
    surface: str
    term_id: str
    method: MatchMethod
    score: float


@dataclass(frozen=True)
class TermMatch:
    """One lexicon term found in one text field."""

    term_id: str
    surface: str
    field: str
    start: int
    end: int
    negated: bool
    context: str
    method: MatchMethod = "exact"


class LexiconMatcher:
    """Matches a lexicon in text. Build once per knowledge base; matching is pure."""

    def __init__(self, terms: Iterable[LexiconTerm]) -> None:
        """Index every surface form of every term.

        Args:
            terms: The lexicon terms of the knowledge base.
        """
        self._general: dict[str, list[tuple[str, str]]] = {}
        self._pulse: dict[str, str] = {}
        self._categories: dict[str, str] = {}
        #: Acronyms (SLE, DLE) are whole words: a prefix match would read "sleep" as lupus.
        self._acronyms: set[str] = set()
        for term in terms:
            self._categories[term.id] = term.category
            surfaces = {term.label, *term.synonyms}
            for surface in surfaces:
                key = surface.lower()
                if surface.isascii() and surface.isupper():
                    self._acronyms.add(key)
                if term.category == "pulse":
                    self._pulse[key] = term.id
                else:
                    self._general.setdefault(key[0], []).append((key, term.id))
        for candidates in self._general.values():
            candidates.sort(key=lambda item: len(item[0]), reverse=True)
        self._pulse_words = sorted(self._pulse, key=len, reverse=True)

    def find(self, text: str, field: str) -> list[TermMatch]:
        """Return every term occurrence in a text, each marked negated or not.

        Args:
            text: The text to read (traditional characters and full-width forms are normalised).
            field: The case field the text came from ("pulse" makes the whole text a pulse description).

        Returns:
            Matches in text order.
        """
        lowered = normalize(text)
        spans = self.spans(lowered, field)
        masked = mask(lowered, [(span.start, span.end) for span in spans])
        matches = []
        for span in spans:
            negated = is_negated(masked, span.start, span.end)
            clause_start, clause_end = _clause_bounds(text, span.start, span.end)
            matches.append(
                TermMatch(
                    span.term_id,
                    span.surface,
                    field,
                    span.start,
                    span.end,
                    negated,
                    text[clause_start:clause_end].strip(),
                    span.method,
                )
            )
        return matches

    def spans(self, lowered: str, field: str, blocked: Sequence[tuple[int, int]] = ()) -> list[RawSpan]:
        """Exact and fuzzy lexicon spans of a normalised text, in text order.

        Args:
            lowered: Text after :func:`derm3r.text.normalize.normalize`.
            field: The case field ("pulse" reads the whole text as a pulse description).
            blocked: Spans that must not be read (masked drug names, extraneous clauses).

        Returns:
            Non-overlapping spans.
        """
        found = [
            span
            for span in self._general_spans(lowered, blocked)
            if not (self._categories.get(span.term_id) == "site" and SIZE_AFTER.match(lowered, span.end))
        ]
        found.extend(self._pulse_spans(lowered, whole_text=field == "pulse", taken=[*found, *blocked]))
        found.sort(key=lambda span: span.start)
        return found

    def _general_spans(self, lowered: str, blocked: Sequence[tuple[int, int]]) -> list[RawSpan]:
        spans = []
        free = [True] * len(lowered)
        for start, end in blocked:
            for position in range(start, min(end, len(lowered))):
                free[position] = False
        index = 0
        while index < len(lowered):
            matched = self._exact_at(lowered, index, free)
            if free[index]:
                # A longer form read with a degree word or 的/到 inside beats a shorter verbatim one at the same
                # place: 痒的厉害 is 痒得厉害 (a severe itch), not 痒 followed by words.
                fuzzy = self._fuzzy_at(lowered, index, free)
                if fuzzy is not None and (matched is None or fuzzy.end > matched.end):
                    matched = fuzzy
            if matched:
                spans.append(matched)
                spans.extend(self._nested(lowered, matched))
                index = matched.end
            else:
                index += 1
        return spans

    def _nested(self, lowered: str, outer: RawSpan) -> list[RawSpan]:
        """Terms of other categories said inside a longer form: 红色丘疹 also states 红色, 头皮瘙痒 头皮."""
        outer_category = self._categories.get(outer.term_id)
        if outer_category not in NESTING_CATEGORIES:
            return []
        inner: list[RawSpan] = []
        index = outer.start + (0 if outer.end - outer.start > 2 else outer.end)
        while index < outer.end:
            found = None
            for surface, term_id in self._general.get(lowered[index], ()):
                end = index + len(surface)
                inside = end <= outer.end and end - index < outer.end - outer.start
                # English inner words start at a word boundary too ("for years" holds no "ears").
                if inside and lowered.startswith(surface, index) and self._bounded(lowered, index, surface):
                    category = self._categories.get(term_id)
                    if category != outer_category and category in NESTING_CATEGORIES | {"color", "site"} and (
                        (outer_category, category) not in NOT_NESTED
                    ):
                        found = RawSpan(index, end, surface, term_id, "exact", 1.0)
                        break
            if found:
                inner.append(found)
                index = found.end
            else:
                index += 1
        return inner

    def _bounded(self, lowered: str, index: int, surface: str) -> bool:
        return _ascii_boundary_ok(lowered, index, surface, surface in self._acronyms)

    def _exact_at(self, lowered: str, index: int, free: list[bool]) -> RawSpan | None:
        for surface, term_id in self._general.get(lowered[index], ()):
            end = index + len(surface)
            # The cheap test first: most candidate forms do not stand here at all.
            if not lowered.startswith(surface, index):
                continue
            if not self._bounded(lowered, index, surface):
                continue
            if all(free[index:end]) or self._categories.get(term_id) in ALWAYS_READ:
                return RawSpan(index, end, surface, term_id, "exact", 1.0)
        return None

    def _fuzzy_at(self, lowered: str, index: int, free: list[bool]) -> RawSpan | None:
        """A surface form of three or more characters with degree words inside (疱壁很紧张, 皮损明显肥厚)."""
        for surface, term_id in self._general.get(lowered[index], ()):
            if len(surface) < FUZZY_MIN_CHARS or surface.isascii():
                continue
            end = _match_with_fillers(lowered, index, surface)
            if end is not None and all(free[index:end]):
                return RawSpan(index, end, surface, term_id, "fuzzy", round(len(surface) / (end - index), 3))
        return None

    def _pulse_spans(self, lowered: str, *, whole_text: bool, taken: Sequence[Any]) -> list[RawSpan]:
        segments: list[tuple[int, int]] = []
        if whole_text:
            segments.append((0, len(lowered)))
        else:
            for marker in PULSE_MARKERS:
                for found in re.finditer(re.escape(marker), lowered):
                    delimiter = CLAUSE_DELIMITERS.search(lowered, found.end())
                    segments.append((found.end(), delimiter.start() if delimiter else len(lowered)))
        occupied = [(item.start, item.end) if isinstance(item, RawSpan) else (item[0], item[1]) for item in taken]
        spans = []
        for seg_start, seg_end in segments:
            index = seg_start
            while index < seg_end:
                matched = None
                for word in self._pulse_words:
                    if lowered.startswith(word, index) and index + len(word) <= seg_end:
                        if not any(start <= index < end for start, end in occupied):
                            matched = RawSpan(index, index + len(word), word, self._pulse[word], "exact", 1.0)
                        break
                if matched:
                    spans.append(matched)
                    occupied.append((matched.start, matched.end))
                    index = matched.end
                else:
                    index += 1
        return spans


def _ascii_boundary_ok(text: str, index: int, surface: str, whole_word: bool = False) -> bool:
    """English words must start at a word boundary ("red" must not match inside "bored"); acronyms end at one too."""
    if not surface[0].isascii():
        return True
    if index > 0 and _ASCII_LETTER.match(text[index - 1]):
        return False
    end = index + len(surface)
    return not (whole_word and end < len(text) and _ASCII_LETTER.match(text[end]))


def _match_with_fillers(lowered: str, index: int, surface: str) -> int | None:
    """End of ``surface`` read from ``index`` with up to ``FUZZY_MAX_FILLERS`` degree words between its characters."""
    position, skipped, substituted = index, 0, False
    for offset, char in enumerate(surface):
        while offset and position < len(lowered) and not _same(lowered[position], char):
            word = next((word for word in FILLER_WORDS if lowered.startswith(word, position)), None)
            if word is None and lowered[position] not in FILLERS:
                break
            position += len(word or " ")
            skipped += 1
            if skipped > FUZZY_MAX_FILLERS:
                return None
        if position >= len(lowered) or not _same(lowered[position], char):
            return None
        substituted = substituted or lowered[position] != char
        position += 1
    return position if skipped or substituted else None


def _same(written: str, char: str) -> bool:
    """A text character stands for a form's character: itself, or 的/到 typed for the complement 得."""
    return written == char or (char == "得" and written in DE_VARIANTS)


def mask(text: str, spans: list[tuple[int, int]]) -> str:
    """Blank out matched spans and pseudo-negations, so only real negators remain visible."""
    chars = list(text)
    for start, end in spans:
        for position in range(start, end):
            chars[position] = "□"
    masked = "".join(chars)
    for phrase in PSEUDO_NEGATIONS:
        masked = masked.replace(phrase, "□" * len(phrase))
    return masked


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    # The nearest delimiter before the span, found backwards: scanning from the text's start cost every
    # mention of a long field a pass over all that came before it.
    before = max(text.rfind(char, 0, start) for char in CLAUSE_DELIMITER_CHARS)
    after = CLAUSE_DELIMITERS.search(text, end)
    return before + 1, (after.start() if after else len(text))


def is_negated(masked: str, start: int, end: int) -> bool:
    """Whether the span at ``start:end`` of a masked text is denied within its clause."""
    clause_start, clause_end = _clause_bounds(masked, start, end)
    prefix = masked[clause_start:start]
    negator_at = max((prefix.rfind(word) for word in NEGATORS), default=-1)
    breaker_at = max((prefix.rfind(word) for word in SCOPE_BREAKERS), default=-1)
    if negator_at >= 0 and negator_at > breaker_at and not ATTRIBUTIVE_DENIAL.match(prefix[negator_at:]):
        # 不是不痒 / 不能说不疼 / "not that it doesn't itch": a denial denied is the sign stated.
        return DOUBLE_NEGATION.search(prefix[:negator_at]) is None
    suffix = masked[end:clause_end].lstrip()
    return any(suffix.startswith(word) for word in POST_NEGATORS)
