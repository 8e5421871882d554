"""A drug taken before the rash: "吃了头孢三天后身上起满红疹子" states 用药后发病 (course.drug_trigger).

Western drug names are masked before sign matching (a drug list must not create signs: 甲 in
复方磺胺甲噁唑 is no nail), so the lexicon's fixed forms (服药后, 用药后 …) miss a note that names the
drug. 《中医外科学》药毒 makes the history of a drug taken within the latent period the first point of
the diagnosis, so this reader restores it: an intake verb just before a drug name, and 后 (after)
shortly after it, in one clause. A clause that reports the drug's effect (…后好转, …无效) is treatment,
not exposure, and a denied intake (未服用…) states nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from derm3r.text.clauses import Clause
from derm3r.text.extract import RawSpan

EXPOSURE_TERM = "course.drug_trigger"
INTAKE = re.compile(r"服用|口服|内服|服了|吃了|吃过|用了|使用|注射|输液|输了|静滴|打了"
                    r"|换了|换用|换成|给了|开了|服|吃|用")
#: Characters allowed between the intake verb and the drug name (吃了两片头孢 → 两片).
INTAKE_GAP = 4
#: How far after the drug name its 后 may stand (头孢三天后, 布洛芬以后).
AFTER_GAP = 8
#: 后 (after), or the day of a course still running (服卡马西平第14天: the rash began while on the drug).
AFTER = re.compile(r"(以后|之后|后|第[0-9一二三四五六七八九十两]+(天|日|周|个月)"
                   r"|就(?=[^。；;]{0,6}[起出发长冒])|[，,]\s*(全身|身上|周身|浑身|皮肤)?(就|又)?[起出长冒](了)?[^。；;]{0,3}[疹斑疱泡疙])")
#: A course begun before the visit (三周前开始服别嘌醇): the drug was taken before this rash.
STARTED = ("开始",)
RESPONSE_WORDS = ("压住", "压得住", "管用", "有用", "一停", "好了",
                  "好转", "缓解", "减轻", "消退", "无效", "效果", "控制", "见效", "改善", "痊愈", "不明显",
                  "稍退")
DENIALS = ("未", "没", "无", "否认", "不")
#: Stopping a drug is no exposure to it (自行停用口服泼尼松后加重: a steroid withdrawal flare).
STOPS = ("停用", "停服", "停药", "停了", "撤减", "减停")
SENTENCE_END = re.compile(r"[。.;；!！?？\n]")


def drug_exposure_spans(
    lowered: str, clauses: Sequence[Clause], drugs: Sequence[tuple[int, int]]
) -> list[RawSpan]:
    """Spans that state a drug taken before onset, from the intake verb to its 后.

    Args:
        lowered: The normalised field text.
        clauses: Its clauses (a lab or screening clause states nothing; a dosed drug clause may).
        drugs: Spans of drug names in ``lowered``.

    Returns:
        One span per exposure, text order.
    """
    found: list[RawSpan] = []
    for start, end in sorted(drugs):
        clause = next((c for c in clauses if c.start <= start < c.end), None)
        if clause is None or clause.extraneous not in (None, "drug"):
            continue
        before = lowered[max(clause.start, start - INTAKE_GAP - 2) : start]
        verbs = list(INTAKE.finditer(before))
        verb = verbs[-1] if verbs else None
        if verb is None or len(before) - verb.end() > INTAKE_GAP:
            continue
        verb_at = start - len(before) + verb.start()
        # The verb may be the second half of a stop word (停用's 用), so the stop words are sought through it.
        if any(word in lowered[clause.start : verb_at] for word in DENIALS) or any(
            word in lowered[clause.start : verb_at + len(verb.group())] for word in STOPS
        ):
            continue
        sentence = SENTENCE_END.search(lowered, end)
        sentence_stop = sentence.start() if sentence else len(lowered)
        after = AFTER.search(lowered, end, min(sentence_stop, end + AFTER_GAP + 2))
        started = lowered[max(clause.start, verb_at - 2) : verb_at] in STARTED
        if after is None and not started:
            continue
        stop = after.end() if after is not None else end
        # The drug's effect may stand before the 就 (吃氯雷他定能压住，一停就起): treatment, not exposure.
        rest = lowered[end:sentence_stop]
        if any(word in rest for word in RESPONSE_WORDS):
            continue
        found.append(RawSpan(verb_at, stop, lowered[verb_at:stop], EXPOSURE_TERM, "composed", 0.9))
    return found
