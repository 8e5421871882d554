"""Diseases added for dev9's misses (kb5, session 14): named from their described signs, then referred or treated.

Right answers, from the sources the entries cite (knowledge/diseases/measles.yaml, hand_foot_mouth.yaml, behcet.yaml,
vasculitis.yaml, pyoderma_gangrenosum.yaml, varicella.yaml, purpura.yaml, furuncle.yaml):
- Koplik spots and a rash that starts behind the ears and spreads down are measles (WS 296-2017), a notifiable disease
  that is referred; a morbilliform drug rash, 荨麻疹 and a measles vaccine in the history are not measles.
- Blisters in a young child's mouth with blisters on the palms and soles are hand, foot and mouth disease
  (《手足口病诊疗指南（2018年版）》), notifiable and referred; an adult's blistered soles are not.
- Recurrent mouth ulcers with genital ulcers, eye inflammation or pathergy are Behçet's (ICBD 2014: 4 points), 狐惑病,
  referred to rheumatology; a single mouth ulcer is not.
- A new temporal headache with jaw claudication or an abnormal temporal artery over 50 is giant cell arteritis (2022
  ACR/EULAR), 脉痹, referred the same day.
- An ulcer with an undermined violaceous edge that grows fast or after debridement, beside bowel disease, is pyoderma
  gangrenosum (Maverakis 2018), referred; a venous ulcer with a flat edge is 臁疮.
- Dewdrop vesicles in crops of papules, vesicles and crusts are chickenpox (《中医儿科学》水痘), treated by syndrome in
  an adult without red flags (邪伤肺卫证 银翘散) and referred in pregnancy; a band of grouped vesicles is zoster.
- Non-blanching purpura is 紫癜 (《中医儿科学》紫癜): a child's purpura after a sore throat without fever is treated
  (风热伤络证 银翘散); with fever it is referred (NICE NG240). 紫癜风 (lichen planus) and a tongue's 瘀斑 are not 紫癜.
- A small hard deep-rooted boil is 疔疮 (《中医外科学》疔疮: 火毒凝结证, 五味消毒饮合黄连解毒汤); its 走黄
  (疮顶陷黑无脓, 肿势散漫) is referred.
The wordings are the test's own, not the dev cases'.
"""

from __future__ import annotations

from typing import Any

import pytest


def _consult(system, age: float, sex: str = "M", **fields: str) -> Any:  # type: ignore[no-untyped-def]
    return system.consult({"case_id": "named", "patient": {"sex": sex, "age": age}, **fields})


REFERRED = [
    (
        "麻疹",
        3,
        {
            "chief_complaint": "发热咳嗽3天，今天出疹",
            "lesion_description": "颊黏膜见数个针尖大小灰白色小点；红色斑丘疹始于耳后发际，渐及面颈部",
        },
    ),
    (
        "麻疹",
        4,
        {
            "chief_complaint": "Fever, cough and red eyes for four days",
            "lesion_description": "Koplik spots inside the cheeks; a blotchy red rash that started behind the ears.",
        },
    ),
    ("麻疹", 2, {"lesion_description": "頰黏膜針尖大灰白色小點，紅色斑丘疹先見於耳後髮際"}),
    ("手足口病", 2, {"lesion_description": "口腔颊黏膜及舌上散在疱疹，手掌、足底散在小水疱"}),
    ("手足口病", 3, {"chief_complaint": "孩子嘴里起泡不肯吃饭，手心脚心也起了小泡"}),
    ("手足口病", 2, {"lesion_description": "Blisters in the mouth, and small blisters on the palms and soles."}),
    ("狐惑病", 30, {"history": "口腔溃疡反复发作多年，外阴也溃烂过", "symptoms": "近日眼红，视物模糊"}),
    (
        "狐惑病",
        28,
        {
            "history": "Recurrent mouth ulcers for years; genital ulcers twice.",
            "symptoms": "A red, painful eye with blurred vision.",
        },
    ),
    ("狐惑病", 35, {"history": "口腔潰瘍反覆發作三年，外陰潰瘍，抽血針眼處次日起膿皰，針刺後加重"}),
    ("脉痹", 75, {"symptoms": "右侧太阳穴疼痛一月，咀嚼时下颌酸痛，昨天右眼一过性黑矇"}),
    (
        "脉痹",
        72,
        {"symptoms": "New headache at the temple; jaw pain when chewing; the temporal artery is thick and tender."},
    ),
    (
        "坏疽性脓皮病",
        40,
        {"history": "溃疡性结肠炎病史", "lesion_description": "小腿溃疡迅速扩大，边缘紫红色，潜行破坏"},
    ),
    (
        "坏疽性脓皮病",
        45,
        {
            "history": "Crohn's disease.",
            "lesion_description": "A leg ulcer with an undermined violet edge that got bigger after debridement.",
        },
    ),
    ("疔疮", 23, {"lesion_description": "上唇疔疮挤压后疮顶陷黑无脓，肿势散漫", "symptoms": "寒战高热，头痛"}),
]


@pytest.mark.parametrize(("disease", "age", "fields"), REFERRED)
def test_a_described_referral_disease_is_named_and_referred(
    system,
    disease: str,
    age: float,  # type: ignore[no-untyped-def]
    fields: dict[str, str],
) -> None:
    result = _consult(system, age, **fields)
    assert result.assessment.disease == disease
    assert result.safety.red_flags and result.safety.referral


def test_chickenpox_in_an_adult_without_red_flags_is_treated_by_syndrome(system) -> None:  # type: ignore[no-untyped-def]
    result = _consult(
        system,
        25,
        lesion_description="头面、躯干散在红色丘疹、水疱，疱如露珠，丘疹、水疱、结痂同时存在",
        symptoms="微痒，鼻塞流涕",
        tongue="舌苔薄白",
        pulse="脉浮数",
    )
    assert result.assessment.disease == "水痘"
    assert not result.safety.referral
    assert result.assessment.syndrome is not None and result.assessment.syndrome.name == "邪伤肺卫证"
    assert result.plan.formula is not None and result.plan.formula.id == "formula.yinqiao_san"


def test_chickenpox_in_pregnancy_is_named_and_referred(system) -> None:  # type: ignore[no-untyped-def]
    result = _consult(
        system, 29, "F", chief_complaint="怀孕20周，出水痘两天", lesion_description="躯干散在水疱，分批出现"
    )
    assert result.assessment.disease == "水痘"
    assert result.safety.referral


def test_a_childs_purpura_after_a_sore_throat_without_fever_is_treated(system) -> None:  # type: ignore[no-untyped-def]
    result = _consult(
        system,
        8,
        history="一周前咽痛",
        lesion_description="双下肢对称分布紫红色瘀点，略高出皮面",
        symptoms="无发热，无腹痛，小便正常",
        tongue="舌红，苔薄黄",
        pulse="脉浮数",
    )
    assert result.assessment.disease == "紫癜"
    assert not result.safety.referral
    assert result.assessment.syndrome is not None and result.assessment.syndrome.name == "风热伤络证"
    assert result.plan.formula is not None and result.plan.formula.id == "formula.yinqiao_san"


def test_a_childs_purpura_with_fever_is_referred(system) -> None:  # type: ignore[no-untyped-def]
    result = _consult(
        system, 5, lesion_description="躯干四肢针尖大小紫红色瘀点，压之不褪色", symptoms="发热38.9℃，精神差"
    )
    assert result.assessment.disease == "紫癜"
    assert result.safety.referral


def test_a_finger_boil_is_treated_as_dingchuang(system) -> None:  # type: ignore[no-untyped-def]
    result = _consult(
        system,
        40,
        lesion_description="右手食指末节红肿，疮形如粟，坚硬根深，灼热疼痛",
        tongue="舌红，苔黄",
        pulse="脉数",
    )
    assert result.assessment.disease == "疔疮"
    assert not result.safety.referral
    assert result.plan.formula is not None and result.plan.formula.id == "formula.wuwei_xiaodu_he_huanglian_jiedu_tang"


@pytest.mark.parametrize(
    ("age", "fields", "disease"),
    [
        (30, {"lesion_description": "服阿莫西林后躯干四肢麻疹样红斑，瘙痒"}, "麻疹"),
        (30, {"chief_complaint": "慢性荨麻疹反复一年", "lesion_description": "风团时起时消"}, "麻疹"),
        (4, {"history": "已接种麻疹疫苗、麻风疫苗", "lesion_description": "双颊红斑丘疹，瘙痒"}, "麻疹"),
        (4, {"history": "已接种麻风疫苗", "lesion_description": "双颊红斑丘疹，瘙痒"}, "麻风"),
        (30, {"lesion_description": "足底散在深在性小水疱，瘙痒，趾间浸渍发白"}, "手足口病"),
        (30, {"lesion_description": "口腔溃疡一周，疼痛"}, "狐惑病"),
        (35, {"lesion_description": "小腿内侧溃疡多年，边缘平坦，周围色素沉着，青筋暴露"}, "坏疽性脓皮病"),
        (50, {"lesion_description": "左胸胁成簇水疱，呈带状分布，不过正中线", "symptoms": "刺痛"}, "水痘"),
        (6, {"history": "小时候出过水痘", "lesion_description": "肘窝、腘窝红斑丘疹，干燥瘙痒"}, "水痘"),
        (40, {"lesion_description": "腕部紫红色多角形扁平丘疹，表面有Wickham纹，瘙痒"}, "紫癜"),
        (40, {"lesion_description": "小腿红斑丘疹渗出，瘙痒", "tongue": "舌暗有瘀斑"}, "紫癜"),
        (20, {"lesion_description": "面部散在丘疹、脓头，黑头粉刺"}, "疔疮"),
    ],
)
def test_look_alikes_denials_and_vaccines_name_none_of_them(
    system,
    age: float,  # type: ignore[no-untyped-def]
    fields: dict[str, str],
    disease: str,
) -> None:
    assert _consult(system, age, **fields).assessment.disease != disease
