"""Clinical rules kept as data (knowledge/rules/): follow-up questions, staging, red-flag patterns, thresholds.

The right answers come from the sources the rules cite: 《中医外科学》 stages 白疕 into 进行期, 静止期 and
退行期 and describes its scale as scraping off to pinpoint bleeding — neither belongs to 湿疮; the
textbook sends erythrodermic and generalised pustular presentations to hospital.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from derm3r.clinic.represent import infer_severity, infer_stage
from derm3r.kb.loader import load_knowledge_base
from derm3r.safety.abstain import follow_up_questions
from derm3r.safety.check import run_safety_check
from derm3r.safety.red_flag_signs import RedFlagFinding
from derm3r.safety.red_flags import red_flags
from derm3r.schemas.case import Case
from derm3r.schemas.findings import LesionRepresentation, Sign
from derm3r.schemas.plan import Assessment, FormulaRef, HerbDose, SyndromeCall, TreatmentPlan

REPO = Path(__file__).resolve().parents[2]
SCRAPING = "鳞屑厚薄、颜色如何，刮除后有无点状出血？"


def _rep(kb, *terms: str) -> LesionRepresentation:  # type: ignore[no-untyped-def]
    signs = [Sign(term=t, label=kb.terms[t].label, category=kb.terms[t].category, source="text") for t in terms]
    return LesionRepresentation(summary="", signs=signs)


def test_psoriasis_questions_are_those_of_psoriasis(kb) -> None:
    questions = follow_up_questions(kb, Case(case_id="q"), _rep(kb, "color.red"), "disease.psoriasis")
    assert questions[0] == SCRAPING
    assert any("关节疼痛" in q for q in questions)
    assert not any("喉头" in q for q in questions)


def test_eczema_and_unknown_disease_get_no_psoriasis_question(kb) -> None:
    for disease_id in ("disease.eczema", None):
        questions = follow_up_questions(kb, Case(case_id="q"), _rep(kb, "color.red"), disease_id)
        assert SCRAPING not in questions and not any("关节疼痛" in q for q in questions)
        assert any("全身症状" in q for q in questions) and any("舌" in q for q in questions)


def test_urticaria_asks_about_the_airway(kb) -> None:
    questions = follow_up_questions(kb, Case(case_id="q"), _rep(kb), "disease.urticaria")
    assert any("喉头发紧" in q and "呼吸困难" in q for q in questions)


def test_a_filled_but_unread_tongue_field_asks_for_a_restatement(kb) -> None:
    questions = follow_up_questions(kb, Case(case_id="q", tongue="看不清楚"), _rep(kb), "disease.eczema")
    assert "舌象描述未能识别，请用舌质、舌苔术语重述。" in questions


def test_psoriasis_is_staged_and_eczema_is_not(kb) -> None:
    assert infer_stage(kb, "disease.psoriasis", {"course.new_lesions"}) == "进行期"
    assert infer_stage(kb, "disease.psoriasis", {"course.regressing"}) == "退行期"
    assert infer_stage(kb, "disease.psoriasis", {"course.chronic"}) == "静止期"
    assert infer_stage(kb, "disease.eczema", {"course.new_lesions"}) == "未定"
    assert infer_stage(kb, None, {"course.new_lesions"}) == "未定"


def test_a_new_eczema_case_is_not_described_in_psoriasis_stages(system) -> None:
    consultation = system.consult(
        {
            "case_id": "e",
            "history": "湿疹2周，皮损潮红，丘疱疹密集，糜烂渗出，新发不断，瘙痒剧烈",
            "tongue": "舌红苔黄腻",
        }
    )
    assert consultation.assessment.disease_id == "disease.eczema"
    assert consultation.representation.stage == "未定"
    assert "进行期" not in consultation.representation.summary


def test_severity_follows_the_rule_of_tens(kb) -> None:
    assert infer_severity(kb, set(), "BSA 12%") == "重度"
    assert infer_severity(kb, set(), "PASI 5") == "中度"
    assert infer_severity(kb, set(), "体表面积 2%") == "轻度"


def test_red_flag_patterns_fire_from_the_rules_file(kb) -> None:
    def flags(*ids: str) -> list[str]:
        findings = {i: RedFlagFinding(i, kb.terms[i].label, "history", "") for i in ids}
        return red_flags(kb, findings, Assessment())

    with_fever = flags("morphology.erythroderma", "symptom.high_fever")
    assert with_fever == [
        kb.red_flags["red_flag_rule.severe_skin_with_fever"].reason.replace("{labels}", "全身弥漫潮红")
    ]
    without = flags("morphology.pustule_sheets")
    assert without == [kb.red_flags["red_flag_rule.severe_skin"].reason.replace("{labels}", "脓疱泛发成片")]
    assert flags("symptom.high_fever") == []


def _copy_with(tmp_path: Path, threshold_id: str, value: float) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", target)
    path = target / "rules" / "thresholds.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for entry in data["thresholds"]:
        if entry["id"] == threshold_id:
            entry["value"] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return target


def test_the_abstention_threshold_is_read_from_the_knowledge_base(tmp_path: Path) -> None:
    kb = load_knowledge_base(_copy_with(tmp_path, "threshold.min_confidence", 0.95))
    call = SyndromeCall(id="syn.psoriasis.blood_heat", name="血热内蕴证", confidence=0.9, score=10)
    assessment = Assessment(disease="白疕", disease_id="disease.psoriasis", syndrome=call)
    plan = TreatmentPlan(formula=FormulaRef(name="测试方"), herbs=[HerbDose(name="生地黄", dose_g=15)])
    _, report = run_safety_check(kb, Case(case_id="t"), LesionRepresentation(summary=""), assessment, plan)
    assert report.abstained and "低于阈值0.95" in report.reason
    _, default_report = run_safety_check(
        load_knowledge_base(REPO / "knowledge"), Case(case_id="t"), LesionRepresentation(summary=""), assessment, plan
    )
    assert not default_report.abstained
