"""The language a command line asks for, read before parsing: ``--help`` prints while argparse parses.

``--lang`` may come anywhere on the line (``derm3r --lang en consult …``, ``derm3r consult … --lang en``), and
without it ``DERM3R_LANG`` decides, else Chinese. The parser classes themselves live in
:mod:`derm3r.i18n.cli_help`, so derm3r.training's ``finetune prepare``/``export`` parsers use them too.
"""

from __future__ import annotations

from collections.abc import Sequence

from derm3r.i18n import LANGS, default_lang


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
