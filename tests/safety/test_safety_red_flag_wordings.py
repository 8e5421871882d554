"""Third round of red-flag wordings (issues 14 and 19): airway and angioedema said as people say them, every
letter of ABCDE, zoster with eye or ear symptoms, a child's fever said colloquially — and the look-alikes
that must not refer (a TCM lip sign, a sore throat, a burning feeling, an itchy eczema beside a mole).

Right answers, from the sources the rules cite (knowledge/rules/red_flags.yaml):
- WAO 2020 / NIAID-FAAN 2006: acute hives with breathing or swallowing trouble, or throat tightness, is
  anaphylaxis until shown otherwise, and so are hives with persistent GI symptoms (crampy pain, vomiting) or
  signs of low blood pressure (fainting, cold sweat) (《中国荨麻疹诊疗指南（2022版）》: 伴腹痛、头晕、心悸、
  呼吸困难 → 急诊).
- ABCDE (AAD): A asymmetry, B an irregular/notched/blurred border, C uneven colour, D > 6 mm, E any change
  in size, shape, colour or elevation, or a new symptom (bleeding, itching, crusting) — any one warrants
  a dermatologist; a dark streak under a nail likewise.
- 《中医外科学》蛇串疮: zoster of the eye (red painful eye, photophobia, blurred vision) needs an eye
  consultation; ear vesicles with facial palsy, tinnitus, deafness or vertigo are Ramsay Hunt syndrome.
- 《中医儿科学》: a child with fever and rash must be seen by a paediatrician.
- 《中医外科学》丹毒: red, hot, swollen, painful skin with fever or rigors is treated with Western medicine too.
The wordings are the editors' own, written for this file (not the data/safety test sets).
"""

from __future__ import annotations

import pytest
from redflagkit import assert_referred_for, check_history

from derm3r.schemas.plan import FormulaRef, HerbDose, TreatmentPlan

AIRWAY, ANGIOEDEMA = "red_flag_rule.airway", "red_flag_rule.angioedema_with_wheals"
MELANOMA, CHILD = "red_flag_rule.melanoma_signs", "red_flag_rule.child_fever_rash"
EYE, EAR = "red_flag_rule.zoster_eye_symptoms", "red_flag_rule.ramsay_hunt_hearing"
ERYSIPELAS = "red_flag_rule.erysipelas_systemic"
PLAN = TreatmentPlan(formula=FormulaRef(name="消风散加减"), herbs=[HerbDose(name="荆芥", dose_g=10)])

REFERRED = {
    # airway and angioedema
    "throat squeezed": ("起了满身风团，嗓子像被人掐着", AIRWAY),
    "cannot draw breath": ("全身疙瘩，吸不上气来", AIRWAY),
    "swallowing, English": ("hives and it's hard to swallow", AIRWAY),
    "choking, English": ("welts everywhere and I feel like I'm choking", AIRWAY),
    "throat tight, traditional": ("蕁麻疹發作，喉嚨發緊", AIRWAY),
    "tongue thick": ("吃了药舌头发胀，说话都大舌头了", "red_flag_rule.tongue_throat_swelling"),
    "lips and eyelids with hives, traditional": ("嘴唇和眼皮腫了，身上起風疹塊", ANGIOEDEMA),
    # ABCDE, each letter
    "A lay": ("肚子上那颗痣长得歪歪扭扭", MELANOMA),
    "A English": ("an oddly shaped mole on my shoulder", MELANOMA),
    "B outline": ("大腿上黑痣的轮廓不清楚", MELANOMA),
    "B notch": ("痣边上缺了一角", MELANOMA),
    "B English not smooth": ("the outline of my mole is not smooth", MELANOMA),
    "C blue": ("背上一颗痣，最近有点发蓝", MELANOMA),
    "C English patchy": ("a mole with blotchy colour", MELANOMA),
    "D soybean": ("胸前一颗黑痣，比黄豆粒还大", MELANOMA),
    "E raised": ("手臂上的痣最近鼓起来一块", MELANOMA),
    "E itch": ("这颗痣最近老是痒", MELANOMA),
    "E English crust": ("the mole on my shin keeps crusting over", MELANOMA),
    "nail one line": ("中指指甲上有一条褐色的纵线", MELANOMA),
    # zoster near the eye or ear
    "lay name on the forehead": ("生蛇长在额头上", "red_flag_rule.zoster_eye"),
    "zoster, eye photophobic": ("面部带状疱疹。左眼红，怕光流泪", EYE),
    "zoster, vision English": ("shingles on my face and my vision has gone blurry", EYE),
    "ear, deafness": ("耳道里长了疱疹，这边耳朵听不见了", EAR),
    "ear, vertigo English": ("shingles blisters in my ear and the room is spinning", EAR),
    "C by halves": ("手臂上的痣一半是深褐色，一半发红", MELANOMA),
    "C sides, English": ("a mole that's black on one side and grey on the other", MELANOMA),
    "E raised, English": ("the mole on my cheek has become raised", MELANOMA),
    "right ear, mouth droops": ("右耳起了一串水疱，右边嘴角歪", "red_flag_rule.ramsay_hunt"),
    "erysipelas across commas": ("her calf is red, hot, swollen, and she has a high fever", ERYSIPELAS),
    "hives, belly cramps on and off": ("吃完螃蟹起风团，肚子一阵一阵绞着疼", "red_flag_rule.wheals_systemic"),
    "hives, cold sweat": ("风疹块出来以后直冒冷汗", "red_flag_rule.wheals_systemic"),
    "hives, wants to vomit": ("起了风团，想吐", "red_flag_rule.wheals_systemic"),
    "eyes swollen with hives": ("hives everywhere and both eyes puffed up", ANGIOEDEMA),
    "B clinical note 欠": ("右背色素痣，边缘欠整齐", MELANOMA),
    "B ill-defined": ("an ill-defined dark mole on the calf", MELANOMA),
    "C pigment uneven": ("腰部黑痣色泽不均", MELANOMA),
    # a child's fever in lay words
    "child burning up": ("孩子烧了两天，身上出疹子", CHILD),
    "child temperature, English": ("my daughter is running a temperature and has spots", CHILD),
}

NOT_REFERRED = {
    "purple lips as a stasis sign": "口唇紫暗，舌质暗，斑块肥厚",
    "sore throat swallowing": "感冒咽口水疼，手部湿疹",
    "burning feeling in a child": "孩子皮肤烧得慌，有点红疹",
    "itch beside a mole": "背上有颗小痣，全身湿疹瘙痒",
    "eczema around a mole": "痣旁边的皮肤湿疹很痒",
    "mole does not itch, English": "eczema on my arms; the mole doesn't itch or bleed",
    "mole not itchy, Chinese": "痣不痒不痛，多年没变",
    "ear eczema, old tinnitus": "耳后湿疹起小水疱，耳鸣多年",
    "truncal zoster, eyes fine": "腰部带状疱疹，眼睛不红，视力正常",
    "throat not tight, English": "hives again, my throat doesn't feel tight and breathing is fine",
    "colourless nail ridges": "指甲有竖纹，没有颜色",
    "round smooth mole": "痣是圆的，边缘光滑，颜色均匀",
    "plaque edge English": "the edges of the plaques are irregular and scaly",
    "fat tongue": "舌体胖大，边有齿痕，湿疹渗液",
    "mother's throat": "妈妈吃虾会喉咙发紧，我是手上湿疹",
    "plaque border 欠清": "背部斑块边界欠清，鳞屑较厚",
    "stomach upset without hives": "经常拉稀，胃口差，手足湿疹",
    "genital herpes on the labia": "外阴起水疱，大阴唇内侧一簇小水疱",  # 阴唇 is not the lips: one mucosal site
    "melasma on several face sites": "前额和鼻翼褐色斑，边界不清",  # 《中医外科学》黧黑斑: 额、鼻、颧、颊
    "recovered zoster with palsy": "去年左耳带状疱疹并面瘫，已经恢复；这次是小腿湿疹",
}


@pytest.mark.parametrize(("history", "rule_id"), REFERRED.values(), ids=list(REFERRED))
def test_the_presentation_is_referred_in_any_wording(kb, history: str, rule_id: str) -> None:
    plan, report = check_history(kb, history, PLAN)
    assert report.referral
    assert_referred_for(kb, plan, report, rule_id)


@pytest.mark.parametrize("history", NOT_REFERRED.values(), ids=list(NOT_REFERRED))
def test_look_alikes_denied_and_relatives_words_do_not_refer(kb, history: str) -> None:
    _, report = check_history(kb, history, PLAN)
    assert report.red_flags == []
