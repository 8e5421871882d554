"""``check_safety``: the last word on every plan, whatever engine wrote it.

It refers on red flags, abstains on thin or out-of-scope evidence, and otherwise corrects the
prescription (unknown herbs, duplicates under aliases, forbidden pairs, pregnancy, age scaling,
dose ceilings of every toxicity grade, 入丸散/外用 herbs out of a decoction) and says what it
changed. It reads only the knowledge base and the case, so no prompt or model output can switch it off.
"""

from __future__ import annotations

from derm3r.kb.loader import KnowledgeBase
from derm3r.safety.abstain import REFERRAL_ADVICE, abstention_reason, follow_up_questions, red_flags
from derm3r.safety.doses import age_factor, check_doses, check_preparation
from derm3r.safety.herbs import check_pregnancy, pregnancy_status, remove_incompatible, resolve_herbs
from derm3r.schemas.case import Case
from derm3r.schemas.findings import LesionRepresentation
from derm3r.schemas.plan import Assessment, HerbDose, TreatmentPlan
from derm3r.schemas.safety import SafetyFinding, SafetyReport
from derm3r.text.signs import extract_signs, lexicon_matcher


def run_safety_check(
    kb: KnowledgeBase,
    case: Case,
    representation: LesionRepresentation,
    assessment: Assessment,
    plan: TreatmentPlan,
    min_confidence: float | None = None,
) -> tuple[TreatmentPlan, SafetyReport]:
    """Check and correct a plan.

    Args:
        kb: The knowledge base.
        case: The case (patient age, pregnancy).
        representation: The merged signs (red flags are read from them).
        assessment: The engine's assessment.
        plan: The engine's plan.
        min_confidence: Syndrome confidence below which the system abstains; None reads
            ``threshold.min_confidence`` from knowledge/rules/thresholds.yaml.

    Returns:
        The corrected plan (empty when abstaining) and the report.
    """
    # Red flags are read from the case text here as well, so a model that leaves them out of its
    # representation cannot talk the check out of a referral.
    present = {sign.term for sign in representation.signs} | _case_terms(kb, case)
    flags = red_flags(kb, present, assessment)
    if flags:
        return _withheld(plan), SafetyReport(
            red_flags=flags,
            abstained=True,
            reason="存在危重征象，需转诊而非处方（red flags: refer, do not prescribe）",
            referral=_referral_advice(kb, assessment),
        )
    if min_confidence is None:
        min_confidence = kb.threshold("threshold.min_confidence")
    reason = abstention_reason(kb, assessment, min_confidence)
    if reason:
        return _withheld(plan), SafetyReport(
            abstained=True,
            reason=reason,
            questions=follow_up_questions(kb, case, representation, assessment.disease_id),
        )
    herbs, findings = check_prescription(kb, case, plan)
    if not herbs:
        return _withheld(plan), SafetyReport(
            warnings=findings, abstained=True, reason="安全核查后处方中已无可用药物（no herb left after checks）"
        )
    return plan.model_copy(update={"herbs": herbs}), SafetyReport(warnings=findings)


def check_prescription(
    kb: KnowledgeBase, case: Case, plan: TreatmentPlan
) -> tuple[list[HerbDose], list[SafetyFinding]]:
    """Check and correct the herbs of a prescription for this patient, without judging the diagnosis.

    The herb part of :func:`run_safety_check` (names, duplicates, forbidden pairs, pregnancy, age,
    dose ceilings), also used on its own to re-check a prescription a clinician edited.

    Args:
        kb: The knowledge base.
        case: The case (patient age, pregnancy).
        plan: The prescription to check.

    Returns:
        The corrected herbs and the findings explaining each change.
    """
    herbs, findings = resolve_herbs(kb, [herb.model_copy() for herb in plan.herbs])
    herbs, pair_findings = remove_incompatible(kb, herbs)
    findings += pair_findings
    herbs, preparation_findings = check_preparation(kb, herbs)
    findings += preparation_findings
    herbs, pregnancy_findings = check_pregnancy(kb, herbs, pregnancy_status(kb, case.patient))
    findings += pregnancy_findings
    factor, rule_id, source = age_factor(kb, case.patient.age)
    if factor < 1.0:
        for herb in herbs:
            herb.dose_g = max(0.5, round(herb.dose_g * factor * 2) / 2)
        findings.append(
            SafetyFinding(
                severity="warning",
                rule_id=rule_id,
                message=f"患者{case.patient.age:g}岁，剂量已按成人量的{factor:.2f}倍折算（age-scaled dose）",
                source=source,
                action="全方剂量已按年龄折算",
            )
        )
    findings += check_doses(kb, herbs, factor)
    return herbs, findings


def _case_terms(kb: KnowledgeBase, case: Case) -> set[str]:
    return extract_signs(kb, lexicon_matcher(kb), case.text_fields()).present_ids


def _referral_advice(kb: KnowledgeBase, assessment: Assessment) -> str:
    disease = kb.diseases.get(assessment.disease_id or "")
    return disease.referral_advice if disease is not None and disease.referral_advice else REFERRAL_ADVICE


def _withheld(plan: TreatmentPlan) -> TreatmentPlan:
    """An empty prescription that keeps the engine's lifestyle advice."""
    return TreatmentPlan(lifestyle=plan.lifestyle, notes=["未出具处方（no prescription issued）"])
