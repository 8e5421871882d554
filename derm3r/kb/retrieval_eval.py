"""Score knowledge retrieval against a set of queries with known answers (recall@k, MRR, latency)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from derm3r.kb.store import KnowledgeStore


@dataclass(frozen=True)
class RetrievalQuery:
    """One test query and the entry ids that answer it."""

    query: str
    expected: tuple[str, ...]
    style: str = ""


@dataclass
class RetrievalScores:
    """Figures of one search mode over a query set."""

    mode: str
    recall: float
    mrr: float
    mean_ms: float
    misses: list[str] = field(default_factory=list)


def load_queries(path: Path) -> list[RetrievalQuery]:
    """Read a retrieval query set (YAML with a ``queries`` list of query/expected/style).

    Args:
        path: The YAML file.

    Returns:
        The queries in file order.

    Raises:
        ValueError: When an entry lacks ``query`` or ``expected``, naming the entry.
    """
    data: Any = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    queries = []
    for number, entry in enumerate(data.get("queries", []), start=1):
        if not isinstance(entry, dict) or not entry.get("query") or not entry.get("expected"):
            raise ValueError(f"{path}: queries[{number}] needs a non-empty 'query' and 'expected'")
        expected = entry["expected"]
        ids = tuple(expected) if isinstance(expected, list) else (str(expected),)
        queries.append(RetrievalQuery(str(entry["query"]), ids, str(entry.get("style", ""))))
    return queries


def score_retrieval(store: KnowledgeStore, queries: list[RetrievalQuery], mode: str, k: int = 5) -> RetrievalScores:
    """Run every query in one mode and score the rankings.

    Args:
        store: The knowledge store.
        queries: Queries with expected ids.
        mode: "dense", "bm25" or "hybrid".
        k: The cut-off of recall@k (MRR counts ranks up to k as well).

    Returns:
        Recall@k (a query hits when any expected id is in the top k), MRR@k, mean latency and the missed queries.
    """
    hits = 0
    reciprocal = 0.0
    elapsed = 0.0
    misses = []
    for item in queries:
        started = time.perf_counter()
        ranked = [passage.id for passage in store.search(item.query, k=k, mode=mode)]
        elapsed += time.perf_counter() - started
        rank = next((position for position, entry_id in enumerate(ranked, start=1) if entry_id in item.expected), 0)
        if rank:
            hits += 1
            reciprocal += 1.0 / rank
        else:
            misses.append(item.query)
    total = max(len(queries), 1)
    return RetrievalScores(mode, hits / total, reciprocal / total, 1000 * elapsed / total, misses)
