"""One writer per run directory: an exclusive ``flock`` on a lock file that names its holder.

Two ``derm3r evaluate`` runs appending to the same ``results.jsonl`` interleave and truncate each other's
records (NUL-filled holes where one truncated what the other had written). The lock makes the second run
stop before it touches anything, naming the process that holds the directory. The kernel drops an flock
when its holder dies (even by ``kill -9``), so a crashed run never leaves a directory locked.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from derm3r.errors import OptionError

LOCK_FILE = ".derm3r-run.lock"


class RunDirectoryBusyError(OptionError):
    """Another process is writing the run directory; the message names it (pid, host, start time)."""


class RunLock:
    """Hold the run directory for one writer; the lock file is removed again on release."""

    def __init__(self, directory: Path) -> None:
        """Prepare the lock (nothing is taken until :meth:`acquire` or ``with``).

        Args:
            directory: The run directory; it must exist.
        """
        self.path = directory / LOCK_FILE
        self._descriptor: int | None = None

    def acquire(self) -> None:
        """Take the lock without waiting.

        Raises:
            RunDirectoryBusyError: When another process holds it.
        """
        while True:
            descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read_holder(descriptor)
                os.close(descriptor)
                raise RunDirectoryBusyError(
                    f"--out {self.path.parent}: another evaluation is writing this run directory ({holder}); "
                    "wait for it to finish or choose another --out"
                ) from None
            # The previous holder may have removed the file between our open and our flock: then we hold a
            # lock on a file nobody else can see, and must lock the one now at the path instead.
            try:
                same = os.path.samestat(os.fstat(descriptor), os.stat(self.path))
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(descriptor)
        started = datetime.now(UTC).isoformat(timespec="seconds")
        holder = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "started": started})
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, holder.encode("utf-8") + b"\n", 0)
        self._descriptor = descriptor

    def release(self) -> None:
        """Remove the lock file and drop the lock (in that order, so no one locks a file being removed)."""
        if self._descriptor is None:
            return
        try:
            self.path.unlink(missing_ok=True)
        finally:
            os.close(self._descriptor)
            self._descriptor = None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.release()


def _read_holder(descriptor: int) -> str:
    try:
        data = json.loads(os.pread(descriptor, 4096, 0) or b"{}")
        return f"pid {int(data['pid'])} on host {str(data['host'])[:100]!r}, started {str(data['started'])[:40]}"
    except (ValueError, KeyError, TypeError, OSError):
        return "a process that has not yet written its name"


def open_run_directory(out_dir: str | Path) -> Path:
    """Create the run directory when missing.

    Args:
        out_dir: The ``--out`` path.

    Returns:
        The directory.

    Raises:
        OptionError: When the path holds a NUL, is an existing file or cannot be created.
    """
    out = Path(out_dir)
    if "\0" in str(out):
        raise OptionError("--out: the path contains a NUL character")
    if out.exists() and not out.is_dir():
        raise OptionError(f"--out {out}: exists and is not a directory")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OptionError(f"--out {out}: cannot create the run directory ({error.strerror})") from None
    return out
