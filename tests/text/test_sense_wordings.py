"""Wordings of clinical notes the text layer misread (issue 13's dev splits and safety rounds).

Each answer is plain from the words: 感觉消失 ("sensation has gone", 《中医外科学》麻风) is the sign itself,
while 皮疹消失 / 瘙痒消失 say a sign has gone.
"""

from __future__ import annotations

import pytest

from derm3r.text import extract_fields


def _mentions(kb, text: str):  # type: ignore[no-untyped-def]
    return {m.sign_id: m for m in extract_fields(kb, {"history": text})}


@pytest.mark.parametrize("text", ["右手背一块淡白斑，感觉消失", "左前臂斑片处冷热觉消失", "皮损处痛觉消失，不痒不痛"])
def test_lost_sensation_is_a_present_sign(kb, text: str) -> None:  # type: ignore[no-untyped-def]
    found = _mentions(kb, text)
    assert "symptom.skin_numbness" in found, found
    assert found["symptom.skin_numbness"].scope == "present"
    assert not found["symptom.skin_numbness"].negated


def test_a_site_before_lost_sensation_stays_present(kb) -> None:  # type: ignore[no-untyped-def]
    found = _mentions(kb, "手背感觉消失")
    assert all(m.scope == "present" for m in found.values()), found


@pytest.mark.parametrize(
    ("text", "sign"), [("用药后瘙痒消失", "itch.present"), ("两周后红斑消失", "morphology.macule")]
)
def test_a_sign_that_vanished_is_still_resolved(kb, text: str, sign: str) -> None:  # type: ignore[no-untyped-def]
    found = _mentions(kb, text)
    assert found[sign].scope == "past"


@pytest.mark.parametrize("text", ["He cannot feel a pin on the pale patch", "I can't feel anything there"])
def test_english_cannot_feel_is_numbness_not_its_denial(kb, text: str) -> None:  # type: ignore[no-untyped-def]
    found = _mentions(kb, text)
    assert "symptom.skin_numbness" in found, found
    assert not found["symptom.skin_numbness"].negated


def test_a_sign_that_healed_by_itself_is_past(kb) -> None:  # type: ignore[no-untyped-def]
    found = _mentions(kb, "两个多月前起过水疱，后来自己好了")
    assert found["morphology.vesicle"].scope == "past"


def test_a_sign_that_healed_by_itself_and_came_back_is_present(kb) -> None:  # type: ignore[no-untyped-def]
    found = _mentions(kb, "两个多月前脸上长过红斑，自己好了，现在又长了")
    assert found["morphology.macule"].scope == "present"


@pytest.mark.parametrize("text", ["red spots all over my body", "I have itchy spots on my arms"])
def test_english_spots_are_a_lesion(kb, text: str) -> None:  # type: ignore[no-untyped-def]
    found = _mentions(kb, text)
    assert "morphology.papule" in found, found


def test_a_large_erythema_is_not_a_plaque(kb) -> None:  # type: ignore[no-untyped-def]
    found = _mentions(kb, "身上大片红斑，不高出皮面")
    assert "morphology.macule" in found
    assert "morphology.plaque" not in found, found


@pytest.mark.parametrize(("text", "palm_site"), [("掌心大斑块，脱屑", True), ("手掌大小的斑块", False)])
def test_a_palm_is_a_site_only_where_it_is_meant(kb, text: str, palm_site: bool) -> None:  # type: ignore[no-untyped-def]
    found = _mentions(kb, text)
    assert "morphology.plaque" in found
    assert ("site.palms_soles" in found) is palm_site, found
