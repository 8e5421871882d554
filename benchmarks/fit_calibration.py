"""Fit the calibrated confidence on the development split and tune the abstention threshold on it.

Run: ``.venv/bin/python benchmarks/fit_calibration.py [--fit dev dev2] [--check dev2]`` (dev splits only:
the test split is held out and never fitted on). It consults the ``--fit`` splits (default: dev) with the
default engine, reads each
in-scope case's raw disease and syndrome confidences (``raw_confidence``) and whether disease and
syndrome (element-aware) were the expert's, fits the Platt map of :mod:`derm3r.clinic.calibration`
by L2-regularised logistic regression (Newton's method), and prints the three constants to copy into
knowledge/rules/thresholds.yaml, then, per candidate ``threshold.min_confidence``, the dev abstention
and the accuracy of the answered cases. The threshold is the highest one whose dev abstention stays
≤ ``--abstention`` (default 0.10, a margin under the 0.15 target) while its answered cases keep disease
accuracy ≥ ``--accuracy`` (default 0.85, a margin over the 0.80 target). ``--check`` splits are consulted too
and only scored: the ECE (confidence vs disease and element-aware syndrome right, in-scope cases with a
syndrome) under the constants in thresholds.yaml now and under the fitted ones, to see whether a fit holds on
notes it did not see.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from clinical_bench import SPLITS, in_scope, referred, run

from derm3r.clinic.calibration import CARRIED_DISEASE_CONFIDENCE, calibration_features
from derm3r.evaluation.calibration import expected_calibration_error, fit_logistic


def raw_features(record: dict[str, Any]) -> tuple[float, float] | None:
    """The raw disease and syndrome confidences of a consulted record, or None without a syndrome."""
    assessment = (record.get("consultation") or {}).get("assessment") or {}
    syndrome = assessment.get("syndrome") or {}
    if syndrome.get("raw_confidence") is None:
        return None
    disease = next((c["confidence"] for c in assessment.get("disease_differential") or []
                    if c.get("disease_id") == assessment.get("disease_id")), CARRIED_DISEASE_CONFIDENCE)
    return float(disease), float(syndrome["raw_confidence"])


def right(record: dict[str, Any]) -> float:
    """1.0 when disease and syndrome (element-aware) are the expert's."""
    scores = record.get("scores") or {}
    return float(scores.get("disease_acc", 0.0)) * float(scores.get("syndrome_element_acc", 0.0))


def threshold_table(
    records: Sequence[dict[str, Any]], confidences: dict[str, float]
) -> list[tuple[float, float, float, int]]:
    """Per candidate threshold: (threshold, abstention on in-scope, answered disease accuracy, answered n)."""
    scope = in_scope(records)
    table = []
    for threshold in [t / 100 for t in range(5, 80, 5)]:
        answered = [r for r in scope if not referred(r) and confidences.get(r["case_id"], 0.0) >= threshold]
        accuracy = sum(float(r["scores"].get("disease_acc", 0)) for r in answered) / max(1, len(answered))
        table.append((threshold, 1 - len(answered) / len(scope), accuracy, len(answered)))
    return table


_RUNS: dict[str, list[dict[str, Any]]] = {}


def consulted(name: str) -> list[dict[str, Any]]:
    """The split's scored records, consulted once per process."""
    if name not in _RUNS:
        _RUNS[name] = run(SPLITS[name], "knowledge", retrieval=False)
    return _RUNS[name]


def split_ece(name: str, fitted: tuple[float, float, float]) -> str:
    """The split's ECE (in-scope cases with a syndrome) under the current constants and under ``fitted``."""
    from derm3r.kb.loader import load_knowledge_base

    kb = load_knowledge_base(Path(__file__).resolve().parents[1] / "knowledge")
    current = tuple(kb.threshold(f"threshold.calibration_{part}") for part in ("intercept", "disease_weight",
                                                                                 "syndrome_weight"))
    rows = [(right(r), calibration_features(*f)) for r in in_scope(consulted(name))
            if (f := raw_features(r)) is not None]
    figures = []
    for a, b_d, b_s in (current, fitted):
        pairs = [(1 / (1 + math.exp(-(a + b_d * d + b_s * s))), y) for y, (d, s) in rows]
        figures.append(expected_calibration_error(pairs))
    return f"current {figures[0]:.3f}, fitted {figures[1]:.3f} (n = {len(rows)})"


def main(argv: Sequence[str] | None = None) -> int:
    """Fit on dev and print the constants and the threshold table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accuracy", type=float, default=0.85, help="answered disease accuracy to keep")
    parser.add_argument("--abstention", type=float, default=0.10, help="dev abstention not to exceed")
    dev_splits = sorted(name for name in SPLITS if name != "test")
    parser.add_argument("--fit", nargs="+", choices=dev_splits, default=["dev"], help="splits to fit on")
    parser.add_argument("--check", nargs="*", choices=dev_splits, default=[], help="splits only scored")
    args = parser.parse_args(argv)
    records = [r for name in args.fit for r in consulted(name)]
    rows = [(r, f) for r in in_scope(records) if (f := raw_features(r)) is not None]
    x = np.array([calibration_features(*features) for _, features in rows])
    y = np.array([right(r) for r, _ in rows])
    a, b_disease, b_syndrome = fit_logistic(x, y)
    print(f"fitted on {len(rows)} cases of {'+'.join(args.fit)} with a syndrome ({int(y.sum())} right)")
    for name in args.fit + args.check:
        print(f"  ECE on {name}: {split_ece(name, (a, b_disease, b_syndrome))}")
    print(f"  threshold.calibration_intercept       {a:.3f}")
    print(f"  threshold.calibration_disease_weight  {b_disease:.3f}")
    print(f"  threshold.calibration_syndrome_weight {b_syndrome:.3f}")
    confidences = {r["case_id"]: 1 / (1 + math.exp(-(a + b_disease * f[0] + b_syndrome * f[1])))
                   for (r, _), f in zip(rows, x, strict=True)}
    chosen = None
    print("  min_confidence  abstention  answered-disease-acc  n")
    for threshold, abstention, accuracy, n in threshold_table(records, confidences):
        print(f"  {threshold:14.2f}  {abstention:10.3f}  {accuracy:20.3f}  {n}")
        if abstention <= args.abstention and accuracy >= args.accuracy:
            chosen = threshold
    print(f"threshold.min_confidence (highest with abstention ≤ {args.abstention} and answered disease accuracy "
          f"≥ {args.accuracy}): {chosen}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
