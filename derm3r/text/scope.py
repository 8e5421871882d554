"""Whose sign, and when: family history, past history and resolved signs are not the patient now.

A sign is read in one of three scopes:

* ``family`` — said of a relative ("母亲患银屑病", "家族中有类似患者"); from the relative's name
  to the end of the sentence, unless a clause turns back to the patient (患者、本人、现 …).
* ``past`` — past history (既往, 曾, 以前, 小时候 …) to the end of the sentence unless a clause
  brings it back to now (现, 近, 此次, 复发 …); 有…史 (有脚气史) for its own clause only; or a sign that got
  better or went away (好转, 已愈,
  消退, 痊愈 …). A year-scale date (三年前, 去年, "years ago") opens a past when its sentence tells an event
  that happened (起过风团, 晕倒过, 抢救过; "I had"): "半年前起病" without 过 dates today's illness, and a day,
  week or month date never does (a drug taken 三天前 is the exposure of today's rash).
  A clause such as "自服头孢类抗生素3天后好转" names no sign of its own: its
  improvement belongs to the clause before it (the sore throat), not to the rash that follows.
  "无明显好转"/"未愈" are not resolutions, and a later relapse in the sentence (停药后复发) undoes one
  (:mod:`derm3r.text.resolution` finds them).
* ``present`` — everything else.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from derm3r.text import scope_words as words
from derm3r.text.clauses import Clause

#: ``hypothetical`` is given by :mod:`derm3r.text.mentions` only, to a disease name in a worry question.
Scope = Literal["present", "past", "family", "hypothetical"]


def clause_scopes(normalized: str, clauses: Sequence[Clause]) -> list[tuple[Scope, int]]:
    """The scope in force at the start of each clause, and where inside it a new scope begins.

    A sentence opening with a pronoun (她, "she ") after a family history is still the relative's.

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
    writer_speaks = any(_is_self_clause(normalized[c.start : c.end]) for c in clauses)
    told_now = words.RELATIVE_NOW.search(normalized) is not None
    proxies = _proxy_kin_spans(normalized)
    for index, clause in enumerate(clauses):
        text = normalized[clause.start : clause.end]
        stripped = text.lstrip()
        if clause.sentence != sentence:
            carried = current == "family" and carries_person(stripped)
            sentence, current = clause.sentence, "family" if carried else "present"
        lead = clause.start + len(text) - len(stripped)
        back_to_patient = _opens_with(_after_now_word(words.CONTRAST.sub("", stripped, count=1)), words.PATIENT_MARKERS)
        if current == "family" and back_to_patient:
            current = "present"  # "我妈有红斑狼疮，我就是…", "Mum had lupus. Now I have …"
        elif current == "past" and _opens_with(stripped, words.NOW_MARKERS):
            current = "present"
        offset = lead
        header = _header_scope(stripped, normalized[clause.end : clause.end + 1])
        if header is not None:
            current = header
            result.append((current, clause.start))
            continue
        following = normalized[clause.end : clause.end + 16]
        family_at = _family_marker_at(
            text, following, opens_text=index == 0 and not writer_speaks, told_now=told_now
        )
        if family_at is not None and proxies:
            family_at = _past_proxy(text, clause.start, family_at, following, proxies)
        past_at = _first(words.PAST_COMPARISON.sub(lambda m: " " * len(m.group()), text), words.PAST_MARKERS)
        if past_at is None:
            past_at = _dated_past_at(normalized, clauses, index)
        if family_at is not None:
            # "有银屑病家族史" names the disease before the marker: the whole clause is the family's.
            # It speaks of that clause only; "母亲患银屑病，伴关节痛" keeps the mother to the sentence's end.
            whole = any(marker.endswith("史") and marker in text for marker in words.FAMILY_MARKERS)
            if whole:
                result.append(("family", clause.start))
                continue
            current, offset = "family", clause.start + family_at
        elif past_at is not None and current == "present":
            current, offset = "past", clause.start + past_at
        elif current == "present" and (had := words.HAD_HISTORY.search(text)) is not None:  # 有脚气史: this clause
            result.append(("past", clause.start + had.start()))
            continue
        result.append((current, offset))
    return result


def now_after(normalized: str, past_at: int, position: int) -> bool:
    """A now-word stands between where a clause's past history opens and a later position in that clause.

    "The mole used to be light brown and is now dark brown with black bits": the colours after "now" are the
    patient's now, though the clause opened a past at "used to".

    Args:
        normalized: The normalised field text.
        past_at: Where the past history opens (the offset :func:`clause_scopes` gives the clause).
        position: A later position in the clause (a sign's latest part).

    Returns:
        Whether one of the ``now_in_clause`` words of scope_words.yaml stands in between.
    """
    return past_at < position and words.NOW_IN_CLAUSE.search(normalized, past_at, position) is not None


def carries_person(clause_text: str) -> bool:
    """The clause opens with a third person (她, "she ") who carries the sentence before's relative on.

    Args:
        clause_text: A clause's text (normalised).

    Returns:
        Whether it opens with one of the ``pronoun`` words of scope_words.yaml.
    """
    return clause_text.lstrip().startswith(words.PRONOUNS)


def points_back(clause_text: str) -> bool:
    """Near its start the clause points back to a thing the sentence before named (它, 这颗, "it").

    A clause that opens with a predicate and no subject ("现在大了一倍") points back too.

    Args:
        clause_text: A clause's text (normalised).

    Returns:
        Whether one of the ``anaphora`` words of scope_words.yaml stands in its first words (not 其它, "other").
    """
    text = clause_text.lstrip()
    return words.ANAPHORA_OPENING.search(text) is not None or words.PREDICATE_OPENING.match(text) is not None


def sentences_pointing_back(normalized: str, clauses: Sequence[Clause]) -> list[Clause]:
    """Each sentence as one stretch (its clauses joined), a sentence that points back joined to the one before.

    "我小腿上有颗痣。最近它老是出血。" is one stretch: the second sentence's 它 is the first's mole. The scope a person
    carries (她 after a relative) is :func:`clause_scopes`'s; this joins what a thing-word points back to.

    Args:
        normalized: The normalised field text.
        clauses: Its clauses (from :func:`derm3r.text.clauses.split_clauses`).

    Returns:
        One clause-shaped stretch per group: the first clause's field, start and sentence, the last clause's end,
        and an ``extraneous`` kind only when every clause of the group has it (the first one's).
    """
    groups: list[list[Clause]] = []
    for clause in clauses:
        opens_sentence = not groups or clause.sentence != groups[-1][-1].sentence
        if opens_sentence and not (groups and points_back(normalized[clause.start : clause.end])):
            groups.append([])
        groups[-1].append(clause)
    return [
        Clause(
            group[0].field,
            group[0].start,
            group[-1].end,
            group[0].sentence,
            None if any(c.extraneous is None for c in group) else group[0].extraneous,
        )
        for group in groups
    ]


def _opens_with(text: str, markers: tuple[str, ...]) -> bool:
    """The clause opens with a marker, after a contrastive conjunction if any ("但现在…", "but recently …")."""
    return text.startswith(markers) or words.CONTRAST.sub("", text, count=1).startswith(markers)


def _first(text: str, markers: Sequence[str]) -> int | None:
    positions = [found for marker in markers if (found := text.find(marker)) >= 0]
    return min(positions) if positions else None


def _is_self_clause(text: str) -> bool:
    """A clause where the writer speaks of themself (我是来看…, "i just have"), not of 我妈/我女儿."""
    stripped = _after_now_word(words.CONTRAST.sub("", text.lstrip(), count=1))
    word = next((w for w in words.SELF_MARKERS if stripped.startswith(w)), None)
    if word is None or stripped.startswith(words.FAMILY_MARKERS):
        return False
    return not stripped[len(word) :].lstrip("的 ").startswith(words.FAMILY_MARKERS)


def _after_now_word(text: str) -> str:
    """The clause after a leading now-word: "now i have a mole…" speaks of the writer as "i have…" does."""
    word = next((w for w in words.NOW_MARKERS if len(w) > 1 and text.startswith(w)), None)
    return text[len(word) :].lstrip(" ,，") if word else text


def _dated_past_at(normalized: str, clauses: Sequence[Clause], index: int) -> int | None:
    """Where a year-scale date opens a past history in the clause, or None.

    Its sentence, up to a clause that brings it back to now, must tell an event that happened (起过, 晕倒过; "I had").
    """
    clause = clauses[index]
    text = normalized[clause.start : clause.end]
    date = words.DATED_PAST.search(text) or words.ENGLISH_DATED_PAST.search(text)
    if date is None:
        return None
    stretch = [text[date.start() :]]
    for later in clauses[index + 1 :]:
        later_text = normalized[later.start : later.end]
        if later.sentence != clause.sentence or _opens_with(later_text.lstrip(), words.NOW_MARKERS):
            break
        stretch.append(later_text)
    told = " ".join(stretch)
    if words.DATED_PAST.match(date.group()):
        return date.start() if words.EXPERIENTIAL.search(told) else None
    # English dates trail their event: "I had lots of sunburns as a child" is past from "had".
    before = words.ENGLISH_PAST_EVENT.search(text[: date.start()])
    if before is not None:
        return before.start()
    return date.start() if words.ENGLISH_PAST_EVENT.search(told) else None


def _family_marker_at(
    text: str, following: str = "", *, opens_text: bool = False, told_now: bool = False
) -> int | None:
    """The first relative's name that opens a family history, skipping a relative who reports or is the patient.

    "妈妈代诉：宝宝发烧两天" is the child's own illness told by the mother, and "我儿子4岁，发烧" a parent
    writing about the child who is the patient: their signs must still count (a referral hangs on them).
    A relative given with an age as the text's subject ("奶奶，78岁，输液后全身起疙瘩") is the patient too, unless
    the writer speaks of a complaint of their own (``opens_text`` is false then): who has the complaint decides.
    A clinical note's relatives (母亲, 父亲, 祖父 …) stay a family history: a note names its patient 患者.
    ``following`` is the text after the clause, where an age split off by a comma stands ("奶奶，78岁").
    Such a subject is the patient too where a body part or a skin finding follows the name ("爷爷肚子上起大水泡",
    "my mum has a rash on her shins"), unless the clause likens it to the patient's or dates it (也, 都, 长过,
    以前): a disease after the name ("我妈有湿疹", "my mum has psoriasis") is a family history — unless the text tells
    the illness as happening now (``told_now``: "我爸小腿丹毒，今天人有点迷糊", "My husband has cellulitis. Since this
    morning he's drowsy") and the writer has no complaint of their own: someone is writing for them.
    """
    positions = sorted(
        (found, marker) for marker in words.FAMILY_MARKERS if (found := _kin_word_at(text, marker)) >= 0
    )
    ignored = [span for phrase in words.NOT_FAMILY_PHRASES for span in _occurrences(text, phrase)]
    for found, marker in positions:
        if any(start <= found < end for start, end in ignored):
            continue
        # The proxy words follow the longest relative's name here ("我妈妈代诉" is 我妈 inside 妈妈).
        end = max(other + len(name) for other, name in positions if other < found + len(marker) and other >= found)
        after = text[end:] if text[end:].strip() else following
        proxy = words.PROXY_AFTER_RELATIVE.match(after)
        if proxy is not None and (proxy.group(2) is not None or marker in words.CHILD_RELATIVES):
            continue
        subject = (
            opens_text and marker not in words.NOTE_RELATIVES and words.SUBJECT_PREFIX.fullmatch(text[:found].lstrip())
        )
        if subject and (proxy is not None or told_now or _carer_describes(text[end:])):
            continue
        return found
    return None


def _kin_word_at(text: str, marker: str) -> int:
    """Where a relative's name first stands as a word, or -1.

    "mother" in "chemotherapy" or "parent" in "apparent" names no relative; "grandmother" and "stepfather" do.
    """
    found = text.find(marker)
    while found >= 0 and marker[:1].isascii() and marker[:1].isalpha():
        start = found
        while start > 0 and text[start - 1].isascii() and text[start - 1].isalpha():
            start -= 1
        if start == found or text[start:found].endswith(words.KIN_PREFIXES):
            break
        found = text.find(marker, found + 1)
    return found


def _occurrences(text: str, word: str) -> list[tuple[int, int]]:
    """Non-overlapping spans of ``word`` in ``text``, left to right (str.find: this runs for every clause)."""
    spans: list[tuple[int, int]] = []
    found = text.find(word) if word else -1  # an empty word would be found everywhere and cover nothing
    while found >= 0:
        spans.append((found, found + len(word)))
        found = text.find(word, found + len(word))
    return spans


def _header_scope(clause: str, delimiter: str) -> Scope | None:
    """The scope a section header sets for the rest of its sentence ("家族史：银屑病"), or None."""
    if delimiter not in ":：":
        return None
    for scope, headers in words.HISTORY_HEADERS.items():
        if clause.rstrip(" ：:").endswith(headers):
            return scope  # type: ignore[return-value]
    return None


def _carer_describes(after: str) -> bool:
    """The words after a relative's name describe a body part or a skin finding now (no 也/都, no 过/以前)."""
    stripped = words.CARER_TIME.sub("", after.lstrip("的 "), count=1).lstrip("的 ")
    describes = stripped.startswith(words.CARER_OPENERS) or words.CARER_ENGLISH.match(after) is not None
    dated = words.EXPERIENTIAL.search(after) is not None or _first(after, words.PAST_MARKERS) is not None
    return describes and not dated and not any(word in after for word in words.ALSO_WORDS)


def _proxy_kin_spans(normalized: str) -> list[tuple[int, int]]:
    """Where the text names the relative a proxy writer asks for, or the writer as the patient's relative.

    "我替我爸打电话问一下：他…", "I'm calling about my wife: …", "我是孩子奶奶，孙子…": the relative asked for is the
    patient, and the writer's own kin word (奶奶) names the reporter (scope_words.PROXY_REQUEST).
    """
    return [match.span(group) for match in words.PROXY_REQUEST.finditer(normalized)
            for group in ("kin", "asker", "english", "writer", "asker_en", "writer_en") if match.group(group)]


def _past_proxy(text: str, start: int, found: int, following: str, proxies: list[tuple[int, int]]) -> int | None:
    """The first relative's name from ``found`` on that opens a family history in a text a proxy writes.

    In such a text the proxy's own kin words open nothing, and a relative who opens a clause as its subject
    ("我是孩子奶奶，孙子从昨天夜里开始发烧") is the patient the proxy calls about, unless the clause likens it to
    the patient's or dates it (也, 过, 以前) or names a history (史): "他妈妈以前也有银屑病" stays a family history.
    """
    at: int | None = found
    while at is not None:
        position = start + at
        in_proxy = any(a <= position < b for a, b in proxies)
        rest = text[at:]
        subject = words.SUBJECT_PREFIX.fullmatch(text[:at].lstrip()) is not None
        dated = words.EXPERIENTIAL.search(rest) is not None or _first(rest, words.PAST_MARKERS) is not None
        historic = "史" in rest or any(word in rest for word in words.ALSO_WORDS)
        if not in_proxy and not (subject and not dated and not historic):
            return at
        # Read on after this name (the longest kin word there: 外孙女, not its 孙女): a later relative in the clause
        # may still open a family history.
        end = at + max((len(word) for word in words.FAMILY_MARKERS if text.startswith(word, at)), default=1)
        following_at = _family_marker_at(text[end:], following)
        at = None if following_at is None else end + following_at
    return None
