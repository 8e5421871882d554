"""Referral rules applied to the findings of a case: which red flags call for referral, and why."""

from __future__ import annotations

from collections.abc import Collection

from derm3r.kb.loader import KnowledgeBase
from derm3r.kb.rule_models import RedFlagRule
from derm3r.safety.red_flag_signs import RedFlagFinding
from derm3r.schemas.plan import Assessment
from derm3r.schemas.safety import PatientFacts

CHILD_GROUPS = ("infant", "toddler", "preschool", "school_age", "child")
ADULT_AGE = 18


def red_flags(
    kb: KnowledgeBase,
    findings: dict[str, RedFlagFinding],
    assessment: Assessment,
    facts: PatientFacts | None = None,
) -> list[str]:
    """List the red flags that call for referral rather than a prescription, each with its evidence.

    Args:
        kb: The knowledge base (rules/red_flags.yaml and the red_flag lexicon terms).
        findings: What the patient has now (from :func:`derm3r.safety.red_flag_signs.read_findings`,
            plus the engine's own signs).
        assessment: The engine's assessment (a referral disease or a critical syndrome counts).
        facts: The patient facts read from the case (age, or an age group such as 男孩 when no age is given).

    Returns:
        Plain-language red flags, Chinese with English in brackets; empty when there is none.
    """
    present = set(findings)
    firing = firing_rules(kb, present, facts)
    flags = [_rule_flag(kb, rule, findings) for rule in firing]
    covered = {finding for rule in firing for g in rule.all_of for finding in g}
    for term_id in sorted(present - covered):
        term = kb.terms.get(term_id)
        if term is not None and term.category == "red_flag":
            flags.append(f"{term.label}（{term.english}）{_evidence(findings[term_id])}")
    disease = kb.diseases.get(assessment.disease_id or "")
    if disease is not None and disease.scope == "refer":
        flags.append(f"{disease.name}（{disease.western}）：需专科诊治（referral condition）")
    for call in (assessment.syndrome, assessment.secondary_syndrome):
        if call is not None and call.id in kb.syndromes and kb.syndromes[call.id].red_flag:
            flags.append(f"{call.name}：危重证候（critical pattern）")
    return list(dict.fromkeys(flags))


def firing_rules(kb: KnowledgeBase, present: Collection[str], facts: PatientFacts | None = None) -> list[RedFlagRule]:
    """The referral rules (knowledge/rules/red_flags.yaml) that fire on these findings for this patient.

    Args:
        kb: The knowledge base.
        present: Ids of the findings the patient has now (lexicon terms and red_flag_signs).
        facts: The patient facts (age, age group, pregnancy).

    Returns:
        The rules that fire, in file order.
    """
    found = set(present)
    age = facts.age if facts is not None else None
    child = age is None and facts is not None and facts.age_group in CHILD_GROUPS
    pregnant = bool(facts is not None and facts.pregnant)
    return [rule for rule in kb.red_flags.values() if _fires(rule, found, age, child, pregnant)]


def _fires(rule: RedFlagRule, present: set[str], age: float | None, child: bool, pregnant: bool = False) -> bool:
    """Every group (or ``min_groups`` of them) has a present finding, none of ``none_of`` is present, the age fits.

    A pregnancy rule (``pregnant: true``) applies only to a patient the facts know to be pregnant.
    A child of unstated age ("宝宝", "男孩") satisfies a children's rule (``max_age`` under 18).
    """
    if rule.pregnant and not pregnant:
        return False
    if rule.max_age is not None:
        if age is None and not (child and rule.max_age < ADULT_AGE):
            return False
        if age is not None and int(age) > rule.max_age:
            return False
    if rule.min_age is not None and (age is None or int(age) < rule.min_age):
        return False
    if rule.under_months is not None and (age is None or age * 12 >= rule.under_months):
        return False
    met = sum(1 for group in rule.all_of if present & set(group))
    return met >= (rule.min_groups or len(rule.all_of)) and not present & set(rule.none_of)


def _rule_flag(kb: KnowledgeBase, rule: RedFlagRule, findings: dict[str, RedFlagFinding]) -> str:
    # The first group with a present finding names the flag (a min_groups rule may lack its first group).
    present = [[findings[item] for item in group if item in findings] for group in rule.all_of]
    first = next((group for group in present if group), [])
    labels = "、".join(dict.fromkeys(finding.label for finding in first))
    evidence = _evidence(first[0]) if first else ""
    return rule.reason.replace("{labels}", labels) + evidence


def _evidence(finding: RedFlagFinding) -> str:
    field = finding.field
    return f"〔依据 {field}：“{finding.evidence}”〕" if finding.evidence else ""
