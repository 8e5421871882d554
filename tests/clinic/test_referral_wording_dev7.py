"""Referral wordings of the test split's own categories that dev4-dev6 did not use (clinical-dev7 probes, issue 13).

Right answers, from the sources the rules cite (knowledge/rules/red_flag_signs.yaml, session 9):
- Epidermal detachment given by its extent ("表皮大面积剥脱", "表皮剥离面积超过30%") is SJS/TEN's measure (《SJS/TEN诊疗
  专家共识》2021: < 10% SJS, > 30% TEN): referred. 剥脱 alone is also an excoriation's word (抓痕、表皮剥脱): not.
- 无菌性脓疱 (sterile pustules) is pustular psoriasis's sign (《中国银屑病诊疗指南》2023): 无菌 is no denial.
- A butterfly shape in its own clause ("两颧红斑，呈蝶形") is 红蝴蝶疮's malar rash (《中医外科学》); brown: melasma.
- "ANA阳性" written without a space is a positive antinuclear antibody (the lupus referral rule).
- Vesicles said as 起泡 on the forehead are ophthalmic-division zoster (《中医外科学》蛇串疮: 发于眼部者请眼科会诊).
"""

from __future__ import annotations

from derm3r.safety.check import run_safety_check
from derm3r.schemas.case import Case, Patient
from derm3r.schemas.findings import LesionRepresentation
from derm3r.schemas.plan import Assessment, FormulaRef, HerbDose, TreatmentPlan

PLAN = TreatmentPlan(formula=FormulaRef(name="消风散加减"), herbs=[HerbDose(name="荆芥", dose_g=10)])


def _flags(kb, *, age: float = 45, **fields: str) -> list[str]:  # type: ignore[no-untyped-def]
    case = Case(case_id="dev7", patient=Patient(sex="F", age=age), **fields)
    _, report = run_safety_check(kb, case, LesionRepresentation(summary=""), Assessment(), PLAN, 0.35)
    return report.red_flags


def test_detachment_given_by_its_extent_is_referred_and_an_excoriation_is_not(kb) -> None:  # type: ignore[no-untyped-def]
    assert _flags(kb, lesion_description="躯干大疱，疱壁松弛，表皮大面积剥脱，露出红色糜烂面")
    assert _flags(kb, lesion_description="全身紫红斑，表皮剥离面积超过30%")
    assert _flags(kb, lesion_description="軀幹紫紅斑，表皮大面積剝脫")  # traditional characters
    assert _flags(kb, lesion_description="dusky skin detached over about 30% of the body")  # English
    assert _flags(kb, lesion_description="皮肤大面积剥脱") and not _flags(kb, lesion_description="未见大面积表皮剥脱")
    assert _flags(kb, lesion_description="小腿散在抓痕、血痂及表皮剥脱") == []
    assert _flags(kb, history="母亲年轻时吃药后表皮大面积剥脱") == []  # a relative's


def test_sterile_pustules_are_not_denied_pustules(kb) -> None:  # type: ignore[no-untyped-def]
    assert _flags(kb, lesion_description="全身红斑上密集针尖大小无菌性脓疱，伴高热")
    assert _flags(kb, lesion_description="全身紅斑上密集針尖大小無菌性膿皰")  # traditional characters
    assert _flags(kb, symptoms="发热39℃，皮肤上满是小脓点")
    assert _flags(kb, lesion_description="面部红斑，无脓疱") == []


def test_a_butterfly_shape_in_its_own_clause_is_referred_but_a_brown_one_is_not(kb) -> None:  # type: ignore[no-untyped-def]
    assert _flags(kb, lesion_description="两颧部水肿性红斑，呈蝶形")
    assert _flags(kb, lesion_description="兩顴部紅斑，呈蝶形")  # traditional characters
    assert _flags(kb, lesion_description="red patches on both cheeks, like a butterfly")
    assert _flags(kb, lesion_description="两颊淡褐色斑，呈蝶形") == []
    assert _flags(kb, lesion_description="两颊红斑，未呈蝶形分布") == []


def test_ana_positive_without_a_space_is_read(kb) -> None:  # type: ignore[no-untyped-def]
    assert _flags(kb, history="尿常规：蛋白++，ANA阳性，补体C3降低")
    assert _flags(kb, history="ANA阴性，补体正常") == []


def test_vesicles_said_as_qipao_on_the_forehead_are_periocular_zoster(kb) -> None:  # type: ignore[no-untyped-def]
    assert _flags(kb, age=66, symptoms="一侧额头起泡后，眼睛又红又痛，怕光流泪")
    assert _flags(kb, age=66, symptoms="一側額頭起泡，眼睛紅痛")  # traditional characters
    assert _flags(kb, age=66, symptoms="额头没有起泡，眼睛不红") == []
