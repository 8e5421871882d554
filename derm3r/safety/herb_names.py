"""Herbs named in free text: Chinese names and aliases, and the English, pinyin and Latin names.

A patient writes "对甘草过敏", "allergic to liquorice", "gan cao gives me a rash" or "Glycyrrhizae
Radix" for the same drug; the allergy check must remove 甘草 in every case. The names are the herb
data's (knowledge/herbs/: ``name``, ``aliases``, ``pinyin``, ``latin``, ``english``); this module only
indexes and matches them.
"""

from __future__ import annotations

import re

from derm3r.kb.loader import KnowledgeBase

_CHINESE_INDEX = "herb_name_index"
_FOREIGN_INDEX = "herb_foreign_name_index"


def herbs_named(kb: KnowledgeBase, text: str) -> list[str]:
    """Herb ids named in a (normalised, lower-case) text, in any of the herb data's names.

    Chinese names and aliases of two characters or more match anywhere, longest first, so "生地黄"
    is not also read as "地黄"; English, pinyin (spaced or run together) and Latin names match as
    whole words, longest first ("american ginseng" is 西洋参, not also 人参).

    Args:
        kb: The knowledge base.
        text: Simplified, lower-case text (derm3r.text.normalize).

    Returns:
        Herb ids in the order of the index, without repeats.
    """
    found, taken = [], text
    for name, herb_id in _chinese_index(kb):
        if name in taken:
            found.append(herb_id)
            taken = taken.replace(name, "□" * len(name))
    if re.search(r"[a-z]", taken):
        for pattern, herb_ids in _foreign_index(kb):
            taken, count = pattern.subn(lambda match: "□" * len(match.group(0)), taken)
            if count:
                found += herb_ids
    return list(dict.fromkeys(found))


def _chinese_index(kb: KnowledgeBase) -> list[tuple[str, str]]:
    index: list[tuple[str, str]] = kb.cache.get(_CHINESE_INDEX) or []
    if not index:
        index = sorted(
            ((name, herb.id) for herb in kb.herbs.values() for name in [herb.name, *herb.aliases] if len(name) >= 2),
            key=lambda item: -len(item[0]),
        )
        kb.cache[_CHINESE_INDEX] = index
    return index


def _foreign_index(kb: KnowledgeBase) -> list[tuple[re.Pattern[str], list[str]]]:
    """Whole-word patterns for every English, pinyin and Latin name, longest first; a name → all its herbs."""
    index: list[tuple[re.Pattern[str], list[str]]] = kb.cache.get(_FOREIGN_INDEX) or []
    if index:
        return index
    names: dict[str, list[str]] = {}
    for herb in kb.herbs.values():
        pinyin = herb.pinyin.lower().strip()
        forms = [*herb.english, pinyin, pinyin.replace(" ", ""), herb.latin]
        for form in forms:
            form = form.lower().strip()
            if len(form) >= 3 and herb.id not in names.setdefault(form, []):
                names[form].append(herb.id)
    for form in sorted(names, key=len, reverse=True):
        words = r"[\s-]*".join(re.escape(word) for word in re.split(r"[\s-]+", form))
        index.append((re.compile(rf"(?<![a-z]){words}(?![a-z])"), names[form]))
    kb.cache[_FOREIGN_INDEX] = index
    return index
