"""Signs stated by several words of one sentence, and a named drug taken before the rash.

Expectations follow 《中医外科学》: 热疮 is 簇集性小水疱 at a mucocutaneous junction (口唇、鼻孔周围、外阴);
蛇串疮 is 簇集水疱 in a band; 瓜藤缠 is 疼痛性红色结节 of the shins; 白疕's pustular form includes
掌跖脓疱; 四弯风 begins in infancy on the cheeks (奶癣); 药毒's first diagnostic point is a drug taken
within the latent period — and a drug that helped (…后好转) is treatment, not a trigger.
"""

from __future__ import annotations

import pytest

from derm3r.text import extract_fields


def _asserted(kb, text: str, field: str = "lesion_description") -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {m.sign_id: m.method for m in extract_fields(kb, {field: text}) if m.asserted}


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("上唇及鼻孔下成簇针头大小水疱，基底红", "morphology.perioral_vesicles"),
        ("大阴唇内侧一簇针头大小水疱，部分破溃", "morphology.genital_vesicles"),
        ("右胸胁簇集绿豆大小水疱", "morphology.clustered_vesicles"),
        ("双胫前数个鲜红色结节，灼热，压痛明显", "morphology.tender_nodule"),
        ("双掌跖红斑基础上成批针头大小黄色脓疱", "morphology.palmoplantar_pustules"),
        ("躯干椭圆形暗红斑，覆鳞屑", "morphology.collarette_scale"),
        ("宝宝两颊潮红，丘疹", "site.infant_face"),
    ],
)
def test_a_compound_finding_is_read_across_the_words_between_its_parts(kb, text: str, term: str) -> None:
    found = _asserted(kb, text)
    assert term in found, found


def test_a_composed_reading_is_traceable_to_the_words_from_first_part_to_last(kb) -> None:
    mention = next(m for m in extract_fields(kb, {"lesion_description": "上唇成簇针头大小水疱"})
                   if m.sign_id == "morphology.clustered_vesicles")
    assert mention.method == "composed" and mention.text == "成簇针头大小水疱"


@pytest.mark.parametrize(
    ("text", "term"),
    [
        # A denied part composes nothing: no vesicle, no clustered vesicle.
        ("上唇红斑成簇，未见水疱", "morphology.clustered_vesicles"),
        # Parts in different sentences are different lesions.
        ("口唇干裂。躯干散在成簇水疱", "morphology.perioral_vesicles"),
        # A nodule without pain or tenderness is not 瓜藤缠's tender nodule (粉刺's 结节囊肿).
        ("面颊暗红色结节，按之有波动", "morphology.tender_nodule"),
    ],
)
def test_a_compound_finding_needs_every_part_asserted_in_one_sentence(kb, text: str, term: str) -> None:
    assert term not in _asserted(kb, text)


@pytest.mark.parametrize(
    "text",
    ["吃了头孢三天后身上起满红疹子", "服用复方磺胺甲噁唑后", "吃了布洛芬以后嘴唇肿烂", "输了青霉素之后全身起疹"],
)
def test_a_named_drug_taken_before_the_rash_is_the_drug_trigger(kb, text: str) -> None:
    assert "course.drug_trigger" in _asserted(kb, text, "history")


@pytest.mark.parametrize(
    "text",
    [
        "自服头孢类抗生素3天后好转",  # the drug helped: treatment, not exposure
        "外用激素药膏后瘙痒减轻",
        "未服用布洛芬",  # denied intake
        "长期服用二甲双胍",  # a regimen with no onset after it
    ],
)
def test_a_drug_that_helped_or_was_not_taken_is_no_trigger(kb, text: str) -> None:
    assert "course.drug_trigger" not in _asserted(kb, text, "history")


def test_a_drug_name_is_not_read_as_a_body_site(kb) -> None:
    # 甲 inside 复方磺胺甲噁唑 is no nail (site.nail is read only from 指甲、趾甲、甲板 …).
    assert "site.nail" not in _asserted(kb, "服用复方磺胺甲噁唑后，甲状腺功能正常", "history")


@pytest.mark.parametrize(
    ("text", "read", "not_read"),
    [
        # White bran-like dandruff is not 白疕's silvery scale (《中医外科学》白屑风 vs 白疕).
        ("头皮覆大量干燥糠秕状白色鳞屑", "scale.white", "scale.silvery"),
        # A mouth ulcer is a symptom, not a skin ulcer (臁疮).
        ("关节酸痛，口腔溃疡，脱发", "symptom.mouth_ulcer", "morphology.ulcer"),
        # A waxy sheen is its own finding (鼠乳 and 紫癜风 alike), not 紫癜风's polygonal papule.
        ("半球形丘疹，表面蜡样光泽", "morphology.waxy_sheen", "morphology.violaceous_polygonal_papule"),
        # A brown plaque is a plaque, not 黧黑斑's brown patch.
        ("项后淡褐色斑块，皮纹加深", "morphology.plaque", "morphology.brown_patch"),
        # A palm-sized plaque is not on the palm.
        ("腰背部掌心大小暗红色斑块", "shape.palm_sized", "site.palms_soles"),
        # 枯燥 is dry (the sentence encoder read it as oily).
        ("斑色淡红不鲜，皮肤枯燥", "morphology.dry", "symptom.oily_skin"),
        # Flushing of one region is no erythroderma (≥ 90% of the body).
        ("面部及手背弥漫潮红肿胀", "color.diffuse_flush", "morphology.erythroderma"),
    ],
)
def test_a_finding_shared_by_several_diseases_is_read_as_itself(kb, text: str, read: str, not_read: str) -> None:
    found = _asserted(kb, text)
    assert read in found and not_read not in found, found


def test_diffuse_flushing_of_the_whole_body_is_erythroderma(kb) -> None:
    assert "morphology.erythroderma" in _asserted(kb, "周身弥漫潮红肿胀，大量脱屑")
