"""Red flags by meaning, in clinical, lay, English and traditional words (issues 14 and 19), and the
look-alikes, denials, relatives' and past words that must not refer. Two rounds of wordings:

Second round: the four presentations issue 14 still missed — an irregular mole border, anaphylaxis,
zoster near the eye and pemphigus — and not when denied, a relative's or past.

Right answers, from the sources the rules cite (knowledge/rules/red_flags.yaml):
- ABCDE rule (AAD): any one sign, the border (ragged, notched, blurred) included, warrants a
  dermatologist; a regular, smooth border and a plaque's border are not melanoma signs.
- Anaphylaxis (WAO 2020, NIAID-FAAN 2006): acute skin signs with breathing trouble, low blood pressure
  or collapse, or persistent vomiting/abdominal pain.
- Herpes zoster ophthalmicus: the first trigeminal division (forehead, upper eyelid) and Hutchinson's
  sign (vesicles on the side or tip of the nose) call for an eye consultation (《中医外科学》蛇串疮).
- Pemphigus (《中医外科学》天疱疮; BAD guideline): flaccid blisters that break into non-healing
  erosions, blisters spreading under pressure (Asboe-Hansen), oral erosions lasting months.

Third round: airway and angioedema said as people say them, every letter of ABCDE, zoster with eye or
ear symptoms, a child's fever said colloquially — and the look-alikes
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

Fourth round: anaphylaxis in lay words, a spot's ragged border with growth, kin words that open a family
history, and melasma that is not a mole. Right answers:
- WAO 2020 criterion 1 (《严重过敏反应急救指南》2019 alike): acute skin involvement — generalized hives,
  pruritus or flushing — with respiratory compromise, reduced blood pressure or its end-organ signs (collapse,
  syncope, cyanosis) or severe GI symptoms (crampy abdominal pain, repetitive vomiting) is anaphylaxis.
- ABCDE (AAD) and 《中国黑色素瘤诊疗指南》(CSCO 2022): a single pigmented lesion with an irregular border (B)
  that is enlarging (E) must be examined by a dermatologist.
- 《中医外科学》黧黑斑: melasma is brown patches spread symmetrically over the cheeks, forehead and nose, shaped
  like a butterfly, border clear or ill-defined — irregular in outline, but bilateral and not one changing
  lesion; 圆癣's ring spreads at its edge and 白驳风's patch enlarges without being a mole.
- Family history (issue 14): a relative's disease, however the relative is called (我妈, 俺爹, 老公, my mum's),
  is not the patient's now; the patient's own clause after it (我就是…, I now have…) is.
"""

from __future__ import annotations

import pytest
from redflagkit import assert_referred_for, check_history

from derm3r.schemas.plan import FormulaRef, HerbDose, TreatmentPlan

AIRWAY, ANGIOEDEMA = "red_flag_rule.airway", "red_flag_rule.angioedema_with_wheals"
MELANOMA, CHILD = "red_flag_rule.melanoma_signs", "red_flag_rule.child_fever_rash"
EYE, EAR = "red_flag_rule.zoster_eye_symptoms", "red_flag_rule.ramsay_hunt_hearing"
ERYSIPELAS = "red_flag_rule.erysipelas_systemic"
SYSTEMIC, GENERALISED = "red_flag_rule.wheals_systemic", "red_flag_rule.acute_generalised_skin_systemic"
SEVERE_SKIN = "red_flag_rule.severe_skin_with_fever"
PLAN = TreatmentPlan(formula=FormulaRef(name="消风散加减"), herbs=[HerbDose(name="荆芥", dose_g=10)])

REFERRED = {
    # second round
    # melanoma, B of ABCDE on its own
    "border clinical": ("右前臂色素痣边缘不规则", "red_flag_rule.melanoma_signs"),
    "border lay": ("胳膊上那颗痣边上毛毛糙糙的，像锯齿", "red_flag_rule.melanoma_signs"),
    "border English": ("the mole near my ear has a jagged edge", "red_flag_rule.melanoma_signs"),
    "border traditional": ("頸部黑痣邊界模糊，和周圍分不清", "red_flag_rule.melanoma_signs"),
    "pigment spreading": ("大腿黑斑颜色向周围皮肤扩散", "red_flag_rule.melanoma_signs"),
    # anaphylaxis
    "low blood pressure": ("服头孢后全身风团，血压85/50mmHg", "red_flag_rule.wheals_systemic"),
    "collapse lay": ("吃了花生后浑身起疙瘩，晕过去了一会儿", "red_flag_rule.wheals_systemic"),
    "vomiting English": ("welts all over after a wasp sting, then I was throwing up", "red_flag_rule.wheals_systemic"),
    "traditional": ("全身風團，心慌，臉色蒼白出冷汗", "red_flag_rule.wheals_systemic"),
    # zoster near the eye
    "V1 named": ("带状疱疹，沿三叉神经第一支分布", "red_flag_rule.zoster_eye"),
    "nose side lay": ("鼻子旁边起了一串小水疱，头皮一侧刺痛", "red_flag_rule.zoster_eye"),
    "Hutchinson": ("Hutchinson sign positive, shingles on the left forehead", "red_flag_rule.zoster_eye"),
    "eye above, traditional": ("右眼上方帶狀疱疹三天", "red_flag_rule.zoster_eye"),
    # pemphigus described
    "chronic mouth + skin": ("口腔溃疡两个月没好，背上起水疱破后糜烂", "red_flag_rule.pemphigus_described"),
    "soft blister pressed": ("身上的水疱软软的，一按就往外扩", "red_flag_rule.asboe_hansen"),
    # further dev wordings (ABCDE + ugly duckling; nail streak; WAO GI criteria; a child of unstated age)
    "ugly duckling": ("this mole looks different from all my other moles", "red_flag_rule.melanoma_signs"),
    "patchy colour": ("腰上的痣颜色一块黑一块棕", "red_flag_rule.melanoma_signs"),
    "nail vertical line": ("脚趾甲上有条褐色的竖纹", "red_flag_rule.melanoma_signs"),
    "hives with fast breathing, traditional": ("風團泛發，伴呼吸急促", "red_flag_rule.wheals_breathing"),
    "contact then chest": ("接触乳胶手套后全身风团，伴胸闷", "red_flag_rule.wheals_acute_chest"),
    "hives with cramps": ("风团伴肚子绞痛、拉肚子", "red_flag_rule.wheals_systemic"),
    "parent writes, no age": ("my son has a fever and a rash all over", "red_flag_rule.child_fever_rash"),
    "anaphylaxis named, English": ("anaphylactic reaction to shellfish with hives", "red_flag_rule.anaphylaxis_named"),
    "stridor": ("generalised urticaria, stridor", "red_flag_rule.airway"),
    "periorbital, Chinese": ("眶周带状疱疹", "red_flag_rule.zoster_eye"),
    "mole edges, English": ("the edges of my mole are uneven", "red_flag_rule.melanoma_signs"),
    "one cheek mole": ("左颊一颗黑痣，边缘不规则，颜色不均", "red_flag_rule.melanoma_signs"),
    # severe drug reactions described (《中医外科学》药毒; RegiSCAR: fever, rash, organ involvement)
    "drug then liver": ("服药三周后发热、皮疹、肝功能异常", "red_flag_rule.drug_fever_systemic"),
    "drug then peeling": ("吃退烧药后全身脱皮", "red_flag_rule.drug_exfoliation"),
    "drug named, English": ("took allopurinol, now high fever, face swollen, glands up", "red_flag_rule.dress_glands"),
    "half face, lay": ("右耳朵起水疱，右边脸动不了", "red_flag_rule.ramsay_hunt"),
    "small child": ("小孩高烧，身上出了紫色的小点点", "red_flag_rule.child_fever_rash"),
    "English chronic": (
        "sore mouth for weeks, and the skin on my chest has raw areas that won't heal",
        "red_flag_rule.pemphigus_described",
    ),
    # third round
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
    # fourth round
    # hives said as lay people say them (一块块的疙瘩, 疙瘩块) with GI or circulatory signs
    "lay hives with cramps": ("腿上起了一块一块的疙瘩，肚子绞痛", SYSTEMIC),
    "lay hives, traditional": ("身上起了一塊一塊的疙瘩，眼前發黑", SYSTEMIC),
    "lay hives with collapse": ("风团起满身以后，人软得站不起来", SYSTEMIC),
    "hives with cyanosis": ("荨麻疹发作，嘴唇发紫", SYSTEMIC),
    "hives with cyanosis, English": ("hives everywhere and her lips turned blue", SYSTEMIC),
    # generalised itch or flushing, acute, with severe GI signs (WAO criterion 1)
    "acute generalised itch with vomiting": ("吃完螃蟹没多久浑身发痒，吐了三次", GENERALISED),
    "acute flushing, English": ("flushed all over within minutes of the jab and vomiting", GENERALISED),
    # a bare 斑: border (B) and growth (E) together
    "spot border and growth": ("额角的斑边缘参差，这一年往外扩", MELANOMA),
    "spot border and growth, traditional": ("手背的斑邊緣不整齊，越長越大", MELANOMA),
    "spot border and growth, English": ("a patch on my neck with a jagged edge that is getting bigger", MELANOMA),
    # melanoma reading of d-055's look-alike: one spot on one cheek, ill-defined and enlarging
    "single spot, one cheek": ("左颊一块褐色斑，边界不清，半年来明显增大", MELANOMA),
    # the patient's own red flag after a relative's disease
    "kin word, then the patient": ("我爸有牛皮癣，我这两天全身起脓疱，发烧39度", SEVERE_SKIN),
    "whole skin, English": ("my whole skin is red and peeling and I have a fever", SEVERE_SKIN),
}

NOT_REFERRED = {
    # second round
    "regular border": "背部色素痣边缘规则，颜色均匀，多年无变化",
    "plaque border": "银屑病斑块边缘不规则，上覆银白色鳞屑",
    "unchanged mole, English": "an old mole, round with a smooth border, unchanged since childhood",
    "mother's melanoma": "母亲黑色素瘤；本人一颗小痣边缘整齐",
    "mum's melanoma, English": "Mum had melanoma; my moles are all small and regular",
    "hives denied systemic": "荨麻疹，无呼吸困难，无头晕心慌，血压正常",
    "hives English negated": "hives on and off, no vomiting, no fainting, breathing fine",
    "son's anaphylaxis": "儿子吃花生后过敏性休克；本人慢性荨麻疹",
    "truncal zoster": "带状疱疹，左侧腰背部簇集水疱",
    "father's eye zoster": "父亲得过眼部带状疱疹，本人胸部带状疱疹",
    "past zoster near eye": "三年前额部带状疱疹已愈，现手部湿疹",
    "nose pimple": "鼻尖长了个痘，有脓头",
    "herpes labialis": "口唇起水疱，破后糜烂结痂，一周可愈",
    "eczema oozing": "小腿湿疹，水疱破后糜烂渗液，瘙痒",
    "aunt's pemphigus": "姑姑患天疱疮多年；本人手部湿疹",
    "denied pemphigus signs": "湿疹，口腔无溃疡，尼氏征阴性",
    "freckles uneven": "雀斑颜色深浅不一",
    "asthma history": "慢性荨麻疹，有哮喘病史，目前无喘",
    "better after the herbs": "服用中药后瘙痒好转，皮疹减轻",
    "dry hands peeling": "手上脱皮，秋冬明显",
    "anaphylaxis denied": "否认过敏性休克史，慢性荨麻疹",
    "qi deficiency breathlessness": "气短乏力，面色少华，皮疹淡红",
    "zoster long healed": "前年得过带状疱疹在额头，早就好了",
    "same as the others": "this mole looks the same as my other moles",
    # 黧黑斑 (《中医外科学》): symmetric patches on both cheeks, border clear or ill-defined, slowly spreading
    "melasma ill-defined": "鼻周及两颊灰褐色斑片，边界不清。",
    "melasma spreading": "双颊褐色斑对称分布，近一年面积逐渐扩大，边缘模糊",
    "melasma English": "brown patches on both cheeks with blurred edges, slowly getting bigger",
    # third round
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
    # fourth round
    # kin words: a relative's danger words
    "我妈": "我妈有天疱疮，我就是脚气",
    "俺娘, traditional": "俺娘有紅斑狼瘡，俺是手上長濕疹",
    "老公": "老公前年额头长了带状疱疹，眼睛都肿了；我是背上长痘",
    "姥姥": "姥姥得过黑色素瘤，我脸上有些雀斑",
    "my mum's": "my mum's lupus is in remission; I have a few spots on my chin",
    # denied and past
    "cramps denied": "身上起了几块风团，不肚子疼，不头晕，也没吐",
    "collapse past": "以前吃药后起风团晕倒过，现在只是小腿干痒",
    # melasma (黧黑斑), bilateral and symmetric, irregular and slowly spreading — not a mole
    "melasma, d-055's wording": "鼻翼、前额灰褐色斑，边界不清",
    "melasma, irregular and spreading": "两侧颧部褐色斑片，形状不规则，边缘模糊，缓慢扩大",
    "melasma, butterfly": "面部蝴蝶形褐色斑，左右对称",
    "melasma, English": "brown patches on both sides of my face with blurry edges, slowly spreading",
    # a spot's border that spreads but is no mole: tinea ring, vitiligo
    "tinea ring": "腰上一圈红斑，边缘不整齐，往外扩，痒",
    "vitiligo": "手指上的白斑边缘不规则，越来越大",
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
