"""The ``knowledge`` engine: all three agents played by deterministic rules over the knowledge base."""

from __future__ import annotations

from dataclasses import replace

from derm3r.clinic.age_signs import age_composed_signs
from derm3r.clinic.calibration import CARRIED_DISEASE_CONFIDENCE, calibrated_confidence
from derm3r.clinic.composite import apply_composite, compose
from derm3r.clinic.differentiate import Differentiation, DiseaseCall, differentiate, identify_disease
from derm3r.clinic.elements import elements_for_call
from derm3r.clinic.fusion import fuse_findings
from derm3r.clinic.prescribe import build_plan
from derm3r.clinic.recognize import disease_differential, rank_diseases
from derm3r.clinic.represent import describe_change, infer_severity, infer_stage, summarize
from derm3r.clinic.sign_labels import implications, without_implied
from derm3r.engines.base import EngineOptions, ImageInput, ReasonResult, Served
from derm3r.kb.documents import Passage
from derm3r.kb.loader import KnowledgeBase
from derm3r.kb.models import Disease
from derm3r.llm.specs import NO_RETRIEVAL, RetrievalSpec
from derm3r.safety.reading import CaseReading, read_case
from derm3r.safety.red_flags import firing_rules
from derm3r.schemas.case import Case
from derm3r.schemas.findings import LesionFindings, LesionRepresentation, Sign
from derm3r.schemas.plan import Assessment, SyndromeCall, TreatmentPlan
from derm3r.text.signs import age_group_signs, extract_signs, lexicon_matcher

LESION_CATEGORIES = ("morphology", "color", "scale", "border", "shape", "distribution", "site", "itch", "course")
_FINDING_FIELDS = {
    "morphology": "morphology",
    "color": "color",
    "scale": "scale",
    "border": "border",
    "distribution": "distribution",
    "site": "sites",
    "itch": "itch",
}


class KnowledgeEngine:
    """Offline engine: lexicon extraction, classical image analysis, evidence-weighted differentiation."""

    name = "knowledge"

    def __init__(self, options: EngineOptions) -> None:
        """Index the lexicon of the knowledge base.

        Args:
            options: Engine settings with the knowledge base.
        """
        self.kb = options.knowledge
        self.scheme = options.formula_scheme
        self.matcher = lexicon_matcher(self.kb)

    def adapter_for(self, agent: str) -> str | None:
        """The knowledge engine uses no adapters."""
        return None

    def retrieval(self, agent: str) -> RetrievalSpec:
        """No agent retrieves: the rules read the knowledge base directly, and its evidence is the entries they used.

        Retrieved passages would be shown as evidence the reasoning never read, and embedding a query per case
        made an evaluation several times slower for nothing.
        """
        return NO_RETRIEVAL

    def recognize(self, case: Case, image: ImageInput | None) -> Served[LesionFindings]:
        """Describe the lesions of one image, or those written in the case text.

        Args:
            case: The case.
            image: The image to describe, or None for the case text.

        Returns:
            The findings of that source.
        """
        if image is not None:
            from derm3r.engines.image_findings import findings_from_image

            return Served(findings_from_image(self.kb, image), self.name)
        extracted = extract_signs(self.kb, self.matcher, case.text_fields())
        extracted.present += age_group_signs(self.kb, case.patient.age, extracted.present_ids)
        # The age group holds for the whole case: 婴儿 (or the age field) with 面颊 in another sentence is 婴儿面颊.
        extracted.present += age_composed_signs(self.kb, extracted.present)
        findings = LesionFindings(source="text", signs=extracted.present, negated=extracted.negated,
                                   past=extracted.past)
        for sign in extracted.present:
            field_name = _FINDING_FIELDS.get(sign.category)
            if field_name:
                getattr(findings, field_name).append(sign.label)
        lesion_signs = [sign for sign in extracted.present if sign.category in LESION_CATEGORIES]
        findings.description = summarize(without_implied(lesion_signs, implications(self.kb)), "未定", "未定")
        return Served(findings, self.name)

    def represent(
        self, case: Case, findings: list[LesionFindings], passages: list[Passage] | None = None
    ) -> Served[LesionRepresentation]:
        """Merge the findings of the text and every usable image into one patient-level picture.

        Args:
            case: The case.
            findings: Rec's findings, one per source.
            passages: Unused: the pathogenesis comes from the knowledge base's lesion rules directly.

        Returns:
            The representation with stage, severity and the pathogenesis the lesions suggest.
        """
        fused = fuse_findings(findings)
        signs = fused.signs
        present = {sign.term for sign in signs}
        past = _past_history(findings, present)
        text_all = " ".join(case.text_fields().values())
        disease = identify_disease(self.kb, present)
        stage = infer_stage(self.kb, disease.disease.id if disease else None, present)
        severity = infer_severity(self.kb, present, text_all)
        lesion_signs = [sign for sign in signs if sign.category in LESION_CATEGORIES]
        pathogenesis, pathogenesis_id = self._lesion_pathogenesis({sign.term for sign in lesion_signs} | present)
        representation = LesionRepresentation(
            summary=summarize(without_implied(lesion_signs, implications(self.kb)), stage, severity),
            stage=stage,
            severity=severity,
            pathogenesis=pathogenesis,
            pathogenesis_source=pathogenesis_id,
            signs=signs,
            negated=fused.negated,
            past=past,
            images_used=fused.images_used,
            images_excluded=fused.images_excluded,
            change_since_last_visit=describe_change(case),
            conflicts=fused.conflicts,
        )
        return Served(representation, self.name)

    def _lesion_pathogenesis(self, lesion_terms: set[str]) -> tuple[str, str | None]:
        disease = identify_disease(self.kb, lesion_terms)
        if disease is None:
            return "", None
        ranked = differentiate(self.kb, disease.disease, lesion_terms).ranked
        if not ranked or ranked[0].score <= 0 or ranked[0].id is None:
            return "", None
        return self.kb.syndromes[ranked[0].id].pathogenesis, ranked[0].id

    def _disease_of_visit(self, case: Case, call: DiseaseCall | None) -> Disease | None:
        """The current text's disease, unless it is only a weak hint at a follow-up that already has a diagnosis."""
        if call is not None and (not case.previous_visits
                                 or call.score >= self.kb.threshold("threshold.disease_firm_score")):
            return call.disease
        carried = self._disease_from_history(case) if case.previous_visits else None
        return carried or (call.disease if call else None)

    def _disease_from_history(self, case: Case) -> Disease | None:
        """At a follow-up visit the diagnosis already made stands unless the current text says otherwise."""
        for visit in reversed(case.previous_visits):
            # 血虚风燥证 and the like belong to several diseases: a name settles the disease only when unique.
            diseases = {self.kb.syndromes[s].disease for s in self.kb.syndromes_named(visit.syndrome)}
            if len(diseases) == 1:
                return self.kb.diseases.get(diseases.pop())
            earlier = extract_signs(self.kb, self.matcher, {"previous_visits": visit.summary})
            call = identify_disease(self.kb, earlier.present_ids)
            if call is not None:
                return call.disease
        return None

    def reason(
        self,
        case: Case,
        representation: LesionRepresentation,
        passages: list[Passage],
        reading: CaseReading | None = None,
    ) -> Served[ReasonResult]:
        """Differentiate the disease and syndrome from all evidence and plan treatment.

        Args:
            case: The case.
            representation: Rep's patient-level representation.
            passages: Unused (the rules read the knowledge base itself); given when this engine stands in for an
                LLM engine.
            reading: The case's red-flag findings and patient facts as the graph read them for the safety check;
                read here when None.

        Returns:
            The assessment and plan; an empty plan when no disease in scope is identified. The knowledge ids are
            the entries the decision used: disease, syndromes and formula.
        """
        reading = reading if reading is not None else read_case(self.kb, case)
        return Served(self._reason(case, representation, reading), self.name)

    def _reason(self, case: Case, representation: LesionRepresentation, reading: CaseReading) -> ReasonResult:
        present = {sign.term for sign in representation.signs}
        past = {sign.term for sign in representation.past}
        # A referral disease is named by what the referral rules read as well as by the lexicon (杨梅疮 by copper
        # palms, whatever their word order; 疑似皮肤恶性肿瘤 by the melanoma rule that fired): the red-flag signs the
        # case states now and the rules they fire join the disease ranking only.
        ranking = present | _referral_evidence(self.kb, reading, present)
        candidates = disease_differential(self.kb, rank_diseases(self.kb, ranking, past))
        disease_call = identify_disease(self.kb, ranking, past)
        disease = self._disease_of_visit(case, disease_call)
        if disease_call is not None and disease is not disease_call.disease:
            disease_call = None  # the diagnosis is carried from an earlier visit
        if disease is None:
            return ReasonResult(Assessment(disease_differential=candidates), TreatmentPlan(), [])
        result = differentiate(self.kb, disease, present)
        if disease_call is not None and disease_call.score < self.kb.threshold("threshold.disease_firm_score"):
            result = _without_critical_patterns(self.kb, result)
        disease_confidence = CARRIED_DISEASE_CONFIDENCE if disease_call is None else next(
            (c.confidence for c in candidates if c.disease_id == disease.id), CARRIED_DISEASE_CONFIDENCE)
        ranked = _calibrate(self.kb, result.ranked, disease_confidence)
        assessment = Assessment(
            disease=disease.name,
            disease_id=disease.id,
            disease_western=disease.western,
            differential=ranked[1:4],
            disease_differential=candidates,
        )
        if not ranked or ranked[0].id is None:
            return ReasonResult(assessment, TreatmentPlan(), [disease.id])
        top = ranked[0]
        syndrome = self.kb.syndromes[top.id]  # type: ignore[index]
        top = top.model_copy(update={"elements": elements_for_call(self.kb, syndrome.name, top.score)})
        secondary = self.kb.syndromes.get(result.secondary.id or "") if result.secondary else None
        plan = build_plan(
            self.kb,
            syndrome,
            present,
            secondary=result.secondary,
            scheme=self.scheme,
            previous_visits=case.previous_visits,
        )
        principle = syndrome.treatment_principle
        pathogenesis = syndrome.pathogenesis
        composite = compose(self.kb, syndrome, present, secondary=secondary)
        if composite is not None:
            top, plan = apply_composite(self.kb, composite, top, plan, self.scheme)
            principle = composite.principle
            pathogenesis += f"证素兼见{''.join(entry.name for entry in composite.extra)}。"
        if secondary is not None:
            principle += f"，兼以{secondary.treatment_principle}"
            pathogenesis += f"兼{secondary.name}：{secondary.pathogenesis}"
        used = [disease.id, syndrome.id, *([secondary.id] if secondary else [])]
        used += [composite.donor.id] if composite and composite.donor else []
        used += [plan.formula.id] if plan.formula and plan.formula.id else []
        assessment = assessment.model_copy(
            update={
                "syndrome": top,
                "secondary_syndrome": result.secondary,
                "pathogenesis": pathogenesis,
                "treatment_principle": principle,
                "knowledge_ids": list(dict.fromkeys(used)),
            }
        )
        return ReasonResult(assessment, plan, assessment.knowledge_ids)


def _referral_evidence(kb: KnowledgeBase, reading: CaseReading, present: set[str]) -> set[str]:
    """The red_flag_signs a case states now and the referral rules that fire, on the safety check's own reading.

    A rule that fires refers the case whatever disease is named, so weighing it in a disease's profile only names the
    disease the referral suspects; it never refers a case the rules leave alone.
    """
    findings = set(reading.findings) | present
    fired = {rule.id for rule in firing_rules(kb, findings, reading.facts)}
    return {finding for finding in findings if finding in kb.red_flag_signs} | fired


def _calibrate(kb: KnowledgeBase, ranked: list[SyndromeCall], disease_confidence: float) -> list[SyndromeCall]:
    """Give the called syndrome the calibrated probability that disease and syndrome are right.

    The alternatives are scaled by the same factor, so they keep their order and their share of the
    top call (a syndrome without evidence stays at 0, and so does a top call without evidence). Each
    call keeps its raw confidence in ``raw_confidence`` (the calibration is fitted on it).
    """
    if not ranked:
        return []
    raw_top = ranked[0].confidence
    # A syndrome no sign supports is not an answer, however sure the disease is.
    top = calibrated_confidence(kb, disease_confidence, raw_top) if ranked[0].score > 0 else 0.0
    factor = top / raw_top if raw_top > 0 else 0.0
    return [
        call.model_copy(update={
            "raw_confidence": call.confidence,
            "confidence": top if index == 0 else round(min(1.0, call.confidence * factor), 3),
        })
        for index, call in enumerate(ranked)
    ]


def _without_critical_patterns(kb: KnowledgeBase, result: Differentiation) -> Differentiation:
    """The differentiation without its critical-pattern (red_flag) syndromes, for a disease called on thin evidence."""
    def critical(call: SyndromeCall | None) -> bool:
        return call is not None and call.id in kb.syndromes and kb.syndromes[call.id].red_flag

    return replace(result, ranked=[call for call in result.ranked if not critical(call)],
                   secondary=None if critical(result.secondary) else result.secondary)


def _past_history(findings: list[LesionFindings], present: set[str]) -> list[Sign]:
    """The past-history signs of every source, one per term, leaving out those present now."""
    past: dict[str, Sign] = {}
    for finding in findings:
        for sign in finding.past:
            if sign.term not in present:
                past.setdefault(sign.term, sign)
    return list(past.values())
