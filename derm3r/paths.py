"""Where the declarative assets (agents/, prompts/, knowledge/) live.

A source checkout keeps them at the repository root; a wheel carries them inside the package under
``derm3r/_assets/`` (see pyproject's force-include), so both layouts are looked up.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
#: examples/cases and finetune/configs travel in the wheel too, for `derm3r example`.
_ASSET_NAMES = ("agents", "prompts", "knowledge", "examples", "finetune")


def asset_dir(name: str) -> Path:
    """Return the directory of one asset kind.

    Args:
        name: One of ``agents``, ``prompts``, ``knowledge``, ``examples`` or ``finetune``.

    Returns:
        The first existing directory among the wheel layout and the source checkout layout.

    Raises:
        FileNotFoundError: When neither layout has the directory.
    """
    if name not in _ASSET_NAMES:
        raise ValueError(f"unknown asset kind {name!r}; expected one of {_ASSET_NAMES}")
    candidates = [_PACKAGE_DIR / "_assets" / name, _PACKAGE_DIR.parent / name]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"derm3r asset folder {name!r} not found (looked in {', '.join(map(str, candidates))})")


def knowledge_dir() -> Path:
    """Return the knowledge base directory (the ``DERM3R_KNOWLEDGE_DIR`` variable only sets the default)."""
    override = os.environ.get("DERM3R_KNOWLEDGE_DIR")
    return Path(override) if override else asset_dir("knowledge")


def cache_dir() -> Path:
    """Return the directory for derived data (vector index), ``DERM3R_CACHE_DIR`` or ~/.cache/derm3r."""
    override = os.environ.get("DERM3R_CACHE_DIR")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "derm3r"
