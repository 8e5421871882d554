"""The answers a sample trains toward, per agent, from an evaluation line's expert data.

Each target is the agent's output schema, filled from what the expert wrote (and, for Rep's stage and
severity, the knowledge engine's cited reading of the case text).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from pydantic import BaseModel

from derm3r.evaluation.lines import EvalLine
from derm3r.llm.schemas import ReasonOutput, RecOutput, RepOutput
from derm3r.schemas.case import ImageRef
from derm3r.schemas.findings import LesionFindings
from derm3r.schemas.plan import Assessment, FormulaRef, HerbDose, SyndromeCall, TreatmentPlan

if TYPE_CHECKING:
    from derm3r.engines.knowledge import KnowledgeEngine


def dump_target(model: BaseModel) -> str:
    """Serialise a target compactly (defaults left out), the way a trained adapter should answer."""
    return json.dumps(model.model_dump(mode="json", exclude_defaults=True), ensure_ascii=False, separators=(",", ":"))


def rec_targets(line: EvalLine, descriptions: dict[str, str]) -> list[tuple[ImageRef | None, RecOutput]]:
    """Rec targets in the graph's call order: the case text first, then one per image (its expert description)."""
    case, expert = line.case, line.expert
    fallback = expert.lesion_description or case.lesion_description
    targets: list[tuple[ImageRef | None, RecOutput]] = [(None, RecOutput(description=fallback))]
    for image in case.images:
        text = descriptions.get(image.path, fallback)
        if text:
            targets.append((image, RecOutput(description=text)))
    return targets


def as_findings(image: ImageRef | None, output: RecOutput) -> LesionFindings:
    """The findings the engine makes of a Rec answer, as far as Rep's prompt shows them (no signs, no quality)."""
    if image is None:
        return LesionFindings(source="text", **output.model_dump())
    return LesionFindings(source=f"image:{image.path}", view=image.view, site=image.site, **output.model_dump())


def rep_target(line: EvalLine, knowledge: KnowledgeEngine | None = None) -> RepOutput:
    """Rep target: the expert's lesion picture and pathogenesis; stage, severity and change from the knowledge engine.

    The experts' plans carry no stage or severity, so the knowledge engine's reading of the case text
    (a rule-based, cited staging) supplies them when a knowledge base is given.
    """
    case, expert = line.case, line.expert
    summary = expert.lesion_description or case.lesion_description
    if knowledge is None:
        return RepOutput(summary=summary, pathogenesis=expert.pathogenesis)
    base = knowledge.represent(case, [knowledge.recognize(case, None).value], []).value
    return RepOutput(
        summary=summary or base.summary,
        stage=base.stage,
        severity=base.severity,
        pathogenesis=expert.pathogenesis or base.pathogenesis,
        change_since_last_visit=base.change_since_last_visit,
    )


def reason_target(line: EvalLine) -> ReasonOutput | None:
    """Reason target: assessment and plan from the expert's decision, or None without a syndrome."""
    expert = line.expert
    if not expert.syndrome:
        return None
    assessment = Assessment(
        disease=expert.disease,
        syndrome=SyndromeCall(name=expert.syndrome, confidence=1.0),
        pathogenesis=expert.pathogenesis,
        treatment_principle=expert.treatment_principle,
    )
    # A herb without a dose cannot be a HerbDose; the plan keeps the dosed ones.
    herbs = [HerbDose(name=h.name, dose_g=h.dose_g) for h in expert.herbs if h.dose_g is not None]
    plan = TreatmentPlan(formula=FormulaRef(name=expert.formula) if expert.formula else None, herbs=herbs)
    return ReasonOutput(assessment=assessment, plan=plan)
