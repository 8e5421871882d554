"""Negation-aware, longest-match extraction of signs from Chinese clinical text."""

from __future__ import annotations

import pytest

from derm3r.text.extract import LexiconMatcher
from derm3r.text.signs import extract_signs


@pytest.fixture(scope="module")
def read(kb):  # type: ignore[no-untyped-def]
    matcher = LexiconMatcher(kb.terms.values())

    def _read(text: str, field: str = "history") -> tuple[set[str], set[str]]:
        signs = extract_signs(kb, matcher, {field: text})
        return signs.present_ids, {s.term for s in signs.negated}

    return _read


def test_leading_negator_scopes_over_an_enumeration(read) -> None:
    present, negated = read("无发热、关节痛，口干咽痛")
    assert {"symptom.fever", "symptom.joint_pain"} <= negated
    assert {"symptom.dry_mouth", "symptom.sore_throat"} <= present


def test_scope_breaker_ends_the_negation(read) -> None:
    present, negated = read("否认关节痛，但咽痛")
    assert "symptom.joint_pain" in negated and "symptom.sore_throat" in present


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("无明显诱因出现红斑", "morphology.macule"),  # 无明显诱因 means "without obvious cause", not a denial
        ("瘙痒非常痒", "itch.severe"),
        ("边界不清", "border.unclear"),
        ("皮疹不断增多", "course.new_lesions"),
        ("差不多发烧三天了", "symptom.fever"),  # 差不多 is "about", not a denial (safety round 8, rf8-37)
        ("皮疹差不多全身都是", "distribution.generalized"),
        ("不止瘙痒，还有疼痛", "itch.present"),  # 不止 is "more than"
    ],
)
def test_words_that_contain_a_negator_do_not_negate(read, text: str, term: str) -> None:
    present, negated = read(text)
    assert term in present and term not in negated


def test_post_negation(read) -> None:
    _, negated = read("瘙痒不明显")
    assert "itch.present" in negated


def test_longest_match_wins(read) -> None:
    present, _ = read("舌淡红，苔薄白")
    assert "tongue.pale_red" in present and "tongue.pale" not in present
    assert {"tongue.coat_thin", "tongue.coat_white"} <= present


def test_implied_terms_are_added(read) -> None:
    present, _ = read("舌红苔黄腻")
    assert {"tongue.coat_yellow", "tongue.coat_greasy", "tongue.red"} <= present


def test_pulse_characters_are_read_only_inside_a_pulse_description(read) -> None:
    present, _ = read("病史数年，皮损细碎")
    assert not any(term.startswith("pulse.") for term in present)
    present, _ = read("舌红，脉弦滑数")
    assert {"pulse.wiry", "pulse.slippery", "pulse.rapid"} <= present
    present, _ = read("弦细", field="pulse")
    assert {"pulse.wiry", "pulse.thin"} <= present


def test_colloquial_and_english_forms(read) -> None:
    present, _ = read("身上起了好多小红点，上面有白皮，一刮就出血，嗓子疼")
    assert {"morphology.papule", "scale.silvery", "morphology.auspitz", "symptom.sore_throat"} <= present
    present, _ = read("Bright red plaques with silvery scale, itchy")
    assert {"color.bright_red", "morphology.plaque", "scale.silvery", "itch.present"} <= present


def test_present_anywhere_beats_denied_elsewhere(kb) -> None:
    matcher = LexiconMatcher(kb.terms.values())
    signs = extract_signs(kb, matcher, {"history": "无瘙痒", "symptoms": "近日瘙痒"})
    assert "itch.present" in signs.present_ids
    assert "itch.present" not in {s.term for s in signs.negated}


@pytest.mark.parametrize(("text", "term"), [
    ("Small round mole, never bleeds", "morphology.bleeding"),
    ("Rash on the legs without fever", "symptom.fever"),
    ("The rash doesn't itch", "itch.present"),
])
def test_english_verb_negations_deny_the_sign_after_them(read, text: str, term: str) -> None:
    present, negated = read(text)
    assert term in negated and term not in present


def test_english_words_inside_a_longer_form_start_at_a_word_boundary(read) -> None:
    present, _ = read("a brown mole that has looked the same for years")
    assert "course.chronic" in present and "site.ear" not in present
    assert "site.ear" in read("red swollen ears in winter")[0]


def test_an_asymmetric_shape_is_no_symmetric_distribution(read) -> None:
    for text in ("褐黑色痣，左右不对称", "An 8 mm mole, asymmetric"):
        present, _ = read(text, "lesion_description")
        assert "shape.asymmetric" in present and "distribution.symmetric" not in present


def test_a_bleeding_spot_and_a_scald_like_peeling_read_as_themselves(read) -> None:
    """Leftover words the sentence encoder misread: 渗血 as irregular menses, 剥脱如烫伤 as an injury."""
    present, _ = read("左足跟黑褐色斑，边缘参差不齐，有一处渗血", "lesion_description")
    assert "morphology.bleeding" in present and "symptom.menstrual_irregular" not in present
    present, _ = read("皮肤成片剥脱如烫伤", "lesion_description")
    assert "morphology.scald_like_detachment" in present and "course.trauma_trigger" not in present


@pytest.mark.parametrize("text", ["I sleep badly", "red rash, sleeping poorly", "can't sleep for the itch"])
def test_an_acronym_is_a_whole_word(read, text: str) -> None:
    present, _ = read(text)  # SLE (lupus) inside "sleep" would refer a sleepless patient
    assert "disease_name.lupus" not in present


def test_an_acronym_standing_alone_is_read(read) -> None:
    present, _ = read("diagnosed with SLE last year")
    assert "disease_name.lupus" in present
