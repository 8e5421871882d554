"""Calibrated confidence: the probability that the answer (disease and syndrome) is right.

The engine's raw confidences are a disease confidence (the differential's softmax × sufficiency,
:mod:`derm3r.clinic.recognize`) and a syndrome confidence within that disease
(:mod:`derm3r.clinic.differentiate`). The answer is right when both are, so the calibrated
confidence is a logistic (Platt) map of their log-odds,
``σ(a + b_d · logit(disease) + b_s · logit(syndrome))``, whose three constants are fitted on the
development split (``benchmarks/fit_calibration.py``) and kept as data in
knowledge/rules/thresholds.yaml (``threshold.calibration_*``). Abstention then compares this
probability with ``threshold.min_confidence``, tuned on the same split.
"""

from __future__ import annotations

import math

from derm3r.kb.loader import KnowledgeBase

#: Raw confidences are clipped into [EPSILON, 1 − EPSILON] before the log-odds (0 and 1 have none).
EPSILON = 1e-3
#: The disease confidence of a diagnosis carried from an earlier visit (no differential names it now).
CARRIED_DISEASE_CONFIDENCE = 0.5


def logit(probability: float) -> float:
    """Log-odds of a probability clipped into [EPSILON, 1 − EPSILON]."""
    clipped = min(1 - EPSILON, max(EPSILON, probability))
    return math.log(clipped / (1 - clipped))


def calibration_features(disease_confidence: float, syndrome_confidence: float) -> tuple[float, float]:
    """The fitted map's inputs: the log-odds of the raw disease and syndrome confidences."""
    return logit(disease_confidence), logit(syndrome_confidence)


def calibrated_confidence(kb: KnowledgeBase, disease_confidence: float, syndrome_confidence: float) -> float:
    """The probability that the called disease and syndrome are both right.

    Args:
        kb: The knowledge base (its ``threshold.calibration_*`` constants).
        disease_confidence: The called disease's raw confidence in the differential.
        syndrome_confidence: The called syndrome's raw confidence within that disease.

    Returns:
        The calibrated confidence in [0, 1], rounded to three places.
    """
    disease, syndrome = calibration_features(disease_confidence, syndrome_confidence)
    z = (kb.threshold("threshold.calibration_intercept")
         + kb.threshold("threshold.calibration_disease_weight") * disease
         + kb.threshold("threshold.calibration_syndrome_weight") * syndrome)
    return round(1 / (1 + math.exp(-z)), 3)
