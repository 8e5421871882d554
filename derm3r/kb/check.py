"""Consistency checks over the whole knowledge base (``derm3r kb check``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from derm3r.kb.loader import KnowledgeBase


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
    report.counts = {
        "diseases": len(kb.diseases),
        "syndromes": len(kb.syndromes),
        "formulas": len(kb.formulas),
        "herbs": len(kb.herbs),
        "rules": len(kb.incompatibilities) + len(kb.dose_rules),
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
        for sign in disease.indicative_signs:
            if sign.term not in kb.terms:
                report.errors.append(f"disease {disease.id}: unknown sign term {sign.term}")
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
    _check_name_collisions(
        "syndrome",
        {s.id: [s.name, *s.aliases, *s.scheme_names.values()] for s in kb.syndromes.values()},
        report,
        group={s.id: s.disease for s in kb.syndromes.values()},
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


def _check_herbs(kb: KnowledgeBase, report: CheckReport) -> None:
    _check_name_collisions("herb", {h.id: [h.name, *h.aliases] for h in kb.herbs.values()}, report)


def _check_rules(kb: KnowledgeBase, report: CheckReport) -> None:
    for rule in kb.incompatibilities.values():
        for herb_id in [*rule.herbs_a, *rule.herbs_b]:
            if herb_id not in kb.herbs:
                report.errors.append(f"rule {rule.id}: unknown herb {herb_id}")


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
