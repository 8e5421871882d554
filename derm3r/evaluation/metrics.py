"""Per-case scores of a consultation against an expert plan; each metric is a pure function.

Every function takes the knowledge base explicitly (for alias resolution) and returns a number in
[0, 1] unless its docstring says otherwise. :func:`score_case` applies the ones whose expert field is present.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from derm3r.evaluation.lines import ExpertHerb, ExpertPlan
from derm3r.evaluation.syndrome_match import syndrome_element_accuracy
from derm3r.evaluation.text_metrics import overlap_scores
from derm3r.kb.loader import KnowledgeBase
from derm3r.schemas.consultation import Consultation
from derm3r.schemas.plan import FormulaRef, HerbDose

#: Separators of a combined syndrome such as 血虚风燥证、寒湿痹阻证 or 血热证兼湿.
SYNDROME_SEPARATORS = re.compile(r"[、，,;；]|和|兼")
#: A herb counts for the dose-aware score when the system's grams are within this fraction of the expert's.
DOSE_TOLERANCE = 0.30
#: The order metrics are reported in: diagnosis, text, prescription, safety.
METRIC_ORDER = (
    "disease_acc", "syndrome_acc", "syndrome_element_acc", "syndrome_mc_acc", "confidence",
    "pathogenesis_bleu4", "pathogenesis_rouge_l", "pathogenesis_bigram_f1",
    "principle_bleu4", "principle_rouge_l", "principle_bigram_f1",
    "lesion_bleu4", "lesion_rouge_l", "lesion_bigram_f1",
    "formula_match", "herb_precision", "herb_recall", "herb_f1", "herb_dose_f1",
    "abstained", "warnings",
)


def _strip(text: str, suffix: str) -> str:
    text = text.strip()
    return text[: -len(suffix)] if text.endswith(suffix) and len(text) > len(suffix) else text


@dataclass
class _Memo:
    """What scoring resolved in one knowledge base; names repeat across cases, so each is resolved once."""

    names: dict[tuple[str, str, str | None], str] = field(default_factory=dict)  # (kind, name, disease id) → key
    herbs: dict[str, str] = field(default_factory=dict)  # herb name → key, the most frequent lookup, untupled
    syndrome_sets: dict[tuple[str, str | None], frozenset[str]] = field(default_factory=dict)


#: Per knowledge base, keyed by id() because KnowledgeBase is an unhashable dataclass; a finalizer drops the
#: entry with the knowledge base so a reused id cannot see stale keys.
_MEMOS: dict[int, _Memo] = {}


def _memo(kb: KnowledgeBase) -> _Memo:
    memo = _MEMOS.get(id(kb))
    if memo is None:
        memo = _MEMOS[id(kb)] = _Memo()
        weakref.finalize(kb, _MEMOS.pop, id(kb), None)
    return memo


def _names(kb: KnowledgeBase) -> dict[tuple[str, str, str | None], str]:
    return _memo(kb).names


def _resolved(kb: KnowledgeBase, kind: str, name: str, disease_id: str | None, resolve: Callable[[], str]) -> str:
    # Scoring resolves the same few hundred herb, syndrome and formula names for every case, and the
    # knowledge base's syndrome lookup scans every syndrome; memoising made scoring ~3x cheaper.
    cache = _names(kb)
    key = (kind, name, disease_id)
    value = cache.get(key)
    if value is None:
        value = cache[key] = resolve()
    return value


def _name_parts(name: str) -> set[str]:
    # Western names are stored as "银屑病 (psoriasis)"; either half may be what the expert wrote.
    parts = {name.strip()} | {part.strip(" ()（）") for part in re.split(r"[(（]", name)}
    return {part.lower() for part in parts if part}


def expert_disease_id(kb: KnowledgeBase, expert_disease: str) -> str | None:
    """The knowledge-base id of the expert's disease (by id, TCM name, Western name or synonym), or None.

    Args:
        kb: The knowledge base.
        expert_disease: The expert's disease, e.g. "白疕" or "psoriasis".

    Returns:
        The disease id, None when the knowledge base does not know it.
    """
    def resolve() -> str:
        wanted = expert_disease.strip().lower()
        for entry in kb.diseases.values():
            names = {entry.id, entry.name, entry.western, *entry.synonyms}
            if any(wanted in _name_parts(name) for name in names if name):
                return entry.id
        return ""

    return _resolved(kb, "disease", expert_disease, None, resolve) or None


def split_syndromes(text: str) -> list[str]:
    """Split a combined syndrome into its parts.

    Args:
        text: E.g. "血虚风燥证、寒湿痹阻证".

    Returns:
        The non-empty parts, stripped.
    """
    return [part.strip() for part in SYNDROME_SEPARATORS.split(text) if part.strip()]


def syndrome_key(kb: KnowledgeBase, name: str, disease_id: str | None = None) -> str:
    """Return a syndrome's knowledge-base id, or its name without 证 when the knowledge base does not know it."""
    def resolve() -> str:
        return kb.resolve_syndrome(name, disease_id) or _strip(name, "证")

    return _resolved(kb, "syndrome", name, disease_id, resolve)


def syndrome_set(kb: KnowledgeBase, text: str, disease_id: str | None = None) -> set[str]:
    """Resolve every part of a (possibly combined) syndrome to a key.

    Args:
        kb: The knowledge base.
        text: The syndrome text.
        disease_id: Disease used to disambiguate names shared across diseases.

    Returns:
        The set of syndrome keys.
    """
    cache = _memo(kb).syndrome_sets
    keys = cache.get((text, disease_id))
    if keys is None:
        keys = frozenset(syndrome_key(kb, part, disease_id) for part in split_syndromes(text))
        cache[(text, disease_id)] = keys
    return set(keys)


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
    return float(_resolved(kb, "disease_acc", key, assessment.disease_id,
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


def formula_key(kb: KnowledgeBase, name: str) -> str:
    """A formula's knowledge-base id, or its name without 加减 when unknown."""
    return _resolved(kb, "formula", name, None, lambda: kb.resolve_formula(name) or _strip(name, "加减"))


def formula_match(kb: KnowledgeBase, expert_formula: str, formula: FormulaRef | None) -> float:
    """1 when the system's base formula is the expert's (aliases and 加减 ignored).

    Args:
        kb: The knowledge base.
        expert_formula: E.g. "犀角地黄汤加减".
        formula: The system's formula, None when it prescribed none.

    Returns:
        1.0 or 0.0.
    """
    if formula is None:
        return 0.0
    system = {formula_key(kb, formula.name)} | ({formula.id} if formula.id else set())
    return 1.0 if formula_key(kb, expert_formula) in system else 0.0


def herb_key(kb: KnowledgeBase, name: str) -> str:
    """A herb's knowledge-base id (aliases and processing prefixes resolved), else the raw name."""
    herbs = _memo(kb).herbs
    key = herbs.get(name)
    if key is None:
        key = herbs[name] = kb.resolve_herb(name) or name.strip()
    return key


def _herb_grams(keys: list[str], doses: list[float | None]) -> dict[str, float | None]:
    grams = dict(zip(keys, doses, strict=True))
    if len(grams) == len(keys):
        return grams
    grams = {}
    for key, dose in zip(keys, doses, strict=True):
        previous = grams.get(key)
        # The same herb listed twice (生/炒 forms) is one herb with the summed dose.
        grams[key] = dose if key not in grams else (None if previous is None or dose is None else previous + dose)
    return grams


@dataclass(frozen=True)
class HerbScores:
    """Herb agreement of one prescription with the expert's."""

    precision: float
    recall: float
    f1: float
    dose_f1: float
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    dose_off: list[str] = field(default_factory=list)


def _f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def herb_scores(kb: KnowledgeBase, expert: list[ExpertHerb], system: list[HerbDose]) -> HerbScores:
    """Precision, recall and F1 over normalised herb names, and a dose-aware F1.

    For the dose-aware score a shared herb counts only when the system's grams are within ±30% of the
    expert's; an expert herb given without a dose counts by name alone.

    Args:
        kb: The knowledge base.
        expert: The expert's herbs.
        system: The system's herbs.

    Returns:
        The scores, with the expert herbs the system missed (expert's names), the herbs it added and the ones
        with a dose off (system's names).
    """
    memo = _memo(kb).herbs
    expert_names = [herb.name for herb in expert]
    system_names = [herb.name for herb in system]
    expert_keys = [memo.get(name) or herb_key(kb, name) for name in expert_names]
    system_keys = [memo.get(name) or herb_key(kb, name) for name in system_names]
    expert_grams = _herb_grams(expert_keys, [herb.dose_g for herb in expert])
    system_grams = _herb_grams(system_keys, [herb.dose_g for herb in system])
    shared = expert_grams.keys() & system_grams.keys()
    dose_ok = set()
    for key in shared:
        wanted, given = expert_grams[key], system_grams[key]
        if wanted is None or (given is not None and abs(given - wanted) <= DOSE_TOLERANCE * wanted + 1e-9):
            dose_ok.add(key)
    n_system, n_expert = len(system_grams), len(expert_grams)
    precision = len(shared) / n_system if n_system else 0.0
    recall = len(shared) / n_expert if n_expert else 0.0
    dose_precision = len(dose_ok) / n_system if n_system else 0.0
    dose_recall = len(dose_ok) / n_expert if n_expert else 0.0
    # Differences are reported in each side's own spelling so the report can highlight them in place.
    expert_spelling = dict(zip(expert_keys, expert_names, strict=True))
    system_spelling = dict(zip(system_keys, system_names, strict=True))
    return HerbScores(
        precision=precision,
        recall=recall,
        f1=_f1(precision, recall),
        dose_f1=_f1(dose_precision, dose_recall),
        missing=sorted(expert_spelling[key] for key in expert_grams.keys() - shared),
        extra=sorted(system_spelling[key] for key in system_grams.keys() - shared),
        dose_off=sorted(system_spelling[key] for key in shared - dose_ok),
    )


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


def syndrome_label(kb: KnowledgeBase, text: str, disease_id: str | None = None) -> str:
    """A display label of a (combined) syndrome with canonical names where the knowledge base knows them."""
    names = []
    for key in sorted(syndrome_set(kb, text, disease_id)):
        entry = kb.syndromes.get(key)
        names.append(entry.name if entry is not None else key)
    return "、".join(names)


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
