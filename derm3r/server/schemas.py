"""Request and response bodies of the REST API (the contract /docs shows)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from derm3r.schemas.case import Case, Patient
from derm3r.schemas.plan import HerbDose
from derm3r.schemas.safety import SafetyReport


class Health(BaseModel):
    """The server is up, with what."""

    status: Literal["ok"] = "ok"
    version: str
    engine: str
    database: str = Field(description="The record's backend (sqlite, postgresql …).")
    auth: bool = Field(description="Whether /api requests need the bearer token.")
    photos_kept: bool = Field(True, description="Whether the record keeps the photos uploaded with a visit.")
    photo_retention_days: int | None = Field(
        None, description="Days the record keeps a visit's photos before deleting them; None: until deleted by hand.")


class PrescriptionIn(BaseModel):
    """A prescription to check: the herbs with grams (and roles)."""

    model_config = ConfigDict(extra="forbid")

    formula: str | None = Field(default=None, max_length=200)
    herbs: list[HerbDose] = Field(default_factory=list, max_length=60)


class SafetyCheckRequest(BaseModel):
    """An (edited) prescription and the patient it is for."""

    model_config = ConfigDict(extra="forbid")

    plan: PrescriptionIn
    patient: Patient = Field(default_factory=Patient)
    case: Case | None = Field(default=None, description="The whole case, when the check should read its text too.")


class SafetyCheckResult(BaseModel):
    """The safety check's corrections and findings."""

    herbs: list[HerbDose] = Field(description="The prescription as the check would issue it.")
    safety: SafetyReport


class KnowledgePassage(BaseModel):
    """One knowledge-base passage found by a search."""

    id: str
    kind: str
    disease: str
    text: str
    score: float


Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class LabelsRequest(BaseModel):
    """Clinical names, as a consultation writes them, to label in the page's language."""

    model_config = ConfigDict(extra="forbid")

    diseases: list[Name] = Field(default_factory=list, max_length=100, description="Disease names (白疕).")
    terms: list[Name] = Field(
        default_factory=list, max_length=200, description="Syndrome, treatment-principle and formula names."
    )
    herbs: list[Name] = Field(default_factory=list, max_length=200, description="Herb names (生地黄).")


class Labels(BaseModel):
    """Each name → its label: in English the readable form first, the Chinese after it."""

    diseases: dict[str, str]
    terms: dict[str, str]
    herbs: dict[str, str]


class PatientIn(BaseModel):
    """A new patient."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    sex: Literal["F", "M", "U"] | None = None
    birth_year: int | None = Field(default=None, ge=1890, le=2100)
    notes: str = Field(default="", max_length=5_000)


class PatientOut(PatientIn):
    """A patient in the record."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)

    id: int
    created_at: datetime
    visit_count: int = 0


class PlanEditIn(BaseModel):
    """A clinician's final version of a visit's plan."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    editor: str = Field(min_length=1, max_length=200, description="Who made the change.")
    formula: str | None = Field(default=None, max_length=200)
    herbs: list[HerbDose] = Field(max_length=60)
    notes: str = Field(default="", max_length=5_000)
    base_version: int | None = Field(
        default=None, ge=1, description="The visit version the edit was made on; a stale one is refused (409)."
    )


class PlanEditOut(BaseModel):
    """An audit entry of a plan edit."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    editor: str
    at: datetime
    changes: list[dict[str, Any]]
    version: int


class PhotoOut(BaseModel):
    """A photo kept with a visit (its bytes: GET /api/visits/{id}/photos/{name})."""

    model_config = ConfigDict(from_attributes=True)

    name: str = Field(description="As the stored case's images[].path and the findings' source (image:<name>).")
    media_type: str


class VisitOut(BaseModel):
    """A visit in the record: the case, the system's proposal, the final plan and its audit trail."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    patient_id: int
    number: int
    date: str | None
    response_to_previous: str
    case: dict[str, Any]
    consultation: dict[str, Any] = Field(description="The system's proposal, as derm3r consult --json writes it.")
    final_plan: dict[str, Any] | None = Field(description="The clinician's edited plan; null until edited.")
    final_safety: dict[str, Any] | None
    version: int
    created_at: datetime
    edits: list[PlanEditOut] = Field(default_factory=list)
    photos: list[PhotoOut] = Field(default_factory=list, description="The photos uploaded with the visit.")
    changes_from_proposal: list[dict[str, Any]] = Field(
        default_factory=list,
        description="How the final plan differs from the system's proposal, as the course lists changes; "
        "empty until edited.",
    )


class CourseVisit(BaseModel):
    """One visit on the course of treatment."""

    visit_id: int
    number: int
    date: str | None
    disease: str
    syndrome: str
    confidence: float | None
    severity: str
    measurements: dict[str, float] = Field(description="Lesion area %, PASI sub-scores … read from the image findings.")
    formula: str
    herbs: list[dict[str, Any]] = Field(
        description="The plan in force after this visit (the clinician's, else the system's)."
    )
    changes: list[dict[str, Any]] = Field(description="How the plan differs from the previous visit's.")
    response_to_previous: str
    edited: bool


class Course(BaseModel):
    """A patient's course across visits, oldest first."""

    patient: PatientOut
    visits: list[CourseVisit]


class PatientRecord(PatientOut):
    """A patient with every visit, oldest first."""

    visits: list[VisitOut] = Field(default_factory=list)
