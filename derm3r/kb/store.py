"""Hybrid knowledge retrieval: a chromadb vector store plus an in-memory BM25 index, fused by rank.

The vector index is rebuilt only when knowledge/ changes; the BM25 index is built from the same
passages on first use and kept in memory for the life of the store.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import numpy as np

from derm3r.errors import KnowledgeBaseError
from derm3r.kb.bm25 import BM25Index
from derm3r.kb.documents import Passage, build_passages, lexical_keywords
from derm3r.kb.index_dir import claim_index_dir, index_lock
from derm3r.kb.loader import KnowledgeBase

log = logging.getLogger(__name__)

COLLECTION_NAME = "derm3r_knowledge"
#: Name prefix of a collection being built (renamed to its final name when complete).
BUILDING_PREFIX = f"{COLLECTION_NAME}_building_"
#: Finished collections kept per embedder (other knowledge bases, earlier versions); older ones are removed.
KEPT_PER_EMBEDDER = 3
#: A temporary collection on a shared server older than this is a killed build.
ABANDONED_BUILD_S = 3600.0
SearchMode = Literal["dense", "bm25", "hybrid"]
SEARCH_MODES: tuple[str, ...] = ("dense", "bm25", "hybrid")
#: The k of reciprocal rank fusion (Cormack et al. 2009): damps the weight of the very top ranks.
RRF_K = 60
#: Stores with an open chromadb client (weak: a store no longer used is not kept alive here).
_OPEN: weakref.WeakSet[KnowledgeStore] = weakref.WeakSet()


def _close_open_stores() -> None:
    """Close every store's chromadb client while the interpreter is still whole.

    chromadb keeps each client's system (its Rust bindings: SQLite worker threads on a tokio runtime) in a
    class-level cache that nothing empties, so without this they are torn down during interpreter
    finalization, native threads exiting while CPython and the other native libraries are being unloaded.
    """
    for store in list(_OPEN):
        store.close()


atexit.register(_close_open_stores)

_IMPORTING_CHROMADB = threading.Lock()


def _import_chromadb() -> None:
    """Import chromadb one thread at a time.

    Graph nodes search from parallel threads, and chromadb's package imports are circular: two threads importing
    it for the first time at once deadlock (Python raises ``_DeadlockError``). Later calls cost a dict lookup.
    """
    with _IMPORTING_CHROMADB:
        import chromadb  # noqa: F401


class KnowledgeStore:
    """Knowledge passages searchable densely (chromadb), lexically (BM25) or both."""

    def __init__(self, kb: KnowledgeBase, path: Path, embedder: str = "use", server_url: str | None = None) -> None:
        """Prepare (but do not yet open) the store.

        Args:
            kb: The knowledge base to index.
            path: Directory of the embedded chromadb database (unused with ``server_url``).
            embedder: "use" (multilingual sentence encoder) or "ngram" (no model at all).
            server_url: A chromadb server, e.g. "http://localhost:8000", used instead of the embedded store.

        Raises:
            ValueError: When server_url is not an http(s) URL with a host.
        """
        if server_url is not None:
            parts = urlsplit(server_url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"server_url must look like http://host:port, got {server_url!r}")
        self.kb = kb
        self.path = path
        self.embedder = embedder
        self.server_url = server_url
        self._collection: Any = None
        self._chroma: Any = None  # the client the collection came from, closed by ``close``
        self._count = 0
        self._lock = threading.Lock()
        self._lexical: tuple[BM25Index, list[Passage]] | None = None
        self.rebuilt = False

    def _client(self) -> Any:
        import chromadb
        from chromadb.config import Settings

        settings = Settings(anonymized_telemetry=False)
        if self.server_url is not None:
            parts = urlsplit(self.server_url)
            port = parts.port or (443 if parts.scheme == "https" else 8000)
            return chromadb.HttpClient(
                host=parts.hostname or "", port=port, ssl=parts.scheme == "https", settings=settings
            )
        return chromadb.PersistentClient(path=str(self.path), settings=settings)

    def open(self) -> None:
        """Open the collection of this knowledge base and embedder, building it first when it is missing.

        A build writes a temporary collection and renames it to its final name once every passage is in, so a
        killed or concurrent build never leaves a partial index that reads as up to date. A local folder is opened,
        checked and built by one process at a time under a file lock (chromadb's PersistentClient is not
        process-safe: its first open of a new folder creates the database's tables, and two processes doing that at
        once fail with "table collections already exists"); the second finds the first's collection.

        Raises:
            KnowledgeBaseError: When the knowledge base has no passages to index.
            IndexPathError: When the index path is a folder derm3r did not create, or its lock cannot be opened.
        """
        _import_chromadb()
        with self._lock:
            if self._collection is not None:
                return
            from derm3r.kb.embedding import make_embedding_function

            passages = build_passages(self.kb)
            if not passages:
                raise KnowledgeBaseError("the knowledge base has no entries to index (is it a knowledge directory?)")
            function = make_embedding_function(self.embedder)
            name = f"{COLLECTION_NAME}_{self.embedder}_{self.kb.fingerprint}"
            local = self.server_url is None
            if local:
                claim_index_dir(self.path)
            with index_lock(self.path) if local else nullcontext():
                client = self._chroma or self._client()  # a reopen (see _read) keeps the client it has
                collection = _complete(client, name, function, len(passages))
                if collection is None:
                    collection = self._build(client, name, function, passages)
                    self.rebuilt = True
                    _remove_stale(client, name, self.embedder, local=local)
            self._collection, self._chroma = collection, client
            self._count = len(passages)
            _OPEN.add(self)

    def close(self) -> None:
        """Release the chromadb client (its SQLite workers); a later search opens it again. Called at exit."""
        with self._lock:
            client, self._chroma, self._collection = self._chroma, None, None
        if client is not None:
            try:
                client.close()
            except Exception as error:  # closing at exit must never turn a finished run into a traceback
                log.debug("closing the chromadb client failed: %s", error)

    def _build(self, client: Any, name: str, function: Any, passages: list[Passage]) -> Any:
        wanted = {"fingerprint": self.kb.fingerprint, "embedder": self.embedder, "hnsw:space": "cosine",
                  "built_at": time.time()}
        where = self.server_url or str(self.path)
        # The first run (or the first after knowledge/ changed) embeds every passage, which takes a while. The CLI
        # says so on stderr before it opens the store; a library user sees it in the log.
        log.info("building the knowledge index (%s embedder) in %s; later runs reuse it", self.embedder, where)
        temporary = f"{BUILDING_PREFIX}{uuid.uuid4().hex[:12]}"
        collection = client.create_collection(temporary, metadata=wanted, embedding_function=function)
        collection.add(
            ids=[p.id for p in passages],
            documents=[p.text for p in passages],
            metadatas=[{"kind": p.kind, "disease": p.disease} for p in passages],
        )
        try:
            collection.modify(name=name)  # the swap: the final name appears only on a complete collection
        except Exception:  # another builder (of a shared server) renamed first: use theirs
            client.delete_collection(temporary)
            found = _complete(client, name, function, len(passages))
            if found is None:
                raise
            return found
        return client.get_collection(name, embedding_function=function)

    def count(self) -> int:
        """Return the number of indexed passages."""
        return int(self._read(lambda collection: collection.count()))

    def _read(self, read: Callable[[Any], Any]) -> Any:
        """Run ``read`` on the open collection, opening (and if need be rebuilding) it once more if it is gone.

        Another process's build removes all but the newest few collections of an embedder (:func:`_remove_stale`),
        which can be the one this long-lived store (a server, a notebook) opened earlier: chromadb then answers
        NotFoundError, and the store opens its knowledge base's collection again rather than fail every search.
        """
        self.open()
        from chromadb.errors import NotFoundError

        collection = self._collection
        try:
            return read(collection)
        except NotFoundError:
            log.info("the knowledge index collection was removed by another build; opening it again")
            with self._lock:
                if self._collection is collection:
                    self._collection = None
            self.open()
            return read(self._collection)

    def search(
        self,
        query: str,
        k: int = 5,
        kind: str | None = None,
        disease: str | None = None,
        mode: str = "hybrid",
        kinds: Sequence[str] = (),
    ) -> list[Passage]:
        """Return the k passages that best match the query, optionally filtered by kind and disease.

        Args:
            query: Free text, Chinese or English.
            k: How many passages.
            kind: Keep only "disease", "syndrome", "formula" or "herb" passages.
            disease: Keep only passages of this disease id.
            mode: "dense" (sentence embeddings), "bm25" (character n-grams) or "hybrid" (both, rank-fused).
            kinds: Keep only passages of these kinds (an agent spec's ``retrieval.kinds``); with ``kind``, both apply.

        Returns:
            Passages best first. ``score`` is 1 − cosine distance (dense), the BM25 score (bm25) or the
            reciprocal-rank-fusion score (hybrid).

        Raises:
            ValueError: For an unknown mode or a k below 1.
        """
        if mode not in SEARCH_MODES:
            raise ValueError(f"mode must be one of {', '.join(SEARCH_MODES)}; got {mode!r}")
        if k < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        if kind and kinds and kind not in kinds:
            return []
        kind_filter = (kind,) if kind else tuple(kinds)
        if mode == "dense":
            return self._dense(query, k, kind_filter, disease)
        if mode == "bm25":
            return self._bm25(query, k, kind_filter, disease)
        # Only each retriever's own top k is fused: deeper lists let passages that both rank
        # mediocre outrank one that BM25 alone ranks first (recall@5 fell from 0.98 to 0.93 at depth 50
        # on the test set once three more diseases were added).
        rankings = [self._bm25(query, k, kind_filter, disease), self._dense(query, k, kind_filter, disease)]
        fused: dict[str, float] = {}
        by_id: dict[str, Passage] = {}
        for ranking in rankings:
            for rank, passage in enumerate(ranking, start=1):
                fused[passage.id] = fused.get(passage.id, 0.0) + 1.0 / (RRF_K + rank)
                by_id.setdefault(passage.id, passage)
        # A tie (each retriever alone ranks a different passage at the same place) goes to BM25's,
        # the retriever with the higher precision on the test set: the sort is stable and BM25 came first.
        best = sorted(fused, key=lambda entry_id: -fused[entry_id])[:k]
        return [replace(by_id[entry_id], score=round(fused[entry_id], 6)) for entry_id in best]

    def _dense(self, query: str, k: int, kinds: tuple[str, ...], disease: str | None) -> list[Passage]:
        clauses: list[dict[str, Any]] = []
        if len(kinds) == 1:
            clauses.append({"kind": kinds[0]})
        elif kinds:
            clauses.append({"kind": {"$in": list(kinds)}})
        if disease:
            clauses.append({"disease": disease})
        where: dict[str, Any] | None = None
        if len(clauses) == 1:
            where = clauses[0]
        elif clauses:
            where = {"$and": clauses}
        result = self._read(lambda collection: collection.query(
            query_texts=[query or " "], n_results=min(k, self._count or k), where=where))
        passages = []
        for entry_id, text, metadata, distance in zip(
            result["ids"][0], result["documents"][0], result["metadatas"][0], result["distances"][0], strict=True
        ):
            passages.append(
                Passage(entry_id, str(metadata["kind"]), str(metadata["disease"]), text, round(1 - float(distance), 4))
            )
        return passages

    def _lexical_index(self) -> tuple[BM25Index, list[Passage]]:
        with self._lock:
            if self._lexical is None:
                passages = build_passages(self.kb)
                keywords = lexical_keywords(self.kb)
                index = BM25Index([f"{p.text} {keywords.get(p.id, '')}" for p in passages])
                self._lexical = (index, passages)
            return self._lexical

    def _bm25(self, query: str, k: int, kinds: tuple[str, ...], disease: str | None) -> list[Passage]:
        index, passages = self._lexical_index()
        scores = index.scores(query)
        keep = scores > 0
        if kinds or disease:
            keep &= np.array(
                [(not kinds or p.kind in kinds) and (not disease or p.disease == disease) for p in passages],
                dtype=bool,
            )
        candidates = np.flatnonzero(keep)
        # Stable sort on the negated score keeps passage order among equal scores.
        order = candidates[np.argsort(-scores[candidates], kind="stable")][:k]
        return [replace(passages[number], score=round(float(scores[number]), 4)) for number in order]


def _complete(client: Any, name: str, function: Any, expected: int) -> Any:
    """The finished collection of this name, or None (missing, or not holding every passage)."""
    if name not in {collection.name for collection in client.list_collections()}:
        return None
    collection = client.get_collection(name, embedding_function=function)
    if int(collection.count()) == expected:
        return collection
    client.delete_collection(name)  # ours by name, yet incomplete: only a tampered index gets here
    return None


def _remove_stale(client: Any, current: str, embedder: str, *, local: bool) -> None:
    """Remove abandoned builds and all but the newest few finished collections of this embedder.

    Only derm3r's own collections (named with :data:`COLLECTION_NAME`) are ever removed.
    """
    finished: list[tuple[float, str]] = []
    for collection in client.list_collections():
        name, metadata = collection.name, collection.metadata or {}
        built_at = float(metadata.get("built_at") or 0.0)
        if name.startswith(BUILDING_PREFIX):
            # Locally builds run one at a time under the lock, so any other is a killed one.
            if local or time.time() - built_at > ABANDONED_BUILD_S:
                client.delete_collection(name)
        elif name == f"{COLLECTION_NAME}_{embedder}":  # the single collection of earlier versions
            client.delete_collection(name)
        elif name.startswith(f"{COLLECTION_NAME}_{embedder}_") and name != current:
            finished.append((built_at, name))
    for _, name in sorted(finished, reverse=True)[KEPT_PER_EMBEDDER - 1 :]:
        client.delete_collection(name)
