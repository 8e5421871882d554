"""The texts retrieval queries are built from; the agent specs name which one each agent uses."""

from __future__ import annotations

from derm3r.schemas.case import Case
from derm3r.schemas.findings import LesionFindings


def rep_query(case: Case, findings: list[LesionFindings]) -> str:
    """Join Rec's descriptions with the case's own lesion description and chief complaint.

    Args:
        case: The case.
        findings: Rec's findings, one per source.

    Returns:
        The query text DERM-Rep's passages are searched with.
    """
    parts = [finding.description for finding in findings]
    parts += [case.lesion_description or "", case.chief_complaint or ""]
    return " ".join(dict.fromkeys(part for part in parts if part))


def reason_query(case: Case, summary: str) -> str:
    """Join the lesion summary with the symptoms, tongue, pulse and chief complaint.

    Args:
        case: The case.
        summary: DERM-Rep's patient-level lesion summary.

    Returns:
        The query text (empty when the case says nothing).
    """
    parts = (summary, case.symptoms, case.tongue, case.pulse, case.chief_complaint)
    return " ".join(part for part in parts if part)
