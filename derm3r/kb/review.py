"""A review sheet of the knowledge base: one readable table per kind, each entry with its source and users.

``derm3r kb export --review`` writes it for a clinician or pharmacist to check (CSV or HTML).
"""

from __future__ import annotations

import csv
import html
from collections import defaultdict
from pathlib import Path

from derm3r.kb.loader import SECTION_MODELS, KnowledgeBase


def used_by(kb: KnowledgeBase) -> dict[str, list[str]]:
    """Map every entry id to the ids of the entries and rules that refer to it."""
    users: dict[str, set[str]] = defaultdict(set)
    for disease in kb.diseases.values():
        for ref in [*disease.syndromes, *(sign.term for sign in disease.indicative_signs)]:
            users[ref].add(disease.id)
    for syndrome in kb.syndromes.values():
        for link in syndrome.formulas:
            users[link.formula].add(syndrome.id)
        for sign in [*syndrome.signs, *syndrome.contra_signs]:
            users[sign.term].add(syndrome.id)
    for formula in kb.formulas.values():
        for item in formula.herbs:
            users[item.herb].add(formula.id)
        for rule in formula.modifications:
            for ref in [*rule.when_any, *(change.herb for change in rule.add)]:
                users[ref].add(formula.id)
    for pair in kb.incompatibilities.values():
        for herb in [*pair.herbs_a, *pair.herbs_b]:
            users[herb].add(pair.id)
    for flag in kb.red_flags.values():
        for term in {t for group in flag.all_of for t in group} | set(flag.none_of):
            users[term].add(flag.id)
    for staging in kb.staging.values():
        users[staging.disease].add(staging.id)
        for condition in staging.stages:
            for term in condition.when_any:
                users[term].add(staging.id)
    for question in kb.follow_up_questions.values():
        for disease_id in question.diseases:
            users[disease_id].add(question.id)
    return {key: sorted(value) for key, value in users.items()}


def review_tables(kb: KnowledgeBase) -> dict[str, list[dict[str, str]]]:
    """One table (list of rows) per kind: id, name, what it holds, source, file and the entries using it."""
    users = used_by(kb)
    tables: dict[str, list[dict[str, str]]] = {}
    for section in SECTION_MODELS:
        rows = []
        for entry_id, entry in kb.section(section).items():
            data = entry.model_dump(mode="json", exclude={"id", "source"})
            name = str(data.pop("name", data.pop("label", "")))
            filled = {key: value for key, value in data.items() if value not in ("", [], {}, None)}
            content = "; ".join(f"{key}: {_short(value)}" for key, value in filled.items())
            rows.append(
                {
                    "id": entry_id,
                    "name": name,
                    "content": content,
                    "source": entry.source,  # type: ignore[attr-defined]
                    "file": kb.origin.get(entry_id, ""),
                    "used_by": ", ".join(users.get(entry_id, [])),
                }
            )
        tables[section] = rows
    return tables


def _short(value: object) -> str:
    if isinstance(value, list):
        return "、".join(_short(item) for item in value)
    if isinstance(value, dict):
        return " ".join(f"{key}={_short(item)}" for key, item in value.items() if item not in ("", [], None))
    return str(value)


def write_review(kb: KnowledgeBase, out: Path, fmt: str = "html") -> list[Path]:
    """Write one file per kind into ``out`` (``<kind>.csv`` or ``<kind>.html``); return the paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for section, rows in review_tables(kb).items():
        path = out / f"{section}.{fmt}"
        columns = ["id", "name", "content", "source", "file", "used_by"]
        if fmt == "csv":
            with path.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=columns)
                writer.writeheader()
                writer.writerows(rows)
        else:
            head = "".join(f"<th>{column}</th>" for column in columns)
            body = "".join(
                "<tr>" + "".join(f"<td>{html.escape(row[column])}</td>" for column in columns) + "</tr>" for row in rows
            )
            path.write_text(
                f'<!doctype html><meta charset="utf-8"><title>derm3r knowledge review: {section}</title>'
                f"<h1>{section} ({len(rows)})</h1><table border=1><tr>{head}</tr>{body}</table>\n",
                encoding="utf-8",
            )
        written.append(path)
    return written
