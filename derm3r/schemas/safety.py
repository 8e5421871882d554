"""The deterministic safety check's report."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["info", "warning", "blocking"]


class SafetyFinding(BaseModel):
    """One problem found in the plan or the case."""

    model_config = ConfigDict(extra="forbid")

    severity: Severity
    rule_id: str
    message: str
    source: str = ""
    herbs: list[str] = Field(default_factory=list)
    action: str = Field(default="", description="What the check changed, if anything.")


class SafetyReport(BaseModel):
    """Warnings, red flags and whether the system abstained from prescribing."""

    model_config = ConfigDict(extra="forbid")

    warnings: list[SafetyFinding] = Field(default_factory=list)
    red_flags: list[str] = Field(default_factory=list)
    abstained: bool = False
    reason: str = ""
    referral: str = ""
    questions: list[str] = Field(default_factory=list, description="What a clinician should ask next.")
    patient_facts: PatientFacts | None = Field(
        default=None, description="Pregnancy, lactation, age and allergies as read, and from where."
    )


class FactReading(BaseModel):
    """One patient fact as read, and where: a structured field or the words of a text field."""

    model_config = ConfigDict(extra="forbid")

    fact: Literal["pregnancy", "lactation", "age", "allergy"]
    value: str = Field(description="What was read, e.g. 'pregnant, 12 weeks', '2 years', '蜈蚣'.")
    field: str = Field(description="'patient.age' for a structured field, else the text field's name.")
    text: str = Field(default="", description="The words it was read from (empty for a structured field).")


class PatientFacts(BaseModel):
    """Pregnancy, lactation, age and allergies as the safety check used them (the safer reading wins)."""

    model_config = ConfigDict(extra="forbid")

    pregnant: bool | None = None
    pregnancy_weeks: float | None = None
    trimester: int | None = Field(default=None, ge=1, le=3)
    lactating: bool | None = None
    age: float | None = None
    age_group: Literal["infant", "toddler", "preschool", "school_age", "child", "adult", "elderly"] | None = None
    allergies: list[str] = Field(default_factory=list, description="Allergens as written (field and text).")
    allergy_herbs: list[str] = Field(default_factory=list, description="Knowledge-base herbs they rule out.")
    readings: list[FactReading] = Field(default_factory=list)
    conflicts: list[str] = Field(default_factory=list, description="Field and text disagree; the safer reading won.")
