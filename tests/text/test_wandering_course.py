"""Lesions that wander — here now, there later — are a course, not a lesion: 骤起骤退 (course.transient), not 风团.

《中医外科学》瘾疹 describes the wheal by its course (骤起骤退, 发无定处); 风性善行而数变 (《中医基础理论》) is the
same wandering said of any lesion. So 一会儿这里一会儿那里, 此起彼伏, 这边消了那边起 and 游走不定 state the course,
in clinical, lay, English and traditional wording; the morphology (风团) comes from the lesion's own words. 游走扩展
(丹毒 spreading outwards) is no wandering; a denied or a relative's wandering is not the patient's.
"""

from __future__ import annotations

import pytest

from derm3r.text import extract_fields


def _read(kb, text: str, field: str = "lesion_description") -> dict[str, bool]:  # type: ignore[no-untyped-def]
    read: dict[str, bool] = {}
    for mention in extract_fields(kb, {field: text}):
        read[mention.sign_id] = read.get(mention.sign_id, False) or mention.asserted
    return read


@pytest.mark.parametrize("text", [
    "皮疹游走不定，时起时消",                      # clinical
    "躯干红斑此起彼落",                            # clinical
    "身上的包一会儿这里一会儿那里",                # lay
    "这边消了那边又起，痒得很",                    # lay
    "一会儿这儿起一会儿那儿起",                    # lay
    "The itchy bumps move around over the day",    # English
    "Welts pop up in different places",           # English
    "身上的疙瘩一會兒這裡一會兒那裡",              # traditional characters
    "紅疹此起彼伏",                                # traditional characters
])
def test_wandering_lesions_state_the_transient_course(kb, text: str) -> None:  # type: ignore[no-untyped-def]
    assert _read(kb, text).get("course.transient") is True


@pytest.mark.parametrize("text", ["一会儿这里一会儿那里", "这边消了那边起", "游走不定", "此起彼伏"])
def test_the_wandering_alone_is_no_wheal(kb, text: str) -> None:  # type: ignore[no-untyped-def]
    read = _read(kb, text)
    assert read.get("course.transient") is True
    assert not read.get("morphology.wheal")


@pytest.mark.parametrize(("text", "field"), [
    ("皮疹位置固定，不是一会儿这里一会儿那里", "lesion_description"),
    ("没有游走不定", "lesion_description"),
    ("母亲的风团此起彼伏", "history"),
    ("小腿红肿向四周游走扩展", "lesion_description"),
])
def test_denied_a_relatives_or_spreading_is_no_wandering(kb, text: str, field: str) -> None:  # type: ignore[no-untyped-def]
    assert not _read(kb, text, field).get("course.transient")
