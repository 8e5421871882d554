"""Syndrome elements (证素) read from syndrome names, by the forms in knowledge/rules/syndrome_elements.yaml.

A name is scanned longest form first, so 血热 is read as the element 血热 and not as 热, and 血燥
states both 血虚 and 燥. Two syndrome names agree element-wise when the Jaccard overlap of their
element sets reaches ``threshold.element_match_jaccard``.
"""

from __future__ import annotations

from derm3r.kb.loader import KnowledgeBase
from derm3r.schemas.plan import SyndromeElement


def _forms(kb: KnowledgeBase) -> list[tuple[str, list[str]]]:
    cached = kb.cache.get("element_forms")
    if cached is None:
        owners: dict[str, list[str]] = {}
        for entry in kb.syndrome_elements.values():
            for form in entry.names:
                owners.setdefault(form, []).append(entry.id)
        cached = kb.cache["element_forms"] = sorted(owners.items(), key=lambda item: -len(item[0]))
    return cached  # type: ignore[no-any-return]


def elements_of(kb: KnowledgeBase, syndrome_name: str) -> set[str]:
    """The element ids a syndrome name states (血虚风燥证 → blood_deficiency, wind, dryness)."""
    found: set[str] = set()
    text = syndrome_name
    for form, element_ids in _forms(kb):
        if form in text:
            found.update(element_ids)
            text = text.replace(form, "□" * len(form))
    return found


def element_agreement(kb: KnowledgeBase, expert_name: str, system_name: str) -> float:
    """1.0 when two syndrome names state (nearly) the same elements, else 0.0."""
    expert, system = elements_of(kb, expert_name), elements_of(kb, system_name)
    if not expert or not system:
        return 0.0
    overlap = len(expert & system) / len(expert | system)
    return 1.0 if overlap >= kb.threshold("threshold.element_match_jaccard") else 0.0


def elements_for_call(kb: KnowledgeBase, syndrome_name: str, weight: float) -> list[SyndromeElement]:
    """The elements of a called syndrome, for ``assessment.syndrome.elements``, 病位 first."""
    entries = [kb.syndrome_elements[element_id] for element_id in sorted(elements_of(kb, syndrome_name))]
    entries.sort(key=lambda entry: entry.kind != "病位")
    return [SyndromeElement(element=entry.name, kind=entry.kind, weight=round(weight, 2)) for entry in entries]
