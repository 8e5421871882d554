"""Element-aware syndrome agreement and calibration (expected calibration error, reliability bins).

Element-aware: the expert's and the system's syndromes agree when their 证素 sets overlap enough
(:func:`derm3r.clinic.elements.element_agreement`), so 血热证 ≈ 血热内蕴证 and 湿热浸淫证 ≈ 湿热蕴肤证
count, reported beside exact (alias-aware) match. Calibration: a case's confidence is the system's
syndrome confidence; it is right when both its disease and its syndrome (element-aware) are the
expert's. ECE is the bin-size-weighted mean |accuracy − confidence| over ``BINS`` equal-width bins;
the bins themselves are the reliability diagram's data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from derm3r.clinic.elements import element_agreement
from derm3r.kb.loader import KnowledgeBase
from derm3r.schemas.consultation import Consultation

BINS = 10


def syndrome_element_accuracy(
    kb: KnowledgeBase, expert_syndrome: str, consultation: Consultation, exact: float
) -> float:
    """1.0 when the system's syndrome agrees with the expert's exactly or element-wise, else 0.0.

    Args:
        kb: The knowledge base.
        expert_syndrome: The expert's syndrome name (composites such as 血热夹湿证 included).
        consultation: The system's consultation.
        exact: The alias-aware exact score already computed for this case.
    """
    if exact >= 1.0:
        return 1.0
    assessment = consultation.assessment
    names = [call.name for call in (assessment.syndrome, assessment.secondary_syndrome) if call is not None]
    if not names:
        return 0.0
    return max(element_agreement(kb, expert_syndrome, name) for name in [*names, "".join(names)])


def reliability_bins(pairs: Iterable[tuple[float, float]], bins: int = BINS) -> list[dict[str, Any]]:
    """Equal-width confidence bins with their count, mean confidence and accuracy.

    Args:
        pairs: (confidence in [0, 1], correct 0/1) per case.
        bins: Number of bins.

    Returns:
        One record per non-empty bin: ``low``, ``high``, ``count``, ``confidence``, ``accuracy``.
    """
    grouped: list[list[tuple[float, float]]] = [[] for _ in range(bins)]
    for confidence, correct in pairs:
        grouped[min(bins - 1, max(0, int(confidence * bins)))].append((confidence, correct))
    result = []
    for index, members in enumerate(grouped):
        if members:
            result.append(
                {
                    "low": index / bins,
                    "high": (index + 1) / bins,
                    "count": len(members),
                    "confidence": round(sum(c for c, _ in members) / len(members), 4),
                    "accuracy": round(sum(r for _, r in members) / len(members), 4),
                }
            )
    return result


def expected_calibration_error(pairs: Sequence[tuple[float, float]], bins: int = BINS) -> float | None:
    """ECE: Σ_b (n_b / n) · |accuracy_b − confidence_b|; None without cases."""
    if not pairs:
        return None
    table = reliability_bins(pairs, bins)
    return round(sum(row["count"] * abs(row["accuracy"] - row["confidence"]) for row in table) / len(pairs), 4)


def calibration_summary(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The ``calibration`` block of metrics.json from scored records (answered cases with a confidence)."""
    pairs = []
    for record in records:
        scores = record.get("scores") or {}
        if "confidence" in scores and "syndrome_element_acc" in scores and not scores.get("abstained"):
            correct = float(scores.get("disease_acc", 1.0)) * float(scores["syndrome_element_acc"])
            pairs.append((float(scores["confidence"]), correct))
    return {"cases": len(pairs), "ece": expected_calibration_error(pairs), "bins": reliability_bins(pairs)}
