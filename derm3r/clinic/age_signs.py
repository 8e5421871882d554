"""Terms composed with the patient's age group: an infant's cheeks (婴儿面颊) from the age field and 面颊 in the note.

A lexicon term's ``composed_of`` sets (knowledge/lexicon) are read within one sentence by the text layer, but
the age group usually comes from the patient field (``patient.age``), not from the note's words, so a set
that names an age group never completes there. Here such a set counts as stated when its age group is the
patient's and every other part is present somewhere in the case.
"""

from __future__ import annotations

from derm3r.kb.loader import KnowledgeBase
from derm3r.schemas.findings import Sign

#: The age-group terms: facts about the patient, not about one sentence (the bands: knowledge/rules/thresholds.yaml).
AGE_GROUP_TERMS = frozenset({"course.infant", "course.child", "course.adolescent_adult", "course.elderly"})


def age_composed_signs(kb: KnowledgeBase, present: list[Sign]) -> list[Sign]:
    """The composed terms that the patient's age group completes with signs present anywhere in the case.

    Args:
        kb: The knowledge base (terms with ``composed_of``).
        present: The signs present (the note's and the age field's).

    Returns:
        One sign per newly stated term, sourced like the age sign, its evidence naming the parts.
    """
    by_term = {sign.term: sign for sign in present}
    ages = [by_term[term] for term in sorted(AGE_GROUP_TERMS & by_term.keys())]
    found: list[Sign] = []
    for age_sign in ages:
        for term in kb.terms.values():
            if term.id in by_term or any(sign.term == term.id for sign in found):
                continue
            parts = next((parts for parts in term.composed_of
                          if age_sign.term in parts and set(parts) <= by_term.keys()), None)
            if parts is not None:
                labels = "＋".join(by_term[part].label for part in parts)
                found.append(Sign(term=term.id, label=term.label, category=term.category,
                                  source=age_sign.source, evidence=f"{age_sign.evidence}（{labels}）"))
    return found
