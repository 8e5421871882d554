"""The command line's flags: --version, stdin and free-text cases, defaults in help, --lang, ``derm3r example``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from derm3r import __version__
from derm3r.cli.main import main

REPO = Path(__file__).resolve().parents[2]
CASE = REPO / "examples" / "cases" / "ps-blood-stasis-1.json"
TEXT = "银屑病三年，皮损鲜红，新发不断，咽痛，口干，舌红苔黄，脉滑数"


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["--version"])
    assert raised.value.code == 0 and capsys.readouterr().out.strip() == f"derm3r {__version__}"


def test_free_text_case(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["consult", "--text", TEXT, "--json", "--no-retrieval"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["case_id"] == "text" and data["assessment"]["syndrome"]["name"] == "血热内蕴证"


def test_case_from_stdin_and_text_from_stdin() -> None:
    case = json.dumps({"case_id": "piped", "history": TEXT}, ensure_ascii=False)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "derm3r.cli.main", "consult"]
    piped = subprocess.run([*command, "-", "--json", "--no-retrieval"], input=case, capture_output=True, text=True,
                           env=env, timeout=300)
    assert piped.returncode == 0, piped.stderr
    assert json.loads(piped.stdout)["case_id"] == "piped"
    bad = subprocess.run([*command, "-", "--no-retrieval", "--lang", "en"], input="{not json", capture_output=True,
                         text=True, env=env, timeout=300)
    assert bad.returncode == 2 and "standard input: not valid JSON" in bad.stderr and "Traceback" not in bad.stderr


def test_no_case_or_two_cases_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["consult", "--no-retrieval"]) == 2
    assert "--text" in capsys.readouterr().err
    assert main(["--lang", "en", "consult", str(CASE), "--text", TEXT]) == 2
    assert "not both" in capsys.readouterr().err
    assert main(["consult", "--text", "  "]) == 2
    assert "病历文本为空" in capsys.readouterr().err


def test_error_details_follow_the_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = str(tmp_path / "nope.json")
    assert main(["consult", missing]) == 2
    assert capsys.readouterr().err.strip() == f"derm3r：输入有误：{missing}：找不到病例文件"
    assert main(["consult", missing, "--lang", "en"]) == 2
    assert capsys.readouterr().err.strip() == f"derm3r: bad input: {missing}: case file not found"
    bad = tmp_path / "bad.json"
    bad.write_text('{"case_id": "x", "patient": {"age": "old"}, "symptom": "痒"}', encoding="utf-8")
    assert main(["consult", str(bad), "--no-retrieval"]) == 2
    chinese = capsys.readouterr().err
    assert "病例格式有误" in chinese and "字段 'patient.age'：应为数字" in chinese
    assert "字段 'symptom'：未知字段" in chinese
    assert "Input should" not in chinese and "unknown field" not in chinese
    assert main(["--lang", "en", "consult", str(bad), "--no-retrieval"]) == 2
    english = capsys.readouterr().err
    assert "invalid case" in english and "field 'patient.age': Input should be a valid number" in english


def test_argparse_usage_errors_follow_the_language(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "data.jsonl"]) == 2
    chinese = capsys.readouterr().err
    assert chinese.startswith("用法：derm3r evaluate") and "derm3r evaluate：错误：缺少必需的参数：--out" in chinese
    assert main(["consult", "--min-confidence", "2", "x.json"]) == 2
    assert "参数 --min-confidence：应为 [0, 1] 之间的数，实际为 '2'" in capsys.readouterr().err
    assert main(["frob"]) == 2
    assert "无效的选项 'frob'（可选：'consult'" in capsys.readouterr().err
    assert main(["evaluate", "data.jsonl", "--lang", "en"]) == 2  # --lang after the subcommand counts too
    english = capsys.readouterr().err
    assert english.startswith("usage: derm3r evaluate")
    assert "derm3r evaluate: error: the following arguments are required: --out" in english


@pytest.mark.parametrize(("lang", "textbook", "one", "hybrid"), [
    ([], "（默认：textbook）", "（默认：1）", "（默认：hybrid）"),  # Chinese unless asked otherwise
    (["--lang", "en"], "(default: textbook)", "(default: 1)", "(default: hybrid)"),
])
def test_help_shows_defaults_in_the_chosen_language(
    lang: list[str], textbook: str, one: str, hybrid: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv, expected in ((["consult", "--help"], textbook), (["evaluate", "--help"], one),
                           (["kb", "search", "--help"], hybrid)):
        with pytest.raises(SystemExit):
            main([*lang, *argv])
        assert expected in capsys.readouterr().out, argv


def test_finetune_help_lists_its_subcommands_in_the_chosen_language(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["finetune", "--help"])
    printed = capsys.readouterr().out
    assert "finetune prepare" in printed and "finetune export" in printed and "--agent" in printed
    assert "三个子命令" in printed and "要训练的智能体：rec、rep 或 reason（默认：rec）" in printed
    with pytest.raises(SystemExit):
        main(["--lang", "en", "finetune", "--help"])
    english = capsys.readouterr().out
    assert "three subcommands" in english and "agent to train: rec, rep or reason (default: rec)" in english
    for placed_after in (["finetune", "--lang", "en", "--help"], ["finetune", "export", "--lang=en", "--help"]):
        with pytest.raises(SystemExit):  # --lang after finetune is derm3r's, not an unknown training flag
            main(placed_after)
        printed = capsys.readouterr().out
        assert "usage:" in printed or "three subcommands" in printed
        assert "用法" not in printed
    for command, chinese in (("prepare", "留作验证集的患者比例（默认：0.2）"), ("export", "导出文件夹")):
        with pytest.raises(SystemExit):
            main(["finetune", command, "--help"])
        assert chinese in capsys.readouterr().out


def test_lang_switches_errors_and_summaries(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = str(tmp_path / "nope.json")
    assert main(["consult", missing]) == 2
    assert capsys.readouterr().err.startswith("derm3r：输入有误：")
    assert main(["--lang", "en", "consult", missing]) == 2
    assert capsys.readouterr().err.startswith("derm3r: bad input:")
    assert main(["consult", missing, "--lang", "en"]) == 2  # after the subcommand as well
    assert capsys.readouterr().err.startswith("derm3r: bad input:")
    data = REPO / "examples" / "eval" / "psoriasis.jsonl"
    base = ["evaluate", str(data), "--limit", "1", "--no-retrieval", "--no-progress", "--case-dir",
            str(REPO / "examples" / "cases")]
    assert main([*base, "--out", str(tmp_path / "zh")]) == 0
    assert "共 1 例（本次评估 1 例" in capsys.readouterr().out
    assert main(["--lang", "en", *base, "--out", str(tmp_path / "en")]) == 0
    assert "1 cases (1 evaluated now, 0 resumed)" in capsys.readouterr().out
    assert "<title>derm3r 评估报告</title>" in (tmp_path / "zh" / "report.html").read_text(encoding="utf-8")
    english = (tmp_path / "en" / "report.html").read_text(encoding="utf-8")
    assert "<html lang=en>" in english and "<title>derm3r evaluation</title>" in english


def test_kb_and_serve_messages_follow_the_language(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["kb", "check"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("通过：diseases ")
    assert main(["--lang", "en", "kb", "check"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("OK: diseases ")
    monkeypatch.delenv("DERM3R_TOKEN", raising=False)
    assert main(["serve", "--host", "0.0.0.0", "--port", "0"]) == 2
    assert capsys.readouterr().err.startswith("derm3r serve：--host 0.0.0.0")
    assert main(["serve", "--host", "0.0.0.0", "--port", "0", "--lang", "en"]) == 2
    assert capsys.readouterr().err.startswith("derm3r serve: --host 0.0.0.0")


def test_example_copies_a_case_with_its_images_and_the_configs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ex"
    assert main(["example", "ps-blood-stasis-1", "--out", str(out)]) == 0
    case = json.loads((out / "ps-blood-stasis-1.json").read_text(encoding="utf-8"))
    for image in case["images"]:
        assert (out / image["path"]).stat().st_size > 1000
    assert {p.name for p in (out / "finetune-configs").iterdir()} == {"rec.yaml", "rep.yaml", "reason.yaml"}
    capsys.readouterr()
    assert main(["consult", str(out / "ps-blood-stasis-1.json"), "--json", "--no-retrieval"]) == 0
    consultation = json.loads(capsys.readouterr().out)
    assert [f["measurements"] is not None for f in consultation["findings"]] == [False, True, True]
    assert main(["example", "no-such-case", "--out", str(out)]) == 2
    assert "ps-blood-stasis-1" in capsys.readouterr().err
    assert main(["example", "--list"]) == 0
    assert "ps-blood-heat-1" in capsys.readouterr().out


@pytest.mark.slow
def test_first_run_reports_index_building(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "DERM3R_CACHE_DIR": str(tmp_path / "cache")}
    # The knowledge engine reads no retrieved passages, so a consultation leaves the index alone.
    consult = subprocess.run([sys.executable, "-m", "derm3r.cli.main", "consult", str(CASE), "--json"],
                             capture_output=True, text=True, env=env, timeout=600)
    assert consult.returncode == 0 and "向量索引" not in consult.stderr
    assert not (tmp_path / "cache" / "index").exists()
    result = subprocess.run([sys.executable, "-m", "derm3r.cli.main", "kb", "build"],
                            capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "首次运行：正在建立知识库向量索引" in result.stderr and "向量索引已建立" in result.stderr
    again = subprocess.run([sys.executable, "-m", "derm3r.cli.main", "kb", "build"],
                           capture_output=True, text=True, env=env, timeout=600)
    assert again.returncode == 0 and "向量索引" not in again.stderr
