"""Which finished records a resumed run may keep: each record is keyed by its case id and a hash of its line.

A record is reused only for a line whose text hashes the same (the hash covers the whole line, its case id
included), so editing a data file between runs re-evaluates exactly the lines that changed; a line that moved
keeps its record under its new number. Records whose line changed are stale: they are dropped from
``results.jsonl`` and counted. Records of lines outside this run (beyond ``--limit``) stay in the file untouched.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from derm3r.evaluation.lines import EvaluationInputError, RawLine
from derm3r.evaluation.results import (
    RESULTS_FILE,
    StoredRecord,
    read_stored_records,
    repair_results,
    rewrite_results,
)

#: The record key holding the hash of the line it was evaluated from.
HASH_KEY = "line_hash"


def line_hash(raw: RawLine) -> str:
    """Hash one evaluation line as read (text without surrounding whitespace, bytes, or a dict's canonical JSON).

    Args:
        raw: The line.

    Returns:
        ``"blake2b:"`` and 32 hex digits; a dict that cannot be serialised gets a hash no line will match.
    """
    if isinstance(raw, bytes):
        data = raw.strip()
    elif isinstance(raw, str):
        data = raw.strip().encode("utf-8", "surrogatepass")
    else:
        try:
            data = json.dumps(raw, sort_keys=True, ensure_ascii=False, default=repr).encode("utf-8", "surrogatepass")
        except (RecursionError, ValueError, TypeError):
            data = b"\0unserialisable:" + str(id(raw)).encode()
    return "blake2b:" + hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass
class ResumePlan:
    """The records a resumed run keeps, and what it drops.

    Attributes:
        kept: Line number → the record reused for that line (renumbered where the line moved).
        file_records: Every record ``results.jsonl`` should hold from now on, in file order.
        stale: Case ids (or ``line N``) of the dropped records whose line changed or has no hash.
        rewrite: Whether the file must be rewritten (a record dropped, renumbered or repeated).
    """

    kept: dict[int, dict[str, Any]] = field(default_factory=dict)
    file_records: list[StoredRecord] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    rewrite: bool = False


def plan_resume(stored: Sequence[StoredRecord], lines: Sequence[tuple[int, str]]) -> ResumePlan:
    """Match the stored records to this run's lines by line hash.

    Args:
        stored: The complete records of ``results.jsonl``, in file order.
        lines: ``(line number, line hash)`` of every line this run covers.

    Returns:
        What to keep, what the file keeps (in its present order) and what was stale.
    """
    wanted = {number for number, _ in lines}
    # The newest record of a line wins (a line evaluated twice keeps its last result); older ones are dropped.
    latest: dict[int, int] = {}
    for position, item in enumerate(stored):
        latest[item.record["line"]] = position
    by_hash: dict[str, list[int]] = {}
    for number, position in latest.items():
        digest = stored[position].record.get(HASH_KEY)
        if number in wanted and isinstance(digest, str):
            by_hash.setdefault(digest, []).append(position)
    assigned: dict[int, int] = {}  # position in the file → the line number its record now belongs to
    for number, digest in lines:
        candidates = [position for position in by_hash.get(digest, []) if position not in assigned]
        if candidates:
            # The record of the same line number first; otherwise the line moved and takes its record along.
            same = [position for position in candidates if stored[position].record["line"] == number]
            assigned[(same or candidates)[0]] = number
    plan = ResumePlan()
    for position, item in enumerate(stored):
        number = item.record["line"]
        if number not in wanted:
            plan.file_records.append(item)  # a line outside this run: kept as it is
        elif position in assigned:
            if assigned[position] != number:
                item = item.renumbered(assigned[position])
                plan.rewrite = True
            plan.kept[assigned[position]] = item.record
            plan.file_records.append(item)
        else:
            plan.rewrite = True
            if latest[number] == position:
                plan.stale.append(str(item.record.get("case_id") or f"line {number}"))
    return plan


#: Files a finished run writes beside the results; removed when a run starts, so they exist only when complete.
REPORT_FILES = ("metrics.json", "report.md", "report.html")


def refuse_unasked_overwrite(out: Path, *, resume: bool, overwrite: bool) -> None:
    """Refuse a run directory that holds results unless the run continues (resume) or discards (overwrite) them.

    Args:
        out: The run directory.
        resume: The run continues the stored one.
        overwrite: The run discards the stored results.

    Raises:
        EvaluationInputError: When ``results.jsonl`` holds records and neither flag is set, or both are.
    """
    if resume and overwrite:
        raise EvaluationInputError("resume, overwrite: choose one (continue the run, or discard it)")
    results_path = out / RESULTS_FILE
    held = results_path.exists() and results_path.stat().st_size > 0
    if held and not resume and not overwrite:
        count = len(read_stored_records(results_path))
        raise EvaluationInputError(
            f"--out {out}: already holds {count} results ({RESULTS_FILE}); pass --resume to continue that run "
            "or --overwrite to discard it"
        )


def prepare_results(
    out: Path, lines: Sequence[tuple[int, RawLine]], *, resume: bool, overwrite: bool
) -> tuple[dict[int, dict[str, Any]], list[str]]:
    """Ready the run directory's ``results.jsonl`` for this run (the caller holds the directory's lock).

    Args:
        out: The run directory.
        lines: This run's ``(line number, raw line)``.
        resume: Keep the records whose line is unchanged.
        overwrite: Start over even though the directory holds results.

    Returns:
        The kept records by line number, and the case ids of the stale records dropped.

    Raises:
        EvaluationInputError: When the directory holds results and neither ``resume`` nor ``overwrite`` is set.
    """
    results_path = out / RESULTS_FILE
    refuse_unasked_overwrite(out, resume=resume, overwrite=overwrite)
    for name in REPORT_FILES:
        (out / name).unlink(missing_ok=True)
    if not resume:
        results_path.unlink(missing_ok=True)
        return {}, []
    repair_results(results_path)
    stored = read_stored_records(results_path)
    plan = plan_resume(stored, [(number, line_hash(raw)) for number, raw in lines])
    if plan.rewrite:
        rewrite_results(results_path, plan.file_records)
    return plan.kept, plan.stale
