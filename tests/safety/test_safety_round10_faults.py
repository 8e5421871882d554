"""Tenth round: the concepts the round-10 blind run missed (docs/safety.md, "Round 10"), fixed in general, each in its
wording families — Cantonese, lay, English, traditional, negated and family history — with the look-alikes each must
not refer.

Right answers, from the sources the rules cite (knowledge/rules/red_flags.yaml, red_flag_signs.yaml):
- Cantonese 冇/冇有 ("not have") denies what follows in its clause, as 没有 does: 冇發燒 is "no fever", so an infant's
  rash with 冇發燒 is not NICE NG143's fever with a rash; 唔係冇 ("it is not that there is none") denies the denial.
REFERRED and NOT_REFERRED are checked, with PLAN, in test_safety_round_wordings.py (one test over the rounds).
The wordings are the editors' own, written for this file (not the data/safety sets).
"""

from __future__ import annotations

from derm3r.schemas.plan import FormulaRef, HerbDose, TreatmentPlan

PLAN = TreatmentPlan(formula=FormulaRef(name="消风散加减"), herbs=[HerbDose(name="荆芥", dose_g=10)])

REFERRED = {
    # 冇 denies only its own clause, and a denial denied is the sign stated
    "冇 in another clause": "個仔3歲，冇咳，發燒39度，成身起紅疹",
    "唔係冇, a double negation": "個女兩歲，身上起咗紅疹，又唔係冇發燒嘅",
}

NOT_REFERRED = {
    # Cantonese 冇/冇有 denies a fever
    "冇發燒, an infant's rash": "個BB 7個月大，頸同手臂起咗啲紅疹，冇發燒，食奶瞓覺都正常",
    "冇有發燒, a child": "我個仔四歲，身上起咗紅點點，冇有發燒，精神好好",
    "冇发烧, simplified": "小朋友3岁，脸上起了红点，冇发烧，吃奶正常",
}
