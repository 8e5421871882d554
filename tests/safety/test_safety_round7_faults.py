"""Seventh round (issue 14 follow-ups): the known faults of round 6 and the concepts the round-7 dev set showed, fixed
in general, each in its wording families — lay, English, traditional, typo/pinyin, negated and family history — with the
look-alikes each must not refer.

Right answers, from the sources the rules cite (knowledge/rules/red_flags.yaml, red_flag_signs.yaml):
- A fever said to have ended (现在不烧了, 烧退了, "back to normal") is no fever now: NICE NG141 and NG143 ask about the
  patient now; a fever that came back (又烧起来了) is.
- A habitual low blood pressure (低血压体质, 平时血压90/60, "runs low") is the patient's baseline; WAO 2020 counts an
  acute fall (systolic < 90 mmHg or > 30% below baseline) beside hives or after an allergen.
- A sentence that points back (它, "it") speaks of the mole the sentence before named: a mole that grows or bleeds is
  ABCDE's E (AAD; NICE NG12 7-point checklist); a pronoun (她/他) keeps a relative's history to the next sentence.
- An infant under 3 months with a temperature of 38 ℃ or more is a red feature, rash or not (NICE NG143).
- A relative who opens the text, where the writer has no complaint of their own and tells the relative's illness as
  happening now, is the patient someone writes for (qSOFA, Sepsis-3).
- 黑志 is 黑痣 typed with a homophone; danger words typed in toneless pinyin (fa shao, feng tuan, hou long fa jin) are
  those words.
The wordings are the editors' own, written for this file (not the data/safety sets).
REFERRED and NOT_REFERRED are checked, with PLAN, in test_safety_round_wordings.py (one test over the rounds).
"""

from __future__ import annotations

import pytest
from redflagkit import assert_referred_for, check_history

from derm3r.safety.patient_facts import read_patient_facts
from derm3r.schemas.case import Case
from derm3r.schemas.plan import FormulaRef, HerbDose, TreatmentPlan
from derm3r.text.normalize import normalize

PLAN = TreatmentPlan(formula=FormulaRef(name="消风散加减"), herbs=[HerbDose(name="荆芥", dose_g=10)])

REFERRED = {
    # a fever that came back, or a high fever now beside a past one
    "fever back after it settled": "丹毒，前天退烧了，今天又烧到39度5，腿红肿得更厉害",
    "fever now, English": "Cellulitis on my shin. The fever went away on Monday; now I'm shivering with a temperature "
    "of 39.4 again",
    # an acute fall beside a habitual low blood pressure
    "acute fall, lay": "平常血压就偏低，刚才吃了海鲜全身起疙瘩，血压量出来只有75/45",
    "acute fall, English": "My blood pressure is usually low, but after the injection I came out in hives and my BP "
    "is 70/40",
    "acute fall, traditional": "平時血壓偏低，打針後全身起風團，現在人快暈倒了",
    # a mole across two sentences
    "pronoun, mole bleeds": "我脚背上有颗痣。前段时间它开始出血了。",
    "pronoun, mole grows, traditional": "大腿上有顆黑痣。這兩個月它長大了一倍。",
    "pronoun, English semicolon": "I have had a mole on my neck for years; lately it has grown and it bleeds",
    "this one grows": "胸口有好几颗痣。这颗最近变大了，边上也不整齐。",
    # a young infant's fever
    "infant days, no rash": "宝宝出生刚15天，今天量体温38.2",
    "infant weeks": "孩子生后6周，发热，体温38.0℃",
    "infant, English": "Our 5-week-old feels hot, the thermometer says 38.4",
    "infant, traditional": "寶寶出生30天，發燒38.6度",
    "infant, parent says fever": "宝宝出生20天，家长说孩子发烧了",
    # a relative the writer is writing for
    "relative now, sepsis": "我妈腿上丹毒，今天人迷糊了，呼吸很急",
    "relative now, English": "My wife has an infected leg and today she is confused and her blood pressure is 80/50",
    # typos and pinyin
    "typo 黑志": "背上的黑志最近长大了，还出过血",
    "pinyin airway": "chi le hai xian, quan shen qi feng tuan, hou long fa jin",
    "pinyin child purpura": "孩子fa shao 39度，身上有zi dian，按了bu tui se",
}

NOT_REFERRED = {
    # a fever that has ended
    "fever settled, lay": "丹毒，前几天发烧39度，现在不烧了，腿还有点红",
    "fever settled, 烧退了": "带状疱疹在腰上，前天发烧38度9，昨天烧退了",
    "fever settled, English": "I had erysipelas with a fever of 39 last week; my temperature is back to normal now",
    "fever settled, full stop": "腿上丹毒，前几天发烧39度。现在不烧了。",
    "fever settled, traditional": "丹毒，上週發燒39度，現在已經退燒了",
    "fever gone down, English": "Shingles on my back, temp 38.9 on Sunday, it has gone down since",
    "sores healed, English": "The ulcers in my mouth after the tablets healed a month ago; now I have dandruff",
    # a habitual low blood pressure
    "constitution, lay": "我是低血压体质，荨麻疹反复一年多",
    "usual value": "平常血压90/60左右，脸上长痘",
    "always low, English": "My blood pressure has always been around 90/60; I get hives most days",
    "constitution, traditional": "低血壓體質，慢性蕁麻疹兩年",
    "history of low blood pressure": "有低血压病史，平时血压85/55，湿疹",
    # a relative's history across a full stop, and a stable mole across sentences
    "pronoun keeps the relative": "我姐有红斑狼疮。她也老是口腔溃疡，脸上蝶形红斑。我是手上湿疹。",
    "pronoun keeps the relative, traditional": "我媽得過天皰瘡。她嘴裡爛了很久。我是腳氣。",
    "stable mole, pronoun": "左肩有颗痣。它二十年都没变过，圆的，颜色均匀。",
    "relative, no complaint now": "我妈妈有红斑狼疮",
    "relative, past, English": "Mum had lupus. Now I have mild eczema on my hands.",
    # an infant's temperature under 38, and an older child's fever alone
    "infant 37.5": "宝宝出生40天，体温37.5，脸上湿疹",
    "older child's fever alone": "孩子3岁，发烧38.5度，手上湿疹",
    # pinyin denials, a typo beside a stable mole
    "pinyin negated": "shi zhen, mei you fa shao, bu yang",
    "typo 黑志, stable": "脸上有颗黑志，从小就有，一直没变",
}


def test_a_young_infant_s_fever_refers_by_its_own_rule(kb) -> None:
    plan, report = check_history(kb, "宝宝出生才25天，今天发烧38.3", PLAN)
    assert_referred_for(kb, plan, report, "red_flag_rule.young_infant_fever")


@pytest.mark.parametrize(
    "history, age",
    [("宝宝出生才20天", 20 / 365), ("孩子生后6周", 42 / 365), ("Our 5-week-old", 35 / 365),
     ("a 10-day-old baby", 10 / 365), ("宝宝8周大", 56 / 365)],
)
def test_an_infant_s_age_in_days_or_weeks_is_read(kb, history: str, age: float) -> None:
    facts = read_patient_facts(kb, Case(case_id="age", history=history))
    assert facts.age == pytest.approx(age, abs=0.01)


def test_a_pregnancy_in_weeks_is_no_age(kb) -> None:
    facts = read_patient_facts(kb, Case(case_id="age", history="孕12周，面部湿疹"))
    assert facts.age is None


@pytest.mark.parametrize("text", ["quan shen qi feng tuan, hou long fa jin", "宝宝fa shao 39度", "fashao, fengtuan"])
def test_pinyin_is_written_in_chinese_and_keeps_every_position(text: str) -> None:
    folded = normalize(text)
    assert len(folded) == len(text)
    assert ("风团" in folded or "发烧" in folded) and "feng" not in folded and "fa shao" not in folded


def test_english_words_are_not_read_as_pinyin() -> None:
    assert normalize("The bus fare and a fashion show in Shaoxing") == "the bus fare and a fashion show in shaoxing"
