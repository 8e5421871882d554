"""Cantonese and Hokkien function words read as Mandarin, "don't know why" openings and worry questions.

- Cantonese 唔 and Hokkien 毋 are 不; Hokkien 袂 "cannot" is 不 after a verb (看袂清楚 = 看不清楚) and an inability
  before one (袂喘氣 = 难喘气, not a denied 喘); 睇 is 看, 咗 is 了; 目睭 is 眼睛, 喙 嘴, 嚨喉 喉咙, 揤 按, 跤 脚, 絚 紧
  (《广州话方言词典》; 教育部《臺灣閩南語常用詞辭典》). 甲 is 到 only after a state (燒甲39度), never in 指甲 or 甲状腺;
  跤 stays in 摔跤.
- 不知道为什么 / 不晓得怎么 / 唔知點解 / 毋知按怎 say that a sign came without a known cause: they deny nothing.
- A disease name right after a worry opener (会不会是…, 是不是…, 會唔會係…, "Is it …?") is ``hypothetical``: neither
  asserted nor denied; the same name told as a fact is asserted.
"""

from __future__ import annotations

import pytest

from derm3r.text import extract_fields
from derm3r.text.normalize import normalize


def _mentions(kb, text: str) -> dict[str, tuple[str, bool]]:  # type: ignore[no-untyped-def]
    return {m.sign_id: (m.scope, m.negated) for m in extract_fields(kb, {"history": text}, semantic=False)}


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("紅點㩒落去都唔褪色", "红点按落去都不褪色"),
        ("個邊唔規則", "个边不规则"),
        ("睇嘢唔清楚", "看嘢不清楚"),
        ("起咗紅疹", "起了红疹"),
        ("毋知按怎", "不知按怎"),
        ("看物件看袂清楚", "看物件看不清楚"),
        ("揤落去袂退", "按落去不退"),
        ("強欲袂喘氣", "强欲难喘气"),
        ("目睭紅紅", "眼睛红红"),
        ("喙脣腫甲若香腸", "嘴唇肿到若香肠"),
        ("嚨喉足絚", "喉咙很紧"),
        ("燒甲39度", "烧到39度"),
    ],
)
def test_dialect_words_are_read_as_mandarin(written: str, read: str) -> None:
    assert normalize(written) == read


@pytest.mark.parametrize("text", ["指甲发黑", "甲状腺结节", "甲沟炎", "小时候摔跤磕破了膝盖", "脚足部"])
def test_the_same_characters_in_mandarin_words_are_kept(text: str) -> None:
    assert normalize(text) == text


@pytest.mark.parametrize(
    "text",
    ["不知道为什么全身起风团", "不晓得怎么全身起风团", "不知为何全身起风团", "唔知點解成身起風團",
     "毋知按怎規身軀起風團"],
)
def test_dont_know_why_denies_nothing(kb, text: str) -> None:  # type: ignore[no-untyped-def]
    assert _mentions(kb, text)["morphology.wheal"] == ("present", False)


@pytest.mark.parametrize("text", ["唔痕，冇事", "一啲都唔痕", "毋痕"])
def test_cantonese_and_hokkien_negators_deny(kb, text: str) -> None:  # type: ignore[no-untyped-def]
    assert _mentions(kb, text)["itch.present"][1] is True


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("会不会是带状疱疹？", "disease_name.herpes_zoster"),
        ("是不是带状疱疹啊", "disease_name.herpes_zoster"),
        ("會唔會係黑色素瘤呀？", "red_flag.malignancy"),
        ("Is it melanoma?", "red_flag.malignancy"),
        ("Could this be shingles?", "disease_name.herpes_zoster"),
        ("敢是皮蛇？", "disease_name.herpes_zoster"),
    ],
)
def test_a_name_in_a_worry_question_is_hypothetical(kb, text: str, term: str) -> None:  # type: ignore[no-untyped-def]
    assert _mentions(kb, text)[term] == ("hypothetical", False)


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("医生说是带状疱疹", "disease_name.herpes_zoster"),
        ("确诊黑色素瘤", "red_flag.malignancy"),
        ("I was told it is melanoma", "red_flag.malignancy"),
        ("额头发皮蛇", "disease_name.herpes_zoster"),
    ],
)
def test_the_name_told_as_a_fact_is_asserted(kb, text: str, term: str) -> None:  # type: ignore[no-untyped-def]
    assert _mentions(kb, text)[term] == ("present", False)


def test_a_sign_inside_a_worry_question_is_still_read(kb) -> None:  # type: ignore[no-untyped-def]
    assert _mentions(kb, "是不是全身起风团了？")["morphology.wheal"] == ("present", False)
