"""Signs told by a turn of phrase rather than a sign word: 不是不疼, 一到换季就起, "痒，就是不太明显".

* A bare 疼/痛 right after a negator (不疼, 没痛, 不是不疼): the lexicon lists no bare 疼, since 头疼, 心疼 and
  疼爱 are no skin pain, but after 不/没/无 it is the pain denied, or, with the denial denied, stated.
* 一到换季就起, 每到冬天就犯, 每次吃海鲜就发: the disease comes back on a trigger, a recurrent course
  (《中医外科学》 湿疮·瘾疹 "反复发作，遇…则发").
* 干痒, 又干又痒, 干而痒: dry skin said in the itch's word (the itch is read from 痒); not 眼干痒 or 咽干痒.
* An itch hedged right after it (痒，就是不太明显; 有点痒，不是很厉害): a mild itch.

The spans are read as lexicon spans are, so negation, scope and family history apply to them as usual.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from derm3r.text.extract import RawSpan, is_negated, mask

PAIN_TERM = "symptom.pain"
RECURRENT_TERM = "course.recurrent"
ITCH_TERM = "itch.present"
MILD_ITCH_TERM = "itch.mild"
DRY_TERM = "morphology.dry"
_STOP = "，,。；;!！?？\n"
#: 疼/痛 after a negator; not 不痛快 (unhappy), 不疼爱, 无痛经, 不痛心.
BARE_PAIN = re.compile(r"(?<=[不没无])(?:疼|痛)(?![快爱经心惜])")
#: 一到/每到/每逢/每次 … 就起/犯/发/复发: not 就发烧/发热 (a fever), 就发现, 就发红/发痒 (read as their own signs).
RECURRENCE = re.compile(
    rf"(?:一到|每到|每逢|每次|一遇到?|每遇到?)[^{_STOP}]{{1,8}}?(就(?:又)?(?:复发|犯|起|发作|发)(?![烧热现红痒干床来]))"
)
#: 干 (又干) joined to the itch (干痒, 又干又痒, 干而痒, 干发痒); not of the eyes, nose or throat.
DRY_ITCH = re.compile(r"(?<![眼睛鼻喉咽嘴唇舌口])(?:又)?干(?=(?:又|而|且)?(?:瘙|发)?痒)")
#: A hedge on the itch, in the itch's clause or opening the next one (痒，就是不太明显; 痒得不是很厉害).
HEDGE = re.compile(
    rf"[^{_STOP}]*?[{_STOP}]?\s*((?:就是|只是|但是?|不过|可是)?还?"
    r"(?:不太|不是很|不怎么|没那么|没有那么|不大|不算太?)(?:明显|厉害|严重|重))"
)


def told_spans(lowered: str, taken: Sequence[RawSpan], blocked: Sequence[tuple[int, int]] = ()) -> list[RawSpan]:
    """Spans of a normalised text that state pain, a recurrent course, dry skin or a mild itch by a turn of phrase.

    Args:
        lowered: Text after :func:`derm3r.text.normalize.normalize`.
        taken: Spans already read (a span is never read twice).
        blocked: Spans that must not be read (drug names, figurative words, extraneous clauses).

    Returns:
        New spans, in text order.
    """
    occupied = [(span.start, span.end) for span in taken] + list(blocked)

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in occupied)

    found = [
        RawSpan(m.start(), m.end(), m.group(), PAIN_TERM, "exact", 1.0)
        for m in BARE_PAIN.finditer(lowered)
        if free(*m.span())
    ]
    found += [
        RawSpan(m.start(1), m.end(1), m.group(1), RECURRENT_TERM, "exact", 1.0)
        for m in RECURRENCE.finditer(lowered)
        if free(*m.span(1))
    ]
    found += [
        RawSpan(m.start(), m.end(), m.group(), DRY_TERM, "exact", 1.0)
        for m in DRY_ITCH.finditer(lowered)
        if free(*m.span())
    ]
    masked = mask(lowered, occupied)
    for itch in taken:
        hedge = HEDGE.match(lowered, itch.end) if itch.term_id == ITCH_TERM else None
        if hedge and free(*hedge.span(1)) and not is_negated(masked, itch.start, itch.end):
            found.append(RawSpan(hedge.start(1), hedge.end(1), hedge.group(1), MILD_ITCH_TERM, "exact", 1.0))
    return sorted(found, key=lambda span: span.start)
