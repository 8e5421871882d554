"""Evaluation runs end to end: files written, bad lines recorded, resume after a real SIGKILL, CLI and compare."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from evalkit import CASES, DATA, REPO, data_lines, image_lines

from derm3r.cli.main import main
from derm3r.evaluation.runner import evaluate


def result_lines(out: Path) -> list[int]:
    return [json.loads(text)["line"] for text in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]


def test_example_file_matches_the_cases() -> None:
    lines = [json.loads(text) for text in data_lines()]
    assert len(lines) == 18
    # psoriasis.jsonl covers the psoriasis (ps-*) cases; other diseases' example cases live beside them.
    assert {line["case"]["case_id"] for line in lines} == {p.stem for p in CASES.glob("ps-*.json")}
    assert all(line["expert"]["herbs"] and line["expert"]["formula"].endswith("加减") for line in lines)


def test_run_writes_all_files_and_records_a_bad_line(fast_system, tmp_path: Path) -> None:
    bad = json.dumps({"case": {"case_id": "broken"}, "expert": {"herbs": [{"name": "甘草", "dose_g": -3}]}})
    data = tmp_path / "data.jsonl"
    data.write_text("\n".join([*data_lines()[:3], bad]) + "\n", encoding="utf-8")
    out = tmp_path / "run"
    run = evaluate(fast_system, data, out, case_dir=CASES, progress=False)
    assert {p.name for p in out.iterdir()} == {"results.jsonl", "metrics.json", "report.md", "report.html"}
    assert result_lines(out) == [1, 2, 3, 4]
    records = [json.loads(text) for text in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert records[3]["case_id"] == "broken"
    assert records[3]["consultation"] is None
    assert "line 4" in records[3]["error"] and "expert.herbs.0.dose_g" in records[3]["error"]
    assert records[0]["consultation"]["case_id"] == records[0]["case_id"]
    assert "syndrome_acc" in records[0]["scores"]
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert (metrics["cases"], metrics["scored"], metrics["errors"]) == (4, 3, 1)
    assert metrics == run.metrics
    html = (out / "report.html").read_text(encoding="utf-8")
    for record in records:
        assert record["case_id"] in html
    assert "<svg" in html and "http" not in html.split("<body>")[0]
    report_md = (out / "report.md").read_text(encoding="utf-8")
    # Chinese by default: the failed line is named the way report.html names it.
    assert "## 出错" in report_md and "- 第 4 行 (broken)" in report_md


def test_report_md_follows_the_language() -> None:
    from derm3r.evaluation.report import render_markdown

    metrics = {"cases": 2, "scored": 1, "errors": 1, "engines": ["knowledge"], "run": {"data": "d.jsonl"},
               "metrics": {"syndrome_acc": {"mean": 1.0, "ci_low": 1.0, "ci_high": 1.0, "n": 1}},
               "by_disease": {"白疕": {"n": 1, "metrics": {"syndrome_acc": 1.0}}}}
    records = [{"line": 2, "case_id": "c2", "error": "bad field"}]
    chinese = render_markdown(metrics, records)
    english = render_markdown(metrics, records, "en")
    assert chinese.startswith("# derm3r 评估报告") and "## 按病" in chinese and "- 第 2 行 (c2): bad field" in chinese
    assert english.startswith("# derm3r evaluation") and "## per disease" in english
    assert "- line 2 (c2): bad field" in english and "病例 2 例" not in english


def test_resume_discards_a_partial_line_and_skips_done_cases(fast_system, tmp_path: Path) -> None:
    lines = data_lines()[:4]
    out = tmp_path / "run"
    evaluate(fast_system, lines, out, limit=2, case_dir=CASES, progress=False)
    with (out / "results.jsonl").open("ab") as handle:
        handle.write(b'{"line": 3, "case_id": "half-writ')  # what a kill during a write leaves
    run = evaluate(fast_system, lines, out, resume=True, case_dir=CASES, progress=False)
    assert (run.evaluated, run.skipped) == (2, 2)
    assert sorted(result_lines(out)) == [1, 2, 3, 4]
    assert run.metrics["scored"] == 4


def test_concurrent_run_scores_like_a_sequential_one(fast_system, tmp_path: Path) -> None:
    lines = data_lines()[:6]
    one = evaluate(fast_system, lines, tmp_path / "one", case_dir=CASES, progress=False)
    two = evaluate(fast_system, lines, tmp_path / "two", concurrency=3, case_dir=CASES, progress=False)
    assert sorted(result_lines(tmp_path / "two")) == [1, 2, 3, 4, 5, 6]
    assert {k: v["mean"] for k, v in one.metrics["metrics"].items()} == {
        k: v["mean"] for k, v in two.metrics["metrics"].items()
    }


def test_api_evaluate_accepts_dicts(fast_system, tmp_path: Path) -> None:
    lines = [json.loads(text) for text in data_lines()[:2]]
    run = fast_system.evaluate(lines, tmp_path / "api", case_dir=CASES)
    assert run.metrics["scored"] == 2


def test_killed_cli_run_resumes_without_losing_or_repeating_a_case(tmp_path: Path) -> None:
    lines = image_lines(2)  # cases with photographs: slow enough to kill the run part-way
    data = tmp_path / "data.jsonl"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "run"
    command = [sys.executable, "-m", "derm3r.cli.main", "evaluate", str(data), "--out", str(out), "--concurrency",
               "1", "--no-retrieval", "--no-progress", "--case-dir", str(CASES), "--lang", "en"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    results = out / "results.jsonl"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and process.poll() is None:
        if results.exists() and results.read_bytes().count(b"\n") >= 2:
            break
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    written = results.read_bytes().count(b"\n")
    assert 2 <= written < len(lines), "the run was not killed part-way"
    assert not (out / "metrics.json").exists()
    resumed = subprocess.run([*command, "--resume"], env=env, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{len(lines)} cases" in resumed.stdout and "resumed" in resumed.stdout
    numbers = result_lines(out)
    assert sorted(numbers) == list(range(1, len(lines) + 1))
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["errors"] == 0 and metrics["run"]["resumed_from"] >= 2


def test_cli_evaluate_and_compare(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_a, run_b, run_c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    base = ["evaluate", str(DATA), "--case-dir", str(CASES), "--no-retrieval", "--no-progress", "--limit"]
    assert main([*base, "3", "--out", str(run_a)]) == 0
    assert main([*base, "3", "--out", str(run_b), "--scheme", "beijing"]) == 0
    assert main([*base, "2", "--out", str(run_c)]) == 0
    capsys.readouterr()
    assert main(["compare", str(run_a), str(run_b), "--out", str(tmp_path / "cmp")]) == 0
    printed = capsys.readouterr().out
    assert "辨证准确率" in printed and "a (knowledge)" in printed and "b (knowledge)" in printed and "Δ" in printed
    html = (tmp_path / "cmp" / "compare.html").read_text(encoding="utf-8")
    assert "a (knowledge)" in html and "b (knowledge)" in html and "<svg" in html
    assert not (run_a / "compare.html").exists()  # --out, not the first run's folder
    assert main(["compare", str(run_a), str(run_c), "--out", str(tmp_path / "cmp2")]) == 2  # other data
    assert "所评估的数据不同于" in capsys.readouterr().err


def test_compare_refuses_runs_whose_case_text_differs_under_the_same_ids_and_plans(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = json.loads(DATA.read_text(encoding="utf-8").splitlines()[0])
    edited = tmp_path / "edited.jsonl"
    first["case"]["history"] = str(first["case"].get("history", "")) + "，近一周加重"  # same case_id, same expert
    edited.write_text(json.dumps(first, ensure_ascii=False) + "\n", encoding="utf-8")
    base = ["evaluate", "--case-dir", str(CASES), "--no-retrieval", "--no-progress", "--limit", "1"]
    assert main([*base, str(DATA), "--out", str(tmp_path / "a")]) == 0
    assert main([*base, str(edited), "--out", str(tmp_path / "b")]) == 0
    capsys.readouterr()
    runs = [str(tmp_path / "a"), str(tmp_path / "b"), "--out", str(tmp_path / "cmp")]
    assert main(["compare", *runs]) == 2
    assert "病例 id 与专家方案相同，但数据文件不同：sha256" in capsys.readouterr().err
    assert main(["--lang", "en", "compare", *runs]) == 2
    assert "the same case ids and expert plans, but the data files differ" in capsys.readouterr().err
    assert not (tmp_path / "cmp" / "compare.html").exists()


def test_cli_bad_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(tmp_path / "missing.jsonl"), "--out", str(tmp_path / "o")]) == 2
    assert "找不到评估数据文件" in capsys.readouterr().err
    assert main(["evaluate", str(DATA), "--out", str(tmp_path / "o"), "--concurrency", "0"]) == 2
    assert "--concurrency" in capsys.readouterr().err
    assert main(["compare", str(tmp_path), str(tmp_path), "--out", str(tmp_path / "c")]) == 2
    assert "metrics.json" in capsys.readouterr().err


def test_reports_from_memory_equal_reports_from_the_file(fast_system, tmp_path: Path) -> None:
    # The run keeps only the consultation fields the reports read (REPORT_VIEW); a resumed run reads whole
    # records from results.jsonl. Both must render the same reports.
    from derm3r.evaluation.report import render_html, render_markdown
    from derm3r.evaluation.results import load_results

    out = tmp_path / "run"
    run = evaluate(fast_system, data_lines()[:6], out, case_dir=CASES, progress=False)
    records = sorted(load_results(out / "results.jsonl"), key=lambda record: record["line"])
    assert (out / "report.html").read_text(encoding="utf-8") == render_html(run.metrics, records)
    assert (out / "report.md").read_text(encoding="utf-8") == render_markdown(run.metrics, records)
    assert all("findings" in record["consultation"] and "trace" in record["consultation"] for record in records)


def test_spliced_values_write_the_same_bytes_as_encoding_the_record(tmp_path: Path) -> None:
    from derm3r.evaluation.lines import ExpertHerb, ExpertPlan
    from derm3r.evaluation.results import ResultsWriter

    plan = ExpertPlan(disease="白疕", syndrome_options={"A": "血热证"}, syndrome_answer=["A"],
                      herbs=[ExpertHerb(name="水牛角", dose_g=30), ExpertHerb(name="生地黄", dose_g=12.5),
                             ExpertHerb(name="甘草")], pathogenesis='热"毒\\蕴\n结')
    expert = plan.model_dump(exclude_defaults=True)
    record = {"line": 1, "case_id": "c-1", "consultation": {"case_id": "c-1", "x": [1.5, None]}, "expert": expert,
              "scores": {"herb_f1": 0.1 + 0.2}, "error": None, "ms": 4.25}
    plain, spliced = tmp_path / "plain.jsonl", tmp_path / "spliced.jsonl"
    with ResultsWriter(plain, append=False) as writer:
        writer.write({"consultation": record["consultation"]} | record)  # the consultation first, as spliced
        writer.write({**record, "consultation": None, "error": "line 2: boom"})
    with ResultsWriter(spliced, append=False) as writer:
        writer.write(record, consultation_json=json.dumps(record["consultation"], separators=(",", ":")).encode(),
                     encoded={"expert": plan.__pydantic_serializer__.to_json(plan, exclude_defaults=True)})
        writer.write({**record, "consultation": None, "error": "line 2: boom"},
                     encoded={"expert": plan.__pydantic_serializer__.to_json(plan, exclude_defaults=True)})
    assert spliced.read_bytes() == plain.read_bytes()


def test_expert_plans_are_written_like_json_would_even_with_tiny_doses(fast_system, tmp_path: Path) -> None:
    # pydantic writes 0.00005 where json writes 5e-05; such a plan is encoded by json instead.
    line = json.loads(data_lines()[0])
    line["expert"]["herbs"][0]["dose_g"] = 0.00005
    evaluate(fast_system, [json.dumps(line, ensure_ascii=False), data_lines()[1]], tmp_path / "run", case_dir=CASES,
             progress=False)
    for text in (tmp_path / "run" / "results.jsonl").read_text(encoding="utf-8").splitlines():
        expert = json.loads(text)["expert"]
        assert f'"expert":{json.dumps(expert, ensure_ascii=False, separators=(",", ":"))},' in text
    assert "5e-05" in (tmp_path / "run" / "results.jsonl").read_text(encoding="utf-8")


def test_run_times_its_own_steps_and_leaves_the_garbage_collector_as_it_was(fast_system, tmp_path: Path) -> None:
    import gc
    import threading

    threads = threading.active_count()
    run = evaluate(fast_system, data_lines()[:3], tmp_path / "run", case_dir=CASES, progress=False)
    steps = run.metrics["run"]["step_seconds"]
    assert set(steps) == {"parse", "score", "serialise", "write", "report_view"}
    assert all(value >= 0 for value in steps.values()) and steps["score"] > 0  # microseconds: never rounds to 0
    assert sum(steps.values()) + run.metrics["run"]["consult_seconds"] <= run.metrics["run"]["seconds"] + 0.01
    assert gc.get_freeze_count() == 0  # the heap frozen for the run is released
    assert threading.active_count() == threads  # the background fsync thread has ended
    # A program that froze objects itself keeps them frozen.
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        evaluate(fast_system, data_lines()[:1], tmp_path / "again", case_dir=CASES, progress=False)
        assert gc.get_freeze_count() >= frozen
    finally:
        gc.unfreeze()


def test_evaluate_line_returns_the_whole_consultation_as_written(fast_system) -> None:  # type: ignore[no-untyped-def]
    from derm3r.evaluation.case_record import evaluate_line

    record = evaluate_line(fast_system, 1, data_lines()[0], CASES)
    assert {"findings", "trace", "representation", "plan"} <= set(record["consultation"])
    assert record["consultation"]["case_id"] == record["case_id"]


def test_a_failed_background_fsync_is_raised_by_the_next_write() -> None:
    # /dev/null accepts writes but not fsync (EINVAL), a real failing fsync without a mock.
    from derm3r.evaluation.results import ResultsWriter

    writer = ResultsWriter(Path("/dev/null"), append=True, fsync_interval_s=0.001)
    time.sleep(0.01)
    writer.write({"line": 1})  # due for an fsync: handed to the background thread
    deadline = time.monotonic() + 5
    with pytest.raises(OSError):
        while time.monotonic() < deadline:
            writer.write({"line": 2})
            time.sleep(0.01)
    with pytest.raises(OSError):
        writer.close()  # the final fsync fails too; the file is closed all the same
    with pytest.raises(ValueError, match="closed file"):
        writer.write({"line": 3})


def test_fsync_every_line_runs_no_background_thread(tmp_path: Path) -> None:
    import threading

    from derm3r.evaluation.results import ResultsWriter, load_results

    threads = threading.active_count()
    with ResultsWriter(tmp_path / "results.jsonl", append=False, fsync_interval_s=0) as writer:
        assert threading.active_count() == threads
        writer.write({"line": 1, "scores": {}})
    assert load_results(tmp_path / "results.jsonl") == [{"line": 1, "scores": {}}]
