"""Load knowledge/ (one folder per kind, see derm3r.kb.layout) into validated models, indexed by id and name."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from derm3r.errors import KnowledgeBaseError
from derm3r.kb.layout import expected_section, misplaced, placement_help
from derm3r.kb.models import (
    Disease,
    DoseRule,
    Formula,
    Herb,
    IncompatibilityRule,
    LexiconTerm,
    Syndrome,
)
from derm3r.kb.referral_models import AllergenClass, RedFlagSign
from derm3r.kb.rule_models import FollowUpQuestion, RedFlagRule, StagingRule, SyndromeElementEntry, Threshold

#: Top-level YAML key → entry model. Each file holds the one key of its place (derm3r.kb.layout).
SECTION_MODELS: dict[str, type[BaseModel]] = {
    "terms": LexiconTerm,
    "diseases": Disease,
    "syndromes": Syndrome,
    "formulas": Formula,
    "herbs": Herb,
    "incompatibilities": IncompatibilityRule,
    "dose_rules": DoseRule,
    "red_flags": RedFlagRule,
    "red_flag_signs": RedFlagSign,
    "allergen_classes": AllergenClass,
    "follow_up_questions": FollowUpQuestion,
    "staging": StagingRule,
    "thresholds": Threshold,
    "syndrome_elements": SyndromeElementEntry,
}

#: Prefixes of processed forms that name the same herb for matching (炒白术 → 白术).
PROCESSING_PREFIXES = ("生", "炒", "炙", "制", "酒", "醋", "盐", "焦", "煅", "蜜", "麸炒", "姜")


@dataclass
class KnowledgeBase:
    """All knowledge entries, indexed for lookup."""

    terms: dict[str, LexiconTerm] = field(default_factory=dict)
    diseases: dict[str, Disease] = field(default_factory=dict)
    syndromes: dict[str, Syndrome] = field(default_factory=dict)
    formulas: dict[str, Formula] = field(default_factory=dict)
    herbs: dict[str, Herb] = field(default_factory=dict)
    incompatibilities: dict[str, IncompatibilityRule] = field(default_factory=dict)
    dose_rules: dict[str, DoseRule] = field(default_factory=dict)
    red_flags: dict[str, RedFlagRule] = field(default_factory=dict)
    red_flag_signs: dict[str, RedFlagSign] = field(default_factory=dict)
    allergen_classes: dict[str, AllergenClass] = field(default_factory=dict)
    follow_up_questions: dict[str, FollowUpQuestion] = field(default_factory=dict)
    staging: dict[str, StagingRule] = field(default_factory=dict)
    thresholds: dict[str, Threshold] = field(default_factory=dict)
    syndrome_elements: dict[str, SyndromeElementEntry] = field(default_factory=dict)
    fingerprint: str = ""
    origin: dict[str, str] = field(default_factory=dict)
    #: Derived objects built once per knowledge base (e.g. the lexicon matcher of the safety check).
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    _herb_names: dict[str, str] = field(default_factory=dict)
    _syndrome_names: dict[str, str] = field(default_factory=dict)
    _formula_names: dict[str, str] = field(default_factory=dict)

    def section(self, name: str) -> dict[str, Any]:
        """Return one section's entries by id."""
        return getattr(self, name)  # type: ignore[no-any-return]

    def get(self, entry_id: str) -> BaseModel | None:
        """Return any entry by id, whatever its kind."""
        for name in SECTION_MODELS:
            entry = self.section(name).get(entry_id)
            if entry is not None:
                return entry  # type: ignore[no-any-return]
        return None

    def threshold(self, threshold_id: str) -> float:
        """Return a threshold's value from knowledge/rules/thresholds.yaml.

        Raises:
            KnowledgeBaseError: When the knowledge base does not define it.
        """
        entry = self.thresholds.get(threshold_id)
        if entry is None:
            raise KnowledgeBaseError(f"knowledge/rules/thresholds.yaml: threshold {threshold_id} is not defined")
        return entry.value

    def staging_rule(self, disease_id: str | None) -> StagingRule | None:
        """Return the staging rule of a disease, or None when the disease is not staged."""
        for rule in self.staging.values():
            if rule.disease == disease_id:
                return rule
        return None

    def build_indexes(self) -> None:
        """Index names and aliases of herbs, syndromes and formulas for resolution."""
        self._herb_names = {}
        for herb in self.herbs.values():
            for name in [herb.name, *herb.aliases]:
                self._herb_names.setdefault(name, herb.id)
        self._syndrome_names = {}
        for syndrome in self.syndromes.values():
            for name in [syndrome.name, *syndrome.aliases, *syndrome.scheme_names.values()]:
                self._syndrome_names.setdefault(_strip_suffix(name, "证"), syndrome.id)
        self._formula_names = {}
        for formula in self.formulas.values():
            for name in [formula.name, *formula.aliases]:
                self._formula_names.setdefault(_strip_suffix(name, "加减"), formula.id)

    def resolve_herb(self, name: str) -> str | None:
        """Return the herb id for a name, alias or processed form (e.g. 炒白术), or None."""
        name = name.strip()
        if name in self._herb_names:
            return self._herb_names[name]
        for prefix in PROCESSING_PREFIXES:
            if name.startswith(prefix) and name[len(prefix) :] in self._herb_names:
                return self._herb_names[name[len(prefix) :]]
        return None

    def resolve_syndrome(self, name: str, disease_id: str | None = None) -> str | None:
        """Return the syndrome id for a name or alias (the 证 suffix optional), or None."""
        key = _strip_suffix(name.strip(), "证")
        if key in self.syndromes:
            return key
        if disease_id is not None:
            for syndrome in self.syndromes.values():
                names = [syndrome.name, *syndrome.aliases, *syndrome.scheme_names.values()]
                if syndrome.disease == disease_id and key in {_strip_suffix(n, "证") for n in names}:
                    return syndrome.id
        return self._syndrome_names.get(key)

    def syndromes_named(self, name: str) -> list[str]:
        """Return every syndrome id whose name, alias or school name is ``name`` (the 证 suffix optional)."""
        key = _strip_suffix(name.strip(), "证")
        matches = []
        for syndrome in self.syndromes.values():
            names = [syndrome.name, *syndrome.aliases, *syndrome.scheme_names.values()]
            if key == syndrome.id or key in {_strip_suffix(n, "证") for n in names}:
                matches.append(syndrome.id)
        return matches

    def herb_pinyin(self) -> dict[str, str]:
        """Herb name → its pinyin (``Herb.pinyin``), for English labels."""
        return {herb.name: herb.pinyin for herb in self.herbs.values()}

    def disease_western(self) -> dict[str, str]:
        """Disease name → its Western name (``Disease.western``), for English labels."""
        return {disease.name: disease.western for disease in self.diseases.values()}

    def resolve_formula(self, name: str) -> str | None:
        """Return the formula id for a name or alias (加减 suffix optional), or None."""
        key = _strip_suffix(name.strip(), "加减")
        return key if key in self.formulas else self._formula_names.get(key)


def _strip_suffix(text: str, suffix: str) -> str:
    return text[: -len(suffix)] if text.endswith(suffix) and len(text) > len(suffix) else text


def _format_error(error: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in item['loc']) or '(entry)'}: {item['msg']}" for item in error.errors())


def load_knowledge_base(directory: Path) -> KnowledgeBase:
    """Load every ``*.yaml`` file under a directory.

    Args:
        directory: The knowledge directory.

    Returns:
        The validated, indexed knowledge base. Cross-references are not checked here; see
        :func:`derm3r.kb.check.check_knowledge_base`.

    Raises:
        KnowledgeBaseError: On unreadable YAML, a file outside the places of the kinds, an entry of the
            wrong kind for its file, an invalid entry or a duplicate id.
    """
    if not directory.is_dir():
        raise KnowledgeBaseError(f"knowledge directory not found: {directory}")
    kb = KnowledgeBase()
    digest = hashlib.sha256()
    problems: list[str] = []
    for path in sorted(directory.rglob("*.yaml")):
        raw = path.read_bytes()
        relative = path.relative_to(directory).as_posix()
        digest.update(relative.encode() + b"\0" + raw)
        problems += _load_file(kb, relative, raw)
    if problems:
        raise KnowledgeBaseError("invalid knowledge base:\n  " + "\n  ".join(problems))
    kb.fingerprint = digest.hexdigest()[:16]
    kb.build_indexes()
    return kb


def _load_file(kb: KnowledgeBase, relative: str, raw: bytes) -> list[str]:
    """Validate one file's entries into ``kb``; return the problems found."""
    if expected_section(relative) is None:
        return [f"{relative}: not a place of any kind of knowledge (expected one of: {placement_help()})"]
    try:
        document = yaml.safe_load(raw) or {}
    except yaml.YAMLError as error:
        return [f"{relative}: not valid YAML ({error})"]
    if not isinstance(document, dict):
        return [f"{relative}: top level must be a mapping of sections"]
    problems: list[str] = []
    for section, entries in document.items():
        model = SECTION_MODELS.get(section)
        if model is None:
            problems.append(f"{relative}: unknown section {section!r} (expected one of {sorted(SECTION_MODELS)})")
            continue
        if not isinstance(entries, list):
            problems.append(f"{relative}: section {section!r} must be a list")
            continue
        target = kb.section(section)
        for index, raw_entry in enumerate(entries):
            wrong_place = misplaced(relative, section, raw_entry)
            if wrong_place:
                problems.append(wrong_place)
                continue
            label = raw_entry.get("id", f"#{index}") if isinstance(raw_entry, dict) else f"#{index}"
            try:
                entry = model.model_validate(raw_entry)
            except ValidationError as error:
                problems.append(f"{relative}: {section} {label}: {_format_error(error)}")
                continue
            entry_id = entry.id  # type: ignore[attr-defined]
            if entry_id in kb.origin:
                problems.append(f"{relative}: duplicate id {entry_id} (also in {kb.origin[entry_id]})")
                continue
            kb.origin[entry_id] = relative
            target[entry_id] = entry
    return problems
