"""Referral reasons carried by the patient's context or described in classical words (clinical-dev5, issue 13).

Right answers, from the sources the rules cite (knowledge/rules/red_flags.yaml, red_flag_signs.yaml):
- Shingles in an immunosuppressed patient (organ transplant, chemotherapy, immunosuppressants) is treated with
  systemic antivirals under a specialist, in hospital when disseminated (《带状疱疹中国专家共识》2018; NICE CKS
  Shingles); the same shingles in a patient who merely has diabetes is treated in clinic.
- Genital herpes in pregnancy is referred to obstetrics (RCOG/BASHH 2014); the same vesicles in a woman who is not
  pregnant are not (tests/safety/test_safety_local_findings.py keeps that).
- 雷公藤 (tripterygium), retinoids and methotrexate are contraindicated in pregnancy (their labels; 《中国银屑病诊疗
  指南（2018完整版）》): a pregnant patient taking one is referred; a man who took methotrexate is not.
- A chronic ulcer whose edge heaps up like a cauliflower, or a pearly nodule with fine vessels and a sore that does
  not heal, is biopsied (《中医外科学》臁疮: 边缘翻花者取病理; NICE NG12); a venous ulcer with flat edges is not.
- Eyelid swelling with pain on moving the eye or double vision and fever is orbital cellulitis (NICE CKS
  Cellulitis — periorbital/orbital): emergency.
- Classical wording of known red flags: 疱壁薄如纸 (flaccid roofs) and 衣被摩擦处外皮随之脱去 (Nikolsky) in
  天疱疮 (《中医外科学》); 目赤、羞明、视物昏花 with vesicles on the forehead (ophthalmic zoster); a wound that
  spreads within hours (IDSA 2014, necrotising infection); a blue-black lump that keeps growing (ABCDE's E, EFG).
"""

from __future__ import annotations

import pytest

from derm3r.safety.check import run_safety_check
from derm3r.schemas.case import Case, Patient
from derm3r.schemas.findings import LesionRepresentation
from derm3r.schemas.plan import Assessment, FormulaRef, HerbDose, TreatmentPlan

PLAN = TreatmentPlan(formula=FormulaRef(name="消风散加减"), herbs=[HerbDose(name="荆芥", dose_g=10)])


def _flags(kb, *, pregnant: bool | None = None, sex: str = "F", **fields: str) -> list[str]:  # type: ignore[no-untyped-def]
    case = Case(case_id="context", patient=Patient(sex=sex, age=40, pregnant=pregnant), **fields)
    _, report = run_safety_check(kb, case, LesionRepresentation(summary=""), Assessment(), PLAN, 0.35)
    return report.red_flags


ZOSTER = "左胸背沿肋间成簇水疱，排列成带状"


def test_shingles_in_a_transplant_or_chemotherapy_patient_is_referred(kb) -> None:  # type: ignore[no-untyped-def]
    assert _flags(kb, history="肾移植术后，服他克莫司", lesion_description=ZOSTER)
    assert _flags(kb, history="On chemotherapy for lymphoma.", lesion_description=ZOSTER)
    assert _flags(kb, history="糖尿病，口服二甲双胍", lesion_description=ZOSTER) == []


def test_genital_herpes_is_referred_in_pregnancy_only(kb) -> None:  # type: ignore[no-untyped-def]
    lesion = "大阴唇内侧一簇针头大小水疱，部分破溃"
    assert _flags(kb, pregnant=True, lesion_description=lesion)
    assert _flags(kb, history="怀孕37周", lesion_description=lesion)
    assert _flags(kb, pregnant=False, lesion_description=lesion) == []


def test_a_teratogenic_drug_in_pregnancy_is_referred(kb) -> None:  # type: ignore[no-untyped-def]
    plaque = "躯干红色斑块，上覆银白色鳞屑"
    assert _flags(kb, history="停经7周，自测怀孕。一直在吃雷公藤多苷片。", lesion_description=plaque)
    assert _flags(kb, sex="M", history="一直在吃雷公藤多苷片。", lesion_description=plaque) == []


@pytest.mark.parametrize(
    "lesion",
    ["右小腿内侧溃疡，边缘翻起如菜花，一碰就出血", "鼻翼旁一颗结节，表面珍珠样光泽，可见细小血丝，中央溃破结痂"],
    ids=["cauliflower ulcer", "pearly nodule"],
)
def test_a_lesion_turning_malignant_is_referred(kb, lesion: str) -> None:  # type: ignore[no-untyped-def]
    assert _flags(kb, lesion_description=lesion)


@pytest.mark.parametrize(
    "lesion",
    ["左内踝上方溃疡，边缘平整，肉芽淡红，周围皮肤紫褐", "腹部散在半球形丘疹，表面珍珠样光泽，中央脐凹"],
    ids=["venous ulcer", "molluscum"],
)
def test_an_ordinary_ulcer_or_pearly_papule_is_not(kb, lesion: str) -> None:  # type: ignore[no-untyped-def]
    assert _flags(kb, lesion_description=lesion) == []


def test_eyelid_swelling_with_pain_on_eye_movement_and_fever_is_referred(kb) -> None:  # type: ignore[no-untyped-def]
    lesion = "右上下眼睑红肿发亮，灼热"
    assert _flags(kb, lesion_description=lesion, symptoms="眼球转动时疼痛，发烧38.9℃")
    assert _flags(kb, lesion_description=lesion, symptoms="看东西有重影，发热")


@pytest.mark.parametrize(
    "fields",
    [
        {"lesion_description": "胸背散在水疱，疱壁薄如纸，稍碰即溃，溃后糜烂"},
        {"lesion_description": "胸背糜烂，衣被摩擦处外皮随之脱去"},
        {"lesion_description": "左额颞部集簇水疱", "symptoms": "左目赤痛，羞明流泪，视物昏花"},
        {"chief_complaint": "被鱼刺扎了手，几个小时就肿到胳膊肘上"},
        {"chief_complaint": "A dark blue-black bump on my arm that keeps getting bigger"},
    ],
    ids=["paper-thin roof", "rubbed off by clothes", "ophthalmic zoster classical", "spread in hours", "growing lump"],
)
def test_classical_and_lay_wordings_of_known_red_flags(kb, fields: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert _flags(kb, **fields)


def test_impetigo_thin_roofs_are_no_flaccid_bullae(kb) -> None:  # type: ignore[no-untyped-def]
    assert _flags(kb, lesion_description="口周脓疱，疱壁薄，稍碰即破，结蜜黄色痂") == []
