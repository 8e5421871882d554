"""Arguments several subcommands share (engine, scheme, retrieval) and their parsing."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import Any

from derm3r.errors import OptionError


def add_engine_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--engine``, ``--engine-option``, ``--scheme`` and ``--no-retrieval`` to a subcommand.

    Args:
        parser: The subcommand's parser.
    """
    parser.add_argument("--engine", default="knowledge", help="engine name")
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
        OptionError: For an item without ``=``.
    """
    options: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise OptionError(f"--engine-option {item!r}: expected KEY=VALUE")
        try:
            options[key.strip()] = json.loads(raw)
        except json.JSONDecodeError:
            options[key.strip()] = raw
    return options


def add_lang_argument(parser: argparse.ArgumentParser, *, default: Any) -> None:
    """Add ``--lang zh|en`` (the language of messages and reports).

    Args:
        parser: A parser.
        default: Its default (``argparse.SUPPRESS`` on subcommands, so the top-level value stands).
    """
    from derm3r.i18n import LANGS

    parser.add_argument("--lang", choices=LANGS, default=default, help="language of messages and reports")


def open_index_with_progress(store: Any, lang: str) -> None:
    """Open the vector index, saying on stderr when it has to be built (the first run spends ~10 s on it).

    Args:
        store: The system's ``KnowledgeStore``, or None without retrieval.
        lang: Language of the messages.
    """
    import sys
    import time

    from derm3r.i18n import t

    if store is None:
        return
    first = not store.path.exists() or not any(store.path.iterdir())
    if first:
        print(t("progress.index_build", lang), file=sys.stderr, flush=True)
    start = time.perf_counter()
    store.open()
    if store.rebuilt:
        print(t("progress.index_built", lang, count=store.count(), seconds=time.perf_counter() - start,
                path=store.path), file=sys.stderr, flush=True)
