"""Whose sign, and when: family history, past history and resolved signs are not the patient now.

A sign is read in one of three scopes:

* ``family`` — said of a relative ("母亲患银屑病", "家族中有类似患者"); from the relative's name
  to the end of the sentence, unless a clause turns back to the patient (患者、本人、现 …).
* ``past`` — past history (既往, 曾, 以前, 小时候 …) to the end of the sentence unless a clause
  brings it back to now (现, 近, 此次, 复发 …); or a sign that got better or went away (好转, 已愈,
  消退, 痊愈 …). A clause such as "自服头孢类抗生素3天后好转" names no sign of its own: its
  improvement belongs to the clause before it (the sore throat), not to the rash that follows.
  "无明显好转"/"未愈" are not resolutions, and a later relapse in the sentence (停药后复发) undoes one.
* ``present`` — everything else.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from importlib import resources
from typing import Literal

import yaml

from derm3r.text.clauses import Clause

Scope = Literal["present", "past", "family"]


def _scope_words() -> dict[str, tuple[str, ...]]:
    """The kin and patient words of derm3r/text/data/scope_words.yaml (data, not code: the list grows with wordings)."""
    text = resources.files("derm3r.text").joinpath("data/scope_words.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    return {key: tuple(str(word) for word in raw[key]) for key in ("family", "not_family", "patient")}


_WORDS = _scope_words()
#: A relative's name (formal, colloquial kin words such as 我妈/俺爹/老公, English) opens a family history.
FAMILY_MARKERS = _WORDS["family"]
#: Phrases holding a kin word that name no relative (大姨妈, 宝妈, 老婆婆): a kin word inside one opens nothing.
NOT_FAMILY_PHRASES = _WORDS["not_family"]
#: At a clause's start these turn a family history back to the patient (患者, 本人, 我, "i ").
PATIENT_MARKERS = _WORDS["patient"]

PAST_MARKERS = (
    "既往",
    "曾经",
    "得过",
    "患过",
    "生过",
    "曾",
    "以前",
    "从前",
    "幼时",
    "幼年",
    "儿时",
    "小时候",
    "年轻时",
    "过去",
    "早年",
    "往年",
    "previously",
    "history of",
    "used to",
)
NOW_MARKERS = (
    "现",
    "近",
    "此次",
    "本次",
    "这次",
    "这回",
    "如今",
    "目前",
    "刻下",
    "今",
    "又",
    "再次",
    "复发",
    "再发",
    "加重",
    "症见",
    "now",
    "currently",
)
RESOLUTION_MARKERS = (
    "好转",
    "已愈",
    "痊愈",
    "治愈",
    "自愈",
    "渐愈",
    "而愈",
    "愈合",
    "消退",
    "已退",
    "退去",
    "消失",
    "消散",
    "已经好了",
    "早就好了",
    "早好了",
    "已好",
    "已恢复",
    "已经恢复",
    "已康复",
    "resolved",
    "improved",
    "cleared",
)
#: After a relative's name, words that make the relative the reporter, the companion or the patient, not the subject
#: of a family history: "妈妈代诉：宝宝发烧", "孩子他爸说…", "和老公一起来的，怀孕12周", a child with an age
#: ("我儿子4岁，发烧", "my daughter is 3").
PROXY_AFTER_RELATIVE = re.compile(
    r"(他|她)?\s*(代诉|代述|代说|代为|陪诊|陪同|陪着?|一起|一同|带.{0,3}来|诉|述|说|讲|反映|发现|reports?|says?|noticed"
    r"|came with|is with|brought)"
    r"|\s*[,，]?\s*(今年|现)?\s*\d+(\.\d+)?\s*(周岁|岁|个月|月龄|月大)(?!时|那年|以前|之前)"
    r"|\s*[,，]?\s*(is|aged)?\s*\d+(\.\d+)?\s*(-?\s*(years?|months?|yrs?|yo|y/o)|[,，]|\s+and\b)"
)
CHILD_RELATIVES = ("儿子", "女儿", "孩子", "son", "daughter")
NOT_RESOLVED = re.compile(r"(无明显|未见|不见|没有|未|不|无|没)$")
RELAPSE_MARKERS = ("复发", "再发", "又起", "又发", "又出现", "再次出现", "反复", "加重", "relapse")


def clause_scopes(normalized: str, clauses: Sequence[Clause]) -> list[tuple[Scope, int]]:
    """The scope in force at the start of each clause, and where inside it a new scope begins.

    Args:
        normalized: The normalised field text.
        clauses: Its clauses (from :func:`derm3r.text.clauses.split_clauses`).

    Returns:
        One ``(scope, offset)`` per clause: mentions at or after ``offset`` (an absolute position)
        carry ``scope``; mentions before it carry the scope of the previous clause.
    """
    result: list[tuple[Scope, int]] = []
    current: Scope = "present"
    sentence = -1
    for clause in clauses:
        text = normalized[clause.start : clause.end]
        if clause.sentence != sentence:
            sentence, current = clause.sentence, "present"
        stripped = text.lstrip()
        lead = clause.start + len(text) - len(stripped)
        if current != "present" and stripped.startswith(PATIENT_MARKERS if current == "family" else NOW_MARKERS):
            current = "present"
        offset = lead
        family_at = _family_marker_at(text)
        past_at = _first(text, PAST_MARKERS)
        if family_at is not None:
            # "有银屑病家族史" names the disease before the marker: the whole clause is the family's.
            # It speaks of that clause only; "母亲患银屑病，伴关节痛" keeps the mother to the sentence's end.
            whole = any(marker.endswith("史") and marker in text for marker in FAMILY_MARKERS)
            if whole:
                result.append(("family", clause.start))
                continue
            current, offset = "family", clause.start + family_at
        elif past_at is not None and current == "present":
            current, offset = "past", clause.start + past_at
        result.append((current, offset))
    return result


def resolved_spans(normalized: str, clauses: Sequence[Clause], mention_starts: Sequence[int]) -> list[tuple[int, int]]:
    """Stretches of text whose signs are resolved (got better or went away).

    Args:
        normalized: The normalised field text.
        clauses: Its clauses.
        mention_starts: Start positions of every sign found in the field.

    Returns:
        ``(start, end)`` spans; a mention starting inside one is past.
    """
    spans: list[tuple[int, int]] = []
    for index, clause in enumerate(clauses):
        text = normalized[clause.start : clause.end]
        marker = _resolution_at(text)
        if marker is None:
            continue
        if _relapse_follows(normalized, clauses, index):
            continue
        marker_at = clause.start + marker
        if any(clause.start <= start < marker_at for start in mention_starts):
            spans.append((clause.start, marker_at))
        elif index > 0 and clauses[index - 1].sentence == clause.sentence:
            # The clause's own 好转 is about the previous clause's sign too, not a regressing rash.
            previous = clauses[index - 1]
            spans.extend([(previous.start, previous.end), (clause.start, clause.end)])
    return spans


def _resolution_at(text: str) -> int | None:
    for marker in RESOLUTION_MARKERS:
        found = text.find(marker)
        if found < 0:
            continue
        if NOT_RESOLVED.search(text[max(0, found - 3) : found]):
            continue
        if marker == "消失" and re.search(r"[压按]之?$", text[:found]):
            continue
        return found
    return None


def _relapse_follows(normalized: str, clauses: Sequence[Clause], index: int) -> bool:
    sentence = clauses[index].sentence
    for later in clauses[index:]:
        if later.sentence != sentence:
            break
        text = normalized[later.start : later.end]
        start = _resolution_at(text) if later is clauses[index] else 0
        if any(marker in text[start or 0 :] for marker in RELAPSE_MARKERS):
            return True
    return False


def _first(text: str, markers: Sequence[str]) -> int | None:
    positions = [found for marker in markers if (found := text.find(marker)) >= 0]
    return min(positions) if positions else None


def _family_marker_at(text: str) -> int | None:
    """The first relative's name that opens a family history, skipping a relative who reports or is the patient.

    "妈妈代诉：宝宝发烧两天" is the child's own illness told by the mother, and "我儿子4岁，发烧" a parent
    writing about the child who is the patient: their signs must still count (a referral hangs on them).
    """
    positions = sorted(
        (found, marker) for marker in FAMILY_MARKERS if (found := text.find(marker)) >= 0
    )
    ignored = [(m.start(), m.end()) for phrase in NOT_FAMILY_PHRASES for m in re.finditer(re.escape(phrase), text)]
    for found, marker in positions:
        if any(start <= found < end for start, end in ignored):
            continue
        # The proxy words follow the longest relative's name here ("我妈妈代诉" is 我妈 inside 妈妈).
        end = max(other + len(name) for other, name in positions if other < found + len(marker) and other >= found)
        proxy = PROXY_AFTER_RELATIVE.match(text[end:])
        if proxy is not None and (proxy.group(2) is not None or marker in CHILD_RELATIVES):
            continue
        return found
    return None
