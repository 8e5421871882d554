"""Red-flag findings the patient has now, read by meaning from every text field and the last responses.

Two readings feed the referral rules (knowledge/rules/red_flags.yaml):

* lexicon terms, through the shared extraction layer (:mod:`derm3r.text`), kept only when asserted —
  present scope (not a relative's, not past or resolved) and not denied;
* red-flag signs described rather than named (knowledge/rules/red_flag_signs.yaml): a site and a
  state said together in one clause ("嘴里和眼睛都烂了", "skin comes off when touched"), read on the
  same normalised text, clauses, negation and scope as the lexicon terms.

Each finding keeps the field and the words it was read from, so a referral can show its evidence.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from derm3r.kb.loader import KnowledgeBase
from derm3r.kb.referral_models import RedFlagSign
from derm3r.schemas.case import Case
from derm3r.text import extract_fields
from derm3r.text.clauses import Clause, split_clauses
from derm3r.text.extract import is_negated, mask
from derm3r.text.normalize import normalize
from derm3r.text.patterns import may_occur
from derm3r.text.resolution import resolved_spans, resolved_term_spans
from derm3r.text.scope import Scope, clause_scopes, now_after, sentences_pointing_back
from derm3r.text.unasserted import blank, unasserted_spans
from derm3r.text.worry import worry_spans

#: An English verb negation just before a sign ("doesn't itch", "has never bled", "isn't really sore"). The
#: shared layer's negators ("no ", "not ") miss contractions; only the word or two before the sign count, so
#: "the sore doesn't heal and bleeds" still states bleeding ("doesn't itch or bleed" denies both).
ENGLISH_NEGATION = re.compile(
    r"\b(?:doesn'?t|don'?t|didn'?t|isn'?t|aren'?t|wasn'?t|weren'?t|hasn'?t|haven'?t|never|without|no longer"
    r"|none of (?:them|these|those|it|my \w+)(?: (?:have|has|had|is|are|was|were))?)"
    r"\s+(?:[a-z]+\s+)?(?:[a-z]+,?\s+(?:or|nor)\s+)?$"
)

#: Clause kinds that never state a sign of the patient (laboratory values, epidemiological screening).
UNREAD_CLAUSES = frozenset({"lab", "epidemiology"})


@dataclass(frozen=True)
class RedFlagFinding:
    """One finding the patient has now, with where it was read."""

    finding_id: str
    label: str
    field: str
    evidence: str


def case_fields(case: Case) -> dict[str, str]:
    """Every text field of the case and the response to each previous prescription, by field name."""
    fields = dict(case.text_fields())
    for index, visit in enumerate(case.previous_visits):
        fields[f"previous_visits[{index}].response"] = visit.response
    return fields


def read_findings(kb: KnowledgeBase, case: Case) -> dict[str, RedFlagFinding]:
    """Read the findings the referral rules use from a case.

    Args:
        kb: The knowledge base (lexicon and red_flag_signs).
        case: The case.

    Returns:
        Finding id (lexicon term or red_flag_sign id) → the first place it was read.
    """
    fields = case_fields(case)
    found: dict[str, RedFlagFinding] = {}
    for mention in extract_fields(kb, fields, semantic=False):
        if mention.asserted and mention.sign_id not in found:
            found[mention.sign_id] = RedFlagFinding(mention.sign_id, mention.label, mention.field, mention.clause)
    for sign in kb.red_flag_signs.values():
        if sign.id in found:
            continue
        stated = next((found[term] for term in sign.terms if term in found), None)
        if stated is not None:
            found[sign.id] = RedFlagFinding(sign.id, sign.label, stated.field, stated.evidence)
            continue
        for field_name, text in fields.items():
            if text and _field_key(field_name) in sign.fields:
                evidence = next(_sign_evidence(sign, text), None)
                if evidence is not None:
                    found[sign.id] = RedFlagFinding(sign.id, sign.label, field_name, evidence)
                    break
    return found


def _field_key(field_name: str) -> str:
    """``previous_visits[2].response`` → ``previous_visits.response`` (how signs name fields)."""
    return re.sub(r"\[\d+\]", "", field_name)


@dataclass(frozen=True)
class _ReadText:
    """One field's text as every sign reads it: normalised, in clauses, with scopes and masks."""

    lowered: str
    clauses: tuple[Clause, ...]
    scopes: tuple[tuple[Scope, int], ...]
    masked: str
    ended: tuple[tuple[str, int, int], ...]
    feared: tuple[tuple[int, int], ...]


@functools.lru_cache(maxsize=256)
def _read_text(text: str) -> _ReadText:
    # Every red-flag sign reads the same few fields: analysing each once instead of once per sign
    # halves the safety check's time.
    # A quoted instruction, a prevention question or an excluded diagnosis names no sign: left unread.
    normalized = normalize(text)
    lowered = blank(normalized, unasserted_spans(normalized))
    clauses = split_clauses(lowered, "")
    scopes = tuple(clause_scopes(lowered, clauses))
    return _ReadText(lowered, tuple(clauses), scopes, mask(lowered, []), tuple(resolved_term_spans(lowered, clauses)),
                     tuple(worry_spans(lowered)))


def _sign_evidence(sign: RedFlagSign, text: str) -> Iterator[str]:
    """Yield the clauses of one field's text that state a sign, as written."""
    read = _read_text(text)
    lowered, masked = read.lowered, read.masked
    # Most signs' words are nowhere in a field: one search of the whole text rules a pattern out before the
    # clause-by-clause reading (about half the safety check's time).
    if not any(all(may_occur(part, lowered) for part in pattern) for pattern in sign.patterns):
        return
    clauses, scopes = list(read.clauses), list(read.scopes)
    exclude = re.compile(sign.exclude) if sign.exclude else None
    for segment in _segments(clauses, sign, lowered):
        if segment.extraneous in UNREAD_CLAUSES and not (sign.lab_clauses and segment.extraneous == "lab"):
            continue
        segment_text = lowered[segment.start : segment.end]
        if exclude is not None and exclude.search(segment_text):
            continue
        for pattern in sign.patterns:
            found = _pattern_at(pattern, sign.window, lowered, masked, segment)
            if found is None:
                continue
            first, start = found
            if sign.named and any(a <= first < b for a, b in read.feared):
                continue  # 会不会是带状疱疹？ — a name asked about
            index = _clause_index(clauses, start)
            ended = any(term in sign.ended_by and a <= start < b for term, a, b in read.ended)
            ended = ended or _resolved(lowered, clauses, first, start)
            scope = _scope_at(start, index, scopes)
            if scope == "past" and now_after(lowered, scopes[index][1], start):
                scope = "present"  # "used to be light brown and is now black in parts"
            if scope == "present" and not ended:
                yield text[segment.start : segment.end].strip()
                return


def _clause_index(clauses: list[Clause], position: int) -> int:
    return next(i for i, clause in enumerate(clauses) if clause.start <= position < max(clause.end, clause.start + 1))


def _resolved(lowered: str, clauses: list[Clause], first: int, latest: int) -> bool:
    """The sign's latest part is resolved, or its first part is when both stand in one clause.

    "The mouth sores healed up weeks ago": the clause's own resolution word stands between the sign's parts.
    """
    if any(a <= latest < b for a, b in resolved_spans(lowered, clauses, [latest])):
        return True
    if _clause_index(clauses, first) != _clause_index(clauses, latest):
        return False
    return any(a <= first < b for a, b in resolved_spans(lowered, clauses, [first]))


def _segments(clauses: list[Clause], sign: RedFlagSign, lowered: str) -> list[Clause]:
    """The stretches a sign's parts must share: each clause, or each sentence (its clauses joined).

    A sentence that opens by pointing back ("我小腿上有颗痣。最近它老是出血。") joins the sentence before it (the
    shared scope reader, :func:`derm3r.text.scope.sentences_pointing_back`).
    """
    return clauses if sign.span == "clause" else sentences_pointing_back(lowered, clauses)


def _pattern_at(pattern: list[str], window: int, lowered: str, masked: str, clause: Clause) -> tuple[int, int] | None:
    """Where every part of a pattern is found, unnegated, within ``window`` characters in a clause.

    The positions returned are the first and the latest part's: the latest's scope decides, so a sign said across a
    past clause and a present one ("以前有颗痣，现在长大出血") is the patient's now.
    """
    segment = lowered[clause.start : clause.end]
    if segment.isascii():
        window *= 3  # an English phrase spends about three letters where Chinese spends one character
    for first in re.finditer(pattern[0], segment):
        anchor = clause.start + first.start()
        parts = [(anchor, clause.start + first.end())]
        low, high = max(clause.start, anchor - window), min(clause.end, anchor + window + len(first.group()))
        for part in pattern[1:]:
            match = re.compile(part).search(lowered, low, high)
            if match is None:
                break
            parts.append((match.start(), match.end()))
        else:
            own = mask(masked, parts)
            if not any(_denied(own, start, end, clause.start) for start, end in parts):
                return min(start for start, _ in parts), max(start for start, _ in parts)
    return None


def _denied(masked: str, start: int, end: int, clause_start: int) -> bool:
    """Denied by the shared negators, or by an English verb negation just before it."""
    return is_negated(masked, start, end) or bool(ENGLISH_NEGATION.search(masked, clause_start, start))


def _scope_at(position: int, clause_index: int, scopes: list[tuple[Scope, int]]) -> Scope:
    scope, offset = scopes[clause_index]
    if position >= offset:
        return scope
    return scopes[clause_index - 1][0] if clause_index > 0 else "present"
