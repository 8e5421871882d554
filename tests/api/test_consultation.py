"""End-to-end consultations with the knowledge engine: every example gets its textbook syndrome."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"
EXPECTED: dict[str, dict] = {}
for _answers in sorted(EXAMPLES.glob("expected*.yaml")):
    EXPECTED.update(yaml.safe_load(_answers.read_text(encoding="utf-8")))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_case_gets_its_expected_syndrome_and_formula(system, name: str) -> None:
    expected = EXPECTED[name]
    consultation = system.consult(EXAMPLES / name)
    if expected.get("syndrome"):
        assert consultation.assessment.syndrome is not None
        assert consultation.assessment.syndrome.id == expected["syndrome"]
    assert consultation.safety.abstained is bool(expected["refer"])
    if expected["refer"]:
        assert consultation.plan.herbs == [] and consultation.safety.red_flags
    else:
        assert consultation.plan.formula is not None and consultation.plan.formula.id == expected["formula"]
        assert consultation.plan.herbs and all(h.dose_g > 0 and h.herb_id for h in consultation.plan.herbs)


def test_stasis_case_from_the_textbook_description(system) -> None:
    # 《中医外科学》白疕·气血瘀滞证: thick dark-red plaques, thick scale, purple tongue with stasis spots, choppy pulse.
    case = {
        "case_id": "t-stasis",
        "lesion_description": "银屑病十年，斑块肥厚浸润，色暗红，鳞屑厚积",
        "tongue": "舌质紫暗，有瘀斑",
        "pulse": "脉涩",
    }
    consultation = system.consult(case)
    assert consultation.assessment.syndrome.id == "syn.psoriasis.blood_stasis"
    # 《中医外科学》: 桃红四物汤加减 — the 白疕 variant (生地黄/赤芍, 三棱、莪术 …) is its own entry beside the base.
    assert consultation.plan.formula.id == "formula.taohong_siwu_tang_baibi"
    assert consultation.representation.stage == "静止期"


def test_contra_signs_lower_the_score(system) -> None:
    base = {"case_id": "t-heat", "history": "银屑病，皮损鲜红，新发不断，咽痛", "tongue": "舌红苔黄", "pulse": "脉滑数"}
    contradicted = {**base, "tongue": "舌淡苔白"}
    heat = system.consult(base).assessment.syndrome
    weaker = system.consult(contradicted).assessment
    assert heat.id == "syn.psoriasis.blood_heat"
    weaker_heat = next(c for c in [weaker.syndrome, *weaker.differential] if c.id == heat.id)
    assert weaker_heat.score < heat.score
    assert any(not item.supports and item.term == "tongue.pale" for item in weaker_heat.evidence)


def test_combined_diagnosis_when_two_syndromes_have_their_own_evidence(system) -> None:
    case = {
        "case_id": "t-combined",
        "history": "银屑病3年，近1月皮损鲜红，新发不断，伴关节疼痛、晨僵，阴雨天加重",
        "symptoms": "咽痛，便秘",
        "tongue": "舌红，苔薄黄",
        "pulse": "脉弦数",
    }
    assessment = system.consult(case).assessment
    assert assessment.syndrome.id == "syn.psoriasis.blood_heat"
    assert assessment.secondary_syndrome is not None
    assert assessment.secondary_syndrome.id == "syn.psoriasis.wind_damp_obstruction"
    assert "兼以" in assessment.treatment_principle


def test_thin_evidence_abstains_with_questions(system) -> None:
    consultation = system.consult({"case_id": "t-thin", "history": "银屑病"})
    assert consultation.safety.abstained
    assert consultation.plan.herbs == []
    assert any("舌" in q for q in consultation.safety.questions)


def test_case_id_and_one_line_out_of_scope_abstains(system) -> None:
    consultation = system.consult({"case_id": "t-headache", "history": "头痛三天"})
    assert consultation.safety.abstained
    assert "no in-scope disease" in consultation.safety.reason


def test_beijing_scheme_uses_the_beijing_formula(tmp_path: Path) -> None:
    from derm3r import Derm3R

    beijing = Derm3R(formula_scheme="beijing", retrieval=False)
    consultation = beijing.consult(EXAMPLES / "ps-blood-heat-1.json")
    assert consultation.plan.formula.id == "formula.liangxue_huoxue_tang"


def test_follow_up_with_the_same_syndrome_keeps_the_previous_prescription(system) -> None:
    consultation = system.consult(EXAMPLES / "ps-damp-toxin-3.json")
    assert any("守前方" in note for note in consultation.plan.notes)
    assert "土茯苓" in {h.name for h in consultation.plan.herbs}
    assert consultation.representation.change_since_last_visit


def test_follow_up_with_a_changed_syndrome_changes_the_formula(system) -> None:
    consultation = system.consult(EXAMPLES / "ps-blood-dryness-3.json")
    assert any("更方" in note for note in consultation.plan.notes)


def test_modifications_follow_the_symptoms(system) -> None:
    case = {
        "case_id": "t-mod",
        "history": "银屑病，皮损鲜红，新发不断，大便干结",
        "tongue": "舌红苔黄",
        "pulse": "脉数",
    }
    plan = system.consult(case).plan
    assert any("大便干结" in m.trigger for m in plan.modifications)
    without = system.consult({**case, "history": "银屑病，皮损鲜红，新发不断，大便正常"}).plan
    assert not any("大便干结" in m.trigger for m in without.modifications)
