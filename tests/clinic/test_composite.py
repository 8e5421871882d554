"""Composite syndromes (证素组合): a textbook syndrome plus an element its signs add.

Justification: 《中医外科学》(全国中医药行业高等教育规划教材) 白疕 lists 血瘀证 (皮损暗红、肥厚浸润，
舌紫暗有瘀斑，脉涩; 活血化瘀) and 湿毒蕴阻证 (清利湿热); 朱文锋《证素辨证学》 reads 苔腻、脉滑、
肢体困重、大便溏薄、纳差 as the element 湿. A psoriasis plaque of blood stasis with those damp signs is
therefore 血瘀 + 湿 — a composite the textbook does not list — treated by 活血化瘀 兼以利湿, keeping the
stasis formula and borrowing the damp syndrome's key herbs (萆薢渗湿汤: 萆薢、薏苡仁). Blood heat with
mouth dryness and constipation (白疕 血热内蕴证 as the textbook gives it) adds nothing.
"""

from __future__ import annotations

from derm3r.clinic.composite import compose, composite_name, element_scores
from derm3r.clinic.elements import elements_of

STASIS_WITH_DAMP = {
    "case_id": "stasis-damp",
    "lesion_description": "双小腿暗红色斑块，肥厚浸润，上覆鳞屑",
    "symptoms": "大便溏薄，纳差，肢体困重，口黏",
    "tongue": "舌质紫暗有瘀斑，苔白腻",
    "pulse": "脉涩",
}
BLOOD_HEAT = {
    "case_id": "blood-heat",
    "lesion_description": "躯干四肢鲜红斑块，上覆银白色鳞屑，刮之点状出血，新疹不断",
    "symptoms": "口干，便秘",
    "tongue": "舌红苔黄",
    "pulse": "脉数",
}


def test_every_element_sign_is_a_lexicon_term(kb) -> None:
    unknown = [(e.id, s.term) for e in kb.syndrome_elements.values() for s in e.signs if s.term not in kb.terms]
    assert unknown == []


def test_damp_signs_score_the_damp_element(kb) -> None:
    present = {"tongue.coat_white_greasy", "pulse.slippery", "symptom.heavy_limbs", "symptom.loose_stool"}
    scores = element_scores(kb, present)
    assert max(scores, key=scores.__getitem__) == "element.damp"


def test_composite_names_follow_the_element_order() -> None:
    assert composite_name("血热证", ["湿"]) == "血热夹湿证"
    assert composite_name("湿热证", ["阴虚"]) == "阴虚湿热证"


def test_toxin_forms_state_their_pathogen_too(kb) -> None:
    assert elements_of(kb, "湿热毒蕴证") == {"element.damp", "element.heat", "element.toxin"}
    assert elements_of(kb, "湿毒蕴阻证") == {"element.damp", "element.toxin"}


def test_blood_stasis_with_damp_signs_is_a_composite_with_its_principle_and_herbs(system) -> None:
    consultation = system.consult(STASIS_WITH_DAMP)
    syndrome = consultation.assessment.syndrome
    assert consultation.assessment.disease == "白疕" and syndrome is not None
    assert syndrome.id is None and "夹湿" in syndrome.name
    assert {element.element for element in syndrome.elements} >= {"瘀", "湿"}
    assert "活血化瘀" in consultation.assessment.treatment_principle
    assert consultation.assessment.treatment_principle.endswith("兼以利湿")
    borrowed = consultation.plan.modifications[-1]
    assert "夹湿" in borrowed.reason and {herb.name for herb in borrowed.add} >= {"粉萆薢", "薏苡仁"}
    base_herbs = [herb for herb in consultation.plan.herbs if herb.role == "君"]
    assert base_herbs  # the stasis formula keeps its 君药


def test_a_textbook_syndrome_that_covers_the_signs_stays_a_textbook_syndrome(kb, system) -> None:
    consultation = system.consult(BLOOD_HEAT)
    syndrome = consultation.assessment.syndrome
    assert syndrome is not None and syndrome.id == "syn.psoriasis.blood_heat"
    present = {sign.term for sign in consultation.representation.signs}
    assert compose(kb, kb.syndromes[syndrome.id], present) is None
