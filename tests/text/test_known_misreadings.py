"""Six misreadings found in the text layer, each checked on paraphrases (not the held-out sentences themselves).

Held-out scoring of the same phenomena: tests/data/text/annotated_heldout_phenomena.yaml (benchmarks/text_bench.py).
"""

from __future__ import annotations

import pytest

from derm3r.evaluation.extraction import load_annotated
from derm3r.text import extract_fields
from derm3r.text.normalize import normalize
from derm3r.text.signs import extract_signs
from tests.text.test_scope_dev import SCOPE_DEV

HELD_OUT = SCOPE_DEV.with_name("annotated_heldout_phenomena.yaml")


def _signs(kb, text: str):  # type: ignore[no-untyped-def]
    return extract_signs(kb, None, {"history": text}, semantic=False)


def test_the_held_out_set_names_known_terms(kb) -> None:
    sentences = load_annotated(HELD_OUT)
    assert len(sentences) >= 20
    for record in sentences:
        for key in ("present", "optional", "absent", "past"):
            assert not [term for term in record.get(key, []) if term not in kb.terms], (record["text"], key)


@pytest.mark.parametrize(
    ("text", "denied"),
    [
        ("My hands don’t itch any more than usual", "itch.present"),
        ("it doesn’t itch", "itch.present"),
        ("It doesn‘t hurt when I press it", "symptom.pain"),
        ("he hasn’t had a fever", "symptom.fever"),
        ("the patch doesnʼt itch", "itch.present"),
        ("ｉｔ ｄｏｅｓｎ’ｔ ｉｔｃｈ", "itch.present"),
    ],
)
def test_typographic_apostrophes_deny_like_straight_ones(kb, text: str, denied: str) -> None:
    signs = _signs(kb, text)
    assert denied not in signs.present_ids
    assert denied in {sign.term for sign in signs.negated}


def test_normalisation_folds_typographic_quotes_one_for_one() -> None:
    text = "“it doesn’t itch”　ok"
    folded = normalize(text)
    assert folded == "\"it doesn't itch\" ok"
    assert len(folded) == len(text)


@pytest.mark.parametrize(
    ("text", "past", "present"),
    [
        ("有足癣史", "disease_name.tinea_pedis", set()),
        ("该患者有脚气病史，这次小腿起红肿", "disease_name.tinea_pedis", {"morphology.swelling"}),
        ("有湿疹史，现在手指间起小水疱", "disease_name.eczema", {"morphology.vesicle"}),
        ("history of athlete’s foot", "disease_name.tinea_pedis", set()),
    ],
)
def test_a_had_history_is_past_not_now(kb, text: str, past: str, present: set[str]) -> None:
    signs = _signs(kb, text)
    assert past not in signs.present_ids
    assert past in {sign.term for sign in signs.past}
    assert present <= signs.present_ids


@pytest.mark.parametrize(
    ("text", "disease"),
    [("有湿疹病史十余年，近一周加重", "disease_name.eczema"), ("有银屑病史5年", "disease_name.psoriasis"),
     ("有10年湿疹史", "disease_name.eczema")],
)
def test_a_history_with_a_duration_is_the_illness_going_on(kb, text: str, disease: str) -> None:
    assert disease in _signs(kb, text).present_ids


@pytest.mark.parametrize("text", ["洗头时头发一撮一撮地掉", "头发一撮一撮的往下掉", "后脑勺的头发成撮脱落"])
def test_hair_coming_out_in_tufts_is_patchy_hair_loss(kb, text: str) -> None:
    present = _signs(kb, text).present_ids
    assert {"morphology.patchy_hair_loss", "symptom.hair_loss"} <= present
    assert "morphology.tufted_hair" not in present


def test_hair_standing_in_tufts_stays_the_tufted_hair_of_psoriasis(kb) -> None:
    assert "morphology.tufted_hair" in _signs(kb, "头皮上厚厚的白皮，头发一撮一撮的").present_ids


@pytest.mark.parametrize(
    ("text", "gone"),
    [("用药后痒的感觉消失了", "itch.present"), ("现在疼的感觉消失了", "symptom.pain"),
     ("瘙痒的感觉已经消失", "itch.present")],
)
def test_an_itch_or_pain_gone_is_no_numbness(kb, text: str, gone: str) -> None:
    mentions = extract_fields(kb, {"history": text}, semantic=False)
    assert "symptom.skin_numbness" not in {mention.sign_id for mention in mentions}
    assert gone not in _signs(kb, text).present_ids


def test_lost_sensation_over_a_patch_stays_numbness(kb) -> None:
    assert "symptom.skin_numbness" in _signs(kb, "皮损处感觉消失").present_ids


@pytest.mark.parametrize(
    "text",
    ["面部突起大片鲜红斑，迅速蔓延", "左小腿红肿，迅速蔓延", "足背一片鲜红，灼热，迅速蔓延至踝部"],
)
def test_a_bright_red_swelling_spreading_fast_is_the_red_swelling_of_erysipelas(kb, text: str) -> None:
    present = _signs(kb, text).present_ids
    assert {"morphology.sharp_red_swelling", "course.rapid_spread"} <= present
    assert "morphology.spreading_erosion" not in present


def test_an_erosion_spreading_fast_stays_the_weeping_spread_of_eczema(kb) -> None:
    assert "morphology.spreading_erosion" in _signs(kb, "皮损糜烂，迅速蔓延").present_ids


@pytest.mark.parametrize(
    ("text", "healed"),
    [
        ("嘴角起过小水疱，抹了药膏，现已结痂消退", "morphology.vesicle"),
        ("胸前起了一片红疹，经中药治疗，现在已经消退", "morphology.papule"),
        ("手指长了水疱，擦药后，吃药后，现已干涸结痂消退", "morphology.vesicle"),
    ],
)
def test_a_healing_told_after_a_treatment_clause_is_its_signs(kb, text: str, healed: str) -> None:
    signs = _signs(kb, text)
    assert healed not in signs.present_ids
    assert healed in {sign.term for sign in signs.past}


def test_a_healing_with_a_sign_of_its_own_leaves_the_earlier_one(kb) -> None:
    signs = _signs(kb, "手上起水疱，用药后，脚上的红斑已消退")
    assert "morphology.vesicle" in signs.present_ids
