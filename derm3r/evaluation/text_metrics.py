"""Character-level text overlap for Chinese: BLEU-4 (smoothed), ROUGE-L and character-bigram F1.

Chinese is scored per character (no word segmenter): punctuation and whitespace are dropped first so a
comma does not count as agreement.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from functools import lru_cache
from itertools import chain, repeat

Grams = tuple[Counter[str], ...]


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


def _ngrams(tokens: str | list[str], n: int) -> Counter[str]:
    # Every token is one character, so an n-gram is a substring: far cheaper to hash than a tuple. Zipping
    # shifted copies keeps the loop in C.
    text = tokens if isinstance(tokens, str) else "".join(tokens)
    if n == 1:
        return Counter(text)
    return Counter(map("".join, zip(*(text[i:] for i in range(n)), strict=False)))


def _clipped_matches(cand_grams: Counter[str], ref_grams: Counter[str]) -> int:
    # Σ min(count in candidate, count in reference), with dict.get instead of Counter's Python __missing__.
    return sum(map(min, cand_grams.values(), map(ref_grams.get, cand_grams, repeat(0))))


def bleu4(candidate: str, reference: str) -> float:
    """Character-level BLEU-4 with uniform weights and add-one smoothing of the 2- to 4-gram precisions.

    The smoothing is Lin & Och (2004): without it one missing 4-gram zeroes the score of a short text.

    Args:
        candidate: The system's text.
        reference: The expert's text.

    Returns:
        BLEU in [0, 1]; 0 when the candidate is empty.
    """
    return _bleu4(_clean(candidate), _clean(reference))


def _all_ngrams(text: str | list[str]) -> Grams:
    return tuple(_ngrams(text, n) for n in range(1, 5))


@lru_cache(maxsize=4096)
def _system_text(text: str) -> tuple[str, Grams, dict[str, int]]:
    # A system's principle and pathogenesis come from a small set of texts (the knowledge engine's are
    # knowledge-base entries), so their n-grams and LCS bit masks are computed once; the cached values are
    # never mutated. Expert texts are prepared per case, uncached.
    clean = _clean(text)
    return clean, _all_ngrams(clean), _positions(clean)


def _combined_ngrams(text: str) -> Counter[str]:
    # The 1- to 4-grams of a text in one Counter (grams of different lengths cannot collide): one
    # Counter to build per expert text instead of four.
    return Counter(chain(text, *(map("".join, zip(*(text[i:] for i in range(n)), strict=False)) for n in (2, 3, 4))))


def _bleu4(
    cand: str | list[str], ref: str | list[str], cand_all: Grams | None = None, ref_all: Counter[str] | None = None
) -> float:
    if not cand or not ref:
        return 0.0
    cand_all = cand_all or _all_ngrams(cand)
    ref_grams = ref_all if ref_all is not None else _combined_ngrams("".join(ref))
    log_precision = 0.0
    for n in range(1, 5):
        matched = _clipped_matches(cand_all[n - 1], ref_grams)
        total = max(0, len(cand) - n + 1)
        if n == 1:
            if matched == 0:
                return 0.0
            log_precision += math.log(matched / total)
        else:
            log_precision += math.log((matched + 1) / (total + 1))
    brevity = 1.0 if len(cand) > len(ref) else math.exp(1 - len(ref) / len(cand))
    return brevity * math.exp(log_precision / 4)


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
    for token in a:
        matches = row & positions.get(token, 0)
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
    return _rouge_l(_clean(candidate), _clean(reference))


def _rouge_l(cand: str | list[str], ref: str | list[str], lcs: int | None = None) -> float:
    if not cand or not ref:
        return 0.0
    lcs = lcs_length(cand, ref) if lcs is None else lcs
    if lcs == 0:
        return 0.0
    precision, recall = lcs / len(cand), lcs / len(ref)
    return 2 * precision * recall / (precision + recall)


def bigram_f1(candidate: str, reference: str) -> float:
    """F1 of clipped character-bigram overlap (single characters when a text is one character long).

    Args:
        candidate: The system's text.
        reference: The expert's text.

    Returns:
        F1 in [0, 1]; 0 when either text is empty.
    """
    return _bigram_f1(_clean(candidate), _clean(reference))


def _bigram_f1(
    cand: str | list[str], ref: str | list[str], cand_all: Grams | None = None, ref_all: Counter[str] | None = None
) -> float:
    if not cand or not ref:
        return 0.0
    n = 2 if len(cand) > 1 and len(ref) > 1 else 1
    cand_grams = cand_all[n - 1] if cand_all else _ngrams(cand, n)
    # Only the candidate's grams are iterated, so a combined lookup of the reference's grams serves any n.
    ref_grams = ref_all if ref_all is not None else _ngrams(ref, n)
    overlap = _clipped_matches(cand_grams, ref_grams)
    if overlap == 0:
        return 0.0
    precision, recall = overlap / (len(cand) - n + 1), overlap / (len(ref) - n + 1)
    return 2 * precision * recall / (precision + recall)


def text_overlap(candidate: str, reference: str) -> dict[str, float]:
    """BLEU-4, ROUGE-L and bigram F1 of one pair, tokenised once.

    Args:
        candidate: The system's text.
        reference: The expert's text.

    Returns:
        ``{"bleu4", "rouge_l", "bigram_f1"}``.
    """
    cand, cand_all, cand_positions = _system_text(candidate)
    ref = _clean(reference)
    ref_all = _combined_ngrams(ref)
    # LCS is symmetric, so the expert text is run against the system text's cached bit masks.
    lcs = _lcs_with(cand_positions, len(cand), ref) if cand and ref else 0
    return {
        "bleu4": _bleu4(cand, ref, cand_all, ref_all),
        "rouge_l": _rouge_l(cand, ref, lcs),
        "bigram_f1": _bigram_f1(cand, ref, cand_all, ref_all),
    }
