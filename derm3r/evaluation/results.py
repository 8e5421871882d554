"""``results.jsonl``: one record per case, appended atomically so a killed run can resume."""

from __future__ import annotations

import json
import os
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


class ResultsWriter:
    """Appends one record per call: a single write of the whole line, then flush and fsync."""

    def __init__(self, path: Path, *, append: bool) -> None:
        """Open the results file.

        Args:
            path: The results file.
            append: Keep existing records (resume); otherwise start an empty file.
        """
        self.path = path
        self._handle: IO[bytes] = path.open("ab" if append else "wb")

    def write(self, record: dict[str, Any]) -> None:
        """Append one record durably: it is either fully on disk or, after a crash, a partial tail line."""
        line = (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
        self._handle.write(line)
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def close(self) -> None:
        """Close the file."""
        self._handle.close()

    def __enter__(self) -> ResultsWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
