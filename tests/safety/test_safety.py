"""The deterministic safety check, with cases whose right answer the Pharmacopoeia and textbook give."""

from __future__ import annotations

from pathlib import Path

import pytest

from derm3r.safety.check import run_safety_check
from derm3r.schemas.case import Case
from derm3r.schemas.findings import LesionRepresentation, Sign
from derm3r.schemas.plan import Assessment, FormulaRef, HerbDose, SyndromeCall, TreatmentPlan

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"


def _assessment(confidence: float = 0.9) -> Assessment:
    call = SyndromeCall(id="syn.psoriasis.blood_heat", name="血热内蕴证", confidence=confidence, score=10)
    return Assessment(disease="白疕", disease_id="disease.psoriasis", syndrome=call)


def _plan(*herbs: tuple[str, float]) -> TreatmentPlan:
    return TreatmentPlan(
        formula=FormulaRef(name="测试方"), herbs=[HerbDose(name=name, dose_g=dose) for name, dose in herbs]
    )


def _check(kb, plan: TreatmentPlan, patient: dict | None = None, signs: list[str] | None = None, confidence=0.9):  # type: ignore[no-untyped-def]
    case = Case(case_id="s", patient=patient or {})
    rep = LesionRepresentation(
        summary="",
        signs=[Sign(term=t, label=kb.terms[t].label, category=kb.terms[t].category, source="t") for t in signs or []],
    )
    return run_safety_check(kb, case, rep, _assessment(confidence), plan, min_confidence=0.35)


def _names(plan: TreatmentPlan) -> list[str]:
    return [herb.name for herb in plan.herbs]


def test_eighteen_incompatibilities_remove_the_later_herb(kb) -> None:
    # 十八反: 甘草反海藻.
    plan, report = _check(kb, _plan(("甘草", 6), ("生地黄", 15), ("海藻", 10)))
    assert "海藻" not in _names(plan) and "甘草" in _names(plan)
    finding = next(w for w in report.warnings if w.rule_id == "rule.shibafan.gancao_haizao")
    assert finding.severity == "blocking" and "海藻" in finding.action


def test_veratrum_against_peony_covers_red_and_white_peony(kb) -> None:
    # 十八反: 藜芦反芍药 (赤芍 and 白芍 alike).
    plan, report = _check(kb, _plan(("赤芍", 10), ("藜芦", 0.5)))
    assert _names(plan) == ["赤芍"]
    assert any(w.rule_id.startswith("rule.shibafan") for w in report.warnings)


def test_unknown_herb_is_removed_and_named(kb) -> None:
    plan, report = _check(kb, _plan(("生地黄", 15), ("不存在草", 10)))
    assert _names(plan) == ["生地黄"]
    assert any(w.rule_id == "herb.unknown" and "不存在草" in w.message for w in report.warnings)


def test_duplicate_under_an_alias_is_merged(kb) -> None:
    plan, report = _check(kb, _plan(("丹皮", 10), ("牡丹皮", 12)))
    assert _names(plan) == ["牡丹皮"] and plan.herbs[0].dose_g == 12
    assert any(w.rule_id == "herb.duplicate" for w in report.warnings)


def test_toxic_herb_above_its_ceiling_is_cut_down(kb) -> None:
    # 附子: 3–15 g in the 2020 Pharmacopoeia; a toxic herb is corrected, not just flagged.
    ceiling = kb.herbs["herb.fu_zi"].dose_max_g
    plan, report = _check(kb, _plan(("附子", ceiling * 2)))
    assert plan.herbs[0].dose_g == ceiling
    assert any(w.severity == "blocking" and w.rule_id.startswith("herb.dose_ceiling") for w in report.warnings)


def test_pregnancy_forbidden_herb_is_removed_when_pregnant(kb) -> None:
    # 三棱: 孕妇禁用 (Pharmacopoeia); 桃仁: 孕妇慎用.
    plan, report = _check(
        kb, _plan(("三棱", 10), ("桃仁", 10), ("当归", 10)), {"sex": "F", "age": 30, "pregnant": True}
    )
    assert "三棱" not in _names(plan) and "桃仁" in _names(plan)
    assert any(w.rule_id == "pregnancy.caution.herb.tao_ren" for w in report.warnings)


def test_possible_pregnancy_flags_without_removing(kb) -> None:
    plan, report = _check(kb, _plan(("三棱", 10), ("当归", 10)), {"sex": "F", "age": 30})
    assert "三棱" in _names(plan)
    assert any(w.severity == "warning" and "妊娠状态未知" in w.message for w in report.warnings)


# 《中医儿科学》: 幼儿 (1–3 岁) 1/2, 学龄儿童 2/3 of the adult dose (4–7 岁 kept at 1/2, the stricter bound).
@pytest.mark.parametrize(("age", "factor"), [(10, 2 / 3), (5, 1 / 2), (2, 1 / 2)])
def test_child_doses_are_scaled_by_age(kb, age: int, factor: float) -> None:
    plan, report = _check(kb, _plan(("生地黄", 15)), {"age": age})
    assert plan.herbs[0].dose_g == pytest.approx(15 * factor, abs=0.5)
    assert any(w.rule_id.startswith("rule.dose") for w in report.warnings)


def test_red_flag_refers_and_withholds_the_prescription(kb) -> None:
    plan, report = _check(kb, _plan(("生地黄", 15)), signs=["morphology.erythroderma", "symptom.high_fever"])
    assert report.abstained and report.red_flags and report.referral
    assert plan.herbs == [] and plan.formula is None


def test_lupus_signs_are_a_red_flag(system) -> None:
    consultation = system.consult({"case_id": "lupus", "history": "面部蝶形红斑，光敏感，关节痛，银屑病史"})
    assert consultation.safety.abstained and any("红蝴蝶疮" in flag for flag in consultation.safety.red_flags)


def test_low_confidence_abstains(kb) -> None:
    plan, report = _check(kb, _plan(("生地黄", 15)), confidence=0.1)
    assert report.abstained and "low confidence" in report.reason and plan.herbs == []


def test_pregnant_example_never_keeps_a_forbidden_herb(system, kb) -> None:
    consultation = system.consult(EXAMPLES / "ps-blood-heat-2.json")
    assert consultation.safety.abstained is False
    assert all(kb.herbs[h.herb_id].pregnancy != "forbidden" for h in consultation.plan.herbs)


def test_child_example_is_dosed_below_the_adult_plan(system) -> None:
    import json

    data = json.loads((EXAMPLES / "ps-blood-dryness-2.json").read_text(encoding="utf-8"))
    child = system.consult(data, case_dir=EXAMPLES)
    adult = system.consult({**data, "patient": {**data.get("patient", {}), "age": 40}}, case_dir=EXAMPLES)
    assert any(w.rule_id.startswith("rule.dose") for w in child.safety.warnings)
    assert sum(h.dose_g for h in child.plan.herbs) < sum(h.dose_g for h in adult.plan.herbs)
