"""The text layer's shortcuts give the readings the long way gives.

A consultation reads each field twice (the engine by meaning, the safety check by words), so a reading
by meaning that the encoder added nothing to answers the lexical one; drug names, clause starts and
kin phrases are found with str.find. Each test compares a shortcut with what it replaces.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from derm3r.kb.loader import load_knowledge_base
from derm3r.text import extract_fields, reader_for
from derm3r.text.clauses import drug_spans
from derm3r.text.extract import CLAUSE_DELIMITER_CHARS, CLAUSE_DELIMITERS, is_negated
from derm3r.text.memo import BoundedCache
from derm3r.text.normalize import normalize

REPO = Path(__file__).resolve().parents[2]
#: Fields the encoder reads something in (皮肤油油的 → oily skin) and fields it reads nothing in.
BY_MEANING = "面部皮肤油油的，晚上睡不好"
BY_WORDS = ("无发热，舌红苔黄腻", "头皮红斑鳞屑，瘙痒明显，口服氯雷他定10mg qd")


def test_cache_keeps_the_most_recently_used() -> None:
    cache: BoundedCache[str, int] = BoundedCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recent, so "b" goes first
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)
    assert len(cache) == 2


def test_cache_refuses_a_size_below_one() -> None:
    with pytest.raises(ValueError, match="size"):
        BoundedCache(0)


def test_lexical_reading_after_one_by_meaning_is_the_plain_lexical_reading(kb) -> None:  # type: ignore[no-untyped-def]
    fresh = load_knowledge_base(REPO / "knowledge")  # its own readers: nothing read by meaning first
    for text in (BY_MEANING, *BY_WORDS):
        by_meaning = extract_fields(kb, {"history": text}, semantic=True)
        after = extract_fields(kb, {"history": text}, semantic=False)
        assert after == extract_fields(fresh, {"history": text}, semantic=False)
        if text == BY_MEANING:
            assert any(m.method == "semantic" for m in by_meaning)
            assert after != by_meaning  # the encoder's reading is not handed to the lexical reader
        else:
            assert after == by_meaning


def test_a_kept_reading_is_a_copy(kb) -> None:  # type: ignore[no-untyped-def]
    reader = reader_for(kb)
    first = reader.read(BY_WORDS[0], "history")
    first.clear()
    assert reader.read(BY_WORDS[0], "history")


def test_drug_names_inside_longer_names_are_both_found() -> None:
    text = normalize("口服地氯雷他定，后改氯雷他定")
    found = set(drug_spans(text))
    assert {(2, 7), (3, 7), (10, 14)} <= found


def test_clause_delimiter_characters_are_the_delimiter_pattern() -> None:
    chars = {chr(code) for code in range(0x20, 0x10000)} | {"\n"}
    assert {c for c in chars if CLAUSE_DELIMITERS.fullmatch(c)} == set(CLAUSE_DELIMITER_CHARS)


@pytest.mark.parametrize(
    ("text", "word", "negated"),
    [
        ("无发热，头痛", "头痛", False),  # the denial stops at the comma
        ("头痛。无发热", "发热", True),
        ("发热", "发热", False),
        ("否认发热:咳嗽", "咳嗽", False),
    ],
)
def test_a_denial_reaches_to_its_clause_start_only(text: str, word: str, negated: bool) -> None:
    start = text.index(word)
    assert is_negated(text, start, start + len(word)) is negated
