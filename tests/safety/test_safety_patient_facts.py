"""Patient facts from the text (issue 14 step 2): pregnancy, lactation, age and allergies as written.

Right answers: 三棱、莪术、鬼箭羽 are 孕妇禁用 (《中华人民共和国药典》2020年版); a 2-year-old's dose is a
fraction of the adult's (《中医儿科学》 小儿用药剂量, rule.dose.* in knowledge/rules); an allergen
the patient names is never prescribed; 大黄 is 哺乳期慎用 (药典2020 大黄注意项).
"""

from __future__ import annotations

import pytest

from derm3r.safety.check import run_safety_check
from derm3r.safety.doses import age_factor
from derm3r.safety.patient_facts import read_patient_facts
from derm3r.schemas.case import Case
from derm3r.schemas.findings import LesionRepresentation
from derm3r.schemas.plan import Assessment, FormulaRef, HerbDose, SyndromeCall, TreatmentPlan

STASIS = Assessment(
    disease="白疕",
    disease_id="disease.psoriasis",
    syndrome=SyndromeCall(id="syn.psoriasis.blood_stasis", name="气血瘀滞证", confidence=0.9),
)
FORBIDDEN = ("三棱", "莪术", "鬼箭羽")


def _plan(*herbs: tuple[str, float]) -> TreatmentPlan:
    return TreatmentPlan(
        formula=FormulaRef(name="桃红四物汤加减"), herbs=[HerbDose(name=n, dose_g=d) for n, d in herbs]
    )


def _check(kb, plan: TreatmentPlan, **case):  # type: ignore[no-untyped-def]
    return run_safety_check(kb, Case(case_id="pf", **case), LesionRepresentation(summary=""), STASIS, plan, 0.35)


STASIS_PLAN = _plan(("当归", 10), ("三棱", 10), ("莪术", 10), ("鬼箭羽", 10), ("丹参", 15))


@pytest.mark.parametrize(
    "history",
    [
        "现妊娠12周，皮损暗红肥厚",
        "怀孕三个月了，皮损暗红",
        "孕妇，孕8周，皮损暗红",
        "懷孕20週，皮損暗紅",  # traditional characters
        "I am 20 weeks pregnant, plaques dark red",  # English
        "孕中期，皮损暗红肥厚",
    ],
)
def test_pregnancy_written_only_in_the_text_removes_forbidden_herbs(kb, history: str) -> None:
    plan, report = _check(kb, STASIS_PLAN, history=history, patient={"sex": "F", "age": 30})
    assert not {h.name for h in plan.herbs} & set(FORBIDDEN)
    assert report.patient_facts is not None and report.patient_facts.pregnant is True
    assert any(r.fact == "pregnancy" and r.field == "history" for r in report.patient_facts.readings)


def test_pregnancy_weeks_and_trimester_are_read(kb) -> None:
    facts = read_patient_facts(kb, Case(case_id="pf", history="现妊娠12周"))
    assert facts.pregnancy_weeks == 12 and facts.trimester == 1


def test_a_field_that_says_not_pregnant_beside_a_pregnant_text_is_a_conflict_and_pregnancy_wins(kb) -> None:
    plan, report = _check(
        kb, STASIS_PLAN, history="孕12周，皮损暗红", patient={"sex": "F", "age": 30, "pregnant": False}
    )
    assert not {h.name for h in plan.herbs} & set(FORBIDDEN)
    assert any(w.rule_id == "patient.facts_conflict" and "妊娠" in w.message for w in report.warnings)


@pytest.mark.parametrize(
    "history",
    [
        "孕2产1，否认妊娠，皮损暗红",  # obstetric history, denied now
        "妻子怀孕，皮损暗红",  # a relative
        "备孕中，皮损暗红",  # planning, not pregnant
        "既往怀孕时皮损加重，皮损暗红",  # past
    ],
)
def test_obstetric_history_a_relative_or_the_past_is_not_a_pregnancy(kb, history: str) -> None:
    facts = read_patient_facts(kb, Case(case_id="pf", history=history, patient={"sex": "F", "age": 30}))
    assert facts.pregnant is not True


@pytest.mark.parametrize(
    ("history", "age"),
    [("2岁男孩，湿疹渗出", 2), ("a 2-year-old boy with eczema", 2), ("兩歲女孩，濕疹", 2), ("患儿8个月大，湿疹", 0.67)],
)
def test_a_childs_age_in_the_text_scales_the_doses(kb, history: str, age: float) -> None:
    factor, _, _ = age_factor(kb, age)
    plan, report = _check(kb, _plan(("生地黄", 15), ("当归", 10)), history=history)
    assert report.patient_facts is not None and report.patient_facts.age == pytest.approx(age, abs=0.01)
    assert next(h.dose_g for h in plan.herbs if h.name == "生地黄") == pytest.approx(15 * factor, abs=0.5)


def test_the_age_at_onset_is_not_the_patients_age(kb) -> None:
    facts = read_patient_facts(kb, Case(case_id="pf", history="10岁时起病，现35岁"))
    assert facts.age == 35


def test_a_swelling_growing_day_by_day_is_no_newborns_age(kb) -> None:
    """"一天比一天大" compares the swelling with yesterday's; read as "1 天大" it dosed a 57-year-old as a newborn."""
    facts = read_patient_facts(kb, Case(case_id="pf", chief_complaint="腿上红肿一天比一天大", patient={"age": 57}))
    assert facts.age == 57 and facts.conflicts == []
    newborn = read_patient_facts(kb, Case(case_id="pf", history="出生后3天大，全身红斑"))
    assert newborn.age == pytest.approx(3 / 365, abs=0.01)


def test_an_adult_field_beside_a_child_in_the_text_doses_the_child(kb) -> None:
    plan, report = _check(kb, _plan(("生地黄", 15)), history="2岁男孩，湿疹", patient={"age": 35})
    assert plan.herbs[0].dose_g < 15
    assert any(w.rule_id == "patient.facts_conflict" and "年龄" in w.message for w in report.warnings)


@pytest.mark.parametrize(
    ("case", "removed"),
    [
        ({"history": "对牡丹皮过敏"}, "牡丹皮"),
        ({"history": "既往对蜈蚣过敏，皮损暗红"}, "蜈蚣"),
        ({"history": "對蜈蚣過敏"}, "蜈蚣"),
        ({"history": "对虫类药过敏"}, "全蝎"),
        ({"history": "allergic to insect-derived medicines"}, "全蝎"),
        ({"patient": {"allergies": ["丹皮"]}}, "牡丹皮"),
    ],
)
def test_an_allergen_named_in_the_text_or_the_field_is_removed_and_named(kb, case: dict, removed: str) -> None:
    plan, report = _check(kb, _plan(("当归", 10), ("牡丹皮", 10), ("蜈蚣", 3), ("全蝎", 3)), **case)
    assert removed not in {h.name for h in plan.herbs}
    assert any(w.rule_id.startswith("patient.allergy") and removed in w.action for w in report.warnings)


@pytest.mark.parametrize("history", ["否认药物过敏史", "母亲对牡丹皮过敏", "无过敏史"])
def test_denied_or_a_relatives_allergy_removes_nothing(kb, history: str) -> None:
    plan, _ = _check(kb, _plan(("当归", 10), ("牡丹皮", 10)), history=history)
    assert {h.name for h in plan.herbs} == {"当归", "牡丹皮"}


@pytest.mark.parametrize(
    "case",
    [{"patient": {"breastfeeding": True}}, {"history": "产后三个月，哺乳期"}, {"history": "currently breastfeeding"}],
)
def test_breastfeeding_is_enforced_from_the_herb_data(kb, case: dict) -> None:
    _, report = _check(kb, _plan(("当归", 10), ("大黄", 6)), **case)
    finding = next(w for w in report.warnings if w.rule_id.startswith("lactation."))
    assert "大黄" in finding.herbs and "哺乳" in finding.source


def test_the_facts_are_in_the_report_with_where_they_were_read(system) -> None:
    consultation = system.consult({"case_id": "pf", "history": "孕妇，孕8周，银屑病皮损暗红肥厚，舌紫暗"})
    facts = consultation.safety.patient_facts
    assert facts is not None and facts.pregnant is True and facts.pregnancy_weeks == 8
    assert all(kb_name not in {h.name for h in consultation.plan.herbs} for kb_name in FORBIDDEN)


@pytest.mark.parametrize(
    ("history", "removed"),
    [
        ("上次吃了含牡丹皮的药出了荨麻疹", "牡丹皮"),
        ("用过蜈蚣以后起过药疹", "蜈蚣"),
        ("以前服含当归的汤药后全身起红疹", "当归"),
        ("took a tea with dong quai once and broke out in hives", "当归"),
    ],
)
def test_a_past_reaction_to_a_herb_described_without_the_word_allergy_removes_it(
    kb, history: str, removed: str
) -> None:
    # 《中药学》总论·用药禁忌: a herb the patient has reacted to is not given again; the reaction is the
    # patient's history, so a past marker (以前, 上次, once) does not make it irrelevant.
    plan, _ = _check(kb, _plan(("当归", 10), ("牡丹皮", 10), ("蜈蚣", 3), ("丹参", 15)), history=history)
    kept = {h.name for h in plan.herbs}
    assert removed not in kept and "丹参" in kept


@pytest.mark.parametrize("history", ["服药后皮疹减轻", "喝了中药后湿疹好多了", "吃当归后没有起疹子"])
def test_a_herb_that_helped_or_a_denied_reaction_is_no_allergy(kb, history: str) -> None:
    plan, _ = _check(kb, _plan(("当归", 10), ("牡丹皮", 10)), history=history)
    assert {h.name for h in plan.herbs} == {"当归", "牡丹皮"}
