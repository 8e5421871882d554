"""``derm3r finetune``: parsed by derm3r.training itself; registered here so ``derm3r --help`` lists it."""

from __future__ import annotations

import argparse
from typing import Any

NAME = "finetune"


def register(commands: Any) -> None:
    """Add the ``finetune`` subcommand (its arguments are parsed by :func:`run`).

    Args:
        commands: The top-level parser's subparsers action.
    """
    finetune = commands.add_parser(
        NAME,
        help="`finetune prepare DATA.jsonl --out DIR`, `finetune --agent rec|rep|reason --config FILE` or "
        "`finetune export ADAPTERS --out DIR --mode vllm|merge`",
    )
    finetune.set_defaults(handler=run, rest=[])


def run(args: argparse.Namespace) -> int:
    """Hand the arguments after ``finetune`` to the training command line.

    Args:
        args: A namespace whose ``rest`` holds the arguments after ``finetune``.

    Returns:
        The exit code.
    """
    from derm3r.training.cli import finetune_main

    return finetune_main(args.rest, lang=args.lang)
