"""Tenth round: the concepts the round-10 blind run missed (docs/safety.md, "Round 10"), fixed in general, each in its
wording families — Cantonese, lay, English, traditional, negated and family history — with the look-alikes each must
not refer.

Right answers, from the sources the rules cite (knowledge/rules/red_flags.yaml, red_flag_signs.yaml):
- Cantonese 冇/冇有 ("not have") denies what follows in its clause, as 没有 does: 冇發燒 is "no fever", so an infant's
  rash with 冇發燒 is not NICE NG143's fever with a rash; 唔係冇 ("it is not that there is none") denies the denial.
- Cantonese words for the airway, tongue and eye signs: 脷 is the tongue (脷腫: NICE CKS Angio-oedema, tongue swelling
  is an emergency); 抖唔到氣 "can't breathe", 喉嚨塞住 "throat blocked", 吞口水都好難 "hard to swallow" and 講嘢講唔清
  "can't speak clearly" are airway compromise (WAO 2020; dysphonia and dysphagia, NICE CKS); 郁眼珠痛 "pain on moving
  the eye" and 睇嘢重影 "double vision" with a swollen eyelid and fever are orbital cellulitis (NICE CKS Cellulitis).
  鼻塞 is a blocked nose, and 说不清 alone is "can't tell", not speech.
- Non-native English for the same signs: a tongue that "become very big" is tongue swelling, "swallow also hard" is
  dysphagia (NICE CKS Angio-oedema); a spot that "cannot disappear" when pressed with a glass is non-blanching (NICE
  NG143, NICE CKS Meningitis: the glass test); skin "become purple black" over a wound or limb is necrotising infection
  (NICE NG141: dusky, violaceous skin). A purple-black bruise is none of these.
- Fever with a stiff neck is suspected bacterial meningitis, with or without a rash (NICE NG240); a stiff neck in lay
  words (脖子硬得低不下头, 條頸好硬, "can't bend his neck") counts, 落枕 without fever and a hard lump in the neck
  (颈部硬结) do not.
- Facial palsy in lay words — the mouth corner drooping, the eye that will not close, half the face that will not move
  (《中医外科学》口僻; NICE CKS Bell's palsy) — beside vesicles on the ear is Ramsay Hunt syndrome; 耳仔 is the ear.
- A child's fever of five days or more said as 这五天一直在烧 or 没有不发烧的时候 ("never without a fever": a denial
  denied) is NICE NG143's amber fever ≥ 5 days (Kawasaki, AHA 2017); a temperature measured and said as a bare number
  (量了一下39.3, 探熱38.9) is a fever, not a weight (量了一下体重39斤).
- Across sentences: a red or painful eye with worse sight refers on its own (NICE CKS Red eye: reduced visual acuity,
  same-day ophthalmology), wherever the zoster was told; a sentence with no subject of its own
  ("去年还很小。现在大了一倍") speaks of the mole the sentence before named (ABCDE's E); a carer who opens
  with a parent's age said without 岁 (我爸今年78，…) writes for the patient, unless the writer has a complaint
  of their own.
- Harmless senses: an event told as over in plain English ("now all okay", "I am fine now") is resolved; skin peeling
  in sheets days after a sunburn the text names is the sunburn healing (《中医外科学》日晒疮; NICE CKS Sunburn), unless
  the sunburn is denied or a relative's.
- A single mouth ulcer, bitten or not, names no referral disease on its own (NICE CKS Mouth ulcers); beside a butterfly
  rash or joint pain it still calls lupus (《中医外科学》红蝴蝶疮), which refers.
REFERRED and NOT_REFERRED are checked, with PLAN, in test_safety_round_wordings.py (one test over the rounds).
The wordings are the editors' own, written for this file (not the data/safety sets).
"""

from __future__ import annotations

import pytest

from derm3r.schemas.plan import FormulaRef, HerbDose, TreatmentPlan

PLAN = TreatmentPlan(formula=FormulaRef(name="消风散加减"), herbs=[HerbDose(name="荆芥", dose_g=10)])

REFERRED = {
    # 冇 denies only its own clause, and a denial denied is the sign stated
    "冇 in another clause": "個仔3歲，冇咳，發燒39度，成身起紅疹",
    "唔係冇, a double negation": "個女兩歲，身上起咗紅疹，又唔係冇發燒嘅",
    # Cantonese airway, tongue, speech and swallowing words
    "喉嚨塞住 after peanuts": "食完花生之後周身起晒紅疙瘩，個喉嚨好似有嘢塞住",
    "抖氣好辛苦": "佢食咗蛋之後成身痕，抖氣好辛苦",
    "抖唔切氣, simplified": "打完针之后全身起风癞，抖唔切气",
    "脷腫": "今朝起身條脷腫到成嘴都係",
    "脷大咗, simplified": "食完药条脷大咗好多",
    "講嘢講唔清 with a swollen lip": "嘴唇腫咗好大，講嘢都講唔清楚",
    "吞嘢好難": "下巴同嘴唇腫起，吞嘢好難",
    "can't talk properly, English": "my lips are swollen and I can't talk properly since this morning",
    # Cantonese eye movement and double vision, with a swollen eyelid and fever
    "郁眼就痛": "個女8歲，眼皮又紅又腫，發燒，郁眼就痛",
    "睇嘢有重影": "個仔5歲，右邊眼皮腫晒，發燒，睇嘢重影",
    "复视, clinical": "患儿6岁，左眼睑红肿，发热38.9℃，诉复视",
    "hurts when he moves his eye": "his eyelid is red and swollen, he has a fever and it hurts when he moves his eye",
    # non-native English
    "tongue getting very big": "since I take the new tablet my tongue getting very big",
    "tongue is so big": "After dinner her tongue is so big she cannot close mouth",
    "swallow is very difficult": "after eat the shrimp my lip swell and swallow is very difficult",
    "press with a cup, not fade": "My daughter 3 year old have fever 39, red dot on her leg, "
                                  "I press with a cup it not fade",
    "doesn't go away when pressed": "He is 7, fever since yesterday, small spots on the tummy "
                                    "that don't go away when I press",
    "壓下去不會消失, traditional": "腿上有些小紅點，用杯子壓下去也不會消失，發燒39度",
    "按下去不褪色, lay": "身上有红点点，按下去不褪色，发烧38.8度",
    "a single purple dot": "my son is 2, high fever and one small purple dot on his arm",
    "wound gone purple black": "The cut on my foot is going purple black and very pain, and I have fever",
    "arm dark purple and swollen": "my arm where the dog bite now dark purple, swelling quick, fever 39",
    # fever with a stiff neck, no rash
    "脖子硬得低不下头": "发烧39度，脖子硬得低不下头，头痛得厉害",
    "颈项强直, clinical": "发热两天，颈项强直，无皮疹",
    "頸項僵硬, traditional": "發燒兩天，頸項僵硬，怕光",
    "條頸好硬, Cantonese": "個仔發燒，條頸好硬，成日想瞓",
    "can't bend his neck": "he has a temperature of 39 and he can't bend his neck forward",
    "chin to chest": "fever since last night and she cannot put her chin on her chest",
    # facial palsy in lay words, with vesicles on the ear
    "嘴角耷拉下来": "右耳廓起了一簇水疱，疼得厉害，今天右边嘴角耷拉下来了",
    "眼合不上": "耳朵后面起了水疱，这两天左眼合不上",
    "半边脸僵住": "耳朵里长了疱，今天早上半边脸僵住了",
    "嘴角往下垂, traditional": "耳朵裏起了水皰，左邊嘴角往下垂",
    "隻眼合唔埋, Cantonese": "耳仔入面起咗水泡，隻眼合唔埋",
    "eye won't close, English": "there are blisters in my left ear and my left eye won't close",
    # a fever's five days and a bare measured temperature
    "五天一直在发烧": "孩子4岁，这五天一直在发烧，嘴唇干裂",
    "没有不烧的时候": "宝宝两岁，这六天没有不烧的时候",
    "五天一直燒, traditional": "孩子三歲，這五天一直燒，手腳腫",
    "fever 6 days, English": "my son is 3, fever 6 days and his lips cracked",
    "量了一下39.3, a child's rash": "孩子5岁，身上起了红疹，量了一下39.3",
    "探熱38.9, Cantonese": "個女三歲，成身紅疹，探熱38.9",
    # a red eye with worse sight
    "眼红看东西模糊": "左眼红痛，这两天看东西模糊",
    "視力下降, traditional": "右眼紅腫，視力下降了",
    "red eye, blurry, English": "my right eye is red and sore and my vision is blurry",
    "zoster site a sentence before": "前几天额头起了一串水疱，很疼。今天右眼充血，看不清东西",
    # a mole told over sentences with no subject
    "mole, no subject, grows": "我背上有一颗痣。前年还很小。现在大了一圈。",
    "mole, no subject, traditional": "我腿上有顆痣。以前很小。最近變大了，顏色一邊深一邊淺。",
    # a carer writing for a parent of a stated age
    "我妈今年81, DRESS": "我妈今年81，吃卡马西平三周，这两天发烧39度，全身红疹，脸肿",
    "我爺爺今年九十, traditional": "我爺爺今年九十，這幾天嘴裏爛了，眼睛紅得睜不開，身上起水皰",
    # the resolution words end only what came before them; a denied or a relative's sunburn ends nothing
    "fine now, then a new airway sign": "My lips swelled last week and it was fine now, but today my throat is tight",
    "sunburn denied": "没有晒太阳，也没有晒伤，吃了别嘌醇后背上的皮一大片一大片地掉",
    "a sister's sunburn": "我妹妹上周晒伤了。我吃了磺胺药后，全身皮肤一碰就掉",
}

NOT_REFERRED = {
    # Cantonese 冇/冇有 denies a fever
    "冇發燒, an infant's rash": "個BB 7個月大，頸同手臂起咗啲紅疹，冇發燒，食奶瞓覺都正常",
    "冇有發燒, a child": "我個仔四歲，身上起咗紅點點，冇有發燒，精神好好",
    "冇发烧, simplified": "小朋友3岁，脸上起了红点，冇发烧，吃奶正常",
    # the same words, harmless, denied or a relative's
    "鼻塞 with a sore throat": "喉嚨痛鼻塞流鼻水，手臂有啲濕疹",
    "脷冇腫": "嘴唇有少少腫，條脷冇腫，講嘢吞嘢都冇問題",
    "说不清 is can't tell": "说不清是什么时候开始的，手上起了湿疹，很痒",
    "a mother's past 脷腫": "我阿媽以前食蝦之後條脷腫過，要入院。我自己係手濕疹",
    "重影 denied": "眼皮有點腫，睇嘢冇重影，冇發燒",
    "a purple-black bruise": "I fall down yesterday and there is a purple black bruise on my leg, no fever",
    "spots that fade under a glass": "my son has red spots on his legs, they disappear when I press with a glass, "
                                     "tummy ache",
    "tongue not big": "my tongue is not big or swollen, only my lip a little",
    "a mother's tongue, last year": "Last year my mother tongue become very big after medicine. I have eczema on hand",
    "脖子不硬, denied": "发烧38.5，咽痛，脖子不硬，没有头痛",
    "no stiff neck, English": "fever 38.4 with a sore throat, no stiff neck, no rash",
    "a son's past meningitis": "我儿子去年发烧脖子硬住院，诊断脑膜炎，早好了。我自己手上湿疹",
    "落枕 without fever": "落枕了，脖子僵硬转不动，不发烧，背上有点湿疹",
    "a hard lump in the neck": "颈部有个硬结，发烧38度，嗓子疼",
    "嘴角没有耷拉, denied": "耳朵上起了水疱，嘴角没有往下耷拉，眼睛也能闭上",
    "a father's past palsy": "我爸去年耳朵带状疱疹后嘴角耷拉，现在早好了。我腰上湿疹",
    "fever five days ago, gone": "孩子3岁，五天前发过烧，一天就退了，现在脸上湿疹",
    "量了一下37.2": "孩子两岁，身上有湿疹，量了一下37.2",
    "量了一下体重39斤": "孩子量了一下体重39斤，脸上湿疹",
    "没有不舒服": "孩子3岁，身上红疹，没有不舒服，不发烧",
    "red eye, sight fine": "眼睛红，有眼屎，看东西清楚",
    "a mother's red eye": "我妈眼睛红，看东西模糊。我自己手上湿疹",
    "blurred sight, eye not red": "眼睛不红不痛，看东西有点模糊，老花眼",
    "a mole, then an unchanged sentence": "我背上有一颗痣。一直这么大，没变化。",
    "a father's age, the writer's own rash": "我爸今年78，以前吃别嘌醇出过药疹，嘴巴烂过。我自己手上湿疹",
    # resolved in plain English
    "now okay, non-native": "Two weeks ago my lips swell after amoxicillin, the doctor stop it and now okay. "
                            "I want treat my eczema.",
    "I am fine now": "Last month my face swell and I have fever after new tablet, stop the tablet and I am fine now. "
                     "Today for my acne",
    # peeling after a named sunburn
    "晒伤后大片脱皮": "前天在泳池晒了一下午，晒伤了，今天肩膀上的皮大片大片地脱",
    "sunburn peeling in sheets": "I got a bad sunburn at the beach on Saturday and now the skin on my shoulders is "
                                 "peeling off in sheets",
    "曬傷, traditional": "上週末爬山曬傷，這兩天手臂的皮一片一片地掉",
}


LONE_MOUTH_ULCERS = (
    "嘴里长了一个溃疡，吃饭咬到的，两天了",
    "口腔裏有個潰瘍，係咬親嘅",
    "I bit my cheek and now I have one mouth ulcer",
    "口腔溃疡一个，没有关节痛，脸上没有红斑",
    "我妈有红斑狼疮。我嘴里长了一个溃疡",
)


@pytest.mark.parametrize("text", LONE_MOUTH_ULCERS)
def test_a_lone_mouth_ulcer_names_no_referral_disease(system, text: str) -> None:
    consultation = system.consult({"case_id": "ulcer", "chief_complaint": text})
    assert not consultation.safety.red_flags and not consultation.safety.referral, consultation.safety.red_flags


def test_a_mouth_ulcer_beside_lupus_signs_still_refers(system) -> None:
    consultation = system.consult({"case_id": "ulcer", "chief_complaint": "口腔溃疡，关节痛，面部蝶形红斑"})
    assert consultation.safety.red_flags
