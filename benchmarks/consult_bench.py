"""Knowledge-engine figures on the example cases: cold start, warm latency, import time, peak RSS.

Run: ``.venv/bin/python benchmarks/consult_bench.py [--rounds 5]``. Targets (issue 2): warm p50 ≤ 50 ms,
``import derm3r`` ≤ 0.5 s, cold start (index build + first consult) ≤ 15 s.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CASES = sorted((REPO / "examples" / "cases").glob("*.json"))


def import_seconds(repeats: int = 5) -> float:
    """Median wall time of ``import derm3r`` in a fresh interpreter, less the bare interpreter start."""

    def run(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)
        return time.perf_counter() - start

    bare = statistics.median(run("pass") for _ in range(repeats))
    with_import = statistics.median(run("import derm3r") for _ in range(repeats))
    return max(0.0, with_import - bare)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="warm passes over the example cases")
    parser.add_argument("--embedder", choices=["use", "ngram"], default="use", help="retrieval embedder")
    args = parser.parse_args()

    print(f"embedder: {args.embedder}")
    print(f"import derm3r: {import_seconds():.3f} s (target <= 0.5 s)")
    from derm3r import Derm3R

    with tempfile.TemporaryDirectory() as index_dir:
        start = time.perf_counter()
        system = Derm3R(index_path=index_dir, embedder=args.embedder)
        system.consult(CASES[0])
        cold = time.perf_counter() - start
        print(f"cold start (load knowledge, build chromadb index, first consult): {cold:.2f} s (target <= 15 s)")
        timings = []
        for _ in range(args.rounds):
            for case in CASES:
                start = time.perf_counter()
                system.consult(case)
                timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p50 = statistics.median(timings)
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print(
        f"warm consult over {len(CASES)} cases x {args.rounds}: "
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms (target p50 <= 50 ms)"
    )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak_mb:.0f} MiB")


if __name__ == "__main__":
    main()
