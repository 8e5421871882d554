"""What a run was: date, derm3r version, git commit, knowledge-base hash, engine, scheme and every setting.

Written into ``metrics.json`` (``run``) so two runs that differ only in a setting can be told apart,
and shown at the top of ``report.html``.
"""

from __future__ import annotations

import datetime
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from derm3r.evaluation.consulter import Consulter

#: Engine options whose values are secrets: recorded as set, never written out.
SECRET_WORDS = ("key", "token", "secret", "password")


def git_commit(directory: Path | None = None) -> str | None:
    """The commit of the checkout derm3r runs from, with ``+dirty`` when files changed; None outside git.

    Args:
        directory: Where to ask (default: the folder holding the derm3r package).

    Returns:
        The commit hash, or None when there is no git or no repository (a wheel install).
    """
    where = directory or Path(__file__).resolve().parents[2]
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=where, capture_output=True, text=True, timeout=5)
        if head.returncode != 0:
            return None
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=where,
                               capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def redacted(options: dict[str, Any]) -> dict[str, Any]:
    """Engine options with secret values replaced by ``"(set)"``.

    Args:
        options: The engine options.

    Returns:
        A copy safe to write into a report.
    """
    return {key: "(set)" if any(word in key.lower() for word in SECRET_WORDS) else value
            for key, value in options.items()}


def run_provenance(system: Consulter, **run_settings: Any) -> dict[str, Any]:
    """The provenance block of a run.

    Args:
        system: The configured system.
        **run_settings: The evaluation's own settings (concurrency, limit, case_dir, seed, judge …).

    Returns:
        ``date``, ``derm3r_version``, ``git_commit``, ``knowledge_hash``, ``engine``, ``scheme`` and ``settings``.
    """
    from derm3r import __version__

    described = system.describe()
    settings: dict[str, Any] = dict(described.get("settings", {}))
    settings["engine_options"] = redacted(dict(settings.get("engine_options") or {}))
    settings |= {key: str(value) if isinstance(value, Path) else value for key, value in run_settings.items()}
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "derm3r_version": __version__,
        "git_commit": git_commit(),
        "knowledge_hash": system.knowledge.fingerprint,
        "engine": system.engine_name,
        "scheme": described.get("scheme"),
        "settings": settings,
    }


def data_hash(items: list[tuple[int, str | bytes | dict[str, Any]]]) -> str:
    """SHA-256 of the evaluated lines (number and content), so compare can tell runs on other data apart.

    Args:
        items: ``(line number, raw line)`` pairs as the runner read them.

    Returns:
        The hex digest.
    """
    import hashlib
    import json

    digest = hashlib.sha256()
    for number, raw in items:
        if isinstance(raw, dict):
            try:
                raw = json.dumps(raw, ensure_ascii=False, sort_keys=True, default=repr)
            except (RecursionError, ValueError, TypeError):  # a hostile in-memory line is its own error record
                raw = f"unserialisable line {number}"
        data = raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogatepass")
        digest.update(f"{number}\t".encode() + data.strip() + b"\n")
    return digest.hexdigest()
