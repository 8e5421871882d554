"""Aggregates of per-case scores: means with bootstrap CIs, breakdowns and the syndrome confusion matrix."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from derm3r.evaluation.calibration import calibration_summary
from derm3r.evaluation.metrics import METRIC_ORDER

#: Metrics that are counts, not rates: reported with a mean but drawn on their own scale.
COUNT_METRICS = frozenset({"warnings"})


def bootstrap_ci(
    values: Sequence[float], *, resamples: int = 1000, seed: int = 0, level: float = 0.95
) -> tuple[float, float]:
    """Percentile bootstrap confidence interval of the mean.

    Args:
        values: The per-case values.
        resamples: Number of bootstrap resamples.
        seed: Seed of the resampling, so a report is reproducible.
        level: Coverage of the interval.

    Returns:
        ``(low, high)``; both equal the value for a single case and are 0 for none.
    """
    import numpy as np

    if not values:
        return 0.0, 0.0
    data = np.asarray(values, dtype=float)
    if len(data) == 1:
        return float(data[0]), float(data[0])
    rng = np.random.default_rng(seed)
    means = data[rng.integers(0, len(data), size=(resamples, len(data)))].mean(axis=1)
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return float(low), float(high)


def summarize(values: Sequence[float], *, seed: int = 0) -> dict[str, float]:
    """Mean, bootstrap 95% CI and count of one metric.

    Args:
        values: The per-case values.
        seed: Bootstrap seed.

    Returns:
        ``{"mean", "ci_low", "ci_high", "n"}``.
    """
    low, high = bootstrap_ci(values, seed=seed)
    mean = sum(values) / len(values) if values else 0.0
    return {"mean": mean, "ci_low": low, "ci_high": high, "n": len(values)}


def _metric_rank(name: str) -> tuple[int, str]:
    return (METRIC_ORDER.index(name) if name in METRIC_ORDER else len(METRIC_ORDER), name)


def _by_metric(records: Iterable[Mapping[str, Any]]) -> dict[str, list[float]]:
    values: dict[str, list[float]] = defaultdict(list)
    for record in records:
        for name, value in (record.get("scores") or {}).items():
            values[name].append(float(value))
    return {name: values[name] for name in sorted(values, key=_metric_rank)}


def breakdown(records: Sequence[Mapping[str, Any]], label: str) -> dict[str, dict[str, Any]]:
    """Mean of every metric per value of one label (e.g. per disease).

    Args:
        records: Scored result records (each with ``scores`` and ``labels``).
        label: The label to group by.

    Returns:
        Group → ``{"n": cases, "metrics": {metric: mean}}``, groups sorted by name.
    """
    groups: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for record in records:
        key = (record.get("labels") or {}).get(label)
        if key:
            groups[key].append(record)
    return {
        key: {"n": len(group), "metrics": {name: sum(v) / len(v) for name, v in _by_metric(group).items()}}
        for key, group in sorted(groups.items())
    }


def confusion_matrix(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Counts of (expert syndrome, system syndrome) over the cases with an expert syndrome.

    Args:
        records: Scored result records.

    Returns:
        ``{"expert": row labels, "system": column labels, "counts": rows of counts}``.
    """
    pairs: dict[tuple[str, str], int] = defaultdict(int)
    for record in records:
        labels = record.get("labels") or {}
        if labels.get("syndrome_expert"):
            pairs[(labels["syndrome_expert"], labels.get("syndrome_system") or "未辨证")] += 1
    rows = sorted({expert for expert, _ in pairs})
    columns = sorted({system for _, system in pairs}, key=lambda name: (name not in rows, name))
    return {"expert": rows, "system": columns, "counts": [[pairs.get((r, c), 0) for c in columns] for r in rows]}


def aggregate(records: Sequence[Mapping[str, Any]], *, seed: int = 0) -> dict[str, Any]:
    """Everything ``metrics.json`` holds, computed from the result records.

    Args:
        records: All result records of a run, errors included.
        seed: Bootstrap seed.

    Returns:
        Counts, overall metrics with CIs, per-disease and per-syndrome breakdowns, and the confusion matrix.
    """
    scored = [record for record in records if not record.get("error")]
    engines = sorted({str(r["consultation"]["engine"]) for r in scored if r.get("consultation")})
    return {
        "cases": len(records),
        "scored": len(scored),
        "errors": len(records) - len(scored),
        "engines": engines,
        "metrics": {name: summarize(values, seed=seed) for name, values in _by_metric(scored).items()},
        "by_disease": breakdown(scored, "disease"),
        "by_syndrome": breakdown(scored, "syndrome_expert"),
        "confusion": confusion_matrix(scored),
        "calibration": calibration_summary(scored),
    }
