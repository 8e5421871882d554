"""``check_safety``: the last word on every plan, whatever engine wrote it.

It refers on red flags, abstains on thin or out-of-scope evidence, and otherwise corrects the
prescription (unknown herbs, duplicates under aliases, forbidden pairs, pregnancy, age scaling,
dose ceilings of every toxicity grade, 入丸散/外用 herbs out of a decoction) and says what it
changed. It reads only the knowledge base and the case, so no prompt or model output can switch it off.
"""

from __future__ import annotations

from derm3r.kb.loader import KnowledgeBase
from derm3r.safety.abstain import REFERRAL_ADVICE, abstention_reason, follow_up_questions
from derm3r.safety.doses import check_doses, check_preparation
from derm3r.safety.herbs import check_pregnancy, pregnancy_status, remove_incompatible, resolve_herbs
from derm3r.safety.patient import check_allergies, check_lactation, fact_findings, scale_for_age
from derm3r.safety.patient_facts import read_patient_facts
from derm3r.safety.previous import reaction_stops_repeat, review_changed_plan
from derm3r.safety.reading import CaseReading, read_case
from derm3r.safety.red_flag_signs import RedFlagFinding
from derm3r.safety.red_flags import red_flags
from derm3r.schemas.case import Case
from derm3r.schemas.findings import LesionRepresentation
from derm3r.schemas.plan import Assessment, HerbDose, TreatmentPlan
from derm3r.schemas.safety import PatientFacts, SafetyFinding, SafetyReport


def run_safety_check(
    kb: KnowledgeBase,
    case: Case,
    representation: LesionRepresentation,
    assessment: Assessment,
    plan: TreatmentPlan,
    min_confidence: float | None = None,
    reading: CaseReading | None = None,
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
        reading: The case's red-flag findings and patient facts, when the graph has read them already
            (:func:`derm3r.safety.reading.read_case`); read here when not given.

    Returns:
        The corrected plan (empty when abstaining) and the report.
    """
    reading = reading if reading is not None else read_case(kb, case)
    facts = reading.facts
    # Red flags are read from the case text (every field and what the patient reported after the
    # last prescription) as well as from the engine's signs, so a model that leaves them out of its
    # representation cannot talk the check out of a referral. A red flag refers whether or not an
    # in-scope disease was recognised. The engine's signs go into a copy: the reading is shared.
    findings = dict(reading.findings)
    for sign in representation.signs:
        findings.setdefault(sign.term, RedFlagFinding(sign.term, sign.label, sign.source, sign.evidence))
    flags = red_flags(kb, findings, assessment, facts)
    if flags:
        return _withheld(plan), SafetyReport(
            red_flags=flags,
            abstained=True,
            reason="存在危重征象，需转诊而非处方（red flags: refer, do not prescribe）",
            referral=_referral_advice(kb, assessment),
            patient_facts=facts,
        )
    if min_confidence is None:
        min_confidence = kb.threshold("threshold.min_confidence")
    reason = reaction_stops_repeat(kb, case, plan, findings) or abstention_reason(kb, assessment, min_confidence)
    if reason:
        return _withheld(plan), SafetyReport(
            abstained=True,
            reason=reason,
            questions=follow_up_questions(kb, case, representation, assessment.disease_id),
            patient_facts=facts,
        )
    herbs, warnings = check_prescription(kb, case, plan, facts)
    herbs, reaction_warnings = review_changed_plan(kb, case, herbs, findings)
    warnings += reaction_warnings
    if not herbs:
        return _withheld(plan), SafetyReport(
            warnings=warnings,
            abstained=True,
            reason="安全核查后处方中已无可用药物（no herb left after checks）",
            patient_facts=facts,
        )
    return plan.model_copy(update={"herbs": herbs}), SafetyReport(warnings=warnings, patient_facts=facts)


def check_prescription(
    kb: KnowledgeBase, case: Case, plan: TreatmentPlan, facts: PatientFacts | None = None
) -> tuple[list[HerbDose], list[SafetyFinding]]:
    """Check and correct the herbs of a prescription for this patient, without judging the diagnosis.

    The herb part of :func:`run_safety_check` (names, duplicates, forbidden pairs, pregnancy, age,
    dose ceilings), also used on its own to re-check a prescription a clinician edited.

    Args:
        kb: The knowledge base.
        case: The case (patient age, pregnancy).
        plan: The prescription to check.
        facts: The patient facts already read from the case (read here when not given).

    Returns:
        The corrected herbs and the findings explaining each change.
    """
    facts = facts if facts is not None else read_patient_facts(kb, case)
    findings = fact_findings(facts)
    herbs, resolve_findings = resolve_herbs(kb, [herb.model_copy() for herb in plan.herbs])
    findings += resolve_findings
    herbs, pair_findings = remove_incompatible(kb, herbs)
    findings += pair_findings
    herbs, preparation_findings = check_preparation(kb, herbs)
    findings += preparation_findings
    herbs, allergy_findings = check_allergies(kb, herbs, facts)
    findings += allergy_findings
    patient = case.patient.model_copy(update={"pregnant": facts.pregnant, "age": facts.age})
    herbs, pregnancy_findings = check_pregnancy(kb, herbs, pregnancy_status(kb, patient))
    findings += pregnancy_findings
    findings += check_lactation(kb, herbs, facts)
    factor, age_findings = scale_for_age(kb, herbs, facts)
    findings += age_findings
    findings += check_doses(kb, herbs, factor)
    return herbs, findings


def _referral_advice(kb: KnowledgeBase, assessment: Assessment) -> str:
    disease = kb.diseases.get(assessment.disease_id or "")
    return disease.referral_advice if disease is not None and disease.referral_advice else REFERRAL_ADVICE


def _withheld(plan: TreatmentPlan) -> TreatmentPlan:
    """An empty prescription that keeps the engine's lifestyle advice."""
    return TreatmentPlan(lifestyle=plan.lifestyle, notes=["未出具处方（no prescription issued）"])
