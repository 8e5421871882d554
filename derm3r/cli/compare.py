"""``derm3r compare``: evaluation runs side by side."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(commands: Any) -> None:
    """Add the ``compare`` subcommand.

    Args:
        commands: The top-level parser's subparsers action.
    """
    compare = commands.add_parser("compare", help="compare evaluation runs side by side")
    compare.add_argument("runs", type=Path, nargs="+", help="run directories written by derm3r evaluate")
    compare.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Compare the runs, print a table and write compare.html.

    Args:
        args: The parsed ``compare`` arguments.

    Returns:
        The exit code.
    """
    from rich.console import Console

    from derm3r.evaluation.compare import compare, render_compare_text

    titles, runs, path = compare(args.runs)
    console = Console()
    console.print(render_compare_text(titles, runs))
    console.print(f"written {path}")
    return 0
