"""Throughput of ``derm3r evaluate`` with the knowledge engine, and the share spent outside consultation.

Run: ``.venv/bin/python benchmarks/eval_bench.py [--cases 1000] [--retrieval]``. The cases are the 60 lines of
data/dev/derm-dev.jsonl duplicated (fresh case ids). Targets (issue 5): ≥ 50 cases/s at concurrency 1; the
evaluation's own cost per case (parsing, scoring, serialising and writing the record) ≤ 10% of the consult
time. The final aggregation and reports (metrics.json, report.md, report.html) run once per run and are
printed separately.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from derm3r import Derm3R
from derm3r.evaluation.runner import evaluate

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data" / "dev" / "derm-dev.jsonl"


def make_lines(count: int) -> list[str]:
    """The dev set's lines repeated to ``count``, each with its own case id."""
    base = [json.loads(text) for text in DATA.read_text(encoding="utf-8").splitlines() if text.strip()]
    lines = []
    for index in range(count):
        line = json.loads(json.dumps(base[index % len(base)]))
        line["case"]["case_id"] += f"-{index}"
        lines.append(json.dumps(line, ensure_ascii=False))
    return lines


def main() -> None:
    """Evaluate the duplicated dev set at concurrency 1 and 2 and print throughput and overhead."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--retrieval", action="store_true", help="retrieve knowledge passages (ngram embedder)")
    args = parser.parse_args()
    lines = make_lines(args.cases)
    with tempfile.TemporaryDirectory() as tmp:
        system = Derm3R(retrieval=args.retrieval, embedder="ngram", index_path=Path(tmp) / "index")
        for text in lines[:60]:  # warm-up: index build, first-call costs, the scorer's name caches
            system.consult(json.loads(text)["case"])
        for concurrency in (1, 2):
            start = time.perf_counter()
            run = evaluate(system, lines, Path(tmp) / f"run-{concurrency}", concurrency=concurrency, progress=False)
            total = time.perf_counter() - start
            loop, consult = run.metrics["run"]["seconds"], run.metrics["run"]["consult_seconds"]
            line = (f"concurrency {concurrency}: {args.cases / total:.1f} cases/s end to end ({total:.2f} s: "
                    f"{loop:.2f} s evaluating, {total - loop:.2f} s aggregating and writing reports)")
            if concurrency == 1:
                # With threads the consult times overlap, so the share is only meaningful at concurrency 1.
                line += (f"; per-case overhead (parse, score, serialise, write) {(loop - consult) / consult:.1%} "
                         f"of consult time ({(loop - consult) / args.cases * 1000:.2f} ms vs "
                         f"{consult / args.cases * 1000:.2f} ms per case)")
            print(line, flush=True)


if __name__ == "__main__":
    main()
