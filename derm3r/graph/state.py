"""The graph's schemas: what a run takes (input), what flows between nodes (state), what it returns (output).

The output schema is the :class:`~derm3r.schemas.consultation.Consultation` itself: the state carries its
fields under the same names, so the graph's result *is* the consultation, in process and under
``langgraph dev`` alike. Each node returns only the fields it owns.
"""

from __future__ import annotations

import operator
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from derm3r.safety.reading import CaseReading
from derm3r.schemas.case import Case, ImageRef
from derm3r.schemas.consultation import TraceEntry
from derm3r.schemas.findings import LesionFindings, LesionRepresentation
from derm3r.schemas.plan import Assessment, TreatmentPlan
from derm3r.schemas.safety import SafetyReport


class ConsultInput(BaseModel):
    """What a run is given: the case, and the folder its image paths are relative to."""

    model_config = ConfigDict(extra="forbid")

    case: Case
    case_dir: str | None = Field(default=None, description="Folder the case's image paths are relative to.")


class ConsultState(ConsultInput):
    """Everything that flows between the agents for one case; the Consultation's fields keep its names.

    Owners: ``admit_case`` writes ``case_id``, ``engine`` and ``reading``; ``recognize_lesions`` appends to
    ``findings``; ``represent_lesions`` writes ``representation``; ``reason_holistically`` writes ``assessment``
    and ``plan``; ``check_safety`` writes ``safety`` and the checked ``plan``. Every node appends its ``trace`` entry.
    """

    model_config = ConfigDict(extra="ignore")

    case_id: str = ""
    engine: str = ""
    reading: CaseReading | None = Field(
        default=None,
        description="The case text as the safety rules read it (red-flag findings, patient facts), read once for "
        "Reason and the safety check alike; not part of the consultation.",
    )
    findings: Annotated[list[LesionFindings], operator.add] = Field(default_factory=list)
    representation: LesionRepresentation = Field(default_factory=lambda: LesionRepresentation(summary=""))
    assessment: Assessment = Field(default_factory=Assessment)
    plan: TreatmentPlan = Field(default_factory=TreatmentPlan)
    safety: SafetyReport = Field(default_factory=SafetyReport)
    trace: Annotated[list[TraceEntry], operator.add] = Field(default_factory=list)


class RecTask(BaseModel):
    """One DERM-Rec call, sent to ``recognize_lesions`` once for the case text and once per image."""

    case: Case
    case_dir: str | None = None
    image: ImageRef | None = None
