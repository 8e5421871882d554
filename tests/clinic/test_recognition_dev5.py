"""Diseases read from clinical-dev5's wordings (issue 13, session 7), each expectation from 《中医外科学》.

- 牛皮癣: 皮损状如牛项之皮，厚而且坚 — lichenified plaques whose skin lines are coarse and deep (皮纹粗深, 皮沟明显);
  its 鉴别 against 白疕 is that lichenification, not silvery layered scale, marks it, so lichenified plaques on the
  elbows are 牛皮癣 rather than 白疕; it is brought on by emotion (一生气就痒).
- 猫眼疮: 虹膜样红斑 — a lesion shaped like a target (形似靶子) on the backs of the hands.
- 猫眼疮 after 热疮: the cold sore is the trigger, the target lesions the disease (test docstring).
- 药毒: a fixed eruption comes back at the same place each time the drug is taken (固定型药疹，每次服药后同一部位).
"""

from __future__ import annotations

from recognitionkit import asserted_signs as _asserted
from recognitionkit import top_disease as _top


def test_coarse_deep_skin_lines_are_lichenification(kb) -> None:  # type: ignore[no-untyped-def]
    assert "morphology.lichenification" in _asserted(kb, "项后一块斑块，皮纹粗深，干燥")
    assert "morphology.lichenification" in _asserted(kb, "双肘伸侧斑块，肥厚粗糙，皮沟明显")


def test_a_lichenified_neck_plaque_that_itches_with_anger_is_niupixuan(kb) -> None:  # type: ignore[no-untyped-def]
    fields = {"chief_complaint": "脖子后面厚皮好几年，一生气就痒得要命",
              "lesion_description": "项后一块斑块，皮纹粗深，干燥，覆少许白色细屑，抓痕血痂。"}
    assert _top(kb, fields, age=46) == "disease.neurodermatitis"


def test_lichenified_elbow_plaques_are_niupixuan_not_psoriasis(kb) -> None:  # type: ignore[no-untyped-def]
    fields = {"lesion_description": "双肘伸侧、小腿外侧斑块，肥厚粗糙，色淡褐，干燥脱屑，皮沟明显。"}
    assert _top(kb, fields, age=52) == "disease.neurodermatitis"
    silvery = {"lesion_description": "双肘伸侧、小腿外侧斑块，上覆银白色鳞屑，刮之有点状出血。"}
    assert _top(kb, silvery, age=52) == "disease.psoriasis"


def test_target_shaped_patches_on_the_hands_are_maoyanchuang(kb) -> None:  # type: ignore[no-untyped-def]
    fields = {"lesion_description": "双手背、掌心散在圆形红斑，中心暗红，边缘鲜红，形似靶子，个别中心有小疱。"}
    assert _top(kb, fields, age=22) == "disease.erythema_multiforme"


def test_a_patch_at_the_same_place_after_each_dose_is_yaodu(kb) -> None:  # type: ignore[no-untyped-def]
    fields = {"chief_complaint": "每次吃止痛片，下嘴唇同一个地方就起紫斑、起泡",
              "lesion_description": "下唇唇红部一块硬币大暗紫红斑，中心起一水疱，边界清楚。"}
    assert _top(kb, fields, age=34) == "disease.drug_eruption"


def test_target_lesions_after_a_cold_sore_are_maoyanchuang_not_recheng(kb) -> None:  # type: ignore[no-untyped-def]
    """Herpes simplex precedes erythema multiforme by one to three weeks (《皮肤性病学》多形红斑·病因): the target
    lesions seen now are the disease, the cold sore its trigger; 热疮 itself is grouped vesicles, never a target."""
    fields = {"chief_complaint": "手背手心起了一圈一圈的红斑", "history": "两周前嘴唇起过热疮。无发热。",
              "lesion_description": "双手背、掌心圆形红斑，中央暗紫，外围鲜红，状如靶心，未见水疱糜烂。"}
    assert _top(kb, fields, age=30) == "disease.erythema_multiforme"
    cold_sore = {"lesion_description": "上唇一簇针头大小水疱，灼热刺痒"}
    assert _top(kb, cold_sore, age=30) == "disease.herpes_simplex"
