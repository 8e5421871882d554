"""``results.jsonl``: one record per case, appended as whole lines so a killed run can resume."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
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
    records: dict[int, dict[str, Any]] = {}
    for item in read_stored_records(path):
        records[item.record["line"]] = item.record
    return list(records.values())


@dataclass(frozen=True)
class StoredRecord:
    """One complete record of ``results.jsonl`` and its exact bytes (rewritten as they were)."""

    record: dict[str, Any]
    data: bytes

    def renumbered(self, line: int) -> StoredRecord:
        """Return this record moved to another line number (its line moved in the data file)."""
        record = {**self.record, "line": line}
        return StoredRecord(record, encode_text(_encode(record)) + b"\n")


def read_stored_records(path: Path) -> list[StoredRecord]:
    """Read every complete, decodable record of a results file in file order (repeats included).

    Args:
        path: The results file; a missing file has no records.

    Returns:
        The records with their bytes; torn, undecodable or foreign lines are skipped.
    """
    if not path.exists():
        return []
    stored: list[StoredRecord] = []
    with path.open("rb") as handle:
        for data in handle:
            if not data.endswith(b"\n"):
                break
            try:
                record = json.loads(data)
            except (ValueError, RecursionError):  # a torn write, NUL bytes, not UTF-8
                continue
            if isinstance(record, dict) and isinstance(record.get("line"), int):
                stored.append(StoredRecord(record, data))
    return stored


def rewrite_results(path: Path, stored: list[StoredRecord]) -> None:
    """Replace the results file with these records, atomically: a kill leaves the old file or the new one.

    Args:
        path: The results file.
        stored: The records to keep, in the order to write them.
    """
    temporary = path.with_name(path.name + ".rewrite")
    with temporary.open("wb") as handle:
        handle.writelines(item.data for item in stored)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    _fsync_directory(path.parent)


def write_atomically(path: Path, text: str) -> None:
    """Write a text file whole or not at all (a temporary file renamed over it).

    Args:
        path: The file.
        text: Its new content (UTF-8).
    """
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(encode_text(text))
    os.replace(temporary, path)


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def encode_text(text: str) -> bytes:
    """UTF-8 of JSON text; a lone surrogate (json.loads accepts an escaped one) is written as its JSON escape.

    Args:
        text: JSON text, or any text.

    Returns:
        Valid UTF-8 bytes.
    """
    return text.encode("utf-8", "backslashreplace")


#: Compact JSON that keeps non-ASCII text readable; built once (json.dumps builds an encoder per call), without the
#: reference-cycle check, which a record (a tree of plain values) never needs.
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode


def _encode_with(record: Mapping[str, Any], encoded: Mapping[str, bytes]) -> bytes:
    # The record's JSON in its key order, exactly as _encode(record) would write it, except that the values of
    # the keys in `encoded` are copied as given instead of being encoded here.
    parts: list[bytes] = []
    plain: dict[str, Any] = {}
    for key, value in record.items():
        given = encoded.get(key)
        if given is None:
            plain[key] = value
            continue
        if plain:
            parts.append(encode_text(_encode(plain)[1:-1]))
            plain = {}
        parts.append(encode_text(_encode(key)) + b":" + given)
    if plain:
        parts.append(encode_text(_encode(plain)[1:-1]))
    return b"{" + b",".join(parts) + b"}"


#: Longest time a written record may sit in the OS page cache before it is fsynced.
FSYNC_INTERVAL_S = 1.0


class ResultsWriter:
    """Appends one record per call as a single write of the whole line, flushed to the OS at once.

    Durability: a flushed line is in the kernel's page cache, so a killed process (``kill -9``, a crash, a
    closed terminal) loses nothing already written; only an OS crash or power loss can drop lines not yet
    fsynced. An fsync per line cost ~3 ms, more than half the consult time of the knowledge engine, so the
    file is fsynced about once per :data:`FSYNC_INTERVAL_S` and on close: an OS crash loses at most the last
    second or so of cases, which ``--resume`` then evaluates again (a torn last line is cut by
    :func:`repair_results`). The periodic fsyncs run on a background thread (an fsync releases the GIL and
    mostly waits on the disk), so the evaluation does not stall on them; an fsync error there is raised by
    the next :meth:`write` or by :meth:`close`.
    """

    def __init__(self, path: Path, *, append: bool, fsync_interval_s: float = FSYNC_INTERVAL_S) -> None:
        """Open the results file.

        Args:
            path: The results file.
            append: Keep existing records (resume); otherwise start an empty file.
            fsync_interval_s: Most seconds between fsyncs (0: fsync every line before :meth:`write` returns).
        """
        self.path = path
        self._handle: IO[bytes] = path.open("ab" if append else "wb")
        self._interval = fsync_interval_s
        self._synced_at = time.monotonic()
        self._dirty = False
        self._wanted = threading.Event()
        self._closing = False
        self._error: OSError | None = None
        self._syncer: threading.Thread | None = None
        if fsync_interval_s > 0:
            self._syncer = threading.Thread(target=self._sync_in_background, name="results-fsync", daemon=True)
            self._syncer.start()

    def _sync_in_background(self) -> None:
        descriptor = self._handle.fileno()
        while True:
            self._wanted.wait()
            self._wanted.clear()
            if self._closing:
                return
            try:
                os.fsync(descriptor)
            except OSError as error:
                self._error = error
                return

    def write(
        self,
        record: dict[str, Any],
        *,
        consultation_json: str | bytes | None = None,
        encoded: Mapping[str, bytes] | None = None,
    ) -> None:
        """Append one record; it is either fully in the file or, after a kill mid-write, a partial tail line.

        Args:
            record: The result record.
            consultation_json: The record's whole consultation already serialised (pydantic's JSON, as text or
                UTF-8 bytes): written first, as the ``consultation`` value, instead of ``record["consultation"]``.
            encoded: Other values already serialised as JSON (UTF-8), written in place of those keys' values.
        """
        encoded = encoded or {}
        if consultation_json is None:
            line = _encode_with(record, encoded) + b"\n"
        else:
            rest = _encode_with({key: value for key, value in record.items() if key != "consultation"}, encoded)
            if isinstance(consultation_json, str):
                consultation_json = encode_text(consultation_json)
            # rest[1:] is the other keys after the opening brace, with the closing one.
            line = b"".join((b'{"consultation":', consultation_json, b"," + rest[1:] if len(rest) > 2 else b"}", b"\n"))
        self._raise_sync_error()
        self._handle.write(line)
        self._handle.flush()
        if self._syncer is None:
            os.fsync(self._handle.fileno())
            return
        self._dirty = True
        now = time.monotonic()
        if now - self._synced_at >= self._interval:
            self._synced_at = now
            self._wanted.set()

    def _raise_sync_error(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def sync(self) -> None:
        """Force the written records to disk now."""
        if self._dirty:
            os.fsync(self._handle.fileno())
            self._dirty = False
        self._synced_at = time.monotonic()

    def close(self) -> None:
        """Stop the background fsyncs, fsync and close the file."""
        if self._handle.closed:
            return
        try:
            if self._syncer is not None:
                self._closing = True
                self._wanted.set()
                self._syncer.join()
            self._raise_sync_error()
            self.sync()
        finally:
            self._handle.close()

    def __enter__(self) -> ResultsWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
