"""The ``derm3r`` command line: parser and dispatch; each subcommand lives in its own module.

Exit codes: 0 ok, 1 failure, 2 bad input. A subcommand module has ``register(commands)``, which adds
its parser and sets ``handler`` to a function of the parsed arguments returning the exit code.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from derm3r.cli import compare, consult, evaluate, finetune, kb, serve
from derm3r.cli.options import parse_engine_options
from derm3r.errors import CaseInputError, Derm3RError, KnowledgeBaseError

__all__ = ["build_parser", "main", "parse_engine_options"]

# One line per subcommand, in the order `derm3r --help` lists them.
COMMANDS = (
    consult,
    evaluate,
    compare,
    kb,
    finetune,
    serve,
)


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser of every subcommand."""
    parser = argparse.ArgumentParser(prog="derm3r", description="DERM-3R TCM dermatology consultation.")
    commands = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(commands)
    return parser


def parse_arguments(arguments: list[str]) -> argparse.Namespace:
    """Parse the command line; ``finetune`` keeps its arguments for derm3r.training's own parser.

    Args:
        arguments: The arguments after the program name.

    Returns:
        The parsed arguments, with ``handler`` set.
    """
    if arguments[:1] == [finetune.NAME]:
        return argparse.Namespace(command=finetune.NAME, handler=finetune.run, rest=arguments[1:])
    return build_parser().parse_args(arguments)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Args:
        argv: Arguments (defaults to ``sys.argv[1:]``).

    Returns:
        The exit code.
    """
    args = parse_arguments(list(sys.argv[1:] if argv is None else argv))
    try:
        code: int = args.handler(args)
        return code
    except CaseInputError as error:
        print(f"derm3r: {error}", file=sys.stderr)
        return 2
    except KnowledgeBaseError as error:
        print(f"derm3r: {error}", file=sys.stderr)
        return 1
    except Derm3RError as error:
        print(f"derm3r: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # a user sees one line; DERM3R_DEBUG=1 shows the traceback for a bug report
        if os.environ.get("DERM3R_DEBUG"):
            raise
        print(f"derm3r: internal error ({type(error).__name__}: {error}); rerun with DERM3R_DEBUG=1 for details",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
