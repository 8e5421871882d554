"""The vector index's directory: derm3r writes into (and deletes from) only a folder it created.

A marker file names a folder as derm3r's index. An existing folder without it is refused unless it is empty
or holds nothing but a chromadb database (an index written before markers existed), so a mistaken path such
as ``/etc`` or a home folder is never written into. Opening the index takes an exclusive lock on a file in the
folder, so two processes never create its database or build the same index at once.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from derm3r.errors import OptionError

MARKER_FILE = ".derm3r-index"
LOCK_FILE = ".derm3r-index.lock"
#: What chromadb's PersistentClient keeps in its folder: the database and one folder per vector segment.
_CHROMA_ENTRY = re.compile(r"chroma\.sqlite3(-journal|-wal|-shm)?|[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}")


class IndexPathError(OptionError):
    """The index path is not a folder derm3r may write: it exists, is not empty and is not a derm3r index."""


def claim_index_dir(path: Path) -> None:
    """Make sure ``path`` is derm3r's index folder, creating and marking it when missing or empty.

    Args:
        path: The index folder.

    Raises:
        IndexPathError: When the path is a file, or a folder with other content and no marker.
    """
    marker = path / MARKER_FILE
    if path.exists() and not path.is_dir():
        raise IndexPathError(f"index path {path}: exists and is not a directory")
    if marker.is_file():
        return
    try:
        path.mkdir(parents=True, exist_ok=True)
        entries = [entry.name for entry in path.iterdir()]
    except OSError as error:
        raise IndexPathError(f"index path {path}: cannot use it ({error.strerror})") from None
    # Another process claiming the same folder may have written its marker after the check above.
    foreign = [name for name in entries if name not in (LOCK_FILE, MARKER_FILE) and not _CHROMA_ENTRY.fullmatch(name)]
    if foreign:
        shown = ", ".join(sorted(foreign)[:5])
        raise IndexPathError(
            f"index path {path}: not a derm3r index (no {MARKER_FILE} marker) and not empty ({shown}); "
            "derm3r only writes an index into a new or empty folder"
        )
    marker.write_text(json.dumps({"created_by": "derm3r", "kind": "vector index"}) + "\n", encoding="utf-8")


@contextmanager
def index_lock(path: Path) -> Iterator[None]:
    """Hold the folder's lock (waiting for another process to finish opening or building the index).

    Args:
        path: The index folder (already claimed).

    Yields:
        Nothing; the lock is held inside the ``with`` block.

    Raises:
        IndexPathError: When the lock file cannot be opened (a read-only folder).
    """
    try:
        descriptor = os.open(path / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:  # a read-only or foreign-owned folder: say so, not a traceback
        raise IndexPathError(f"index path {path}: cannot lock it ({error.strerror})") from None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)
