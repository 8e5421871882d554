"""Consistency checks over the whole knowledge base (``derm3r kb check``)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from derm3r.kb.loader import KnowledgeBase
from derm3r.kb.models import Formula, TermCategory

#: Thresholds the code reads (derm3r/clinic, derm3r/safety); their values live in knowledge/rules/thresholds.yaml.
REQUIRED_THRESHOLDS = (
    "threshold.min_confidence",
    "threshold.softmax_temperature",
    "threshold.sufficient_score",
    "threshold.secondary_score_ratio",
    "threshold.secondary_own_evidence",
    "threshold.disease_min_score",
    "threshold.severity_severe_above",
    "threshold.severity_moderate_from",
    "threshold.childbearing_min_age",
    "threshold.childbearing_max_age",
)
SIGN_CATEGORIES = frozenset(TermCategory.__args__)  # type: ignore[attr-defined]
#: A formula herb's note that records the source's grams (原方30 g, 原方八钱, 原方一两): they belong in source_dose_g.
SOURCE_GRAMS_NOTE = re.compile(r"原方\s*(\d+(\.\d+)?\s*g|[一二三四五六七八九十半]+[两钱分])")
#: A textbook section a syndrome cites (《中医外科学》日晒疮·热毒侵袭证); its syndromes share one formula.
TEXTBOOK_SECTION = re.compile(r"《中医外科学》[^;；《]*?([\u4e00-\u9fff]{2,5}·[\u4e00-\u9fff]{2,8}证)")


@dataclass
class CheckReport:
    """Errors (the base is unusable) and warnings (a reviewer should look) of one check run."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when there is no error."""
        return not self.errors


def check_knowledge_base(kb: KnowledgeBase) -> CheckReport:
    """Check every cross-reference, alias and dose of a loaded knowledge base.

    Args:
        kb: The loaded knowledge base.

    Returns:
        The report; ``report.ok`` is False when any error was found.
    """
    report = CheckReport()
    _check_terms(kb, report)
    _check_diseases_and_syndromes(kb, report)
    _check_formulas(kb, report)
    _check_herbs(kb, report)
    _check_rules(kb, report)
    _check_clinical_rules(kb, report)
    report.counts = {
        "diseases": len(kb.diseases),
        "syndromes": len(kb.syndromes),
        "formulas": len(kb.formulas),
        "herbs": len(kb.herbs),
        "rules": len(kb.incompatibilities) + len(kb.dose_rules) + len(kb.red_flags) + len(kb.staging),
        "questions": len(kb.follow_up_questions),
        "thresholds": len(kb.thresholds),
        "terms": len(kb.terms),
    }
    return report


def _check_terms(kb: KnowledgeBase, report: CheckReport) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for term in kb.terms.values():
        for surface in [term.label, *term.synonyms]:
            owners[surface].add(term.id)
        for implied in term.implies:
            if implied not in kb.terms:
                report.errors.append(f"term {term.id}: implies unknown term {implied}")
        for parts in term.composed_of:
            for part in parts:
                if part not in kb.terms:
                    report.errors.append(f"term {term.id}: composed_of names unknown term {part}")
        if set(term.context_only) - set(term.synonyms) or (term.context_only and not term.context_fields):
            report.errors.append(f"term {term.id}: context_only must list its own synonyms and name context_fields")
    for surface, ids in sorted(owners.items()):
        if len(ids) > 1:
            report.errors.append(f"lexicon: surface form {surface!r} belongs to several terms {sorted(ids)}")


def _check_diseases_and_syndromes(kb: KnowledgeBase, report: CheckReport) -> None:
    for disease in kb.diseases.values():
        for syndrome_id in disease.syndromes:
            syndrome = kb.syndromes.get(syndrome_id)
            if syndrome is None:
                report.errors.append(f"disease {disease.id}: unknown syndrome {syndrome_id}")
            elif syndrome.disease != disease.id:
                report.errors.append(f"disease {disease.id}: lists {syndrome_id}, which belongs to {syndrome.disease}")
        # A referral disease may be named by a red-flag sign or rule too (rules/red_flag_signs.yaml 掌跖铜红色斑,
        # rules/red_flags.yaml melanoma_signs).
        for sign in [*disease.indicative_signs, *disease.contra_signs]:
            if sign.term not in kb.terms and sign.term not in kb.red_flag_signs and sign.term not in kb.red_flags:
                report.errors.append(f"disease {disease.id}: unknown sign term {sign.term}")
        # A disease is recognised from its description, so its profile must name what the skin shows.
        lesion_categories = {"morphology", "scale", "shape", "color", "red_flag"}
        profile = {kb.terms[sign.term].category for sign in disease.indicative_signs if sign.term in kb.terms}
        if not profile & lesion_categories:
            report.errors.append(f"disease {disease.id}: profile has no morphology sign (indicative_signs)")
    for syndrome in kb.syndromes.values():
        owner = kb.diseases.get(syndrome.disease)
        if owner is None:
            report.errors.append(f"syndrome {syndrome.id}: unknown disease {syndrome.disease}")
        elif syndrome.id not in owner.syndromes:
            report.errors.append(f"syndrome {syndrome.id}: not listed under disease {owner.id}")
        for link in syndrome.formulas:
            if link.formula not in kb.formulas:
                report.errors.append(f"syndrome {syndrome.id}: unknown formula {link.formula}")
        seen: set[str] = set()
        for sign in [*syndrome.signs, *syndrome.contra_signs]:
            if sign.term not in kb.terms:
                report.errors.append(f"syndrome {syndrome.id}: unknown sign term {sign.term}")
            if sign.term in seen:
                report.errors.append(f"syndrome {syndrome.id}: term {sign.term} listed twice")
            seen.add(sign.term)
    _check_shared_sections(kb, report)
    _check_name_collisions(
        "syndrome",
        {s.id: [s.name, *s.aliases, *s.scheme_names.values()] for s in kb.syndromes.values()},
        report,
        group={s.id: s.disease for s in kb.syndromes.values()},
    )


def _check_shared_sections(kb: KnowledgeBase, report: CheckReport) -> None:
    """Syndromes that cite the same 《中医外科学》 section must give that section's formula, not two different ones."""
    cited: dict[str, dict[tuple[str, ...], list[str]]] = defaultdict(lambda: defaultdict(list))
    for syndrome in kb.syndromes.values():
        textbook = tuple(sorted(link.formula for link in syndrome.formulas if link.scheme == "textbook"))
        for section in {match.group(1) for match in TEXTBOOK_SECTION.finditer(syndrome.source)}:
            cited[section][textbook].append(syndrome.id)
    for section, by_formulas in cited.items():
        if len(by_formulas) > 1:
            given = "; ".join(
                f"{', '.join(ids)} → {', '.join(formulas) or 'none'}" for formulas, ids in sorted(by_formulas.items())
            )
            report.warnings.append(
                f"syndromes citing 《中医外科学》{section} give different textbook formulas: {given}"
            )


def _check_formulas(kb: KnowledgeBase, report: CheckReport) -> None:
    for formula in kb.formulas.values():
        seen: set[str] = set()
        for item in formula.herbs:
            herb = kb.herbs.get(item.herb)
            if herb is None:
                report.errors.append(f"formula {formula.id}: unknown herb {item.herb}")
                continue
            if item.herb in seen:
                report.errors.append(f"formula {formula.id}: herb {herb.name} listed twice")
            seen.add(item.herb)
            if not herb.dose_min_g <= item.dose_g <= herb.dose_max_g:
                report.warnings.append(
                    f"formula {formula.id}: {herb.name} {item.dose_g:g} g outside the usual "
                    f"{herb.dose_min_g:g}–{herb.dose_max_g:g} g"
                )
        for rule in formula.modifications:
            for trigger in rule.when_any:
                if trigger not in kb.terms:
                    report.errors.append(f"formula {formula.id}: modification triggered by unknown term {trigger}")
            for change in rule.add:
                if change.herb not in kb.herbs:
                    report.errors.append(f"formula {formula.id}: modification adds unknown herb {change.herb}")
            for removed in rule.remove:
                if removed not in seen:
                    report.errors.append(f"formula {formula.id}: modification removes {removed}, not in the formula")
    _check_name_collisions("formula", {f.id: [f.name, *f.aliases] for f in kb.formulas.values()}, report)
    for formula in kb.formulas.values():
        _check_formula_source(kb, formula, report)
        _check_sovereign_order(kb, formula, report)


def _source_name(kb: KnowledgeBase, name: str) -> str:
    """The canonical name of a herb named by a source (犀角 stays 犀角; 生地 → 生地黄), or the name itself."""
    herb_id = kb.resolve_herb(name)
    return kb.herbs[herb_id].name if herb_id else name.strip()


def _check_formula_source(kb: KnowledgeBase, formula: Formula, report: CheckReport) -> None:
    """A formula's base herbs are its source's list; a variant has a source of its own; 君药 keep their order."""
    if formula.variant_of:
        base = kb.formulas.get(formula.variant_of)
        if base is None:
            report.errors.append(f"formula {formula.id}: variant of unknown formula {formula.variant_of}")
        elif formula.source.strip() == base.source.strip():
            report.errors.append(f"formula {formula.id}: variant of {base.id} without a source of its own")
    if not formula.source_herbs:
        base = kb.formulas.get(formula.variant_of) if formula.variant_of else None
        if base is not None and base.source_herbs:
            _check_variant_keeps_base(kb, formula, base, report)
        elif formula.combines:
            _check_combined(kb, formula, report)
        else:
            report.warnings.append(
                f"formula {formula.id}: no source_herbs (the cited source's herb list) to check against"
            )
        return
    listed = {_source_name(kb, name) for name in formula.source_herbs}
    omitted = {_source_name(kb, item.herb) for item in formula.source_omits}
    if omitted - listed:
        report.errors.append(f"formula {formula.id}: omits {sorted(omitted - listed)}, not in its source's list")
    used = _names_in_source_terms(kb, formula) | (omitted & listed)
    if listed != used:
        report.errors.append(
            f"formula {formula.id}: base herbs differ from its source's list — missing {sorted(listed - used)}, "
            f"not in the source {sorted(used - listed)} (put additions in modifications or a variant)"
        )


def _names_in_source_terms(kb: KnowledgeBase, formula: Formula) -> set[str]:
    """The formula's herbs named as a source names them: a stand-in counts as the herb it replaces (白芷 → 麝香)."""
    return {
        _source_name(kb, item.replaces) if item.replaces else kb.herbs[item.herb].name
        for item in formula.herbs
        if item.herb in kb.herbs
    }


def _check_variant_keeps_base(kb: KnowledgeBase, variant: Formula, base: Formula, report: CheckReport) -> None:
    """A variant without a list of its own is its base plus additions: it must keep every herb of the base."""
    kept_ids = {item.herb for item in variant.herbs}
    kept_names = _names_in_source_terms(kb, variant)
    dropped = sorted(
        kb.herbs[item.herb].name
        for item in base.herbs
        if item.herb in kb.herbs
        and item.herb not in kept_ids
        and (_source_name(kb, item.replaces) if item.replaces else kb.herbs[item.herb].name) not in kept_names
    )
    if dropped:
        report.warnings.append(
            f"formula {variant.id}: variant of {base.id} drops {dropped} without a source list of its own"
        )


def _check_combined(kb: KnowledgeBase, formula: Formula, report: CheckReport) -> None:
    """A 合方 takes its herbs from the formulas it joins; herbs beyond their source lists are named."""
    parts = [kb.formulas.get(part) for part in formula.combines]
    missing = [
        part for part, found in zip(formula.combines, parts, strict=True) if found is None or not found.source_herbs
    ]
    if missing:
        report.errors.append(f"formula {formula.id}: combines {missing}, unknown or without a source list")
        return
    listed = {_source_name(kb, name) for part in parts if part is not None for name in part.source_herbs}
    used = _names_in_source_terms(kb, formula)
    if used - listed:
        report.warnings.append(
            f"formula {formula.id}: adds {sorted(used - listed)} beyond the formulas it combines "
            f"({', '.join(formula.combines)}); put additions in modifications or cite the combined list"
        )


def _check_sovereign_order(kb: KnowledgeBase, formula: Formula, report: CheckReport) -> None:
    """A herb the source doses at most like the 君药 must not outweigh it after capping to the Pharmacopoeia.

    The comparison needs the source's grams: a note that records them (原方30 g) without ``source_dose_g``,
    or a herb that outweighs a capped 君药 without grams of its own, is reported instead of passing unseen.
    """
    for item in formula.herbs:
        if not item.source_dose_g and SOURCE_GRAMS_NOTE.search(item.note):
            report.warnings.append(
                f"formula {formula.id}: {_herb_name(kb, item.herb)} note gives the source's dose ({item.note}) "
                "but no source_dose_g, so the 君药 order cannot be checked"
            )
    sovereign = [item for item in formula.herbs if item.role == "君" and item.source_dose_g]
    others = [item for item in formula.herbs if item.role != "君"]
    for head in sovereign:
        for item in others:
            if item.dose_g <= head.dose_g:
                continue
            if not item.source_dose_g:
                report.warnings.append(
                    f"formula {formula.id}: {_herb_name(kb, item.herb)} {item.dose_g:g} g outweighs the 君药 "
                    f"{_herb_name(kb, head.herb)} {head.dose_g:g} g (source {head.source_dose_g:g} g) and has no "
                    "source_dose_g to show the source dosed it higher"
                )
            elif item.source_dose_g <= head.source_dose_g:  # type: ignore[operator]
                report.errors.append(
                    f"formula {formula.id}: {_herb_name(kb, item.herb)} {item.dose_g:g} g now outweighs the 君药 "
                    f"{_herb_name(kb, head.herb)} {head.dose_g:g} g (source {item.source_dose_g:g} ≤ "
                    f"{head.source_dose_g:g} g)"
                )


def _herb_name(kb: KnowledgeBase, herb_id: str) -> str:
    herb = kb.herbs.get(herb_id)
    return herb.name if herb else herb_id


def _check_herbs(kb: KnowledgeBase, report: CheckReport) -> None:
    _check_name_collisions("herb", {h.id: [h.name, *h.aliases] for h in kb.herbs.values()}, report)
    for herb in kb.herbs.values():
        for homonym in herb.homonyms:
            if kb.resolve_herb(homonym) is not None:
                report.errors.append(f"herb {herb.id}: homonym {homonym} resolves to a herb; a homonym names none")


def _check_rules(kb: KnowledgeBase, report: CheckReport) -> None:
    for rule in kb.incompatibilities.values():
        for herb_id in [*rule.herbs_a, *rule.herbs_b]:
            if herb_id not in kb.herbs:
                report.errors.append(f"rule {rule.id}: unknown herb {herb_id}")


def _check_clinical_rules(kb: KnowledgeBase, report: CheckReport) -> None:
    """Rules under knowledge/rules/ name known terms, diseases, categories and questions."""
    for flag in kb.red_flags.values():
        if not flag.label.strip():
            report.errors.append(f"red flag {flag.id}: no label")
        for term in {t for group in flag.all_of for t in group} | set(flag.none_of):
            if term not in kb.terms and term not in kb.red_flag_signs:
                report.errors.append(f"red flag {flag.id}: unknown term {term}")
    for sign in kb.red_flag_signs.values():
        for term in sign.terms:
            if term not in kb.terms:
                report.errors.append(f"red flag sign {sign.id}: unknown term {term}")
    for allergen_class in kb.allergen_classes.values():
        for herb_id in allergen_class.herbs:
            if herb_id not in kb.herbs:
                report.errors.append(f"allergen class {allergen_class.id}: unknown herb {herb_id}")
    for question in kb.follow_up_questions.values():
        for disease_id in question.diseases:
            if disease_id not in kb.diseases:
                report.errors.append(f"question {question.id}: unknown disease {disease_id}")
        for replaced in question.replaces:
            if replaced not in kb.follow_up_questions:
                report.errors.append(f"question {question.id}: replaces unknown question {replaced}")
        for category in question.when_missing:
            if category not in SIGN_CATEGORIES:
                report.errors.append(f"question {question.id}: unknown sign category {category}")
    staged: set[str] = set()
    for rule in kb.staging.values():
        if rule.disease not in kb.diseases:
            report.errors.append(f"staging {rule.id}: unknown disease {rule.disease}")
        if rule.disease in staged:
            report.errors.append(f"staging {rule.id}: disease {rule.disease} has two staging rules")
        staged.add(rule.disease)
        for condition in rule.stages:
            for term in condition.when_any:
                if term not in kb.terms:
                    report.errors.append(f"staging {rule.id}: unknown term {term}")
    for threshold_id in REQUIRED_THRESHOLDS:
        if threshold_id not in kb.thresholds:
            report.errors.append(f"thresholds: {threshold_id} is read by the code but not defined")


def _check_name_collisions(
    kind: str, names: dict[str, list[str]], report: CheckReport, group: dict[str, str] | None = None
) -> None:
    """Report a name or alias that two entries of one kind share (within one group when given)."""
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for entry_id, entry_names in names.items():
        scope = group[entry_id] if group else ""
        for name in set(entry_names):
            owners[(scope, name)].add(entry_id)
    for (_, name), ids in sorted(owners.items()):
        if len(ids) > 1:
            report.errors.append(f"{kind} name or alias {name!r} is shared by {sorted(ids)}")
