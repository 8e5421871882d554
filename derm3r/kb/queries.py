"""The retrieval query DERM-Reason's passages are searched with, shared by the graph and the training data."""

from __future__ import annotations

from derm3r.schemas.case import Case
from derm3r.schemas.findings import LesionRepresentation


def reason_query(case: Case, representation: LesionRepresentation) -> str:
    """Join the lesion summary with the symptoms, tongue, pulse and chief complaint.

    Args:
        case: The case.
        representation: DERM-Rep's patient-level representation.

    Returns:
        The query text (empty when the case says nothing).
    """
    parts = (representation.summary, case.symptoms, case.tongue, case.pulse, case.chief_complaint)
    return " ".join(part for part in parts if part)
