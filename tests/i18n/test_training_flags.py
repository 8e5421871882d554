"""``derm3r finetune --help``: TRL's and transformers' training flags in Chinese by default, their own English with en.

The table is derm3r/i18n/training_flags.yaml (flag name → fingerprint of the English it translates, Chinese).
A library upgrade that adds a flag, rewords a help or drops a flag fails here with the flags named.
"""

from __future__ import annotations

import argparse
import re

import pytest

from derm3r.cli.main import main
from derm3r.i18n.line_breaks import display_width
from derm3r.i18n.training_flags import fingerprint, flag_entries, flag_help
from derm3r.training.cli import training_parser
from derm3r.training.settings import build_parser, own_flags

pytest.importorskip("trl")  # the training parser is transformers' HfArgumentParser over TRL's configs

CJK = re.compile(r"[\u4e00-\u9fff]")
#: What a translation must keep as written: flags, `code`, file names, URLs, {literals}, key=value, %-escapes.
KEPT = re.compile(r"--[a-z][\w-]*|`[^`]+`|[\w.-]+\.json\b|https?://\S+?(?=[\s)）]|$)|\{[^}]*\}|\w+=\w+|%%|%\(\w+\)s")
#: The everyday flags, each with words its Chinese must say (so a placeholder text cannot pass for them).
EVERYDAY = {
    "num_train_epochs": "训练的总轮数",
    "per_device_train_batch_size": "批大小",
    "gradient_accumulation_steps": "累积",
    "lora_r": "LoRA 的秩",
    "lora_alpha": "缩放系数",
    "lora_dropout": "dropout",
    "seed": "随机种子",
    "logging_steps": "记录一次日志",
    "logging_strategy": "日志记录策略",
    "save_strategy": "保存检查点的策略",
    "fp16": "混合精度",
    "warmup_steps": "预热",
    "weight_decay": "权重衰减",
    "model_name_or_path": "模型检查点",
    "per_device_eval_batch_size": "评估时每个设备",
    "max_steps": "训练总步数",
    "lr_scheduler_type": "学习率调度器",
}


def _library_helps() -> dict[str, str]:
    """Flag name → the English help TRL or transformers declares, for every flag derm3r does not declare."""
    own, helps = own_flags(), {}
    for action in build_parser("derm3r finetune")._actions:
        if action.dest not in own and action.help and action.help is not argparse.SUPPRESS:
            helps.setdefault(action.dest, action.help)
    return helps


def test_every_library_flag_has_a_current_chinese_entry_and_every_entry_is_in_use() -> None:
    helps, table = _library_helps(), flag_entries()
    assert len(helps) > 100  # TRL's SFTConfig/ModelConfig and transformers' TrainingArguments are all there
    missing = sorted(set(helps) - set(table))
    assert missing == [], f"training flags without a Chinese help in derm3r/i18n/training_flags.yaml: {missing}"
    stale = {
        dest: f"en: '{fingerprint(english)}' for {english!r}"
        for dest, english in helps.items()
        if table[dest]["en"] != fingerprint(english)
    }
    assert stale == {}, "the library reworded these helps: check each Chinese, then set its new fingerprint"
    assert sorted(set(table) - set(helps)) == []  # an entry for a flag the libraries no longer have
    assert sorted(set(table) & own_flags()) == []  # derm3r's own flags are translated by help.yaml


def test_each_entry_is_chinese_and_keeps_flags_code_and_escapes() -> None:
    helps = _library_helps()
    for dest, entry in flag_entries().items():
        assert isinstance(entry["en"], str) and re.fullmatch(r"[0-9a-f]{8}", entry["en"]), dest  # quoted in YAML
        chinese = entry["zh"]
        assert CJK.search(chinese) and chinese != helps[dest], dest
        missing = [kept for kept in KEPT.findall(helps[dest]) if kept not in chinese]
        assert missing == [], dest
        assert chinese.count("%") == helps[dest].count("%"), dest  # argparse %-formats every help
    for dest, words in EVERYDAY.items():
        assert words in flag_entries()[dest]["zh"], dest


def test_a_reworded_library_help_keeps_its_english() -> None:
    entry = flag_entries()["seed"]
    assert flag_help("seed", "Random seed that will be set at the beginning of training.", "zh") == entry["zh"]
    reworded = "Random seed set before training starts."
    assert flag_help("seed", reworded, "zh") == reworded  # a stale translation is never shown
    assert flag_help("seed", "Random seed that will be set at the beginning of training.", "en").startswith("Random")


def test_finetune_help_is_chinese_by_default_and_the_libraries_english_with_lang_en(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DERM3R_LANG", raising=False)
    monkeypatch.setenv("COLUMNS", "80")
    helps = _library_helps()
    with pytest.raises(SystemExit):
        main(["finetune", "--help"])
    chinese = capsys.readouterr().out
    flat = "".join(chinese.split())
    for dest in ("num_train_epochs", "lora_r", "gradient_accumulation_steps", "seed", "packing", "ddp_backend"):
        assert "".join(flag_entries()[dest]["zh"].replace("%%", "%").split()) in flat, dest
        assert " ".join(helps[dest].split()) not in " ".join(chinese.split()), dest
    assert "AdamW 学习率（默认：0.0002）" in chinese and "适配器保存到 OUTPUT_DIR/AGENT" in chinese  # derm3r's own
    assert [line for line in chinese.splitlines() if CJK.search(line) and display_width(line) > 80] == []
    # (only usage and flag lines of the libraries' long choice lists are wider, in both languages)
    with pytest.raises(SystemExit):
        main(["finetune", "--help", "--lang", "en"])
    english = " ".join(capsys.readouterr().out.split())
    assert not CJK.search(english)
    for dest in ("num_train_epochs", "lora_r", "gradient_accumulation_steps", "seed", "packing", "ddp_backend"):
        assert " ".join(helps[dest].replace("%%", "%").split()) in english, dest


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_training_flag_help_is_in_the_one_language(lang: str) -> None:
    parser = training_parser(lang)
    shown = {action.dest: action.help or "" for action in parser._actions if action.help is not argparse.SUPPRESS}
    wrong = sorted(dest for dest, text in shown.items() if bool(CJK.search(text)) != (lang == "zh"))
    assert wrong == []
    parser.format_help()  # every translated help survives argparse's %-formatting
