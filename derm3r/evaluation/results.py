"""``results.jsonl``: one record per case, appended as whole lines so a killed run can resume."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import IO, Any

RESULTS_FILE = "results.jsonl"


def repair_results(path: Path) -> None:
    """Cut a trailing partial line (a run killed mid-write) so every line left is complete.

    Args:
        path: The results file; nothing happens when it does not exist.
    """
    if not path.exists():
        return
    with path.open("rb+") as handle:
        data = handle.read()
        end = data.rfind(b"\n") + 1
        if end != len(data):
            handle.truncate(end)
            handle.flush()
            os.fsync(handle.fileno())


def load_results(path: Path) -> list[dict[str, Any]]:
    """Read the complete records of a results file (a line that does not decode is skipped).

    Args:
        path: The results file.

    Returns:
        The records in file order, the last one kept where a line number repeats.
    """
    if not path.exists():
        return []
    records: dict[int, dict[str, Any]] = {}
    with path.open(encoding="utf-8") as handle:
        for text in handle:
            if not text.endswith("\n"):
                break
            try:
                record = json.loads(text)
            except json.JSONDecodeError:
                continue
            if isinstance(record, dict) and isinstance(record.get("line"), int):
                records[record["line"]] = record
    return list(records.values())


#: Longest time a written record may sit in the OS page cache before it is fsynced.
FSYNC_INTERVAL_S = 1.0


class ResultsWriter:
    """Appends one record per call as a single write of the whole line, flushed to the OS at once.

    Durability: a flushed line is in the kernel's page cache, so a killed process (``kill -9``, a crash, a
    closed terminal) loses nothing already written; only an OS crash or power loss can drop lines not yet
    fsynced. An fsync per line cost ~3 ms, more than half the consult time of the knowledge engine, so the
    file is fsynced at most once per :data:`FSYNC_INTERVAL_S` and on close: an OS crash loses at most the
    last second of cases, which ``--resume`` then evaluates again (a torn last line is cut by
    :func:`repair_results`).
    """

    def __init__(self, path: Path, *, append: bool, fsync_interval_s: float = FSYNC_INTERVAL_S) -> None:
        """Open the results file.

        Args:
            path: The results file.
            append: Keep existing records (resume); otherwise start an empty file.
            fsync_interval_s: Most seconds between fsyncs (0: fsync every line).
        """
        self.path = path
        self._handle: IO[bytes] = path.open("ab" if append else "wb")
        self._interval = fsync_interval_s
        self._synced_at = time.monotonic()
        self._dirty = False

    def write(self, record: dict[str, Any], *, consultation_json: str | None = None) -> None:
        """Append one record; it is either fully in the file or, after a kill mid-write, a partial tail line.

        Args:
            record: The result record.
            consultation_json: The record's consultation already serialised (``model_dump_json``): spliced in
                as the ``consultation`` value instead of encoding ``record["consultation"]`` again.
        """
        if consultation_json is None:
            text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        else:
            rest = json.dumps({key: value for key, value in record.items() if key != "consultation"},
                              ensure_ascii=False, separators=(",", ":"))
            text = f'{{"consultation":{consultation_json},{rest[1:]}' if len(rest) > 2 else \
                f'{{"consultation":{consultation_json}}}'
        self._handle.write((text + "\n").encode("utf-8"))
        self._handle.flush()
        self._dirty = True
        if time.monotonic() - self._synced_at >= self._interval:
            self.sync()

    def sync(self) -> None:
        """Force the written records to disk."""
        if self._dirty:
            os.fsync(self._handle.fileno())
            self._dirty = False
        self._synced_at = time.monotonic()

    def close(self) -> None:
        """Fsync and close the file."""
        if not self._handle.closed:
            try:
                self.sync()
            finally:
                self._handle.close()

    def __enter__(self) -> ResultsWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
