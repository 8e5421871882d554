r"""A cheap, exact test that a regular expression cannot match anywhere inside a text.

Readers that try many patterns on many stretches of one text (every red-flag sign on every clause of a
field) spend most of their time on patterns whose words the text does not hold at all. One search of the
whole text settles that, with the pattern *relaxed*: its zero-width assertions (``^``, ``$``, ``\b``,
``\B``, ``\A``, ``\Z`` and lookarounds such as ``(?<!阴)``) taken out. An assertion only ever refuses a
match, so the relaxed pattern matches every stretch the pattern matches, and it no longer looks beyond
the stretch: whether it matches there depends on those characters alone. A match of the pattern inside
any clause is then a match of the relaxed pattern in the whole text, and no relaxed match in the text
means no match in any of its parts.

What cannot be relaxed that way is never ruled out (the test may only say "cannot", never guess):
conditionals, inline flags and other ``(?…)`` groups but ``(?:``, back-references (taking a lookaround
out could renumber groups), atomic groups and possessive quantifiers (they can refuse in a longer text
what a shorter one allows), and an assertion with a quantifier after it.
"""

from __future__ import annotations

import functools
import re

_LOOKAROUNDS = ("(?=", "(?!", "(?<=", "(?<!")
_ASSERTION_ESCAPES = frozenset({"\\b", "\\B", "\\A", "\\Z"})
_QUANTIFIERS = "*+?{"


def _class_end(pattern: str, start: int) -> int | None:
    """Index just after the character class opening at ``start`` ("[…]"), or None when it does not close."""
    index = start + 1
    if pattern.startswith("^", index):
        index += 1
    if pattern.startswith("]", index):
        index += 1  # a "]" first in a class is a literal
    while index < len(pattern):
        if pattern[index] == "\\":
            index += 2
        elif pattern[index] == "]":
            return index + 1
        else:
            index += 1
    return None


def _group_end(pattern: str, start: int) -> int | None:
    """Index just after the group opening at ``start``, nested groups and classes skipped, or None."""
    depth, index = 0, start
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            end = _class_end(pattern, index)
            if end is None:
                return None
            index = end
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return None


def relaxed(pattern: str) -> str | None:
    """The pattern with its zero-width assertions taken out, or None when it cannot be relaxed safely.

    Args:
        pattern: A regular expression (no flags).

    Returns:
        A pattern that matches every stretch ``pattern`` matches, whatever stands around it; None for a
        pattern this module does not rule out.
    """
    out: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        dropped_to: int | None = None
        if char == "\\":
            escape = pattern[index : index + 2]
            if escape[1:].isdigit():
                return None  # a back-reference
            if escape in _ASSERTION_ESCAPES:
                dropped_to = index + 2
            else:
                out.append(escape)
                index += 2
                continue
        elif char == "[":
            end = _class_end(pattern, index)
            if end is None:
                return None
            out.append(pattern[index:end])
            index = end
            continue
        elif char in "^$":
            dropped_to = index + 1
        elif pattern.startswith(_LOOKAROUNDS, index):
            dropped_to = _group_end(pattern, index)
            if dropped_to is None:
                return None
        elif pattern.startswith("(?", index) and not pattern.startswith("(?:", index):
            return None
        elif char in "*+?}" and pattern.startswith("+", index + 1):
            return None  # a possessive quantifier
        if dropped_to is not None:
            if pattern.startswith(tuple(_QUANTIFIERS), dropped_to):
                return None  # "(?=a)?" taken out would hand its quantifier to the atom before it
            index = dropped_to
            continue
        out.append(char)
        index += 1
    return "".join(out)


@functools.lru_cache(maxsize=1024)
def _necessary(pattern: str) -> re.Pattern[str] | None:
    """The compiled relaxed pattern, or None when the pattern is never ruled out."""
    loose = relaxed(pattern)
    if loose is None:
        return None
    try:
        return re.compile(loose)
    except re.error:
        return None


def may_occur(pattern: str, text: str) -> bool:
    """Whether ``pattern`` may match inside some stretch of ``text``.

    Args:
        pattern: A regular expression (no flags), as ``re.search`` takes it.
        text: The whole text whose stretches will be searched (as slices, or with ``pos``/``endpos``).

    Returns:
        False only when no stretch of ``text`` can hold a match; True when one can, or when the pattern
        cannot be relaxed and a search of the whole text would prove nothing.
    """
    compiled = _necessary(pattern)
    return compiled is None or compiled.search(text) is not None
