"""Planted-violation sets and invariants used to audit the safety check (tests and safety_bench)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from derm3r.kb.loader import KnowledgeBase
from derm3r.schemas.plan import FormulaRef, HerbDose, TreatmentPlan

#: A herb with no safety rule of its own, used as the rest of every planted plan.
NEUTRAL_HERB = "herb.dang_gui"
#: The rest of the neutral herb's own planted overdose (so that every herb is planted).
SECOND_NEUTRAL_HERB = "herb.chen_pi"


@dataclass(frozen=True)
class PlantedPlan:
    """A plan with one planted violation, and what the check must remove."""

    label: str
    plan: TreatmentPlan
    must_not_remain: frozenset[str]
    pregnant: bool = False
    #: For a planted overdose: the herb may remain only at or below this many grams.
    dose_ceiling_g: float | None = None


def forbidden_pairs(kb: KnowledgeBase, herb_ids: set[str]) -> list[tuple[str, str, str]]:
    """List every 十八反/十九畏 pair present in a set of herb ids as (rule id, herb a, herb b)."""
    found = []
    for rule in kb.incompatibilities.values():
        for herb_a, herb_b in itertools.product(rule.herbs_a, rule.herbs_b):
            if herb_a in herb_ids and herb_b in herb_ids:
                found.append((rule.id, herb_a, herb_b))
    return found


def _plan(kb: KnowledgeBase, herb_ids: list[str]) -> TreatmentPlan:
    herbs = [HerbDose(name=kb.herbs[h].name, dose_g=max(kb.herbs[h].dose_min_g, 0.1)) for h in herb_ids]
    return TreatmentPlan(formula=FormulaRef(name="planted"), herbs=herbs)


def planted_pair_plans(kb: KnowledgeBase) -> Iterator[PlantedPlan]:
    """Yield one plan per 十八反/十九畏 herb pair of the knowledge base, in both orders."""
    for rule in kb.incompatibilities.values():
        for herb_a, herb_b in itertools.product(rule.herbs_a, rule.herbs_b):
            for first, second in ((herb_a, herb_b), (herb_b, herb_a)):
                yield PlantedPlan(
                    label=f"{rule.id}:{kb.herbs[first].name}+{kb.herbs[second].name}",
                    plan=_plan(kb, [NEUTRAL_HERB, first, second]),
                    must_not_remain=frozenset({first, second}),
                )


def planted_pregnancy_plans(kb: KnowledgeBase) -> Iterator[PlantedPlan]:
    """Yield one plan per pregnancy-forbidden herb, for a patient known to be pregnant."""
    for herb in kb.herbs.values():
        if herb.pregnancy == "forbidden":
            yield PlantedPlan(
                label=f"pregnancy:{herb.name}",
                plan=_plan(kb, [NEUTRAL_HERB, herb.id]),
                must_not_remain=frozenset({herb.id}),
                pregnant=True,
            )


def planted_dose_plans(kb: KnowledgeBase) -> Iterator[PlantedPlan]:
    """Yield one plan per herb with a Pharmacopoeia range, dosed at three times its ceiling.

    Every herb and so every toxicity grade is covered (无毒, 小毒, 有毒, 大毒); a herb with no internal dose
    is planted at 1 g, which it may not keep either.
    """
    for herb in kb.herbs.values():
        dose = min(max(herb.dose_max_g * 3, 1.0), 500.0)
        plan = _plan(kb, [SECOND_NEUTRAL_HERB if herb.id == NEUTRAL_HERB else NEUTRAL_HERB])
        plan.herbs.append(HerbDose(name=herb.name, dose_g=dose))
        yield PlantedPlan(
            label=f"dose:{herb.name}({herb.toxicity}) {dose:g}g>{herb.dose_max_g:g}g",
            plan=plan,
            must_not_remain=frozenset({herb.id}),
            dose_ceiling_g=herb.dose_max_g,
        )


def violation_remains(kb: KnowledgeBase, planted: PlantedPlan, checked: TreatmentPlan) -> bool:
    """Whether the checked plan still holds the planted violation."""
    remaining = {herb.herb_id for herb in checked.herbs if herb.herb_id}
    if planted.dose_ceiling_g is not None:
        ceiling = planted.dose_ceiling_g
        return any(h.herb_id in planted.must_not_remain and h.dose_g > ceiling for h in checked.herbs)
    if planted.pregnant:
        return bool(remaining & planted.must_not_remain)
    return planted.must_not_remain <= remaining
