"""Previous plans are plans (issue 14 step 3): carried-over herbs are checked; a reaction stops 守方.

Right answers from 《中华人民共和国药典》2020年版: 丹参 10–15 g; raw 川乌 not for internal use; 朱砂
and 雄黄 入丸散, not decocted; 藜芦反芍药 (十八反). An adverse reaction after a prescription means
stopping it and re-differentiating (《中药学》 总论·用药禁忌).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from derm3r.case_io import parse_case
from derm3r.errors import CaseInputError

LAST_PLAN = [
    {"name": n, "dose_g": d}
    for n, d in [
        ("水牛角", 30),
        ("生地黄", 15),
        ("赤芍", 10),
        ("牡丹皮", 10),
        ("紫草", 10),
        ("土茯苓", 30),
        ("白茅根", 30),
        ("槐花", 10),
    ]
]
FOLLOW_UP: dict[str, Any] = {
    "case_id": "fu",
    "patient": {"sex": "M", "age": 40},
    "history": "银屑病复诊，皮损仍鲜红，新疹不断，鳞屑较厚，点状出血，心烦口渴，便干",
    "tongue": "舌红苔黄",
    "pulse": "脉滑数",
    "previous_visits": [
        {
            "syndrome": "血热内蕴证",
            "plan": {"formula": "犀角地黄汤加减", "herbs": LAST_PLAN},
            "response": "皮损颜色稍淡",
        }
    ],
}


def _follow_up(extra: list[dict[str, Any]] | None = None, response: str | None = None) -> dict[str, Any]:
    case = copy.deepcopy(FOLLOW_UP)
    case["previous_visits"][0]["plan"]["herbs"] += extra or []
    if response is not None:
        case["previous_visits"][0]["response"] = response
    return case


def test_the_follow_up_keeps_the_previous_plan(system) -> None:
    consultation = system.consult(_follow_up())
    assert any("守前方" in note for note in consultation.plan.notes)


@pytest.mark.parametrize(
    ("extra", "herb", "ceiling"),
    [([{"name": "丹参", "dose_g": 500}], "丹参", 15.0), ([{"name": "细辛", "dose_g": 9}], "细辛", 3.0)],
)
def test_a_carried_over_overdose_is_corrected(system, extra, herb: str, ceiling: float) -> None:
    consultation = system.consult(_follow_up(extra))
    dose = next(h.dose_g for h in consultation.plan.herbs if h.name == herb)
    assert dose == ceiling


@pytest.mark.parametrize("herb", ["川乌", "朱砂", "雄黄", "生半夏"])
def test_a_carried_over_herb_that_may_not_be_decocted_is_removed(system, herb: str) -> None:
    consultation = system.consult(_follow_up([{"name": herb, "dose_g": 0.1}]))
    assert herb not in {h.name for h in consultation.plan.herbs}
    assert any(herb in w.message for w in consultation.safety.warnings)


def test_a_carried_over_incompatible_pair_is_broken(system) -> None:
    consultation = system.consult(_follow_up([{"name": "藜芦", "dose_g": 0.5}]))
    assert "藜芦" not in {h.name for h in consultation.plan.herbs}


def test_a_carried_over_pregnancy_forbidden_herb_is_removed_for_a_pregnant_patient(system) -> None:
    case = _follow_up([{"name": "三棱", "dose_g": 10}])
    case["patient"] = {"sex": "F", "age": 30}
    case["history"] += "，现怀孕10周"
    consultation = system.consult(case)
    assert "三棱" not in {h.name for h in consultation.plan.herbs}


@pytest.mark.parametrize(
    "response",
    [
        "服药后腹泻，皮疹反而加重",
        "吃了药以后起红疹，痒得更厉害",
        "服藥後起紅疹，癢得更厲害",  # traditional
        "after taking the herbs I got diarrhoea and the rash got worse",  # English
    ],
)
def test_an_adverse_reaction_in_the_response_stops_shoufang_and_says_why(system, response: str) -> None:
    consultation = system.consult(_follow_up(response=response))
    assert consultation.plan.herbs == []
    assert "不宜守方" in consultation.safety.reason and "adverse reaction" in consultation.safety.reason


@pytest.mark.parametrize("response", ["服药后皮损变薄，瘙痒减轻", "服药后无不适，皮疹减少"])
def test_a_good_response_keeps_shoufang(system, response: str) -> None:
    consultation = system.consult(_follow_up(response=response))
    assert consultation.plan.herbs and "不宜守方" not in consultation.safety.reason


def test_an_out_of_range_previous_dose_is_an_input_error_naming_the_field() -> None:
    with pytest.raises(CaseInputError, match=r"previous_visits\.0\.plan\.herbs\.8\.dose_g"):
        parse_case(_follow_up([{"name": "丹参", "dose_g": 600}]))


def test_the_cli_exits_2_on_an_out_of_range_previous_dose(tmp_path) -> None:
    import json
    import subprocess
    import sys

    path = tmp_path / "case.json"
    path.write_text(json.dumps(_follow_up([{"name": "丹参", "dose_g": 600}]), ensure_ascii=False), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "derm3r.cli.main", "consult", str(path)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 2 and "dose_g" in result.stderr


def _changed_plan(kb, response: str):  # type: ignore[no-untyped-def]
    """A 更方 plan (two of the last eight herbs kept) checked after the given response."""
    from derm3r.safety.check import run_safety_check
    from derm3r.schemas.case import Case
    from derm3r.schemas.findings import LesionRepresentation
    from derm3r.schemas.plan import Assessment, HerbDose, SyndromeCall, TreatmentPlan

    case = Case.model_validate(_follow_up(response=response))
    assessment = Assessment(disease="白疕", disease_id="disease.psoriasis",
                            syndrome=SyndromeCall(id="syn.psoriasis.blood_heat", name="血热内蕴证", confidence=0.9))
    plan = TreatmentPlan(herbs=[HerbDose(name=n, dose_g=d) for n, d in [("生地黄", 15), ("紫草", 10), ("金银花", 15),
                                                                        ("连翘", 10), ("玄参", 10)]])
    return run_safety_check(kb, case, LesionRepresentation(summary=""), assessment, plan, 0.35)


def test_after_an_allergic_type_reaction_a_changed_plan_drops_the_last_herbs(kb) -> None:
    plan, report = _changed_plan(kb, "服药后起红疹，痒得更厉害")
    assert [herb.name for herb in plan.herbs] == ["金银花", "连翘", "玄参"]
    assert any(w.rule_id == "previous.reaction_suspects_removed" and "生地黄、紫草" in w.message
               for w in report.warnings)


def test_after_another_reaction_a_changed_plan_names_the_herbs_it_kept(kb) -> None:
    plan, report = _changed_plan(kb, "after taking the herbs I got diarrhoea")
    assert len(plan.herbs) == 5
    assert any(w.rule_id == "previous.reaction_suspects_kept" and "生地黄、紫草" in w.message for w in report.warnings)


def test_without_a_reaction_a_changed_plan_is_not_questioned(kb) -> None:
    plan, report = _changed_plan(kb, "皮损颜色稍淡")
    assert len(plan.herbs) == 5 and not [w for w in report.warnings if w.rule_id.startswith("previous.")]
