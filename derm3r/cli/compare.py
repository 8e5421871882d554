"""``derm3r compare``: evaluation runs of the same data side by side, with paired differences."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from derm3r.i18n import t


def register(commands: Any) -> None:
    """Add the ``compare`` subcommand.

    Args:
        commands: The top-level parser's subparsers action.
    """
    compare = commands.add_parser("compare", help="compare evaluation runs of the same data (paired differences)")
    compare.add_argument("runs", type=Path, nargs="+", help="run directories written by derm3r evaluate (2 or more)")
    compare.add_argument("--out", type=Path, required=True, help="folder for compare.html and compare.json")
    compare.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Compare the runs, print a table and write compare.html and compare.json.

    Args:
        args: The parsed ``compare`` arguments.

    Returns:
        The exit code (2 when the runs scored different data).
    """
    from rich.console import Console

    from derm3r.evaluation.compare import compare, metric_rows
    from derm3r.evaluation.compare_html import render_compare_text

    runs, path = compare(args.runs, args.out, args.lang)
    console = Console()
    console.print(render_compare_text(runs, metric_rows(runs)))
    console.print(t("compare.written", args.lang, path=path))
    return 0
