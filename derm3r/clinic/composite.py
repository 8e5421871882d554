"""Composite syndromes (证素组合): a textbook syndrome plus an element its signs do not cover.

Expert syndromes are often not textbook entries: 血热夹湿证, 湿热瘀阻证, 血热风燥证. Following
证素辨证 (朱文锋《证素辨证学》), every sign adds weight to the elements it states
(knowledge/rules/syndrome_elements.yaml ``signs``). When an element the called syndrome's name does
not state reaches ``threshold.element_present_score`` — and no syndrome of the disease in the
knowledge base already states both — the call becomes the composite ``<syndrome>夹<element>证``
(a deficiency leads: ``<element><syndrome>证``), its
principle (治法) adds the element's (…，兼以利湿), and the formula keeps its base (君药) and borrows
the key herbs of the disease's syndrome that best states the extra element (加减). An element the
name already implies (血热 covers 热) is not an addition.
"""

from __future__ import annotations

from dataclasses import dataclass

from derm3r.clinic.elements import elements_for_call, elements_of
from derm3r.clinic.prescribe import borrow_key_herbs
from derm3r.kb.loader import KnowledgeBase
from derm3r.kb.models import Syndrome
from derm3r.kb.rule_models import SyndromeElementEntry
from derm3r.schemas.plan import SyndromeCall, TreatmentPlan

#: At most this many elements are added to one syndrome (the strongest first).
MAX_EXTRA_ELEMENTS = 1


@dataclass(frozen=True)
class Composite:
    """A textbook syndrome with the elements its signs add."""

    base: Syndrome
    extra: list[SyndromeElementEntry]
    name: str
    principle: str
    donor: Syndrome | None


def element_scores(kb: KnowledgeBase, present: set[str]) -> dict[str, float]:
    """Each element's weight of present signs (证素辨证 sums), elements without any omitted."""
    scores = {}
    for entry in kb.syndrome_elements.values():
        score = sum(sign.weight for sign in entry.signs if sign.term in present)
        if score > 0:
            scores[entry.id] = round(score, 2)
    return scores


def compose(
    kb: KnowledgeBase, syndrome: Syndrome, present: set[str], *, secondary: Syndrome | None = None
) -> Composite | None:
    """The composite of a called syndrome, or None when its name already covers the case's elements.

    Args:
        kb: The knowledge base.
        syndrome: The textbook syndrome the differentiation called.
        present: Ids of the terms found present.
        secondary: A called 兼证, whose elements are accounted for too.

    Returns:
        The composite, or None.
    """
    names = syndrome.name + (secondary.name if secondary else "")
    base = elements_of(kb, syndrome.name) | (elements_of(kb, secondary.name) if secondary else set())
    if not base or syndrome.red_flag:
        return None
    threshold = kb.threshold("threshold.element_present_score")
    scores = element_scores(kb, present)
    extra = [
        kb.syndrome_elements[element_id]
        for element_id, score in sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        if score >= threshold and element_id not in base
        # 血热内蕴证 states 热 too (its reading is the one element 血热).
        and kb.syndrome_elements[element_id].name not in names
    ][:MAX_EXTRA_ELEMENTS]
    if not extra:
        return None
    wanted = base | {entry.id for entry in extra}
    siblings = [kb.syndromes[s] for s in kb.diseases[syndrome.disease].syndromes if s in kb.syndromes]
    if any(wanted <= elements_of(kb, sibling.name) for sibling in siblings):
        return None  # the knowledge base has that syndrome: the differentiation weighed it already
    name = composite_name(syndrome.name, [entry.name for entry in extra])
    added = "、".join(entry.principle for entry in extra if entry.principle)
    principle = f"{syndrome.treatment_principle}，兼以{added}"
    return Composite(syndrome, extra, name, principle, _donor(kb, syndrome, extra, siblings))


def composite_name(syndrome_name: str, extra: list[str]) -> str:
    """血热证 + 湿 → 血热夹湿证; a deficiency (…虚) leads, the root the excess rests on: 阴虚 + 湿热证 → 阴虚湿热证."""
    core = syndrome_name.removesuffix("证")
    deficient = [name for name in extra if name.endswith("虚")]
    excess = [name for name in extra if not name.endswith("虚")]
    return "".join(deficient) + core + (f"夹{''.join(excess)}" if excess else "") + "证"


def _donor(
    kb: KnowledgeBase, syndrome: Syndrome, extra: list[SyndromeElementEntry], siblings: list[Syndrome]
) -> Syndrome | None:
    """The disease's syndrome (else any) that best states the extra elements: its formula lends the 加减 herbs."""
    wanted = {entry.id for entry in extra}
    for pool in (siblings, list(kb.syndromes.values())):
        ranked = []
        for candidate in pool:
            if candidate.id == syndrome.id or not candidate.formulas:
                continue
            elements = elements_of(kb, candidate.name)
            if wanted <= elements:
                ranked.append((len(elements - wanted), candidate.id, candidate))
        if ranked:
            return min(ranked, key=lambda item: item[:2])[2]
    return None


def apply_composite(
    kb: KnowledgeBase, composite: Composite, call: SyndromeCall, plan: TreatmentPlan, scheme: str
) -> tuple[SyndromeCall, TreatmentPlan]:
    """The composite's call (its name and elements; no textbook id) and the plan with the extra element's 加减.

    Args:
        kb: The knowledge base.
        composite: From :func:`compose`.
        call: The textbook syndrome's call (score, confidence and evidence are kept).
        plan: The textbook syndrome's plan (its formula stays the base).
        scheme: Preferred school of formulas.

    Returns:
        The new call and plan.
    """
    extra = "".join(entry.name for entry in composite.extra)
    named = call.model_copy(update={"id": None, "name": composite.name,
                                    "elements": elements_for_call(kb, composite.name, call.score)})
    if composite.donor is None:
        return named, plan
    herbs = list(plan.herbs)
    principles = "、".join(entry.principle for entry in composite.extra if entry.principle)
    formula = kb.formulas[composite.donor.formulas[0].formula]
    modification = borrow_key_herbs(
        kb, composite.donor, herbs, scheme, f"夹{extra}，{principles}：取{formula.name}（{composite.donor.name}）之意",
        [f"证素：{extra}"],
    )
    if modification is None:
        return named, plan
    return named, plan.model_copy(update={"herbs": herbs, "modifications": [*plan.modifications, modification]})
