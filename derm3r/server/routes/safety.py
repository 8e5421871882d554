"""POST /api/safety/check: re-check a (clinician-edited) prescription with the graph's own safety rules."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from derm3r.schemas.case import Case
from derm3r.schemas.plan import TreatmentPlan
from derm3r.schemas.safety import SafetyReport
from derm3r.server.deps import SystemDep, require_token
from derm3r.server.schemas import SafetyCheckRequest, SafetyCheckResult

router = APIRouter(prefix="/api/safety", tags=["safety"], dependencies=[Depends(require_token)])


def check(system: SystemDep, request: SafetyCheckRequest) -> SafetyCheckResult:
    """Run the prescription part of the safety check on the request's herbs and patient."""
    from derm3r.safety.check import check_prescription

    case = request.case or Case(case_id="safety-check")
    if "patient" in request.model_fields_set or request.case is None:
        case = case.model_copy(update={"patient": request.patient})
    herbs, findings = check_prescription(system.knowledge, case, TreatmentPlan(herbs=request.plan.herbs))
    emptied = bool(request.plan.herbs) and not herbs
    report = SafetyReport(
        warnings=findings,
        abstained=emptied,
        reason="安全核查后处方中已无可用药物（no herb left after checks）" if emptied else "",
    )
    return SafetyCheckResult(herbs=herbs, safety=report)


@router.post("/check")
def safety_check(request: SafetyCheckRequest, system: SystemDep) -> SafetyCheckResult:
    """Check a prescription (herbs with grams) for a patient: unknown herbs, 十八反/十九畏, pregnancy, age, doses."""
    return check(system, request)
