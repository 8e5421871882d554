"""Words that state no sign of the patient now, though danger words stand in them.

Four kinds, each read on normalised text (the word lists: derm3r/text/data/unasserted_words.yaml):

* a quoted instruction or leaflet — a condition and what to do then ("若出现呼吸困难请立即就医",
  "医生说如果发烧就来医院", "护士交代：出现皮疹伴高热要马上回来", "seek help if you get a fever"): from the
  condition to the action;
* a prevention question ("怎么预防带状疱疹长到眼睛上？", "How can I lower my risk of melanoma?"): from the prevention
  verb to the end of its clause;
* a diagnosis excluded ("排除红斑狼疮", "ruled out pemphigus"): from the word to the end of its clause — but "需排除",
  "待排除", "to rule out" and "r/o" are a suspicion still to be excluded, and are read as usual;
* a hypothetical with a consequence ("要是以后脸上起了蝶形红斑，是不是就得去风湿科？") is a condition and an action too.

A sign said beside these words ("嘴唇肿起来了。说明书上写着若出现口唇肿胀请立即就医") is read as usual: only
the span itself is left unread. A condition with no action after it or before it ("一吃海鲜就起风团",
"如果是过敏怎么办，她喘不上气") is the patient's own pattern or a worry, and stays read.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from typing import Any

import yaml

#: Sentence ends: Chinese punctuation, a line break, an English full stop before a space.
SENTENCE_END = re.compile(r"[。!！?？;；\n]|\.(?=\s|$)")
CLAUSE_END = re.compile(r"[，,。!！?？;；\n:：]|\.(?=\s|$)")


@functools.lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    text = resources.files("derm3r.text").joinpath("data/unasserted_words.yaml").read_text(encoding="utf-8")
    raw: dict[str, Any] = yaml.safe_load(text)
    return {key: re.compile("|".join(f"(?:{form})" for form in raw[key])) for key in raw}


def unasserted_spans(lowered: str) -> list[tuple[int, int]]:
    """The stretches of a normalised text that state no sign of the patient now.

    Args:
        lowered: Text after :func:`derm3r.text.normalize.normalize`.

    Returns:
        ``(start, end)`` spans in text order; a sign found inside one is not the patient's now.
    """
    patterns = _patterns()
    if not any(patterns[key].search(lowered) for key in ("condition", "instruction_giver", "prevention", "excluded")):
        # most texts hold none of these words: one search each rules the text out
        return []
    spans: list[tuple[int, int]] = []
    for start, end in _sentences(lowered):
        sentence = lowered[start:end]
        spans.extend((start + a, start + b) for a, b in _instruction_spans(sentence, patterns))
        if patterns["question"].search(sentence):
            spans.extend((start + a, start + b) for a, b in _clause_spans(sentence, patterns["prevention"]))
        spans.extend(
            (start + a, start + b) for a, b in _clause_spans(sentence, patterns["excluded"], patterns["still_open"])
        )
    return sorted(spans)


def blank(lowered: str, spans: list[tuple[int, int]]) -> str:
    """The text with each span written over with □ (the length stays), so no reading finds a word inside one."""
    if not spans:
        return lowered
    chars = list(lowered)
    for start, end in spans:
        chars[start:end] = "□" * (end - start)
    return "".join(chars)


def _sentences(lowered: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for match in SENTENCE_END.finditer(lowered):
        bounds.append((start, match.end()))
        start = match.end()
    if start < len(lowered):
        bounds.append((start, len(lowered)))
    return bounds


def _instruction_spans(sentence: str, patterns: dict[str, re.Pattern[str]]) -> list[tuple[int, int]]:
    """From each condition (若, 如果, "if"; 出现 after an instruction's giver) to the action it leads to."""
    conditions = [match.start() for match in patterns["condition"].finditer(sentence)]
    giver = patterns["instruction_giver"].search(sentence)
    if giver is not None:
        conditions += [m.start() for m in patterns["given_condition"].finditer(sentence, giver.end())]
    spans = []
    for at in sorted(set(conditions)):
        after = patterns["action"].search(sentence, at)
        if after is not None:
            spans.append((at, after.end()))
        elif patterns["action"].search(sentence, 0, at) is not None:
            spans.append((at, len(sentence)))  # "seek help if you get a fever": the condition trails its action
    return spans


def _clause_spans(
    sentence: str, opener: re.Pattern[str], still_open: re.Pattern[str] | None = None
) -> list[tuple[int, int]]:
    """From each opener to the end of its clause, unless a suspicion word just before it keeps it open (需排除)."""
    spans = []
    for match in opener.finditer(sentence):
        if still_open is not None and still_open.search(sentence[max(0, match.start() - 12) : match.start()]):
            continue
        end = CLAUSE_END.search(sentence, match.end())
        spans.append((match.start(), end.start() if end else len(sentence)))
    return spans
