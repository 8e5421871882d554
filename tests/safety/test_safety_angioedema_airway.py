"""Lip or eyelid angio-oedema with wheals: an emergency only when the airway, breathing or circulation is involved.

Right answers, from the sources the rules cite (knowledge/rules/red_flags.yaml angioedema_with_wheals,
red_flag_signs.yaml airway_clear): EAACI/GA²LEN/EuroGuiDerm/APAAACI urticaria guideline 2022 and NICE CKS
Urticaria / Angio-oedema treat lip or eyelid swelling with wheals and a normal airway as urticaria (瘾疹,
《中医外科学》), not an emergency; tongue or throat swelling, a voice change, stridor, breathing or swallowing
difficulty, faintness or low blood pressure are. While the airway is not mentioned the swelling still refers (it may
be involved); a denied clearance ("呼吸不正常") or a relative's is no clearance. A food eaten before the hives
(吃了虾以后) is no drug exposure. The wordings are the editors' own, written for this file (not the data/safety sets).
"""

from __future__ import annotations

from typing import Any

import pytest
from redflagkit import check_history

from derm3r.schemas.plan import FormulaRef, HerbDose, TreatmentPlan

PLAN = TreatmentPlan(formula=FormulaRef(name="消风散加减"), herbs=[HerbDose(name="荆芥", dose_g=10)])

NOT_REFERRED = {
    "clinical, airway denied": "躯干散在风团，上唇肿胀，无喉头发紧，无呼吸困难，吞咽正常，血压120/80mmHg",
    "lay, breathing and speech normal": "身上起风疙瘩，眼皮肿了，喘气说话都正常，咽东西不费劲",
    "lay, 嗓子不紧": "起了一身包，嘴唇肿起来了，嗓子不紧，也不憋气",
    "food trigger, airway normal": "吃了螃蟹以后全身起风团，嘴唇有点肿，呼吸顺畅",
    "English, breathing fine": (
        "Hives on my tummy and my bottom lip has puffed up, but I'm breathing fine and can swallow ok"
    ),
    "English, denials": "welts and swollen eyelids, no throat tightness, no trouble breathing",
    "traditional": "全身起風團，嘴唇腫，呼吸順暢，聲音如常",
    "family history of a throat swelling": "我爸以前起风团时喉咙肿过；我这次起风团，眼皮肿，呼吸正常，说话正常",
    "English family history": (
        "My mum's throat swelled with hives once. I just have hives and puffy eyes, breathing is normal"
    ),
}

REFERRED = {
    # the airway not mentioned: it may be involved
    "lay, airway unknown": "起风团，嘴唇肿得像香肠",
    "English, airway unknown": "hives and my eyelids are swollen",
    # a clearance denied, or a relative's
    "clearance negated": "起风团，嘴唇肿，呼吸不正常",
    "English clearance negated": "hives and swollen lips, and my breathing isn't normal",
    "a relative's clearance": "我起风团，嘴唇肿。我妈也起过，她呼吸正常",
    # an emergency sign beside a clearance
    "tongue beside a clearance": "起风团，嘴唇肿，呼吸正常，但是舌头也肿了",
    "throat beside a clearance": "Hives and a swollen lip, breathing ok but my throat feels tight",
    "voice beside a clearance": "全身风团，口唇肿胀，无呼吸困难，声音嘶哑",
    "swallowing beside a clearance": "起风团，眼皮肿，不憋气，可是咽东西困难",
    "faint beside a clearance": "hives and swollen lips, breathing fine but I feel faint and dizzy",
    "low blood pressure beside a clearance": "全身风团，眼睑肿胀，呼吸平稳，血压80/50mmHg",
    "traditional, breathing": "全身起風團，嘴唇腫，喘不上氣",
    "stridor said in lay English": "hives, swollen lips, and a whistling noise when he breathes in",
    "drug, airway normal": "吃了头孢以后嘴唇肿，起风团，呼吸正常",
}


@pytest.mark.parametrize("history", NOT_REFERRED.values(), ids=NOT_REFERRED.keys())
def test_lip_or_eyelid_swelling_with_a_normal_airway_is_not_referred(kb: Any, history: str) -> None:
    _, report = check_history(kb, history, PLAN)
    assert not report.red_flags, report.red_flags


@pytest.mark.parametrize("history", REFERRED.values(), ids=REFERRED.keys())
def test_angioedema_with_an_airway_sign_or_an_unknown_airway_is_referred(kb: Any, history: str) -> None:
    plan, report = check_history(kb, history, PLAN)
    assert report.red_flags and plan.herbs == []
