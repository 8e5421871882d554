"""Outputs of DERM-Reason: the assessment and the treatment plan."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

HerbRole = Literal["君", "臣", "佐", "使"]


class EvidenceItem(BaseModel):
    """One sign counted for or against a syndrome."""

    model_config = ConfigDict(extra="forbid")

    term: str
    label: str
    weight: float
    supports: bool = True
    history: bool = Field(
        default=False, description="Read from the past history (a relapse's earlier signs): weighs less than now."
    )


class SyndromeElement(BaseModel):
    """One syndrome element (证素): a location (病位) or a nature (病性), with the weight of its evidence."""

    model_config = ConfigDict(extra="forbid")

    element: str = Field(description="e.g. 血热, 湿, 风, 肝经.")
    kind: Literal["病位", "病性"]
    weight: float


class SyndromeCall(BaseModel):
    """A syndrome with its score, confidence and the evidence behind it."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = None
    name: str
    confidence: float = Field(ge=0, le=1)
    raw_confidence: float | None = Field(
        default=None, ge=0, le=1,
        description="The engine's confidence before calibration (kept so the calibration can be refitted).",
    )
    score: float = 0.0
    evidence: list[EvidenceItem] = Field(default_factory=list)
    elements: list[SyndromeElement] = Field(
        default_factory=list, description="证素 scored by the case's signs, strongest first."
    )


class DiseaseCandidate(BaseModel):
    """One disease of the differential (鉴别诊断), with the evidence for and against it."""

    model_config = ConfigDict(extra="forbid")

    name: str
    disease_id: str | None = None
    confidence: float = Field(ge=0, le=1)
    score: float = 0.0
    evidence: list[EvidenceItem] = Field(default_factory=list)


class Assessment(BaseModel):
    """Disease and syndrome differentiation (辨病辨证)."""

    model_config = ConfigDict(extra="forbid")

    disease: str = ""
    disease_id: str | None = None
    disease_western: str = ""
    syndrome: SyndromeCall | None = None
    secondary_syndrome: SyndromeCall | None = Field(default=None, description="兼证, when evidence supports two.")
    differential: list[SyndromeCall] = Field(default_factory=list)
    disease_differential: list[DiseaseCandidate] = Field(
        default_factory=list, description="Top disease candidates, best first, each with evidence for and against."
    )
    pathogenesis: str = ""
    treatment_principle: str = ""
    knowledge_ids: list[str] = Field(default_factory=list, description="Knowledge entries the reasoning used.")


class HerbDose(BaseModel):
    """One herb of the prescription."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    dose_g: float = Field(gt=0, le=500)
    role: HerbRole | None = None
    herb_id: str | None = None
    note: str = ""


class FormulaRef(BaseModel):
    """The base formula of the plan."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = None
    name: str
    scheme: str = "textbook"
    origin: str = ""


class Modification(BaseModel):
    """One 加减 applied to the base formula, and why."""

    model_config = ConfigDict(extra="forbid")

    reason: str
    trigger: list[str] = Field(default_factory=list)
    add: list[HerbDose] = Field(default_factory=list)
    remove: list[str] = Field(default_factory=list)


class TreatmentPlan(BaseModel):
    """The prescription and care plan; empty when the consultation abstains."""

    model_config = ConfigDict(extra="forbid")

    formula: FormulaRef | None = None
    herbs: list[HerbDose] = Field(default_factory=list)
    modifications: list[Modification] = Field(default_factory=list)
    external_treatment: list[str] = Field(default_factory=list)
    lifestyle: list[str] = Field(default_factory=list)
    follow_up: str = ""
    notes: list[str] = Field(default_factory=list)
