"""Per-case scores of a consultation against an expert plan; each metric is a pure function.

Every function takes the knowledge base explicitly (for alias resolution) and returns a number in
[0, 1] unless its docstring says otherwise. :func:`score_case` applies the ones whose expert field is present.
Names are resolved in :mod:`derm3r.evaluation.name_keys`; formula and herb scores are in
:mod:`derm3r.evaluation.herb_metrics`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from derm3r.evaluation.herb_metrics import formula_match, herb_scores
from derm3r.evaluation.lines import ExpertPlan
from derm3r.evaluation.name_keys import expert_disease_id, resolved, syndrome_key, syndrome_label, syndrome_set
from derm3r.evaluation.syndrome_match import syndrome_element_accuracy
from derm3r.evaluation.text_metrics import overlap_scores
from derm3r.kb.loader import KnowledgeBase
from derm3r.schemas.consultation import Consultation

#: The order metrics are reported in: diagnosis, text, prescription, safety.
METRIC_ORDER = (
    "disease_acc", "syndrome_acc", "syndrome_element_acc", "syndrome_mc_acc", "confidence",
    "pathogenesis_bleu4", "pathogenesis_rouge_l", "pathogenesis_bigram_f1",
    "principle_bleu4", "principle_rouge_l", "principle_bigram_f1",
    "lesion_bleu4", "lesion_rouge_l", "lesion_bigram_f1",
    "formula_match", "herb_precision", "herb_recall", "herb_f1", "herb_dose_f1",
    "abstained", "warnings",
)


def set_score(expected: Iterable[str], chosen: Iterable[str]) -> float:
    """Partial credit for a set answer: |A∩B| / (|A| + |wrong|), wrong = chosen items not expected.

    Args:
        expected: The correct answers A.
        chosen: The answers given B.

    Returns:
        1 for an exact match, 0 when nothing correct was chosen or nothing was expected.
    """
    a, b = set(expected), set(chosen)
    if not a:
        return 0.0
    return len(a & b) / (len(a) + len(b - a))


def system_syndromes(consultation: Consultation) -> list[tuple[str | None, str]]:
    """The system's primary and secondary syndrome as ``(id, name)`` pairs, primary first."""
    calls = [consultation.assessment.syndrome, consultation.assessment.secondary_syndrome]
    return [(call.id, call.name) for call in calls if call is not None]


def system_syndrome_set(kb: KnowledgeBase, consultation: Consultation) -> set[str]:
    """Keys of the syndromes the system called (primary and 兼证)."""
    disease_id = consultation.assessment.disease_id
    return {syndrome_id or syndrome_key(kb, name, disease_id) for syndrome_id, name in system_syndromes(consultation)}


def disease_accuracy(kb: KnowledgeBase, expert_disease: str, consultation: Consultation) -> float:
    """1 when the system's disease is the expert's, by id, TCM name, Western name or synonym.

    Args:
        kb: The knowledge base.
        expert_disease: The expert's disease name (or id).
        consultation: The system's consultation.

    Returns:
        1.0 or 0.0.
    """
    assessment = consultation.assessment
    # The answer depends only on these names; a run sees few combinations, so it is memoised with the names.
    key = "\x00".join((expert_disease, assessment.disease, assessment.disease_western))
    return float(resolved(kb, "disease_acc", key, assessment.disease_id,
                           lambda: str(_disease_accuracy(kb, expert_disease, consultation))))


def _disease_accuracy(kb: KnowledgeBase, expert_disease: str, consultation: Consultation) -> float:
    expert = expert_disease.strip()
    assessment = consultation.assessment
    names = {assessment.disease, assessment.disease_western, assessment.disease_id or ""}
    entry = kb.diseases.get(assessment.disease_id or "")
    if entry is not None:
        names |= {entry.id, entry.name, entry.western, *entry.synonyms}
    names = {name.strip() for name in names if name and name.strip()}
    # Western names are stored as "银屑病 (psoriasis)"; either half may be what the expert wrote.
    for name in list(names):
        names |= {part.strip(" ()（）") for part in re.split(r"[(（]", name) if part.strip(" ()（）")}
    return 1.0 if expert in names or expert.lower() in {name.lower() for name in names} else 0.0


def syndrome_accuracy(
    kb: KnowledgeBase, expert_syndrome: str, consultation: Consultation, disease_id: str | None = None
) -> float:
    """Alias-aware syndrome agreement, a combined syndrome scored as a set (:func:`set_score`).

    Args:
        kb: The knowledge base.
        expert_syndrome: E.g. "血热证" or "血虚风燥证、寒湿痹阻证".
        consultation: The system's consultation (primary and secondary syndrome count).
        disease_id: The disease the expert's syndrome names belong to (an alias such as 湿热证 names different
            syndromes in different diseases); default the system's disease.

    Returns:
        A score in [0, 1].
    """
    expected = syndrome_set(kb, expert_syndrome, disease_id or consultation.assessment.disease_id)
    return set_score(expected, system_syndrome_set(kb, consultation))


def choose_options(
    kb: KnowledgeBase, options: Mapping[str, str], consultation: Consultation, disease_id: str | None = None
) -> list[str]:
    """The option letters the system's syndromes choose: each option that resolves to one it called.

    Args:
        kb: The knowledge base.
        options: Option letter → syndrome name.
        consultation: The system's consultation.
        disease_id: The disease the options' names belong to; default the system's disease.

    Returns:
        The chosen letters, sorted.
    """
    called = system_syndrome_set(kb, consultation)
    disease_id = disease_id or consultation.assessment.disease_id
    return sorted(letter for letter, name in options.items() if syndrome_set(kb, name, disease_id) <= called)


def multiple_choice_accuracy(
    kb: KnowledgeBase, options: Mapping[str, str], answer: Iterable[str], consultation: Consultation
) -> float:
    """Multiple-choice syndrome accuracy; several correct letters are scored with :func:`set_score`.

    Args:
        kb: The knowledge base.
        options: Option letter → syndrome name.
        answer: The correct letters.
        consultation: The system's consultation.

    Returns:
        A score in [0, 1].
    """
    return set_score(answer, choose_options(kb, options, consultation))


@lru_cache(maxsize=64)
def _text_keys(prefix: str) -> tuple[str, str, str]:
    return f"{prefix}_bleu4", f"{prefix}_rouge_l", f"{prefix}_bigram_f1"


def text_scores(prefix: str, candidate: str, reference: str) -> dict[str, float]:
    """BLEU-4, ROUGE-L and bigram F1 of one text field, keyed ``<prefix>_bleu4`` etc."""
    return dict(zip(_text_keys(prefix), overlap_scores(candidate, reference), strict=True))


@dataclass(frozen=True)
class CaseScores:
    """Every metric that applies to one case, plus what the report needs to show the differences."""

    scores: dict[str, float]
    labels: dict[str, str]
    herbs_missing: list[str] = field(default_factory=list)
    herbs_extra: list[str] = field(default_factory=list)
    herbs_dose_off: list[str] = field(default_factory=list)
    options_chosen: list[str] = field(default_factory=list)


def score_case(kb: KnowledgeBase, expert: ExpertPlan, consultation: Consultation) -> CaseScores:
    """Score a consultation with every metric whose expert field is present.

    Args:
        kb: The knowledge base.
        expert: The expert plan.
        consultation: The system's consultation.

    Returns:
        The scores (safety scores always present) and labels for the breakdowns.
    """
    scores: dict[str, float] = {}
    assessment, plan = consultation.assessment, consultation.plan
    # The expert's syndrome names are read in the expert's disease, so a case where the system missed
    # the disease still has its expert syndrome resolved (and grouped) correctly.
    disease_id = (expert_disease_id(kb, expert.disease) if expert.disease else None) or assessment.disease_id
    if expert.disease:
        scores["disease_acc"] = disease_accuracy(kb, expert.disease, consultation)
    if expert.syndrome:
        scores["syndrome_acc"] = syndrome_accuracy(kb, expert.syndrome, consultation, disease_id)
        exact = scores["syndrome_acc"]
        scores["syndrome_element_acc"] = syndrome_element_accuracy(kb, expert.syndrome, consultation, exact)
    if assessment.syndrome is not None:
        scores["confidence"] = assessment.syndrome.confidence
    chosen: list[str] = []
    if expert.syndrome_options and expert.syndrome_answer:
        chosen = choose_options(kb, expert.syndrome_options, consultation, disease_id)
        scores["syndrome_mc_acc"] = set_score(expert.syndrome_answer, chosen)
    if expert.treatment_principle:
        scores |= text_scores("principle", assessment.treatment_principle, expert.treatment_principle)
    if expert.pathogenesis:
        system_pathogenesis = assessment.pathogenesis or consultation.representation.pathogenesis
        scores |= text_scores("pathogenesis", system_pathogenesis, expert.pathogenesis)
    if expert.lesion_description:
        scores |= text_scores("lesion", consultation.representation.summary, expert.lesion_description)
    if expert.formula:
        scores["formula_match"] = formula_match(kb, expert.formula, plan.formula)
    herbs = None
    if expert.herbs:
        herbs = herb_scores(kb, expert.herbs, plan.herbs)
        scores |= {
            "herb_precision": herbs.precision,
            "herb_recall": herbs.recall,
            "herb_f1": herbs.f1,
            "herb_dose_f1": herbs.dose_f1,
        }
    scores["abstained"] = 1.0 if consultation.safety.abstained else 0.0
    scores["warnings"] = float(len(consultation.safety.warnings))
    primary = assessment.syndrome
    labels = {
        "disease": expert.disease or assessment.disease or "未定",
        "syndrome_expert": syndrome_label(kb, expert.syndrome, disease_id) if expert.syndrome else "",
        "syndrome_system": primary.name if primary is not None else "未辨证",
    }
    return CaseScores(
        scores=scores,
        labels=labels,
        herbs_missing=herbs.missing if herbs else [],
        herbs_extra=herbs.extra if herbs else [],
        herbs_dose_off=herbs.dose_off if herbs else [],
        options_chosen=chosen,
    )
