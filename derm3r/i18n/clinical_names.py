"""Clinical labels — disease, syndrome, treatment principle (治法), formula, herb — in the reader's language.

Chinese readers get the label as the knowledge base writes it. English readers get a readable form first and
the Chinese after it, because the Chinese name is what a TCM source, a pharmacy or a colleague will recognise:
the English name where the knowledge data has one (a disease's ``western`` name, ``银屑病 (psoriasis)``), the
herb's ``pinyin`` from the knowledge data, and otherwise pinyin (pypinyin, without tones, the style the herb
data uses). No label is translated by guesswork: a syndrome such as 血热内蕴证 has no agreed English name, so it
reads ``xue re nei yun zheng (血热内蕴证)``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_FULL_WIDTH = str.maketrans({"，": ", ", "、": ", ", "；": "; ", "：": ": ", "。": ". ", "（": " (", "）": ") "})
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([,;:.)])")
#: The four roles of a formula's herbs in their usual English renderings (Bensky, *Chinese Herbal Medicine:
#: Formulas & Strategies*, introduction).
_ROLES = {"君": "sovereign", "臣": "minister", "佐": "assistant", "使": "envoy"}
#: The English part of a Western name written "银屑病 (psoriasis)".
_ENGLISH_IN_PARENTHESES = re.compile(r"[(（]\s*([A-Za-z][^()（）]*?)\s*[)）]")


def has_chinese(text: str) -> bool:
    """Whether ``text`` holds a Chinese character (only such labels need a romanised form)."""
    return _CJK_RUN.search(text) is not None


@lru_cache(maxsize=4096)
def romanize(text: str) -> str:
    """Pinyin without tones for the Chinese in ``text``, one syllable per character; other text kept.

    Args:
        text: E.g. "清热凉血，解毒消斑".

    Returns:
        E.g. "qing re liang xue, jie du xiao ban".
    """
    from pypinyin import Style, lazy_pinyin

    pieces: list[str] = []
    position = 0
    for run in _CJK_RUN.finditer(text):
        pieces.append(text[position : run.start()].translate(_FULL_WIDTH))
        pieces.append(" " + " ".join(lazy_pinyin(run.group(), style=Style.NORMAL)) + " ")
        position = run.end()
    pieces.append(text[position:].translate(_FULL_WIDTH))
    joined = " ".join("".join(pieces).split())
    return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", joined)


def english_of_western(western: str) -> str:
    """The English part of a Western disease name ("银屑病 (psoriasis)" → "psoriasis"); "" when there is none."""
    if western and not has_chinese(western):
        return western.strip()
    found = _ENGLISH_IN_PARENTHESES.search(western or "")
    return found.group(1) if found else ""


class ClinicalNames:
    """Labels for one language; English readers get ``readable (中文)``."""

    def __init__(
        self,
        lang: str,
        herb_pinyin: Mapping[str, str] | None = None,
        disease_western: Mapping[str, str] | None = None,
    ) -> None:
        """Labels for ``lang``.

        Args:
            lang: ``zh`` or ``en``.
            herb_pinyin: Herb name → pinyin from the knowledge data (``Herb.pinyin``); names not in it are
                romanised.
            disease_western: Disease name → its Western name from the knowledge data (``Disease.western``), for
                diseases shown without one (the differential).
        """
        self.english = lang == "en"
        #: Between a name and its dose: "生地黄15g", "sheng di huang (生地黄) 15g".
        self.gap = " " if self.english else ""
        self._herb_pinyin = dict(herb_pinyin or {})
        self._disease_western = dict(disease_western or {})

    def _both(self, readable: str, chinese: str) -> str:
        return f"{readable} ({chinese})" if readable and readable != chinese else chinese

    def term(self, text: str) -> str:
        """A syndrome, treatment principle or formula name."""
        if not self.english or not has_chinese(text):
            return text
        return self._both(romanize(text), text)

    def herb(self, name: str) -> str:
        """A herb: its pinyin from the knowledge data when the name is the entry's own, else romanised."""
        if not self.english or not has_chinese(name):
            return name
        return self._both(self._herb_pinyin.get(name) or romanize(name), name)

    def role(self, role: str) -> str:
        """A herb's role in the formula (君臣佐使: sovereign, minister, assistant, envoy)."""
        return _ROLES.get(role, role) if self.english else role

    def disease(self, name: str, western: str = "") -> str:
        """A disease: the English of its Western name when the data has one, else pinyin; the Chinese after it.

        Args:
            name: The TCM name (白疕).
            western: The Western name as the knowledge base writes it ("银屑病 (psoriasis)").

        Returns:
            The label; in Chinese ``name western``.
        """
        if not self.english:
            return f"{name} {western}".strip()
        western = western or self._disease_western.get(name, "")
        english = english_of_western(western)
        chinese = " ".join(dict.fromkeys(part for part in (name, _chinese_of(western)) if part))
        if not has_chinese(chinese):
            return english or name
        return self._both(english or romanize(name), chinese)


def _chinese_of(text: str) -> str:
    return "".join(_CJK_RUN.findall(text))
