"""Allergies to a herb named in English, pinyin or Latin, 敏感 wordings, and lactation said by the mother.

Right answers: a drug the patient says they are allergic to is not given (《中药学》总论·用药禁忌);
甘草 is Glycyrrhizae Radix et Rhizoma in ChP 2020 and liquorice/licorice in English, 当归 is dong quai
(Angelica sinensis); an allergy to a genus (peony) keeps out every herb of it (赤芍, 白芍 and 牡丹皮 are
all Paeonia in ChP 2020 "来源"). A relative's allergy or a denied one is not the patient's. A nursing mother
may mention her baby's age; lactation cautions still apply to her.
"""

from __future__ import annotations

import pytest

from derm3r.safety.check import check_prescription
from derm3r.safety.herb_names import herbs_named
from derm3r.safety.patient_facts import read_patient_facts
from derm3r.schemas.case import Case
from derm3r.schemas.plan import HerbDose, TreatmentPlan

ALLERGIC = {
    "English": ("allergic to liquorice", ["甘草"]),
    "American spelling": ("Allergy to licorice and dandelion", ["甘草", "蒲公英"]),
    "pinyin spaced": ("gan cao gives me a rash", ["甘草"]),
    "pinyin joined": ("allergic to gancao", ["甘草"]),
    "Latin": ("allergy to Glycyrrhizae Radix et Rhizoma", ["甘草"]),
    "trade name": ("I'm sensitive to dong quai", ["当归"]),
    "genus": ("allergic to peony", ["赤芍", "白芍", "牡丹皮"]),
    "longest name first": ("allergic to american ginseng", ["西洋参"]),
    "敏感": ("对当归敏感", ["当归"]),
    "reaction without 过敏": ("吃当归会长疹子", ["当归"]),
    "traditional": ("對甘草過敏", ["甘草"]),
    "list after a header": ("过敏药物：当归、川芎", ["当归", "川芎"]),
    "English header": ("Allergies: dong quai", ["当归"]),
    "may not take": ("不能吃当归", ["当归"]),
}

NOT_ALLERGIC = {
    "relative, English": "my mother is allergic to liquorice",
    "mum, English": "my mum is allergic to liquorice",
    "relative, Chinese": "母亲对甘草过敏",
    "denied": "否认药物过敏史，no known drug allergies",
    "a drug, not a herb": "allergic to penicillin",
    "header denied": "过敏史：无",
    "relative's header": "母亲过敏史：当归",
    "word inside another": "ganglion cyst on the wrist",
}


@pytest.mark.parametrize(("history", "herbs"), ALLERGIC.values(), ids=list(ALLERGIC))
def test_an_allergen_named_in_any_language_is_kept_out_of_the_plan(kb, history: str, herbs: list[str]) -> None:
    case = Case(case_id="allergy", history=history)
    assert sorted(read_patient_facts(kb, case).allergy_herbs) == sorted(herbs)
    plan = TreatmentPlan(herbs=[HerbDose(name=name, dose_g=6) for name in [*herbs, "荆芥"]])
    checked, findings = check_prescription(kb, case, plan)
    assert [herb.name for herb in checked] == ["荆芥"]
    assert any("过敏" in finding.message or "allerg" in finding.message for finding in findings)


@pytest.mark.parametrize("history", NOT_ALLERGIC.values(), ids=list(NOT_ALLERGIC))
def test_a_relatives_denied_or_non_herb_allergy_removes_no_herb(kb, history: str) -> None:
    assert read_patient_facts(kb, Case(case_id="allergy", history=history)).allergy_herbs == []


def test_every_herb_can_be_named_in_english(kb) -> None:
    assert [herb.id for herb in kb.herbs.values() if not herb.english] == []
    assert herbs_named(kb, "cinnamon") == ["herb.gui_zhi", "herb.rou_gui"]


@pytest.mark.parametrize(
    "history",
    ["I'm nursing my 3-month-old", "宝宝3个月大，我在母乳喂养", "还在亲喂", "pumping breast milk for my son",
     "产后42天，面部湿疹", "坐月子期间起了荨麻疹"],
)
def test_a_nursing_mother_is_read_as_breastfeeding_even_beside_her_babys_age(kb, history: str) -> None:
    assert read_patient_facts(kb, Case(case_id="lactation", history=history)).lactating is True


def test_an_infants_own_breast_feeding_is_not_lactation(kb) -> None:
    facts = read_patient_facts(kb, Case(case_id="lactation", history="患儿5个月大，母乳喂养，面部湿疹"))
    assert facts.lactating is not True


@pytest.mark.parametrize(
    ("name", "meant"), [("草河车", {"重楼", "拳参"}), ("芍药", {"赤芍", "白芍"}), ("沙参", {"南沙参", "北沙参"})]
)
def test_a_homonym_is_removed_and_the_drugs_it_may_mean_are_named(kb, name: str, meant: set[str]) -> None:
    # 重楼 (南方) and 拳参 (京派) are both called 草河车; ChP 2020 gives them separate monographs and doses.
    herbs, findings = check_prescription(kb, Case(case_id="h"), TreatmentPlan(herbs=[HerbDose(name=name, dose_g=9)]))
    assert herbs == []
    finding = next(f for f in findings if f.rule_id == "herb.unknown")
    assert "名同药异" in finding.message and all(drug in finding.message for drug in meant)


@pytest.mark.parametrize(
    "history",
    ["pregnant with my second child", "怀孕三个月，宝宝很好", "currently expecting, due in May", "怀二胎了，五个月"],
)
def test_pregnancy_wordings_are_read_and_the_unborn_child_is_not_the_patient(kb, history: str) -> None:
    facts = read_patient_facts(kb, Case(case_id="pregnancy", history=history))
    assert facts.pregnant is True and facts.age_group not in ("infant", "toddler", "child")

