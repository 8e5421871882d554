"""Reliability of the consultation's confidence: binned confidence against accuracy, and the ECE.

The one calibration module of the evaluation (metrics.json's ``calibration`` block, the report's
reliability diagram, clinical_bench's ECE and the fit of :mod:`derm3r.clinic.calibration` all read
it). A case counts when it was answered (not abstained) and has a confidence and an expert syndrome;
it is right when both its disease and its syndrome (element-aware) are the expert's, so confidence
reads as the probability that the answer is right. ECE as in Guo et al., "On Calibration of Modern
Neural Networks" (ICML 2017): the bins' gaps |accuracy − confidence| averaged with weights n_bin / n.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

#: Equal-width confidence bins over [0, 1].
BINS = 10
#: Ridge penalty on the weights (not the intercept) of a Platt fit: some 60 dev cases must not fit noise.
PLATT_L2 = 0.1


def calibration_pairs(records: Sequence[Mapping[str, Any]]) -> list[tuple[float, float]]:
    """``(confidence, right 0/1)`` of every answered scored record with a confidence and an expert syndrome.

    Args:
        records: Result records (``scores`` as written by the evaluation).

    Returns:
        One pair per counted case.
    """
    pairs = []
    for record in records:
        scores = record.get("scores") or {}
        if record.get("error") or scores.get("abstained"):
            continue
        if "confidence" in scores and "syndrome_element_acc" in scores:
            right = float(scores.get("disease_acc", 1.0)) * float(scores["syndrome_element_acc"])
            pairs.append((float(scores["confidence"]), right))
    return pairs


def reliability(pairs: Sequence[tuple[float, float]], bins: int = BINS) -> dict[str, Any]:
    """Bin cases by confidence and compare each bin's mean confidence with its accuracy.

    Args:
        pairs: ``(confidence in [0, 1], correctness in [0, 1])`` per case.
        bins: Number of equal-width bins (confidence 1.0 falls in the last).

    Returns:
        ``{"cases", "ece", "bins": [{"low", "high", "count", "confidence", "accuracy"}]}`` with every bin
        (an empty one has count 0 and None means); ``ece`` is None without cases.
    """
    grouped: list[list[tuple[float, float]]] = [[] for _ in range(bins)]
    for confidence, correct in pairs:
        grouped[min(bins - 1, max(0, int(confidence * bins)))].append((confidence, correct))
    table = []
    gap = 0.0
    for index, members in enumerate(grouped):
        entry: dict[str, Any] = {"low": index / bins, "high": (index + 1) / bins, "count": len(members),
                                 "confidence": None, "accuracy": None}
        if members:
            entry["confidence"] = round(sum(c for c, _ in members) / len(members), 4)
            entry["accuracy"] = round(sum(a for _, a in members) / len(members), 4)
            gap += len(members) * abs(entry["accuracy"] - entry["confidence"])
        table.append(entry)
    return {"cases": len(pairs), "ece": round(gap / len(pairs), 4) if pairs else None, "bins": table}


def expected_calibration_error(pairs: Sequence[tuple[float, float]], bins: int = BINS) -> float | None:
    """ECE: Σ_b (n_b / n) · |accuracy_b − confidence_b|; None without cases."""
    return reliability(pairs, bins)["ece"]  # type: ignore[no-any-return]


def calibration_summary(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The ``calibration`` block of metrics.json from scored records (as :func:`reliability`)."""
    return reliability(calibration_pairs(records))


def run_calibration(metrics: Mapping[str, Any], records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The run's reliability table: metrics.json's ``calibration`` block when present, else from the records."""
    given = metrics.get("calibration")
    if isinstance(given, Mapping) and isinstance(given.get("bins"), list):
        return dict(given)
    return calibration_summary(records)


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = PLATT_L2, steps: int = 50) -> np.ndarray:
    """Platt scaling: the weights ``[a, b_1, …]`` of P(right) = σ(a + x·b), by Newton's method.

    Args:
        x: One row of features per case (for :mod:`derm3r.clinic.calibration`, the raw log-odds).
        y: 1 where the case was right, else 0.
        l2: Ridge penalty on ``b`` (the intercept is not penalised).
        steps: Newton iterations (the penalised log-likelihood is concave, so a few dozen converge).

    Returns:
        The intercept followed by one weight per feature column.
    """
    import numpy as np  # only a fit needs it; the evaluation imports this module for the bins

    design = np.hstack([np.ones((len(x), 1)), x])
    weights = np.zeros(design.shape[1])
    penalty = np.diag([0.0] + [l2] * x.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-design @ weights))
        gradient = design.T @ (p - y) + penalty @ weights
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + penalty
        weights = weights - np.linalg.solve(hessian, gradient)
    return weights
