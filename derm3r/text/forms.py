"""A triage form's or questionnaire's answers written as the sentences they stand for, one character for one.

Forms state a sign by a box or an answer after a label, not by a sentence: "发热：无", "☐发热", "[ ] fever",
"Fever: N" deny it; "发热：☑有 □无", "☑全身风团", "[x] fever", "Fever: Y" state it. The negation reader looks for a
negator *before* a sign within its clause, so each answer is rewritten, keeping the text's length (every later
step reports spans into the text as written):

* a row of options ("☑有 □无", "[x] yes [ ] no") becomes the ticked option's word ("有", "无");
* a denied label ("发热：无", "过敏史：否", "fever: n", "mouth ulcers: none") becomes the label after a negator
  ("无发热，", "no fever,"); a label of a test that ends in its result ("压之褪色：否" — does it fade on pressure? no)
  takes the negator before the result ("压之不褪色"), which is what the answer says;
* a box before a label becomes a clause of its own: unticked, a negator ("，无发热", ", no fever"); ticked, a clause
  break only, so one item's denial never reaches the next item.
"""

from __future__ import annotations

import re

UNTICKED = "☐□"
TICKED = "☑☒■✓✔√"
_BOX = f"[{UNTICKED}{TICKED}]|\\[\\s?[x√✓✔*]?\\s?\\]"
_OPTION_WORD = r"有|无|是|否|yes|no|y|n"
#: Two or three options, each after its box ("☑有 □无", "[ ] yes [x] no") or before it ("有√ 无□").
OPTION_ROW = re.compile(
    rf"(?:(?:{_BOX})\s*(?:{_OPTION_WORD})(?![a-z])\s*){{2,3}}"
    rf"|(?:(?<![a-z])(?:{_OPTION_WORD})\s*(?:{_BOX})\s*){{2,3}}"
)
_OPTION = re.compile(rf"({_BOX})\s*({_OPTION_WORD})(?![a-z])")
_OPTION_AFTER = re.compile(rf"(?<![a-z])({_OPTION_WORD})\s*({_BOX})")
#: What ends an answer: punctuation, the text's end, or the wide space between a form's columns.
_END = r"(?=\s*(?:[；;，,。.、\n|]|$)|\s{2,})"
#: A Chinese label denied by its answer ("发热：无", "口腔溃疡：否", "呼吸困难：没有", "发热？无") or by a note's "(-)".
DENIED_LABEL = re.compile(
    rf"([\u4e00-\u9fff（）()/]{{1,12}}?)\s*[：:?？]\s*(?:无|否|没有|阴性|未见|\(-\)|（-）){_END}"
    rf"|([\u4e00-\u9fff]{{1,12}}?)\s*[(（]\s*[-－—]\s*[)）]"
)
#: An English label denied by its answer ("fever: n", "mouth ulcers: none"); ": n" leaves room for "no ".
DENIED_ENGLISH = re.compile(
    rf"(?:(?<=^)|(?<=[.;,\n。；，|?]))(\s*)([a-z][a-z /'-]{{0,40}}?)\s*[:?]\s*"
    rf"(?:n|no|none|nil|neg|negative|absent){_END}"
)
#: A test's label that ends in its result: the answer "否" denies the result, not the test.
RESULT_ENDINGS = ("褪色", "消退", "消失", "变白", "发白")
#: A Chinese box before its label ("☐发热"), with the spaces before it.
CHINESE_BOX = re.compile(rf"([ \t]*)([{UNTICKED}{TICKED}])(?=\s*[\u4e00-\u9fffa-z])")
#: A bracket box before its label ("[ ] fever", "[x] rash").
BRACKET_BOX = re.compile(r"([ \t]*)\[(\s?)([x√✓✔*]?)(\s?)\]( ?)(?=[a-z\u4e00-\u9fff])")


def read_form_answers(lowered: str) -> str:
    """Rewrite a form's boxes and answers as negated or stated clauses, keeping the length.

    Args:
        lowered: Normalised (simplified, lower-case) text.

    Returns:
        The same text where it holds no form; otherwise each answer rewritten as described in the module docstring.
    """
    if not any(mark in lowered for mark in (":", "：", "?", "？", "[", "(-", "（-", *UNTICKED, *TICKED)):
        return lowered
    text = OPTION_ROW.sub(_ticked_option, lowered)
    text = DENIED_LABEL.sub(_denied_label, text)
    text = DENIED_ENGLISH.sub(_denied_english, text)
    text = CHINESE_BOX.sub(_chinese_box, text)
    text = BRACKET_BOX.sub(_bracket_box, text)
    # A single ticked box before the answer ("fever: [x] no", "发热：☑无") leaves the answer after its label now.
    text = DENIED_LABEL.sub(_denied_label, text)
    return DENIED_ENGLISH.sub(_denied_english, text)


def _ticked_option(match: re.Match[str]) -> str:
    """An option row as its ticked option's word, padded with spaces; unchanged when none or several are ticked.

    A row with no colon before it ("发热 ☑是 □否") takes one in its first place (":是"), so the answer reads as a
    form's answer after its label.
    """
    row = match.group()
    box_first = re.match(_BOX, row) is not None
    options = _OPTION.findall(row) if box_first else [(box, word) for word, box in _OPTION_AFTER.findall(row)]
    ticked = [word for box, word in options if _is_ticked(box)]
    if len(ticked) != 1:
        return row
    before = match.string[: match.start()].rstrip()
    colon = "" if before.endswith((":", "：")) or not before else ":"
    return (colon + ticked[0]).ljust(len(row)) if len(colon + ticked[0]) <= len(row) else row


def _is_ticked(box: str) -> bool:
    return box[0] in TICKED or (box.startswith("[") and box.strip("[] ") != "")


def _denied_label(match: re.Match[str]) -> str:
    label = match.group(1) or match.group(2)
    width = len(match.group())
    ending = next((word for word in RESULT_ENDINGS if label.endswith(word)), None)
    if ending is None:
        stated = "无" + label
    elif label[: -len(ending)].endswith(("不", "没", "未")):
        stated = label[: -len(ending) - 1] + ending  # 压之不褪色：否 — it does fade: 压之褪色
    else:
        stated = label[: -len(ending)] + "不" + ending  # 压之褪色：否 → 压之不褪色: the answer denies the result
    return (stated + ",").ljust(width)[:width] if len(stated) < width else match.group()


def _denied_english(match: re.Match[str]) -> str:
    spaces, label = match.group(1), match.group(2)
    stated = f"{spaces}no {label},"
    width = len(match.group())
    if len(stated) > width:
        stated = stated[:-1]
    return stated.ljust(width) if len(stated) <= width else match.group()


def _chinese_box(match: re.Match[str]) -> str:
    spaces, box = match.group(1), match.group(2)
    word = "无" if box in UNTICKED else ""
    if spaces and not _after_colon(match):
        return ("," + word).ljust(len(match.group()))
    return (word or " ").ljust(len(match.group()))


def _bracket_box(match: re.Match[str]) -> str:
    width = len(match.group())
    spaces, ticked = match.group(1), bool(match.group(3))
    word = "" if ticked else "no "
    opener = "," if spaces and not _after_colon(match) else ""
    written = opener + word
    if len(written) > width:
        written = word
    return written.ljust(width) if len(written) <= width else match.group()


def _after_colon(match: re.Match[str]) -> bool:
    """The box stands right after a label's colon ("fever: [x] no"): it opens the answer, not a new item."""
    return match.string[: match.start()].rstrip().endswith((":", "："))
