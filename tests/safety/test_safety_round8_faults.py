"""Eighth round (issue 13): the concepts the round-8 blind run and its dev round showed, fixed in general, each in
its wording families — lay, English, traditional, typo, negated and family history —
with the look-alikes each must not refer.

Right answers, from the sources the rules cite (knowledge/rules/red_flags.yaml, red_flag_signs.yaml):
- 痔 typed for 痣 after a measure word or a site (一颗痔, 背上的痔) is a mole; 痔疮, 内痔/外痔 and 肛…痔 are piles.
- A mole of several colours said in English ("black, red and white bits", "patchy", "brown to black and blue in
  parts") is ABCDE's C (AAD); a mole's diameter alone, where the text says it has not changed, scores 1 of NICE NG12's
  weighted 7-point checklist (referral at 3): no referral on its own.
- WAO 2020's collapse and hypotension in everyday English: floppy, can't stand, went grey, clammy, "78 over 45"; the
  lips or tongue "huge", "struggling to swallow" is an airway sign (BAD/NICE CKS angio-oedema).
- Chickenpox in pregnancy, in a newborn or when immunosuppressed needs same-day advice (NICE CKS
  Chickenpox; RCOG GTG 13).
- A non-healing or fast-growing lump that bleeds is suspected squamous-cell carcinoma (NICE NG12).
- Severe pain beside a redness that spreads fast is a necrotising infection until shown otherwise, and a painful swollen
  scrotum or perineum with fever or severe pain is Fournier's gangrene or an acute scrotum (NICE NG141; IDSA 2014).
- A relative who opens the text with an illness just caught (得了) or a state told with "he is"/"she is", where the
  writer has no complaint of their own, is the patient someone writes for; "recovered" ends a past illness.
REFERRED and NOT_REFERRED are checked, with PLAN, in test_safety_round_wordings.py (one test over the rounds).
The wordings are the editors' own, written for this file (not the data/safety sets).
"""

from __future__ import annotations

import pytest

from derm3r.schemas.plan import FormulaRef, HerbDose, TreatmentPlan
from derm3r.text.clauses import split_clauses
from derm3r.text.normalize import normalize
from derm3r.text.scope import clause_scopes, now_after

PLAN = TreatmentPlan(formula=FormulaRef(name="消风散加减"), herbs=[HerbDose(name="荆芥", dose_g=10)])

REFERRED = {
    # 痔 for 痣
    "typo 痔, grows": "肩膀上一颗痔这半年大了一圈",
    "typo 痔, traditional": "背上的痔最近顏色變得深淺不一",
    # English colours of a mole
    "mole colours, list": "My mole now has brown, black and white bits in it",
    "mole colours, patchy": "the mole on my shin has gone patchy and darker",
    "mole colours, parts": "A brown mole on my back is grey-blue in parts now",
    "mole colours, used to … now": "My mole used to be tan all over and is now brown with grey patches",
    "mole colours, 以前…现在": "手上的痣以前颜色很匀现在一块黑一块浅",
    # collapse and airway in everyday English
    "floppy after a sting": "She was stung by a bee, came out in hives and went floppy",
    "can't stand, hives": "Hives all over after the prawns and I can't stand up without feeling faint",
    "BP over": "Welts after the jab; the paramedic said my blood pressure was 76 over 40",
    "lips huge": "After the tablet her lips are huge and she is struggling to swallow",
    # chickenpox in pregnancy, a newborn, immunosuppression
    "varicella, pregnant, lay": "孕28周，昨天开始出水痘",
    "varicella, pregnant, English": "I'm 12 weeks pregnant and I've got chickenpox",
    "varicella, pregnant, traditional": "懷孕四個月，長了水痘",
    "varicella, newborn": "宝宝出生两周，身上出了水痘",
    "varicella, chemotherapy": "He's on chemotherapy and has come out in chickenpox",
    # squamous-cell carcinoma
    "non-healing lump bleeds": "手背上一个疙瘩两个月都不好，老是出血",
    "fast-growing lump bleeds, English": "a lump on my ear that is growing fast and bleeds easily",
    # necrotising infection, acute scrotum
    "spread and severe pain": "小腿红肿迅速扩散，疼得受不了",
    "spread by the hour, English": "the red area is spreading by the hour and the pain is unbearable",
    "scrotum, fever": "阴囊红肿，发烧39度",
    "scrotum, English": "My scrotum is red and swollen and extremely painful",
    # a relative written for
    "relative 得了": "我爸得了蜂窝织炎，人有点神志不清，血压80/50",
    "relative she is": "My mum has erysipelas and she is confused and breathing fast",
}

NOT_REFERRED = {
    "piles": "外痔发作，肛门边上肿痛",
    "piles, 痔疮 bleeding": "痔疮犯了，大便带点血",
    "stable large mole": "腰上有颗痣，从小就有，一直这么大，快一厘米，颜色均匀",
    "stable mole, English": "A 7mm mole on my arm that hasn't changed in 15 years, round and even brown",
    "mole colour even, English": "a round mole, an even brown colour, unchanged",
    "chickenpox as a child": "I had chickenpox as a child; now I have acne",
    "varicella vaccine, pregnant": "孕前打过水痘疫苗，现在孕20周，皮肤干痒",
    "chickenpox, well child": "孩子5岁，出水痘第三天，精神好，不发烧",
    "scrotal eczema": "阴囊湿疹，瘙痒，没有肿痛",
    "hand cracks bleed": "手上皲裂，冬天裂口出血",
    "pain alone, not spreading": "腿上蚊子咬的包，有点疼，没有扩散",
    "relative 得过": "我爸得过蜂窝织炎，我是来看湿疹的",
    "relative, she is fine": "My sister had cellulitis. She is fine now. I have psoriasis.",
    "recovered": "Admitted with cellulitis and a fever last year and fully recovered; now mild eczema",
    "BP over, normal": "Hives for weeks; my blood pressure is 125 over 80",
    "all better, year": "Shingles near my eye in 2018, completely better; now itchy shins",
    "used to … now, stable": "The mole used to worry me but now I know it has been the same for years",
}


def _scopes(text: str) -> list[str]:
    lowered = normalize(text)
    return [scope for scope, _ in clause_scopes(lowered, split_clauses(lowered, ""))]


@pytest.mark.parametrize(
    ("text", "scope"),
    [("he is on chemotherapy and has chickenpox", "present"), ("the rash is apparent on both arms", "present"),
     ("my grandmother had lupus", "family"), ("my stepfather has psoriasis", "family")],
)
def test_a_kin_word_inside_another_word_names_no_relative(text: str, scope: str) -> None:
    assert _scopes(text) == [scope]


@pytest.mark.parametrize(
    ("text", "word", "back"),
    [("the mole used to be tan and is now black in parts", "black", True),
     ("这颗痣以前是浅褐色的现在变得黑一块褐一块", "黑一块", True),
     ("以前出现过黑色的斑", "黑色", False), ("it used to bleed", "bleed", False)],
)
def test_a_now_word_inside_a_past_clause_brings_what_follows_back(text: str, word: str, back: bool) -> None:
    lowered = normalize(text)
    scope, offset = clause_scopes(lowered, split_clauses(lowered, ""))[0]
    assert scope == "past" and now_after(lowered, offset, lowered.index(word)) is back
