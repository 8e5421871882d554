"""Reliability of the syndrome confidence: binned confidence against accuracy, and the expected calibration error.

ECE as in Guo et al., "On Calibration of Modern Neural Networks" (ICML 2017): the bins' gaps
|accuracy − confidence| averaged with weights n_bin / n. A case counts when it has an expert syndrome
(``syndrome_acc``); an abstention without a syndrome has confidence 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

#: Equal-width confidence bins over [0, 1].
BINS = 10


def confidence_and_correctness(records: Sequence[Mapping[str, Any]]) -> list[tuple[float, float]]:
    """``(syndrome confidence, syndrome accuracy)`` of every scored case with an expert syndrome.

    Args:
        records: Result records.

    Returns:
        One pair per case.
    """
    pairs = []
    for record in records:
        accuracy = (record.get("scores") or {}).get("syndrome_acc")
        if accuracy is None or record.get("error"):
            continue
        syndrome = ((record.get("consultation") or {}).get("assessment") or {}).get("syndrome") or {}
        pairs.append((float(syndrome.get("confidence") or 0.0), float(accuracy)))
    return pairs


def reliability(pairs: Sequence[tuple[float, float]], bins: int = BINS) -> dict[str, Any]:
    """Bin cases by confidence and compare each bin's mean confidence with its accuracy.

    Args:
        pairs: ``(confidence, correctness in [0, 1])`` per case.
        bins: Number of equal-width bins.

    Returns:
        ``{"n", "ece", "bins": [{"low", "high", "n", "confidence", "accuracy"}]}``; empty bins have n 0.
    """
    table = []
    ece = 0.0
    for index in range(bins):
        low, high = index / bins, (index + 1) / bins
        members = [(c, a) for c, a in pairs if low <= c < high or (index == bins - 1 and c == 1.0)]
        entry: dict[str, Any] = {"low": low, "high": high, "n": len(members), "confidence": None, "accuracy": None}
        if members:
            entry["confidence"] = sum(c for c, _ in members) / len(members)
            entry["accuracy"] = sum(a for _, a in members) / len(members)
            ece += len(members) / len(pairs) * abs(entry["accuracy"] - entry["confidence"])
        table.append(entry)
    return {"n": len(pairs), "ece": ece, "bins": table}


def run_calibration(metrics: Mapping[str, Any], records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The run's reliability table: ``metrics["calibration"]`` when the metrics carry bins, else from the records.

    Args:
        metrics: The aggregate.
        records: The result records.

    Returns:
        As :func:`reliability`.
    """
    given = metrics.get("calibration")
    if isinstance(given, Mapping) and isinstance(given.get("bins"), list) and "cases" in given:
        # metrics.json's block (evaluation.clinical_metrics) names its counts "cases"/"count" and lists non-empty bins.
        bins = [{**entry, "n": entry.get("count", 0)} for entry in given["bins"]]
        return {"n": given["cases"], "ece": given.get("ece") or 0.0, "bins": bins}
    return reliability(confidence_and_correctness(records))
