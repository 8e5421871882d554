"""The graph state: one pydantic model; each node returns only the fields it owns."""

from __future__ import annotations

import operator
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from derm3r.schemas.case import Case
from derm3r.schemas.consultation import TraceEntry
from derm3r.schemas.findings import LesionFindings, LesionRepresentation
from derm3r.schemas.plan import Assessment, TreatmentPlan
from derm3r.schemas.safety import SafetyReport


class ConsultState(BaseModel):
    """Everything that flows between the agents for one case."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    case: Case
    case_dir: str | None = Field(default=None, description="Folder the case's image paths are relative to.")
    findings: Annotated[list[LesionFindings], operator.add] = Field(default_factory=list)
    representation: LesionRepresentation | None = None
    assessment: Assessment | None = None
    plan: TreatmentPlan | None = None
    safety: SafetyReport | None = None
    trace: Annotated[list[TraceEntry], operator.add] = Field(default_factory=list)
