"""Prescription scores: the base formula, and herbs by name and by dose against the expert's."""

from __future__ import annotations

from dataclasses import dataclass, field

from derm3r.evaluation.lines import ExpertHerb
from derm3r.evaluation.name_keys import formula_key, herb_key, name_memo
from derm3r.kb.loader import KnowledgeBase
from derm3r.schemas.plan import FormulaRef, HerbDose

#: A herb counts for the dose-aware score when the system's grams are within this fraction of the expert's.
DOSE_TOLERANCE = 0.30


def formula_match(kb: KnowledgeBase, expert_formula: str, formula: FormulaRef | None) -> float:
    """1 when the system's base formula is the expert's (aliases and 加减 ignored).

    The system's formula counts as the expert's when it is that formula, a variant of it (``variant_of``: 白疕's
    桃红四物汤 is 桃红四物汤加减) or a 合方 that joins it (``combines``: 消风散合当归饮子 gives 消风散).

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
    for key in list(system):
        entry = kb.formulas.get(key)
        if entry is not None:
            system |= set(entry.combines) | ({entry.variant_of} if entry.variant_of else set())
    return 1.0 if formula_key(kb, expert_formula) in system else 0.0


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
    memo = name_memo(kb).herbs
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
