"""Thirteenth round: the kinds of miss the round-13 dev set showed (docs/safety.md, "Round 13 dev"), fixed in general,
each in several wordings: Cantonese, Hokkien, English carers, lay and traditional, with look-alikes that must not refer.

Right answers, from the sources the rules cite (knowledge/rules/red_flags.yaml, red_flag_signs.yaml):
- Cantonese 成身 is "the whole body" and 甩皮 "peeling": 成身紅晒、甩皮 with a fever is erythroderma (BAD / NICE CKS
  Psoriasis, erythrodermic: redness over most of the skin with scaling and feeling unwell — same-day referral).
- A redness all over that comes after a hot shower and fades in minutes is a flush, not erythroderma (which persists).
- Hokkien 五工 is five days: a child's fever of 五工 with red eyes and red cracked lips is NICE NG143's fever ≥ 5 days
  with Kawasaki features (AHA 2017).
- 半邊面 is half the face (Cantonese 面 = 脸): 半邊面郁唔到 beside ear vesicles is facial palsy, Ramsay Hunt syndrome
  (NICE CKS Herpes zoster).
- A carer's English that names the relative's own body part with a present-perfect state since a recent time ("My
  husband's lips have swollen up since lunch") writes for the patient; "My dad had melanoma" stays family history.
- A mole that "used to be tiny but has grown" is growing now (ABCDE's E, NICE NG12): "but has" brings the clause back
  to now; a subjectless sentence that opens with a time span (最近三个月变大了一倍) speaks of the mole before it.
REFERRED and NOT_REFERRED are checked, with PLAN, in test_safety_round_wordings.py (one test over the rounds).
The wordings are the editors' own, written for this file (not the data/safety sets).
"""

from __future__ import annotations

from derm3r.schemas.plan import FormulaRef, HerbDose, TreatmentPlan

PLAN = TreatmentPlan(formula=FormulaRef(name="消风散加减"), herbs=[HerbDose(name="荆芥", dose_g=10)])

REFERRED = {
    "成身紅晒 with a fever, Cantonese": "成身皮膚紅晒，又發燒又發冷",
    "成身通紅甩皮 with a fever": "呢幾日成身通紅甩皮，燒到38度8",
    "五工 a child's fever, Hokkien": "阮囡仔三歲，燒五工矣，目睭紅紅，喙脣紅閣裂",
    "半邊面郁唔到 with ear vesicles": "耳仔周圍起咗水泡，半邊面郁唔到",
    "半边面动不了, simplified": "左耳朵长了水疱，这两天半边面动不了",
    "my husband's tongue since lunch": "My husband's tongue has swollen up since lunch and he can't swallow",
    "my mum's lips since breakfast": "My mum's lips have been swelling since breakfast and her voice is hoarse",
    "used to be small but has grown": "My wife's mole used to be small but has grown a lot and is black now",
    "mole used to be flat but is raised now": "The mole on my arm used to be flat but is raised and bleeding",
    "舊年 eczema, erythroderma now": "舊年生過濕疹，而家成身紅晒，甩皮，發燒39度",
    "最近两个月变大了一倍": "我背上有颗痣，以前一直很小；最近两个月大了一倍，颜色也深浅不一",
}

NOT_REFERRED = {
    "red all over after a hot bath, fades": "After a hot bath my whole body goes red for a few minutes, then it fades",
    "red everywhere after a warm shower": "My skin is red everywhere after a warm shower and settles in a few minutes",
    "my dad had melanoma": "My dad had melanoma years ago. I have mild eczema on my hands",
    "五工 of itch, no fever": "手癢五工矣，無發燒",
    "半边面 no palsy": "半边面有点干，起皮，脸也没歪",
    "a mole that used to be and still is small": "The mole on my back used to be small and still is, same colour",
}


def test_cantonese_last_year_opens_a_past_and_a_now_sign_after_it_still_counts() -> None:
    """舊年 is Cantonese for 去年 (last year): a year-scale date opens a past (derm3r/text/scope.py)."""
    from derm3r.text.clauses import split_clauses
    from derm3r.text.normalize import normalize
    from derm3r.text.scope import clause_scopes

    text = normalize("舊年成身紅晒甩皮住過院，醫好咗之後一直冇事")
    assert clause_scopes(text, split_clauses(text, "history"))[0][0] == "past"
