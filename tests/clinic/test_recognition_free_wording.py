"""Findings read from free clinic wording, and the disease they point to (issue 13, clinical-dev2's errors).

Expectations follow the textbooks: 《中医外科学》白疕 (薄膜现象与点状出血 is seen on scraping the scale), 疣目
(a pared wart bleeds in points too), 瘾疹·风寒束表证 (色白的风团, 遇冷加重), 牛皮癣 (好发于颈项、其次肘窝腘窝; 皮损
如牛领之皮, 厚而且坚 —《外科正宗》顽癣), 四弯风 (《特应性皮炎中医诊疗方案专家共识》: 婴儿期、儿童期、青少年及成人期,
onset in childhood), 药毒 (a drug taken within the latent period), 红皮病 (全身弥漫潮红, a referral), and
the ABCDE signs of melanoma (《皮肤性病学》, 张学军 主编).
"""

from __future__ import annotations

import pytest
from recognitionkit import asserted_signs as _asserted
from recognitionkit import top_disease as _top

from derm3r.text.signs import age_group_signs, extract_signs


def test_pinpoint_bleeding_is_auspitz_only_with_scale_in_the_sentence(kb) -> None:
    assert "morphology.auspitz" in _asserted(kb, "上覆多层银白色鳞屑，刮去后见点状出血")
    wart = _asserted(kb, "手指背侧角化性丘疹，表面粗糙呈乳头状，削去表面可见点状出血")
    assert "morphology.auspitz" not in wart and "morphology.pinpoint_bleeding" in wart


def test_a_pared_wart_is_a_common_wart_not_psoriasis(kb) -> None:
    # 《中医外科学》疣: a rough papillary keratotic papule is 疣目 (寻常疣); 扁瘊's papules are flat and smooth.
    text = "右手食指背侧数个黄豆大小角化性丘疹，表面粗糙，呈乳头状，质地坚硬，削去表面可见点状出血"
    assert _top(kb, {"lesion_description": text}) == "disease.common_warts"
    flat = "面部、手背散在米粒大小扁平丘疹，表面光滑，淡褐色，沿抓痕呈线状排列"
    assert _top(kb, {"lesion_description": flat}) == "disease.warts"


def test_a_white_wheal_states_the_wheal_and_its_colour(kb) -> None:
    lesion = {"lesion_description": "面部、手背淡白色风团，遇冷风加重，得暖则减，退后无痕迹"}
    found = extract_signs(kb, None, lesion).present_ids
    assert {"morphology.wheal", "color.white", "course.transient"} <= found
    assert _top(kb, lesion) == "disease.urticaria"


@pytest.mark.parametrize("text", ["肘窝皮如牛领之皮，厚而且坚", "双肘窝斑块干燥肥厚，皮沟深", "项后皮纹粗重如皮革"])
def test_classical_and_descriptive_words_state_lichenification(kb, text: str) -> None:
    assert "morphology.lichenification" in _asserted(kb, text)


def test_flexural_lichenification_in_old_age_is_niupixuan_and_from_childhood_is_siwanfeng(kb) -> None:
    lesion = "双肘窝、腘窝斑块，干燥肥厚，皮沟深，苔藓样变，剧痒"
    assert _top(kb, {"lesion_description": lesion}, age=67) == "disease.neurodermatitis"
    childhood = {"chief_complaint": "从小就有，肘窝腘窝又干又厚", "lesion_description": lesion}
    assert _top(kb, childhood, age=22) == "disease.atopic_dermatitis"


@pytest.mark.parametrize(
    ("age", "term"),
    [(1, "course.infant"), (5, "course.child"), (67, "course.elderly"), (30, None), (None, None)],
)
def test_the_patients_age_states_its_age_group(kb, age: float | None, term: str | None) -> None:
    signs = age_group_signs(kb, age, set())
    assert [sign.term for sign in signs] == ([term] if term else [])
    assert all(sign.source == "patient.age" for sign in signs)


def test_an_age_group_the_note_states_is_not_overridden(kb) -> None:
    assert age_group_signs(kb, 70, {"course.child"}) == []


@pytest.mark.parametrize(
    ("text", "stated"),
    [
        ("因癫痫服卡马西平第14天，出现发热皮疹", True),  # on the drug when the rash began
        ("吃了抗癫痫药两周后发高烧", True),  # a drug class named
        ("银屑病十年，自行停用口服泼尼松后加重", False),  # stopping a drug is no exposure to it
    ],
)
def test_a_drug_taken_during_the_latent_period_is_read_and_a_stopped_one_is_not(kb, text: str, stated: bool) -> None:
    assert ("course.drug_trigger" in _asserted(kb, text, "history")) is stated


def test_epidermal_detachment_with_mucosae_after_a_new_drug_is_a_drug_eruption_not_pemphigus(kb) -> None:
    fields = {"chief_complaint": "吃了抗癫痫药两周后发高烧，嘴巴眼睛都烂了",
              "lesion_description": "躯干紫红色斑片，中央有水疱及表皮剥脱，口唇糜烂，外阴糜烂"}
    assert _top(kb, fields) == "disease.drug_eruption"


def test_whole_body_flush_with_heavy_peeling_is_erythroderma(kb) -> None:
    # With a known psoriasis the textbook names it 红皮病型白疕 (白疕·火毒炽盛证, data/dev); either way it is referred.
    fields = {"lesion_description": "全身弥漫性潮红，浸润肿胀，大量糠秕样及片状脱屑"}
    assert _top(kb, fields) == "disease.erythroderma"


def test_a_mole_with_an_irregular_border_and_uneven_colour_points_to_malignancy(kb) -> None:
    fields = {"lesion_description": "足跟一颗黑痣，颜色深浅不一，边缘不规则"}
    assert _top(kb, fields) == "disease.skin_malignancy"


@pytest.mark.parametrize("text", ["色素痣边缘整齐，颜色均匀，多年无变化", "背部黑痣，没有颜色不均",
                                  "额头淡褐色的斑，边缘不规则"])
def test_a_benign_mole_or_an_irregular_patch_alone_names_no_malignancy(kb, text: str) -> None:
    assert _top(kb, {"lesion_description": text}) != "disease.skin_malignancy"


@pytest.mark.parametrize(("text", "term"), [("舌红，苔薄黄腻", "tongue.coat_yellow_greasy"),
                                            ("舌淡，苔薄白腻", "tongue.coat_white_greasy")])
def test_a_thin_greasy_coat_is_greasy(kb, text: str, term: str) -> None:
    # 《中医诊断学》舌诊: 腻苔 marks 湿; 薄 grades its thickness, it does not take the greasiness away.
    assert term in _asserted(kb, text, "tongue")
