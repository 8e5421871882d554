"""Resolve the names an LLM wrote (syndromes, formulas, herbs) against the knowledge base.

An unknown name is never silently kept as if it were known: its id stays None and a note says so,
so the safety check removes unknown herbs and reports them.
"""

from __future__ import annotations

from derm3r.kb.loader import KnowledgeBase
from derm3r.llm.schemas import ReasonOutput
from derm3r.schemas.plan import SyndromeCall


def resolve_reason_output(kb: KnowledgeBase, output: ReasonOutput) -> tuple[ReasonOutput, list[str]]:
    """Replace model-written ids with knowledge-base ids and flag what does not resolve.

    Args:
        kb: The knowledge base.
        output: DERM-Reason's validated answer.

    Returns:
        The resolved answer (a copy) and one note per unknown name (also appended to the plan's notes).
    """
    result = output.model_copy(deep=True)
    notes: list[str] = []
    assessment, plan = result.assessment, result.plan
    disease_id = assessment.disease_id if assessment.disease_id in kb.diseases else None
    if disease_id is None and assessment.disease:
        disease_id = next(
            (d.id for d in kb.diseases.values() if assessment.disease in (d.name, d.western, *d.synonyms)), None
        )
        if disease_id is None:
            notes.append(f"病名“{assessment.disease}”不在知识库中（unknown disease）")
    assessment.disease_id = disease_id
    calls = [assessment.syndrome, assessment.secondary_syndrome, *assessment.differential]
    for call in calls:
        if call is not None:
            _resolve_syndrome(kb, call, disease_id, notes)
    if plan.formula is not None:
        formula_id = plan.formula.id if plan.formula.id in kb.formulas else kb.resolve_formula(plan.formula.name)
        if formula_id is None:
            notes.append(f"方剂“{plan.formula.name}”不在知识库中（unknown formula）")
        plan.formula.id = formula_id
    herbs = [*plan.herbs, *(herb for modification in plan.modifications for herb in modification.add)]
    for herb in herbs:
        herb_id = herb.herb_id if herb.herb_id in kb.herbs else kb.resolve_herb(herb.name)
        if herb_id is None:
            notes.append(f"药名“{herb.name}”不在知识库中，安全检查将移除（unknown herb）")
        herb.herb_id = herb_id
    known = {*kb.syndromes, *kb.formulas, *kb.herbs, *kb.diseases}
    assessment.knowledge_ids = [entry for entry in assessment.knowledge_ids if entry in known]
    plan.notes.extend(notes)
    return result, notes


def _resolve_syndrome(kb: KnowledgeBase, call: SyndromeCall, disease_id: str | None, notes: list[str]) -> None:
    syndrome_id = call.id if call.id in kb.syndromes else kb.resolve_syndrome(call.name, disease_id)
    if syndrome_id is None:
        notes.append(f"证型“{call.name}”不在知识库中（unknown syndrome）")
    call.id = syndrome_id
