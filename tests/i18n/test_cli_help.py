"""``--help`` in Chinese (default) and English: the help table, its coverage of every parser, and the layout."""

from __future__ import annotations

import argparse
import dataclasses
import re
from collections import Counter

import pytest

from derm3r.cli.main import build_parser, main
from derm3r.i18n.cli_help import help_entries, help_texts, subparsers
from derm3r.i18n.line_breaks import display_width
from derm3r.training import cli as finetune_cli
from derm3r.training.settings import ScriptArguments

CJK = re.compile(r"[\u4e00-\u9fff]")
#: What a translation must keep as written: flags, environment variables, `code`, file names, {placeholders}.
KEPT = re.compile(r"--[a-z][\w-]*|DERM3R_\w+|`[^`]+`|[\w<>{},.-]+\.(?:md|jsonl?|yaml|html|sh)\b|\{[^}]*\}|\w+=\w+")


def _parsers() -> list[argparse.ArgumentParser]:
    """derm3r's parser tree and derm3r.training's ``finetune prepare`` / ``finetune export``, in English."""
    return [build_parser("en"), finetune_cli._prepare_parser(), finetune_cli._export_parser()]


def _declared_texts() -> set[str]:
    """Every help text derm3r declares (TRL's and transformers' training flags are theirs, not ours)."""
    texts = {text for parser in _parsers() for text in help_texts(parser)}
    texts |= {field.metadata["help"] for field in dataclasses.fields(ScriptArguments)}
    texts.add(finetune_cli.SUBCOMMANDS_HELP)
    pytest.importorskip("transformers")
    from derm3r.training.settings import build_parser as training_parser
    from derm3r.training.settings import own_flags

    trainer, own = training_parser("derm3r finetune"), own_flags()  # the library's flags: test_training_flags.py
    texts |= {trainer.description, *(a.help for a in trainer._actions if a.dest in own and a.help)}
    return texts


def test_every_help_text_has_a_chinese_entry_and_every_entry_is_in_use() -> None:
    declared, table = _declared_texts(), {english for english, _ in help_entries()}
    assert sorted(declared - table) == []  # a help text added or reworded in code without its Chinese
    assert sorted(table - declared) == []  # an entry for a help text that is gone
    assert [text for text, count in Counter(english for english, _ in help_entries()).items() if count > 1] == []


def test_each_chinese_entry_is_chinese_and_keeps_flags_names_and_placeholders() -> None:
    for english, chinese in help_entries():
        assert CJK.search(chinese) and chinese != english, english
        missing = [kept for kept in KEPT.findall(english) if kept not in chinese]
        assert missing == [], english


def test_help_is_chinese_by_default_and_english_with_lang_en(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DERM3R_LANG", raising=False)
    for argv in (["consult", "--help"], ["--lang", "en", "consult", "--help"], ["consult", "--help", "--lang=en"]):
        with pytest.raises(SystemExit) as raised:
            main(argv)
        assert raised.value.code == 0
        printed = capsys.readouterr().out
        if "en" in " ".join(argv):
            assert printed.startswith("usage: derm3r consult") and "show this help message and exit" in printed
            assert "run a consultation on a case JSON file" in printed and not CJK.search(printed)
        else:
            assert printed.startswith("用法：derm3r consult") and "显示本帮助并退出" in printed
            assert "\n选项：\n" in printed and "\n位置参数：\n" in printed and "选项:" not in printed
            assert "对病例 JSON 文件、标准输入或自由文本病历进行会诊" in printed and "（默认：textbook）" in printed
    monkeypatch.setenv("DERM3R_LANG", "en")  # the environment decides when the line says nothing
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "knowledge base tools" in capsys.readouterr().out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_help_renders_within_80_columns(lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    top = build_parser(lang)
    for parser in (top, *subparsers(top)):
        printed = parser.format_help()
        assert [line for line in printed.splitlines() if display_width(line) > 80] == [], parser.prog
        chinese = [bool(CJK.search(text)) for text in help_texts(parser)]
        assert chinese == [lang == "zh"] * len(chinese), parser.prog  # every text in the one language
        assert "(default: None)" not in printed and "(default: False)" not in printed  # nothing worth saying
