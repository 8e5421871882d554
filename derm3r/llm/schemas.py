"""Output schemas the LLM agents must fill, looked up by the name an agent spec gives."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from derm3r.errors import EngineError
from derm3r.schemas.findings import LesionFindings, LesionRepresentation
from derm3r.schemas.plan import Assessment, TreatmentPlan


class ReasonOutput(BaseModel):
    """DERM-Reason's answer: the assessment (辨病辨证) and the treatment plan (治法方药)."""

    model_config = ConfigDict(extra="forbid")

    assessment: Assessment = Field(description="Disease, syndrome, differential, pathogenesis, principle.")
    plan: TreatmentPlan = Field(description="Formula, herbs with grams and roles, modifications, care.")


OUTPUT_SCHEMAS: dict[str, type[BaseModel]] = {
    "LesionFindings": LesionFindings,
    "LesionRepresentation": LesionRepresentation,
    "ReasonOutput": ReasonOutput,
}


def output_schema(name: str) -> type[BaseModel]:
    """Return the pydantic model an agent spec names as its output.

    Args:
        name: The ``output_schema`` of an agent spec.

    Returns:
        The model class.

    Raises:
        EngineError: When no schema has that name.
    """
    model = OUTPUT_SCHEMAS.get(name)
    if model is None:
        raise EngineError(f"output_schema: unknown schema {name!r}; known: {', '.join(sorted(OUTPUT_SCHEMAS))}")
    return model
