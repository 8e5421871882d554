"""derm3r's one line breaker and width function (derm3r/i18n/line_breaks.py), used by ``--help`` and the report.

The rules are Chinese typesetting's (W3C *Requirements for Chinese Text Layout*, §3.1.7 "Line breaking
rules"): closing punctuation never starts a line, opening punctuation never ends one; between two Chinese
characters a line may break anywhere; an English word breaks only at spaces.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from derm3r.i18n.cli_help import ChineseHelpFormatter
from derm3r.i18n.line_breaks import NO_LINE_END, NO_LINE_START, break_offsets, display_width, wrap_paragraph

PACKAGE = Path(__file__).resolve().parents[2] / "derm3r"


def _pieces(text: str, width: int) -> list[str]:
    offsets = break_offsets(text, width)
    return [text[a:b] for a, b in zip([0, *offsets], [*offsets, len(text)], strict=True)]


def test_display_width_counts_two_columns_for_chinese_and_full_width_and_agrees_with_rich() -> None:
    assert display_width("用法：") == 6 and display_width("usage:") == 6
    assert display_width("ＡＢ１") == 6  # full-width Latin and digits are wide too
    assert display_width("生地黄15g") == 9
    assert display_width("e\u0301") == 1  # a combining accent takes no column of its own
    for sample in ("舌红苔薄黄，脉滑数。", "（默认：textbook）", "PASI 12 · 3 cm²", "—…“”"):
        assert display_width(sample) == cell_len(sample)  # rich draws the report: the widths must be its own


def test_break_offsets_fill_each_line_and_keep_punctuation_rules() -> None:
    text = ("加减：鲜红 → 加紫草10g、土茯苓30g、白茅根30g、槐花10g（白疕血热，皮疹鲜红、新发不断，加紫草、土茯苓、"
            "白茅根、槐花凉血解毒消斑（常用加味，参《赵炳南临床经验集》凉血活血汤）。）")
    pieces = _pieces(text, 40)
    assert "".join(pieces) == text
    for piece, following in itertools.pairwise(pieces):
        assert 37 <= display_width(piece.rstrip()) <= 40  # filled, not left nearly empty
        assert following[0] not in NO_LINE_START and piece[-1] not in NO_LINE_END
    assert display_width(pieces[-1]) <= 40
    assert break_offsets("see the words here", 9) == [8, 14]  # English breaks at spaces only
    assert break_offsets("x" * 20, 8) == [8, 16]  # a word wider than the line is folded


@pytest.mark.parametrize("mark", sorted(NO_LINE_START))
def test_no_closing_mark_starts_a_line(mark: str) -> None:
    text = "甲乙丙丁" + mark + "戊己"  # the mark falls just past an 8-column line
    pieces = _pieces(text, 8)
    assert all(not piece.startswith(mark) for piece in pieces), pieces
    assert pieces[0] == "甲乙丙"  # 丁 moves down with the mark rather than leaving it alone


@pytest.mark.parametrize("mark", sorted(NO_LINE_END))
def test_no_opening_mark_ends_a_line(mark: str) -> None:
    pieces = _pieces("甲乙丙" + mark + "丁戊", 8)
    assert all(not piece.endswith(mark) for piece in pieces), pieces
    assert pieces[1].startswith(mark)


def test_mixed_latin_and_chinese_break_between_scripts_never_inside_a_word() -> None:
    text = "病例 JSON 文件（DESIGN.md 的 Case 格式）；写 - 则从标准输入读取病例 JSON"
    lines = wrap_paragraph(text, 20)
    assert all(display_width(line) <= 20 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    words = set(re.findall(r"[A-Za-z.]+", text))
    assert all(word in words for line in lines for word in re.findall(r"[A-Za-z.]+", line))  # none split
    assert "（DESIGN.md 的 Case" in lines  # （ moved down with the word after it, not left at a line end
    assert wrap_paragraph("默认 `--x`。", 9) == ["默认", "`--x`。"]  # the word before the stop moves down whole
    assert _pieces("Chinese文字mixed", 10) == ["Chinese文", "字mixed"]  # a break may fall where scripts meet


def test_a_dose_stays_with_its_herb() -> None:
    text = "加生地黄15g、玄参12g"
    for width in range(6, 16):
        assert text.index("15g") not in break_offsets(text, width)  # never 生地黄 / 15g
        assert any("黄15g" in piece for piece in _pieces(text, width))
    assert break_offsets("剂量 15g", 6) == [3]  # after a space a number may start a line


def test_a_kept_range_is_not_broken_inside() -> None:
    text = "加减：咽痛 → 加板蓝根15g、玄参12g"
    start = text.index("板蓝根")
    assert break_offsets(text, 18)[0] == start + 1  # 板 / 蓝根 without the hint
    offsets = break_offsets(text, 18, [(start, start + 3)])
    assert offsets[0] == start and not set(offsets) & {start + 1, start + 2}


def test_a_word_wider_than_a_line_fills_the_line_it_starts_on_as_textwrap_does() -> None:
    lines = wrap_paragraph("例如 " + "x" * 30, 12)
    assert lines == ["例如 " + "x" * 7, "x" * 12, "x" * 11]
    assert wrap_paragraph("例如 " + "x" * 9, 12) == ["例如", "x" * 9]  # a word that fits a line moves down whole
    folded = wrap_paragraph("或设 DERM3R_DATABASE_URL）", 20)
    assert all(display_width(line) <= 20 and not line.startswith("）") for line in folded)


def test_the_help_formatter_breaks_with_the_same_breaker() -> None:
    text = "另用 LLM 评审为每例打分，如 openai:base_url=http://127.0.0.1:8000/v1,model=judge-model"
    formatter = ChineseHelpFormatter("derm3r", width=60)
    assert formatter._split_lines(text, 30) == wrap_paragraph(text, 30)
    assert formatter._fill_text(text, 40, "  ") == "\n".join("  " + line for line in wrap_paragraph(text, 38))


def test_no_other_module_measures_or_breaks_text_itself() -> None:
    own = PACKAGE / "i18n" / "line_breaks.py"
    others = [path for path in PACKAGE.rglob("*.py") if path != own
              and re.search(r"\bcell_len\b|east_asian_width|\btextwrap\b", path.read_text(encoding="utf-8"))]
    assert others == []  # one width function and one breaker: a second copy drifts (it did, twice)
