"""Run a system over an evaluation file, writing results as it goes, then metrics and reports."""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from derm3r.errors import Derm3RError
from derm3r.evaluation.aggregate import aggregate
from derm3r.evaluation.consulter import Consulter
from derm3r.evaluation.lines import (
    MAX_ERROR_CHARS,
    EvaluationInputError,
    ParsedLine,
    RawLine,
    iter_lines,
    load_json_line,
    parse_line,
)
from derm3r.evaluation.metrics import score_case
from derm3r.evaluation.provenance import data_hash, run_provenance
from derm3r.evaluation.report import render_html, render_markdown
from derm3r.evaluation.results import RESULTS_FILE, ResultsWriter, write_atomically
from derm3r.evaluation.resume import HASH_KEY, line_hash, prepare_results
from derm3r.evaluation.run_lock import RunLock, open_run_directory

if TYPE_CHECKING:
    from derm3r.evaluation.judge import Judge

NumberedLine = tuple[int, RawLine]

#: Lines validated ahead of their consultation, at concurrency 1.
READ_AHEAD = 32
#: The parts of a consultation that the reports read (report.py's case view; aggregate's engine list). The file
#: keeps the whole consultation; the records held in memory for the reports keep only these, which halves the
#: cost of turning each consultation into a dict and keeps a long run's memory (and garbage collection) small.
REPORT_VIEW: dict[str, Any] = {
    "case_id": True,
    "engine": True,
    "assessment": {"disease", "pathogenesis", "treatment_principle", "syndrome", "secondary_syndrome"},
    "representation": {"pathogenesis", "summary"},
    "plan": {"formula", "herbs"},
    "safety": {"warnings", "abstained", "reason", "referral", "red_flags"},
    "findings": {"__all__": {"source", "view", "quality", "measurements"}},
}
#: The case fields report.html shows as the patient's presentation, beside the expert and the system.
PRESENTATION_FIELDS = {"patient", "chief_complaint", "history", "lesion_description", "symptoms", "tongue", "pulse",
                       "images"}


@dataclass(frozen=True)
class EvaluationRun:
    """What :func:`evaluate` did."""

    out_dir: Path
    metrics: dict[str, Any]
    evaluated: int
    skipped: int
    stale: tuple[str, ...] = ()


def _raw_case_id(raw: RawLine) -> str | None:
    data = load_json_line(0, raw)[0] if isinstance(raw, (str, bytes)) else raw
    try:
        case_id = data["case"]["case_id"]
    except (TypeError, KeyError, IndexError):
        return None
    return case_id[:200] if isinstance(case_id, str) else None


@dataclass(frozen=True)
class _Outcome:
    """A result record, its consultation already serialised for the file, and the seconds each step took."""

    record: dict[str, Any]
    consultation_json: bytes | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    encoded: dict[str, bytes] = field(default_factory=dict)  # other values already serialised, by key


def evaluate_line(
    system: Consulter, number: int, raw: RawLine, case_dir: str | Path | None
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
    outcome = _evaluate_line(system, number, raw, case_dir)
    if outcome.consultation_json is not None:
        # The whole consultation, exactly as the file has it, not the reports' view.
        outcome.record["consultation"] = json.loads(outcome.consultation_json)
    return outcome.record


def _evaluate_line(
    system: Consulter, number: int, raw: RawLine, case_dir: str | Path | None, judge: Judge | None = None
) -> _Outcome:
    return _consult_and_score(system, _read_guarded(number, raw), case_dir, judge)


def _read_guarded(number: int, raw: RawLine) -> _ReadLine:
    try:
        return _read_line(number, raw)
    except Exception as error:  # a line is data: whatever it does to the reader becomes that line's error
        record = _empty_record(number, raw, None)
        record["error"] = f"line {number}: unreadable ({type(error).__name__}: {error})"[:MAX_ERROR_CHARS]
        return _ReadLine(ParsedLine(number, None, record["error"]), record, 0.0)


@dataclass(frozen=True)
class _ReadLine:
    """A validated (or rejected) line and its record so far: the part of evaluating a line that needs no system."""

    parsed: ParsedLine
    record: dict[str, Any]
    seconds: float
    expert_json: bytes | None = None


def _empty_record(number: int, raw: RawLine, case_id: str | None) -> dict[str, Any]:
    return {"line": number, "case_id": case_id, HASH_KEY: line_hash(raw), "consultation": None, "expert": None,
            "scores": {}, "labels": {}, "diff": {}, "error": None, "ms": 0.0}


def _read_line(number: int, raw: RawLine) -> _ReadLine:
    start = time.perf_counter()
    parsed = parse_line(number, raw)
    record = _empty_record(number, raw, parsed.case_id)
    if parsed.line is None:
        try:
            record["case_id"] = _raw_case_id(raw)
        except RecursionError:  # a Python object nested too deep to index is still just a bad line
            record["case_id"] = None
        record["error"] = parsed.error
        return _ReadLine(parsed, record, time.perf_counter() - start)
    expert = parsed.line.expert
    record["expert"] = expert.model_dump(exclude_defaults=True)
    record["presentation"] = parsed.line.case.model_dump(include=PRESENTATION_FIELDS, exclude_defaults=True)
    # The file gets pydantic's JSON of the plan (a third of the cost of encoding the dict), which is json's
    # byte for byte except for floats below 1e-4 (pydantic 0.00001, json 1e-05): a plan with such a dose is
    # left to the writer's encoder.
    exact = all(herb.dose_g is None or herb.dose_g >= 1e-4 for herb in expert.herbs)
    expert_json = expert.__pydantic_serializer__.to_json(expert, exclude_defaults=True) if exact else None
    return _ReadLine(parsed, record, time.perf_counter() - start, expert_json)


def _consult_and_score(
    system: Consulter, read: _ReadLine, case_dir: str | Path | None, judge: Judge | None
) -> _Outcome:
    try:
        return _consult_and_score_unguarded(system, read, case_dir, judge)
    except Exception as error:  # scoring or serialising one hostile case must not end the batch either
        record = {**read.record, "consultation": None, "scores": {}, "labels": {}, "diff": {}}
        record["error"] = f"line {read.parsed.number}: internal error ({type(error).__name__}: {error})"[
            :MAX_ERROR_CHARS
        ]
        return _Outcome(record, seconds={"parse": read.seconds})


def _consult_and_score_unguarded(
    system: Consulter, read: _ReadLine, case_dir: str | Path | None, judge: Judge | None
) -> _Outcome:
    parsed, record, number = read.parsed, read.record, read.parsed.number
    seconds = {"parse": read.seconds}
    encoded = {"expert": read.expert_json} if read.expert_json is not None else {}
    if parsed.line is None:
        return _Outcome(record, seconds=seconds)
    start = time.perf_counter()
    try:
        consultation = system.consult(parsed.line.case, case_dir=case_dir)
    except Derm3RError as error:
        record["error"] = f"line {number}: {error}"
        return _Outcome(record, seconds=seconds, encoded=encoded)
    except Exception as error:  # one broken case must not end a batch of thousands; the record keeps the cause
        record["error"] = f"line {number}: internal error ({type(error).__name__}: {error})"[:MAX_ERROR_CHARS]
        return _Outcome(record, seconds=seconds, encoded=encoded)
    scoring = time.perf_counter()
    record["ms"] = round((scoring - start) * 1000, 2)
    scored = score_case(system.knowledge, parsed.line.expert, consultation)
    viewing = time.perf_counter()
    # The reports read this view; the file gets pydantic's own JSON of the whole consultation (below), as bytes
    # so it is neither decoded nor encoded again.
    view = consultation.model_dump(mode="json", include=REPORT_VIEW)
    seconds |= {"score": viewing - scoring, "report_view": time.perf_counter() - viewing}
    record.update(
        consultation=view,
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
    serialising = time.perf_counter()
    consultation_json = consultation.__pydantic_serializer__.to_json(consultation)
    seconds["serialise"] = time.perf_counter() - serialising
    return _Outcome(record, consultation_json, seconds, encoded)


def _run_all(
    system: Consulter,
    pending: list[NumberedLine],
    case_dir: str | Path | None,
    concurrency: int,
    judge: Judge | None = None,
) -> Iterator[_Outcome]:
    if concurrency == 1:
        for start in range(0, len(pending), READ_AHEAD):
            # Lines are validated a batch at a time: right after a consultation the parser's code and data are
            # out of the CPU caches, and parsing one line there cost nearly twice what it costs in a batch.
            batch = [_read_guarded(number, raw) for number, raw in pending[start : start + READ_AHEAD]]
            for read in batch:
                yield _consult_and_score(system, read, case_dir, judge)
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


@contextmanager
def _older_objects_frozen() -> Iterator[None]:
    # Each case allocates thousands of short-lived objects, and every few hundred cases that set off a full
    # collection that rescanned the whole heap (the knowledge base, lexicons, caches: ~70 ms a time). Moving the
    # objects that exist before the run to the permanent generation makes full collections scan only the
    # run's own. Skipped when the program froze objects itself, since unfreezing would release those too.
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _progress() -> Any:
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
    )


def evaluate(
    system: Consulter,
    lines: str | Path | Iterable[str | dict[str, Any]],
    out_dir: str | Path,
    *,
    concurrency: int = 1,
    resume: bool = False,
    overwrite: bool = False,
    limit: int | None = None,
    case_dir: str | Path | None = None,
    progress: bool = True,
    seed: int = 0,
    judge: Judge | None = None,
    lang: str = "zh",
    held_lock: RunLock | None = None,
) -> EvaluationRun:
    """Evaluate a system on expert-annotated cases.

    Writes ``out_dir/results.jsonl`` one case at a time as cases finish, then ``metrics.json``,
    ``report.md`` and ``report.html``. The run holds an exclusive lock on ``out_dir`` (a second writer is
    refused), and every line — however malformed or hostile — gets exactly one record: its result or its error.

    Args:
        system: The configured system.
        lines: A JSONL path, or an iterable of evaluation lines (JSON strings or dicts).
        out_dir: The run directory (created when missing).
        concurrency: Cases consulted at once (threads).
        resume: Keep the records already in ``results.jsonl`` whose line is unchanged (same hash) and evaluate
            the other lines; records of changed lines are dropped and listed in the returned ``stale``.
        overwrite: Discard the results already in ``out_dir`` (without it, or ``resume``, they are refused).
        limit: Evaluate only the first ``limit`` lines.
        case_dir: Folder the cases' image paths are relative to (default: the JSONL file's folder).
        progress: Show a progress bar with ETA on stderr.
        seed: Bootstrap seed of the confidence intervals.
        judge: LLM judge that also scores each consulted case (see :mod:`derm3r.evaluation.judge`); its
            0–10 scores go to each record's ``judge`` and, scaled to [0, 1], to its ``judge_*`` scores.
        lang: Language of report.html's headings (``zh`` or ``en``).
        held_lock: The lock on ``out_dir`` when the caller took it already (the CLI does, before it loads the
            engine, so a second run is refused at once); without it the lock is taken here.

    Returns:
        The run's directory, metrics and counts.

    Raises:
        EvaluationInputError: When an argument is out of range, the data file is unreadable, ``out_dir`` is not
            a directory or already holds results (without ``resume`` or ``overwrite``).
        RunDirectoryBusyError: When another process is writing ``out_dir``.
    """
    if resume and overwrite:
        raise EvaluationInputError("resume, overwrite: choose one (continue the run, or discard it)")
    if concurrency < 1:
        raise EvaluationInputError(f"concurrency: must be at least 1, got {concurrency}")
    if limit is not None and limit < 0:
        raise EvaluationInputError(f"limit: must not be negative, got {limit}")
    if case_dir is None and isinstance(lines, (str, Path)):
        case_dir = Path(lines).resolve().parent
    items: list[NumberedLine] = []
    for item in iter_lines(lines):
        if limit is not None and len(items) >= limit:
            break
        items.append(item)
    out = open_run_directory(out_dir)
    if held_lock is not None and held_lock.path.parent.resolve() != out.resolve():
        raise EvaluationInputError(f"held_lock: locks {held_lock.path.parent}, not the run directory {out}")
    with nullcontext() if held_lock is not None else RunLock(out):
        return _evaluate_locked(system, lines, items, out, concurrency, resume, overwrite, case_dir, progress, seed,
                                judge, lang)


def _evaluate_locked(  # evaluate()'s own arguments, handed over once the directory is locked
    system: Consulter,
    lines: str | Path | Iterable[str | dict[str, Any]],
    items: list[NumberedLine],
    out: Path,
    concurrency: int,
    resume: bool,
    overwrite: bool,
    case_dir: str | Path | None,
    progress: bool,
    seed: int,
    judge: Judge | None,
    lang: str,
) -> EvaluationRun:
    results_path = out / RESULTS_FILE
    by_line, stale = prepare_results(out, items, resume=resume, overwrite=overwrite)
    pending = [item for item in items if item[0] not in by_line]
    start = time.perf_counter()
    consult_ms = 0.0
    steps = dict.fromkeys(("parse", "score", "serialise", "write", "report_view"), 0.0)
    # Without a bar none is built: a disabled rich Progress still took its lock and updated on every case.
    bar = _progress() if progress else None
    with (
        _older_objects_frozen(),
        ResultsWriter(results_path, append=True) as writer,
        bar if bar is not None else nullcontext(),
    ):
        task = bar.add_task("evaluating", total=len(items), completed=len(items) - len(pending)) if bar else None
        for outcome in _run_all(system, pending, case_dir, concurrency, judge):
            record = outcome.record
            writing = time.perf_counter()
            writer.write(record, consultation_json=outcome.consultation_json, encoded=outcome.encoded)
            for step, step_seconds in outcome.seconds.items():
                steps[step] = steps.get(step, 0.0) + step_seconds
            steps["write"] += time.perf_counter() - writing
            by_line[record["line"]] = record
            consult_ms += record["ms"]
            if bar is not None:
                bar.advance(task)
    seconds = time.perf_counter() - start
    records = [by_line[number] for number in sorted(by_line)]
    metrics = aggregate(records, seed=seed)
    metrics["run"] = {
        **run_provenance(system, concurrency=concurrency, lines=len(items), seed=seed,
                         case_dir=Path(case_dir).resolve() if case_dir is not None else None,
                         judge=getattr(judge, "model", None) if judge is not None else None),
        "data": str(lines) if isinstance(lines, (str, Path)) else "(in memory)",
        "data_sha256": data_hash(items),
        "engine": system.engine_name,
        "evaluated_now": len(pending),
        "resumed_from": len(items) - len(pending),
        "stale_dropped": len(stale),
        "seconds": round(seconds, 3),
        "cases_per_second": round(len(pending) / seconds, 2) if seconds > 0 else None,
        "concurrency": concurrency,
        # Summed per-case consult time; with threads it overlaps, so only at concurrency 1 is
        # seconds − consult_seconds the time spent outside consultations.
        "consult_seconds": round(consult_ms / 1000, 3),
        # The evaluation's own steps, summed over cases: parsing a line (and converting its expert plan), scoring,
        # serialising the consultation, writing the record; and the consultation's view kept for the reports.
        # Exact at concurrency 1; with threads they include waits for the GIL.
        "step_seconds": {step: round(step_seconds, 6) for step, step_seconds in steps.items()},
    }
    if judge is not None:
        from derm3r.evaluation.judge import judge_summary

        metrics["judge"] = judge_summary(records, judge, seed=seed)
    write_atomically(out / "report.md", render_markdown(metrics, records))
    write_atomically(out / "report.html", render_html(metrics, records, lang))
    # metrics.json last: its presence says the run (and its reports) finished.
    write_atomically(out / "metrics.json", json.dumps(metrics, ensure_ascii=False, indent=2) + "\n")
    return EvaluationRun(out_dir=out, metrics=metrics, evaluated=len(pending), skipped=len(items) - len(pending),
                         stale=tuple(stale))
