"""Sixth round (issue 14 follow-ups): the concepts the round-6 blind run missed, fixed in general, each in its wording
families — lay, English, traditional, typo, negated and family history — with the look-alikes each must not refer.

Right answers, from the sources the rules cite (knowledge/rules/red_flags.yaml, red_flag_signs.yaml):
- A homophone typo (泡疹, 眼晴, 荨麻症, 紫癫, 不退色) is the word it stands for: 带状疱疹 around the eye is ophthalmic
  zoster (NICE CKS Shingles), a non-blanching 紫癜 with fever in a child is meningococcal until shown otherwise (NICE
  NG143).
- A relative given with an age in words ("儿子两岁半") is the child who is the patient, as with digits (round 5).
- A systolic blood pressure said alone ("血压才八十几", "血压七十多") is low (WAO 2020: systolic < 90 mmHg in an adult;
  qSOFA ≤ 100); "140/90" is no systolic of 40. Unresponsive or slumped (叫也没反应, 瘫了) is collapse (WAO 2020).
- Mouth sores "for a month" beside blisters are pemphigus until shown otherwise (BAD pemphigus guideline).
- A wound turning black or pain out of proportion is a necrotising infection (NICE NG141); a dark mark left by eczema
  or around a leg ulcer is not.
- A child's fever for five days or more is an amber feature: consider Kawasaki disease (NICE NG143; AHA 2017).
- "none of them have changed" denies change (ABCDE's E).
The wordings are the editors' own, written for this file (not the data/safety sets).
REFERRED and NOT_REFERRED are checked, with PLAN, in test_safety_round_wordings.py (one test over the rounds).
"""

from __future__ import annotations

from derm3r.schemas.plan import FormulaRef, HerbDose, TreatmentPlan

PLAN = TreatmentPlan(formula=FormulaRef(name="消风散加减"), herbs=[HerbDose(name="荆芥", dose_g=10)])

REFERRED = {
    "typo 泡疹, eye": "额头和左眼周围长了带状泡疹，眼睛红疼",
    "typo 眼晴, SJS": "吃了别嘌醇后嘴里烂了，眼晴也红肿，身上起泡",
    "typo 紫癫, child": "孩子发烧，腿上起了紫癫，按了不退色",
    "typo 荨麻症, airway": "荨麻症发作，嗓子发紧，喘不上来气",
    "age in words": "女儿三岁，发烧两天，最高三十九度，身上起红点",
    "age in words, months": "儿子八个月大，发烧，身上起红疹",
    "systolic in words": "吃完虾全身起风团，血压只有七十多",
    "systolic in digits alone": "打针后全身起疙瘩，血压80多，人很难受",
    "unresponsive": "被蜂蛰后全身起包，人瘫了，喊他也没反应",
    "unresponsive, English": "Came out in hives after a bee sting and was slumped and unresponsive",
    "mouth sores for a month, English": "Sores in my mouth for a month and blisters on my chest that break",
    "mouth sores, traditional": "嘴裡爛了兩個月，身上起水皰，一碰就破",
    "wound turning black": "脚上的伤口发黑坏死，疼得厉害",
    "pain out of proportion, English": "My arm is only a bit red but the pain is far worse than it looks",
    "wound, traditional": "腿上傷口發黑壞死",
    "child fever a week": "孩子发烧一个星期了，身上起红疹",
    "child fever 5 days, English": "My son has had a fever for 5 days with red eyes and cracked lips",
    "child fever, traditional": "孩子發燒五天不退，眼睛紅，嘴唇乾裂",
}

NOT_REFERRED = {
    "a dark mark after eczema": "湿疹好了以后皮肤发黑，色素沉着",
    "around a leg ulcer": "小腿溃疡多年，周围皮肤发黑，有坏死组织",
    "a healed wound's mark": "伤口愈合后留了黑印子",
    "hypertension 140/90 with hives": "荨麻疹，有高血压，血压140/90",
    "hypertension, today": "全身起风团，高血压病史，今天血压150/90",
    "blood pressure in words, normal": "量血压一百二，身上荨麻疹",
    "a drug that did nothing": "荨麻疹，叫他吃药也没反应，还是痒",
    "child, fever days ago": "孩子5天前发烧过，现在好了，手上湿疹",
    "child, two days": "孩子发烧两天，退了，身上湿疹",
    "child, eczema five days, no fever": "孩子5岁，湿疹五天了，不发烧",
    "child, English, ago": "My toddler had a fever five days ago, now fine, just eczema",
    "moles unchanged, English": "I have a few moles, none of them have changed",
    "typo, negated": "荨麻诊，没有喘，嗓子也不紧",
    "typo, family": "我妈得过带状泡疹，我是手上湿疹",
}
