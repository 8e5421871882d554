"""What the safety rules read from a case's text, read once per consultation and shared.

Reading the red-flag findings and the patient facts is the costliest text work of a consultation.
The graph reads them once, before reasoning: the knowledge engine weighs the referral rules they fire
when it names a disease, and the safety check refers, scales and checks on the same reading.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from derm3r.kb.loader import KnowledgeBase
from derm3r.safety.patient_facts import read_patient_facts
from derm3r.safety.red_flag_signs import RedFlagFinding, read_findings
from derm3r.schemas.case import Case
from derm3r.schemas.safety import PatientFacts


class CaseReading(BaseModel):
    """The red-flag findings and the patient facts of one case, as the safety rules read them.

    Attributes:
        findings: Finding id (lexicon term or red_flag_sign id) → where it was read (the case text only, not the
            engine's signs: each user adds those to a copy).
        facts: Pregnancy, lactation, age and allergies.
    """

    model_config = ConfigDict(frozen=True)

    findings: dict[str, RedFlagFinding]
    facts: PatientFacts


def read_case(kb: KnowledgeBase, case: Case) -> CaseReading:
    """Read a case's red-flag findings and patient facts.

    Args:
        kb: The knowledge base (lexicon, red_flag_signs, herb names, age rules).
        case: The case.

    Returns:
        The reading.
    """
    return CaseReading(findings=read_findings(kb, case), facts=read_patient_facts(kb, case))
