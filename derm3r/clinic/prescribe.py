"""From a syndrome to a prescription: formula by school, 加减 by symptom, 兼证, follow-up visits."""

from __future__ import annotations

from derm3r.kb.loader import KnowledgeBase
from derm3r.kb.models import Formula, Syndrome
from derm3r.schemas.case import PreviousVisit
from derm3r.schemas.plan import FormulaRef, HerbDose, Modification, SyndromeCall, TreatmentPlan

MAX_SECONDARY_HERBS = 3
FOLLOW_UP = "服药7–14剂后复诊，观察皮损颜色、鳞屑、新发皮疹及瘙痒变化，据证调整方药。"


def choose_formula(kb: KnowledgeBase, syndrome: Syndrome, scheme: str = "textbook") -> Formula:
    """Return the syndrome's formula of the preferred school, else its first formula.

    Args:
        kb: The knowledge base.
        syndrome: The main syndrome.
        scheme: Preferred school ("textbook", "beijing" or "guideline").

    Returns:
        The formula entry.
    """
    for link in syndrome.formulas:
        if link.scheme == scheme:
            return kb.formulas[link.formula]
    return kb.formulas[syndrome.formulas[0].formula]


def build_plan(
    kb: KnowledgeBase,
    syndrome: Syndrome,
    present: set[str],
    *,
    secondary: SyndromeCall | None = None,
    scheme: str = "textbook",
    previous_visits: list[PreviousVisit] | None = None,
) -> TreatmentPlan:
    """Compose the treatment plan for a syndrome.

    At a follow-up visit whose last syndrome is the same, the previous prescription is the base
    (守方加减); when the syndrome has changed, the new syndrome's formula replaces it (更方).

    Args:
        kb: The knowledge base.
        syndrome: The main syndrome.
        present: Ids of the terms found present (they trigger the 加减 rules).
        secondary: A supported 兼证, whose key herbs are added.
        scheme: Preferred school of formulas.
        previous_visits: Earlier visits, oldest first.

    Returns:
        The plan, before the safety check.
    """
    formula = choose_formula(kb, syndrome, scheme)
    scheme_used = next(link.scheme for link in syndrome.formulas if link.formula == formula.id)
    notes: list[str] = []
    herbs = _formula_herbs(kb, formula)
    last = previous_visits[-1] if previous_visits else None
    if last is not None:
        previous_syndrome = kb.resolve_syndrome(last.syndrome, syndrome.disease) if last.syndrome else None
        if previous_syndrome == syndrome.id and last.plan and last.plan.herbs:
            herbs = _previous_herbs(kb, formula, last)
            notes.append(f"证型同前（{syndrome.name}），守前方加减。")
        elif previous_syndrome and previous_syndrome != syndrome.id:
            notes.append(f"证型由{kb.syndromes[previous_syndrome].name}转为{syndrome.name}，更方为{formula.name}加减。")
    modifications = _apply_rules(kb, formula, present, herbs)
    if secondary is not None and secondary.id in kb.syndromes:
        modification = _secondary_modification(kb, kb.syndromes[secondary.id], herbs, scheme)
        if modification is not None:
            modifications.append(modification)
    return TreatmentPlan(
        formula=FormulaRef(id=formula.id, name=f"{formula.name}加减", scheme=scheme_used, origin=formula.origin),
        herbs=herbs,
        modifications=modifications,
        external_treatment=list(syndrome.external_treatment),
        lifestyle=list(syndrome.lifestyle),
        follow_up=FOLLOW_UP,
        notes=notes,
    )


def _herb_dose(kb: KnowledgeBase, herb_id: str, dose_g: float, role: str | None, note: str = "") -> HerbDose:
    herb = kb.herbs[herb_id]
    return HerbDose(name=herb.name, dose_g=dose_g, role=role, herb_id=herb_id, note=note)  # type: ignore[arg-type]


def _formula_herbs(kb: KnowledgeBase, formula: Formula) -> list[HerbDose]:
    return [_herb_dose(kb, item.herb, item.dose_g, item.role, item.note) for item in formula.herbs]


def _previous_herbs(kb: KnowledgeBase, formula: Formula, last: PreviousVisit) -> list[HerbDose]:
    roles = {item.herb: item.role for item in formula.herbs}
    herbs = []
    for previous in last.plan.herbs if last.plan else []:
        herb_id = kb.resolve_herb(previous.name)
        dose = previous.dose_g or (kb.herbs[herb_id].dose_min_g if herb_id else 0)
        if herb_id is None:
            # Kept under its own name so the safety check flags it rather than silently dropping it.
            herbs.append(HerbDose(name=previous.name, dose_g=dose or 1, role=None, herb_id=None))
        else:
            herbs.append(_herb_dose(kb, herb_id, dose, roles.get(herb_id)))
    return herbs


def _apply_rules(kb: KnowledgeBase, formula: Formula, present: set[str], herbs: list[HerbDose]) -> list[Modification]:
    applied = []
    for rule in formula.modifications:
        triggers = [term for term in rule.when_any if term in present]
        if not triggers:
            continue
        in_plan = {herb.herb_id for herb in herbs}
        added = [
            _herb_dose(kb, change.herb, change.dose_g, "佐", change.note)
            for change in rule.add
            if change.herb not in in_plan
        ]
        removed = [kb.herbs[herb_id].name for herb_id in rule.remove if herb_id in in_plan]
        if not added and not removed:
            continue
        herbs[:] = [herb for herb in herbs if herb.herb_id not in set(rule.remove)]
        herbs.extend(added)
        applied.append(
            Modification(
                reason=rule.reason,
                trigger=[kb.terms[term].label for term in triggers],
                add=added,
                remove=removed,
            )
        )
    return applied


def _secondary_modification(
    kb: KnowledgeBase, secondary: Syndrome, herbs: list[HerbDose], scheme: str
) -> Modification | None:
    formula = choose_formula(kb, secondary, scheme)
    reason = f"兼{secondary.name}，取{formula.name}之意，{secondary.treatment_principle}"
    return borrow_key_herbs(kb, secondary, herbs, scheme, reason, [secondary.name])


def borrow_key_herbs(
    kb: KnowledgeBase, donor: Syndrome, herbs: list[HerbDose], scheme: str, reason: str, trigger: list[str]
) -> Modification | None:
    """Add the 君/臣 herbs of a donor syndrome's formula that the plan lacks (at most ``MAX_SECONDARY_HERBS``).

    Args:
        kb: The knowledge base.
        donor: The syndrome whose formula lends its key herbs (a 兼证, or the entry of a composite's extra element).
        herbs: The plan's herbs, extended in place.
        scheme: Preferred school of formulas.
        reason: Why (shown with the modification).
        trigger: What called for it.

    Returns:
        The modification, or None when the plan already has every key herb.
    """
    formula = choose_formula(kb, donor, scheme)
    in_plan = {herb.herb_id for herb in herbs}
    key_herbs = [item for item in formula.herbs if item.role in ("君", "臣") and item.herb not in in_plan]
    added = [_herb_dose(kb, item.herb, item.dose_g, "佐", item.note) for item in key_herbs[:MAX_SECONDARY_HERBS]]
    if not added:
        return None
    herbs.extend(added)
    return Modification(reason=reason, trigger=trigger, add=added)
