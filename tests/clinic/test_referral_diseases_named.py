"""Referral-only 杨梅疮, 麻风 and 川崎病 named from their described signs: the referral says which disease it suspects.

Right answers, from the sources the entries cite (knowledge/diseases/syphilis.yaml, leprosy.yaml, kawasaki.yaml):
- Copper-red macules on the palms and soles, a painless chancre or condylomata lata are syphilis (《中医外科学》梅毒;
  《梅毒、淋病和生殖道沙眼衣原体感染诊疗指南（2020年）》; CDC 2021; BASHH 2015).
- A pale patch with lost sensation, or a thickened peripheral nerve, is leprosy (WHO 2018 cardinal signs).
- A young child's fever of five days with a strawberry tongue, red cracked lips, swollen hands and feet or peeling
  fingertips is Kawasaki disease (AHA 2017); an adult's peeling fingertips are not.
Denied signs and a relative's disease name none of them. The wordings are the test's own, not the dev cases'.
"""

from __future__ import annotations

from typing import Any

import pytest


def _consult(system, age: float, **fields: str) -> Any:  # type: ignore[no-untyped-def]
    return system.consult({"case_id": "named", "patient": {"sex": "M", "age": age}, **fields})


SYPHILIS = [
    {"lesion_description": "两侧手掌、足底数个黄豆大铜红色斑疹，边缘少许细薄鳞屑，不痒"},   # clinical words
    {"lesion_description": "手心脚心长了些铜红色的斑，不痛不痒"},                          # lay words
    {"lesion_description": "Copper-coloured spots on both palms and soles; no itch."},      # English
    {"lesion_description": "手心腳心起了些銅紅色斑疹，不癢"},                               # traditional characters
    {"lesion_description": "冠状沟一个无痛性溃疡，质硬，表面清洁"},                         # a chancre
]


@pytest.mark.parametrize("fields", SYPHILIS)
def test_described_syphilis_is_referred_as_yangmeichuang(system, fields: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    result = _consult(system, 30, **fields)
    assert result.assessment.disease == "杨梅疮"
    assert result.safety.red_flags and "杨梅疮" in (result.safety.referral or "")


LEPROSY = [
    {"lesion_description": "左前臂一块淡白色斑，边界清楚，斑上感觉消失，闭汗", "history": "查体：左尺神经粗大"},
    {"lesion_description": "胳膊上一块浅色斑，摸着没感觉，不出汗"},
    {"lesion_description": "A pale patch on his thigh with loss of sensation to a pin."},
    {"lesion_description": "前臂一塊淡白色斑，針刺痛覺喪失"},
]


@pytest.mark.parametrize("fields", LEPROSY)
def test_described_leprosy_is_referred_as_mafeng(system, fields: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    result = _consult(system, 45, **fields)
    assert result.assessment.disease == "麻风"
    assert result.safety.red_flags and "麻风" in (result.safety.referral or "")


KAWASAKI = [
    {"chief_complaint": "发热6天", "lesion_description": "口唇鲜红干裂，杨梅舌，手足硬肿，双侧球结膜充血无分泌物"},
    {"chief_complaint": "孩子烧了一个星期不退",
     "lesion_description": "嘴唇又红又裂，舌头像草莓，手脚背硬肿，手指尖一层层地脱皮"},
    {"chief_complaint": "Fever for six days",
     "lesion_description": "Red cracked lips, a strawberry tongue and swollen hands and feet."},
    {"chief_complaint": "發燒6天", "lesion_description": "嘴唇鮮紅乾裂，楊梅舌，指尖脫皮"},
]


@pytest.mark.parametrize("fields", KAWASAKI)
def test_described_kawasaki_is_referred_as_kawasaki(system, fields: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    result = _consult(system, 3, **fields)
    assert result.assessment.disease == "川崎病"
    assert result.safety.red_flags and "川崎病" in (result.safety.referral or "")


@pytest.mark.parametrize(("age", "fields", "disease"), [
    (30, {"lesion_description": "手掌足底红斑脱屑，瘙痒", "history": "否认不洁性生活，梅毒抗体阴性"}, "杨梅疮"),
    (30, {"lesion_description": "手掌红斑脱屑，瘙痒", "history": "父亲年轻时得过梅毒"}, "杨梅疮"),
    (30, {"lesion_description": "手心没有铜红色斑，手背湿疹样红斑丘疹，瘙痒"}, "杨梅疮"),
    (45, {"lesion_description": "手背一块乳白色斑，边界清楚，感觉正常", "history": "舅舅得过麻风"}, "麻风"),
    (45, {"lesion_description": "前臂淡白色斑，无麻木，感觉正常"}, "麻风"),
    (3, {"lesion_description": "面部红斑丘疹，瘙痒", "history": "哥哥小时候得过川崎病"}, "川崎病"),
    (3, {"lesion_description": "双颊红斑丘疹，瘙痒，没有杨梅舌，手足不肿"}, "川崎病"),
    (35, {"lesion_description": "双手指尖脱皮、干燥，冬天加重"}, "川崎病"),
])
def test_denied_family_or_adult_signs_name_none_of_them(system, age: float, fields: dict[str, str],  # type: ignore[no-untyped-def]
                                                       disease: str) -> None:
    assert _consult(system, age, **fields).assessment.disease != disease
