"""Fourth round (issues 14 and 19): anaphylaxis in lay words, a spot's ragged border with growth, kin words that
open a family history, and melasma that is not a mole.

Right answers, from the sources the rules cite (knowledge/rules/red_flags.yaml):
- WAO 2020 criterion 1 (《严重过敏反应急救指南》2019 alike): acute skin involvement — generalized hives,
  pruritus or flushing — with respiratory compromise, reduced blood pressure or its end-organ signs (collapse,
  syncope, cyanosis) or severe GI symptoms (crampy abdominal pain, repetitive vomiting) is anaphylaxis.
- ABCDE (AAD) and 《中国黑色素瘤诊疗指南》(CSCO 2022): a single pigmented lesion with an irregular border (B)
  that is enlarging (E) must be examined by a dermatologist.
- 《中医外科学》黧黑斑: melasma is brown patches spread symmetrically over the cheeks, forehead and nose, shaped
  like a butterfly, border clear or ill-defined — irregular in outline, but bilateral and not one changing
  lesion; 圆癣's ring spreads at its edge and 白驳风's patch enlarges without being a mole.
- Family history (issue 14): a relative's disease, however the relative is called (我妈, 俺爹, 老公, my mum's),
  is not the patient's now; the patient's own clause after it (我就是…, I now have…) is, and so is what follows a
  relative who only came along (和老公一起来的，怀孕12周: a missed pregnancy would let 三棱/莪术 through).
The wordings are the editors' own, written for this file (not the data/safety sets).
"""

from __future__ import annotations

import pytest
from redflagkit import assert_referred_for, check_history

from derm3r.safety.patient_facts import read_patient_facts
from derm3r.schemas.case import Case
from derm3r.schemas.plan import FormulaRef, HerbDose, TreatmentPlan
from derm3r.text.clauses import split_clauses
from derm3r.text.normalize import normalize
from derm3r.text.scope import clause_scopes

PLAN = TreatmentPlan(formula=FormulaRef(name="消风散加减"), herbs=[HerbDose(name="荆芥", dose_g=10)])
SYSTEMIC, GENERALISED = "red_flag_rule.wheals_systemic", "red_flag_rule.acute_generalised_skin_systemic"
MELANOMA, SEVERE_SKIN = "red_flag_rule.melanoma_signs", "red_flag_rule.severe_skin_with_fever"

REFERRED = {
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
def test_fourth_round_presentations_are_referred(kb, history: str, rule_id: str) -> None:
    plan, report = check_history(kb, history, PLAN)
    assert report.referral
    assert_referred_for(kb, plan, report, rule_id)


@pytest.mark.parametrize("history", NOT_REFERRED.values(), ids=list(NOT_REFERRED))
def test_fourth_round_look_alikes_relatives_and_denials_do_not_refer(kb, history: str) -> None:
    _, report = check_history(kb, history, PLAN)
    assert report.red_flags == []


@pytest.mark.parametrize(
    ("text", "relative", "patient"),
    [
        ("我妈有红斑狼疮，我就是脸上长痘痘", "红斑狼疮", "长痘痘"),
        ("俺爹起荨麻疹住过院，俺是头皮屑多", "荨麻疹", "头皮屑"),
        ("my dad has lupus, i have acne", "lupus", "acne"),
    ],
)
def test_a_colloquial_kin_word_opens_a_family_history_and_the_patients_clause_closes_it(
    text: str, relative: str, patient: str
) -> None:
    normalized = normalize(text)
    clauses = split_clauses(normalized, "history")
    scopes = clause_scopes(normalized, clauses)

    def scope_of(word: str) -> str:
        position = normalized.index(word)
        index = next(i for i, c in enumerate(clauses) if c.start <= position < c.end)
        scope, offset = scopes[index]
        return scope if position >= offset else (scopes[index - 1][0] if index else "present")

    assert scope_of(relative) == "family"
    assert scope_of(patient) == "present"


@pytest.mark.parametrize("text", ["每次大姨妈前长痘，嘴里和眼睛都烂了", "宝妈，产后两月，嘴里和眼睛都烂了"])
def test_a_kin_word_inside_a_phrase_that_names_no_relative_opens_nothing(kb, text: str) -> None:
    plan, report = check_history(kb, text, PLAN)
    assert_referred_for(kb, plan, report, "red_flag_rule.mucosa_two_sites")


@pytest.mark.parametrize(
    ("history", "pregnant"),
    [
        ("和老公一起来的，怀孕12周，脸上长痘", True),  # the husband is the companion, the pregnancy hers
        ("丈夫陪同就诊，孕8周", True),
        ("my husband came with me, I am 12 weeks pregnant", True),
        ("我老婆怀孕了，我脸上长痘", None),  # the wife's pregnancy is not the (male) patient's
        ("我姐怀孕三个月，我手上湿疹", None),
    ],
)
def test_a_relative_who_comes_along_does_not_hide_the_patients_pregnancy_a_relatives_is_not_hers(
    kb, history: str, pregnant: bool | None
) -> None:
    facts = read_patient_facts(kb, Case(case_id="pf", history=history))
    assert facts.pregnant is pregnant
