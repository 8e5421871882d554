"""Element-aware syndrome agreement: the expert's and the system's syndromes state the same 证素.

The expert's and the system's syndromes agree when their 证素 sets overlap enough
(:func:`derm3r.clinic.elements.element_agreement`), so 血热证 ≈ 血热内蕴证 and 湿热浸淫证 ≈ 湿热蕴肤证
count, reported beside exact (alias-aware) match.
"""

from __future__ import annotations

from derm3r.clinic.elements import element_agreement
from derm3r.kb.loader import KnowledgeBase
from derm3r.schemas.consultation import Consultation


def syndrome_element_accuracy(
    kb: KnowledgeBase, expert_syndrome: str, consultation: Consultation, exact: float
) -> float:
    """1.0 when the system's syndrome agrees with the expert's exactly or element-wise, else 0.0.

    Args:
        kb: The knowledge base.
        expert_syndrome: The expert's syndrome name (composites such as 血热夹湿证 included).
        consultation: The system's consultation.
        exact: The alias-aware exact score already computed for this case.
    """
    if exact >= 1.0:
        return 1.0
    assessment = consultation.assessment
    names = [call.name for call in (assessment.syndrome, assessment.secondary_syndrome) if call is not None]
    if not names:
        return 0.0
    return max(element_agreement(kb, expert_syndrome, name) for name in [*names, "".join(names)])
