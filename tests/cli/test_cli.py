"""The ``derm3r`` command as a user runs it: real subprocesses, exit codes, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CASE = REPO / "examples" / "cases" / "ps-blood-stasis-1.json"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "derm3r.cli.main", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=300,
    )


def test_consult_json_prints_a_consultation() -> None:
    result = _run("consult", str(CASE), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["assessment"]["syndrome"]["name"] == "气血瘀滞证"


def test_consult_report_is_readable_chinese() -> None:
    result = _run("consult", str(CASE), "--no-retrieval")
    assert result.returncode == 0, result.stderr
    for heading in ("DERM-Rec", "DERM-Rep", "DERM-Reason", "治疗方案", "安全核查", "气血瘀滞证", "桃红四物汤"):
        assert heading in result.stdout
    assert "DERM-Reason 辨证论治" in result.stderr  # per-agent progress lines


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        # Chinese by default: the detail's wording is translated, the field names stay as the format spells them.
        ('{"case_id": "x", "patient": {"age": "old"}}', "字段 'patient.age'：应为数字"),
        ('{"history": "银屑病"}', "字段 'case_id'：缺少必填字段"),
        ('{"case_id": "x", "symptom": "痒"}', "字段 'symptom'：未知字段"),
        ('{"case_id": "x", "images": [{"path": "a.jpg", "view": "side"}]}', "字段 'images.0.view'"),
        ("{not json", "不是有效的 JSON（第 1 行"),
        ("[1, 2]", "病例应为 JSON 对象"),
    ],
)
def test_malformed_case_exits_2_naming_the_problem(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "case.json"
    path.write_text(content, encoding="utf-8")
    result = _run("consult", str(path), "--no-retrieval")
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_case_file_exits_2(tmp_path: Path) -> None:
    result = _run("consult", str(tmp_path / "nope.json"))
    assert result.returncode == 2 and "找不到病例文件" in result.stderr


def test_one_line_of_history_gets_a_consultation_or_abstention(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(
        json.dumps({"case_id": "one", "history": "全身起红疹伴瘙痒一周"}, ensure_ascii=False), encoding="utf-8"
    )
    result = _run("consult", str(path), "--json", "--no-retrieval")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["safety"]["abstained"] is True and data["safety"]["reason"]


def test_kb_search_finds_the_syndrome() -> None:
    result = _run("kb", "search", "关节疼痛 晨僵 遇寒湿加重", "--kind", "syndrome", "-k", "2")
    assert result.returncode == 0, result.stderr
    assert "syn.psoriasis.wind_damp_obstruction" in result.stdout.splitlines()[0]
