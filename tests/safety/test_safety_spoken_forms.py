"""Spoken temperatures, "recently" as now, and a sign said across a past clause and a present one.

Right answers, from the sources the rules cite (knowledge/rules/red_flag_signs.yaml, red_flags.yaml):
- 《诊断学》 grades a fever by its number however it is said: 低热 37.3–38 ℃, 中等度热 38.1–39 ℃, 高热 39.1–41 ℃; the
  referral line is 38.5 ℃ (RegiSCAR's DRESS criterion, the project's fever_high). "38度5", "38度半", "38点5" and
  "三十八度五" are 38.5 ℃, so 丹毒 with them refers (NICE NG141: erysipelas with systemic toxicity);
  "37度5" and "三十七度五" are a low fever 丹毒 comes with (《中医外科学》丹毒 湿热毒蕴证, 恶寒发热).
  "38度多" may be 38.9 ℃: it is no grade, and a fever that cannot be ruled below the line refers.
  A child's 38.1 ℃ and over is a fever (NICE NG143: fever is ≥ 38 ℃), with a rash a referral.
- 最近, 这几天, 这两天, "recently", "lately" (and 但/不过/but before them) bring a past history back to now:
  what follows is the patient's current complaint (ABCDE: a mole that grows and bleeds now;
  SJS: mouth and eye erosions now).
- A sign said across clauses takes the scope of its latest part, the one that says what is happening: "以前有颗痣，
  现在长大出血" is a mole bleeding now; "我身上有很多痣，我妈的一颗痣出血了" is the mother's mole.
The wordings are the editors' own, written for this file (not the data/safety sets).
REFERRED and NOT_REFERRED are checked, with PLAN, in test_safety_round_wordings.py (one test over the rounds).
"""

from __future__ import annotations

import pytest

from derm3r.safety.red_flag_signs import read_findings
from derm3r.schemas.case import Case
from derm3r.schemas.plan import FormulaRef, HerbDose, TreatmentPlan

PLAN = TreatmentPlan(formula=FormulaRef(name="五神汤加减"), herbs=[HerbDose(name="金银花", dose_g=15)])

REFERRED = {
    # 38.5 ℃ and over, said as people say it
    "38度5": "小腿丹毒，红肿热痛，发烧38度5",
    "体温38度5": "小腿丹毒，红肿热痛，体温38度5",
    "三十八度五": "小腿丹毒，红肿热痛，发烧三十八度五",
    "38度半": "小腿丹毒，红肿热痛，发烧38度半",
    "三十八度半": "小腿丹毒，红肿热痛，烧到三十八度半",
    "38点5度": "小腿丹毒，红肿热痛，发烧38点5度",
    "三十八点五度": "小腿丹毒，红肿热痛，发烧三十八点五度",
    "traditional 38度5": "小腿丹毒，紅腫熱痛，發燒38度5",
    "traditional 三十九度": "小腿丹毒，紅腫熱痛，體溫三十九度",
    "38度多, no grade": "小腿丹毒，红肿热痛，发烧38度多",
    "drug rash 38度8": "吃了头孢后全身起红疹，烧到38度8",
    "child 38度3": "孩子5岁，发烧38度3，身上起红疹",
    "child 三十八度二": "孩子5岁，发烧三十八度二，身上起红疹",
    "English 38.6": "My leg is red, hot and swollen with cellulitis, temperature 38.6",
    # now-markers after a past history
    "最近": "以前有颗痣，最近长大出血",
    "这几天": "小时候得过湿疹，这几天嘴里和眼睛都烂了",
    "这两天": "以前得过荨麻疹，这两天起风团，喉咙发紧",
    "English lately": "I used to get eczema. Lately my mouth and eyes are full of sores",
    "English but recently": "I used to get eczema, but recently my mouth and eyes are full of sores",
    "traditional 最近": "以前有顆痣，最近長大出血",
    "traditional 這幾天": "以前得過蕁麻疹，這幾天起風團，喉嚨發緊",
    # a sign across a past clause and a present one
    "现在": "以前有颗痣，现在长大出血",
    "但现在": "以前有颗痣，但现在长大了还出血",
    "不过最近": "脸上有颗痣，不过最近出血了",
    "English now": "I used to have a small mole, now it has grown and bleeds",
    "traditional 現在": "以前有顆痣，現在長大出血",
}

NOT_REFERRED = {
    # a low or moderate fever 丹毒, a simple drug rash or 黄水疮 comes with
    "37度5": "小腿丹毒，红肿热痛，发烧37度5",
    "三十七度五": "小腿丹毒，红肿热痛，发烧三十七度五",
    "38度": "小腿丹毒，红肿热痛，发烧38度",
    "38度2": "小腿丹毒，红肿热痛，发烧38度2",
    "三十八度二": "小腿丹毒，红肿热痛，体温三十八度二",
    "traditional 37度8": "小腿丹毒，紅腫熱痛，體溫37度8",
    "negated": "小腿丹毒，红肿热痛，没有发烧",
    "a relative's 38度5": "小腿丹毒，红肿热痛；我妈前几天发烧38度5",
    "child 37度5": "孩子5岁，口周黄水疮，低热37度5",
    "drug rash 37度6": "吃了阿莫西林后起红疹，低烧37度6，口腔眼睛正常",
    "English 37.5": "Cellulitis on my shin, red and swollen, temperature 37.5, I feel fine",
    # a past red flag, and now only an ordinary complaint
    "最近, ordinary": "以前得过荨麻疹喉咙发紧，最近只是手上湿疹",
    "最近, denied": "以前痣出过血，最近没有变化",
    "最近, a relative's past": "我妈以前痣出血，最近我手上湿疹",
    "English lately, ordinary": "I used to get hives with throat swelling; lately just dry skin",
    # the latest part is a relative's, denied, or resolved
    "the mother's mole": "我身上有很多痣，我妈的一颗痣出血了",
    "现在, denied": "以前有颗痣，现在没长大也没出血",
    "现在, resolved": "以前痣出过血，现在已经好了",
    "English, the mother's": "I have many moles; my mum's mole bled",
}


GRADES = ("fever_low_grade", "fever_moderate", "fever_high")


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        ("发烧37度5", "fever_low_grade"),
        ("发烧37点5度", "fever_low_grade"),
        ("发烧三十七度五", "fever_low_grade"),
        ("體溫37度8", "fever_low_grade"),
        ("发烧38度", "fever_low_grade"),
        ("发烧38度2", "fever_moderate"),
        ("体温三十八度四", "fever_moderate"),
        ("发烧38度5", "fever_high"),
        ("发烧38度半", "fever_high"),
        ("发烧38点5", "fever_high"),
        ("发烧三十八度五", "fever_high"),
        ("烧到三十九度", "fever_high"),
        ("发烧38度多", None),  # 38-point-something: no grade, a fever of unstated degree
        ("发烧三十八度多", None),
    ],
)
def test_a_spoken_temperature_is_read_in_its_grade(kb, text: str, grade: str | None) -> None:
    found = {key.removeprefix("red_flag_sign.") for key in read_findings(kb, Case(case_id="t", history=text))}
    assert found & set(GRADES) == ({grade} if grade else set()), found
