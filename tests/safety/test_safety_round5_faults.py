"""Fifth round (issue 14 follow-ups): five faults fixed in general, each in every wording family — paraphrase,
lay words, English, traditional characters, negation and family history — with the referral it must keep.

Right answers, from the sources the rules cite (knowledge/rules/red_flags.yaml, red_flag_signs.yaml):
- A dated past event is history: "五年前吃药后起风团晕倒过" tells an event (过) years ago; "半年前起病" without 过
  dates today's illness, and a drug taken 三天前 is the exposure of today's rash (RegiSCAR: 2–8 weeks' latency).
- Who has the complaint decides whose signs they are: "奶奶，78岁，输液后…" is a grandchild writing for the patient;
  "外公，82岁，去年查出黑色素瘤。我自己…" is a family history; a clinical note's 母亲 is always a relative.
- WAO 2020 criterion 1 needs an acute onset: "全身瘙痒3年，今天肚子疼" is a chronic itch and a stomach ache today,
  and palpitations beside a years-long urticaria are 瘾疹 气血两虚证's own (《中医外科学》); collapse, low blood
  pressure or cyanosis beside hives refer however long the hives have lasted.
- Fever grades (《诊断学》 低热 37.3–38 ℃, 中等度热 38.1–39 ℃; RegiSCAR DRESS: > 38.5 ℃): 丹毒 comes with 恶寒发热
  and is treated in the clinic unless high fever, rigors, fast spread or sepsis signs (《中医外科学》丹毒; NICE
  NG141); a simple drug rash or 猫眼疮 with a low fever is treated (《中医外科学》药毒, 猫眼疮); a child's 37.5 ℃ is no
  fever (NICE NG143: ≥ 38 ℃), but a child who looks ill with fever, or an infant with fever and rash, refers.
- Stopping prednisone is a withdrawal flare, not a new drug (RegiSCAR: a drug started before the onset).
The wordings are the editors' own, written for this file (not the data/safety sets).
REFERRED and NOT_REFERRED are checked, with PLAN, in test_safety_round_wordings.py (one test over the rounds).
"""

from __future__ import annotations

import pytest

from derm3r.safety.patient_facts import read_patient_facts
from derm3r.schemas.case import Case
from derm3r.schemas.plan import FormulaRef, HerbDose, TreatmentPlan
from derm3r.text.clauses import split_clauses
from derm3r.text.normalize import normalize
from derm3r.text.scope import clause_scopes

PLAN = TreatmentPlan(formula=FormulaRef(name="消风散加减"), herbs=[HerbDose(name="荆芥", dose_g=10)])

REFERRED = {
    # dated events: today's red flag after a dated past, a dated current episode, a drug taken days ago
    "dated, then this time": "五年前得过带状疱疹，好了；这次疱疹长在右眼周围，眼睛又红又疼",
    "half a year ago, no 过": "半年前起病，全身起风团，喉咙发紧",
    "drug days ago": "三天前吃过头孢，今天全身起红疹，发烧39度",
    "English, noticed years ago": "2 years ago I noticed a mole, and it has grown and bleeds",
    # a relative given with an age who is the patient
    "grandma, 78, lay": "奶奶，78岁，输液以后全身起风团，头晕眼前发黑",
    "my grandma, paraphrase": "我的外婆，80岁，嘴里烂了两个月，身上起松松的水疱",
    "grandad, English": "My grandad, 79, has skin peeling off in sheets and a fever",
    "grandpa, traditional": "爺爺，82歲，全身皮膚發紅脫皮，發燒",
    "grandson, 3": "孙子3岁，发烧两天了，身上起了一片片红点，压了也不褪色",
    # acute today
    "today, hives and dizziness": "今天全身起风团，头晕",
    "today, itch, cramps, vomiting": "今天全身发痒发红，肚子绞痛，吐了",
    "today, English": "Today I came out in hives all over and felt dizzy",
    # fevers that still refer
    "erysipelas, high fever": "小腿丹毒，红肿热痛，体温39.2℃",
    "erysipelas, rigors": "小腿丹毒，红肿热痛，体温38.2℃，寒战",
    "erysipelas, confused": "小腿红肿发烫，人迷迷糊糊的，叫不太醒",
    "erysipelas, fever unstated": "小腿丹毒，红肿热痛，发烧",
    "cellulitis spreading, English": "Red, hot, swollen leg, spreading fast since this morning",
    "erysipelas, traditional high": "小腿丹毒，紅腫熱痛，體溫39.5度",
    "drug rash, high fever": "吃了阿莫西林后身上起红疹，发烧39度",
    "drug rash, fever unstated": "吃了头孢后全身起红疹，发烧",
    "drug rash, low then high": "吃了头孢后全身起红疹，低烧37.5，后来烧到39度",
    "drug, English high fever": "Took amoxicillin, now an itchy rash and a fever of 39.2",
    "target lesions, high fever": "手脚起靶子样的红圈，发烧39度",
    "infant, low fever": "宝宝5个月，低烧，身上起红疹",
    "child, 38.3": "孩子5岁，发烧38.3，身上起红疹",
    "child looks ill": "孩子身上黄水疮越来越多，烧到39.5度，精神很差，不爱动",
    # after stopping prednisone: the erythroderma still refers, a new drug's rash too
    "erythroderma after stopping prednisone": "银屑病，自行停用泼尼松后全身皮肤发红脱皮，发烧",
    "stopped one drug, started another": "停了泼尼松。吃了别嘌醇以后起红疹，发烧39度",
    # a long-standing urticaria still refers for collapse, or for systemic signs after an acute trigger
    "chronic hives, fainted today": "荨麻疹三年，今天吃虾后全身风团，晕倒了一次",
    "chronic hives, low blood pressure": "慢性荨麻疹两年，这次风团伴血压下降80/50",
    "chronic hives, cramps after seafood": "荨麻疹多年，吃了海鲜后又起风团，肚子绞痛",
    "chronic hives, English faint": "Hives on and off for years, but after a bee sting today I fainted",
}

NOT_REFERRED = {
    # dated past events
    "dated past, paraphrase": "五年前吃药后起风团晕倒过，现在是手上湿疹",
    "dated past, lay": "两年前吃海鲜喉咙发紧抢救过，现在就是脸上长痘",
    "dated past, English": "Years ago I had hives and fainted after penicillin; now just dry skin on my elbows",
    "dated past, traditional": "五年前吃藥後起風團暈倒過，現在是手上濕疹",
    "dated past, then denied now": "三年前打针后起过风团，这次没有起风团，只是手脚脱皮",
    "dated past, a relative's": "奶奶五年前起风团晕倒过，我是手上湿疹",
    # a relative with an age who is not the patient
    "writer speaks, next sentence": "外公，82岁，去年查出黑色素瘤。我自己手上有几颗小痣，没变过",
    "writer speaks, same sentence": "奶奶，80岁，有天疱疮；我是来看脸上痘痘的",
    "English, writer speaks": "My grandad, 79, had a melanoma removed. I just have a few freckles",
    "traditional, writer speaks": "阿嬤，80歲，有紅斑狼瘡；我自己只是手部濕疹",
    "clinical note's mother": "母亲，55岁，患红斑狼疮",
    "grandma, 78, negated": "奶奶，78岁，没有发烧，嘴里不烂，只是小腿干痒",
    # chronic itch and a complaint today
    "chronic itch, stomach ache today": "全身瘙痒3年，今天肚子疼",
    "chronic itch, vomited today": "全身皮肤痒了好多年，今天早上吐了一次",
    "chronic itch, English": "Itchy all over for years; today I have a stomach ache",
    "chronic itch, traditional": "全身瘙癢三年，今天肚子痛",
    "today, hives, denied": "今天全身起风团，不头晕，肚子不疼",
    # palpitations beside a years-long urticaria: 瘾疹 气血两虚证's own symptom (《中医外科学》)
    "chronic hives, palpitations": "荨麻疹反复一年多，心悸，乏力",
    "chronic hives, lay": "身上风团反反复复两年了，累了就心慌",
    "chronic hives, English": "Hives on and off for two years; I get palpitations when I'm tired",
    "chronic hives, traditional": "蕁麻疹反覆一年多，心悸乏力",
    # fevers that belong to the disease
    "erysipelas, slight chill and fever": "小腿丹毒，红肿灼热，微恶寒发热",
    "erysipelas, 38.2": "小腿丹毒，红肿热痛，体温38.2℃，精神好",
    "erysipelas, English 37.9": "Cellulitis on my shin, red and swollen, temperature 37.9, I feel fine",
    "erysipelas, traditional 38.2": "小腿丹毒，紅腫熱痛，體溫38.2度",
    "erysipelas, no fever": "小腿丹毒，红肿热痛，不发烧，没有寒战",
    "drug rash, low fever": "吃了阿莫西林后起红疹，低热37.6℃，口腔眼睛正常",
    "target lesions, low fever": "手背靶形红斑，低热37.8℃，口腔无糜烂",
    "impetigo child, 37.5": "孩子5岁，口周黄水疮，低热37.5℃",
    # stopping prednisone
    "stopped prednisone, paraphrase": "湿疹，自行停用口服泼尼松后加重，身上起红疹，发热",
    "stopped prednisone, lay": "自己把吃了一个月的强的松停了以后湿疹又厉害了，起了好多红疹，有点发烧",
    "stopped prednisolone, English": "I stopped taking prednisolone, then the eczema flared into a rash, with a fever",
    "stopped prednisone, traditional": "濕疹，自行停用口服潑尼松後加重，起紅疹，發燒",
}


def _scope_of(text: str, word: str) -> str:
    lowered = normalize(text)
    clauses = split_clauses(lowered, "")
    scopes = clause_scopes(lowered, clauses)
    at = lowered.index(word)
    index = next(i for i, clause in enumerate(clauses) if clause.start <= at < clause.end)
    scope, offset = scopes[index]
    return scope if at >= offset else (scopes[index - 1][0] if index else "present")


@pytest.mark.parametrize(
    ("text", "word", "scope"),
    [
        ("三年前起过风团，这次是湿疹", "风团", "past"),
        ("去年长过带状疱疹，现在腰上痒", "带状疱疹", "past"),
        ("半年前起病，全身风团", "风团", "present"),
        ("三个月前吃过卡马西平，起了皮疹", "皮疹", "present"),  # a month-scale date never opens a past
        ("three years ago i had shingles", "shingles", "past"),
        ("3 weeks ago i started lamotrigine and got a rash", "rash", "present"),
        ("奶奶，78岁，全身起风团", "风团", "present"),
        ("奶奶，78岁，有天疱疮；我是来看痘痘的", "天疱疮", "family"),
        ("母亲，55岁，患红斑狼疮", "红斑狼疮", "family"),
    ],
)
def test_scope_of_dated_events_and_relatives_with_an_age(text: str, word: str, scope: str) -> None:
    assert _scope_of(text, word) == scope


def test_the_age_of_a_relative_who_is_the_patient_is_the_patients(kb) -> None:
    facts = read_patient_facts(kb, Case(case_id="age", history="奶奶，78岁，输液以后全身起风团"))
    assert facts.age == 78
    facts = read_patient_facts(kb, Case(case_id="age", history="外公，82岁，有黑色素瘤。我今年30岁，脸上长痘"))
    assert facts.age == 30
