"""A denied feeling used as an attribute denies only the feeling: 无痛性溃疡 is an ulcer that is there.

Syphilis's chancre is a painless ulcer (《梅毒、淋病和生殖道沙眼衣原体感染诊疗指南（2020年）》一期梅毒), and notes say
so as 无痛性/无痛的/不痛的 before the lesion; 不痒的红斑 is a patch that does not itch. A denial over the lesion itself
(没有明显的红斑, 无溃疡) still denies it.
"""

from __future__ import annotations

import pytest

from derm3r.text import extract_fields


def _read(kb, text: str) -> dict[str, bool]:  # type: ignore[no-untyped-def]
    return {m.sign_id: m.asserted for m in extract_fields(kb, {"lesion_description": text})}


@pytest.mark.parametrize(("text", "sign"), [
    ("阴茎无痛性溃疡", "morphology.ulcer"),
    ("冠状沟一个无痛的溃疡", "morphology.ulcer"),
    ("龟头一个不痛的溃疡", "morphology.ulcer"),
    ("龜頭一個不痛的潰瘍", "morphology.ulcer"),
    ("躯干不痒的红斑", "morphology.macule"),
])
def test_the_lesion_after_a_denied_feeling_is_there(kb, text: str, sign: str) -> None:  # type: ignore[no-untyped-def]
    read = _read(kb, text)
    assert read[sign] is True
    assert not any(asserted for term, asserted in read.items() if term in {"symptom.pain", "itch.present"})


@pytest.mark.parametrize(("text", "sign"), [("没有明显的红斑", "morphology.macule"), ("龟头无溃疡", "morphology.ulcer"),
                                            ("未见溃疡，不痛", "morphology.ulcer")])
def test_a_denied_lesion_stays_denied(kb, text: str, sign: str) -> None:  # type: ignore[no-untyped-def]
    assert _read(kb, text)[sign] is False
