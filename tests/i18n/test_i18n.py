"""The message table, error details in Chinese and clinical names for English readers (derm3r.i18n)."""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

import pytest

from derm3r.i18n import messages, t
from derm3r.i18n.clinical_names import ClinicalNames, english_of_western, romanize
from derm3r.i18n.details import localize_detail
from derm3r.training.settings import ScriptArguments, SettingsError, config_as_flags, load_settings


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_have_every_message_with_the_same_fields() -> None:
    chinese, english = messages("zh"), messages("en")
    assert set(chinese) == set(english) and chinese
    assert [key for key in chinese if _fields(chinese[key]) != _fields(english[key])] == []


def test_a_message_in_each_language_and_an_unknown_key_shown_as_it_is() -> None:
    key = next(key for key, text in messages("en").items() if not _fields(text))
    assert t(key, "en") == messages("en")[key] and t(key, "zh") == messages("zh")[key]
    assert t("no.such.message", "en") == "no.such.message"


def test_argparse_and_derm3r_details_read_in_chinese_with_names_and_values_kept() -> None:
    assert localize_detail("the following arguments are required: --out", "zh") == "缺少必需的参数：--out"
    detail = localize_detail("argument --limit: expected a whole number, got x", "zh")
    assert detail == "参数 --limit：应为整数，实际为 x"
    assert localize_detail("the following arguments are required: --out", "en") == (
        "the following arguments are required: --out"
    )
    assert localize_detail("cases/ps-1.json", "zh") == "cases/ps-1.json"


def _raised(call: Any) -> str:
    with pytest.raises(SettingsError) as raised:
        call()
    return str(raised.value)


def test_finetune_setting_errors_read_in_chinese_with_names_and_values_kept(tmp_path: Path) -> None:
    """The messages derm3r.training really raises (a reworded one would stay English and fail here)."""
    not_a_mapping = tmp_path / "list.yaml"
    not_a_mapping.write_text("- 1\n", encoding="utf-8")
    nested = tmp_path / "nested.yaml"
    nested.write_text("lora_target_modules: {a: 1}\n", encoding="utf-8")
    details = {
        _raised(lambda: ScriptArguments(agent="xyz").validate()): "agent：应为 rec、rep 或 reason，实际为 'xyz'",
        _raised(lambda: ScriptArguments(stop_at_margin=-1).validate()): (
            "stop_at_margin：应为 0（关闭）或正数，实际为 -1"
        ),
        _raised(lambda: load_settings(["--epochs", "3"])): (
            "--epochs：已改名；请用 --num_train_epochs（TRL/transformers 的名称）"
        ),
        _raised(lambda: load_settings(["--config"])): "--config：其后应给出 YAML 文件",
        _raised(lambda: config_as_flags(tmp_path / "none.yaml")): f"--config：找不到 {tmp_path / 'none.yaml'}",
        _raised(lambda: config_as_flags(not_a_mapping)): f"{not_a_mapping}：应为设置项的映射（key: value）",
        _raised(lambda: config_as_flags(nested)): f"{nested}: lora_target_modules：不支持嵌套映射；请写成 JSON 字符串",
    }
    for english, chinese in details.items():
        assert localize_detail(english, "zh") == chinese, english
        assert localize_detail(english, "en") == english


def test_romanised_names_are_toneless_pinyin_one_syllable_a_character() -> None:
    # 《汉语拼音方案》 readings: 清 qīng 热 rè 凉 liáng 血 xuè; 解 jiě 毒 dú 消 xiāo 斑 bān.
    assert romanize("清热凉血，解毒消斑") == "qing re liang xue, jie du xiao ban"
    assert romanize("psoriasis") == "psoriasis"


@pytest.mark.parametrize(
    ("western", "english"),
    [("银屑病 (psoriasis)", "psoriasis"), ("湿疹（eczema）", "eczema"), ("urticaria", "urticaria"), ("银屑病", "")],
)
def test_the_english_part_of_a_western_name(western: str, english: str) -> None:
    assert english_of_western(western) == english


def test_english_readers_get_the_readable_name_with_the_chinese_beside_it() -> None:
    english = ClinicalNames(
        "en", herb_pinyin={"生地黄": "sheng di huang"}, disease_western={"白疕": "银屑病 (psoriasis)"}
    )
    assert english.herb("生地黄") == "sheng di huang (生地黄)"
    assert english.herb("赤芍") == "chi shao (赤芍)"
    assert english.disease("白疕") == "psoriasis (白疕 银屑病)"
    assert english.term("血热内蕴证") == "xue re nei yun zheng (血热内蕴证)"
    # Bensky, Chinese Herbal Medicine: Formulas & Strategies: 君臣佐使 = sovereign, minister, assistant, envoy.
    assert [english.role(role) for role in "君臣佐使"] == ["sovereign", "minister", "assistant", "envoy"]


def test_chinese_readers_get_the_names_unchanged() -> None:
    chinese = ClinicalNames("zh", herb_pinyin={"生地黄": "sheng di huang"})
    assert chinese.herb("生地黄") == "生地黄" and chinese.term("血热内蕴证") == "血热内蕴证"
    assert chinese.role("君") == "君" and chinese.disease("白疕", "银屑病") == "白疕 银屑病"
