"""The chromadb vector store over the knowledge base, rebuilt only when knowledge/ changes."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from derm3r.kb.documents import Passage, build_passages
from derm3r.kb.loader import KnowledgeBase

COLLECTION_NAME = "derm3r_knowledge"


class KnowledgeStore:
    """A persistent chromadb collection of knowledge passages with filtered search."""

    def __init__(self, kb: KnowledgeBase, path: Path, embedder: str = "use") -> None:
        """Prepare (but do not yet open) the store.

        Args:
            kb: The knowledge base to index.
            path: Directory of the chromadb database.
            embedder: "use" (multilingual sentence encoder) or "ngram" (no model at all).
        """
        self.kb = kb
        self.path = path
        self.embedder = embedder
        self._collection: Any = None
        self._lock = threading.Lock()
        self.rebuilt = False

    def open(self) -> None:
        """Open the collection, (re)building it when the knowledge fingerprint or embedder changed."""
        with self._lock:
            if self._collection is not None:
                return
            import chromadb
            from chromadb.config import Settings

            from derm3r.kb.embedding import make_embedding_function

            self.path.mkdir(parents=True, exist_ok=True)
            client = chromadb.PersistentClient(path=str(self.path), settings=Settings(anonymized_telemetry=False))
            function = make_embedding_function(self.embedder)
            name = f"{COLLECTION_NAME}_{self.embedder}"
            wanted = {"fingerprint": self.kb.fingerprint, "embedder": self.embedder, "hnsw:space": "cosine"}
            existing = {collection.name for collection in client.list_collections()}
            if name in existing:
                collection = client.get_collection(name, embedding_function=function)  # type: ignore[arg-type]
                if (collection.metadata or {}).get("fingerprint") == self.kb.fingerprint:
                    self._collection = collection
                    return
                client.delete_collection(name)
            collection = client.create_collection(name, metadata=wanted, embedding_function=function)  # type: ignore[arg-type]
            passages = build_passages(self.kb)
            collection.add(
                ids=[p.id for p in passages],
                documents=[p.text for p in passages],
                metadatas=[{"kind": p.kind, "disease": p.disease} for p in passages],
            )
            self._collection = collection
            self.rebuilt = True

    def count(self) -> int:
        """Return the number of indexed passages."""
        self.open()
        return int(self._collection.count())

    def search(self, query: str, k: int = 5, kind: str | None = None, disease: str | None = None) -> list[Passage]:
        """Return the k passages nearest to the query, optionally filtered by kind and disease.

        Args:
            query: Free text, Chinese or English.
            k: How many passages.
            kind: Keep only "disease", "syndrome", "formula" or "herb" passages.
            disease: Keep only passages of this disease id.

        Returns:
            Passages best first; ``score`` is 1 − cosine distance.
        """
        self.open()
        clauses: list[dict[str, Any]] = []
        if kind:
            clauses.append({"kind": kind})
        if disease:
            clauses.append({"disease": disease})
        where: dict[str, Any] | None = None
        if len(clauses) == 1:
            where = clauses[0]
        elif clauses:
            where = {"$and": clauses}
        result = self._collection.query(query_texts=[query or " "], n_results=k, where=where)
        passages = []
        for entry_id, text, metadata, distance in zip(
            result["ids"][0], result["documents"][0], result["metadatas"][0], result["distances"][0], strict=True
        ):
            passages.append(
                Passage(entry_id, str(metadata["kind"]), str(metadata["disease"]), text, round(1 - float(distance), 4))
            )
        return passages
