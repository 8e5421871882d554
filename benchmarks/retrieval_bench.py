"""Retrieval figures: recall@5, MRR and query latency of dense, BM25 and hybrid search.

Run: ``.venv/bin/python benchmarks/retrieval_bench.py [--embedder use|ngram]``. Target (issue 3):
hybrid recall@5 ≥ 0.9 over tests/data/retrieval_queries.yaml.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from derm3r.kb.loader import load_knowledge_base
from derm3r.kb.retrieval_eval import load_queries, score_retrieval
from derm3r.kb.store import SEARCH_MODES, KnowledgeStore
from derm3r.paths import knowledge_dir

QUERIES = Path(__file__).resolve().parents[1] / "tests" / "data" / "retrieval_queries.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--embedder", choices=["use", "ngram"], default="use")
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    kb = load_knowledge_base(knowledge_dir())
    queries = load_queries(args.queries)
    with tempfile.TemporaryDirectory() as index:
        store = KnowledgeStore(kb, Path(index), args.embedder)
        started = time.perf_counter()
        store.open()
        built = time.perf_counter() - started
        print(f"index: {store.count()} passages, embedder {args.embedder}, opened in {built:.1f} s")
        store.search("warm-up", mode="hybrid")
        print(f"{len(queries)} queries")
        print(f"{'mode':<8} {'recall@5':>9} {'MRR':>6} {'ms/query':>9}")
        for mode in SEARCH_MODES:
            scores = score_retrieval(store, queries, mode)
            print(f"{mode:<8} {scores.recall:>9.3f} {scores.mrr:>6.3f} {scores.mean_ms:>9.1f}")
            if args.show_misses:
                for query in scores.misses:
                    print(f"  missed: {query}")


if __name__ == "__main__":
    main()
