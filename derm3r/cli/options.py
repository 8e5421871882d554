"""Arguments several subcommands share (engine, scheme, retrieval) and their parsing."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import Any

from derm3r.errors import CaseInputError


def add_engine_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--engine``, ``--engine-option``, ``--scheme`` and ``--no-retrieval`` to a subcommand.

    Args:
        parser: The subcommand's parser.
    """
    parser.add_argument("--engine", default="knowledge", help="engine name (default: knowledge)")
    parser.add_argument(
        "--engine-option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="engine setting, repeatable (e.g. model=DIR, adapters_dir=DIR, base_url=URL, fallback=false)",
    )
    parser.add_argument("--scheme", default="textbook", choices=["textbook", "beijing"], help="formula school")
    parser.add_argument("--no-retrieval", action="store_true", help="skip the vector store")


def parse_engine_options(items: Sequence[str]) -> dict[str, Any]:
    """Turn ``KEY=VALUE`` strings into engine options; values that read as JSON (true, 3, 0.5) are typed.

    Args:
        items: The ``--engine-option`` values.

    Returns:
        The options.

    Raises:
        CaseInputError: For an item without ``=``.
    """
    options: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise CaseInputError(f"--engine-option {item!r}: expected KEY=VALUE")
        try:
            options[key.strip()] = json.loads(raw)
        except json.JSONDecodeError:
            options[key.strip()] = raw
    return options
