"""When to refer or abstain instead of prescribing, and what to ask next."""

from __future__ import annotations

from derm3r.kb.loader import KnowledgeBase
from derm3r.kb.rule_models import FollowUpQuestion
from derm3r.schemas.case import Case
from derm3r.schemas.findings import LesionRepresentation
from derm3r.schemas.plan import Assessment

REFERRAL_ADVICE = "建议即刻转诊皮肤科/综合医院专科评估，必要时住院，待危重情况控制后再议中医辨证调治。"


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
