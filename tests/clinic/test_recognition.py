"""Disease recognised from the description: profiles, the differential, 牛皮癣 by morphology, referral-only entries.

Expected answers follow 《中医外科学》's disease chapters: 蛇串疮 is clustered vesicles in a
unilateral band with pain; 白疕 is layered silvery scale with pinpoint bleeding (薄膜现象、点状出血);
牛皮癣 (TCM: neurodermatitis) is lichenified plaques with paroxysmal itch; 天疱疮 (flaccid bullae,
Nikolsky positive) is referred; 黄水疮 is honey-coloured crusts on pustules.
"""

from __future__ import annotations

import itertools

import pytest

from derm3r.clinic.recognize import disease_differential, rank_diseases
from derm3r.kb.check import check_knowledge_base
from derm3r.text.signs import extract_signs


def _present(kb, text: str) -> set[str]:  # type: ignore[no-untyped-def]
    return extract_signs(kb, None, {"lesion_description": text}).present_ids


@pytest.mark.parametrize(
    ("text", "disease"),
    [
        ("右侧胁肋部条带状红色丘疹，上有成簇水疱，疱壁紧张，灼痛", "disease.herpes_zoster"),
        ("口周红斑上脓疱，疱壁松弛，破后结蜜黄色脓痂", "disease.impetigo"),
        ("左小腿突然红肿热痛，色如涂丹，边界清楚，伴寒战高热", "disease.erysipelas"),
        ("双小腿伸侧数个鲜红色结节，压痛明显", "disease.erythema_nodosum"),
        ("躯干先出现一块较大椭圆形淡红斑，后泛发椭圆形斑，长轴与肋骨平行，覆糠秕状鳞屑", "disease.pityriasis_rosea"),
        ("手背多个虹膜样红斑，中央有水疱", "disease.erythema_multiforme"),
        ("鼻头潮红，毛细血管扩张，散在丘疹", "disease.rosacea"),
        ("腋下数个半球形丘疹，表面光亮如蜡，中央有凹陷", "disease.molluscum"),
        ("趾缝浸渍发白，瘙痒，有异味", "disease.tinea_pedis"),
        ("嘴角起泡，一簇小水疱，每逢感冒发烧后同一部位反复", "disease.herpes_simplex"),
    ],
)
def test_disease_is_recognised_from_its_description_without_its_name(kb, text: str, disease: str) -> None:
    ranked = rank_diseases(kb, _present(kb, text))
    assert ranked and ranked[0].disease.id == disease, [(item.disease.id, item.score) for item in ranked[:3]]


def test_niupixuan_is_disambiguated_by_morphology(kb) -> None:
    psoriasis = rank_diseases(kb, _present(kb, "牛皮癣多年，肘膝伸侧红斑上覆多层银白色鳞屑，刮之点状出血"))
    lichen = rank_diseases(kb, _present(kb, "牛皮癣多年，颈后苔藓样变，皮肤增厚，阵发性剧痒"))
    assert psoriasis[0].disease.id == "disease.psoriasis"
    assert lichen[0].disease.id == "disease.neurodermatitis"


def test_differential_carries_evidence_for_and_against(kb) -> None:
    present = _present(kb, "躯干环状红斑，边缘隆起，有细小鳞屑，中央色淡，瘙痒")
    candidates = disease_differential(kb, rank_diseases(kb, present))
    assert candidates[0].disease_id == "disease.tinea_corporis"
    assert 0 < candidates[0].confidence <= 1
    assert all(a.confidence >= b.confidence for a, b in itertools.pairwise(candidates))
    assert any(item.supports for item in candidates[0].evidence)
    against = rank_diseases(kb, _present(kb, "环状红斑，边缘隆起，上覆银白色鳞屑"))
    tinea = next(item for item in against if item.disease.id == "disease.tinea_corporis")
    assert any(not item.supports for item in tinea.evidence)


def test_a_blistering_disease_the_clinic_must_not_treat_is_referred(system) -> None:
    consultation = system.consult(
        {"case_id": "pem", "lesion_description": "躯干、四肢松弛大疱，疱壁薄易破裂，尼氏征阳性，口腔黏膜糜烂"}
    )
    assert consultation.safety.abstained and consultation.safety.red_flags
    assert consultation.plan.herbs == []
    assert consultation.assessment.disease_differential


def test_an_unknown_skin_complaint_is_not_forced_into_a_known_disease(system) -> None:
    consultation = system.consult({"case_id": "oos", "history": "腋下多汗两年，无皮疹"})
    assert consultation.safety.abstained and consultation.plan.herbs == []


def test_consultation_shows_the_disease_differential(system) -> None:
    consultation = system.consult(
        {
            "case_id": "hz",
            "lesion_description": "左侧腰部一串成簇水疱，呈带状分布，火辣辣地疼",
            "tongue": "舌红苔黄",
            "pulse": "脉弦数",
        }
    )
    assert consultation.assessment.disease == "蛇串疮"
    top = consultation.assessment.disease_differential[0]
    assert top.name == "蛇串疮" and {item.term for item in top.evidence} >= {"morphology.clustered_vesicles"}


def test_knowledge_base_covers_the_skin_chapter(kb) -> None:
    assert check_knowledge_base(kb).ok
    assert len(kb.diseases) >= 35
    treated = [d for d in kb.diseases.values() if d.scope == "treat"]
    for disease in treated:
        assert disease.syndromes and disease.source
        for syndrome_id in disease.syndromes:
            assert kb.syndromes[syndrome_id].formulas
    refer = {d.name for d in kb.diseases.values() if d.scope == "refer"}
    assert {"天疱疮", "皮痹", "肌痹", "红蝴蝶疮"} <= refer


def test_a_thin_hint_never_calls_a_critical_pattern(system) -> None:
    # 《中医外科学》白疕 火毒炽盛证 is the erythrodermic/pustular presentation (全身皮肤潮红肿胀、大量脱屑或密布脓疱，
    # 壮热); scattered papules with scale, fever and mucosal involvement denied, state none of it and must not refer.
    consultation = system.consult({"case_id": "thin", "history": "全身散在丘疹鳞屑，否认发热，否认黏膜受累"})
    assert not consultation.safety.red_flags and not consultation.safety.referral
    syndrome = consultation.assessment.syndrome
    assert syndrome is None or syndrome.name != "火毒炽盛证"
