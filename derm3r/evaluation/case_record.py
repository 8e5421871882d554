"""One evaluation line's result record: read and validate the line, consult, score, serialise.

Whatever a line does — malformed JSON, a hostile case, a consultation or a scorer that raises — it becomes that
line's record with an ``error``, never an exception out of the batch.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from derm3r.clinic.sign_labels import evidence_implied_by, implications
from derm3r.errors import Derm3RError
from derm3r.evaluation.consulter import Consulter
from derm3r.evaluation.lines import MAX_ERROR_CHARS, ParsedLine, RawLine, load_json_line, parse_line
from derm3r.evaluation.metrics import score_case
from derm3r.evaluation.resume import HASH_KEY, line_hash

if TYPE_CHECKING:
    from derm3r.evaluation.judge import Judge

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


def _raw_case_id(raw: RawLine) -> str | None:
    data = load_json_line(0, raw)[0] if isinstance(raw, (str, bytes)) else raw
    try:
        case_id = data["case"]["case_id"]
    except (TypeError, KeyError, IndexError):
        return None
    return case_id[:200] if isinstance(case_id, str) else None


@dataclass(frozen=True)
class Outcome:
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
    outcome = evaluate_outcome(system, number, raw, case_dir)
    if outcome.consultation_json is not None:
        # The whole consultation, exactly as the file has it, not the reports' view.
        outcome.record["consultation"] = json.loads(outcome.consultation_json)
    return outcome.record


def evaluate_outcome(
    system: Consulter, number: int, raw: RawLine, case_dir: str | Path | None, judge: Judge | None = None
) -> Outcome:
    """Read, consult and score one line (what a worker thread runs); see :func:`evaluate_line`."""
    return consult_and_score(system, read_guarded(number, raw), case_dir, judge)


def read_guarded(number: int, raw: RawLine) -> ReadLine:
    """Validate one line; whatever the line does to the reader becomes its error record, never an exception."""
    try:
        return _read_line(number, raw)
    except Exception as error:  # a line is data: whatever it does to the reader becomes that line's error
        record = _empty_record(number, raw, None)
        record["error"] = f"line {number}: unreadable ({type(error).__name__}: {error})"[:MAX_ERROR_CHARS]
        return ReadLine(ParsedLine(number, None, record["error"]), record, 0.0)


@dataclass(frozen=True)
class ReadLine:
    """A validated (or rejected) line and its record so far: the part of evaluating a line that needs no system."""

    parsed: ParsedLine
    record: dict[str, Any]
    seconds: float
    expert_json: bytes | None = None


def _empty_record(number: int, raw: RawLine, case_id: str | None) -> dict[str, Any]:
    return {"line": number, "case_id": case_id, HASH_KEY: line_hash(raw), "consultation": None, "expert": None,
            "scores": {}, "labels": {}, "diff": {}, "error": None, "ms": 0.0}


def _read_line(number: int, raw: RawLine) -> ReadLine:
    start = time.perf_counter()
    parsed = parse_line(number, raw)
    record = _empty_record(number, raw, parsed.case_id)
    if parsed.line is None:
        try:
            record["case_id"] = _raw_case_id(raw)
        except RecursionError:  # a Python object nested too deep to index is still just a bad line
            record["case_id"] = None
        record["error"] = parsed.error
        return ReadLine(parsed, record, time.perf_counter() - start)
    expert = parsed.line.expert
    record["expert"] = expert.model_dump(exclude_defaults=True)
    record["presentation"] = parsed.line.case.model_dump(include=PRESENTATION_FIELDS, exclude_defaults=True)
    # The file gets pydantic's JSON of the plan (a third of the cost of encoding the dict), which is json's
    # byte for byte except for floats below 1e-4 (pydantic 0.00001, json 1e-05): a plan with such a dose is
    # left to the writer's encoder.
    exact = all(herb.dose_g is None or herb.dose_g >= 1e-4 for herb in expert.herbs)
    expert_json = expert.__pydantic_serializer__.to_json(expert, exclude_defaults=True) if exact else None
    return ReadLine(parsed, record, time.perf_counter() - start, expert_json)


def consult_and_score(
    system: Consulter, read: ReadLine, case_dir: str | Path | None, judge: Judge | None
) -> Outcome:
    """Consult and score a read line; a failure in scoring or serialising becomes the line's error record."""
    try:
        return _consult_and_score_unguarded(system, read, case_dir, judge)
    except Exception as error:  # scoring or serialising one hostile case must not end the batch either
        record = {**read.record, "consultation": None, "scores": {}, "labels": {}, "diff": {}}
        record["error"] = f"line {read.parsed.number}: internal error ({type(error).__name__}: {error})"[
            :MAX_ERROR_CHARS
        ]
        return Outcome(record, seconds={"parse": read.seconds})


def _consult_and_score_unguarded(
    system: Consulter, read: ReadLine, case_dir: str | Path | None, judge: Judge | None
) -> Outcome:
    parsed, record, number = read.parsed, read.record, read.parsed.number
    seconds = {"parse": read.seconds}
    encoded = {"expert": read.expert_json} if read.expert_json is not None else {}
    if parsed.line is None:
        return Outcome(record, seconds=seconds)
    start = time.perf_counter()
    try:
        consultation = system.consult(parsed.line.case, case_dir=case_dir)
    except Derm3RError as error:
        record["error"] = f"line {number}: {error}"
        return Outcome(record, seconds=seconds, encoded=encoded)
    except Exception as error:  # one broken case must not end a batch of thousands; the record keeps the cause
        record["error"] = f"line {number}: internal error ({type(error).__name__}: {error})"[:MAX_ERROR_CHARS]
        return Outcome(record, seconds=seconds, encoded=encoded)
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
        # 苔黄 read as 苔薄黄 from the same words: the case view folds it under 苔薄黄 (the view has no signs).
        implied=evidence_implied_by(consultation, implications(system.knowledge)),
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
    return Outcome(record, consultation_json, seconds, encoded)
