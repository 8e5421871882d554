"""Character-level text overlap for Chinese: BLEU-4 (smoothed), ROUGE-L and character-bigram F1.

Chinese is scored per character (no word segmenter): punctuation and whitespace are dropped first so a
comma does not count as agreement.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter


def char_tokens(text: str) -> list[str]:
    """Split text into characters, dropping whitespace and punctuation.

    Args:
        text: Any text.

    Returns:
        Its characters in order, ASCII letters lower-cased.
    """
    return [char.lower() for char in text if not char.isspace() and not unicodedata.category(char).startswith("P")]


def _ngrams(tokens: list[str], n: int) -> Counter[str]:
    # Every token is one character, so an n-gram is a substring: far cheaper to hash than a tuple.
    text = "".join(tokens)
    return Counter(text[i : i + n] for i in range(len(text) - n + 1))


def bleu4(candidate: str, reference: str) -> float:
    """Character-level BLEU-4 with uniform weights and add-one smoothing of the 2- to 4-gram precisions.

    The smoothing is Lin & Och (2004): without it one missing 4-gram zeroes the score of a short text.

    Args:
        candidate: The system's text.
        reference: The expert's text.

    Returns:
        BLEU in [0, 1]; 0 when the candidate is empty.
    """
    return _bleu4(char_tokens(candidate), char_tokens(reference))


def _bleu4(cand: list[str], ref: list[str]) -> float:
    if not cand or not ref:
        return 0.0
    log_precision = 0.0
    for n in range(1, 5):
        cand_grams, ref_grams = _ngrams(cand, n), _ngrams(ref, n)
        matched = sum(min(count, ref_grams[gram]) for gram, count in cand_grams.items())
        total = sum(cand_grams.values())
        if n == 1:
            if matched == 0:
                return 0.0
            log_precision += math.log(matched / total)
        else:
            log_precision += math.log((matched + 1) / (total + 1))
    brevity = 1.0 if len(cand) > len(ref) else math.exp(1 - len(ref) / len(cand))
    return brevity * math.exp(log_precision / 4)


def lcs_length(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence of two token lists.

    Bit-parallel (Hyyrö 2004): one big-integer step per token of ``a`` instead of a table of
    ``len(a) × len(b)`` cells, which kept ROUGE-L the slowest part of scoring.

    Args:
        a: First sequence.
        b: Second sequence.

    Returns:
        The LCS length.
    """
    if not a or not b:
        return 0
    positions: dict[str, int] = {}
    for index, token in enumerate(b):
        positions[token] = positions.get(token, 0) | (1 << index)
    full = (1 << len(b)) - 1
    row = full
    for token in a:
        matches = row & positions.get(token, 0)
        row = ((row + matches) | (row - matches)) & full
    return len(b) - row.bit_count()


def rouge_l(candidate: str, reference: str) -> float:
    """Character-level ROUGE-L F1 (LCS precision and recall, equally weighted).

    Args:
        candidate: The system's text.
        reference: The expert's text.

    Returns:
        F1 in [0, 1]; 0 when either text is empty.
    """
    return _rouge_l(char_tokens(candidate), char_tokens(reference))


def _rouge_l(cand: list[str], ref: list[str]) -> float:
    if not cand or not ref:
        return 0.0
    lcs = lcs_length(cand, ref)
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
    return _bigram_f1(char_tokens(candidate), char_tokens(reference))


def _bigram_f1(cand: list[str], ref: list[str]) -> float:
    if not cand or not ref:
        return 0.0
    n = 2 if len(cand) > 1 and len(ref) > 1 else 1
    cand_grams, ref_grams = _ngrams(cand, n), _ngrams(ref, n)
    overlap = sum((cand_grams & ref_grams).values())
    if overlap == 0:
        return 0.0
    precision, recall = overlap / sum(cand_grams.values()), overlap / sum(ref_grams.values())
    return 2 * precision * recall / (precision + recall)


def text_overlap(candidate: str, reference: str) -> dict[str, float]:
    """BLEU-4, ROUGE-L and bigram F1 of one pair, tokenised once.

    Args:
        candidate: The system's text.
        reference: The expert's text.

    Returns:
        ``{"bleu4", "rouge_l", "bigram_f1"}``.
    """
    cand, ref = char_tokens(candidate), char_tokens(reference)
    return {"bleu4": _bleu4(cand, ref), "rouge_l": _rouge_l(cand, ref), "bigram_f1": _bigram_f1(cand, ref)}
