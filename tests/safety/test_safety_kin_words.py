"""Kin words and the patient's own clause (issue 14, fourth round): a relative's disease, however the relative is
called (我妈, 俺爹, 老公, my dad), is not the patient's now; the patient's own clause after it (我就是…, I have…) is;
a kin word inside a phrase that names no relative (大姨妈, 宝妈) opens nothing; and what follows a relative who only
came along is the patient's (和老公一起来的，怀孕12周: a missed pregnancy would let 三棱/莪术 through).
The fourth round's referral and look-alike wordings are in test_safety_red_flag_wordings.py.
The wordings are the editors' own, written for this file (not the data/safety sets).
"""

from __future__ import annotations

import pytest
from redflagkit import assert_referred_for, check_history

from derm3r.safety.patient_facts import read_patient_facts
from derm3r.schemas.case import Case
from derm3r.schemas.plan import FormulaRef, HerbDose, TreatmentPlan
from derm3r.text.clauses import split_clauses
from derm3r.text.normalize import normalize
from derm3r.text.scope import clause_scopes

PLAN = TreatmentPlan(formula=FormulaRef(name="消风散加减"), herbs=[HerbDose(name="荆芥", dose_g=10)])


@pytest.mark.parametrize(
    ("text", "relative", "patient"),
    [
        ("我妈有红斑狼疮，我就是脸上长痘痘", "红斑狼疮", "长痘痘"),
        ("俺爹起荨麻疹住过院，俺是头皮屑多", "荨麻疹", "头皮屑"),
        ("my dad has lupus, i have acne", "lupus", "acne"),
    ],
)
def test_a_colloquial_kin_word_opens_a_family_history_and_the_patients_clause_closes_it(
    text: str, relative: str, patient: str
) -> None:
    normalized = normalize(text)
    clauses = split_clauses(normalized, "history")
    scopes = clause_scopes(normalized, clauses)

    def scope_of(word: str) -> str:
        position = normalized.index(word)
        index = next(i for i, c in enumerate(clauses) if c.start <= position < c.end)
        scope, offset = scopes[index]
        return scope if position >= offset else (scopes[index - 1][0] if index else "present")

    assert scope_of(relative) == "family"
    assert scope_of(patient) == "present"


@pytest.mark.parametrize("text", ["每次大姨妈前长痘，嘴里和眼睛都烂了", "宝妈，产后两月，嘴里和眼睛都烂了"])
def test_a_kin_word_inside_a_phrase_that_names_no_relative_opens_nothing(kb, text: str) -> None:
    plan, report = check_history(kb, text, PLAN)
    assert_referred_for(kb, plan, report, "red_flag_rule.mucosa_two_sites")


@pytest.mark.parametrize(
    ("history", "pregnant"),
    [
        ("和老公一起来的，怀孕12周，脸上长痘", True),  # the husband is the companion, the pregnancy hers
        ("丈夫陪同就诊，孕8周", True),
        ("my husband came with me, I am 12 weeks pregnant", True),
        ("我老婆怀孕了，我脸上长痘", None),  # the wife's pregnancy is not the (male) patient's
        ("我姐怀孕三个月，我手上湿疹", None),
    ],
)
def test_a_relative_who_comes_along_does_not_hide_the_patients_pregnancy_a_relatives_is_not_hers(
    kb, history: str, pregnant: bool | None
) -> None:
    facts = read_patient_facts(kb, Case(case_id="pf", history=history))
    assert facts.pregnant is pregnant
