"""Sixteenth round: the wording families and look-alike kinds the held-out round 14 missed (groups only), fixed in
general, each with the look-alikes it must not refer.

Right answers, from the sources the rules cite (knowledge/rules/red_flags.yaml, red_flag_signs.yaml):
- A writer who asks for a relative ("我替我爸问一下", "帮我妈问问", "我妈让我帮她问", "calling about my
  husband") or names themself as the patient's relative ("我是孩子外婆") reports that relative's illness now:
  its signs are the patient's (a referral hangs on them: NICE NG143, NG240, WAO 2020). "家人们" opening a post is
  slang for "folks".
  A relative's own history in such a text ("他妈妈以前也有银屑病") stays a family history.
- Voice-to-text homophones are the sign they sound like: 发少/发绕 is 发烧 (not 头发少, thin hair), 疯团 风团,
  呼西 呼吸, 嘴吧 嘴巴, 泡诊 疱疹, 腿色 褪色 (not 大腿色素); Shanghainese 发寒热 is a fever and 呒没 "there is none".
- A triage form's answer is a statement: "发热：无", "☐发热", "[ ] fever", "Fever: N" and "发热：□有 ☑无" deny the sign
  (NICE CKS: a denied sign is absent), "发热：☑有 □无" states it.
- Fahrenheit temperatures are read as Celsius (NICE NG143: fever is 38 °C = 100.4 °F or more): "102 F", "103F" and
  "101.8 °F" are fevers, 98.4 °F is not.
- Words that state no sign of the patient now: a quoted instruction ("若出现呼吸困难请立即就医", "the leaflet says to
  seek help if …"), a prevention question ("怎么预防…", "how can I lower my risk of melanoma"), a diagnosis excluded
  ("排除红斑狼疮", "ruled out pemphigus") and a hypothetical ("要是以后…是不是要去风湿科"); a sign said beside
  them still counts, and "需排除"/"r/o" (still to be excluded) is a suspicion, not an exclusion.
- A mole of three or more colours ("黑的棕的还带点蓝灰") is ABCDE's C (NICE NG12 7-point checklist:
  irregular pigmentation); "喘气不费劲" denies breathlessness.
The wordings are the editors' own, written for this file (not the data/safety sets).
"""

from __future__ import annotations

import pytest
from redflagkit import check_history

from derm3r.schemas.plan import FormulaRef, HerbDose, TreatmentPlan

PLAN = TreatmentPlan(formula=FormulaRef(name="消风散加减"), herbs=[HerbDose(name="荆芥", dose_g=10)])

REFERRED = {
    # a proxy asking for a relative
    "替…问, then 她": "我替我妈问一下：她前天开始吃卡马西平后来全身起疹子，现在发烧39度，脸肿，脖子上淋巴结肿大",
    "帮…咨询": "帮我老婆咨询下，她吃了花生后全身风团，喉咙发紧，喘不上气",
    "X让我帮她问": "我奶奶让我帮她问问，她左边额头和上眼皮长了一串水疱，眼睛红痛看不清",
    "writer is the relative": "我是孩子外婆，外孙女昨晚起发烧三十九度，腿上有紫红点，压了不褪色",
    "calling about my husband": "I'm ringing about my husband: his lips and tongue have swollen up and he's wheezing",
    "on behalf of my mum": "Writing on behalf of my mum: blisters on her forehead and eyelid, her eye is red, blurry",
    "家人们 slang": "家人们谁懂啊，吃了虾全身起风团，喘不上气，头晕",
    # voice-to-text homophones and Shanghainese
    "发少 with purple spots": "孩子发少两天，39度，腿上紫点按压不腿色",
    "疯团 + 呼西困难": "吃了海鲜全身起疯团，呼西困难",
    "嘴吧肿 + 喉咙紧": "嘴吧肿起来了，喉咙发紧说话说不清",
    "泡诊 in the ear": "右耳朵里起了泡诊，右边脸动不了，嘴角歪了",
    "发寒热 with eczema herpeticum": "伊湿疹浪向冒出一簇簇小水疱，凹下去个，还发寒热",
    # forms
    "form 发热：☑有 □无": "发热：☑有 □无；皮疹：紫红色瘀点，压之不褪色",
    "form Fever: Y with non-blanching spots": "Fever: Y. Rash: purple spots, do not fade under a glass: Y",
    # Fahrenheit
    "102 F with purpura": "temp 102 F, purple spots on both shins that don't blanch",
    "103F child with purpura": "My son is 3, 103F tonight and purple dots that stay when pressed",
    # a sign said beside the words that state none
    "leaflet quoted, but the sign is real": "嘴唇肿起来了，喘不上气。说明书上写着若出现口唇肿胀请立即就医",
    "needs excluding is a suspicion": "面部蝶形红斑，关节痛，口腔溃疡，需排除系统性红斑狼疮",
    # mole colours
    "three colours in one mole": "胸口一颗痣这半年变了，黑的棕的还带点蓝灰，颜色很杂",
}

NOT_REFERRED = {
    # a relative's own history in a proxy's text
    "proxy text with a family history": "我替我爸问一下：他手背湿疹两个月，很痒。他妈妈以前也得过红斑狼疮",
    "头发少 is thin hair": "头发少，头皮屑多，有点痒",
    "大腿色素 is not 褪色": "大腿色素沉着，有点痒，不疼",
    "Shanghainese denial": "呒没寒热，就是手背湿疹痒",
    # forms
    "form 发热：无": "分诊表：发热：无；呼吸困难：无；嘴唇肿胀：无；主诉：手部湿疹",
    "form unticked boxes": "☐发热 ☐喘不上气 ☐眼睛红痛 ☑瘙痒；颈后湿疹三周",
    "form [ ] in English": "[ ] fever  [ ] breathing difficulty  [x] itchy patch on elbow for a month",
    "form Fever: N": "Fever: N. Breathing difficulty: N. Complaint: acne on the chin",
    "form ticked 无": "发热：□有 ☑无；口腔溃疡：□有 ☑无；主诉：足癣",
    "northeastern 不费劲": "没发烧，喘气不费劲，腿上起了些红疙瘩贼刺挠",
    # Fahrenheit
    "98.4 F is normal": "Temp 98.4 F, itchy scaly patch on the scalp",
    # words that state no sign now
    "quoted instruction": "医生交代：如果出现呼吸困难、嘴唇肿胀要马上回医院。现在手臂荨麻疹好多了",
    "leaflet in English": "The leaflet says seek help if you get a fever or a widespread rash. Mild itch only",
    "prevention question": "怎样预防带状疱疹长到眼睛周围？我60岁，想打疫苗",
    "prevention in English": "How do I reduce the risk of melanoma? Lots of moles in my family",
    "ruled out lupus": "ANA阴性，风湿科已排除红斑狼疮，面颊发红考虑脂溢性皮炎",
    "ruled out melanoma": "那颗痣切了做病理，排除黑色素瘤，想问疤痕怎么护理",
    "ruled out pemphigus in English": "Biopsy ruled out pemphigus, it was a burn blister that has healed",
    "hypothetical": "如果以后出现蝶形红斑和关节痛，要去风湿科吗？目前只有手上湿疹",
}


@pytest.mark.parametrize("text", REFERRED.values(), ids=REFERRED.keys())
def test_the_red_flag_is_referred(kb, text: str) -> None:
    checked, report = check_history(kb, text, PLAN)
    assert report.red_flags and checked.herbs == [], text


@pytest.mark.parametrize("text", NOT_REFERRED.values(), ids=NOT_REFERRED.keys())
def test_the_look_alike_is_not_referred(kb, text: str) -> None:
    _, report = check_history(kb, text, PLAN)
    assert not report.red_flags and not report.referral, report.red_flags


def test_a_forms_answer_denies_a_tests_result_not_the_test() -> None:
    """A form's "压之褪色：否" (fades on pressure? no) is 压之不褪色, "压之不褪色：否" is 压之褪色 (NICE NG143)."""
    from derm3r.text.forms import read_form_answers

    assert read_form_answers("压之褪色:否;").startswith("压之不褪色")
    denied_denial = read_form_answers("压之不褪色:否;")
    assert denied_denial.startswith("压之褪色") and "不" not in denied_denial


#: More wordings of the same families (a relative's request in English, Shanghainese 覅/热度/脚骨, forms with the box
#: after its word or "(-)", more dictation homophones): each red flag referred, each look-alike not.
MORE_REFERRED = {
    "my mum asked me to ask": "My mum asked me to ask: blisters on her forehead and eyelid, the eye is red and sore",
    "I'm his daughter": "I'm his daughter. Dad started allopurinol 4 weeks ago, now rash all over, fever, face swollen",
    "Shanghainese 热度 and 脚骨": "小囡有热度三十九度，脚骨浪向一点一点紫颜色，揿下去勿褪色",
    "form with the box after the word": "发热：有√ 无□；皮疹压之褪色：是□ 否√",
    "form without a colon": "发热 ☑是 □否  皮疹 紫红色点状，按压不褪色",
    "喘不上起, 嘴唇种了": "吃了芒果嘴唇种了，喘不上起",
    "带壮炮疹 near the eye": "带壮炮疹长在额头和眼皮上，眼睛红痛",
    "口腔溃扬 with a butterfly rash": "脸上蝴蝶样红斑，口腔溃扬，手指关节肿痛，低烧",
    "华氏102度 with purpura": "孩子量了华氏102度，腿上紫红点压不褪色",
}
MORE_NOT_REFERRED = {
    "form (-) answers": "发热(-)，呼吸困难(-)，口腔溃疡(-)。双手湿疹，瘙痒",
    "form without a colon, denied": "发热 □是 ☑否  呼吸困难 □是 ☑否  主诉：面部痤疮",
    "English form with question marks": "Fever? No. Trouble breathing? No. Itchy eczema on the wrists",
    "Shanghainese 覅": "覅紧个，就是手背湿疹，呒没热度",
    "种 in 种花": "种花的时候手上起了几个小红点，有点痒",
    "华氏98度 is normal": "体温华氏98度，手背湿疹，很痒",
    "a single ticked no": "Fever: [x] no. Trouble breathing: [x] no. Itchy rash on the hands for a week",
    "a single ticked 无": "发热：☑无；呼吸困难：☑无；手背湿疹一周",
}


@pytest.mark.parametrize("text", MORE_REFERRED.values(), ids=MORE_REFERRED.keys())
def test_more_red_flags_of_the_families_are_referred(kb, text: str) -> None:
    checked, report = check_history(kb, text, PLAN)
    assert report.red_flags and checked.herbs == [], text


@pytest.mark.parametrize("text", MORE_NOT_REFERRED.values(), ids=MORE_NOT_REFERRED.keys())
def test_more_look_alikes_of_the_families_are_not_referred(kb, text: str) -> None:
    _, report = check_history(kb, text, PLAN)
    assert not report.red_flags and not report.referral, report.red_flags
