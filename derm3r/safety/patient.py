"""Prescription checks that depend on who the patient is: allergies, lactation, age, fact conflicts."""

from __future__ import annotations

from derm3r.kb.loader import KnowledgeBase
from derm3r.safety.doses import PHARMACOPOEIA, TOXIC_GRADES, age_factor
from derm3r.schemas.plan import HerbDose
from derm3r.schemas.safety import PatientFacts, SafetyFinding

#: Where a child's dose fractions and the rule "confirm the age before dosing" come from.
PAEDIATRIC_SOURCE = "《中医儿科学》（全国中医药行业高等教育规划教材）小儿用药剂量"


def fact_findings(facts: PatientFacts) -> list[SafetyFinding]:
    """One warning per disagreement between a structured field and the text (the safer reading won)."""
    return [
        SafetyFinding(
            severity="warning", rule_id="patient.facts_conflict", message=conflict, action="已按较安全的读法核查"
        )
        for conflict in facts.conflicts
    ]


def check_allergies(
    kb: KnowledgeBase, herbs: list[HerbDose], facts: PatientFacts
) -> tuple[list[HerbDose], list[SafetyFinding]]:
    """Remove every herb the patient is allergic to (named, or a member of a named class).

    Args:
        kb: The knowledge base.
        herbs: Resolved herbs.
        facts: The patient facts (``allergy_herbs`` holds the canonical names ruled out).

    Returns:
        The herbs left and one blocking finding per removal, naming the allergen as read.
    """
    if not facts.allergy_herbs:
        return herbs, []
    ruled_out = set(facts.allergy_herbs)
    allergens = "、".join(facts.allergies)
    kept, findings = [], []
    for herb in herbs:
        if herb.name not in ruled_out:
            kept.append(herb)
            continue
        findings.append(
            SafetyFinding(
                severity="blocking",
                rule_id=f"patient.allergy.{herb.herb_id}",
                message=f"患者对{allergens}过敏，{herb.name}在其列（allergy）",
                herbs=[herb.name],
                action=f"已移除{herb.name}",
            )
        )
    return kept, findings


def check_lactation(kb: KnowledgeBase, herbs: list[HerbDose], facts: PatientFacts) -> list[SafetyFinding]:
    """Caution (or, for herbs to avoid, block) herbs whose source names breastfeeding, and toxic herbs.

    Args:
        kb: The knowledge base (each herb's ``lactation`` and ``lactation_source``).
        herbs: Resolved herbs (those to avoid are removed in place).
        facts: The patient facts.

    Returns:
        Findings for a breastfeeding patient; empty otherwise.
    """
    if not facts.lactating:
        return []
    findings = []
    for herb in list(herbs):
        entry = kb.herbs[herb.herb_id or ""]
        if entry.lactation == "none" and entry.toxicity not in TOXIC_GRADES:
            continue
        avoid = entry.lactation == "avoid"
        if avoid:
            herbs.remove(herb)
        reason = "哺乳期慎用" if entry.lactation != "none" else "有毒，成分可经乳汁，哺乳期慎用"
        findings.append(
            SafetyFinding(
                severity="blocking" if avoid else "warning",
                rule_id=f"lactation.{entry.lactation if entry.lactation != 'none' else 'toxic'}.{entry.id}",
                message=f"{entry.name}{reason}（breastfeeding）",
                source=entry.lactation_source or entry.source or PHARMACOPOEIA,
                herbs=[entry.name],
                action=f"已移除{entry.name}" if avoid else "请权衡后决定是否保留，或暂停哺乳",
            )
        )
    return findings


def scale_for_age(kb: KnowledgeBase, herbs: list[HerbDose], facts: PatientFacts) -> tuple[float, list[SafetyFinding]]:
    """Scale every dose by the age band of the age read (field or text); say so.

    Args:
        kb: The knowledge base (dose rules by age).
        herbs: Resolved herbs (doses scaled in place).
        facts: The patient facts.

    Returns:
        The factor applied (ceilings scale with it) and the findings.
    """
    if facts.age is None:
        if facts.age_group in ("infant", "toddler", "child"):
            return 1.0, [
                SafetyFinding(
                    severity="blocking",
                    rule_id="patient.child_age_unknown",
                    message="文中为儿童，但未能读出年龄，无法按年龄折算剂量（child of unknown age）",
                    source=PAEDIATRIC_SOURCE,
                    action="请补充年龄后再核定剂量",
                )
            ]
        return 1.0, []
    factor, rule_id, source = age_factor(kb, facts.age)
    if factor >= 1.0:
        return 1.0, []
    for herb in herbs:
        scaled = herb.dose_g * factor
        # Half-gram steps for ordinary doses, never rounded above the scaled ceiling (toxic herbs
        # are dosed in hundredths of a gram).
        rounded = round(scaled * 2) / 2 if scaled >= 1 else round(scaled, 3)
        ceiling = kb.herbs[herb.herb_id].dose_max_g * factor if herb.herb_id in kb.herbs else rounded
        herb.dose_g = max(min(rounded, round(ceiling, 3)), 0.001)
    where = next((r.field for r in facts.readings if r.fact == "age" and r.field != "patient.age"), "patient.age")
    return factor, [
        SafetyFinding(
            severity="warning",
            rule_id=rule_id,
            message=f"患者{facts.age:g}岁（读自{where}），剂量已按成人量的{factor:.2f}倍折算（age-scaled dose）",
            source=source,
            action="全方剂量已按年龄折算",
        )
    ]
