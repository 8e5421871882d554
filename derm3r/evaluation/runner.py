"""Run a system over an evaluation file, writing results as it goes, then metrics and reports."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from derm3r.errors import Derm3RError
from derm3r.evaluation.aggregate import aggregate
from derm3r.evaluation.lines import EvaluationInputError, iter_lines, parse_line
from derm3r.evaluation.metrics import score_case
from derm3r.evaluation.report import render_html, render_markdown
from derm3r.evaluation.results import RESULTS_FILE, ResultsWriter, load_results, repair_results

if TYPE_CHECKING:
    from derm3r.api import Derm3R
    from derm3r.evaluation.judge import Judge

RawLine = tuple[int, "str | dict[str, Any]"]


@dataclass(frozen=True)
class EvaluationRun:
    """What :func:`evaluate` did."""

    out_dir: Path
    metrics: dict[str, Any]
    evaluated: int
    skipped: int


def _raw_case_id(raw: str | dict[str, Any]) -> str | None:
    try:
        data = json.loads(raw) if isinstance(raw, str) else raw
        case_id = data["case"]["case_id"]
    except (ValueError, TypeError, KeyError):
        return None
    return case_id if isinstance(case_id, str) else None


@dataclass(frozen=True)
class _Outcome:
    """A result record and, when the case was consulted, its consultation already serialised for the file."""

    record: dict[str, Any]
    consultation_json: str | None = None


def evaluate_line(
    system: Derm3R, number: int, raw: str | dict[str, Any], case_dir: str | Path | None
) -> dict[str, Any]:
    """Consult and score one evaluation line; a bad line or a failed consultation becomes an error record.

    Args:
        system: The configured system.
        number: The line number.
        raw: The line's JSON text or object.
        case_dir: Folder the cases' image paths are relative to.

    Returns:
        The result record written to ``results.jsonl``.
    """
    return _evaluate_line(system, number, raw, case_dir).record


def _evaluate_line(
    system: Derm3R, number: int, raw: str | dict[str, Any], case_dir: str | Path | None, judge: Judge | None = None
) -> _Outcome:
    parsed = parse_line(number, raw)
    record: dict[str, Any] = {"line": number, "case_id": parsed.case_id, "consultation": None, "expert": None,
                              "scores": {}, "labels": {}, "diff": {}, "error": None, "ms": 0.0}
    if parsed.line is None:
        record["case_id"] = _raw_case_id(raw)
        record["error"] = parsed.error
        return _Outcome(record)
    record["expert"] = parsed.line.expert.model_dump(exclude_defaults=True)
    start = time.perf_counter()
    try:
        consultation = system.consult(parsed.line.case, case_dir=case_dir)
    except Derm3RError as error:
        record["error"] = f"line {number}: {error}"
        return _Outcome(record)
    except Exception as error:  # one broken case must not end a batch of thousands; the record keeps the cause
        record["error"] = f"line {number}: internal error ({type(error).__name__}: {error})"
        return _Outcome(record)
    record["ms"] = round((time.perf_counter() - start) * 1000, 2)
    scored = score_case(system.knowledge, parsed.line.expert, consultation)
    record.update(
        # The reports read the dict; the file gets pydantic's own JSON so the consultation is not encoded twice.
        consultation=consultation.model_dump(mode="json"),
        scores=scored.scores,
        labels=scored.labels,
        diff={
            "herbs_missing": scored.herbs_missing,
            "herbs_extra": scored.herbs_extra,
            "herbs_dose_off": scored.herbs_dose_off,
            "options_chosen": scored.options_chosen,
        },
    )
    if judge is not None:
        from derm3r.evaluation.judge import scaled_scores

        record["judge"] = judge.judge_record(parsed.line.expert, consultation)
        record["scores"] = {**record["scores"], **scaled_scores(record["judge"])}
    return _Outcome(record, consultation.model_dump_json())


def _run_all(
    system: Derm3R, pending: list[RawLine], case_dir: str | Path | None, concurrency: int, judge: Judge | None = None
) -> Iterator[_Outcome]:
    if concurrency == 1:
        for number, raw in pending:
            yield _evaluate_line(system, number, raw, case_dir, judge)
        return
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        futures: list[Future[_Outcome]] = [
            pool.submit(_evaluate_line, system, number, raw, case_dir, judge) for number, raw in pending
        ]
        try:
            for future in as_completed(futures):
                yield future.result()
        finally:
            for future in futures:
                future.cancel()


def _progress(total: int, enabled: bool) -> Any:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn, TimeRemainingColumn

    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        "ETA",
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not enabled,
    )


def evaluate(
    system: Derm3R,
    lines: str | Path | Iterable[str | dict[str, Any]],
    out_dir: str | Path,
    *,
    concurrency: int = 1,
    resume: bool = False,
    limit: int | None = None,
    case_dir: str | Path | None = None,
    progress: bool = True,
    seed: int = 0,
    judge: Judge | None = None,
) -> EvaluationRun:
    """Evaluate a system on expert-annotated cases.

    Writes ``out_dir/results.jsonl`` one case at a time as cases finish, then ``metrics.json``,
    ``report.md`` and ``report.html``.

    Args:
        system: The configured system.
        lines: A JSONL path, or an iterable of evaluation lines (JSON strings or dicts).
        out_dir: The run directory (created when missing).
        concurrency: Cases consulted at once (threads).
        resume: Keep the records already in ``results.jsonl`` and evaluate only the other lines.
        limit: Evaluate only the first ``limit`` lines.
        case_dir: Folder the cases' image paths are relative to (default: the JSONL file's folder).
        progress: Show a progress bar with ETA on stderr.
        seed: Bootstrap seed of the confidence intervals.
        judge: LLM judge that also scores each consulted case (see :mod:`derm3r.evaluation.judge`); its
            0–10 scores go to each record's ``judge`` and, scaled to [0, 1], to its ``judge_*`` scores.

    Returns:
        The run's directory, metrics and counts.

    Raises:
        EvaluationInputError: When an argument is out of range or the data file is unreadable.
    """
    if concurrency < 1:
        raise EvaluationInputError(f"concurrency: must be at least 1, got {concurrency}")
    if limit is not None and limit < 0:
        raise EvaluationInputError(f"limit: must not be negative, got {limit}")
    if case_dir is None and isinstance(lines, (str, Path)):
        case_dir = Path(lines).resolve().parent
    items: list[RawLine] = []
    for item in iter_lines(lines):
        if limit is not None and len(items) >= limit:
            break
        items.append(item)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    results_path = out / RESULTS_FILE
    wanted = {number for number, _ in items}
    by_line: dict[int, dict[str, Any]] = {}
    if resume:
        repair_results(results_path)
        by_line = {record["line"]: record for record in load_results(results_path) if record["line"] in wanted}
    pending = [item for item in items if item[0] not in by_line]
    start = time.perf_counter()
    consult_ms = 0.0
    with ResultsWriter(results_path, append=resume) as writer, _progress(len(items), progress) as bar:
        task = bar.add_task("evaluating", total=len(items), completed=len(items) - len(pending))
        for outcome in _run_all(system, pending, case_dir, concurrency, judge):
            record = outcome.record
            writer.write(record, consultation_json=outcome.consultation_json)
            by_line[record["line"]] = record
            consult_ms += record["ms"]
            bar.advance(task)
    seconds = time.perf_counter() - start
    records = [by_line[number] for number in sorted(by_line)]
    metrics = aggregate(records, seed=seed)
    metrics["run"] = {
        "data": str(lines) if isinstance(lines, (str, Path)) else "(in memory)",
        "engine": system.engine.name,
        "evaluated_now": len(pending),
        "resumed_from": len(items) - len(pending),
        "seconds": round(seconds, 3),
        "cases_per_second": round(len(pending) / seconds, 2) if seconds > 0 else None,
        "concurrency": concurrency,
        # Summed per-case consult time; with threads it overlaps, so only at concurrency 1 is
        # seconds − consult_seconds the evaluation's own cost (parsing, scoring, writing).
        "consult_seconds": round(consult_ms / 1000, 3),
    }
    if judge is not None:
        from derm3r.evaluation.judge import judge_summary

        metrics["judge"] = judge_summary(records, judge, seed=seed)
    (out / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out / "report.md").write_text(render_markdown(metrics, records), encoding="utf-8")
    (out / "report.html").write_text(render_html(metrics, records), encoding="utf-8")
    return EvaluationRun(out_dir=out, metrics=metrics, evaluated=len(pending), skipped=len(items) - len(pending))
