"""Okapi BM25 over character n-grams: the lexical half of hybrid retrieval (pure Python and numpy).

Chinese has no spaces, so Chinese text is indexed as character uni- and bigrams: a bigram rewards
an exact two-character term (丹皮, 鳞屑) while the unigrams still give partial credit to a variant
or miswritten character (牛皮鲜 for 牛皮癣, 单参 for 丹参). ASCII text is indexed as lower-cased words.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

#: Runs of CJK ideographs, or of ASCII letters and digits; everything else separates tokens.
_RUNS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+")


def tokenize(text: str) -> list[str]:
    """Split text into BM25 tokens.

    Args:
        text: Any text, Chinese, English or mixed.

    Returns:
        Character unigrams and bigrams of each run of Chinese characters, and lower-cased ASCII words.
    """
    tokens: list[str] = []
    for run in _RUNS.findall(text.lower()):
        if run.isascii():
            tokens.append(run)
            continue
        tokens.extend(run)
        tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    return tokens


class BM25Index:
    """An in-memory BM25 index over a fixed list of documents."""

    def __init__(self, documents: Sequence[str], k1: float = 1.5, b: float = 0.75) -> None:
        """Index the documents.

        Args:
            documents: Document texts; their positions are the document numbers returned by ``scores``.
            k1: Term-frequency saturation.
            b: Length normalisation (0 none, 1 full).
        """
        self.k1 = k1
        self.b = b
        self.size = len(documents)
        counts = [Counter(tokenize(text)) for text in documents]
        lengths = np.array([sum(count.values()) for count in counts], dtype=np.float64)
        self._norm = k1 * (1 - b + b * lengths / (lengths.mean() if self.size and lengths.mean() else 1.0))
        postings: dict[str, list[tuple[int, int]]] = {}
        for number, count in enumerate(counts):
            for token, frequency in count.items():
                postings.setdefault(token, []).append((number, frequency))
        self._postings: dict[str, tuple[np.ndarray, np.ndarray, float]] = {}
        for token, entries in postings.items():
            numbers = np.array([number for number, _ in entries], dtype=np.int64)
            frequencies = np.array([frequency for _, frequency in entries], dtype=np.float64)
            # The "+1" form of IDF stays positive for a token found in most documents.
            idf = math.log(1 + (self.size - len(entries) + 0.5) / (len(entries) + 0.5))
            self._postings[token] = (numbers, frequencies, idf)

    def scores(self, query: str) -> np.ndarray:
        """Score every document against the query.

        Args:
            query: Free text.

        Returns:
            One BM25 score per document (0 where no query token occurs).
        """
        total = np.zeros(self.size, dtype=np.float64)
        for token in set(tokenize(query)):
            posting = self._postings.get(token)
            if posting is None:
                continue
            numbers, frequencies, idf = posting
            total[numbers] += idf * frequencies * (self.k1 + 1) / (frequencies + self._norm[numbers])
        return total
