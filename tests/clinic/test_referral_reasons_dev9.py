"""Referral reasons of kinds dev4-dev8 lacked (clinical-dev9, session 12), read from knowledge/rules by safety.

Right answers, from the sources the rules cite (knowledge/rules/red_flags.yaml, red_flag_signs.yaml, session 12):
- The ophthalmic division of the trigeminal nerve supplies the scalp up to the vertex: grouped vesicles there (or on
  the face) with a red, watering or painful eye or a clouded view is ophthalmic zoster, seen by an eye doctor the same
  day (《带状疱疹中国专家共识》2018; NICE CKS Shingles). Hand eczema's vesicles with itchy eyes are not.
The wordings are the test's own, not the dev9 cases'.
"""

from __future__ import annotations

from derm3r.safety.check import run_safety_check
from derm3r.schemas.case import Case, Patient
from derm3r.schemas.findings import LesionRepresentation
from derm3r.schemas.plan import Assessment, FormulaRef, HerbDose, TreatmentPlan

PLAN = TreatmentPlan(formula=FormulaRef(name="消风散加减"), herbs=[HerbDose(name="荆芥", dose_g=10)])


def _flags(kb, *, age: float = 40, sex: str = "F", pregnant: bool | None = None, **fields: str) -> list[str]:  # type: ignore[no-untyped-def]
    patient = Patient(sex=sex, age=age, pregnant=pregnant) if pregnant else Patient(sex=sex, age=age)
    case = Case(case_id="dev9", patient=patient, **fields)
    _, report = run_safety_check(kb, case, LesionRepresentation(summary=""), Assessment(), PLAN, 0.35)
    return report.red_flags


def test_scalp_zoster_with_eye_symptoms_is_ophthalmic_zoster(kb) -> None:  # type: ignore[no-untyped-def]
    assert _flags(kb, age=70, lesion_description="右侧头顶成簇小水疱，部分结痂", symptoms="右眼红，怕光，眼泪止不住")
    assert _flags(kb, age=70, lesion_description="Clusters of blisters in the hair on the left side of the head.",
                  symptoms="The left eye is gritty and everything looks foggy.")
    traditional = "左眼脹痛，看東西像蒙了一層紗"
    assert _flags(kb, age=70, lesion_description="頭皮左側簇集水皰", symptoms=traditional)
    assert _flags(kb, age=70, lesion_description="头皮左侧成簇水疱", symptoms="眼睛无红痛，视力正常") == []
    assert _flags(kb, age=70, lesion_description="头皮左侧成簇水疱", history="母亲眼睛红痛，看东西模糊") == []
    hand_eczema = "双手指侧缘成簇小水疱，瘙痒"
    assert _flags(kb, lesion_description=hand_eczema, symptoms="眼睛红痒流泪") == []


def test_lupus_known_by_its_organs_or_labs_is_referred(kb) -> None:  # type: ignore[no-untyped-def]
    # 2019 EULAR/ACR SLE criteria: a discoid lesion with an organ domain, two organ domains, or SLE antibodies.
    discoid = "额部两块硬币大暗红斑，中心萎缩凹陷，附着黏着性鳞屑"
    assert _flags(kb, lesion_description=discoid, history="近来深呼吸时右胸刺痛")
    assert _flags(kb, lesion_description="头皮一块斑，头发掉了再也不长", history="查尿蛋白3+")
    assert _flags(kb, lesion_description="Round red plaques on the ears with scarring in the middle.",
                  history="Her urine has been frothy for weeks.")
    assert _flags(kb, lesion_description="面頰兩塊紅斑，中央萎縮", history="雙腿浮腫，小便泡沫多")  # traditional
    assert _flags(kb, history="Bloods: low platelets and protein in her urine.")
    assert _flags(kb, history="抗SSA抗体阳性")
    assert _flags(kb, history="补体C3降低")
    atrophic = "面部红斑，中央萎缩"
    assert _flags(kb, lesion_description=atrophic, history="无胸痛，无抽搐，尿常规正常") == []
    assert _flags(kb, lesion_description=atrophic, history="母亲有狼疮肾炎、蛋白尿，抽搐过") == []
    assert _flags(kb, lesion_description=atrophic, history="血小板 162×10^9/L，尿蛋白阴性") == []
    assert _flags(kb, lesion_description="手背湿疹", history="糖尿病肾病，尿蛋白2+，胸闷气短，活动后加重") == []
