"""Throughput of ``derm3r evaluate`` with the knowledge engine, and the share spent outside consultation.

Run: ``.venv/bin/python benchmarks/eval_bench.py [--cases 1000] [--retrieval] [--keep-images]``. The cases are
examples/eval/psoriasis.jsonl duplicated (photographs dropped unless ``--keep-images``: image analysis would
dominate). Targets (issue 5): ≥ 50 cases/s at concurrency 1; scoring and writing ≤ 10% of the consult time.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from derm3r import Derm3R
from derm3r.evaluation.results import load_results
from derm3r.evaluation.runner import evaluate

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "examples" / "eval" / "psoriasis.jsonl"


def make_lines(count: int, keep_images: bool) -> list[str]:
    base = [json.loads(text) for text in DATA.read_text(encoding="utf-8").splitlines() if text.strip()]
    lines = []
    for index in range(count):
        line = json.loads(json.dumps(base[index % len(base)]))
        line["case"]["case_id"] += f"-{index}"
        if not keep_images:
            line["case"]["images"] = []
        lines.append(json.dumps(line, ensure_ascii=False))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--retrieval", action="store_true", help="retrieve knowledge passages (ngram embedder)")
    parser.add_argument("--keep-images", action="store_true")
    args = parser.parse_args()
    lines = make_lines(args.cases, args.keep_images)
    with tempfile.TemporaryDirectory() as tmp:
        system = Derm3R(retrieval=args.retrieval, embedder="ngram", index_path=Path(tmp) / "index")
        system.consult(json.loads(lines[0])["case"])  # warm-up: index build and first-call costs
        for concurrency in (1, 2):
            out = Path(tmp) / f"run-{concurrency}"
            start = time.perf_counter()
            evaluate(system, lines, out, concurrency=concurrency, case_dir=REPO / "examples" / "cases",
                     progress=False)
            total = time.perf_counter() - start
            consult_s = sum(record["ms"] for record in load_results(out / "results.jsonl")) / 1000
            # With threads the consult times overlap, so the overhead is only meaningful at concurrency 1.
            overhead = (total - consult_s) / consult_s if concurrency == 1 else float("nan")
            print(f"concurrency {concurrency}: {args.cases / total:.1f} cases/s ({total:.2f} s); "
                  f"evaluation overhead (scoring, writing, reports) {overhead:.1%} of consult time")


if __name__ == "__main__":
    main()
