"""Clinical figures on the blind clinic-note sets (issue 13): disease, syndrome, abstention, herbs, referral.

Run: ``.venv/bin/python benchmarks/clinical_bench.py [--split test|dev|dev2|dev3|dev4|dev5|dev6|dev7|dev8|dev9]
[--engine knowledge] [--retrieval] [--json] [--cases]``. The default split is data/blind/clinical-test.jsonl, which
nobody tunes on; tune on
``--split dev`` or ``--split dev2``. Targets (issue 13 "Done when", test split, default engine): disease
≥ 0.85; syndrome
(element-aware) ≥ 0.70; abstention on in-scope cases ≤ 0.15 with accuracy of answered cases ≥ 0.80;
herb F1 ≥ 0.45; every referral case referred.

The cases are consulted and scored by the project's evaluation runner (``Derm3R.evaluate``), so every
metric the runner learns later (element-aware syndrome match, calibration) lands in its records; a figure
here is one entry of :data:`FIGURES` — a name and a function of the scored records — so adding one is one
function and one line. Any ``syndrome_*`` score the runner adds beyond exact match is printed too.

A line is a *referral case* when its expert marks referral the way data/dev does: a principle containing
转诊 and no syndrome or herbs (data/blind/README.md). Every other line is *in scope*. A consultation
*refers* when its safety report has a red flag or a referral; it *answers* when it did not abstain.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
BLIND = REPO / "data" / "blind"
SPLITS = {
    "test": BLIND / "clinical-test.jsonl",
    "dev": BLIND / "clinical-dev.jsonl",
    "dev2": BLIND / "clinical-dev2.jsonl",
    "dev3": BLIND / "clinical-dev3.jsonl",
    "dev4": BLIND / "clinical-dev4.jsonl",
    "dev5": BLIND / "clinical-dev5.jsonl",
    "dev6": BLIND / "clinical-dev6.jsonl",
    "dev7": BLIND / "clinical-dev7.jsonl",
    "dev8": BLIND / "clinical-dev8.jsonl",
    "dev9": BLIND / "clinical-dev9.jsonl",
}

Record = dict[str, Any]


@dataclass(frozen=True)
class Figure:
    """One printed figure: ``value`` is the mean over the records it counts (None when there are none)."""

    name: str
    value: float | None
    n: int
    target: str = ""


def is_referral_case(record: Record) -> bool:
    """Whether the expert of a scored record referred the case (data/dev's convention)."""
    expert = record.get("expert") or {}
    refers = "转诊" in (expert.get("treatment_principle") or "")
    return refers and not expert.get("syndrome") and not expert.get("herbs")


def referred(record: Record) -> bool:
    """Whether the system referred: a red flag or a referral in its safety report."""
    safety = (record.get("consultation") or {}).get("safety") or {}
    return bool(safety.get("red_flags") or safety.get("referral"))


def answered(record: Record) -> bool:
    """Whether the system gave an answer (did not abstain) on a consulted case."""
    return not (record.get("consultation") or {}).get("safety", {}).get("abstained", False)


def in_scope(records: Sequence[Record]) -> list[Record]:
    """The scored records whose expert treated the case."""
    return [r for r in records if r.get("consultation") and not is_referral_case(r)]


def mean_score(records: Sequence[Record], metric: str) -> tuple[float | None, int]:
    """Mean of one per-case score over the records that have it."""
    values = [float(r["scores"][metric]) for r in records if metric in (r.get("scores") or {})]
    return (sum(values) / len(values) if values else None), len(values)


def _share(records: Sequence[Record], test: Callable[[Record], bool]) -> tuple[float | None, int]:
    return (sum(map(test, records)) / len(records) if records else None), len(records)


def _score(metric: str, pick: Callable[[Sequence[Record]], list[Record]], target: str = "") -> Callable[..., Figure]:
    def figure(name: str, records: Sequence[Record]) -> Figure:
        value, n = mean_score(pick(records), metric)
        return Figure(name, value, n, target)
    return figure


def _answered_in_scope(records: Sequence[Record]) -> list[Record]:
    return [r for r in in_scope(records) if answered(r)]


def _abstention(name: str, records: Sequence[Record]) -> Figure:
    value, n = _share(in_scope(records), lambda r: not answered(r))
    return Figure(name, value, n, "≤ 0.15")


def _referral_recall(name: str, records: Sequence[Record]) -> Figure:
    value, n = _share([r for r in records if r.get("consultation") and is_referral_case(r)], referred)
    return Figure(name, value, n, "1.00")


def _false_referral(name: str, records: Sequence[Record]) -> Figure:
    value, n = _share(in_scope(records), referred)
    return Figure(name, value, n)


def _ece(name: str, records: Sequence[Record]) -> Figure:
    """Expected calibration error of the answered cases' confidence (lower is better)."""
    from derm3r.evaluation.calibration import calibration_summary

    summary = calibration_summary(in_scope(records))
    return Figure(name, summary["ece"], summary["cases"], "lower is better")


#: (label, figure function); extend here.
FIGURES: list[tuple[str, Callable[[str, Sequence[Record]], Figure]]] = [
    ("disease accuracy (all cases)", _score("disease_acc", lambda rs: [r for r in rs if r.get("consultation")],
                                            "≥ 0.85")),
    ("disease accuracy (in-scope)", _score("disease_acc", in_scope)),
    ("syndrome exact (in-scope)", _score("syndrome_acc", in_scope)),
    ("abstention on in-scope", _abstention),
    ("disease accuracy of answered in-scope", _score("disease_acc", _answered_in_scope, "≥ 0.80")),
    ("syndrome exact of answered in-scope", _score("syndrome_acc", _answered_in_scope)),
    ("formula match (in-scope)", _score("formula_match", in_scope)),
    ("herb F1 (in-scope)", _score("herb_f1", in_scope, "≥ 0.45")),
    ("herb F1 of answered in-scope", _score("herb_f1", _answered_in_scope)),
    ("referral recall", _referral_recall),
    ("referral of in-scope cases", _false_referral),
    ("calibration ECE (answered in-scope)", _ece),
]

#: Syndrome scores printed by FIGURES already; any other ``syndrome_*`` score the runner offers is added.
_KNOWN_SYNDROME_SCORES = {"syndrome_acc", "syndrome_mc_acc"}


def extra_syndrome_figures(records: Sequence[Record]) -> list[Figure]:
    """Figures for syndrome scores the evaluation added after this bench was written (e.g. element-aware)."""
    names = sorted({k for r in records for k in (r.get("scores") or {})
                    if k.startswith("syndrome_") and k not in _KNOWN_SYNDROME_SCORES})
    figures = []
    for metric in names:
        value, n = mean_score(in_scope(records), metric)
        figures.append(Figure(f"{metric} (in-scope)", value, n, "≥ 0.70" if "element" in metric else ""))
    return figures


def compute(records: Sequence[Record]) -> list[Figure]:
    """Every figure of the scored records."""
    figures = [function(label, records) for label, function in FIGURES]
    return figures[:3] + extra_syndrome_figures(records) + figures[3:]


def run(split: Path, engine: str, retrieval: bool) -> list[Record]:
    """Evaluate the split with the evaluation runner and return its result records."""
    from derm3r import Derm3R
    from derm3r.evaluation.results import load_results

    with tempfile.TemporaryDirectory() as tmp:
        system = Derm3R(engine, retrieval=retrieval, embedder="ngram", index_path=Path(tmp) / "index")
        outcome = system.evaluate(split, Path(tmp) / "run")
        return load_results(Path(outcome.out_dir) / "results.jsonl")


def _fmt(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:.3f}"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the figures of one split."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=sorted(SPLITS), default="test")
    parser.add_argument("--data", type=Path, help="another evaluation JSONL instead of a split")
    parser.add_argument("--engine", default="knowledge")
    parser.add_argument("--retrieval", action="store_true", help="retrieve knowledge passages (ngram embedder)")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--cases", action="store_true", help="also print each case: expert vs system")
    args = parser.parse_args(argv)
    path = args.data or SPLITS[args.split]
    records = run(path, args.engine, args.retrieval)
    errors = [r for r in records if r.get("error")]
    figures = compute(records)
    if args.json:
        print(json.dumps({"data": str(path), "engine": args.engine, "cases": len(records), "errors": len(errors),
                          "figures": {f.name: {"value": f.value, "n": f.n} for f in figures}}, ensure_ascii=False))
        return 0
    print(f"data: {path.relative_to(REPO) if path.is_relative_to(REPO) else path}  engine: {args.engine}  "
          f"cases: {len(records)}  errors: {len(errors)}")
    for figure in figures:
        target = f"   (target {figure.target})" if figure.target else ""
        print(f"  {figure.name:<40} {_fmt(figure.value)}   n={figure.n}{target}")
    if args.cases:
        for record in records:
            print(_case_line(record))
    return 0


def _case_line(record: Record) -> str:
    consultation = record.get("consultation") or {}
    assessment = consultation.get("assessment") or {}
    syndrome = (assessment.get("syndrome") or {}).get("name", "")
    expert = record.get("expert") or {}
    state = "refer" if referred(record) else ("abstain" if not answered(record) else "answer")
    return (f"  {record.get('case_id')}: expert {expert.get('disease', '')}/{expert.get('syndrome', '') or 'refer'}"
            f" | system {assessment.get('disease', '')}/{syndrome} [{state}]"
            + (f" ERROR {record['error']}" if record.get("error") else ""))


if __name__ == "__main__":
    sys.exit(main())
