"""Disease recognised from the description (辨病): every disease's weighted profile scored against the signs.

Each disease in knowledge/diseases carries a profile (``indicative_signs``: morphology, colour,
distribution, site, course, symptoms, age group, and its names among them as strong signs) and
``contra_signs`` that speak against it. A disease's score is the weight of its profile signs
present minus the weight of its contra-signs present. Profiles are data; nothing here names a
disease. A profile sign read only from the past history (以前头皮…头发一撮一撮 before a relapse of 白疕) counts
as history evidence, its weight scaled by ``threshold.disease_history_weight``: it adds to a disease that the
present signs already support, never raises one on its own, and never counts against one. The differential's
confidences are a softmax over the scores
(``threshold.disease_softmax_temperature``) shrunk when the winning evidence is thin
(``threshold.disease_sufficient_score``); :mod:`derm3r.clinic.calibration` then maps the
engine's confidence onto the probability of being right.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass, field

from derm3r.kb.loader import KnowledgeBase
from derm3r.kb.models import Disease
from derm3r.schemas.plan import DiseaseCandidate, EvidenceItem

DIFFERENTIAL_SIZE = 5


@dataclass(frozen=True)
class ScoredDisease:
    """One disease's score with the evidence for and against it."""

    disease: Disease
    score: float
    evidence: list[EvidenceItem] = field(default_factory=list)

    @property
    def supporting_terms(self) -> list[str]:
        """Ids of the profile signs found present (history evidence is not among them)."""
        return [item.term for item in self.evidence if item.supports and not item.history]


def score_disease(
    kb: KnowledgeBase, disease: Disease, present: set[str], past: Collection[str] = ()
) -> ScoredDisease:
    """Score one disease's profile against the present terms, and its past-history signs as weaker evidence.

    Args:
        kb: The knowledge base (for labels and ``threshold.disease_history_weight``).
        disease: The disease.
        present: Ids of the terms found present.
        past: Ids of the terms stated as past or resolved; a profile sign among them that is not present now
            supports the disease at the history weight. Contra-signs in the past say nothing now.

    Returns:
        The score and the evidence for and against.
    """
    evidence = [
        EvidenceItem(term=sign.term, label=_label(kb, sign.term), weight=sign.weight, supports=True)
        for sign in disease.indicative_signs
        if sign.term in present
    ]
    evidence += [
        EvidenceItem(term=sign.term, label=_label(kb, sign.term), weight=sign.weight, supports=False)
        for sign in disease.contra_signs
        if sign.term in present
    ]
    if past and evidence:
        scale = kb.threshold("threshold.disease_history_weight")
        evidence += [
            EvidenceItem(term=sign.term, label=_label(kb, sign.term), weight=round(sign.weight * scale, 2),
                         history=True)
            for sign in disease.indicative_signs
            if sign.term in past and sign.term not in present
        ]
    score = sum(item.weight if item.supports else -item.weight for item in evidence)
    return ScoredDisease(disease, round(score, 2), evidence)


def rank_diseases(kb: KnowledgeBase, present: set[str], past: Collection[str] = ()) -> list[ScoredDisease]:
    """Every disease with some supporting evidence now, best first (ties broken by id for determinism).

    Args:
        kb: The knowledge base.
        present: Ids of the terms found present.
        past: Ids of the terms stated as past history (see :func:`score_disease`).

    Returns:
        The scored diseases that some present sign supports.
    """
    scored = [score_disease(kb, disease, present, past) for disease in kb.diseases.values()]
    scored = [item for item in scored if item.supporting_terms]
    scored.sort(key=lambda item: (-item.score, item.disease.id))
    return scored


def disease_differential(kb: KnowledgeBase, ranked: list[ScoredDisease]) -> list[DiseaseCandidate]:
    """The top candidates with softmax confidences shrunk by evidence sufficiency.

    Args:
        kb: The knowledge base (thresholds).
        ranked: Output of :func:`rank_diseases`.

    Returns:
        Up to ``DIFFERENTIAL_SIZE`` candidates, best first.
    """
    if not ranked:
        return []
    temperature = kb.threshold("threshold.disease_softmax_temperature")
    sufficient = kb.threshold("threshold.disease_sufficient_score")
    top = ranked[0].score
    weights = [math.exp((item.score - top) / temperature) for item in ranked]
    total = sum(weights)
    sufficiency = max(0.0, min(1.0, top / sufficient))
    return [
        DiseaseCandidate(
            name=item.disease.name,
            disease_id=item.disease.id,
            confidence=round(weight / total * sufficiency, 3),
            score=item.score,
            evidence=item.evidence,
        )
        for item, weight in zip(ranked[:DIFFERENTIAL_SIZE], weights[:DIFFERENTIAL_SIZE], strict=True)
    ]


def _label(kb: KnowledgeBase, term_id: str) -> str:
    term = kb.terms.get(term_id) or kb.red_flag_signs.get(term_id)
    if term is not None:
        return term.label
    # A referral rule that fired is named by its own label (its reason is the referral's sentence, not a name).
    rule = kb.red_flags.get(term_id)
    return (rule.label or rule.id) if rule is not None else term_id
