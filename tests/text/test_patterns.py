"""Ruling a red-flag pattern out with one search of the whole text never rules out one a clause holds.

The red-flag signs try every pattern on every clause of every field; :func:`derm3r.text.patterns.may_occur`
skips a pattern whose relaxed form (assertions taken out) is nowhere in the text. These tests check that
the relaxing keeps every match, and that on the example cases, the annotated sentences and the safety
layer's tuning sets no part of any pattern is ruled out where a stretch the signs read holds it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from derm3r.evaluation.extraction import load_annotated
from derm3r.text.clauses import split_clauses
from derm3r.text.normalize import normalize
from derm3r.text.patterns import may_occur, relaxed
from derm3r.text.scope import sentences_pointing_back

REPO = Path(__file__).resolve().parents[2]
TEXT_DATA = REPO / "tests" / "data" / "text"
ANNOTATED = [TEXT_DATA / "annotated_sentences.yaml", TEXT_DATA / "annotated_scope_dev.yaml"]
#: The safety layer's tuning sets (the held-out rounds stay unread).
SAFETY_DEV = ("red_flags_dev.jsonl", "ordinary_dev.jsonl")


def _field_texts() -> list[str]:
    """Normalised texts of the annotated sentences, the example cases and the safety dev (tuning) sets."""
    texts = [record["text"] for path in ANNOTATED for record in load_annotated(path)]
    for path in sorted((REPO / "examples" / "cases").glob("*.json")):
        texts.extend(text for text in json.loads(path.read_text(encoding="utf-8")).values() if isinstance(text, str))
    for name in SAFETY_DEV:
        for line in (REPO / "data" / "safety" / name).read_text(encoding="utf-8").splitlines():
            case = json.loads(line)["case"] if line.strip() else {}
            texts.extend(text for text in case.values() if isinstance(text, str))
    return [normalize(text) for text in texts]


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        ("(?<!阴)唇", "阴唇"),  # a clause starting at 唇 has no 阴 before it
        ("^\\s*弥漫潮红", "全身弥漫潮红"),  # a clause may open with it
        ("temp\\b", "tempx"),  # the clause may end after "temp"
        ("烧(?!退)", "烧退"),
        ("a++", "b"),  # possessive: a longer text can refuse what a clause allows
        ("(?i)fever", "x"),  # inline flags are not read
        ("(a)\\1", "x"),  # nor back-references
        ("x(?=a)?", "y"),  # nor an assertion with a quantifier
    ],
)
def test_a_pattern_is_not_ruled_out_where_a_clause_of_the_text_may_hold_it(pattern: str, text: str) -> None:
    assert may_occur(pattern, text)


@pytest.mark.parametrize(
    ("pattern", "loose"),
    [
        ("(?<![\\d.])38度", "38度"),
        ("(?<=[(])x", "x"),  # the lookbehind's end is found past the ( in its class
        ("[^)]x(?!y)", "[^)]x"),
        ("a|^b$", "a|b"),
        ("temp\\b|发烧(?!药|退)了", "temp|发烧了"),
        ("(?:红|肿)痛", "(?:红|肿)痛"),
        ("\\(低\\)", "\\(低\\)"),
    ],
)
def test_relaxing_takes_out_the_assertions_only(pattern: str, loose: str) -> None:
    assert relaxed(pattern) == loose


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("发热|发烧", "无明显不适", False),
        ("发热|发烧", "反复发烧三天", True),
        ("血压[^不没]{0,3}低", "血压偏低", True),
        ("血压[^不没]{0,3}低", "血压不低", False),
        ("(?<!阴)唇", "口干", False),
        ("(?<![\\d.])(38[.点][5-9]|39)(?![\\d])", "体温37.2度", False),
        ("(?<![\\d.])(38[.点][5-9]|39)(?![\\d])", "体温39度", True),
    ],
)
def test_a_pattern_whose_words_are_absent_is_ruled_out(pattern: str, text: str, expected: bool) -> None:
    assert may_occur(pattern, text) is expected


def test_no_red_flag_pattern_part_is_ruled_out_where_a_stretch_holds_it(kb) -> None:  # type: ignore[no-untyped-def]
    """Every part of every red-flag pattern, on every stretch the signs read: clauses, sentences, windows."""
    parts = {part for sign in kb.red_flag_signs.values() for pattern in sign.patterns for part in pattern}
    compiled = {part: re.compile(part) for part in parts}
    checked = 0
    for text in _field_texts():
        clauses = split_clauses(text, "")
        stretches = [(c.start, c.end) for c in [*clauses, *sentences_pointing_back(text, clauses)]]
        for part, pattern in compiled.items():
            # As the signs search: the first part in a slice, the others with pos/endpos in the whole text.
            held = any(
                pattern.search(text[start:end]) or pattern.search(text, start, end) for start, end in stretches
            )
            if held:
                checked += 1
                assert may_occur(part, text), (part, text)
    assert checked > 500  # the sets do hold red-flag words
