"""Property-based tests of ``evaluate`` lines: however hostile a line (deep nesting, huge numbers, bytes that are
not UTF-8, NUL, wrong types, giant strings), the run finishes and every line gets one record (issue 14)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from derm3r.evaluation.lines import MAX_LINE_CHARS, parse_line
from derm3r.evaluation.runner import evaluate

REPO = Path(__file__).resolve().parents[2]
GOOD = json.dumps({"case": {"case_id": "good", "history": "皮损鲜红，鳞屑较多，舌红苔黄，脉滑数"},
                   "expert": {"syndrome": "血热内蕴证"}}, ensure_ascii=False).encode("utf-8")

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
CASE_KEYS = st.sampled_from(["case_id", "patient", "visit", "history", "symptoms", "tongue", "images",
                             "previous_visits", "extra"])
EXPERT_KEYS = st.sampled_from(["disease", "syndrome", "syndrome_options", "syndrome_answer", "herbs", "formula"])


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, allow_nan=True).encode("utf-8", "surrogatepass")


@st.composite
def hostile_lines(draw: st.DrawFn) -> bytes:
    """One line of an evaluation file as a careless or hostile user might write it."""
    kind = draw(st.sampled_from(["shape", "deep", "number", "bytes", "utf8", "nul", "giant", "types"]))
    if kind == "shape":  # any JSON where a {case, expert} object should be
        case = draw(st.dictionaries(CASE_KEYS, JSON_VALUES, max_size=5))
        expert = draw(st.dictionaries(EXPERT_KEYS, JSON_VALUES, max_size=3))
        return _dumps(draw(st.sampled_from([{"case": case, "expert": expert}, {"case": case}, case, [case]])))
    if kind == "deep":  # nesting far past Python's recursion limit, in arrays, objects or inside a case field
        depth = draw(st.integers(500, 120_000))
        opener, closer = draw(st.sampled_from([(b"[", b"]"), (b'{"a":', b"}")]))
        nested = opener * depth + b"1" + closer * depth if opener != b"[" else opener * depth + closer * depth
        if draw(st.booleans()):
            return b'{"case": {"case_id": "deep", "previous_visits": [{"plan": {"formula": ' + nested + b"}}]}}"
        return nested
    if kind == "number":  # numbers json refuses (digits limit) or pydantic cannot hold
        digits = draw(st.integers(300, 20_000))
        field = draw(st.sampled_from([b'"patient": {"age": ', b'"visit": {"number": ']))
        sign = draw(st.sampled_from([b"", b"-"]))
        number = draw(st.sampled_from([b"9" * digits, b"1e" + b"9" * min(digits, 400), b"NaN", b"Infinity"]))
        return b'{"case": {"case_id": "n", ' + field + sign + number + b"}}}"
    if kind == "bytes":
        return draw(st.binary(max_size=300)).replace(b"\n", b" ")
    if kind == "utf8":  # a valid line with bytes that are not UTF-8 spliced in
        junk = draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xe9t\xe9", b"\xf8\x88\x80\x80\x80"]))
        at = draw(st.integers(0, len(GOOD)))
        return GOOD[:at] + junk + GOOD[at:]
    if kind == "nul":  # NUL and other controls, raw or escaped, in the case id and text
        control = draw(st.sampled_from(["\x00", "\x1b[31m", "\x07", "\u202e", "\ud800", "\udfff"]))
        raw = draw(st.booleans())
        text = json.dumps(f"id{control}", ensure_ascii=not raw).encode("utf-8", "surrogatepass")
        return b'{"case": {"case_id": ' + text + b', "history": ' + text + b"}}"
    if kind == "giant":  # longer than any field allows, and sometimes than a line may be
        size = draw(st.sampled_from([25_000, 300_000, MAX_LINE_CHARS + 10]))
        return b'{"case": {"case_id": "g", "history": "' + b"x" * size + b'"}}'
    value = draw(JSON_VALUES)  # a right key with a wrong type
    field = draw(st.sampled_from(["case_id", "patient", "images", "previous_visits", "visit", "tongue"]))
    return _dumps({"case": {"case_id": "t", field: value}, "expert": {"herbs": value}})


@settings(max_examples=300, deadline=None)
@given(raw=hostile_lines())
def test_parse_line_never_raises_and_names_the_line(raw: bytes) -> None:
    try:
        text: str | bytes = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw
    parsed = parse_line(7, text)
    assert (parsed.line is None) == (parsed.error is not None)
    if parsed.error is not None:
        assert parsed.error.startswith("line 7")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow, HealthCheck.data_too_large])
@given(lines=st.lists(hostile_lines(), min_size=1, max_size=4), resume=st.booleans())
def test_a_run_over_hostile_lines_finishes_with_one_record_per_line(fast_system, lines: list[bytes],
                                                                    resume: bool) -> None:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data.jsonl"
        body = [GOOD, *lines, GOOD]
        data.write_bytes(b"\n".join(body) + b"\n")
        out = Path(folder) / "run"
        run = evaluate(fast_system, data, out, progress=False)
        if resume:  # a resume reads every record back and keeps them all
            run = evaluate(fast_system, data, out, resume=True, progress=False)
            assert run.evaluated == 0 and run.stale == ()
        written = (out / "results.jsonl").read_bytes()
        records = [json.loads(line) for line in written.splitlines()]
        numbered = [number for number, line in enumerate(body, start=1) if line.strip()]
        assert sorted(record["line"] for record in records) == numbered
        assert records[0]["error"] is None and records[-1]["error"] is None
        for record in records:
            assert record["error"] is None or record["error"].startswith(f"line {record['line']}")
        assert run.metrics["cases"] == len(numbered)


def run_cli(*arguments: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "derm3r.cli.main", "--lang", "en", *arguments], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=300)


def test_cli_exit_code_over_a_file_of_hostile_lines_is_0_then_2_for_a_rerun(tmp_path: Path) -> None:
    data = tmp_path / "data.jsonl"
    hostile = [b"[" * 100_000, b'{"case": {"case_id": "n", "patient": {"age": ' + b"9" * 5000 + b"}}}",
               b"\xff\xfe\x00garbage", b'{"case": {"case_id": "\\ud800"}}', b'{"case": {"case_id": 7}}']
    data.write_bytes(b"\n".join([GOOD, *hostile]) + b"\n")
    out = tmp_path / "run"
    first = run_cli("evaluate", str(data), "--out", str(out), "--no-retrieval", "--no-progress")
    assert first.returncode == 0, first.stderr
    assert "6 cases (6 evaluated now, 0 resumed), 5 errors" in first.stdout
    again = run_cli("evaluate", str(data), "--out", str(out), "--no-retrieval", "--no-progress")
    assert again.returncode == 2 and "--overwrite" in again.stderr
    resumed = run_cli("evaluate", str(data), "--out", str(out), "--no-retrieval", "--no-progress", "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert "6 cases (0 evaluated now, 6 resumed), 5 errors" in resumed.stdout


def test_a_line_of_control_characters_is_an_error_not_a_blank_line(fast_system, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # Hypothesis found b"\x1c" (str.strip() drops \x1c-\x1f): the line vanished from the run without a record.
    data = tmp_path / "data.jsonl"
    data.write_bytes(b"\n".join([GOOD, b"\x1c", b" \t ", b"\x1f\x1e", GOOD]) + b"\n")
    evaluate(fast_system, data, tmp_path / "run", progress=False)
    records = [json.loads(line) for line in (tmp_path / "run" / "results.jsonl").read_bytes().splitlines()]
    assert sorted(record["line"] for record in records) == [1, 2, 4, 5]  # line 3 is blank
    errors = {record["line"]: record["error"] for record in records}
    assert errors[1] is None and errors[5] is None
    assert errors[2].startswith("line 2") and errors[4].startswith("line 4")
