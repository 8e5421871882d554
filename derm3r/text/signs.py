"""Turn term matches of a whole case into present, denied and past signs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from derm3r.kb.loader import KnowledgeBase
from derm3r.schemas.findings import Sign
from derm3r.text.extract import LexiconMatcher
from derm3r.text.mentions import Mention, extract_fields

#: Terms that are themselves about the history: read in a past (or family) clause they still hold.
HISTORY_TERMS = frozenset(
    {
        "course.atopic_history",
        "course.childhood_onset",
        "course.contact_history",
        "course.infection_trigger",
        "course.after_illness",
        "course.trauma_trigger",
    }
)


@dataclass
class ExtractedSigns:
    """Signs present, denied and past (earlier or since resolved) across the fields of one case."""

    present: list[Sign] = field(default_factory=list)
    negated: list[Sign] = field(default_factory=list)
    past: list[Sign] = field(default_factory=list)

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


def extract_signs(
    kb: KnowledgeBase, matcher: LexiconMatcher | None, fields: dict[str, str], *, semantic: bool = True
) -> ExtractedSigns:
    """Find the signs of the given text fields, expanding implied broader terms.

    Only mentions of the patient now count as present or denied: family history is dropped, and
    past or resolved signs are kept apart as ``past`` (with their words) so the record shows them.
    A term stated present anywhere stays present even if denied in another field, since a later
    field (e.g. the clinician's own lesion description) may correct an earlier one.

    Args:
        kb: The knowledge base (for labels, categories and implications).
        matcher: Unused (kept for callers that pass one); the knowledge base's reader is used.
        fields: Field name → text.
        semantic: Whether leftover clause pieces are read by the sentence encoder.

    Returns:
        The present, the denied and the past signs, one entry per term.
    """
    present: dict[str, Sign] = {}
    negated: dict[str, Sign] = {}
    past: dict[str, Sign] = {}
    for mention in extract_fields(kb, fields, semantic=semantic):
        if mention.scope != "present" and mention.sign_id not in HISTORY_TERMS:
            # A course word in a past clause (好转 of the sore throat) says nothing about a sign of its own.
            if mention.scope == "past" and not mention.negated and kb.terms[mention.sign_id].category != "course":
                past.setdefault(mention.sign_id, _to_sign(kb, mention.sign_id, mention))
            continue
        target = negated if mention.negated else present
        for term_id in _with_implied(kb, mention.sign_id):
            if term_id not in target:
                target[term_id] = _to_sign(kb, term_id, mention)
    for term_id in list(negated):
        if term_id in present:
            del negated[term_id]
    now = present.keys() | negated.keys()
    return ExtractedSigns(present=list(present.values()), negated=list(negated.values()),
                          past=[sign for term_id, sign in past.items() if term_id not in now])


def expand_implied(kb: KnowledgeBase, term_ids: Iterable[str]) -> set[str]:
    """The given term ids with every broader term they imply (苔黄腻 → 苔黄, 苔腻)."""
    return {implied for term_id in term_ids for implied in _with_implied(kb, term_id)}


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


#: (threshold id, age-group term): the first band whose upper bound the age is below; elderly from its lower bound.
_AGE_BANDS = (("threshold.age_infant_below", "course.infant"), ("threshold.age_child_below", "course.child"))


def age_group_signs(kb: KnowledgeBase, age: float | None, present: set[str]) -> list[Sign]:
    """The age-group sign the patient's age states (婴儿期, 儿童期, 老年), unless the note already states one.

    A disease's profile weighs the age group (四弯风 in childhood, 黄水疮 in children, 风瘙痒 in the elderly), and
    notes give the age in the patient field rather than in words; the bands are in knowledge/rules/thresholds.yaml.

    Args:
        kb: The knowledge base (bands and term labels).
        age: The patient's age in years, or None.
        present: Ids of the terms the text already states.

    Returns:
        At most one sign, sourced ``patient.age``.
    """
    if age is None or present & {"course.infant", "course.child", "course.adolescent_adult", "course.elderly"}:
        return []
    term_id = next((term for threshold, term in _AGE_BANDS if age < kb.threshold(threshold)), None)
    if term_id is None and age >= kb.threshold("threshold.age_elderly_from"):
        term_id = "course.elderly"
    if term_id is None or term_id not in kb.terms:
        return []
    term = kb.terms[term_id]
    return [Sign(term=term_id, label=term.label, category=term.category, source="patient.age", evidence=f"{age:g}岁")]


def _to_sign(kb: KnowledgeBase, term_id: str, mention: Mention) -> Sign:
    term = kb.terms[term_id]
    return Sign(term=term_id, label=term.label, category=term.category, source=mention.field, evidence=mention.clause)
