"""Pydantic schemas for the interchange formats and the agents' outputs."""

from __future__ import annotations

from derm3r.schemas.case import Case, ImageRef, Patient, PreviousVisit, Visit
from derm3r.schemas.consultation import Consultation, TraceEntry
from derm3r.schemas.findings import ImageQualityFacts, LesionFindings, LesionRepresentation, Sign
from derm3r.schemas.plan import (
    Assessment,
    EvidenceItem,
    FormulaRef,
    HerbDose,
    Modification,
    SyndromeCall,
    TreatmentPlan,
)
from derm3r.schemas.safety import SafetyFinding, SafetyReport

__all__ = [
    "Assessment",
    "Case",
    "Consultation",
    "EvidenceItem",
    "FormulaRef",
    "HerbDose",
    "ImageQualityFacts",
    "ImageRef",
    "LesionFindings",
    "LesionRepresentation",
    "Modification",
    "Patient",
    "PreviousVisit",
    "SafetyFinding",
    "SafetyReport",
    "Sign",
    "SyndromeCall",
    "TraceEntry",
    "TreatmentPlan",
    "Visit",
]
