"""What each agent's prompt is made of: the one place the LLM engine and the training data build prompts.

The engine renders these variables into a request at consultation time; ``derm3r finetune prepare``
renders the very same variables into training samples, and :func:`prompt_hash` names the templates
an adapter was trained with. Nothing here is rebuilt elsewhere "as the engine builds it".
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from derm3r.llm.request import ChatMessage, ChatRequest
from derm3r.llm.specs import AgentSpec, PromptRenderer, json_schema, schema_text
from derm3r.schemas.case import Case, ImageRef
from derm3r.schemas.findings import LesionFindings

if TYPE_CHECKING:
    from PIL.Image import Image

    from derm3r.kb.documents import Passage

_FIELD_LABELS = {
    "chief_complaint": "主诉",
    "history": "病史",
    "lesion_description": "皮损描述",
    "symptoms": "症状",
    "tongue": "舌象",
    "pulse": "脉象",
}


def case_text(case: Case) -> str:
    """Write a case's clinical text as labelled lines (the data the prompts fence).

    Args:
        case: The case.

    Returns:
        The text, one labelled line per non-empty field.
    """
    lines = []
    patient = case.patient
    facts = [f"性别 {patient.sex}" if patient.sex else "", f"年龄 {patient.age:g}岁" if patient.age is not None else ""]
    if patient.pregnant:
        facts.append("妊娠")
    if any(facts):
        lines.append("患者：" + "，".join(fact for fact in facts if fact))
    lines.extend(f"{_FIELD_LABELS[key]}：{value}" for key, value in case.text_fields().items() if value)
    for visit in case.previous_visits:
        formula = visit.plan.formula if visit.plan else None
        syndrome = visit.syndrome or "未记录"
        lines.append(f"既往就诊：{visit.summary} 证型 {syndrome} 方药 {formula or '未记录'} 疗效 {visit.response}")
    return "\n".join(lines)


def findings_text(case: Case, findings: list[LesionFindings]) -> str:
    """Write Rec's findings (one JSON line per source) and the case text, the data DERM-Rep reads.

    Signs and quality facts are left out: the model reads what Rec described, not the engine's bookkeeping.

    Args:
        case: The case.
        findings: Rec's findings, one per source.

    Returns:
        The text fenced into Rep's prompt.
    """
    lines = [
        json.dumps(f.model_dump(exclude={"signs", "negated", "past", "quality"}, exclude_defaults=True),
                   ensure_ascii=False)
        for f in findings
    ]
    return "\n".join([*lines, case_text(case)])


def rec_variables(case: Case, image: ImageRef | None) -> dict[str, Any]:
    """Template variables of DERM-Rec for the case text (``image`` None) or one image."""
    return {"case_text": case_text(case), "view": image.view if image else None, "site": image.site if image else None}


def rep_variables(case: Case, findings: list[LesionFindings], passages: list[Passage]) -> dict[str, Any]:
    """Template variables of DERM-Rep: Rec's findings, the case text and the passages retrieved for Rep."""
    return {"findings_text": findings_text(case, findings), "passages": passages}


def reason_variables(case: Case, summary: str, pathogenesis: str, passages: list[Passage]) -> dict[str, Any]:
    """Template variables of DERM-Reason: Rep's summary and pathogenesis, the case text and retrieved passages."""
    return {
        "passages": passages,
        "representation_summary": summary,
        "representation_pathogenesis": pathogenesis,
        "case_text": case_text(case),
    }


def prompt_hash(spec: AgentSpec, renderer: PromptRenderer) -> str:
    """Hash what decides an agent's prompt: its template sources and its output schema.

    Args:
        spec: The agent spec.
        renderer: The renderer (its prompts directory holds the templates).

    Returns:
        A short hex digest; an adapter is valid only for prompts with the same hash.
    """
    digest = hashlib.sha256(spec.name.encode())
    for name in (spec.prompts.system, spec.prompts.user):
        digest.update((renderer.prompts_dir / name).read_bytes())
    digest.update(schema_text(spec.output_model).encode())
    return digest.hexdigest()[:16]


def render_messages(spec: AgentSpec, renderer: PromptRenderer, variables: dict[str, Any]) -> tuple[ChatMessage, ...]:
    """Render an agent's system and user turns.

    Args:
        spec: The agent spec.
        renderer: The prompt renderer.
        variables: Template variables (from the ``*_variables`` functions above).

    Returns:
        The system and the user message.
    """
    system, user = renderer.render(spec, variables)
    return ChatMessage("system", system), ChatMessage("user", user)


def build_request(
    spec: AgentSpec,
    renderer: PromptRenderer,
    variables: dict[str, Any],
    *,
    adapter: str | None,
    images: tuple[Image, ...] = (),
    max_new_tokens: int | None = None,
) -> ChatRequest:
    """Render an agent's prompt into the first request of a conversation.

    Args:
        spec: The agent spec.
        renderer: The prompt renderer.
        variables: Template variables.
        adapter: The adapter that answers, or None for the base model.
        images: Images for the user turn.
        max_new_tokens: Cap on the spec's generation length (None: the spec decides).

    Returns:
        The request.
    """
    return ChatRequest(
        agent=spec.name,
        adapter=adapter,
        messages=render_messages(spec, renderer, variables),
        images=images,
        max_new_tokens=min(spec.generation.max_new_tokens, max_new_tokens or spec.generation.max_new_tokens),
        temperature=spec.generation.temperature,
        schema_name=spec.output_schema,
        json_schema=json_schema(spec.output_model),
    )
