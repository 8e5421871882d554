"""Dose and preparation rules for every toxicity grade (issue 19 step 2), against the 2020 Pharmacopoeia."""

from __future__ import annotations

from collections import Counter

import pytest

from derm3r.safety.audit import planted_dose_plans
from derm3r.safety.check import run_safety_check
from derm3r.safety.doses import age_factor
from derm3r.schemas.case import Case
from derm3r.schemas.findings import LesionRepresentation
from derm3r.schemas.plan import Assessment, FormulaRef, HerbDose, SyndromeCall, TreatmentPlan
from derm3r.testing.safety_sets import score_planted


def _check(kb, *herbs: tuple[str, float], patient: dict | None = None):  # type: ignore[no-untyped-def]
    call = SyndromeCall(id="syn.psoriasis.blood_heat", name="血热内蕴证", confidence=0.9)
    assessment = Assessment(disease="白疕", disease_id="disease.psoriasis", syndrome=call)
    plan = TreatmentPlan(formula=FormulaRef(name="测试方"), herbs=[HerbDose(name=n, dose_g=d) for n, d in herbs])
    case = Case(case_id="dose", patient=patient or {})
    return run_safety_check(kb, case, LesionRepresentation(summary=""), assessment, plan, 0.35)


def _dose(plan: TreatmentPlan, name: str) -> float | None:
    return next((h.dose_g for h in plan.herbs if h.name == name), None)


@pytest.mark.parametrize(
    ("herb", "given", "ceiling"),
    [
        # 小毒 grade: ChP 2020 细辛 1–3 g, 苦杏仁 5–10 g, 水蛭 1–3 g, 重楼 3–9 g, 北豆根 3–9 g, 猪牙皂 1–1.5 g.
        ("细辛", 9, 3),
        ("苦杏仁", 20, 10),
        ("水蛭", 6, 3),
        ("重楼", 15, 9),
        ("北豆根", 12, 9),
        ("猪牙皂", 3, 1.5),
        # 无毒 grade: 丹参 10–15 g; a 500 g carry-over is corrected, not only warned about.
        ("丹参", 500, 15),
    ],
)
def test_a_dose_above_the_pharmacopoeia_range_is_corrected_whatever_the_grade(kb, herb, given, ceiling) -> None:
    plan, report = _check(kb, ("当归", 10), (herb, given))
    assert _dose(plan, herb) == ceiling
    finding = next(w for w in report.warnings if w.rule_id.startswith("herb.dose_ceiling"))
    assert f"已减至{ceiling:g}g" in finding.action


@pytest.mark.parametrize("herb", ["朱砂", "雄黄"])
def test_pills_and_powders_only_minerals_never_go_into_a_decoction(kb, herb) -> None:
    # ChP 2020: 朱砂 “多入丸散服，不宜入煎剂”; 雄黄 “入丸散用”.
    plan, report = _check(kb, ("当归", 10), (herb, 0.1))
    assert _dose(plan, herb) is None
    assert any(w.rule_id.startswith("herb.not_in_decoction") and herb in w.action for w in report.warnings)


@pytest.mark.parametrize("herb", ["川乌", "草乌", "生半夏", "巴豆"])
def test_raw_forms_with_no_internal_dose_are_removed_not_dosed_at_a_sentinel(kb, herb) -> None:
    # ChP 2020: raw 川乌/草乌 “一般炮制后用”; 半夏 “内服一般炮制后使用”; raw 巴豆 external only.
    plan, report = _check(kb, ("当归", 10), (herb, 3))
    assert _dose(plan, herb) is None
    assert any(w.rule_id.startswith("herb.external_only") for w in report.warnings)


def test_processed_pinellia_stays_a_separate_internal_herb(kb) -> None:
    plan, _ = _check(kb, ("法半夏", 9), ("当归", 10))
    assert _dose(plan, "半夏") == 9
    assert kb.resolve_herb("生半夏") != kb.resolve_herb("法半夏")


def test_decoct_first_is_noted_on_the_herb(kb) -> None:
    # ChP 2020 牡蛎 “先煎”.
    plan, report = _check(kb, ("牡蛎", 30), ("当归", 10))
    oyster = next(h for h in plan.herbs if h.name == "牡蛎")
    assert "先煎" in oyster.note
    assert any(w.rule_id == "herb.decoction_method.herb.mu_li" for w in report.warnings)


def test_a_childs_ceiling_is_scaled_too(kb) -> None:
    # A 2-year-old's doses are a fraction of the adult's (《中医儿科学》), and so is 细辛's 3 g ceiling.
    factor, _, _ = age_factor(kb, 2)
    plan, _ = _check(kb, ("细辛", 9), ("当归", 10), patient={"age": 2})
    assert factor < 1 and _dose(plan, "细辛") == pytest.approx(3 * factor, abs=0.01)


def test_the_planted_dose_set_covers_every_herb_and_grade_and_all_are_corrected(kb) -> None:
    planted = list(planted_dose_plans(kb))
    grades = Counter(kb.herbs[next(iter(item.must_not_remain))].toxicity for item in planted)
    assert set(grades) == {"none", "low", "moderate", "high"}
    assert {next(iter(item.must_not_remain)) for item in planted} == set(kb.herbs)  # the neutral herb too
    planted_count, caught, survived = score_planted(kb)["dose above ceiling"]
    assert survived == [] and caught == planted_count
