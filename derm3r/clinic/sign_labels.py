"""Which sign labels a report shows, so a reader never sees one sign twice (terminal, report.html, web page).

The text reader records, beside each sign, the broader terms the lexicon says it implies (苔薄黄 →
苔薄, 苔黄; knowledge/lexicon ``implies``), all with the same words, because the scoring looks them up.
Listed side by side they read as two findings ("苔薄黄、苔黄"). The findings list therefore shows the
most specific sign once and keeps a broader one only when it was read from other words (or alone); the
evidence list keeps every scored item, since each carries weight, and marks a broader one with the sign
it was read as ("苔黄 (1.5)（据苔薄黄）") so its repeated words are explained, or folds it under that sign.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

from derm3r.clinic.represent import distinct_labels
from derm3r.schemas.consultation import Consultation
from derm3r.schemas.findings import Sign

if TYPE_CHECKING:
    from derm3r.kb.loader import KnowledgeBase

#: Term id → the broader term ids it implies (knowledge/lexicon ``implies``).
Implications = Mapping[str, Collection[str]]


def implications(kb: KnowledgeBase) -> dict[str, list[str]]:
    """Term id → the broader term ids it implies, for every lexicon term that implies any (built once per kb)."""
    found = kb.cache.get("implications")
    if found is None:
        found = kb.cache["implications"] = {term.id: list(term.implies) for term in kb.terms.values() if term.implies}
    return found  # type: ignore[no-any-return]


def signs_by_term(consultation: Consultation) -> dict[str, Sign]:
    """Each present sign of a consultation by its term: the representation's first, then each finding's."""
    signs: dict[str, Sign] = {}
    for sign in consultation.representation.signs:
        signs.setdefault(sign.term, sign)
    for finding in consultation.findings:
        for sign in finding.signs:
            signs.setdefault(sign.term, sign)
    return signs


def _broader(implies: Implications, term: str) -> set[str]:
    """Every term ``term`` implies, directly or through another."""
    found: set[str] = set()
    queue = list(implies.get(term, ()))
    while queue:
        implied = queue.pop()
        if implied not in found:
            found.add(implied)
            queue.extend(implies.get(implied, ()))
    return found


def implied_by(signs: list[Sign], implies: Implications) -> dict[str, Sign]:
    """Term → the most specific other sign that implies it and was read from the same words.

    Args:
        signs: The signs of one finding (or all findings).
        implies: Term id → the broader term ids it implies.

    Returns:
        Only the broader signs that some more specific sign of the same words accounts for.
    """
    accounted: dict[str, Sign] = {}
    for broader in signs:
        sources = [sign for sign in signs if broader.term in _broader(implies, sign.term)
                   and (sign.evidence, sign.source) == (broader.evidence, broader.source)]
        most_specific = [sign for sign in sources
                         if not any(sign.term in _broader(implies, other.term) for other in sources)]
        if sources:
            accounted[broader.term] = (most_specific or sources)[0]
    return accounted


def without_implied(signs: list[Sign], implies: Implications) -> list[Sign]:
    """The signs in order, less each broader one a more specific sign read from the same words accounts for.

    What the lesion summary describes, so it says 皮损见蜜黄色脓痂, not 皮损见蜜黄色脓痂、结痂.

    Args:
        signs: Signs of one finding, or all findings merged.
        implies: Term id → the broader term ids it implies.

    Returns:
        The signs worth describing.
    """
    accounted = implied_by(signs, implies)
    return [sign for sign in signs if sign.term not in accounted]


def shown_labels(signs: list[Sign], implies: Implications) -> list[str]:
    """Sign labels in order, once each: no broader sign its specific one accounts for, each kind de-duplicated.

    Within a kind, 鲜红 drops 红色 (``distinct_labels``); but 舌红 (a tongue) does not drop a lesion's 红色.

    Args:
        signs: The signs of one finding.
        implies: Term id → the broader term ids it implies.

    Returns:
        The labels to print.
    """
    kept_signs = without_implied(signs, implies)
    kept = {category: set(distinct_labels([s.label for s in kept_signs if s.category == category]))
            for category in dict.fromkeys(sign.category for sign in kept_signs)}
    return list(dict.fromkeys(sign.label for sign in kept_signs if sign.label in kept[sign.category]))


def evidence_implied_by(consultation: Consultation, implies: Implications) -> dict[str, dict[str, str]]:
    """For each evidence term of the assessment that a more specific sign accounts for: that sign.

    What the evaluation record keeps so report.html can fold 苔黄 under 苔薄黄 without the knowledge base.

    Args:
        consultation: The consultation.
        implies: Term id → the broader term ids it implies.

    Returns:
        Broader term id → ``{"term": …, "label": …}`` of the sign it was read as.
    """
    assessment = consultation.assessment
    calls = [call for call in (assessment.syndrome, assessment.secondary_syndrome) if call is not None]
    lists = [call.evidence for call in [*calls, *assessment.differential]]
    lists += [candidate.evidence for candidate in assessment.disease_differential]
    scored = {item.term for evidence in lists for item in evidence}
    accounted = implied_by(list(signs_by_term(consultation).values()), implies)
    return {term: {"term": sign.term, "label": sign.label} for term, sign in accounted.items() if term in scored}
