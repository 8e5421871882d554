"""What the red-flag wording tests share: a history checked with a plan that must be withdrawn, and the
assertion that the referral names the expected rule's reason."""

from __future__ import annotations

from typing import Any

from derm3r.safety.check import run_safety_check
from derm3r.schemas.case import Case
from derm3r.schemas.findings import LesionRepresentation
from derm3r.schemas.plan import Assessment, TreatmentPlan
from derm3r.schemas.safety import SafetyReport


def check_history(kb: Any, history: str, plan: TreatmentPlan,
                  assessment: Assessment | None = None) -> tuple[TreatmentPlan, SafetyReport]:
    """The safety check of a case whose only text is ``history``.

    Args:
        kb: The loaded knowledge base.
        history: The case's history text.
        plan: The plan the check is asked to pass.
        assessment: The assessment beside it (none by default).

    Returns:
        The checked plan and the safety report.
    """
    case = Case(case_id="rf", history=history)
    return run_safety_check(kb, case, LesionRepresentation(summary=""), assessment or Assessment(), plan, 0.35)


def assert_referred_for(kb: Any, plan: TreatmentPlan, report: SafetyReport, rule_id: str) -> None:
    """Fails unless the plan was withdrawn for a red flag whose text carries ``rule_id``'s reason."""
    assert report.red_flags and plan.herbs == []
    reason = kb.red_flags[rule_id].reason.split("{labels}")[-1][:12]
    assert any(reason in flag for flag in report.red_flags), report.red_flags
