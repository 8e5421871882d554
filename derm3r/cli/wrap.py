"""Wrapped rich text for the consult report: continuous line breaking, never cut.

rich breaks lines only at spaces, so a long Chinese run after a space ("加减：鲜红 → 加紫草10g、…") moves whole
to the next line and leaves the first nearly empty. :class:`WrappedText` breaks by
:func:`derm3r.i18n.line_breaks.break_offsets` instead — the rules the ``--help`` formatter follows too — and
keeps a herb's name in one piece (:data:`KEEP_TOGETHER`).
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.style import Style
from rich.text import Text

from derm3r.i18n.line_breaks import break_offsets, display_width

#: A style for text that must not be broken (a herb's name: 生地黄, not 生地 / 黄); it changes nothing shown.
KEEP_TOGETHER = Style(meta={"keep_together": True})


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
        widest = max((display_width(line) for line in lines), default=0)
        return Measurement(min(1, widest), widest)
