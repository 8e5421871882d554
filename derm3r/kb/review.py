"""A review sheet of the knowledge base: one readable table per kind, each entry with its source and users.

``derm3r kb export --review`` writes it for a clinician or pharmacist to check (CSV or HTML).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from derm3r.kb.check import REQUIRED_THRESHOLDS
from derm3r.kb.loader import SECTION_MODELS, KnowledgeBase

#: The columns of every table (CSV header; the HTML shows id under the name).
COLUMNS = ["id", "name", "content", "source", "file", "used_by"]


def used_by(kb: KnowledgeBase) -> dict[str, list[str]]:
    """Map every entry id to the ids of the entries and rules that refer to it (and ``code`` for thresholds)."""
    users: dict[str, set[str]] = defaultdict(set)
    _clinical_users(kb, users)
    _formula_users(kb, users)
    _rule_users(kb, users)
    for threshold_id in REQUIRED_THRESHOLDS:
        users[threshold_id].add("code")
    return {key: sorted(value) for key, value in users.items()}


def _clinical_users(kb: KnowledgeBase, users: dict[str, set[str]]) -> None:
    """Diseases, syndromes, terms and 证素 refer to syndromes, formulas and terms."""
    for disease in kb.diseases.values():
        signs = [*disease.indicative_signs, *disease.contra_signs]
        for ref in [*disease.syndromes, *(sign.term for sign in signs)]:
            users[ref].add(disease.id)
    for syndrome in kb.syndromes.values():
        for link in syndrome.formulas:
            users[link.formula].add(syndrome.id)
        for sign in [*syndrome.signs, *syndrome.contra_signs]:
            users[sign.term].add(syndrome.id)
    for term in kb.terms.values():
        for implied in term.implies:
            users[implied].add(term.id)
    for element in kb.syndrome_elements.values():
        for sign in element.signs:
            users[sign.term].add(element.id)


def _formula_users(kb: KnowledgeBase, users: dict[str, set[str]]) -> None:
    """A formula uses its herbs and trigger terms; a variant and a 合方 use the formulas they build on."""
    for formula in kb.formulas.values():
        for item in formula.herbs:
            users[item.herb].add(formula.id)
        for rule in formula.modifications:
            for ref in [*rule.when_any, *(change.herb for change in rule.add), *rule.remove]:
                users[ref].add(formula.id)
        for base in [formula.variant_of, *formula.combines]:
            if base:
                users[base].add(formula.id)


def _rule_users(kb: KnowledgeBase, users: dict[str, set[str]]) -> None:
    """Safety and follow-up rules refer to herbs, terms, red-flag signs and diseases."""
    for pair in kb.incompatibilities.values():
        for herb in [*pair.herbs_a, *pair.herbs_b]:
            users[herb].add(pair.id)
    for allergen_class in kb.allergen_classes.values():
        for herb in allergen_class.herbs:
            users[herb].add(allergen_class.id)
    for flag in kb.red_flags.values():
        for term in {t for group in flag.all_of for t in group} | set(flag.none_of):
            users[term].add(flag.id)
    for sign in kb.red_flag_signs.values():
        for term in sign.terms:
            users[term].add(sign.id)
    for staging in kb.staging.values():
        users[staging.disease].add(staging.id)
        for condition in staging.stages:
            for term in condition.when_any:
                users[term].add(staging.id)
    for question in kb.follow_up_questions.values():
        for ref in [*question.diseases, *question.replaces]:
            users[ref].add(question.id)


@dataclass(frozen=True)
class ReviewEntry:
    """One entry of the review sheet: its filled fields (as JSON data), source, file and users."""

    kind: str
    id: str
    name: str
    fields: dict[str, Any]
    source: str
    file: str
    users: list[str]


def review_entries(kb: KnowledgeBase) -> dict[str, list[ReviewEntry]]:
    """Every entry of every kind, in file order, with the fields it fills and the entries that use it."""
    users = used_by(kb)
    entries: dict[str, list[ReviewEntry]] = {}
    for section in SECTION_MODELS:
        rows = []
        for entry_id, entry in kb.section(section).items():
            data = entry.model_dump(mode="json", exclude={"id", "source"})
            name = str(data.pop("name", data.pop("label", "")))
            filled = {key: value for key, value in data.items() if value not in ("", [], {}, None)}
            rows.append(
                ReviewEntry(
                    kind=section,
                    id=entry_id,
                    name=name,
                    fields=filled,
                    source=entry.source,
                    file=kb.origin.get(entry_id, ""),
                    users=users.get(entry_id, []),
                )
            )
        entries[section] = rows
    return entries


def review_tables(kb: KnowledgeBase) -> dict[str, list[dict[str, str]]]:
    """One table (list of rows) per kind: id, name, what it holds, source, file and the entries using it."""
    names = display_names(kb)
    return {
        section: [
            {
                "id": entry.id,
                "name": entry.name,
                "content": "; ".join(f"{key}: {_short(value, names)}" for key, value in entry.fields.items()),
                "source": entry.source,
                "file": entry.file,
                "used_by": ", ".join(entry.users),
            }
            for entry in rows
        ]
        for section, rows in review_entries(kb).items()
    }


def display_names(kb: KnowledgeBase) -> dict[str, str]:
    """Readable names for the ids an entry refers to (herb.shu_di_huang → 熟地黄, tongue.red → 舌红)."""
    names = {entry_id: herb.name for entry_id, herb in kb.herbs.items()}
    names.update({entry_id: term.label for entry_id, term in kb.terms.items()})
    names.update({entry_id: sign.label for entry_id, sign in kb.red_flag_signs.items()})
    for section in (kb.formulas, kb.diseases):
        names.update({entry_id: entry.name for entry_id, entry in section.items()})
    for entry_id, syndrome in kb.syndromes.items():
        disease = kb.diseases.get(syndrome.disease)
        names[entry_id] = f"{disease.name}·{syndrome.name}" if disease else syndrome.name
    return names


def _short(value: object, names: dict[str, str]) -> str:
    """One cell's text: lists joined with 、, mappings as key=value, referred ids as the names they stand for."""
    if isinstance(value, list):
        return "、".join(_short(item, names) for item in value)
    if isinstance(value, dict):
        return " ".join(f"{key}={_short(item, names)}" for key, item in value.items() if item not in ("", [], None))
    text = str(value)
    return names.get(text, text)


def write_review(kb: KnowledgeBase, out: Path, fmt: str = "html") -> list[Path]:
    """Write one table per kind into ``out`` (``<kind>.csv``, or ``<kind>.html`` and an ``index.html`` linking them).

    Returns:
        The paths of the tables (the index is not one).
    """
    out.mkdir(parents=True, exist_ok=True)
    written = []
    if fmt == "csv":
        for section, table in review_tables(kb).items():
            path = out / f"{section}.csv"
            with path.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=COLUMNS)
                writer.writeheader()
                writer.writerows(table)
            written.append(path)
        return written
    from derm3r.kb.review_html import render_index, render_kind

    entries = review_entries(kb)
    names = display_names(kb)
    kind_of = {entry.id: section for section, rows in entries.items() for entry in rows}
    counts = {section: len(rows) for section, rows in entries.items()}
    for section, rows in entries.items():
        path = out / f"{section}.html"
        path.write_text(render_kind(section, rows, names, kind_of, counts), encoding="utf-8")
        written.append(path)
    (out / "index.html").write_text(render_index(counts), encoding="utf-8")
    return written
