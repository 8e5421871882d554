"""Sepsis screened as the sources do: chills, a low blood pressure or drowsiness alone is no referral.

The lexicon's 全身感染征象 used to refer on 寒战 or 血压下降 by itself. Right answers, from the sources the rules
cite (knowledge/rules/red_flags.yaml, sepsis section):
- qSOFA (Singer et al., JAMA 2016, Sepsis-3): altered mentation, systolic blood pressure ≤ 100 mmHg, respiratory rate
  ≥ 22/min; two or more flag likely sepsis. One alone does not.
- NICE NG51: with a suspected infection (here a fever or rigors), one high-risk criterion — new altered mental state,
  systolic ≤ 90 mmHg — is high risk.
- 《诊断学》发热伴寒战 (败血症、大叶性肺炎、急性肾盂肾炎…): chills with fever need a doctor;
  a chill in the cold does not.
- Words that name a systemic or necrotising infection (脓毒症, 皮肤发黑坏死, 捻发音) still refer on their own.
The wordings are the editors' own, written for this file (not the data/safety sets).
"""

from __future__ import annotations

import pytest
from redflagkit import assert_referred_for, check_history

from derm3r.schemas.plan import FormulaRef, HerbDose, TreatmentPlan

PLAN = TreatmentPlan(formula=FormulaRef(name="消风散加减"), herbs=[HerbDose(name="荆芥", dose_g=10)])

REFERRED = {
    "chills with fever": ("寒战发热，身上起红斑", "red_flag_rule.rigors_with_fever"),
    "chills with fever, lay": ("发烧39度，打寒战，全身起红疹", "red_flag_rule.rigors_with_fever"),
    "chills with fever, traditional": ("寒戰發熱，身上起紅斑", "red_flag_rule.rigors_with_fever"),
    "chills with fever, English": (
        "Shaking chills and a fever, with a red rash on my leg", "red_flag_rule.rigors_with_fever"
    ),
    "fever and confusion": ("身上起红斑，发烧，神志不清", "red_flag_rule.fever_sepsis_high_risk"),
    "fever and low blood pressure": ("皮肤红肿，发热，血压下降到85/50", "red_flag_rule.fever_sepsis_high_risk"),
    "fever, hard to wake": ("发热，人迷迷糊糊的，叫不太醒", "red_flag_rule.fever_sepsis_high_risk"),
    "qSOFA, confusion and blood pressure": ("身上一片红，人迷迷糊糊，血压90/60", "red_flag_rule.qsofa"),
    "qSOFA, blood pressure and breathing": ("血压85/50，呼吸30次/分，皮肤花斑", "red_flag_rule.qsofa"),
    "qSOFA, English": ("Confused and drowsy, blood pressure 88/50, skin rash", "red_flag_rule.qsofa"),
    "qSOFA, traditional": ("神志淡漠，呼吸急促，血壓下降", "red_flag_rule.qsofa"),
}

STILL_REFERRED = {
    "necrosis and crepitus": "小腿红肿，皮肤发黑坏死，捻发音",
    "sepsis named": "皮肤感染后诊断脓毒症",
    "erysipelas with rigors": "小腿丹毒，红肿热痛，体温38.2℃，寒战",
}

NOT_REFERRED = {
    "a chill in the cold": "天冷出门打寒战，回来手上起风团，很痒",
    "feels the cold": "湿疹多年，手背干裂，平时容易寒战怕冷",
    "chills, English": "Eczema on my hands; I get chills when it's cold outside",
    "low blood pressure on tablets": "有高血压，吃降压药后血压下降，身上湿疹",
    "low blood pressure, tired": "湿疹两年，最近血压偏低，头晕乏力",
    "low blood pressure, English": "My blood pressure is low on these tablets; itchy rash on my arms",
    "drowsy": "银屑病，最近工作累，白天嗜睡",
    "listless elderly": "老人皮肤瘙痒，精神萎靡，食欲差",
    "one criterion, no fever": "没有发烧，最近血压偏低，手上湿疹",
    "negated": "没有寒战发热，小腿湿疹",
    "negated, lay": "不发烧，也没有寒战，只是手上湿疹",
    "a relative's": "我妈发烧寒战住院了，我是脸上痘痘",
    "erysipelas, slight chill and fever": "小腿丹毒，红肿灼热，微恶寒发热",
}


@pytest.mark.parametrize(("text", "rule_id"), REFERRED.values(), ids=REFERRED.keys())
def test_sepsis_is_screened_by_its_criteria(kb, text: str, rule_id: str) -> None:
    plan, report = check_history(kb, text, PLAN)
    assert_referred_for(kb, plan, report, rule_id)


@pytest.mark.parametrize("text", STILL_REFERRED.values(), ids=STILL_REFERRED.keys())
def test_a_named_systemic_infection_still_refers(kb, text: str) -> None:
    plan, report = check_history(kb, text, PLAN)
    assert report.red_flags and plan.herbs == [], text


@pytest.mark.parametrize("text", NOT_REFERRED.values(), ids=NOT_REFERRED.keys())
def test_one_sign_alone_is_no_sepsis(kb, text: str) -> None:
    _, report = check_history(kb, text, PLAN)
    assert not report.red_flags and not report.referral, report.red_flags


def test_min_groups_cannot_exceed_the_groups() -> None:
    from pydantic import ValidationError

    from derm3r.kb.rule_models import RedFlagRule

    with pytest.raises(ValidationError, match="min_groups 3 is more than the 2 groups"):
        RedFlagRule(id="red_flag_rule.x", reason="xx", all_of=[["a"], ["b"]], min_groups=3, source="Sepsis-3")
