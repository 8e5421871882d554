"""A batch that cannot be corrupted: one writer per run directory, no silent truncation, resume by line hash,
and every hostile line is its own error record (issue 14)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from evalkit import CASES, DATA, REPO, data_lines, image_lines

from derm3r.cli.main import main
from derm3r.evaluation.runner import evaluate

CLI = ["--lang", "en", "evaluate", "--case-dir", str(CASES), "--no-retrieval", "--no-progress"]


def records(out: Path) -> list[dict]:
    data = (out / "results.jsonl").read_bytes()
    assert b"\0" not in data
    return [json.loads(line) for line in data.splitlines()]


def hostile_lines() -> list[bytes]:
    deep = b"[" * 100_000 + b"]" * 100_000
    huge = b'{"case": {"case_id": "huge", "patient": {"age": ' + b"9" * 5000 + b"}}}"
    deep_in_case = b'{"case": {"case_id": "deep", "previous_visits": [{"plan": {"formula": ' + b'{"a":' * 5000 + b"1"
    deep_in_case += b"}" * 5000 + b"}}]}}"
    not_utf8 = b'{"case": {"case_id": "latin1", "history": "\xe9\xff"}}'
    nul = b'{"case": {"case_id": "nul\x00"}}'
    surrogate = b'{"case": {"case_id": "\\ud800"}}'
    escape = b'{"case": {"case_id": "ansi\\u001b[31m"}, "expert": {"herbs": [{"name": "x", "dose_g": 1e999}]}}'
    return [deep, huge, deep_in_case, not_utf8, nul, surrogate, escape]


def test_second_writer_of_a_run_directory_exits_2_naming_the_holder(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    # 40 cases with photographs keep the first run writing while the second starts.
    with_images = image_lines(1)
    lines = image_lines(40 // len(with_images) + 1)
    data = tmp_path / "data.jsonl"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "run"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "derm3r.cli.main", *CLI, str(data), "--out", str(out)]
    first = subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and first.poll() is None and not (out / "results.jsonl").exists():
        time.sleep(0.02)
    try:
        assert main([*CLI, str(data), "--out", str(out), "--overwrite"]) == 2
        error = capsys.readouterr().err
        assert first.poll() is None, "the first run ended before the second was refused"
        assert f"pid {first.pid}" in error and socket.gethostname() in error and "started" in error
        assert main([*CLI, str(data), "--out", str(out), "--resume"]) == 2
    finally:
        first.kill()
        first.communicate()
    # The kernel dropped the killed run's lock: a resume takes the directory and finishes the batch unmixed.
    assert main([*CLI, str(data), "--out", str(out), "--resume"]) == 0
    written = records(out)
    assert sorted(record["line"] for record in written) == list(range(1, len(lines) + 1))
    assert [record["case_id"] for record in sorted(written, key=lambda r: r["line"])] == [
        json.loads(text)["case"]["case_id"] for text in lines
    ]
    assert all(record["error"] is None for record in written)
    assert not list(out.glob(".*lock*")), "the lock file is removed when the run ends"


def test_lock_is_taken_again_after_its_holder_is_gone(fast_system, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from derm3r.evaluation.run_lock import RunDirectoryBusyError, RunLock

    out = tmp_path / "run"
    out.mkdir()
    with RunLock(out), pytest.raises(RunDirectoryBusyError, match=f"pid {os.getpid()}"):
        evaluate(fast_system, data_lines()[:1], out, case_dir=CASES, progress=False)
    run = evaluate(fast_system, data_lines()[:1], out, case_dir=CASES, progress=False)
    assert run.evaluated == 1


def test_rerun_without_resume_refuses_to_truncate_unless_told(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "run"
    assert main([*CLI, str(DATA), "--out", str(out), "--limit", "2"]) == 0
    before = (out / "results.jsonl").read_bytes()
    capsys.readouterr()
    assert main([*CLI, str(DATA), "--out", str(out), "--limit", "1"]) == 2
    error = capsys.readouterr().err
    assert "--out" in error and "2 results" in error and "--overwrite" in error and "--resume" in error
    assert (out / "results.jsonl").read_bytes() == before
    assert main([*CLI, str(DATA), "--out", str(out), "--limit", "1", "--overwrite"]) == 0
    assert [record["line"] for record in records(out)] == [1]


def test_resume_re_evaluates_changed_lines_and_drops_their_stale_results(fast_system, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lines = data_lines()[:3]
    out = tmp_path / "run"
    evaluate(fast_system, lines, out, case_dir=CASES, progress=False)
    first = {record["line"]: record for record in records(out)}
    changed = json.loads(lines[1])
    changed["expert"]["formula"] = "消风散加减"
    lines[1] = json.dumps(changed, ensure_ascii=False)
    run = evaluate(fast_system, lines, out, resume=True, case_dir=CASES, progress=False)
    assert (run.evaluated, run.skipped) == (1, 2)
    assert run.stale == (changed["case"]["case_id"],)
    assert run.metrics["run"]["stale_dropped"] == 1
    now = records(out)
    assert [record["line"] for record in now] == [1, 3, 2]
    by_line = {record["line"]: record for record in now}
    assert by_line[2]["expert"]["formula"] == "消风散加减"
    assert by_line[2]["line_hash"] != first[2]["line_hash"]
    assert by_line[1] == first[1] and by_line[3] == first[3]


def test_resume_follows_a_line_that_moved_without_evaluating_it_again(fast_system, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lines = data_lines()[:3]
    out = tmp_path / "run"
    evaluate(fast_system, lines, out, case_dir=CASES, progress=False)
    ids = {record["case_id"]: record["line_hash"] for record in records(out)}
    moved = [lines[2], lines[0], lines[1]]
    run = evaluate(fast_system, moved, out, resume=True, case_dir=CASES, progress=False)
    assert (run.evaluated, run.skipped, run.stale) == (0, 3, ())
    by_line = {record["line"]: record for record in records(out)}
    moved_ids = [json.loads(text)["case"]["case_id"] for text in moved]
    assert [by_line[number]["case_id"] for number in (1, 2, 3)] == moved_ids
    assert {record["case_id"]: record["line_hash"] for record in by_line.values()} == ids


def test_every_hostile_line_is_its_own_error_record_at_every_resume(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    good = [text.encode("utf-8") for text in data_lines()[:2]]
    data = tmp_path / "data.jsonl"
    data.write_bytes(b"\n".join([good[0], *hostile_lines(), good[1]]) + b"\n")
    out = tmp_path / "run"
    assert main([*CLI, str(data), "--out", str(out)]) == 0
    written = records(out)
    total = len(hostile_lines()) + 2
    assert sorted(record["line"] for record in written) == list(range(1, total + 1))
    errors = {record["line"]: record["error"] for record in written}
    assert errors[1] is None and errors[total] is None
    assert all(errors[number] and f"line {number}" in errors[number] for number in range(2, total))
    assert "nested" in errors[2] and "UTF-8" in errors[5]
    assert main([*CLI, str(data), "--out", str(out), "--resume"]) == 0
    assert f"{total} cases (0 evaluated now, {total} resumed), {total - 2} errors" in capsys.readouterr().out


def test_out_that_is_a_file_or_holds_a_nul_exits_2(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    afile = tmp_path / "file.txt"
    afile.write_text("x", encoding="utf-8")
    assert main([*CLI, str(DATA), "--out", str(afile)]) == 2
    assert "--out" in capsys.readouterr().err
    assert afile.read_text(encoding="utf-8") == "x"
    assert main([*CLI, str(DATA), "--out", str(tmp_path / "a\0b")]) == 2
    assert "--out" in capsys.readouterr().err


def test_the_run_directory_is_locked_and_checked_before_the_engine_loads(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    # The engine spec is invalid: a run that loaded the engine first would fail on it, not on the busy directory.
    from derm3r.evaluation.run_lock import RunLock

    out = tmp_path / "run"
    out.mkdir()
    bad_engine = [*CLI, str(DATA), "--out", str(out), "--engine", "no-such-engine"]
    with RunLock(out):
        assert main(bad_engine) == 2
    error = capsys.readouterr().err
    assert "another evaluation is writing" in error and f"pid {os.getpid()}" in error
    (out / "results.jsonl").write_text('{"line": 1, "case_id": "kept"}\n', encoding="utf-8")
    assert main(bad_engine) == 2
    error = capsys.readouterr().err
    assert "already holds 1 results" in error and "no-such-engine" not in error
    assert not list(out.glob(".*lock*")), "the early refusal releases the lock"
