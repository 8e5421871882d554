"""Past history, the patient's age group and a portal-of-entry history in the disease reading.

Expected answers: 《中医外科学》(全国中医药行业高等教育规划教材) —
白疕 is chronic and 易于复发, its scalp lesions scaly with 束状发, so earlier scalp scaling supports a relapse;
丹毒 is a sudden bright-red, hot, swollen, spreading plaque with 恶寒发热, and 发于下肢者多由脚湿气诱发 (the
tinea is its portal, not the diagnosis); 四弯风's infantile stage (奶癣, 胎敛疮) is red, papular, weeping and
crusted on an infant's cheeks, where the adult with the same eruption has 湿疮.
"""

from __future__ import annotations

from derm3r.clinic.recognize import rank_diseases
from derm3r.text.signs import extract_signs
from tests.clinic.recognitionkit import top_disease

RELAPSE = {
    "history": "以前头皮上有过厚厚的白色鳞屑，后来好了。",
    "lesion_description": "这次小腿伸侧起了几片红斑，上覆鳞屑。",
}


def test_earlier_signs_of_a_recurrent_disease_support_its_relapse(kb) -> None:  # type: ignore[no-untyped-def]
    extracted = extract_signs(kb, None, RELAPSE)
    present, past = extracted.present_ids, {sign.term for sign in extracted.past}
    assert past and not past & present
    with_history = rank_diseases(kb, present, past)
    assert with_history[0].disease.id == "disease.psoriasis"
    history = [item for item in with_history[0].evidence if item.history]
    assert history and all(item.supports for item in history)
    # Weaker than a sign now: the same scale stated present would weigh more.
    now = rank_diseases(kb, present | past)[0]
    assert now.disease.id == "disease.psoriasis" and now.score > with_history[0].score


def test_past_signs_alone_raise_no_disease(kb) -> None:  # type: ignore[no-untyped-def]
    past = {"scale.silvery", "scale.layered", "morphology.auspitz"}
    assert rank_diseases(kb, set(), past) == []
    assert all(item.disease.id != "disease.psoriasis" for item in rank_diseases(kb, {"site.face"}, past))


def test_the_consultation_shows_history_evidence_as_history(system) -> None:  # type: ignore[no-untyped-def]
    consultation = system.consult({"case_id": "relapse", **RELAPSE})
    top = consultation.assessment.disease_differential[0]
    assert top.name == "白疕"
    assert any(item.history for item in top.evidence)
    assert not any(item.history for item in top.evidence if item.term in {s.term for s in
                                                                          consultation.representation.signs})


def test_a_tinea_pedis_history_does_not_outrank_an_acute_erysipelas(kb) -> None:  # type: ignore[no-untyped-def]
    note = {"history": "脚气多年。", "lesion_description": "左小腿突然红肿，色鲜红，边界清楚，灼热疼痛，伴恶寒发热。"}
    assert top_disease(kb, note) == "disease.erysipelas"
    # The tinea itself, without the acute plaque, is still 脚湿气.
    assert top_disease(kb, {"history": "脚气多年。", "lesion_description": "趾缝浸渍发白，瘙痒，有异味。"}) == (
        "disease.tinea_pedis")


def test_an_infants_weeping_cheek_eczema_is_the_infantile_stage(kb) -> None:  # type: ignore[no-untyped-def]
    note = {"lesion_description": "两颊红斑、密集小丘疹，部分渗液，结黄色薄痂。"}
    assert top_disease(kb, note, age=0.6) == "disease.atopic_dermatitis"
    assert top_disease(kb, {"history": "宝宝八个月大。", **note}) == "disease.atopic_dermatitis"
    assert top_disease(kb, note, age=35) == "disease.eczema"
