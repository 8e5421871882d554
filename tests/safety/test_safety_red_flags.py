"""Red flags by meaning (issues 14 and 19): every wording refers, denied or family signs do not.

Each positive case is a presentation whose referral a cited source requires (the rule's source in
knowledge/rules/red_flags.yaml); the wordings are the editors' own dev examples, written for this
file, not the held-out safety sets.
"""

from __future__ import annotations

import pytest
from redflagkit import assert_referred_for, check_history

from derm3r.safety.check import run_safety_check
from derm3r.schemas.case import Case
from derm3r.schemas.findings import LesionRepresentation
from derm3r.schemas.plan import Assessment, FormulaRef, HerbDose, SyndromeCall, TreatmentPlan

PSORIASIS = Assessment(
    disease="白疕",
    disease_id="disease.psoriasis",
    syndrome=SyndromeCall(id="syn.psoriasis.blood_heat", name="血热内蕴证", confidence=0.9),
)
PLAN = TreatmentPlan(formula=FormulaRef(name="犀角地黄汤加减"), herbs=[HerbDose(name="生地黄", dose_g=15)])

REFERRED = {
    # issue 14: everyday words, English and traditional characters, with 银屑病 named
    "mucosa, lay": ("银屑病5年，嘴里和眼睛都烂了", "red_flag_rule.mucosa_two_sites"),
    "mucosa, English": ("psoriasis. Mouth ulcers, eyes red and sore, blisters", "red_flag_rule.mucosa_two_sites"),
    "mucosa, traditional": ("銀屑病，嘴巴裡都是潰瘍，眼睛紅腫流淚", "red_flag_rule.mucosa_two_sites"),
    "detachment, lay": ("银屑病，起大水疱一碰就破，成片脱皮", "red_flag_rule.skin_detachment"),
    "detachment, English": ("the skin comes off when touched, like a burn", "red_flag_rule.skin_detachment"),
    "mole, lay": ("银屑病，背上的痣变大出血", "red_flag_rule.melanoma_signs"),
    "mole, English": ("psoriasis, a mole that grew bigger and bleeds", "red_flag_rule.melanoma_signs"),
    "mole, traditional": ("背部黑痣近來長大，顏色深淺不一", "red_flag_rule.melanoma_signs"),
    "pustules, lay": ("银屑病，全身长满小脓包，发烧39度", "red_flag_rule.severe_skin_with_fever"),
    "erythroderma, traditional": ("全身皮膚發紅脫皮，高燒不退", "red_flag_rule.severe_skin_with_fever"),
    "erythroderma, English": (
        "my whole body is red and peeling, temperature 39.2℃",
        "red_flag_rule.severe_skin_with_fever",
    ),
    # issue 19: urticaria with airway or systemic signs, angioedema
    "airway, lay": ("荨麻疹3天，今晨喉咙发紧，喘不上气", "red_flag_rule.airway"),
    "airway, English": ("hives since yesterday, my throat feels tight and I can't breathe", "red_flag_rule.airway"),
    "angioedema, lay": ("全身起风团，嘴唇和眼皮都肿起来了", "red_flag_rule.angioedema_with_wheals"),
    "angioedema, English": ("hives all over, lips swollen", "red_flag_rule.angioedema_with_wheals"),
    "wheals systemic": ("风疹块反复，伴肚子痛、头晕心慌", "red_flag_rule.wheals_systemic"),
    "wheals systemic, English": (
        "wheals everywhere, then stomach pain and I felt dizzy",
        "red_flag_rule.wheals_systemic",
    ),
    # severe drug reactions described, not named
    "drug fever rash": ("吃了头孢三天后发烧，全身起红疹", "red_flag_rule.drug_fever_rash"),
    "drug fever rash, English": (
        "started allopurinol two weeks ago, now fever and a rash all over",
        "red_flag_rule.drug_fever_rash",
    ),
    "target after drug": ("服药后手足出现靶形红斑，口唇糜烂", "red_flag_rule.target_after_drug"),
    "dress glands": ("服用卡马西平后脸肿得厉害，脖子上淋巴结肿大，发热", "red_flag_rule.dress_glands"),
    # eczema herpeticum
    "eczema herpeticum": ("湿疹患儿，3岁，面部出现簇集脐凹水疱", "red_flag_rule.eczema_herpeticum"),
    "eczema herpeticum, fever": ("特应性皮炎多年，颈部成簇小水疱，发烧38.5℃", "red_flag_rule.eczema_vesicles_fever"),
    # zoster on the forehead / eyelid, Ramsay Hunt
    "zoster eye": ("70岁，右侧额部及上眼睑簇集水疱，疼痛剧烈", "red_flag_rule.zoster_eye"),
    "zoster eye, English": ("shingles blisters on my forehead and eyelid", "red_flag_rule.zoster_eye"),
    "ramsay hunt": ("左耳廓水疱，伴口角歪斜", "red_flag_rule.ramsay_hunt"),
    # child with fever and rash or purpura; 瘀斑 outside the tongue
    "child fever rash": ("5岁男孩，发热两天，全身出皮疹", "red_flag_rule.child_fever_rash"),
    "child purpura": ("患儿4岁，发烧，身上出现瘀点瘀斑", "red_flag_rule.child_fever_rash"),
    "adult purpura fever": ("双下肢瘀点瘀斑，压之不褪色，高热", "red_flag_rule.purpura_fever"),
    # melanoma ABCDE
    "mole asymmetric": ("背部黑痣形状不对称，直径8mm", "red_flag_rule.melanoma_signs"),
    "mole diameter": ("腿上一颗黑痣直径约1.2cm", "red_flag_rule.melanoma_signs"),
    "nail streak": ("右手拇指指甲下出现一条黑线，逐渐增宽", "red_flag_rule.melanoma_signs"),
    "border with colour": ("色素痣边缘不规则，颜色深浅不一", "red_flag_rule.melanoma_signs"),
    # issue 14's other presentations
    "child of unstated age": ("宝宝发烧两天，身上出了好多疹子", "red_flag_rule.child_fever_rash"),
    # the relative reports, or is the patient: not a family history (《中医儿科学》: 病史多由家长代诉)
    "mother reports": ("妈妈代诉：宝宝发烧两天，全身出疹", "red_flag_rule.child_fever_rash"),
    "parent writes for the child": ("我儿子4岁，发烧两天，全身出皮疹", "red_flag_rule.child_fever_rash"),
    "parent writes, English": (
        "my daughter is 3, she has a fever and a rash all over",
        "red_flag_rule.child_fever_rash",
    ),
    "pemphigus named": ("确诊天疱疮两年，现躯干松弛水疱", "red_flag_rule.pemphigus"),
    "erysipelas systemic": ("右小腿红肿热痛，边界清楚，寒战发热", "red_flag_rule.erysipelas_systemic"),
    "tongue swelling": ("吃海鲜后舌头肿起来了", "red_flag_rule.tongue_throat_swelling"),
    "butterfly rash, lay": ("脸上长了蝴蝶样的红斑，晒太阳加重", "red_flag_rule.lupus_butterfly"),
}

NOT_REFERRED = {
    "family lupus": "银屑病10年，母亲患红斑狼疮",
    "family melanoma": "父亲有黑色素瘤病史，患者银屑病，皮损鲜红",
    "relative with an age": "母亲45岁，患红斑狼疮；本人银屑病",
    "son's anaphylaxis": "儿子吃花生后过敏性休克；本人银屑病",
    "denied signs": "银屑病，否认发热，无黏膜受累，无呼吸困难，口腔无溃疡",
    "denied airway": "荨麻疹反复，风团瘙痒，无喉头发紧，无腹痛，无心慌",
    "past zoster": "既往带状疱疹已愈，现躯干红斑鳞屑",
    "stable mole": "黑痣多年无变化，银屑病皮损鲜红",
    "border alone": "湿疹，手背皮损边缘不规则，瘙痒",
    "tongue stasis": "皮损暗红肥厚，舌暗有瘀斑，苔薄白",
    "truncal zoster": "带状疱疹，右胸胁簇集水疱，刺痛",
    "child without fever": "湿疹患儿，6岁，渗出瘙痒，无发热",
    "adult fever rash": "感冒发热后躯干出现点滴状红斑鳞屑，30岁",
    "lesion warmth": "红斑灼热，皮损发热感，口干",
    "oral dryness": "口干口苦，唇红，银屑病皮损鲜红",
    "patchy hair loss": "头发一片片地掉，头皮光亮，无瘙痒",
    "sore throat": "咽喉肿痛，随后躯干出现点滴状红斑",
    "past erysipelas": "5年前曾患丹毒，已治愈，现湿疹瘙痒",
    "resolved blisters": "上次起的水疱已经好了，现皮肤干燥脱屑",
    "english negated": "no fever, no mouth sores, eyes fine, psoriasis plaques",
}


def _check(kb, history: str, assessment: Assessment = PSORIASIS):  # type: ignore[no-untyped-def]
    return check_history(kb, history, PLAN, assessment)


@pytest.mark.parametrize(("history", "rule_id"), REFERRED.values(), ids=list(REFERRED))
def test_the_presentation_is_referred_whatever_the_wording(kb, history: str, rule_id: str) -> None:
    plan, report = _check(kb, history)
    assert report.abstained
    assert_referred_for(kb, plan, report, rule_id)


@pytest.mark.parametrize("history", NOT_REFERRED.values(), ids=list(NOT_REFERRED))
def test_denied_family_past_and_site_scoped_words_do_not_refer(kb, history: str) -> None:
    _, report = _check(kb, history)
    assert report.red_flags == []


def test_a_red_flag_without_an_in_scope_disease_is_still_a_referral_with_its_reason(kb) -> None:
    _, report = _check(kb, "嘴里和眼睛都烂了", Assessment())
    assert report.red_flags and report.referral and "黏膜" in report.red_flags[0]
    assert "no in-scope disease" not in report.reason


def test_the_referral_shows_the_words_it_was_read_from(kb) -> None:
    _, report = _check(kb, "银屑病。近日喉咙发紧，喘不上气")
    assert any("喉咙发紧" in flag and "history" in flag for flag in report.red_flags)


def test_a_reaction_reported_after_the_last_prescription_is_read(kb) -> None:
    case = Case(
        case_id="rf",
        history="银屑病复诊",
        previous_visits=[{"syndrome": "血热内蕴证", "response": "服药后口腔黏膜糜烂、水疱迅速增多、发高烧"}],
    )
    plan, report = run_safety_check(kb, case, LesionRepresentation(summary=""), PSORIASIS, PLAN, 0.35)
    assert report.red_flags and plan.herbs == []
    assert any("previous_visits[0].response" in flag for flag in report.red_flags)


def test_every_referral_rule_names_only_known_findings_and_has_a_source(kb) -> None:
    known = set(kb.terms) | set(kb.red_flag_signs)
    for rule in kb.red_flags.values():
        assert rule.source
        for group in [*rule.all_of, rule.none_of]:
            assert set(group) <= known, (rule.id, set(group) - known)


def test_consultation_without_a_disease_name_refers(system) -> None:
    consultation = system.consult({"case_id": "rf", "history": "起大水疱一碰就破，成片脱皮，发烧"})
    assert consultation.safety.red_flags and consultation.plan.herbs == []
