"""`derm3r finetune` refuses nonsense settings before any model loads: the field, the problem, exit 2, no traceback.

Every case goes through the real CLI (``derm3r.cli.main``), once in-process per setting and once as a real
process, from a YAML ``--config`` or from flags.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("transformers")
pytest.importorskip("trl")

from derm3r.cli.main import main as cli_main

REPO = Path(__file__).resolve().parents[2]


def _config(tmp_path: Path, text: str, *, with_data: bool = True) -> Path:
    """A settings file for DERM-Rec whose data folder holds a (never read) training file unless ``with_data`` is off."""
    data = tmp_path / "data"
    if with_data:
        data.mkdir(exist_ok=True)
        (data / "rec.train.jsonl").write_text("", encoding="utf-8")
    config = tmp_path / "train.yaml"
    config.write_text(f"agent: rec\ndata_dir: {data}\noutput_dir: {tmp_path / 'out'}\n{text}", encoding="utf-8")
    return config


def _refused(arguments: list[str], capsys: pytest.CaptureFixture[str], lang: str = "en") -> str:
    assert cli_main(["--lang", lang, "finetune", *arguments]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and captured.out == ""
    return captured.err


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("learning_rate: -1\n", "learning_rate: must be a positive number, got -1.0"),
        ("learning_rate: .nan\n", "learning_rate: must be a positive number, got nan"),
        ("num_train_epochs: 0\n", "num_train_epochs: must be a positive number, got 0.0"),
        ("per_device_train_batch_size: -4\n", "per_device_train_batch_size: must be at least 1, got -4"),
        ("gradient_accumulation_steps: 0\n", "gradient_accumulation_steps: must be at least 1, got 0"),
        ("max_steps: 0\n", "max_steps: must be -1 (train num_train_epochs) or at least 1, got 0"),
        ("lora_r: 0\n", "lora_r: must be at least 1, got 0"),
        ("lora_alpha: -8\n", "lora_alpha: must be a positive number, got -8"),
        ("lora_dropout: 1\n", "lora_dropout: must be at least 0 and below 1, got 1.0"),
        ("lora_dropout: -0.1\n", "lora_dropout: must be at least 0 and below 1, got -0.1"),
        ("weight_decay: -0.01\n", "weight_decay: must be 0 or more, got -0.01"),
        ("seed: -1\n", "seed: must be 0 or more, got -1"),
    ],
)
def test_a_nonsense_value_is_refused_naming_the_field(
    yaml_text: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert f"derm3r: bad input: settings: {message}\n" in _refused(
        ["--config", str(_config(tmp_path, yaml_text))], capsys
    )


def test_every_bad_value_is_listed_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _config(tmp_path, "learning_rate: -1\nlora_r: 0\nnum_train_epochs: 0\n")
    err = _refused(["--config", str(config)], capsys)
    assert "settings: 3 problems:\n" in err
    for line in ("  learning_rate: must be", "  num_train_epochs: must be", "  lora_r: must be"):
        assert line in err


def test_an_unknown_yaml_key_is_named_with_the_nearest_setting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _config(tmp_path, "lora_rr: 3\n")
    err = _refused(["--config", str(config)], capsys)
    assert f"{config}: lora_rr: unknown setting (did you mean lora_r?)" in err
    assert "HfArgumentParser" not in err


def test_a_list_where_one_value_is_expected_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _config(tmp_path, "learning_rate: [0.001, 0.002]\n")
    err = _refused(["--config", str(config)], capsys)
    assert f"{config}: learning_rate: expected one value, got a list of 2 ([0.001, 0.002])" in err
    assert "HfArgumentParser" not in err


def test_lists_stay_allowed_where_a_setting_takes_several(tmp_path: Path) -> None:
    from derm3r.training.settings import load_settings

    settings = load_settings(["--config", str(_config(tmp_path, "lora_target_modules: [q_proj, v_proj]\n"))])
    assert settings.model.lora_target_modules == ["q_proj", "v_proj"]


def test_an_unknown_flag_and_a_second_value_on_the_command_line_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(_config(tmp_path, ""))
    err = _refused(["--config", config, "--lora-rr", "3"], capsys)
    assert "settings: --lora-rr: unknown setting (did you mean lora_r?)" in err
    err = _refused(["--config", config, "--learning-rate", "1e-4", "2e-4"], capsys)
    assert "settings: learning_rate: expected one value, got another, '2e-4'" in err


def test_a_missing_data_folder_or_file_is_named_before_the_base_model_loads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The base is a hub id never downloaded here (offline): reaching the model load would fail otherwise.
    config = str(_config(tmp_path, "model_name_or_path: no-such-org/no-such-model\n", with_data=False))
    err = _refused(["--config", config], capsys)
    data = tmp_path / "data"
    assert f"settings: data_dir: {data} does not exist (write {data / 'rec.train.jsonl'} with `derm3r finetune" in err
    (tmp_path / "data").mkdir()
    err = _refused(["--config", config], capsys)
    assert f"settings: data_dir: {tmp_path / 'data'} has no rec.train.jsonl" in err


def test_the_messages_read_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _config(tmp_path, "lora_rr: 3\nlearning_rate: [1, 2]\n")
    err = _refused(["--config", str(config)], capsys, lang="zh")
    assert "lora_rr：未知的设置（是否想写 lora_r？）" in err and "learning_rate：应为单个值，实际为含 2 项的列表" in err
    config = _config(tmp_path, "learning_rate: -1\nlora_dropout: 1\nmax_steps: 0\nseed: -1\n")
    err = _refused(["--config", str(config)], capsys, lang="zh")
    for chinese in (
        "learning_rate：应为正数",
        "lora_dropout：应不小于 0 且小于 1",
        "max_steps：应为 -1",
        "seed：应为 0 或更大",
    ):
        assert chinese in err
    assert "must be" not in err
    (tmp_path / "elsewhere").mkdir()
    config = _config(tmp_path / "elsewhere", "", with_data=False)
    err = _refused(["--config", str(config)], capsys, lang="zh")
    assert f"data_dir: {tmp_path / 'elsewhere' / 'data'} 不存在（请用 `derm3r finetune prepare" in err


def test_a_real_process_exits_2_with_the_field_and_no_traceback(tmp_path: Path) -> None:
    config = _config(tmp_path, "learning_rate: -1\n")
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    run = subprocess.run(
        [sys.executable, "-m", "derm3r.cli.main", "--lang", "en", "finetune", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=environment,
    )
    assert run.returncode == 2, run.stderr[-2000:]
    assert "learning_rate: must be a positive number, got -1.0" in run.stderr and "Traceback" not in run.stderr
