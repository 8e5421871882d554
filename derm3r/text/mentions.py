"""``extract``: every sign a case's text states, with whose it is, when, how it was read and where.

This is the one extraction layer of derm3r: the knowledge engine reads its signs from it, and the
safety check reads red flags and patient facts from it. Each :class:`Mention` is traceable to the
words it came from (field, span, text) and carries:

* ``negated`` — denied in its clause (无/未见/否认 …, or 不明显/(-) after it);
* ``scope`` — ``present`` (the patient now), ``past`` (past history, or a sign that got better or
  went away), ``family`` (a relative's) or ``hypothetical`` (a disease name asked about: 会不会是癌？,
  :mod:`derm3r.text.worry`);
* ``method`` — ``lexicon`` (a surface form verbatim), ``fuzzy`` (a surface form with degree words
  inside it), ``semantic`` (a leftover piece of a clause read by the sentence encoder) or ``composed``
  (several terms of one clause that together state a term, :mod:`derm3r.text.compose`);
* ``score`` — 1.0 for lexicon, lower for fuzzy and semantic readings;
* ``extraneous`` is never set on a mention: lab, drug, screening, occupation and solar-term
  clauses produce no mentions at all (see :mod:`derm3r.text.clauses`).

Example::

    from derm3r.text import extract
    for mention in extract(kb, case):
        if mention.asserted:            # present, not negated
            print(mention.sign_id, mention.field, mention.span, mention.text)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import TYPE_CHECKING, Literal

from derm3r.text.clauses import Clause, drug_spans, split_clauses
from derm3r.text.compose import composed_spans
from derm3r.text.duration import duration_spans, remission_spans
from derm3r.text.exposure import EXPOSURE_TERM, drug_exposure_spans
from derm3r.text.extract import LexiconMatcher, RawSpan, is_negated, mask
from derm3r.text.fever_dates import fever_date_spans
from derm3r.text.figurative import figurative_spans
from derm3r.text.memo import BoundedCache
from derm3r.text.normalize import normalize
from derm3r.text.resolution import resolved_spans, resolved_term_spans
from derm3r.text.scope import Scope, clause_scopes
from derm3r.text.semantic import SemanticMatcher, leftover_pieces
from derm3r.text.told import told_spans
from derm3r.text.unasserted import unasserted_spans
from derm3r.text.worry import NAMED_CATEGORIES, worry_spans

if TYPE_CHECKING:
    from derm3r.kb.loader import KnowledgeBase
    from derm3r.kb.models import LexiconTerm
    from derm3r.schemas.case import Case

Method = Literal["lexicon", "fuzzy", "semantic", "composed"]
#: Readings kept per knowledge base: a consultation reads each field twice (the engine by meaning, the safety
#: check by words) and short fields (tongue, pulse) recur from case to case; a few dozen covers that reuse
#: without turning into a replay cache of whole notes.
READINGS_KEPT = 64
#: (text, field, read by meaning) → the mentions read there.
Readings = BoundedCache[tuple[str, str, bool], tuple["Mention", ...]]


@dataclass(frozen=True)
class Mention:
    """One sign read from one place in the case text."""

    sign_id: str
    label: str
    category: str
    field: str
    span: tuple[int, int]
    text: str
    clause: str
    negated: bool
    scope: Scope
    method: Method
    score: float

    @property
    def asserted(self) -> bool:
        """The patient has this sign now: present scope and not denied."""
        return self.scope == "present" and not self.negated


@dataclass
class TextReader:
    """The matchers of one knowledge base (build once with :func:`reader_for`)."""

    kb: KnowledgeBase
    lexicon: LexiconMatcher
    semantic: SemanticMatcher | None
    readings: Readings = dataclass_field(default_factory=lambda: BoundedCache(READINGS_KEPT))

    def read(self, text: str, field: str, *, semantic: bool = True) -> list[Mention]:
        """Every mention in one field's text.

        Args:
            text: The field as written.
            field: Its name (recorded on each mention; "pulse" reads pulse characters anywhere).
            semantic: Whether leftover pieces are read by the sentence encoder.

        Returns:
            Mentions in text order.
        """
        if not text or not text.strip():
            return []
        by_meaning = semantic and self.semantic is not None and self.semantic.available
        kept = self.readings.get((text, field, by_meaning))
        if kept is None:
            kept, read_by_meaning = self._read(text, field, by_meaning=by_meaning)
            self.readings.put((text, field, by_meaning), kept)
            if by_meaning and not read_by_meaning:
                # The encoder read nothing here, so the reading by words alone is this very one: the safety
                # check's lexical reading of the field that the engine has just read costs nothing.
                self.readings.put((text, field, False), kept)
        return list(kept)

    def _read(self, text: str, field: str, *, by_meaning: bool) -> tuple[tuple[Mention, ...], bool]:
        """The mentions of one non-blank field, and whether the sentence encoder read any of its spans."""
        lowered = normalize(text)
        clauses = split_clauses(lowered, field)
        drugs = drug_spans(lowered)
        # a quoted instruction, a prevention question or an excluded diagnosis names no sign of the patient
        unasserted = unasserted_spans(lowered)
        blocked = drugs + figurative_spans(lowered) + remission_spans(lowered) + unasserted
        blocked += [(c.start, c.end) for c in clauses if c.extraneous]
        spans = self.lexicon.spans(lowered, field, blocked)
        spans = sorted([*spans, *duration_spans(self.kb, lowered, spans, blocked)], key=lambda span: span.start)
        spans = sorted([*spans, *fever_date_spans(self.kb, lowered, clauses, blocked)], key=lambda span: span.start)
        spans = sorted([*spans, *told_spans(lowered, spans, blocked)], key=lambda span: span.start)
        by_meaning_spans = self._semantic_spans(lowered, clauses, spans, blocked) if by_meaning else []
        if by_meaning_spans:
            spans = sorted([*spans, *by_meaning_spans], key=lambda span: span.start)
        if EXPOSURE_TERM in self.kb.terms:
            spans = sorted([*spans, *drug_exposure_spans(lowered, clauses, drugs)], key=lambda span: span.start)
        masked = mask(lowered, [(span.start, span.end) for span in spans])
        composed = composed_spans(self.kb, lowered, clauses, spans, masked)
        if composed:
            spans = sorted([*spans, *composed], key=lambda span: span.start)
        scopes = clause_scopes(lowered, clauses)
        resolved = resolved_spans(lowered, clauses, [span.start for span in spans])
        gone = resolved_term_spans(lowered, clauses)
        feared = worry_spans(lowered)
        mentions: list[Mention] = []
        for span in spans:
            clause_index = _clause_of(clauses, span.start)
            clause = clauses[clause_index] if clauses else None
            scope = _scope_at(span.start, clause_index, scopes)
            if scope == "present" and any(start <= span.start < end for start, end in resolved):
                scope = "past"
            if scope == "present" and gone and self._gone(span, gone):
                scope = "past"
            term = self.kb.terms[span.term_id]
            if term.category in NAMED_CATEGORIES and any(start <= span.start < end for start, end in feared):
                scope = "hypothetical"  # 会不会是癌？ "Is it melanoma?": a name asked about is no finding
            if any(start <= span.start < end for start, end in unasserted):
                scope = "hypothetical"  # red flags are read even in blocked spans (a lab line): not in these
            # The clause and the one before it: "舌质暗，有瘀斑" names the tongue one clause earlier.
            window = lowered[clauses[max(clause_index - 1, 0)].start : clause.end] if clause else lowered
            if term.context_only and not _in_context(term, field, lowered[span.start : span.end], window):
                continue
            mentions.append(
                Mention(
                    sign_id=span.term_id,
                    label=term.label,
                    category=term.category,
                    field=field,
                    span=(span.start, span.end),
                    text=text[span.start : span.end],
                    clause=text[clause.start : clause.end].strip() if clause else text,
                    negated=is_negated(masked, span.start, span.end),
                    scope=scope,
                    method=_METHODS[span.method],
                    score=span.score,
                )
            )
        return tuple(mentions), bool(by_meaning_spans)

    def _gone(self, span: RawSpan, gone: list[tuple[str, int, int]]) -> bool:
        """The sign, or a sign it implies (高烧 → 发热), is said to have gone later in its sentence."""
        implied = {span.term_id, *self.kb.terms[span.term_id].implies}
        return any(term_id in implied and start <= span.start < end for term_id, start, end in gone)

    def _semantic_spans(
        self, lowered: str, clauses: list[Clause], spans: list[RawSpan], blocked: list[tuple[int, int]]
    ) -> list[RawSpan]:
        taken = [(span.start, span.end) for span in spans] + blocked
        pieces = [
            piece
            for clause in clauses
            if not clause.extraneous
            for piece in leftover_pieces(lowered, clause.start, clause.end, taken)
        ]
        hits = self.semantic.match([lowered[start:end] for start, end in pieces]) if self.semantic else []
        return [
            RawSpan(start, end, hit.surface, hit.term_id, "semantic", hit.score)  # type: ignore[arg-type]
            for (start, end), hit in zip(pieces, hits, strict=True)
            if hit is not None
        ]


def _clause_of(clauses: list[Clause], position: int) -> int:
    return next((i for i, c in enumerate(clauses) if c.start <= position < max(c.end, c.start + 1)), 0)


_METHODS: dict[str, Method] = {"exact": "lexicon", "fuzzy": "fuzzy", "semantic": "semantic", "composed": "composed"}


def _scope_at(position: int, clause_index: int, scopes: list[tuple[Scope, int]]) -> Scope:
    if not scopes:
        return "present"
    scope, offset = scopes[clause_index]
    if position >= offset:
        return scope
    return scopes[clause_index - 1][0] if clause_index > 0 else "present"


def reader_for(kb: KnowledgeBase, *, semantic: bool = True) -> TextReader:
    """The knowledge base's text reader, built once and shared by every caller.

    Args:
        kb: The knowledge base.
        semantic: Whether the reader may use the sentence encoder.

    Returns:
        A reader whose matchers are cached on ``kb``.
    """
    key = "text_reader" if semantic else "text_reader_lexical"
    reader = kb.cache.get(key)
    if reader is None:
        lexicon = kb.cache.get("lexicon_matcher")
        if lexicon is None:
            lexicon = kb.cache["lexicon_matcher"] = LexiconMatcher(kb.terms.values())
        matcher = SemanticMatcher(kb.terms.values()) if semantic else None
        # Both readers keep their readings in one map, so a reading by meaning that the encoder added nothing
        # to also answers the lexical reader.
        readings = kb.cache.setdefault("text_readings", BoundedCache(READINGS_KEPT))
        reader = kb.cache[key] = TextReader(kb, lexicon, matcher, readings)
    return reader  # type: ignore[no-any-return]


def extract_fields(kb: KnowledgeBase, fields: Mapping[str, str], *, semantic: bool = True) -> list[Mention]:
    """Every mention in the given fields.

    Args:
        kb: The knowledge base.
        fields: Field name → text (e.g. ``case.text_fields()``, or ``{"previous_visits[0].response": …}``).
        semantic: Whether leftover pieces are read by the sentence encoder.

    Returns:
        Mentions, field by field in the given order, each in text order.
    """
    reader = reader_for(kb, semantic=semantic)
    return [mention for name, text in fields.items() for mention in reader.read(text or "", name, semantic=semantic)]


def extract(kb: KnowledgeBase, case: Case, *, previous_visits: bool = False, semantic: bool = True) -> list[Mention]:
    """Every mention in a case's text fields.

    Args:
        kb: The knowledge base.
        case: The case.
        previous_visits: Also read each previous visit's ``summary`` and ``response`` (fields named
            ``previous_visits[i].summary`` / ``previous_visits[i].response``).
        semantic: Whether leftover pieces are read by the sentence encoder.

    Returns:
        Mentions in field order.
    """
    fields = dict(case.text_fields())
    if previous_visits:
        for index, visit in enumerate(case.previous_visits):
            fields[f"previous_visits[{index}].summary"] = visit.summary
            fields[f"previous_visits[{index}].response"] = visit.response
    return extract_fields(kb, fields, semantic=semantic)


def _in_context(term: LexiconTerm, field: str, surface: str, clause: str) -> bool:
    """Whether a term's words stand where they mean it: any form but a context-only one, or its context."""
    if surface not in {form.lower() for form in term.context_only}:
        return True
    return field.split(".")[-1] in term.context_fields or any(word.lower() in clause for word in term.context_words)
