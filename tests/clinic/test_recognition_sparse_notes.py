"""Sparse clinic notes (issue 13, clinical-dev3's errors): findings in lay and short wording, and their disease.

Expectations follow the textbooks: 《中医外科学》蛇串疮 (簇集水疱, 单侧带状排列), 湿疮 (皮损多形: 红斑、丘疹、水疱、糜烂
渗出 side by side), 四弯风 (婴儿期 polymorphic weeping face; childhood onset in the flexures — and patients call it
湿疹, 《中国特应性皮炎诊疗指南》2020), 圆癣 (环形, 边缘隆起, 中央消退, 阴股部), 冻疮 (遇热后痒痛), 猫眼疮 (虹膜样红斑),
药毒 (a drug within the latent period; 固定型药疹 recurs at the same site), 肌痹 (眼睑紫红斑, 近端肌无力) and the
ABCDE signs of melanoma on any pigmented lesion (《皮肤性病学》, 张学军 主编).
"""

from __future__ import annotations

import pytest
from recognitionkit import asserted_signs as _asserted
from recognitionkit import top_disease as _top

from derm3r.text.signs import extract_signs


@pytest.mark.parametrize("text", [
    "诊所给了阿莫西林，第4天起疹",
    "吃了几天消炎药，全身出红疹子",
    "每次吃复方新诺明就在嘴角起紫斑",
    "两周前开始服别嘌醇",
    "换了新药后皮肤发红",
])
def test_a_drug_before_the_rash_in_lay_wording_is_a_drug_trigger(kb, text: str) -> None:
    assert "course.drug_trigger" in _asserted(kb, text, "history")


@pytest.mark.parametrize("text", ["吃了阿莫西林就好了", "未服用阿莫西林", "自行停用泼尼松后加重",
                                  "吃氯雷他定能压住，一停就起"])
def test_a_drug_that_helped_was_denied_or_stopped_is_no_trigger(kb, text: str) -> None:
    assert "course.drug_trigger" not in _asserted(kb, text, "history")


def test_three_kinds_of_lesion_in_one_sentence_are_polymorphic_and_one_kind_is_not(kb) -> None:
    assert "morphology.polymorphic" in _asserted(kb, "手背暗淡红斑、丘疹，少量渗出")
    assert "morphology.polymorphic" not in _asserted(kb, "手背暗淡红斑")
    assert _top(kb, {"lesion_description": "手背、小腿暗淡红斑、丘疹，少量渗出，有鳞屑"}) == "disease.eczema"


def test_an_infants_weeping_polymorphic_cheeks_are_siwanfeng(kb) -> None:
    fields = {"chief_complaint": "宝宝两颊起红疹子流水", "lesion_description": "双颊红斑，密集丘疹、丘疱疹，渗出结痂"}
    assert _top(kb, fields, age=0.5) == "disease.atopic_dermatitis"


def test_childhood_eczema_thickened_in_the_elbow_folds_is_siwanfeng(kb) -> None:
    fields = {"chief_complaint": "从小有湿疹，这几年胳膊弯皮肤变厚", "lesion_description": "双肘窝苔藓样肥厚，干燥脱屑"}
    assert "site.flexures_major" in _asserted(kb, "双肘窝苔藓样肥厚")
    assert _top(kb, fields, age=25) == "disease.atopic_dermatitis"


def test_grouped_small_blisters_in_a_row_on_one_side_are_zoster(kb) -> None:
    found = _asserted(kb, "右胸数簇小疱，一溜排开")
    assert {"morphology.clustered_vesicles", "distribution.unilateral_band"} <= found
    assert _top(kb, {"lesion_description": "右胸数簇小疱，一溜排开", "symptoms": "刺痛"}) == "disease.herpes_zoster"


def test_a_band_of_pigmentation_with_stabbing_pain_after_blisters_is_zoster(kb) -> None:
    fields = {"history": "两个月前右胸背起过一片小泡", "lesion_description": "右胸背带状褐色色素沉着，无新发皮疹",
              "symptoms": "针刺样痛，夜不能寐"}
    assert _top(kb, fields) == "disease.herpes_zoster"


def test_a_spreading_ring_with_a_raised_edge_in_the_groin_is_ringworm(kb) -> None:
    fields = {"chief_complaint": "大腿根痒，一圈一圈往外扩", "lesion_description": "腹股沟环状红斑，边缘隆起，中心色暗"}
    assert _top(kb, fields) == "disease.tinea_corporis"


def test_itch_worse_when_warm_on_cold_fingers_is_chilblain(kb) -> None:
    fields = {"chief_complaint": "手指头红肿，暖和了更痒", "lesion_description": "指背、耳廓紫红色水肿性斑块"}
    assert _top(kb, fields) == "disease.chilblain"


@pytest.mark.parametrize("text", ["手背暗红斑，形似虹膜", "手背红斑，如靶环"])
def test_iris_and_target_said_in_other_words_are_target_lesions(kb, text: str) -> None:
    assert "morphology.target_lesion" in _asserted(kb, text)


def test_a_rash_again_at_the_same_spot_is_a_fixed_drug_eruption(kb) -> None:
    assert "morphology.drug_eruption" in _asserted(kb, "口角同一个地方又起紫红斑", "chief_complaint")


def test_eyelid_violet_swelling_with_weak_thighs_is_dermatomyositis(kb) -> None:
    fields = {"chief_complaint": "上楼梯没劲", "lesion_description": "双上眼睑紫红色水肿性斑，指关节伸侧紫红色扁平丘疹"}
    assert "symptom.muscle_weakness" in _asserted(kb, "上楼梯没劲，蹲下站不起来", "symptoms")
    assert _top(kb, fields) == "disease.dermatomyositis"


def test_abcde_on_a_pigmented_patch_without_a_mole_word_is_atypical_but_melasma_is_not(kb) -> None:
    heel = "左足跟黑褐色斑，颜色深浅不一，边缘参差不齐"
    assert "morphology.atypical_mole" in _asserted(kb, heel)
    assert _top(kb, {"lesion_description": heel}) == "disease.skin_malignancy"
    melasma = "双颧淡褐至深褐色斑片，形如蝶翼，边界不清"
    assert "morphology.atypical_mole" not in _asserted(kb, melasma)
    assert _top(kb, {"lesion_description": melasma}) == "disease.melasma"


def test_pale_swollen_tongue_states_both_pale_and_swollen(kb) -> None:
    # 《中医诊断学》舌诊: 舌淡胖 is a pale body (舌淡) and a swollen one (胖大舌), the sign of 脾虚湿盛.
    found = extract_signs(kb, None, {"tongue": "舌淡胖，苔白腻"}).present_ids
    assert {"tongue.pale", "tongue.swollen"} <= found
    assert "tongue.swollen" not in extract_signs(kb, None, {"tongue": "舌淡，苔白"}).present_ids
