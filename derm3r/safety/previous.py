"""Previous plans are plans: an adverse reaction reported after the last prescription stops 守方.

The herbs carried over from a previous visit pass the same checks as new ones because they are in
the plan the check corrects (:func:`derm3r.safety.check.check_prescription`). What the herb checks
cannot see is what happened after the last prescription: when its ``response`` reports an adverse
reaction, repeating that prescription (守方) is refused and the reason named, whichever engine
wrote the plan. A changed plan (更方) may still hold some of the last herbs: after an allergic-type
reaction they are removed, after another reaction they are named for review (:func:`review_changed_plan`).
"""

from __future__ import annotations

import re

from derm3r.kb.loader import KnowledgeBase
from derm3r.safety.red_flag_signs import RedFlagFinding
from derm3r.schemas.case import Case
from derm3r.schemas.plan import HerbDose, TreatmentPlan
from derm3r.schemas.safety import SafetyFinding
from derm3r.text.normalize import normalize

ADVERSE_REACTION = "red_flag_sign.adverse_reaction"
#: Share of the last prescription's herbs a plan must keep to count as repeating it (守方).
CARRIED_OVER_SHARE = 0.7
REACTION_SOURCE = "《中药学》总论·用药禁忌与不良反应（出现不良反应应停用可疑药物，重新辨证更方）"


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


#: A reaction that reads as hypersensitivity: the herbs given before it are treated as the patient's allergens.
ALLERGIC_REACTION = re.compile(r"过敏|起疹|出疹|红疹|皮疹增多|风团|瘙痒加重|痒得更|rash|hives|itchier|allerg")


def review_changed_plan(
    kb: KnowledgeBase, case: Case, herbs: list[HerbDose], findings: dict[str, RedFlagFinding]
) -> tuple[list[HerbDose], list[SafetyFinding]]:
    """更方 after an adverse reaction: the new plan may not silently keep the herbs that were given before it.

    A plan that repeats the last prescription is refused (:func:`reaction_stops_repeat`); a changed plan
    (更方) passes, but the herbs it shares with the last prescription are the suspects. After a reaction
    that reads as hypersensitivity (起疹, 风团, 瘙痒加重, "rash") they are removed like a stated allergen;
    after any other reaction (腹泻, 胃痛 …) they stay and are named for the clinician to review.

    Args:
        kb: The knowledge base.
        case: The case (its last previous visit).
        herbs: The checked herbs of the new plan.
        findings: What was read from the case.

    Returns:
        The herbs (suspects removed after an allergic-type reaction) and the findings that explain it.
    """
    reaction = findings.get(ADVERSE_REACTION)
    last = case.previous_visits[-1] if case.previous_visits else None
    if reaction is None or last is None or last.plan is None:
        return herbs, []
    previous = {kb.resolve_herb(herb.name) or herb.name for herb in last.plan.herbs}
    suspects = [herb for herb in herbs if (herb.herb_id or kb.resolve_herb(herb.name) or herb.name) in previous]
    if not suspects:
        return herbs, []
    names = "、".join(herb.name for herb in suspects)
    said = f"{reaction.field}：“{reaction.evidence}”"
    if ALLERGIC_REACTION.search(normalize(reaction.evidence)):
        kept = [herb for herb in herbs if herb not in suspects]
        message = (
            f"上次服药后出现过敏样反应（{said}），更方时去除上次处方中的{names}（可疑致敏药物）"
            "（allergic-type reaction after the last prescription: its herbs removed from the new plan）"
        )
        return kept, [SafetyFinding(severity="warning", rule_id="previous.reaction_suspects_removed",
                                    message=message, source=REACTION_SOURCE)]
    message = (
        f"上次服药后出现不良反应（{said}），更方中仍有上次处方的{names}，请医师核对是否为可疑药物"
        "（adverse reaction after the last prescription: herbs it shares with the new plan named for review）"
    )
    return herbs, [SafetyFinding(severity="warning", rule_id="previous.reaction_suspects_kept",
                                 message=message, source=REACTION_SOURCE)]
