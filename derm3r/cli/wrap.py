"""Line breaking for mixed Chinese and English terminal text: continuous, never cut.

rich breaks lines only at spaces, so a long Chinese run after a space ("加减：鲜红 → 加紫草10g、…") moves whole
to the next line and leaves the first nearly empty. Chinese may break between any two characters, except
that a line does not start with closing punctuation (，。）」…) nor end with opening punctuation (（「…) — the
usual line-breaking rules of Chinese typesetting (W3C *Requirements for Chinese Text Layout*, §3.1.7).
English words still break only at spaces, a number stays with the Chinese before it (生地黄15g), and a
word wider than the line is folded.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.style import Style
from rich.text import Text

from derm3r.i18n.cli_help import NO_LINE_END, NO_LINE_START

#: A style for text that must not be broken (a herb's name: 生地黄, not 生地 / 黄); it changes nothing shown.
KEEP_TOGETHER = Style(meta={"keep_together": True})


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

    Args:
        text: One line (no newline).
        width: Cells available per line.
        keep: (start, end) character ranges not to break inside, unless one alone is wider than the line.

    Returns:
        The character offsets at which a new line starts, ascending.
    """
    inside = {index for begin, end in keep for index in range(begin + 1, end)}
    offsets: list[int] = []
    start, used, last_break = 0, 0, -1
    for index, character in enumerate(text):
        if index > start and index not in inside and _may_break_before(text, index) and text[start:index].strip():
            last_break = index
        used += cell_len(character)
        if used <= width or character.isspace():
            continue
        cut = last_break if last_break > start else index  # no place to break: fold the word here
        if cut == start:
            continue  # a single character wider than the line: leave it
        offsets.append(cut)
        start, used = cut, cell_len(text[cut : index + 1])
        later = [j for j in range(cut + 1, index + 1)
                 if j not in inside and _may_break_before(text, j) and text[cut:j].strip()]
        last_break = later[-1] if later else -1
    return offsets


def wrap_text(text: Text, width: int) -> list[Text]:
    """``text`` broken into lines of at most ``width`` cells, styles kept."""
    lines: list[Text] = []
    for line in text.split(allow_blank=True):
        keep = [(span.start, span.end) for span in line.spans
                if isinstance(span.style, Style) and span.style.meta.get("keep_together")]
        for piece in line.divide(break_offsets(line.plain, width, keep)):
            piece.rstrip()
            lines.append(piece)
    return lines


class WrappedText:
    """A rich renderable that prints its text with the line breaking above at the width it is given."""

    def __init__(self, text: Text) -> None:
        """Keep the text to render.

        Args:
            text: The text, possibly several lines, with its styles.
        """
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """Yield one no-wrap line per wrapped piece."""
        for line in wrap_text(self.text, options.max_width):
            line.no_wrap = True
            line.overflow = "crop"
            yield line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        """The widest line as the natural width; it can shrink to any width, as it breaks anywhere."""
        lines: Iterable[str] = self.text.plain.split("\n")
        widest = max((cell_len(line) for line in lines), default=0)
        return Measurement(min(1, widest), widest)
