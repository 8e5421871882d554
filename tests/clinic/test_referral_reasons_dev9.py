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


def test_lesions_that_raise_the_suspicion_of_bcc_or_scc_are_biopsied(kb) -> None:  # type: ignore[no-untyped-def]
    # NICE NG12 1.7; BAD guidelines (Bowen's 2018, BCC 2021, cutaneous SCC 2020).
    assert _flags(kb, age=70, lesion_description="脸颊上一个小溃疡一年多长不好，周围有红血丝")
    assert _flags(kb, age=70, lesion_description="A small sore on his cheek that has not healed in a year; "
                  "the scab falls off and it bleeds again.")
    assert _flags(kb, age=70, lesion_description="額頭一個小瘡兩年不收口，邊緣珍珠樣隆起")  # traditional
    assert _flags(kb, age=70, lesion_description="前臂一个樱桃大结节，中间凹下去像火山口，里面塞满角质")
    assert _flags(kb, age=70, lesion_description="A dome-shaped lump on the forearm with a central keratin plug.")
    assert _flags(kb, age=55, history="肝移植术后服环孢素", lesion_description="头皮一个硬结节，一碰就出血")
    assert _flags(kb, age=55, history="On ciclosporin after a heart transplant.",
                  lesion_description="A crusted bump on the back of the hand that bleeds easily.")
    patch, creams = "腰部一块红色鳞屑斑，这几年逐渐扩大", "按湿疹抹了好多药膏都没用"
    assert _flags(kb, age=75, lesion_description=patch, history=creams)
    assert _flags(kb, age=80, lesion_description="A single pink scaly patch on the shin, slowly getting bigger.",
                  history="Nothing she puts on it has helped.")
    # Look-alikes: a venous ulcer, acne, a healed sore, molluscum, the same patch at 45 or many patches, a lump
    # without bleeding, a bleeding bump without immunosuppression, a pierced ear that weeps.
    assert _flags(kb, age=70, lesion_description="小腿内侧溃疡三年不愈合，周围皮肤紫暗") == []
    assert _flags(kb, age=25, lesion_description="脸上痤疮总不好，满脸红血丝") == []
    assert _flags(kb, age=70, lesion_description="面部小溃疡已愈合，无出血") == []
    assert _flags(kb, age=8, lesion_description="腹部多个珍珠样小丘疹，中央脐凹，可挤出白色乳酪样物") == []
    assert _flags(kb, age=45, lesion_description=patch, history=creams) == []
    assert _flags(kb, age=75, lesion_description="双小腿多片红斑鳞屑，逐渐扩大", history=creams) == []
    assert _flags(kb, age=55, history="肝移植术后服环孢素", lesion_description="头皮一个硬结节，不痛不出血") == []
    assert _flags(kb, age=55, lesion_description="A crusted bump on the back of the hand that bleeds easily.") == []
    assert _flags(kb, age=30, lesion_description="耳垂打耳洞后伤口一直长不好，有时流黄水") == []


def test_advanced_hiv_with_skin_lesions_or_fever_when_immunosuppressed_is_referred(kb) -> None:  # type: ignore[no-untyped-def]
    # 《中国艾滋病诊疗指南》2021 (CD4 < 200/μl); NICE NG51, CG151 (fever in an immunosuppressed patient).
    papules = "面部多个脐凹样丘疹"
    assert _flags(kb, sex="M", history="艾滋病三年，CD4 80个/μl", lesion_description=papules)
    assert _flags(kb, sex="M", history="CD4+T淋巴細胞 35/μl", lesion_description=papules)  # traditional
    assert _flags(kb, sex="M", history="HIV positive, last CD4 count 150.", symptoms="fevers at night for a week")
    assert _flags(kb, age=50, history="乳腺癌化疗中", symptoms="昨天开始发烧38.6℃")
    assert _flags(kb, sex="M", history="HIV感染，规律服药，CD4 650/μl", lesion_description=papules) == []
    assert _flags(kb, history="肾移植术后", symptoms="体温37.3℃") == []


def test_gottron_or_heliotrope_with_muscle_signs_is_dermatomyositis(kb) -> None:  # type: ignore[no-untyped-def]
    # 2017 EULAR/ACR IIM criteria.
    knuckles = "双手指关节背侧紫红色扁平丘疹"
    assert _flags(kb, age=55, lesion_description=knuckles, symptoms="蹲下去就站不起来，梳头胳膊举不起")
    assert _flags(kb, age=55, lesion_description="Purple flat papules over the knuckles.",
                  symptoms="She struggles to climb stairs.")
    assert _flags(kb, age=55, lesion_description="雙手指關節背側紫紅色丘疹", symptoms="喝水容易嗆")  # traditional
    assert _flags(kb, age=55, lesion_description=knuckles, symptoms="四肢有力，吞咽正常") == []
    assert _flags(kb, age=30, lesion_description="手指关节背面紫红肿块，遇冷加重", history="每年冬天发作") == []


def test_temporal_headache_with_jaw_or_eye_signs_over_fifty_is_giant_cell_arteritis(kb) -> None:  # type: ignore[no-untyped-def]
    # 2022 ACR/EULAR GCA criteria; BSR guideline 2020 (same day).
    jaw = "左边太阳穴胀痛一个月，吃饭嚼久了腮帮子酸"
    assert _flags(kb, age=72, symptoms=jaw)
    assert _flags(kb, age=72, symptoms="New headache over the right temple; yesterday the sight in her right eye "
                  "went dark for a few minutes.")
    assert _flags(kb, age=72, history="查体：左颞動脈增粗、壓痛", symptoms="頭痛")  # traditional
    assert _flags(kb, age=35, symptoms=jaw) == []
    assert _flags(kb, age=70, lesion_description="左侧太阳穴成簇水疱，疼痛") == []


def test_an_undermined_or_fast_growing_ulcer_with_bowel_disease_is_pyoderma_gangrenosum(kb) -> None:  # type: ignore[no-untyped-def]
    # Maverakis et al. JAMA Dermatol 2018.
    assert _flags(kb, age=45, history="克罗恩病多年", lesion_description="小腿溃疡两周内迅速扩大，疼痛难忍")
    assert _flags(kb, age=45, lesion_description="A painful leg ulcer with a purple undermined edge; "
                  "it got worse after the surgeon debrided it.")
    assert _flags(kb, age=45, lesion_description="小腿潰瘍，邊緣潛行，疼痛劇烈")  # traditional
    assert _flags(kb, age=70, lesion_description="小腿内侧溃疡三年，疮周皮肤紫暗，边缘形如缸口") == []


def test_itchy_palms_and_soles_in_pregnancy_is_cholestasis_until_shown_otherwise(kb) -> None:  # type: ignore[no-untyped-def]
    # RCOG Green-top Guideline 43 (2022).
    night = "手心脚底痒，晚上更厉害"
    assert _flags(kb, age=30, pregnant=True, chief_complaint="怀孕32周，" + night)
    assert _flags(kb, age=30, pregnant=True, symptoms="Itchy palms and soles for a week, no rash.")
    assert _flags(kb, age=30, pregnant=True, history="孕30周，查血总胆汁酸 35 μmol/L")
    assert _flags(kb, age=30, chief_complaint=night) == []
    assert _flags(kb, age=30, pregnant=True, lesion_description="腹部妊娠纹处红色丘疹风团，瘙痒") == []


def test_an_odd_mole_out_or_hard_nodules_after_a_cancer_are_referred(kb) -> None:  # type: ignore[no-untyped-def]
    # The ugly duckling sign (Grob & Bonerandi 1998); cutaneous metastasis (《皮肤性病学》第8版).
    assert _flags(kb, lesion_description="腿上有颗痣跟其他的长得不一样，颜色更深")
    assert _flags(kb, lesion_description="身上的痣和别的都一样，多年无变化") == []
    assert _flags(kb, age=60, history="肺癌术后两年", lesion_description="头皮摸到两个质硬结节，推不动")
    assert _flags(kb, age=60, history="Treated for bowel cancer last year.",
                  lesion_description="Two hard fixed lumps under the skin of the abdomen.")
    assert _flags(kb, age=30, lesion_description="双小腿伸侧数个鲜红色结节，质硬，压痛") == []
    assert _flags(kb, age=60, history="父亲肺癌", lesion_description="背部一个质硬结节") == []


def test_a_cluster_that_recurs_at_one_spot_beside_the_nose_is_herpes_simplex_not_zoster(kb) -> None:  # type: ignore[no-untyped-def]
    # 《中医外科学》热疮 (易于同一部位反复发作); NICE CKS Herpes simplex — oral. Zoster beside the nose still refers.
    ala = "左侧鼻翼边上一小撮水疱，微痒"
    assert _flags(kb, age=28, lesion_description=ala, history="每逢熬夜就在老地方复发，几天就好") == []
    assert _flags(kb, age=28, lesion_description="A small cluster of blisters on the side of the nose.",
                  history="It comes back in the same spot every winter.") == []
    assert _flags(kb, age=70, lesion_description=ala, history="第一次出，火烧样疼了三天才起疱")
