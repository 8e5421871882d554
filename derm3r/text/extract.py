"""Find lexicon terms in case text, longest match first, with negation scope.

Chinese clinical notes negate with a leading particle whose scope runs to the end of the clause
("无发热、口渴" denies both), so a match is negated when a negator precedes it in its clause with no
scope breaker (但, 伴 …) in between. Words that contain a negator but do not negate (无明显诱因,
非常, 不断 …) are masked first, as are the other matched terms (边界不清 is a finding, not a denial).
Pulse qualities are single characters (弦, 滑, 数 …) and are read only inside a pulse description.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from derm3r.kb.models import LexiconTerm

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
    "no ",
    "not ",
    "denies ",
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
)
SCOPE_BREAKERS = ("但", "而", "伴", "仍", "却", "可见", "并见", "兼", "现", "but ", "with ")
POST_NEGATORS = ("不明显", "（-）", "(-)", "阴性", "不显")
CLAUSE_DELIMITERS = re.compile(r"[，,。.;；!！?？\n:：]")
PULSE_MARKERS = ("脉", "pulse")
_ASCII_LETTER = re.compile(r"[a-z]")


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


class LexiconMatcher:
    """Matches a lexicon in text. Build once per knowledge base; matching is pure."""

    def __init__(self, terms: Iterable[LexiconTerm]) -> None:
        """Index every surface form of every term.

        Args:
            terms: The lexicon terms of the knowledge base.
        """
        self._general: dict[str, list[tuple[str, str]]] = {}
        self._pulse: dict[str, str] = {}
        for term in terms:
            surfaces = {term.label, *term.synonyms}
            for surface in surfaces:
                key = surface.lower()
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
            text: The text to read.
            field: The case field the text came from ("pulse" makes the whole text a pulse description).

        Returns:
            Matches in text order.
        """
        lowered = text.lower()
        spans = self._general_spans(lowered)
        spans.extend(self._pulse_spans(lowered, whole_text=field == "pulse", taken=spans))
        spans.sort(key=lambda span: span[0])
        masked = _mask(lowered, [(start, end) for start, end, _, _ in spans])
        matches = []
        for start, end, surface, term_id in spans:
            negated = _is_negated(masked, start, end)
            clause_start, clause_end = _clause_bounds(text, start, end)
            matches.append(
                TermMatch(term_id, surface, field, start, end, negated, text[clause_start:clause_end].strip())
            )
        return matches

    def _general_spans(self, lowered: str) -> list[tuple[int, int, str, str]]:
        spans = []
        index = 0
        while index < len(lowered):
            matched = None
            for surface, term_id in self._general.get(lowered[index], ()):
                if lowered.startswith(surface, index) and _ascii_boundary_ok(lowered, index, surface):
                    matched = (index, index + len(surface), surface, term_id)
                    break
            if matched:
                spans.append(matched)
                index = matched[1]
            else:
                index += 1
        return spans

    def _pulse_spans(
        self, lowered: str, *, whole_text: bool, taken: list[tuple[int, int, str, str]]
    ) -> list[tuple[int, int, str, str]]:
        segments: list[tuple[int, int]] = []
        if whole_text:
            segments.append((0, len(lowered)))
        else:
            for marker in PULSE_MARKERS:
                for found in re.finditer(re.escape(marker), lowered):
                    delimiter = CLAUSE_DELIMITERS.search(lowered, found.end())
                    segments.append((found.end(), delimiter.start() if delimiter else len(lowered)))
        occupied = [(start, end) for start, end, _, _ in taken]
        spans = []
        for seg_start, seg_end in segments:
            index = seg_start
            while index < seg_end:
                matched = None
                for word in self._pulse_words:
                    if lowered.startswith(word, index) and index + len(word) <= seg_end:
                        if not any(start <= index < end for start, end in occupied):
                            matched = (index, index + len(word), word, self._pulse[word])
                        break
                if matched:
                    spans.append(matched)
                    occupied.append((matched[0], matched[1]))
                    index = matched[1]
                else:
                    index += 1
        return spans


def _ascii_boundary_ok(text: str, index: int, surface: str) -> bool:
    """English words must start at a word boundary ("red" must not match inside "bored")."""
    if not surface[0].isascii() or index == 0:
        return True
    return not _ASCII_LETTER.match(text[index - 1])


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        for position in range(start, end):
            chars[position] = "□"
    masked = "".join(chars)
    for phrase in PSEUDO_NEGATIONS:
        masked = masked.replace(phrase, "□" * len(phrase))
    return masked


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    before = [m.end() for m in CLAUSE_DELIMITERS.finditer(text, 0, start)]
    after = CLAUSE_DELIMITERS.search(text, end)
    return (before[-1] if before else 0), (after.start() if after else len(text))


def _is_negated(masked: str, start: int, end: int) -> bool:
    clause_start, clause_end = _clause_bounds(masked, start, end)
    prefix = masked[clause_start:start]
    negator_at = max((prefix.rfind(word) for word in NEGATORS), default=-1)
    breaker_at = max((prefix.rfind(word) for word in SCOPE_BREAKERS), default=-1)
    if negator_at >= 0 and negator_at > breaker_at:
        return True
    suffix = masked[end:clause_end].lstrip()
    return any(suffix.startswith(word) for word in POST_NEGATORS)
