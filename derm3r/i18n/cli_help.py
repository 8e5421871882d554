"""argparse in the reader's language: ``--help`` texts, usage lines and usage errors in Chinese or English.

Help texts are written in English where the arguments are declared; ``help.yaml`` beside this module is
their Chinese table (``- {en: …, zh: …}``, gettext-style: the English text is the key, so a help text
changed in code and not in the table shows up as untranslated in tests/i18n rather than as a stale
translation). :func:`localize_parser` rewrites a parser tree in place for one language, and its help
formatter shows each option's default in that language (``（默认：textbook）`` / ``(default: textbook)``)
and wraps Chinese by display width (a CJK character takes two terminal columns) with the line-breaking
rules of :mod:`derm3r.i18n.line_breaks`, the ones the consult report follows too.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from typing import NoReturn, cast

import yaml

from derm3r.i18n.details import localize_detail
from derm3r.i18n.line_breaks import wrap_paragraph

#: Defaults that say nothing worth printing (an unset option, an off flag, an empty list).
_SILENT_DEFAULTS: tuple[object, ...] = (None, False, [], argparse.SUPPRESS)
#: A section heading argparse wrote in Chinese: a line of its own, unindented, ending in an ASCII colon.
_HEADING = re.compile(r"^([^\s:][^\n:]*[\u4e00-\u9fff]):$", re.MULTILINE)


@lru_cache(maxsize=1)
def help_entries() -> tuple[tuple[str, str], ...]:
    """Every (English, Chinese) pair of ``help.yaml``, in file order."""
    text = resources.files(__package__).joinpath("help.yaml").read_text(encoding="utf-8")
    entries = cast(list[dict[str, str]], yaml.safe_load(text))
    return tuple((entry["en"], entry["zh"]) for entry in entries)


@lru_cache(maxsize=1)
def _chinese() -> dict[str, str]:
    return dict(help_entries())


def help_text(english: str, lang: str) -> str:
    """A help text in ``lang``: the Chinese of ``help.yaml`` for ``zh``, else the English as it is.

    Args:
        english: The help text as the code declares it.
        lang: ``zh`` or ``en``.

    Returns:
        The text to show; an English text the table lacks stays English.
    """
    return _chinese().get(english, english) if lang == "zh" else english


class LocalizedHelpFormatter(argparse.HelpFormatter):
    """Help in ``lang``: the usage prefix, the defaults and Chinese wrapped by display width."""

    lang = "en"

    def _format_usage(self, usage: str | None, actions: object, groups: object, prefix: str | None) -> str:
        text = super()._format_usage(usage, actions, groups, prefix)  # type: ignore[arg-type]
        if prefix is None and self.lang == "zh":  # 用法： is one column narrower than "usage: ": so are the indents
            text = text.replace("usage: ", "用法：", 1).replace("\n ", "\n")
        return text

    def format_help(self) -> str:
        """The help; in Chinese a section heading ends with a full-width colon (位置参数：)."""
        text = super().format_help()
        return _HEADING.sub("\\1：", text) if self.lang == "zh" else text

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        already = "%(default)" in text or "default" in text.lower() or "默认" in text
        silent = any(action.default is value or action.default == value for value in _SILENT_DEFAULTS)
        shown = bool(action.option_strings) or action.nargs in (argparse.OPTIONAL, argparse.ZERO_OR_MORE)
        if already or silent or not shown:
            return text
        return text + ("（默认：%(default)s）" if self.lang == "zh" else " (default: %(default)s)")

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap_paragraph(text, width) if self.lang == "zh" else super()._split_lines(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if self.lang != "zh":
            return super()._fill_text(text, width, indent)
        return "\n".join(indent + line for line in wrap_paragraph(text, width - len(indent)))


class ChineseHelpFormatter(LocalizedHelpFormatter):
    """:class:`LocalizedHelpFormatter` in Chinese."""

    lang = "zh"


FORMATTERS: dict[str, type[LocalizedHelpFormatter]] = {"zh": ChineseHelpFormatter, "en": LocalizedHelpFormatter}


class LocalizedParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors follow ``lang`` (its help follows :func:`localize_parser`)."""

    lang = "zh"

    def error(self, message: str) -> NoReturn:
        """Print the usage and the message in the parser's language, and exit 2.

        Args:
            message: argparse's English message.
        """
        self.print_usage(sys.stderr)
        if self.lang == "zh":
            self.exit(2, f"{self.prog}：错误：{localize_detail(message, 'zh')}\n")
        self.exit(2, f"{self.prog}: error: {message}\n")


def subparsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """Every parser below ``parser`` (subcommands, theirs, …), each once."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                yield sub
                yield from subparsers(sub)


def localize_parser(parser: argparse.ArgumentParser, lang: str) -> None:
    """Put a parser and every parser below it into ``lang``, in place.

    A subcommand without a description gets the line its parent lists it with. Help texts, group titles
    and descriptions are looked up with :func:`help_text`; usage errors follow for :class:`LocalizedParser`.

    Args:
        parser: The top parser.
        lang: ``zh`` or ``en``.
    """
    for each in (parser, *subparsers(parser)):
        each.formatter_class = FORMATTERS.get(lang, LocalizedHelpFormatter)
        if isinstance(each, LocalizedParser):
            each.lang = lang
        for group in each._action_groups:
            group.title = help_text(group.title, lang) if group.title else group.title
        for action in each._actions:
            if isinstance(action, argparse._SubParsersAction):
                for listed in action._choices_actions:
                    sub = action.choices[listed.dest]
                    sub.description = sub.description or listed.help
        each.description = help_text(each.description, lang) if each.description else each.description
        for action in each._actions:
            targets = action._choices_actions if isinstance(action, argparse._SubParsersAction) else [action]
            for target in targets:
                if target.help and target.help is not argparse.SUPPRESS:
                    target.help = help_text(target.help, lang)


def help_texts(parser: argparse.ArgumentParser) -> Iterator[str]:
    """Every text a parser tree shows in its help: descriptions, subcommand lines, option helps, group titles."""
    for each in (parser, *subparsers(parser)):
        if each.description:
            yield each.description
        yield from (group.title for group in each._action_groups if group.title)
        for action in each._actions:
            targets = action._choices_actions if isinstance(action, argparse._SubParsersAction) else [action]
            yield from (target.help for target in targets if target.help and target.help is not argparse.SUPPRESS)
