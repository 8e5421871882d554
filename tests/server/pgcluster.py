"""A throwaway PostgreSQL cluster from Debian's binaries: initdb in a temp folder, 127.0.0.1, stopped after."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from _servers import free_port

DEBIAN_ROOT = Path("/usr/lib/postgresql")


def find_bin_dir() -> Path | None:
    """The newest installed PostgreSQL's bin folder (Debian layout), or one on PATH."""
    versions = sorted(DEBIAN_ROOT.glob("*/bin/pg_ctl"), key=lambda path: int(path.parent.parent.name), reverse=True)
    if versions:
        return versions[0].parent
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


def _as_owner(command: list[str], owner: str | None) -> list[str]:
    # PostgreSQL refuses to run as root: as root, run its programs as the postgres user.
    return ["runuser", "-u", owner, "--", *command] if owner else command


@contextmanager
def postgres_cluster(bin_dir: Path) -> Iterator[str]:
    """Start a fresh cluster and yield its SQLAlchemy URL; stop and delete it afterwards."""
    owner = "postgres" if os.geteuid() == 0 else None
    root = Path(tempfile.mkdtemp(prefix="derm3r-pg-"))
    data, sockets = root / "data", root / "run"
    sockets.mkdir()
    if owner:
        entry = pwd.getpwnam(owner)
        for path in (root, sockets):
            os.chown(path, entry.pw_uid, entry.pw_gid)
    port = free_port()
    run = {"check": True, "capture_output": True, "timeout": 120}
    subprocess.run(_as_owner([str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "derm3r",
                              "-E", "UTF8", "--no-locale"], owner), **run)  # type: ignore[call-overload]
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(_as_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-t", "60",
                              "-l", str(root / "log"), "start"], owner), **run)  # type: ignore[call-overload]
    try:
        yield f"postgresql+psycopg://derm3r@127.0.0.1:{port}/postgres"
    finally:
        stop(bin_dir, data, owner)
        shutil.rmtree(root, ignore_errors=True)


def stop(bin_dir: Path, data: Path, owner: str | None) -> None:
    """Stop the cluster; if pg_ctl does not manage it in time, end the postmaster by its pid."""
    with contextlib.suppress(subprocess.TimeoutExpired):
        subprocess.run(_as_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "-t", "120", "stop"],
                                 owner), capture_output=True, timeout=150, check=False)
    pid_file = data / "postmaster.pid"
    if pid_file.exists():  # still running (or it died leaving the file): the pid is the file's first line
        with contextlib.suppress(ValueError, ProcessLookupError, OSError):
            os.kill(int(pid_file.read_text().split()[0]), signal.SIGKILL)
