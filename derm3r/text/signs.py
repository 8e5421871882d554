"""Turn term matches of a whole case into present and denied signs."""

from __future__ import annotations

from dataclasses import dataclass, field

from derm3r.kb.loader import KnowledgeBase
from derm3r.schemas.findings import Sign
from derm3r.text.extract import LexiconMatcher, TermMatch


@dataclass
class ExtractedSigns:
    """Signs present and denied across the fields of one case."""

    present: list[Sign] = field(default_factory=list)
    negated: list[Sign] = field(default_factory=list)

    @property
    def present_ids(self) -> set[str]:
        """Ids of the terms found present."""
        return {sign.term for sign in self.present}


def lexicon_matcher(kb: KnowledgeBase) -> LexiconMatcher:
    """Return the knowledge base's lexicon matcher, built once and shared by every caller."""
    matcher = kb.cache.get("lexicon_matcher")
    if matcher is None:
        matcher = kb.cache["lexicon_matcher"] = LexiconMatcher(kb.terms.values())
    return matcher  # type: ignore[no-any-return]


def extract_signs(kb: KnowledgeBase, matcher: LexiconMatcher, fields: dict[str, str]) -> ExtractedSigns:
    """Find every lexicon term in the given text fields, expanding implied broader terms.

    A term stated present anywhere stays present even if denied in another field, since a later
    field (e.g. the clinician's own lesion description) may correct an earlier one.

    Args:
        kb: The knowledge base (for labels, categories and implications).
        matcher: A matcher built from the same knowledge base.
        fields: Field name → text.

    Returns:
        The present and the denied signs, one entry per term.
    """
    present: dict[str, Sign] = {}
    negated: dict[str, Sign] = {}
    for field_name, text in fields.items():
        if not text:
            continue
        for match in matcher.find(text, field_name):
            for term_id in _with_implied(kb, match.term_id):
                target = negated if match.negated else present
                if term_id not in target:
                    target[term_id] = _to_sign(kb, term_id, match)
    for term_id in list(negated):
        if term_id in present:
            del negated[term_id]
    return ExtractedSigns(present=list(present.values()), negated=list(negated.values()))


def _with_implied(kb: KnowledgeBase, term_id: str) -> list[str]:
    ordered = [term_id]
    index = 0
    while index < len(ordered):
        term = kb.terms.get(ordered[index])
        for implied in term.implies if term else ():
            if implied not in ordered:
                ordered.append(implied)
        index += 1
    return ordered


def _to_sign(kb: KnowledgeBase, term_id: str, match: TermMatch) -> Sign:
    term = kb.terms[term_id]
    return Sign(term=term_id, label=term.label, category=term.category, source=match.field, evidence=match.context)
