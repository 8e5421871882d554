"""Hybrid retrieval: BM25 over character n-grams, rank fusion with the dense index, filters, test set."""

from __future__ import annotations

from pathlib import Path

import pytest

from derm3r.kb.bm25 import BM25Index, tokenize
from derm3r.kb.loader import KnowledgeBase
from derm3r.kb.retrieval_eval import load_queries, score_retrieval
from derm3r.kb.store import KnowledgeStore

QUERIES = Path(__file__).resolve().parents[1] / "data" / "retrieval_queries.yaml"


def test_tokenize_gives_chinese_unigrams_and_bigrams_and_lowercase_words() -> None:
    assert tokenize("丹皮 Moutan-Bark") == ["丹", "皮", "丹皮", "moutan", "bark"]
    assert tokenize("，。、") == []


def test_bm25_gives_a_misspelt_disease_name_partial_credit() -> None:
    index = BM25Index(["牛皮癣，皮损肥厚", "湿疮，糜烂渗出", "丹参活血"])
    scores = index.scores("牛皮鲜")
    assert scores[0] > 0
    assert scores[1] == 0 and scores[2] == 0


def test_bm25_search_needs_no_vector_index_and_resolves_aliases(kb: KnowledgeBase, tmp_path: Path) -> None:
    store = KnowledgeStore(kb, tmp_path / "never-built")
    assert store.search("丹皮", k=1, mode="bm25")[0].id == "herb.mu_dan_pi"
    assert store.search("生地", k=1, mode="bm25")[0].id == "herb.sheng_di_huang"
    assert not (tmp_path / "never-built").exists()


def test_bm25_filters_by_kind_and_disease(kb: KnowledgeBase, tmp_path: Path) -> None:
    store = KnowledgeStore(kb, tmp_path)
    herbs = store.search("凉血 活血 丹参", k=10, kind="herb", mode="bm25")
    assert herbs and all(passage.kind == "herb" for passage in herbs)
    scoped = store.search("凉血 活血 丹参", k=10, disease="disease.psoriasis", mode="bm25")
    assert scoped and all(passage.disease == "disease.psoriasis" for passage in scoped)


@pytest.mark.parametrize(("field", "kwargs"), [("mode", {"mode": "sparse"}), ("k", {"k": 0})])
def test_search_rejects_bad_arguments_naming_them(
    kb: KnowledgeBase, tmp_path: Path, field: str, kwargs: dict[str, object]
) -> None:
    with pytest.raises(ValueError, match=field):
        KnowledgeStore(kb, tmp_path).search("丹皮", **kwargs)  # type: ignore[arg-type]


def test_remote_store_rejects_a_malformed_url(kb: KnowledgeBase, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="server_url"):
        KnowledgeStore(kb, tmp_path, server_url="localhost:8000")


def test_remote_store_uses_the_server_not_the_local_directory(kb: KnowledgeBase, tmp_path: Path) -> None:
    # Port 9 (discard) on loopback has no chroma server: the HTTP client must fail to connect
    # rather than silently fall back to an embedded database under ``path``.
    store = KnowledgeStore(kb, tmp_path / "local", embedder="ngram", server_url="http://127.0.0.1:9")
    with pytest.raises(ValueError, match=r"(?i)connect"):
        store.open()
    assert not (tmp_path / "local").exists()


def test_query_set_is_large_varied_and_points_at_real_entries(kb: KnowledgeBase) -> None:
    queries = load_queries(QUERIES)
    assert len(queries) >= 80
    styles = {item.style for item in queries}
    assert {"colloquial", "literary", "english", "misspelt", "alias", "modified"} <= styles
    missing = [entry_id for item in queries for entry_id in item.expected if kb.get(entry_id) is None]
    assert missing == []


def test_query_set_rejects_an_entry_without_expected_ids(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("queries:\n  - {query: 丹皮}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"queries\[1\].*expected"):
        load_queries(path)


def test_hybrid_search_applies_filters_to_both_retrievers(system) -> None:  # type: ignore[no-untyped-def]
    store = system.store
    formulas = store.search("清热凉血 丹皮 生地", k=8, kind="formula")
    assert formulas and all(passage.kind == "formula" for passage in formulas)
    scoped = store.search("关节疼痛 晨僵", k=8, kind="syndrome", disease="disease.psoriasis")
    assert scoped[0].id == "syn.psoriasis.wind_damp_obstruction"
    assert all(passage.disease == "disease.psoriasis" for passage in scoped)
    # Fused scores are reciprocal-rank sums: at most 2/(60+1), best first.
    scores = [passage.score for passage in scoped]
    assert scores == sorted(scores, reverse=True) and scores[0] <= round(2 / 61, 6)


def test_hybrid_recall_meets_target_and_is_not_worse_than_either_retriever(system) -> None:  # type: ignore[no-untyped-def]
    store = system.store
    assert store.embedder == "use"
    queries = load_queries(QUERIES)
    recall = {mode: score_retrieval(store, queries, mode).recall for mode in ("dense", "bm25", "hybrid")}
    assert recall["hybrid"] >= 0.9, recall
    assert recall["hybrid"] >= max(recall["dense"], recall["bm25"]) - 0.05, recall


def test_kinds_keep_only_the_passages_an_agent_spec_declares(kb: KnowledgeBase, tmp_path: Path) -> None:
    store = KnowledgeStore(kb, tmp_path / "index", "ngram")
    for mode in ("bm25", "dense", "hybrid"):
        found = store.search("血热 皮损鲜红 清热凉血 犀角地黄汤", k=8, kinds=("syndrome", "formula"), mode=mode)
        assert found and {passage.kind for passage in found} <= {"syndrome", "formula"}
        assert {passage.kind for passage in store.search("丹皮 凉血", k=8, mode=mode)} - {"syndrome", "formula"}
    assert store.search("丹皮", k=3, kind="herb", kinds=("syndrome",)) == []  # both filters apply


def test_the_first_open_says_it_is_building_the_index(
    kb: KnowledgeBase, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("INFO", logger="derm3r.kb.store"):
        KnowledgeStore(kb, tmp_path / "index", "ngram").open()
    assert any("building the knowledge index" in record.message for record in caplog.records)
    caplog.clear()
    with caplog.at_level("INFO", logger="derm3r.kb.store"):
        KnowledgeStore(kb, tmp_path / "index", "ngram").open()  # reopened: nothing to build, nothing said
    assert not any("building" in record.message for record in caplog.records)
