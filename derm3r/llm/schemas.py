"""Output schemas the LLM agents must fill, looked up by the name an agent spec gives.

Rec and Rep answer in slim schemas: what a model can see and judge (descriptions, stage, severity,
pathogenesis). Lexicon sign ids, provenance and image bookkeeping are not asked of the model; the
engine grounds them from the model's own words and the case (see :mod:`derm3r.llm.ground`), so a
model can neither invent a sign id nor forget the signs the graph routes on.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from derm3r.errors import EngineError
from derm3r.schemas.findings import SeverityBand, Stage
from derm3r.schemas.plan import Assessment, TreatmentPlan


class RecOutput(BaseModel):
    """DERM-Rec's answer for one photograph or the case text.

    Keys outside the schema (a model echoing ``source`` or writing its own ``signs``) are ignored rather
    than re-asked: the engine grounds signs itself and never takes them from the model.
    """

    model_config = ConfigDict(extra="ignore")

    morphology: list[str] = Field(default_factory=list, description="斑块, 丘疹, 脓疱 …")
    color: list[str] = Field(default_factory=list, description="鲜红, 淡红, 暗红, 紫暗.")
    scale: list[str] = Field(default_factory=list, description="鳞屑：有无、厚薄、颜色.")
    border: list[str] = Field(default_factory=list)
    distribution: list[str] = Field(default_factory=list)
    sites: list[str] = Field(default_factory=list)
    itch: list[str] = Field(default_factory=list)
    description: str = Field(default="", description="A Chinese sentence describing the lesions.")


class RepOutput(BaseModel):
    """DERM-Rep's answer: the patient-level lesion picture and the pathogenesis it suggests.

    Keys outside the schema are ignored, as for :class:`RecOutput`.
    """

    model_config = ConfigDict(extra="ignore")

    summary: str = Field(description="Patient-level lesion description in Chinese.")
    stage: Stage = "未定"
    severity: SeverityBand = "未定"
    pathogenesis: str = Field(default="", description="TCM pathogenesis (病机) suggested by the lesions.")
    change_since_last_visit: str = ""
    conflicts: list[str] = Field(default_factory=list, description="Where photographs and text disagree.")


class ReasonOutput(BaseModel):
    """DERM-Reason's answer: the assessment (辨病辨证) and the treatment plan (治法方药)."""

    model_config = ConfigDict(extra="forbid")

    assessment: Assessment = Field(description="Disease, syndrome, differential, pathogenesis, principle.")
    plan: TreatmentPlan = Field(description="Formula, herbs with grams and roles, modifications, care.")


OUTPUT_SCHEMAS: dict[str, type[BaseModel]] = {
    "RecOutput": RecOutput,
    "RepOutput": RepOutput,
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
