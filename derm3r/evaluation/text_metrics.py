"""Character-level text overlap for Chinese: BLEU-4 (smoothed), ROUGE-L and character-bigram F1.

Chinese is scored per character (no word segmenter): punctuation and whitespace are dropped first so a
comma does not count as agreement.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat


class _CharFilter(dict[int, "str | None"]):
    """A ``str.translate`` table built lazily: punctuation and whitespace map to None, ASCII to lower case."""

    def __missing__(self, code: int) -> str | None:
        char = chr(code)
        value = None if char.isspace() or unicodedata.category(char).startswith("P") else char.lower()
        self[code] = value
        return value


# Filtering with str.translate and a cached table runs in C after the first sight of a character, where a
# unicodedata lookup per character was a third of the cost of scoring a case.
_CHAR_FILTER = _CharFilter()


def _clean(text: str) -> str:
    return text.translate(_CHAR_FILTER)


def char_tokens(text: str) -> list[str]:
    """Split text into characters, dropping whitespace and punctuation.

    Args:
        text: Any text.

    Returns:
        Its characters in order, ASCII letters lower-cased.
    """
    return list(_clean(text))


def _has_border(gram: str) -> bool:
    # A gram whose proper prefix equals a suffix ("aa", "aba") can overlap itself in a text.
    return any(gram[:k] == gram[-k:] for k in range(1, len(gram)))


def _occurrences(text: str, gram: str) -> int:
    # Overlapping occurrences; str.count skips overlaps, so it is used only for grams that cannot overlap.
    count, start = 0, text.find(gram)
    while start >= 0:
        count += 1
        start = text.find(gram, start + 1)
    return count


@dataclass(frozen=True)
class _Grams:
    """The distinct n-grams of one candidate text, for n fixed, split by how their clipped match is counted."""

    once: tuple[str, ...]
    repeated: tuple[str, ...]
    repeated_counts: tuple[int, ...]
    bordered: tuple[tuple[str, int], ...]

    @classmethod
    def of(cls, text: str, n: int) -> _Grams:
        counts = Counter(text[i : i + n] for i in range(len(text) - n + 1))
        repeated = {gram: count for gram, count in counts.items() if count > 1}
        bordered = {gram: count for gram, count in repeated.items() if _has_border(gram)}
        plain = {gram: count for gram, count in repeated.items() if gram not in bordered}
        return cls(
            once=tuple(gram for gram, count in counts.items() if count == 1),
            repeated=tuple(plain),
            repeated_counts=tuple(plain.values()),
            bordered=tuple(bordered.items()),
        )

    def clipped_matches(self, reference: str) -> int:
        """Σ over these grams of min(count here, count in ``reference``): BLEU's clipped n-gram matches.

        Searching the reference for each candidate gram (in C) replaces building the reference's n-gram
        counts, which made BLEU and bigram F1 most of the cost of scoring a case.
        """
        # A gram the candidate has once matches at most once: presence is enough.
        matched = sum(map(reference.__contains__, self.once))
        if self.repeated:
            matched += sum(map(min, self.repeated_counts, map(reference.count, self.repeated)))
        for gram, count in self.bordered:
            matched += min(count, _occurrences(reference, gram))
        return matched


@dataclass(frozen=True)
class _Candidate:
    """A cleaned candidate text with everything about it that the overlap metrics reuse."""

    text: str
    grams: tuple[_Grams, ...]  # n = 1 … 4
    positions: dict[str, int]  # LCS bit masks

    @classmethod
    def of(cls, text: str) -> _Candidate:
        return cls(text, tuple(_Grams.of(text, n) for n in range(1, 5)), _positions(text))


@lru_cache(maxsize=4096)
def _system_text(text: str) -> _Candidate:
    # A system's principle and pathogenesis come from a small set of texts (the knowledge engine's are
    # knowledge-base entries), so their n-grams and LCS bit masks are prepared once; the cached values are
    # never mutated. Expert texts are read once per case, uncached.
    return _Candidate.of(_clean(text))


def _bleu4(cand: str, ref: str, matched: list[int]) -> float:
    if not cand or not ref:
        return 0.0
    log_precision = 0.0
    for n in range(1, 5):
        total = max(0, len(cand) - n + 1)
        if n == 1:
            if matched[0] == 0:
                return 0.0
            log_precision += math.log(matched[0] / total)
        else:
            log_precision += math.log((matched[n - 1] + 1) / (total + 1))
    brevity = 1.0 if len(cand) > len(ref) else math.exp(1 - len(ref) / len(cand))
    return brevity * math.exp(log_precision / 4)


def _rouge_l(cand: str, ref: str, lcs: int) -> float:
    if not cand or not ref or lcs == 0:
        return 0.0
    precision, recall = lcs / len(cand), lcs / len(ref)
    return 2 * precision * recall / (precision + recall)


def _bigram_f1(cand: str, ref: str, matched: list[int]) -> float:
    if not cand or not ref:
        return 0.0
    n = 2 if len(cand) > 1 and len(ref) > 1 else 1
    overlap = matched[n - 1]
    if overlap == 0:
        return 0.0
    precision, recall = overlap / (len(cand) - n + 1), overlap / (len(ref) - n + 1)
    return 2 * precision * recall / (precision + recall)


def _clipped_matches(candidate: _Candidate, ref: str) -> list[int]:
    matched = [0, 0, 0, 0]
    for n, grams in enumerate(candidate.grams):
        matched[n] = grams.clipped_matches(ref)
        if not matched[n]:
            break  # no n-gram of the candidate in the reference, so no longer one either
    return matched


def _overlap(candidate: _Candidate, ref: str) -> tuple[float, float, float]:
    cand = candidate.text
    if not cand or not ref:
        return 0.0, 0.0, 0.0
    matched = _clipped_matches(candidate, ref)
    # LCS is symmetric, so the reference is run against the candidate's prepared bit masks.
    lcs = _lcs_with(candidate.positions, len(cand), ref)
    return _bleu4(cand, ref, matched), _rouge_l(cand, ref, lcs), _bigram_f1(cand, ref, matched)


def bleu4(candidate: str, reference: str) -> float:
    """Character-level BLEU-4 with uniform weights and add-one smoothing of the 2- to 4-gram precisions.

    The smoothing is Lin & Och (2004): without it one missing 4-gram zeroes the score of a short text.

    Args:
        candidate: The system's text.
        reference: The expert's text.

    Returns:
        BLEU in [0, 1]; 0 when the candidate is empty.
    """
    return _overlap(_Candidate.of(_clean(candidate)), _clean(reference))[0]


def lcs_length(a: str | list[str], b: str | list[str]) -> int:
    """Length of the longest common subsequence of two token lists.

    Bit-parallel (Hyyrö 2004): one big-integer step per token of ``a`` instead of a table of
    ``len(a) × len(b)`` cells, which kept ROUGE-L the slowest part of scoring.

    Args:
        a: First sequence (a string is a sequence of characters).
        b: Second sequence.

    Returns:
        The LCS length.
    """
    if not a or not b:
        return 0
    return _lcs_with(_positions(b), len(b), a)


def _positions(b: str | list[str]) -> dict[str, int]:
    # Bit mask of where each token occurs in b: the part of the LCS that depends on b alone.
    positions: dict[str, int] = {}
    for index, token in enumerate(b):
        positions[token] = positions.get(token, 0) | (1 << index)
    return positions


def _lcs_with(positions: dict[str, int], length_b: int, a: str | list[str]) -> int:
    full = (1 << length_b) - 1
    row = full
    for mask in map(positions.get, a, repeat(0)):  # the masks looked up in C, not one .get call per token
        matches = row & mask
        row = ((row + matches) | (row - matches)) & full
    return length_b - row.bit_count()


def rouge_l(candidate: str, reference: str) -> float:
    """Character-level ROUGE-L F1 (LCS precision and recall, equally weighted).

    Args:
        candidate: The system's text.
        reference: The expert's text.

    Returns:
        F1 in [0, 1]; 0 when either text is empty.
    """
    cand, ref = _clean(candidate), _clean(reference)
    return _rouge_l(cand, ref, lcs_length(cand, ref))


def bigram_f1(candidate: str, reference: str) -> float:
    """F1 of clipped character-bigram overlap (single characters when a text is one character long).

    Args:
        candidate: The system's text.
        reference: The expert's text.

    Returns:
        F1 in [0, 1]; 0 when either text is empty.
    """
    return _overlap(_Candidate.of(_clean(candidate)), _clean(reference))[2]


def overlap_scores(candidate: str, reference: str) -> tuple[float, float, float]:
    """BLEU-4, ROUGE-L and bigram F1 of one pair, tokenised once, the candidate's preparation cached.

    Args:
        candidate: The system's text.
        reference: The expert's text.

    Returns:
        ``(bleu4, rouge_l, bigram_f1)``.
    """
    return _overlap(_system_text(candidate), _clean(reference))


def text_overlap(candidate: str, reference: str) -> dict[str, float]:
    """BLEU-4, ROUGE-L and bigram F1 of one pair, tokenised once.

    Args:
        candidate: The system's text.
        reference: The expert's text.

    Returns:
        ``{"bleu4", "rouge_l", "bigram_f1"}``.
    """
    return dict(zip(("bleu4", "rouge_l", "bigram_f1"), overlap_scores(candidate, reference), strict=True))
