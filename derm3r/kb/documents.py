"""Render knowledge entries as retrievable passages (text + metadata)."""

from __future__ import annotations

from dataclasses import dataclass

from derm3r.kb.loader import KnowledgeBase


@dataclass(frozen=True)
class Passage:
    """One retrievable knowledge passage."""

    id: str
    kind: str
    disease: str
    text: str
    score: float = 0.0


def build_passages(kb: KnowledgeBase) -> list[Passage]:
    """Write one passage per disease, syndrome, formula and herb.

    Args:
        kb: The knowledge base.

    Returns:
        Passages with ``kind`` and ``disease`` metadata for filtered search.
    """
    passages = []
    for disease in kb.diseases.values():
        text = f"{disease.name}（{disease.western}）。别名：{'、'.join(disease.synonyms)}。{disease.summary}"
        passages.append(Passage(disease.id, "disease", disease.id, text))
    formula_disease: dict[str, str] = {}
    for syndrome in kb.syndromes.values():
        signs = "、".join(kb.terms[sign.term].label for sign in syndrome.signs)
        formulas = "、".join(
            kb.formulas[link.formula].name for link in syndrome.formulas if link.formula in kb.formulas
        )
        text = (
            f"{kb.diseases[syndrome.disease].name if syndrome.disease in kb.diseases else ''}·{syndrome.name}"
            f"（{'、'.join(syndrome.aliases)}）。辨证要点：{signs}。病机：{syndrome.pathogenesis}"
            f"治法：{syndrome.treatment_principle}。方药：{formulas}。"
        )
        passages.append(Passage(syndrome.id, "syndrome", syndrome.disease, text))
        for link in syndrome.formulas:
            formula_disease.setdefault(link.formula, syndrome.disease)
    for formula in kb.formulas.values():
        herbs = "、".join(
            f"{kb.herbs[item.herb].name}{item.dose_g:g}g" for item in formula.herbs if item.herb in kb.herbs
        )
        text = f"{formula.name}（{formula.origin}）。功效：{formula.actions}。组成：{herbs}。"
        passages.append(Passage(formula.id, "formula", formula_disease.get(formula.id, ""), text))
    for herb in kb.herbs.values():
        text = (
            f"{herb.name}（{herb.pinyin}；{'、'.join(herb.aliases)}）。{herb.nature}{herb.flavour}，"
            f"归{'、'.join(herb.meridians)}经。用量{herb.dose_min_g:g}–{herb.dose_max_g:g}g。{herb.notes}"
        )
        passages.append(Passage(herb.id, "herb", "", text))
    return passages


def lexical_keywords(kb: KnowledgeBase) -> dict[str, str]:
    """Collect the extra surface forms of each entry that only the lexical (BM25) index sees.

    The dense index embeds the clinical passage alone, since a bag of colloquial and English
    synonyms would blur its sentence vector; BM25 scores terms independently, so it gains from
    every way a patient or an English-writing clinician may name the same sign.

    Args:
        kb: The knowledge base.

    Returns:
        Entry id → space-joined name (a second time, so that the name weighs like a title field) and
        synonyms (colloquial, literary, English, Latin, aliases).
    """
    keywords: dict[str, str] = {}
    for disease in kb.diseases.values():
        keywords[disease.id] = " ".join([disease.name, disease.western, *disease.synonyms])
    for syndrome in kb.syndromes.values():
        signs = _term_forms(kb, [sign.term for sign in syndrome.signs])
        forms = [syndrome.name, *syndrome.scheme_names.values(), *signs]
        keywords[syndrome.id] = " ".join(forms)
    for formula in kb.formulas.values():
        keywords[formula.id] = " ".join([formula.name, *formula.aliases])
    for herb in kb.herbs.values():
        keywords[herb.id] = " ".join([herb.name, herb.latin, *herb.aliases])
    return keywords


def _term_forms(kb: KnowledgeBase, term_ids: list[str]) -> list[str]:
    forms: list[str] = []
    for term_id in term_ids:
        term = kb.terms.get(term_id)
        if term is not None:
            forms.extend([term.english, *term.synonyms])
    return forms
