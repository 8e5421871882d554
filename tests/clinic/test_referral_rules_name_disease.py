"""A referral names the disease its rule suspects: the rule that fired is weighed in that disease's profile.

The referral rules (knowledge/rules/red_flags.yaml) refer a case whatever disease is named; weighing a rule that
fired in a disease's profile (knowledge/diseases) only names the disease the referral suspects, so it cannot refer a
case the rules leave alone. Right answers, from the sources the rules cite: a mole with ABCDE signs, a sore on the
face that will not heal, a crater nodule or a growing refractory patch in an older patient are suspected skin cancers
(NICE NG12; BAD guidelines); lupus antibodies, or a discoid patch with an organ involved, are 红蝴蝶疮 (2019 EULAR/ACR);
proximal weakness with raised muscle enzymes beside the skin signs is 肌痹 (2017 EULAR/ACR); vesicles on the forehead
with a red, blurred eye are 蛇串疮 of the eye (《带状疱疹中国专家共识》2018). The wordings are the test's own.
"""

from __future__ import annotations

from typing import Any

import pytest


def _consult(system, age: float, sex: str = "F", **fields: str) -> Any:  # type: ignore[no-untyped-def]
    return system.consult({"case_id": "rule-named", "patient": {"sex": sex, "age": age}, **fields})


@pytest.mark.parametrize(("age", "fields", "disease"), [
    (55, {"lesion_description": "背部一颗痣半年来变大，颜色深浅不一，边缘不规则"}, "疑似皮肤恶性肿瘤"),
    (55, {"lesion_description": "A mole on her back has grown, with patchy colours and a ragged edge."},
     "疑似皮肤恶性肿瘤"),
    (70, {"lesion_description": "鼻翼旁一个小溃疡一年多不收口，边缘珍珠样隆起，有红血丝"}, "疑似皮肤恶性肿瘤"),
    (68, {"lesion_description": "手背一个花生米大结节，中央火山口样凹陷，填满角质", "history": "一个月内长大"},
     "疑似皮肤恶性肿瘤"),
    (30, {"lesion_description": "面颊红斑", "history": "化验：抗dsDNA抗体阳性"}, "红蝴蝶疮"),
    (30, {"lesion_description": "額部兩塊硬幣大暗紅斑，中心萎縮", "history": "雙腿浮腫，小便泡沫多"}, "红蝴蝶疮"),
    (52, {"lesion_description": "上眼睑紫红色水肿斑", "symptoms": "上楼梯腿没劲", "history": "肌酸激酶升高"}, "肌痹"),
    (66, {"lesion_description": "右额部成簇水疱，部分结痂", "symptoms": "右眼红痛，看东西模糊"}, "蛇串疮"),
])
def test_a_referral_names_the_disease_its_rule_suspects(system, age: float, fields: dict[str, str],  # type: ignore[no-untyped-def]
                                                        disease: str) -> None:
    result = _consult(system, age, **fields)
    assert result.safety.red_flags
    assert result.assessment.disease == disease


@pytest.mark.parametrize(("age", "fields", "disease"), [
    (55, {"lesion_description": "背部一颗痣，多年无变化，颜色均匀，边界清楚"}, "疑似皮肤恶性肿瘤"),
    (55, {"lesion_description": "面部红斑丘疹，瘙痒", "history": "母亲得过黑色素瘤"}, "疑似皮肤恶性肿瘤"),
    (30, {"lesion_description": "面部红斑丘疹，瘙痒", "history": "抗核抗体阴性"}, "红蝴蝶疮"),
])
def test_a_rule_that_does_not_fire_names_nothing(system, age: float, fields: dict[str, str],  # type: ignore[no-untyped-def]
                                                 disease: str) -> None:
    assert _consult(system, age, **fields).assessment.disease != disease


def test_a_fired_rule_shows_its_own_label_as_disease_evidence(system) -> None:  # type: ignore[no-untyped-def]
    # The rule's label (knowledge/rules/red_flags.yaml) names it in the disease differential; its reason, with the
    # findings spliced in and English in brackets, is the referral's text, not a name.
    result = _consult(system, 55, lesion_description="背部一颗痣半年来变大，颜色深浅不一，边缘不规则")
    candidate = next(c for c in result.assessment.disease_differential if c.name == "疑似皮肤恶性肿瘤")
    labels = {item.term: item.label for item in candidate.evidence}
    assert labels["red_flag_rule.melanoma_signs"] == "黑色素瘤警示征象"
    assert system.knowledge.red_flags["red_flag_rule.melanoma_signs"].label == "黑色素瘤警示征象"
