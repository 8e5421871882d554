"""The Consultation: everything one run produces (DESIGN.md, interchange formats)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from derm3r.schemas.findings import LesionFindings, LesionRepresentation
from derm3r.schemas.plan import Assessment, TreatmentPlan
from derm3r.schemas.safety import SafetyReport


class TraceEntry(BaseModel):
    """What one node did: which agent, engine and adapter, which knowledge, how long."""

    model_config = ConfigDict(extra="forbid")

    agent: str
    node: str
    engine: str
    adapter: str | None = None
    knowledge_ids: list[str] = Field(default_factory=list)
    ms: float = 0.0
    note: str = ""


class Consultation(BaseModel):
    """The result of one consultation, and the consultation graph's output schema.

    A part the graph did not reach (no reasoning when no sign could be read) is its empty default.
    """

    model_config = ConfigDict(extra="forbid")

    case_id: str
    engine: str
    findings: list[LesionFindings] = Field(default_factory=list)
    representation: LesionRepresentation = Field(default_factory=lambda: LesionRepresentation(summary=""))
    assessment: Assessment = Field(default_factory=Assessment)
    plan: TreatmentPlan = Field(default_factory=TreatmentPlan)
    safety: SafetyReport = Field(default_factory=SafetyReport)
    trace: list[TraceEntry] = Field(default_factory=list)
