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
