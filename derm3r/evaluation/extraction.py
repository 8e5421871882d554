"""Precision and recall of sign extraction on annotated sentences (tests/data/text/annotated_sentences.yaml).

A sentence's gold signs are those it states of the patient now (``present``); ``optional`` signs
may be read or not; ``past`` signs must be kept as past history (not present, still on record).
Both sides are compared after expanding implied broader terms, so reading
苔黄腻 and being credited for 苔黄 is neither a miss nor a false reading.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from derm3r.kb.loader import KnowledgeBase
from derm3r.text.signs import expand_implied, extract_signs


@dataclass
class ExtractionScore:
    """Counts over a set of sentences, with the sentences that went wrong."""

    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    past_expected: int = 0
    past_found: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Share of signs read as present that the annotation states."""
        read = self.true_positive + self.false_positive
        return self.true_positive / read if read else 1.0

    @property
    def recall(self) -> float:
        """Share of stated signs that were read."""
        stated = self.true_positive + self.false_negative
        return self.true_positive / stated if stated else 1.0

    @property
    def past_recall(self) -> float:
        """Share of past-history signs the annotation names that were kept as past."""
        return self.past_found / self.past_expected if self.past_expected else 1.0


def load_annotated(path: Path) -> list[dict[str, Any]]:
    """Read the annotated sentences file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return list(data["sentences"])


def score_extraction(kb: KnowledgeBase, sentences: list[dict[str, Any]], *, semantic: bool = True) -> ExtractionScore:
    """Compare what the text layer reads with the annotation of each sentence.

    Args:
        kb: The knowledge base.
        sentences: Records with ``text``, ``present`` and optional ``optional``/``absent``/``past``/``field``.
        semantic: Whether the reader may use the sentence encoder.

    Returns:
        The counts, and per wrong sentence what was missed and what was read wrongly.
    """
    score = ExtractionScore()
    for record in sentences:
        signs = extract_signs(kb, None, {record.get("field", "history"): record["text"]}, semantic=semantic)
        read = signs.present_ids
        past_gold = set(record.get("past", []))
        past_missed = past_gold - {sign.term for sign in signs.past}
        score.past_expected += len(past_gold)
        score.past_found += len(past_gold) - len(past_missed)
        gold = expand_implied(kb, record.get("present", []))
        allowed = gold | expand_implied(kb, record.get("optional", []))
        missed = gold - read
        wrong = read - allowed
        score.true_positive += len(gold & read)
        score.false_negative += len(missed)
        score.false_positive += len(wrong)
        if missed or wrong or past_missed:
            score.errors.append(
                {"text": record["text"], "missed": sorted(missed), "wrong": sorted(wrong),
                 "past_missed": sorted(past_missed)}
            )
    return score
