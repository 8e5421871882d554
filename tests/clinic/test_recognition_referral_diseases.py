"""Referral-only diseases recognised from described signs (issue 13, clinical-dev4's misses), and their look-alikes.

Expectations follow the sources: 《中医外科学》天疱疮 (松弛性大疱, 尼氏征, 口腔黏膜糜烂) and 类天疱疮 (老年人紧张性大疱,
《大疱性类天疱疮诊断和治疗的专家建议》2016); 红蝴蝶疮 (两颊及鼻梁蝶形红斑, 光敏感, 关节痛, 口腔溃疡; 2019 EULAR/ACR SLE
criteria); 皮痹 (皮肤硬化, 雷诺现象; 2013 ACR/EULAR SSc criteria); 肌痹 (眼睑紫红斑, Gottron 丘疹, 近端肌无力; 2017
EULAR/ACR IIM criteria); 烂疔 (《中医外科学》疔疮·烂疔: 紫黑, 捻发感, 剧痛; IDSA 2014 necrotizing infections: pain
out of proportion, numb skin, bullae). A look-alike keeps its own disease: 冻疮 (red-purple swellings warm-itchy, no
blanching),
蛇串疮 (a unilateral band of clustered vesicles), 黧黑斑 (brown patches of the cheeks).
"""

from __future__ import annotations

import pytest
from recognitionkit import asserted_signs as _asserted
from recognitionkit import top_disease as _top


@pytest.mark.parametrize("text", [
    "胸背数个水泡，泡皮很薄、软塌塌的，留下鲜红的烂面",
    "背部散在鬆弛水皰，皰壁易破",
    "Thin-roofed blisters that break easily and leave large raw areas",
    "推擦痂周皮肤，表皮即剥离",
])
def test_a_slack_roof_or_a_peeling_push_is_a_flaccid_bulla(kb, text: str) -> None:
    assert "morphology.flaccid_bulla" in _asserted(kb, text)


@pytest.mark.parametrize("text", ["腹部红斑上多个大水疱，泡壁厚、鼓鼓的不易破", "上有多个水疱，疱不易擦破",
                                  "tense blisters on the thighs"])
def test_a_thick_taut_roof_is_a_tense_bulla(kb, text: str) -> None:
    assert "morphology.tense_bulla" in _asserted(kb, text)


def test_zosters_taut_vesicles_are_no_tense_bullae(kb) -> None:
    assert "morphology.tense_bulla" not in _asserted(kb, "右胸背数簇绿豆大水疱，疱壁紧张发亮")


@pytest.mark.parametrize(("fields", "age"), [
    ({"chief_complaint": "嘴里烂了两个多月，最近胸口后背也起泡",
      "lesion_description": "胸背数个水泡，泡皮很薄、软塌塌的，一碰就破，留下鲜红的烂面。颊黏膜大片糜烂。"}, 47),
    ({"lesion_description": "Thin-roofed blisters that break easily, raw areas. Sores inside both cheeks."}, 55),
    ({"lesion_description": "腹部、双大腿内侧红斑上多个大水疱，泡壁厚、鼓鼓的不易破，疱液清亮"}, 81),
])
def test_pemphigus_and_pemphigoid_described_not_named_are_tianpaochuang(kb, fields: dict[str, str],
                                                                         age: int) -> None:
    assert _top(kb, fields, age=age) == "disease.pemphigus"


def test_red_patches_of_both_cheeks_and_the_nose_bridge_are_the_butterfly_erythema(kb) -> None:
    assert "morphology.butterfly_erythema" in _asserted(kb, "两侧面颊和鼻梁连成一片的红斑")
    assert "morphology.butterfly_erythema" in _asserted(kb, "Flat red rash across both cheeks and over the nose")
    assert "morphology.butterfly_erythema" not in _asserted(kb, "两颧对称淡褐色斑片，边界不清")
    fields = {"lesion_description": "两侧面颊和鼻梁连成一片的红斑，不痒", "symptoms": "手指关节痛，嘴里反复起溃疡"}
    assert _top(kb, fields, age=26) == "disease.lupus"


@pytest.mark.parametrize("text", ["手指一碰冷水就发白，然后变紫", "遇冷手指变白变紫",
                                  "Fingers go white then blue in the cold"])
def test_fingers_blanching_then_blue_in_the_cold_are_raynaud(kb, text: str) -> None:
    assert "symptom.raynaud" in _asserted(kb, text, "chief_complaint")


def test_raynaud_with_skin_that_cannot_be_pinched_is_pibi_and_a_denied_blanching_is_not(kb) -> None:
    fields = {"chief_complaint": "手指一碰冷水就发白，然后变紫",
              "lesion_description": "双手手指肿胀，皮肤发亮，捏不起皮"}
    assert _top(kb, fields, age=43) == "disease.scleroderma"
    assert "symptom.raynaud" not in _asserted(kb, "手指不会变白变紫", "history")
    chilblain = {"lesion_description": "双手指背、耳廓局限性暗紫红肿块", "symptoms": "暖和了痒、灼痛"}
    assert _top(kb, chilblain, age=35) == "disease.chilblain"


@pytest.mark.parametrize("fields", [
    {"chief_complaint": "两个眼皮周围紫红肿，梳头抬手没劲", "lesion_description": "双上眼睑淡紫红色水肿性斑"},
    {"lesion_description": "Violet swelling of both upper eyelids; scaly red-purple bumps over the knuckles.",
     "symptoms": "Struggles to climb stairs."},
])
def test_a_purple_eyelid_gottron_and_proximal_weakness_are_jibi(kb, fields: dict[str, str]) -> None:
    assert _top(kb, fields, age=58) == "disease.dermatomyositis"


def test_crepitus_dusky_skin_and_pain_beyond_the_signs_are_landing_not_danu(kb) -> None:
    fields = {"lesion_description": "左小腿红肿迅速扩展，中间变成紫黑色，起了几个血泡，按上去有咯吱咯吱的感觉",
              "symptoms": "疼得比看起来严重得多，高热"}
    assert _top(kb, fields, age=57) == "disease.necrotising_infection"
    plain = {"lesion_description": "左小腿下段片状鲜红斑，略肿，边界清楚，摸着发热", "symptoms": "胀痛"}
    assert _top(kb, plain, age=50) == "disease.erysipelas"
