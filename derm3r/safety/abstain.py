"""When to refer or abstain instead of prescribing, and what to ask next."""

from __future__ import annotations

from derm3r.kb.loader import KnowledgeBase
from derm3r.kb.rule_models import FollowUpQuestion, RedFlagRule
from derm3r.schemas.case import Case
from derm3r.schemas.findings import LesionRepresentation
from derm3r.schemas.plan import Assessment

REFERRAL_ADVICE = "建议即刻转诊皮肤科/综合医院专科评估，必要时住院，待危重情况控制后再议中医辨证调治。"


def red_flags(kb: KnowledgeBase, present: set[str], assessment: Assessment) -> list[str]:
    """List the red flags that call for referral rather than a prescription.

    Args:
        kb: The knowledge base.
        present: Ids of the terms found present.
        assessment: The engine's assessment (a red-flag syndrome counts).

    Returns:
        Human-readable red flags; empty when there is none.
    """
    flags = [
        f"{kb.terms[term].label}（{kb.terms[term].english}）"
        for term in sorted(present)
        if term.startswith("red_flag.")
    ]
    flags += [_pattern_flag(kb, rule, present) for rule in kb.red_flags.values() if _fires(rule, present)]
    disease = kb.diseases.get(assessment.disease_id or "")
    if disease is not None and disease.scope == "refer":
        flags.append(f"{disease.name}（{disease.western}）：需专科诊治（referral condition）")
    for call in (assessment.syndrome, assessment.secondary_syndrome):
        if call is not None and call.id in kb.syndromes and kb.syndromes[call.id].red_flag:
            flags.append(f"{call.name}：危重证候（critical pattern）")
    return list(dict.fromkeys(flags))


def _fires(rule: RedFlagRule, present: set[str]) -> bool:
    """A pattern fires when every group has a present term and no excluding term is present."""
    return all(present & set(group) for group in rule.all_of) and not present & set(rule.none_of)


def _pattern_flag(kb: KnowledgeBase, rule: RedFlagRule, present: set[str]) -> str:
    labels = "、".join(kb.terms[term].label for term in sorted(present & set(rule.all_of[0])) if term in kb.terms)
    return rule.reason.replace("{labels}", labels)


def abstention_reason(kb: KnowledgeBase, assessment: Assessment, min_confidence: float) -> str:
    """Say why the system should not prescribe, or return an empty string.

    Args:
        kb: The knowledge base.
        assessment: The engine's assessment.
        min_confidence: Confidence below which a syndrome call is not acted on.

    Returns:
        The reason in Chinese with English in brackets, or "".
    """
    if not assessment.disease_id:
        return "未能从现有资料识别出本系统可诊治的皮肤病（no in-scope disease identified）"
    disease = kb.diseases.get(assessment.disease_id)
    if disease is not None and disease.scope == "refer":
        return f"{disease.name}需专科诊治（referral condition）"
    if assessment.syndrome is None:
        return "证候证据不足（no syndrome could be differentiated）"
    if assessment.syndrome.confidence < min_confidence:
        return (
            f"证候判断把握不足：{assessment.syndrome.name}置信度{assessment.syndrome.confidence:.2f}"
            f"低于阈值{min_confidence:.2f}（low confidence）"
        )
    return ""


def follow_up_questions(
    kb: KnowledgeBase, case: Case, representation: LesionRepresentation, disease_id: str | None = None
) -> list[str]:
    """List the information whose absence weakened the differentiation (knowledge/rules/follow_up_questions.yaml).

    Args:
        kb: The knowledge base.
        case: The case.
        representation: Rep's representation (its signs tell what is already known).
        disease_id: The disease identified, if any: its own questions are asked, no other disease's.

    Returns:
        Questions a clinician should ask next, in the order of the rules file.
    """
    categories = {sign.category for sign in representation.signs}
    applicable = [q for q in kb.follow_up_questions.values() if not q.diseases or disease_id in q.diseases]
    replaced = {old for q in applicable if q.diseases for old in q.replaces}
    questions = []
    for rule in applicable:
        if rule.id in replaced or not _question_applies(rule, case, categories):
            continue
        filled = bool(rule.case_field and getattr(case, rule.case_field, None))
        questions.append(rule.question_if_field_filled if filled and rule.question_if_field_filled else rule.question)
    return questions


def _question_applies(rule: FollowUpQuestion, case: Case, categories: set[str]) -> bool:
    if rule.when_missing and categories & set(rule.when_missing):
        return False
    return not (rule.when_no_images and case.images)
