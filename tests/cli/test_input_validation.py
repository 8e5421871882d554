"""Every bad input is exit 2 naming the field; options range-checked; image paths confined; nothing a case says
is obeyed by the terminal (issue 14)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from derm3r.case_io import parse_case
from derm3r.cli.main import main
from derm3r.errors import CaseInputError, OptionError
from derm3r.evaluation.lines import parse_line
from derm3r.graph.context import Settings
from derm3r.printable import escape_json_text, printable

REPO = Path(__file__).resolve().parents[2]
CASES = REPO / "examples" / "cases"
CASE = CASES / "ps-blood-heat-1.json"
DATA = REPO / "examples" / "eval" / "psoriasis.jsonl"


def run_cli(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str]:
    try:
        code = main(["--lang", "en", *arguments])
    except SystemExit as exit_:  # argparse reports a bad option by exiting 2
        code = int(exit_.code or 0)
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["consult", str(CASE), "--engine", "bogus", "--no-retrieval"], "--engine"),
        (["consult", str(CASE), "--engine", "hf", "--engine-option", "model=/no/such/model", "--no-retrieval"],
         "model="),
        (["consult", str(CASE), "--min-confidence", "nan", "--no-retrieval"], "--min-confidence"),
        (["consult", str(CASE), "--min-confidence", "-1", "--no-retrieval"], "--min-confidence"),
        (["consult", str(CASE), "--min-confidence", "1.5", "--no-retrieval"], "--min-confidence"),
        (["kb", "search", "血热", "-k", "0", "--mode", "bm25"], "-k"),
        (["evaluate", str(DATA), "--out", "x", "--concurrency", "0"], "--concurrency"),
        (["evaluate", str(DATA), "--out", "x", "--limit", "-1"], "--limit"),
        (["evaluate", str(DATA), "--out", "a\0b"], "--out"),
        (["kb", "search", "血热", "--path", "/etc", "--mode", "bm25"], "--path"),
    ],
)
def test_bad_option_exits_2_naming_it(capsys: pytest.CaptureFixture[str], arguments: list[str], named: str) -> None:
    code, error = run_cli(capsys, *arguments)
    assert code == 2, error
    assert named in error
    assert "internal error" not in error and "Traceback" not in error


def test_kb_path_that_is_not_a_knowledge_dir_leaves_the_shared_index_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    index = Path(os.environ["DERM3R_CACHE_DIR"]) / "index"
    before = sorted(p.name for p in index.iterdir()) if index.exists() else []
    (tmp_path / "notes.txt").write_text("not knowledge", encoding="utf-8")
    code, error = run_cli(capsys, "kb", "build", "--path", str(tmp_path))
    assert code == 2 and "not a knowledge directory" in error
    assert (sorted(p.name for p in index.iterdir()) if index.exists() else []) == before


def test_nul_in_an_image_path_is_a_named_field_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = tmp_path / "case.json"
    case.write_text(json.dumps({"case_id": "nul", "images": [{"path": "a\u0000b.jpg"}]}), encoding="utf-8")
    code, error = run_cli(capsys, "consult", str(case), "--no-retrieval")
    assert code == 2 and "images.0.path" in error and "control characters" in error


@pytest.mark.parametrize(
    ("case", "field"),
    [
        ({"case_id": "b", "patient": {"age": True}}, "patient.age"),
        ({"case_id": "b", "visit": {"number": False}}, "visit.number"),
        ({"case_id": "b", "previous_visits": [{"plan": {"herbs": [{"name": "甘草", "dose_g": True}]}}]},
         "previous_visits.0.plan.herbs.0.dose_g"),
    ],
)
def test_a_boolean_is_never_read_as_a_number(case: dict, field: str) -> None:
    with pytest.raises(CaseInputError, match=rf"field '{field}'.*boolean"):
        parse_case(case)


def test_expert_dose_refuses_a_boolean_and_a_real_age_still_reads() -> None:
    bad = parse_line(1, {"case": {"case_id": "c"}, "expert": {"herbs": [{"name": "甘草", "dose_g": True}]}})
    assert bad.line is None and "expert.herbs.0.dose_g" in (bad.error or "")
    assert parse_case({"case_id": "a", "patient": {"age": 35}}).patient.age == 35.0


@pytest.mark.parametrize("value", [float("nan"), -0.1, 1.01, float("inf"), "0.5", True])
def test_settings_refuse_a_confidence_outside_0_1(value: object) -> None:
    with pytest.raises(OptionError, match="min_confidence") as raised:
        Settings(min_confidence=value)  # type: ignore[arg-type]
    assert not isinstance(raised.value, CaseInputError), "a setting is not a case"


def test_python_api_confines_image_paths_of_a_dict_case_to_the_current_directory(system) -> None:  # type: ignore[no-untyped-def]
    case = {"case_id": "escape", "history": "皮损鲜红", "images": [{"path": "/etc/passwd"}]}
    with pytest.raises(CaseInputError, match="outside the allowed folder"):
        system.consult(case)
    relative = {"case_id": "inside", "history": "皮损鲜红", "images": [{"path": "../etc/passwd"}]}
    with pytest.raises(CaseInputError, match="outside the allowed folder"):
        system.consult(relative, case_dir=CASES)


def test_python_api_reads_an_image_inside_the_current_directory(system, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    photo = json.loads(CASE.read_text(encoding="utf-8"))["images"][0]["path"]
    monkeypatch.chdir(CASES)
    consultation = system.consult({"case_id": "inside", "images": [{"path": photo}]})
    assert any(finding.quality is not None for finding in consultation.findings)


def test_printable_removes_escape_sequences_controls_and_bidi_overrides() -> None:
    hostile = "ps\x1b[31m-001\x1b]0;pwned\x07\x9b2J\u202eevil\r\x00ok\tend\n"
    assert printable(hostile) == "ps-001evilok\tend\n"
    assert printable("白疕 血热内蕴证") == "白疕 血热内蕴证"
    escaped = escape_json_text(json.dumps({"id": "a\x9b2J\u202e"}, ensure_ascii=False))
    assert "\x9b" not in escaped and "\u202e" not in escaped
    assert json.loads(escaped) == {"id": "a\x9b2J\u202e"}


def test_ansi_in_a_case_id_never_reaches_the_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = tmp_path / "case.json"
    hostile_id = "ps\x1b[2J\x1b]0;owned\x07-\x9b31m1"
    case.write_text(json.dumps({"case_id": hostile_id, "history": "全身红斑鳞屑，舌红苔黄，脉滑数"}), encoding="utf-8")
    assert main(["--lang", "en", "consult", str(case), "--no-retrieval"]) == 0
    report = capsys.readouterr().out
    assert "ps-1" in report and "\x1b]0" not in report and "[2J" not in report and "\x9b" not in report
    assert main(["--lang", "en", "consult", str(case), "--no-retrieval", "--json"]) == 0
    printed = capsys.readouterr().out
    assert "\x1b" not in printed and "\x9b" not in printed
    assert json.loads(printed)["case_id"] == hostile_id  # JSON keeps the value, escaped
    missing = tmp_path / "missing\x1b[31m.json"
    assert main(["--lang", "en", "consult", str(missing), "--no-retrieval"]) == 2
    assert "\x1b" not in capsys.readouterr().err


def test_a_closed_stdout_pipe_ends_quietly() -> None:
    command = [sys.executable, "-m", "derm3r.cli.main", "--lang", "en", "kb", "search", "血热 皮损鲜红", "-k", "30",
               "--mode", "bm25"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # what `| head -1` does once it has its line
    error = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=120) == 0, error
    assert error == ""
