"""argparse in the reader's language: usage errors ("the following arguments are required") in Chinese too.

argparse words its errors in English; a parser of this class hands each one through
:func:`derm3r.i18n.details.localize_detail` and frames it (``derm3r consult：错误：缺少必需的参数：case``).
The language is known before parsing — ``--lang`` may come anywhere on the line — so :func:`lang_of` reads it
from the raw arguments. ``--help`` texts stay English.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from derm3r.i18n import LANGS, default_lang
from derm3r.i18n.details import localize_detail


def lang_of(arguments: Sequence[str]) -> str:
    """The language the command line asks for (its last ``--lang``), else ``DERM3R_LANG``, else Chinese.

    Args:
        arguments: The raw arguments.

    Returns:
        ``zh`` or ``en``.
    """
    lang = str(default_lang())
    for index, argument in enumerate(arguments):
        value = arguments[index + 1] if argument == "--lang" and index + 1 < len(arguments) else None
        if argument.startswith("--lang="):
            value = argument.partition("=")[2]
        if value in LANGS:
            lang = value
    return lang


class LocalizedParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage line and error messages follow ``lang``."""

    lang = "zh"

    def format_usage(self) -> str:
        """The usage line, headed 用法： in Chinese."""
        usage = super().format_usage()
        return "用法：" + usage.removeprefix("usage: ") if self.lang == "zh" else usage

    def error(self, message: str) -> NoReturn:
        """Print the usage and the message in the parser's language, and exit 2.

        Args:
            message: argparse's English message.
        """
        self.print_usage(sys.stderr)
        if self.lang == "zh":
            self.exit(2, f"{self.prog}：错误：{localize_detail(message, 'zh')}\n")
        self.exit(2, f"{self.prog}: error: {message}\n")
