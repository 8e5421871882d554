"""The ``derm3r`` command line: parser and dispatch; each subcommand lives in its own module.

Exit codes: 0 ok, 1 failure, 2 bad input. A subcommand module has ``register(commands)``, which adds
its parser and sets ``handler`` to a function of the parsed arguments returning the exit code.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from derm3r import __version__
from derm3r.cli import compare, consult, evaluate, example, finetune, kb, serve
from derm3r.cli.localized_parser import lang_of
from derm3r.cli.options import add_lang_argument, parse_engine_options
from derm3r.errors import Derm3RError, InputError
from derm3r.i18n import LANGS, default_lang, t
from derm3r.i18n.cli_help import LocalizedParser, localize_parser, subparsers
from derm3r.i18n.details import localize_detail
from derm3r.printable import printable

__all__ = ["build_parser", "main", "parse_engine_options", "report_errors"]

# One line per subcommand, in the order `derm3r --help` lists them.
COMMANDS = (
    consult,
    evaluate,
    compare,
    kb,
    example,
    finetune,
    serve,
)


def build_parser(lang: str | None = None) -> argparse.ArgumentParser:
    """Build the argument parser of every subcommand, its help and usage errors in ``lang``.

    The language has to be known before parsing (``--help`` prints while parsing), so the caller reads it
    from the raw arguments (:func:`derm3r.cli.localized_parser.lang_of`). Every help shows the defaults.

    Args:
        lang: Language of help and usage errors (default: ``DERM3R_LANG``, else Chinese).
    """
    parser = LocalizedParser(prog="derm3r", description="DERM-3R TCM dermatology consultation.")
    parser.add_argument("--version", action="version", version=f"derm3r {__version__}")
    add_lang_argument(parser, default=default_lang())
    commands = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(commands)
    for sub in subparsers(parser):
        if sub.prog.split()[1:2] != [finetune.NAME] and not any(a.dest == "lang" for a in sub._actions):
            add_lang_argument(sub, default=argparse.SUPPRESS)  # `derm3r consult --lang en` as well
    localize_parser(parser, lang or default_lang())
    return parser


def parse_arguments(arguments: list[str]) -> argparse.Namespace:
    """Parse the command line; ``finetune`` keeps its arguments for derm3r.training's own parser.

    Args:
        arguments: The arguments after the program name.

    Returns:
        The parsed arguments, with ``handler`` and ``lang`` set.
    """
    rest, lang = list(arguments), str(default_lang())
    while (rest[:1] == ["--lang"] and len(rest) > 1) or (rest[:1] and rest[0].startswith("--lang=")):
        lang, rest = (rest[1], rest[2:]) if rest[0] == "--lang" else (rest[0].partition("=")[2], rest[1:])
    if rest[:1] == [finetune.NAME]:
        training_arguments, lang = _without_lang(rest[1:], lang)
        if lang in LANGS:
            return argparse.Namespace(command=finetune.NAME, handler=finetune.run, rest=training_arguments, lang=lang)
    return build_parser(lang_of(arguments)).parse_args(arguments)


def _without_lang(arguments: list[str], lang: str) -> tuple[list[str], str]:
    """``finetune``'s arguments less any ``--lang X`` among them (the training parser has no such flag)."""
    kept: list[str] = []
    index = 0
    while index < len(arguments):
        argument = arguments[index]
        if argument == "--lang" and index + 1 < len(arguments):
            lang, index = arguments[index + 1], index + 2
            continue
        if argument.startswith("--lang="):
            lang = argument.partition("=")[2]
        else:
            kept.append(argument)
        index += 1
    return kept, lang


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Args:
        argv: Arguments (defaults to ``sys.argv[1:]``).

    Returns:
        The exit code.
    """
    try:
        args = parse_arguments(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exit_:
        if not exit_.code:  # --help and --version end the program as argparse means them to
            raise
        return exit_.code if isinstance(exit_.code, int) else 2  # a bad option, already named on stderr
    return report_errors(lambda: args.handler(args), args.lang)


def report_errors(command: Callable[[], int], lang: str) -> int:
    """Run a command, turning its errors into one line on stderr in ``lang`` and an exit code.

    ``derm3r`` runs every subcommand through it, and finetune/train_lora.py its training, so both word
    their errors alike.

    Args:
        command: The command to run; it returns its exit code.
        lang: Language of the messages.

    Returns:
        The command's exit code; 2 for bad input (the message names the field), 1 for any other failure.
    """
    try:
        code = command()
        sys.stdout.flush()
        return code
    except BrokenPipeError:  # `derm3r … | head -1`: the reader has all it wanted
        _silence_stdout()
        return 0
    except InputError as error:
        print(t("error.bad_input", lang, detail=localize_detail(printable(error), lang)), file=sys.stderr)
        return 2
    except Derm3RError as error:
        print(t("error.failure", lang, detail=localize_detail(printable(error), lang)), file=sys.stderr)
        return 1
    except Exception as error:  # a user sees one line; DERM3R_DEBUG=1 shows the traceback for a bug report
        if os.environ.get("DERM3R_DEBUG"):
            raise
        print(t("error.internal", lang, kind=type(error).__name__, detail=printable(error)), file=sys.stderr)
        return 1


def _silence_stdout() -> None:
    # Python flushes stdout again at exit, which would raise into the closed pipe once more and print a
    # traceback: point the descriptor at /dev/null instead.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout replaced by an object without a descriptor (tests)
        pass


if __name__ == "__main__":
    sys.exit(main())
