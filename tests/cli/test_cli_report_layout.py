"""The terminal report lists each sign once and wraps Chinese continuously at 80 columns (issue 18 item 3)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from derm3r.cli.report import render_consultation
from derm3r.clinic.sign_labels import implications, implied_by, shown_labels
from derm3r.i18n.clinical_names import ClinicalNames
from derm3r.i18n.line_breaks import display_width
from derm3r.schemas.findings import Sign

#: The case the issue was seen on: 「舌红苔薄黄」 gives 苔薄黄 and the 苔黄 it implies from the same words.
THIN_YELLOW = "银屑病三年，皮损鲜红，丘疱疹，疱疹，咽痛，舌红苔薄黄，脉滑数"
REPO = Path(__file__).resolve().parents[2]
BOX = re.compile(r"[│╭╮╰╯─\s]")
#: knowledge/lexicon/tongue.yaml: 苔薄黄 implies 苔薄 and 苔黄.
IMPLIES = {"tongue.coat_thin_yellow": ["tongue.coat_thin", "tongue.coat_yellow"]}


@pytest.fixture(scope="module")
def fast() -> Any:
    from derm3r import Derm3R

    return Derm3R(retrieval=False)


def _render(system: Any, lang: str, width: int = 80, case: Any = None) -> str:
    kb = system.knowledge
    consultation = system.consult(case or {"case_id": "text", "history": THIN_YELLOW})
    console = Console(width=width, record=True, color_system=None, file=open("/dev/null", "w"))  # noqa: SIM115
    render_consultation(consultation, console, lang, {h.name: h.pinyin for h in kb.herbs.values()},
                        {d.name: d.western for d in kb.diseases.values()},
                        implications(kb))
    return console.export_text()


def _sign(term: str, label: str, evidence: str, source: str = "history") -> Sign:
    return Sign(term=term, label=label, category="tongue_coat", source=source, evidence=evidence)


def test_a_sign_and_the_broader_sign_it_implies_from_the_same_words_show_once() -> None:
    signs = [_sign("tongue.coat_thin_yellow", "苔薄黄", "舌红苔薄黄"), _sign("tongue.coat_thin", "苔薄", "舌红苔薄黄"),
             _sign("tongue.coat_yellow", "苔黄", "舌红苔薄黄")]
    assert shown_labels(signs, IMPLIES) == ["苔薄黄"]
    assert implied_by(signs, IMPLIES)["tongue.coat_yellow"].label == "苔薄黄"


def test_a_broader_sign_read_from_other_words_or_alone_is_kept() -> None:
    other_words = [_sign("tongue.coat_thin_yellow", "苔薄黄", "舌红苔薄黄"),
                   _sign("tongue.coat_yellow", "苔黄", "黄苔")]
    assert shown_labels(other_words, IMPLIES) == ["苔薄黄", "苔黄"]
    assert shown_labels([_sign("tongue.coat_yellow", "苔黄", "舌红苔薄黄")], IMPLIES) == ["苔黄"]
    assert not implied_by(other_words, IMPLIES)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_findings_list_thin_yellow_coat_once_and_the_evidence_says_why_yellow_counts(fast: Any, lang: str) -> None:
    text = _render(fast, lang)
    flat = BOX.sub("", text)
    rec = flat[flat.index("DERM-Rec"):flat.index("DERM-Rep")]
    assert "苔薄黄" in rec and "苔黄" not in rec.replace("苔薄黄", "")
    # The syndrome still scores 苔黄 (knowledge/syndromes/psoriasis.yaml 血热内蕴证), so its evidence line stays,
    # marked with the sign it was read as.
    marker = "（据苔薄黄）" if lang == "zh" else "(impliedby苔薄黄)"
    assert f"苔黄(1.5){marker}" in flat


@pytest.mark.parametrize(("lang", "together"),
                         [("zh", "加减：鲜红 → 加紫草10g"), ("en", "huai hua (槐花) 10g（白疕血热")])
def test_a_modification_wraps_continuously_and_nothing_is_cut(fast: Any, lang: str, together: str) -> None:
    # Before, a Chinese run after a space went whole to the next line: "加减：鲜红 →" alone, "(槐花)" alone.
    text = _render(fast, lang)
    assert any(together in line for line in text.splitlines())
    assert max(display_width(line) for line in text.splitlines()) <= 80 and "…" not in text
    assert "凉血解毒消斑（常用加味，参《赵炳南临床经验集》凉血活血汤）。）" in BOX.sub("", text)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_herb_names_are_never_split_across_lines(fast: Any, lang: str) -> None:
    case = REPO / "examples" / "cases" / "ps-blood-heat-1.json"  # fifteen herbs and five modifications
    consultation = fast.consult(case)
    lines = _render(fast, lang, case=case).splitlines()
    names = ClinicalNames(lang, {h.name: h.pinyin for h in fast.knowledge.herbs.values()})
    for herb in consultation.plan.herbs:
        whole = f"{herb.name}{herb.dose_g:g}g" if lang == "zh" else names.herb(herb.name)
        assert sum(line.count(whole) for line in lines) >= 1, whole
