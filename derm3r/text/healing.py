"""Which sign a healing speaks of when treatment clauses stand between them.

"起过水疱，用药后，现已结痂消退": the healing clause names no sign of its own (only now, degree and healing-stage
words before 消退: 现已结痂), and the clause before it tells only a treatment, so the healing is the blisters'.
:func:`derm3r.text.resolution.resolved_spans` links a healing to the one clause before it; this walks back further.
"""

from __future__ import annotations

from collections.abc import Sequence

from derm3r.text import scope_words as words
from derm3r.text.clauses import Clause

#: Treatment clauses a healing may reach back over ("涂了药膏以后，又去医院输液，现已结痂": two).
MAX_TREATMENT_CLAUSES = 2


def healed_sign_clause(normalized: str, clauses: Sequence[Clause], index: int, marker: int) -> int | None:
    """The index of the clause a healing clause speaks of, back over treatment clauses of its sentence.

    Args:
        normalized: The normalised field text.
        clauses: Its clauses.
        index: The healing clause (one holding a resolution word).
        marker: Where the resolution word stands inside that clause (an offset from its start).

    Returns:
        The clause before the treatment clauses, or None where the healing clause names a sign of its own, no
        treatment clause stands right before it, or the walk leaves the sentence.
    """
    clause = clauses[index]
    if not words.HEALING_ONLY.fullmatch(normalized[clause.start : clause.start + marker]):
        return None
    back = index - 1
    while back >= 0 and index - back <= MAX_TREATMENT_CLAUSES and clauses[back].sentence == clause.sentence:
        text = normalized[clauses[back].start : clauses[back].end].strip()
        if not (words.TREATMENT.search(text) and len(text) <= words.TREATMENT_CLAUSE_CHARS):
            break
        back -= 1
    if back in (index - 1, -1) or clauses[back].sentence != clause.sentence:
        return None
    return back
