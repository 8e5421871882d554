"""Expert and system names resolved to knowledge-base keys (aliases, 证/加减 suffixes), memoised per knowledge base.

Scoring compares what the expert wrote with what the system called by key, so 犀角地黄汤加减 meets
清热凉血汤's alias and 血热证 meets the id ``psoriasis.blood_heat``.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field

from derm3r.kb.loader import KnowledgeBase

#: Separators of a combined syndrome such as 血虚风燥证、寒湿痹阻证 or 血热证兼湿.
SYNDROME_SEPARATORS = re.compile(r"[、，,;；]|和|兼")


def _strip(text: str, suffix: str) -> str:
    text = text.strip()
    return text[: -len(suffix)] if text.endswith(suffix) and len(text) > len(suffix) else text


@dataclass
class NameMemo:
    """What scoring resolved in one knowledge base; names repeat across cases, so each is resolved once."""

    names: dict[tuple[str, str, str | None], str] = field(default_factory=dict)  # (kind, name, disease id) → key
    herbs: dict[str, str] = field(default_factory=dict)  # herb name → key, the most frequent lookup, untupled
    syndrome_sets: dict[tuple[str, str | None], frozenset[str]] = field(default_factory=dict)


#: Per knowledge base, keyed by id() because KnowledgeBase is an unhashable dataclass; a finalizer drops the
#: entry with the knowledge base so a reused id cannot see stale keys.
_MEMOS: dict[int, NameMemo] = {}


def name_memo(kb: KnowledgeBase) -> NameMemo:
    """The memo of names resolved in ``kb`` (created on first use, dropped with the knowledge base)."""
    memo = _MEMOS.get(id(kb))
    if memo is None:
        memo = _MEMOS[id(kb)] = NameMemo()
        weakref.finalize(kb, _MEMOS.pop, id(kb), None)
    return memo


def _names(kb: KnowledgeBase) -> dict[tuple[str, str, str | None], str]:
    return name_memo(kb).names


def resolved(kb: KnowledgeBase, kind: str, name: str, disease_id: str | None, resolve: Callable[[], str]) -> str:
    """``resolve()``'s answer for ``(kind, name, disease_id)`` in ``kb``, computed once per knowledge base.

    Args:
        kb: The knowledge base the answer belongs to.
        kind: What is resolved ("disease", "syndrome", "formula", …), so equal names of two kinds stay apart.
        name: The name as written.
        disease_id: The disease the name is read in, None when it does not matter.
        resolve: Computes the answer on a miss.

    Returns:
        The memoised answer.
    """
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

    return resolved(kb, "disease", expert_disease, None, resolve) or None


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

    return resolved(kb, "syndrome", name, disease_id, resolve)


def syndrome_set(kb: KnowledgeBase, text: str, disease_id: str | None = None) -> set[str]:
    """Resolve every part of a (possibly combined) syndrome to a key.

    Args:
        kb: The knowledge base.
        text: The syndrome text.
        disease_id: Disease used to disambiguate names shared across diseases.

    Returns:
        The set of syndrome keys.
    """
    cache = name_memo(kb).syndrome_sets
    keys = cache.get((text, disease_id))
    if keys is None:
        keys = frozenset(syndrome_key(kb, part, disease_id) for part in split_syndromes(text))
        cache[(text, disease_id)] = keys
    return set(keys)


def formula_key(kb: KnowledgeBase, name: str) -> str:
    """A formula's knowledge-base id, or its name without 加减 when unknown."""
    return resolved(kb, "formula", name, None, lambda: kb.resolve_formula(name) or _strip(name, "加减"))


def herb_key(kb: KnowledgeBase, name: str) -> str:
    """A herb's knowledge-base id (aliases and processing prefixes resolved), else the raw name."""
    herbs = name_memo(kb).herbs
    key = herbs.get(name)
    if key is None:
        key = herbs[name] = kb.resolve_herb(name) or name.strip()
    return key


def syndrome_label(kb: KnowledgeBase, text: str, disease_id: str | None = None) -> str:
    """A display label of a (combined) syndrome with canonical names where the knowledge base knows them."""
    names = []
    for key in sorted(syndrome_set(kb, text, disease_id)):
        entry = kb.syndromes.get(key)
        names.append(entry.name if entry is not None else key)
    return "、".join(names)
