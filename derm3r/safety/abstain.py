"""When to refer or abstain instead of prescribing, and what to ask next."""

from __future__ import annotations

from derm3r.kb.loader import KnowledgeBase
from derm3r.schemas.case import Case
from derm3r.schemas.findings import LesionRepresentation
from derm3r.schemas.plan import Assessment

REFERRAL_ADVICE = "建议即刻转诊皮肤科/综合医院专科评估，必要时住院，待危重情况控制后再议中医辨证调治。"
_FEVER_TERMS = {"symptom.fever", "symptom.high_fever"}
_SEVERE_SKIN_TERMS = {"morphology.erythroderma", "morphology.pustule_sheets"}


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
    severe = present & _SEVERE_SKIN_TERMS
    if severe and present & _FEVER_TERMS:
        labels = "、".join(kb.terms[term].label for term in sorted(severe))
        flags.append(f"{labels}伴发热（erythrodermic or generalized pustular presentation with fever）")
    elif severe:
        labels = "、".join(kb.terms[term].label for term in sorted(severe))
        flags.append(f"{labels}（erythrodermic or generalized pustular presentation）")
    disease = kb.diseases.get(assessment.disease_id or "")
    if disease is not None and disease.scope == "refer":
        flags.append(f"{disease.name}（{disease.western}）：需专科诊治（referral condition）")
    for call in (assessment.syndrome, assessment.secondary_syndrome):
        if call is not None and call.id in kb.syndromes and kb.syndromes[call.id].red_flag:
            flags.append(f"{call.name}：危重证候（critical pattern）")
    return list(dict.fromkeys(flags))


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


def follow_up_questions(case: Case, representation: LesionRepresentation) -> list[str]:
    """List the information whose absence weakened the differentiation.

    Args:
        case: The case.
        representation: Rep's representation (its signs tell what is already known).

    Returns:
        Questions a clinician should ask next, most informative first.
    """
    categories = {sign.category for sign in representation.signs}
    questions = []
    if "color" not in categories:
        questions.append("皮损颜色如何（鲜红、淡红、暗红或紫暗）？")
    if "scale" not in categories:
        questions.append("鳞屑厚薄、颜色如何，刮除后有无点状出血？")
    if "course" not in categories:
        questions.append("病程多久？近期有无新发皮疹不断增多，或皮损消退？")
    if "tongue_body" not in categories and "tongue_coat" not in categories:
        questions.append("舌质、舌苔如何？" if not case.tongue else "舌象描述未能识别，请用舌质、舌苔术语重述。")
    if "pulse" not in categories:
        questions.append("脉象如何？")
    if "symptom" not in categories:
        questions.append("有无口干咽痛、便干溲赤、乏力、关节疼痛、发热等全身症状？")
    if not case.images:
        questions.append("可否提供皮损近照与全身分布照片？")
    return questions
