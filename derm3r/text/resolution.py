"""Resolved signs: the stretches of text whose sign got better or went away, or one named sign said to be gone.

Split from :mod:`derm3r.text.scope`, which decides whose sign and when; this decides only whether a sign has ended
("好转", "已愈", "消退", "现在不烧了", a flush gone within minutes), and keeps a later relapse ("停药后复发") standing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from derm3r.text import scope_words as words
from derm3r.text.clauses import Clause
from derm3r.text.healing import healed_sign_clause


def resolved_spans(normalized: str, clauses: Sequence[Clause], mention_starts: Sequence[int]) -> list[tuple[int, int]]:
    """Stretches of text whose signs are resolved (got better or went away).

    Args:
        normalized: The normalised field text.
        clauses: Its clauses.
        mention_starts: Start positions of every sign found in the field.

    Returns:
        ``(start, end)`` spans; a mention starting inside one is past.
    """
    spans: list[tuple[int, int]] = []
    for index, clause in enumerate(clauses):
        text = normalized[clause.start : clause.end]
        marker = _resolution_at(text)
        if marker is None:
            continue
        if _relapse_follows(normalized, clauses, index):
            continue
        marker_at = clause.start + marker
        told_before = healed_sign_clause(normalized, clauses, index, marker)
        if told_before is not None:
            spans.append((clauses[told_before].start, marker_at))
        elif any(clause.start <= start < marker_at for start in mention_starts):
            spans.append((clause.start, marker_at))
        elif index > 0 and clauses[index - 1].sentence == clause.sentence:
            # The clause's own 好转 is about the previous clause's sign too, not a regressing rash.
            previous = clauses[index - 1]
            spans.extend([(previous.start, previous.end), (clause.start, clause.end)])
    return spans


def resolved_term_spans(normalized: str, clauses: Sequence[Clause]) -> list[tuple[str, int, int]]:
    """Where words say one named sign has gone, and the stretch of its sentence they speak of.

    "前几天发烧39度，现在不烧了": a fever mention from the sentence's start up to 不烧了 is past; other signs of the
    sentence are not touched, and a relapse after the words ("退烧后第二天又发烧了") stands after them.

    Args:
        normalized: The normalised field text.
        clauses: Its clauses.

    Returns:
        One ``(term id, sentence start, end of the words)`` per resolving phrase found (data: ``resolved_terms``
        of scope_words.yaml).
    """
    found: list[tuple[str, int, int]] = []
    sentence_start: dict[int, int] = {}
    for clause in clauses:
        opens = clause.sentence not in sentence_start
        sentence_start.setdefault(clause.sentence, clause.start)
        text = normalized[clause.start : clause.end]
        # Words that open their sentence speak of the sentence before too: "前几天发烧39度。现在不烧了。"
        start = sentence_start.get(clause.sentence - 1, clause.start) if opens else sentence_start[clause.sentence]
        for term_id, forms in words.RESOLVED_TERMS.items():
            hits = sorted((at, at + len(form)) for form in forms if (at := text.find(form)) >= 0)
            if hits and not words.NOT_RESOLVED.search(text[max(0, hits[0][0] - 2) : hits[0][0]]):
                # The end of the words: "the fever has gone" holds the fever it resolves.
                found.append((term_id, start, clause.start + hits[0][1]))
    return found


def _resolution_at(text: str) -> int | None:
    for marker in words.RESOLUTION_MARKERS:
        found = text.find(marker)
        if found < 0:
            continue
        denied = words.NOT_RESOLVED.search(text[max(0, found - 3) : found])
        if denied or words.ENGLISH_NOT_RESOLVED.search(text[:found]):
            continue
        if marker.endswith("away") and "press" in text[found : found + 30]:
            continue  # "spots that went away when pressed" blanch: they did not end
        if marker == "消失" and (re.search(r"[压按]之?$", text[:found]) or words.SENSATION_LOST.search(text[:found])):
            continue
        return found
    passing = words.TRANSIENT.search(text)
    if passing is not None and not words.TRANSIENT_HOPE.search(text[: passing.start()]):
        return passing.start()
    return None


def _relapse_follows(normalized: str, clauses: Sequence[Clause], index: int) -> bool:
    sentence = clauses[index].sentence
    for later in clauses[index:]:
        if later.sentence != sentence:
            break
        text = normalized[later.start : later.end]
        start = _resolution_at(text) if later is clauses[index] else 0
        if any(marker in text[start or 0 :] for marker in words.RELAPSE_MARKERS):
            return True
    return False
