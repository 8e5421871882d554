"""Previous plans are plans: an adverse reaction reported after the last prescription stops 守方.

The herbs carried over from a previous visit pass the same checks as new ones because they are in
the plan the check corrects (:func:`derm3r.safety.check.check_prescription`). What the herb checks
cannot see is what happened after the last prescription: when its ``response`` reports an adverse
reaction, repeating that prescription (守方) is refused and the reason named, whichever engine
wrote the plan.
"""

from __future__ import annotations

from derm3r.kb.loader import KnowledgeBase
from derm3r.safety.red_flag_signs import RedFlagFinding
from derm3r.schemas.case import Case
from derm3r.schemas.plan import TreatmentPlan

ADVERSE_REACTION = "red_flag_sign.adverse_reaction"
#: Share of the last prescription's herbs a plan must keep to count as repeating it (守方).
CARRIED_OVER_SHARE = 0.7


def carried_over(kb: KnowledgeBase, case: Case, plan: TreatmentPlan) -> list[str]:
    """Names of the last prescription's herbs the plan keeps; empty when it is not a 守方 plan.

    Args:
        kb: The knowledge base (names resolve to herbs).
        case: The case (its last previous visit).
        plan: The plan to check.

    Returns:
        The kept herbs' canonical names when the plan keeps most (70%) of the last plan's herbs.
    """
    last = case.previous_visits[-1] if case.previous_visits else None
    if last is None or last.plan is None or not last.plan.herbs:
        return []
    previous = {kb.resolve_herb(herb.name) or herb.name for herb in last.plan.herbs}
    current = {
        herb.herb_id if herb.herb_id in kb.herbs else kb.resolve_herb(herb.name) or herb.name for herb in plan.herbs
    }
    kept = previous & current
    if len(kept) < CARRIED_OVER_SHARE * len(previous):
        return []
    return sorted(kb.herbs[item].name if item in kb.herbs else item for item in kept)


def reaction_stops_repeat(
    kb: KnowledgeBase, case: Case, plan: TreatmentPlan, findings: dict[str, RedFlagFinding]
) -> str:
    """Why the plan must not repeat the last prescription, or "" when it may.

    Args:
        kb: The knowledge base.
        case: The case.
        plan: The plan to check.
        findings: What was read from the case (an adverse reaction among them, if reported).

    Returns:
        The reason in Chinese with English in brackets, naming the reaction's words and the herbs.
    """
    reaction = findings.get(ADVERSE_REACTION)
    if reaction is None:
        return ""
    kept = carried_over(kb, case, plan)
    if not kept:
        return ""
    return (
        f"上次服药后出现不良反应（{reaction.field}：“{reaction.evidence}”），不宜守方续服"
        f"{'、'.join(kept)}等原方药物；请医师评估是否为药物不良反应，停用可疑药物后重新辨证更方"
        "（adverse reaction after the last prescription: 守方 stopped）"
    )
