"""Signs stated by several words of one sentence: 成簇…水疱 is a clustered vesicle, 上唇…成簇水疱 a cold sore.

Clinic notes rarely write a compound finding as one fixed phrase: "上唇及鼻孔下成簇针头大小水疱" puts the
site, the arrangement and the lesion in one clause with size words between them, so no surface form of
簇集性水疱 or 口周簇集小水疱 matches. A lexicon term may therefore list ``composed_of`` sets (data, in
knowledge/lexicon): when every term of one set is asserted (read and not denied) in the same sentence
(a lesion is described in one sentence: "双胫前数个鲜红色结节，灼热，压痛明显"), the term is stated
too, with a span from the first part to the last so it stays traceable. A part is met by a term that
implies it (丘疱疹 → 水疱), and composed terms can feed others (簇集性水疱 + 口唇).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from derm3r.text.extract import RawSpan, is_negated

if TYPE_CHECKING:
    from derm3r.kb.loader import KnowledgeBase
    from derm3r.text.clauses import Clause

#: A composed reading is a little less certain than a verbatim form.
COMPOSED_SCORE = 0.9
#: Composed terms may feed other composed terms this many times (two levels are all the data uses).
PASSES = 2


def _recipes(kb: KnowledgeBase) -> list[tuple[str, list[frozenset[str]]]]:
    recipes = kb.cache.get("composed_recipes")
    if recipes is None:
        recipes = kb.cache["composed_recipes"] = [
            (term.id, [frozenset(parts) for parts in term.composed_of])
            for term in kb.terms.values()
            if term.composed_of
        ]
    return recipes  # type: ignore[no-any-return]


def _closure(kb: KnowledgeBase, term_id: str) -> frozenset[str]:
    """The term and every term it implies, directly or through others (kept on ``kb``: asked for each span)."""
    closures: dict[str, frozenset[str]] = kb.cache.setdefault("term_closures", {})
    closure = closures.get(term_id)
    if closure is None:
        found, queue = {term_id}, [term_id]
        while queue:
            term = kb.terms.get(queue.pop())
            for implied in term.implies if term else ():
                if implied not in found:
                    found.add(implied)
                    queue.append(implied)
        closure = closures[term_id] = frozenset(found)
    return closure


def composed_spans(
    kb: KnowledgeBase, lowered: str, clauses: Sequence[Clause], spans: Sequence[RawSpan], masked: str
) -> list[RawSpan]:
    """The composed terms each clause states, as spans over their parts.

    Args:
        kb: The knowledge base (terms with ``composed_of``).
        lowered: The normalised field text.
        clauses: Its clauses (grouped by sentence; extraneous ones compose nothing).
        spans: The lexicon, fuzzy and semantic spans already read.
        masked: ``lowered`` with the spans masked (for negation).

    Returns:
        New spans, one per composed term per sentence, none for a term the sentence already states.
    """
    recipes = _recipes(kb)
    if not recipes:
        return []
    found: list[RawSpan] = []
    for sentence in sorted({clause.sentence for clause in clauses}):
        readable = [c for c in clauses if c.sentence == sentence and not c.extraneous]
        inside = [span for span in spans if any(c.start <= span.start < max(c.end, c.start + 1) for c in readable)]
        parts = [(span, _closure(kb, span.term_id)) for span in inside if not is_negated(masked, span.start, span.end)]
        for _ in range(PASSES):
            stated = set().union(*(closure for _, closure in parts)) if parts else set()
            added = [
                _span(lowered, term_id, [span for span, closure in parts if closure & needed])
                for term_id, alternatives in recipes
                if term_id not in stated
                for needed in alternatives
                if needed <= stated
            ]
            new = {span.term_id: span for span in added}
            if not new:
                break
            found.extend(new.values())
            parts.extend((span, _closure(kb, span.term_id)) for span in new.values())
    return found


def _span(lowered: str, term_id: str, parts: list[RawSpan]) -> RawSpan:
    start, end = min(part.start for part in parts), max(part.end for part in parts)
    return RawSpan(start, end, lowered[start:end], term_id, "composed", COMPOSED_SCORE)
