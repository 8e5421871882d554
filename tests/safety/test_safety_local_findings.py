"""Local findings that resemble a red flag's words but are not the dangerous presentation (issue 13 dev).

Right answers, from the sources the rules cite:
- Erythroderma is diffuse redness of ≥ 90% of the body surface (《中医外科学》白疕·红皮病型：全身皮肤弥漫性
  潮红); a face or the backs of the hands flushed after a contact (接触性皮炎) is not it — but the whole body is.
- SJS/TEN needs erosions of two mucosae (《中国重症多形红斑/SJS/TEN诊疗专家共识》); 大阴唇 (the labia) is the
  genital mucosa only, not the mouth (唇 inside 阴唇).
- Eczema herpeticum is umbilicated *vesicles* or punched-out erosions; 鼠乳's pearly papules have a central
  umbilication too (《中医外科学》鼠乳) and are no emergency.
- A lichenified plaque whose skin ridges stand up (皮嵴隆起, 《中医外科学》牛皮癣) is not a mole that rises
  (E of ABCDE).
"""

from __future__ import annotations

import pytest

from derm3r.safety.check import run_safety_check
from derm3r.schemas.case import Case
from derm3r.schemas.findings import LesionRepresentation
from derm3r.schemas.plan import Assessment, FormulaRef, HerbDose, TreatmentPlan

PLAN = TreatmentPlan(formula=FormulaRef(name="消风散加减"), herbs=[HerbDose(name="荆芥", dose_g=10)])


def _flags(kb, lesion: str) -> list[str]:  # type: ignore[no-untyped-def]
    case = Case(case_id="local", lesion_description=lesion)
    _, report = run_safety_check(kb, case, LesionRepresentation(summary=""), Assessment(), PLAN, 0.35)
    return report.red_flags


@pytest.mark.parametrize(
    "lesion",
    [
        "面部、双手背及前臂暴露部位弥漫潮红肿胀，密集丘疹",
        "大阴唇内侧一簇针头大小水疱，部分破溃糜烂",
        "腹部散在半球形丘疹，表面蜡样光泽，中央凹陷，可挤出白色乳酪样物",
        "项后淡褐色斑块，皮纹加深，皮嵴隆起，干燥粗糙",
    ],
    ids=["local flush", "labial vesicles", "molluscum", "lichenified plaque"],
)
def test_a_local_finding_is_not_referred(kb, lesion: str) -> None:
    assert _flags(kb, lesion) == []


@pytest.mark.parametrize(
    "lesion",
    [
        "全身皮肤弥漫潮红，大量脱屑",
        "周身弥漫潮红肿胀，伴大量脱屑",
        "原有皮炎部位出现密集成簇小水疱，中央脐凹",
        "口唇糜烂结痂，外阴糜烂",
    ],
    ids=["erythroderma", "erythroderma composed", "eczema herpeticum", "two mucosae"],
)
def test_the_dangerous_presentation_still_is(kb, lesion: str) -> None:
    assert _flags(kb, lesion)


def _flags_at(kb, lesion: str, age: int) -> list[str]:  # type: ignore[no-untyped-def]
    case = Case(case_id="local", lesion_description=lesion, patient={"age": age})
    _, report = run_safety_check(kb, case, LesionRepresentation(summary=""), Assessment(), PLAN, 0.35)
    return report.red_flags


def test_zosters_taut_clustered_vesicles_in_an_older_patient_are_not_pemphigoid(kb) -> None:
    """《中医外科学》蛇串疮: 簇集水疱，疱壁紧张，带状排列 — the textbook's words for zoster, not tense bullae."""
    assert _flags_at(kb, "右胸背沿肋间一带红斑上数簇绿豆大水疱，疱壁紧张发亮", 61) == []
    assert _flags_at(kb, "腹部、大腿内侧红斑上多个张力性大疱，疱液澄清", 81)


def test_a_pared_warts_black_dots_and_pinpoint_bleeding_are_no_bleeding_mole(kb) -> None:
    """《中医外科学》疣·跖疣: 削去角质后见点状出血及小黑点 (thrombosed capillaries); a bleeding mole still is."""
    assert _flags_at(kb, "右足底黄豆大角化性丘疹，表面粗糙，削去角质后见小黑点和点状出血", 27) == []
    assert _flags_at(kb, "背部黑痣近来出血、结痂", 46)


def test_a_mole_with_pinpoint_bleeding_of_its_own_still_refers(kb) -> None:
    """ABCDE: a mole that bleeds is a warning sign however small the bleeding; only bleeding brought out by
    paring a wart or scraping a psoriatic scale (Auspitz sign, 《中医外科学》白疕 刮之点状出血) is no mole's."""
    assert _flags_at(kb, "背上一颗黑痣，表面点状出血", 52)
    assert _flags_at(kb, "A black mole on my back with pinpoint bleeding on its surface", 52)
    assert _flags_at(kb, "肘部褐色斑上覆银白色鳞屑，刮之点状出血", 35) == []
