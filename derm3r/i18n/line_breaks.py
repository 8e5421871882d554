"""Line breaking and display width for mixed Chinese and English terminal text: derm3r's one breaker.

Both the ``--help`` formatter (:mod:`derm3r.i18n.cli_help`) and the consult report (:mod:`derm3r.cli.wrap`)
break lines here. Chinese may break between any two characters, except that a line does not start with
closing punctuation (，。）」…) nor end with opening punctuation (（「…) — the usual line-breaking rules of
Chinese typesetting (W3C *Requirements for Chinese Text Layout*, §3.1.7). English words break only at
spaces, a number stays with the Chinese before it (生地黄15g), and a word wider than the line is folded.

Widths are rich's cell widths: the report is laid out by rich, so a line measured any other way could
overflow its panel; a CJK character takes two terminal columns.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterable

from rich.cells import cell_len

#: A line may not start with these (closing punctuation, full- and half-width).
NO_LINE_START = frozenset("，。、；：！？）」』》〉】〕”’,.;:!?)]}%·…")
#: A line may not end with these (opening punctuation).
NO_LINE_END = frozenset("（「『《〈【〔“‘([{")


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes (two for a wide CJK character), as rich measures it.

    Args:
        text: Text without newlines.

    Returns:
        The number of cells.
    """
    return cell_len(text)


def _wide(character: str) -> bool:
    return unicodedata.east_asian_width(character) in ("W", "F")


def _may_break_before(text: str, index: int) -> bool:
    """Whether a line may start at ``text[index]``."""
    before, after = text[index - 1], text[index]
    if after.isspace() or after in NO_LINE_START or before in NO_LINE_END:
        return False
    if unicodedata.category(before) == "Lo" and after.isascii() and after.isdigit():
        return False  # a dose stays with its herb: 生地黄15g
    return before.isspace() or _wide(before) or _wide(after)


def break_offsets(text: str, width: int, keep: Iterable[tuple[int, int]] = ()) -> list[int]:
    """Where to break one line of text so each piece fits ``width`` cells (trailing spaces aside).

    Each line is filled as far as the rules allow; a line starts at the last place it may before the
    character that would overflow. A word wider than a whole line is folded where it overflows, after
    filling the line it starts on (as :mod:`textwrap` does, so Chinese and English help agree).

    Args:
        text: One line (no newline).
        width: Cells available per line.
        keep: (start, end) character ranges not to break inside, unless one alone is wider than the line.

    Returns:
        The character offsets at which a new line starts, ascending.
    """
    inside = {index for begin, end in keep for index in range(begin + 1, end)}

    def breakable(start: int, index: int) -> bool:
        return index not in inside and _may_break_before(text, index) and bool(text[start:index].strip())

    def too_long(word_start: int, index: int) -> bool:  # the word at word_start would not fit a line alone
        end = next((j for j in range(index + 1, len(text)) if j not in inside and _may_break_before(text, j)),
                   len(text))
        return cell_len(text[word_start:end].rstrip()) > width

    offsets: list[int] = []
    start, used, last_break = 0, 0, -1
    for index, character in enumerate(text):
        if index > start and breakable(start, index):
            last_break = index
        used += cell_len(character)
        if used <= width or character.isspace():
            continue
        cut = last_break if last_break > start and not too_long(last_break, index) else index
        if cut == start:
            continue  # a single character wider than the line: leave it
        offsets.append(cut)
        start, used = cut, cell_len(text[cut : index + 1])
        later = [j for j in range(cut + 1, index + 1) if breakable(cut, j)]
        last_break = later[-1] if later else -1
    return offsets


def wrap_paragraph(text: str, width: int) -> list[str]:
    """One paragraph as lines of at most ``width`` columns, white space runs read as one space.

    Args:
        text: The paragraph.
        width: Columns per line (at least 1).

    Returns:
        The lines, without leading or trailing spaces; nothing but white space is lost.
    """
    flat = " ".join(text.split())
    bounds = [0, *break_offsets(flat, width), len(flat)]
    lines = [flat[begin:end].strip() for begin, end in itertools.pairwise(bounds)]
    return [line for line in lines if line]
