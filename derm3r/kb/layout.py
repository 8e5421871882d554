"""Where each kind of knowledge lives under knowledge/, and the check that an entry is in its place.

One folder per kind (diseases/, syndromes/, formulas/, herbs/, lexicon/, rules/). A file under
lexicon/ holds the term categories its name announces; a file under rules/ holds the one rule
kind its name announces. An entry of another kind is refused, naming the file, the entry and the
kind expected there.
"""

from __future__ import annotations

from pathlib import PurePosixPath

#: Folder → the section (kind) every file in it holds. rules/ is resolved per file (RULE_FILES).
FOLDER_KINDS: dict[str, str] = {
    "diseases": "diseases",
    "syndromes": "syndromes",
    "formulas": "formulas",
    "herbs": "herbs",
    "lexicon": "terms",
}

#: knowledge/rules/<stem>.yaml → the section it holds.
RULE_FILES: dict[str, str] = {
    "incompatibilities": "incompatibilities",
    "dose_rules": "dose_rules",
    "red_flags": "red_flags",
    "red_flag_signs": "red_flag_signs",
    "allergen_classes": "allergen_classes",
    "follow_up_questions": "follow_up_questions",
    "staging": "staging",
    "thresholds": "thresholds",
    "syndrome_elements": "syndrome_elements",
}

#: knowledge/lexicon/<stem>.yaml → the term categories it may hold.
LEXICON_FILES: dict[str, frozenset[str]] = {
    "lesions": frozenset({"morphology", "scale", "border", "shape"}),
    "colours": frozenset({"color"}),
    "distribution": frozenset({"distribution", "site"}),
    "symptoms": frozenset({"itch", "symptom"}),
    "course": frozenset({"course", "stage"}),
    "tongue": frozenset({"tongue_body", "tongue_coat"}),
    "pulse": frozenset({"pulse"}),
    "red_flags": frozenset({"red_flag"}),
    "disease_names": frozenset({"disease_name"}),
}

#: Section → the id prefix of its entries (terms are checked by category instead).
ID_PREFIXES: dict[str, str] = {
    "diseases": "disease.",
    "syndromes": "syn.",
    "formulas": "formula.",
    "herbs": "herb.",
    "incompatibilities": "rule.",
    "dose_rules": "rule.",
    "red_flags": "red_flag_rule.",
    "red_flag_signs": "red_flag_sign.",
    "allergen_classes": "allergen_class.",
    "follow_up_questions": "question.",
    "staging": "staging.",
    "thresholds": "threshold.",
    "syndrome_elements": "element.",
}


def expected_section(relative: str) -> str | None:
    """Return the section a knowledge file must hold, or None when the file is in no kind's place.

    Args:
        relative: The file's path relative to the knowledge directory, e.g. ``herbs/tonifying.yaml``.
    """
    parts = PurePosixPath(relative).parts
    if len(parts) != 2:
        return None
    folder, name = parts
    stem = PurePosixPath(name).stem
    if folder == "rules":
        return RULE_FILES.get(stem)
    if folder == "lexicon" and stem not in LEXICON_FILES:
        return None
    return FOLDER_KINDS.get(folder)


def kind_of_id(entry_id: str) -> str | None:
    """Return the section an id's prefix belongs to (``formula.x`` → formulas), or None for term ids."""
    for section, prefix in ID_PREFIXES.items():
        if entry_id.startswith(prefix):
            return section
    return None


def misplaced(relative: str, section: str, raw_entry: object) -> str | None:
    """Say why an entry does not belong in this file, or return None when it does.

    Args:
        relative: The file's path relative to the knowledge directory.
        section: The section key the entry sits under.
        raw_entry: The entry as read from YAML.
    """
    expected = expected_section(relative)
    entry_id = raw_entry.get("id") if isinstance(raw_entry, dict) else None
    label = f"entry {entry_id}" if entry_id else "an entry"
    if section != expected:
        return f"{relative}: {label} is of kind {section!r}; this file holds kind {expected!r}"
    if not isinstance(entry_id, str):
        return None  # the model's validation names the missing id
    if section == "terms":
        allowed = LEXICON_FILES[PurePosixPath(relative).stem]
        category = raw_entry.get("category") if isinstance(raw_entry, dict) else None
        if category not in allowed:
            return (
                f"{relative}: {label} is a term of category {category!r}; "
                f"this file holds kind 'terms' of categories {sorted(allowed)}"
            )
        return None
    actual = kind_of_id(entry_id)
    same_prefix = actual is not None and ID_PREFIXES[actual] == ID_PREFIXES[expected]
    if not same_prefix:
        return f"{relative}: {label} is of kind {actual or 'terms'!r} by its id; this file holds kind {expected!r}"
    return None


def placement_help() -> str:
    """One line listing the places of every kind, for error messages."""
    folders = ", ".join(f"{folder}/ ({kind})" for folder, kind in FOLDER_KINDS.items())
    rules = ", ".join(f"rules/{stem}.yaml" for stem in RULE_FILES)
    lexicon = ", ".join(f"lexicon/{stem}.yaml" for stem in LEXICON_FILES)
    return f"{folders}; {rules}; {lexicon}"
