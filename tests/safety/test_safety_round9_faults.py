"""Ninth round: the concepts the round-9 blind run missed, fixed in general, each in its wording families — lay,
English, traditional, negated and family history — with the look-alikes each must not refer.

Right answers, from the sources the rules cite (knowledge/rules/red_flags.yaml, red_flag_signs.yaml):
- Hives said as raised or itchy blotches, lumps or bumps (NHS "Hives": "a raised, itchy rash") with fainting or blue
  lips is anaphylaxis (WAO 2020).
- A drug class said in lay words (降尿酸的药 = allopurinol, 抗癫痫药, gout tablets) or a drug taken for a stated time
  (吃…一个多月) is a drug exposure: DRESS begins 2–8 weeks in (RegiSCAR).
- A bare 疱 or 起了一串泡 on the forehead or eyelid is zoster of V1 (NICE CKS Shingles); a pustule (脓疱) is acne and
  眼泡 is the eyelid itself.
- A mole whose two sides differ in any words (两边长得不一样, 一半圆一半扁) is ABCDE's A (AAD).
- A comparison with the past (比以前大了, "bigger than it used to be") states a change now, not a past history.
- A relative who opens the text with a drug just taken (我妈吃了磺胺类的药以后…) is the patient a carer writes for,
  unless the text dates or likens it (起过, 也).
REFERRED and NOT_REFERRED are checked, with PLAN, in test_safety_round_wordings.py (one test over the rounds).
The wordings are the editors' own, written for this file (not the data/safety sets).
"""

from __future__ import annotations

from derm3r.schemas.plan import FormulaRef, HerbDose, TreatmentPlan
from derm3r.text.clauses import split_clauses
from derm3r.text.normalize import normalize
from derm3r.text.scope import clause_scopes

PLAN = TreatmentPlan(formula=FormulaRef(name="消风散加减"), herbs=[HerbDose(name="荆芥", dose_g=10)])

REFERRED = {
    # hives as blotches, lumps, bumps
    "blotches all over, faint": "raised itchy blotches all over after the peanuts and I feel faint",
    "itchy raised lumps, blue lips": "itchy raised lumps came up everywhere after the jab and her lips went blue",
    "swollen bumps, floppy": "swollen red bumps all over him after a wasp sting, now he's floppy",
    # drug classes in lay words, a drug taken for a stated time
    "降尿酸的药, a month": "吃降尿酸的药一个多月，全身起红疹子，发烧39度，脸肿得厉害",
    "抗癫痫药, weeks": "吃抗癫痫药三周，全身红疹，发烧39度，脸也肿了",
    "gout tablets, English": "I've been on gout tablets for five weeks and now I have a rash all over, "
                             "a fever of 39 and a swollen face",
    "抗癫痫药, traditional": "吃抗癲癇藥一個月，全身起紅疹，發燒39度，臉腫",
    # a bare blister word near the eye
    "bare 疱, forehead and eyelid": "这回额头和眼皮上起了疱，眼睛疼",
    "一串泡 over the brow": "左边眉毛上面起了一串泡，火烧一样疼",
    "bare 疱, traditional": "額頭上起了一片疱，眼睛紅",
    # asymmetry in lay words
    "一半圆一半扁": "肩膀上的痣一半圆一半扁",
    "两边长得不一样": "背上那颗痣两边长得不一样",
    "兩邊長得不一樣, traditional": "背上的痣兩邊長得不一樣",
    # a comparison with the past
    "比以前大了": "背上的痣比以前大了",
    "比原來大了, traditional": "背上的痣比原來大了",
    "跟以前不一样, colour": "小腿的痣跟以前不一样了，颜色变深",
    "bigger than it used to be": "the mole on my arm is bigger than it used to be",
    "hedged, a relative says": "背上有颗痣，我老公说好像比以前大了",
    # a carer telling a drug just taken
    "我妈吃了…以后 skin off": "我妈吃了磺胺类的药以后，背上的皮一大片一大片地掉",
    "我爸输了…以后 hives, breath": "我爸输了头孢以后全身起风团，喘不上气",
    "我媽吃了…以後, traditional": "我媽吃了別嘌醇以後，嘴巴爛了，眼睛紅腫",
}

NOT_REFERRED = {
    "blotches, denied": "raised itchy blotches on my arms, no fainting, no trouble breathing",
    "itchy bumps for months": "itchy bumps on my legs for months, worse at night",
    "降尿酸的药 for years, no fever": "吃降尿酸的药两年了，手上湿疹，不发烧",
    "降尿酸的药, a father's": "我爸吃降尿酸的药以后出过药疹，发烧住院。我自己脸上长痘",
    "中药 for a month": "吃中药一个月，脸上痘痘好多了",
    "脓疱 on the forehead": "额头上起了几个脓疱，是痘痘",
    "眼泡 puffy": "眼泡肿，早上起来明显",
    "疱 denied near the eye": "额头和眼皮上没有起疱，腰上带状疱疹",
    "疱 near the eye, resolved": "三年前额头起过疱，早好了。这次是腰上湿疹",
    "sides the same": "背上的痣两边长得一样，圆圆的",
    "melasma sides differ": "脸上的黄褐斑两边长得不一样",
    "比以前 unchanged": "背上的痣跟以前一样，没变化",
    "a father's mole bigger": "我爸的痣比以前大了，切了。我自己是湿疹",
    "a past mole removed": "以前长过一颗痣，已经切了",
    "a mother's past drug rash": "我妈吃了头孢后起过药疹，全身脱皮发烧住院。我自己手上湿疹",
    "a mother's food hives, likened": "我妈吃了海鲜也会起荨麻疹，喘不上气。我是湿疹",
}


def test_a_comparison_with_the_past_opens_no_past_history() -> None:
    """比以前/than it used to is a change now; 以前 on its own still opens a past history."""
    cases = (("痣比以前大了", "present"), ("以前长过痣", "past"), ("it is bigger than it used to be", "present"))
    for text, scope in cases:
        normalized = normalize(text)
        assert clause_scopes(normalized, split_clauses(normalized, ""))[0][0] == scope, text
