"""Disease identification and syndrome differentiation (辨病、辨证) by weighted evidence.

Each syndrome's score is the sum of the weights of its signs found present minus the weights of
its contra-signs found present. Confidence is a softmax over the scores of the disease's
syndromes (``threshold.softmax_temperature``), shrunk toward zero when the winning evidence is
thin (below ``threshold.sufficient_score``), so that a case with two weak hints never reads as a
confident call. The thresholds are data: knowledge/rules/thresholds.yaml.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass

from derm3r.clinic.recognize import rank_diseases
from derm3r.kb.loader import KnowledgeBase
from derm3r.kb.models import Disease, Syndrome
from derm3r.schemas.plan import EvidenceItem, SyndromeCall


@dataclass(frozen=True)
class DiseaseCall:
    """The disease the evidence points to, with its score and the terms that named it."""

    disease: Disease
    score: float
    evidence: list[str]


@dataclass(frozen=True)
class Differentiation:
    """Ranked syndromes of one disease."""

    ranked: list[SyndromeCall]
    secondary: SyndromeCall | None
    top_score: float


def identify_disease(kb: KnowledgeBase, present: set[str], past: Collection[str] = ()) -> DiseaseCall | None:
    """Pick the disease whose weighted profile best matches the present terms (and, weaker, the past history).

    Args:
        kb: The knowledge base.
        present: Ids of the terms found present.
        past: Ids of the terms stated as past history (:func:`~derm3r.clinic.recognize.score_disease`).

    Returns:
        The best disease when its score reaches ``threshold.disease_min_score``, else None.
    """
    ranked = rank_diseases(kb, present, past)
    if not ranked or ranked[0].score < kb.threshold("threshold.disease_min_score"):
        return None
    best = ranked[0]
    return DiseaseCall(best.disease, best.score, best.supporting_terms)


def score_syndrome(kb: KnowledgeBase, syndrome: Syndrome, present: set[str]) -> SyndromeCall:
    """Score one syndrome against the present terms (confidence filled in by the caller).

    Args:
        kb: The knowledge base (for labels).
        syndrome: The syndrome to score.
        present: Ids of the terms found present.

    Returns:
        A call with the score and the evidence for and against.
    """
    evidence = [
        EvidenceItem(term=sign.term, label=kb.terms[sign.term].label, weight=sign.weight, supports=True)
        for sign in syndrome.signs
        if sign.term in present
    ]
    evidence += [
        EvidenceItem(term=sign.term, label=kb.terms[sign.term].label, weight=sign.weight, supports=False)
        for sign in syndrome.contra_signs
        if sign.term in present
    ]
    score = sum(item.weight if item.supports else -item.weight for item in evidence)
    return SyndromeCall(id=syndrome.id, name=syndrome.name, confidence=0.0, score=round(score, 2), evidence=evidence)


def differentiate(kb: KnowledgeBase, disease: Disease, present: set[str]) -> Differentiation:
    """Rank every syndrome of a disease and decide whether a 兼证 is supported.

    Args:
        kb: The knowledge base.
        disease: The disease whose syndromes compete.
        present: Ids of the terms found present.

    Returns:
        Syndromes best first with calibrated confidences, and the secondary syndrome if any.
    """
    calls = [score_syndrome(kb, kb.syndromes[syndrome_id], present) for syndrome_id in disease.syndromes]
    calls.sort(key=lambda call: call.score, reverse=True)
    if not calls:
        return Differentiation([], None, 0.0)
    top = calls[0].score
    temperature = kb.threshold("threshold.softmax_temperature")
    weights = [math.exp((call.score - top) / temperature) for call in calls]
    total = sum(weights)
    sufficiency = max(0.0, min(1.0, top / kb.threshold("threshold.sufficient_score")))
    ranked = [
        call.model_copy(update={"confidence": round(weight / total * sufficiency, 3)})
        for call, weight in zip(calls, weights, strict=True)
    ]
    return Differentiation(ranked, _secondary(kb, ranked), top)


def _secondary(kb: KnowledgeBase, ranked: list[SyndromeCall]) -> SyndromeCall | None:
    if len(ranked) < 2 or ranked[0].score <= 0:
        return None
    main, runner_up = ranked[0], ranked[1]
    if runner_up.score < kb.threshold("threshold.secondary_score_ratio") * main.score:
        return None
    main_terms = {item.term for item in main.evidence if item.supports}
    own = sum(item.weight for item in runner_up.evidence if item.supports and item.term not in main_terms)
    return runner_up if own >= kb.threshold("threshold.secondary_own_evidence") else None
