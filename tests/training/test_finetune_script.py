"""finetune/train_lora.py reads like ``derm3r finetune``: Chinese help by default, English with --lang en or
DERM3R_LANG=en, and a bad setting is one line naming it, exit 2, in the same words as the CLI's."""

from __future__ import annotations

import os
import re
import runpy
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

pytest.importorskip("transformers")
pytest.importorskip("trl")

from derm3r.cli.main import main as cli_main
from derm3r.i18n.cli_help import help_text
from derm3r.i18n.training_flags import flag_entries

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "finetune" / "train_lora.py"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _default_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DERM3R_LANG", raising=False)
    monkeypatch.setenv("COLUMNS", "100")


def _script_main() -> Callable[[list[str]], int]:
    """The script's ``main``, loaded from its file (not run: ``run_path`` names it other than ``__main__``)."""
    return runpy.run_path(str(SCRIPT))["main"]  # type: ignore[no-any-return]


def _flat(text: str) -> str:
    return "".join(text.split())


def _help(main: Callable[[list[str]], int], arguments: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit_:
        main(arguments)
    assert exit_.value.code == 0
    return capsys.readouterr().out


def test_help_is_chinese_by_default_and_english_with_lang_en_or_derm3r_lang(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    main = _script_main()
    chinese = _help(main, ["--help"], capsys)
    assert chinese.startswith("用法：finetune/train_lora.py")  # its own name, in the CLI's usage wording
    assert _flat(flag_entries()["lora_r"]["zh"]) in _flat(chinese)  # TRL's flag, translated by name
    assert _flat(help_text("agent to train: rec, rep or reason", "zh")) in _flat(chinese)  # derm3r's own
    assert "agent to train" not in chinese and "LoRA R value." not in chinese

    english = _help(main, ["--lang", "en", "--help"], capsys)
    assert english.startswith("usage: finetune/train_lora.py") and not CJK.search(english)
    assert "agent to train: rec, rep or reason" in " ".join(english.split())
    monkeypatch.setenv("DERM3R_LANG", "en")
    assert not CJK.search(_help(main, ["--help"], capsys))


BAD_SETTINGS = [
    (["--lora_r", "x"], "参数 --lora_r/--lora-r：无效的 int 值：'x'", "argument --lora_r/--lora-r: invalid int value"),
    (["--agent", "tongue"], "agent：应为 rec、rep 或 reason，实际为 'tongue'", "agent: expected rec, rep or reason"),
    (["--rank", "4"], "--rank：已改名；请用 --lora_r", "--rank: renamed; use --lora_r"),
    (["--config", "no-such.yaml"], "--config：找不到 no-such.yaml", "--config: no-such.yaml not found"),
    (["--lang", "fr"], "参数 --lang：无效的选项 'fr'（可选：'zh', 'en'）", ""),
]


@pytest.mark.parametrize(("arguments", "chinese", "english"), BAD_SETTINGS, ids=lambda v: str(v)[:20])
def test_a_bad_setting_is_named_exit_2_in_the_words_of_derm3r_finetune(
    arguments: list[str], chinese: str, english: str, capsys: pytest.CaptureFixture[str]
) -> None:
    main = _script_main()
    assert main(arguments) == 2
    error = capsys.readouterr().err
    assert chinese in error and error.count("\n") == 1 and "Traceback" not in error
    if "--lang" not in arguments:  # (derm3r reads its --lang before finetune's flags, with its own message)
        assert cli_main(["finetune", *arguments]) == 2  # the CLI says the same
        assert capsys.readouterr().err == error
        assert main([*arguments, "--lang", "en"]) == 2
        error = capsys.readouterr().err
        assert english in error and not CJK.search(error)


def test_missing_training_data_names_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _script_main()(["--lang", "en", "--data-dir", str(tmp_path / "none")]) == 2
    error = capsys.readouterr().err
    assert str(tmp_path / "none" / "rec.train.jsonl") in error and "derm3r finetune prepare" in error


def test_the_script_run_as_a_program_exits_2_with_one_line() -> None:
    environment = {key: value for key, value in os.environ.items() if key != "DERM3R_LANG"}
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--lora_r", "x"],
        capture_output=True,
        text=True,
        timeout=300,
        env=environment,
        check=False,
    )
    assert run.returncode == 2, run.stderr
    assert run.stderr.splitlines() == ["derm3r：输入有误：训练设置：参数 --lora_r/--lora-r：无效的 int 值：'x'"]
