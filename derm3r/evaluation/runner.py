"""Run a system over an evaluation file, writing results as it goes, then metrics and reports.

Each line's record is made in :mod:`derm3r.evaluation.case_record`; this module schedules the lines, writes the
records, and aggregates them into ``metrics.json`` and the reports.
"""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from derm3r.evaluation.aggregate import aggregate
from derm3r.evaluation.case_record import Outcome, consult_and_score, evaluate_outcome, read_guarded
from derm3r.evaluation.consulter import Consulter
from derm3r.evaluation.lines import EvaluationInputError, RawLine, iter_lines
from derm3r.evaluation.provenance import data_hash, run_provenance
from derm3r.evaluation.report import render_html, render_markdown
from derm3r.evaluation.results import RESULTS_FILE, ResultsWriter, write_atomically
from derm3r.evaluation.resume import prepare_results
from derm3r.evaluation.run_lock import RunLock, open_run_directory

if TYPE_CHECKING:
    from derm3r.evaluation.judge import Judge

NumberedLine = tuple[int, RawLine]

#: Lines validated ahead of their consultation, at concurrency 1.
READ_AHEAD = 32


@dataclass(frozen=True)
class EvaluationRun:
    """What :func:`evaluate` did."""

    out_dir: Path
    metrics: dict[str, Any]
    evaluated: int
    skipped: int
    stale: tuple[str, ...] = ()


def _run_all(
    system: Consulter,
    pending: list[NumberedLine],
    case_dir: str | Path | None,
    concurrency: int,
    judge: Judge | None = None,
) -> Iterator[Outcome]:
    if concurrency == 1:
        for start in range(0, len(pending), READ_AHEAD):
            # Lines are validated a batch at a time: right after a consultation the parser's code and data are
            # out of the CPU caches, and parsing one line there cost nearly twice what it costs in a batch.
            batch = [read_guarded(number, raw) for number, raw in pending[start : start + READ_AHEAD]]
            for read in batch:
                yield consult_and_score(system, read, case_dir, judge)
        return
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        futures: list[Future[Outcome]] = [
            pool.submit(evaluate_outcome, system, number, raw, case_dir, judge) for number, raw in pending
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
        lang: Language of report.md's and report.html's headings (``zh`` or ``en``).
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
    write_atomically(out / "report.md", render_markdown(metrics, records, lang))
    write_atomically(out / "report.html", render_html(metrics, records, lang))
    # metrics.json last: its presence says the run (and its reports) finished.
    write_atomically(out / "metrics.json", json.dumps(metrics, ensure_ascii=False, indent=2) + "\n")
    return EvaluationRun(out_dir=out, metrics=metrics, evaluated=len(pending), skipped=len(items) - len(pending),
                         stale=tuple(stale))
