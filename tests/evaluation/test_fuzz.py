"""Property-based tests: no input crashes the system, and the safety invariants always hold."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from derm3r.case_io import parse_case
from derm3r.errors import CaseInputError
from derm3r.safety.audit import forbidden_pairs
from derm3r.safety.check import run_safety_check
from derm3r.schemas.case import Case
from derm3r.schemas.findings import LesionRepresentation
from derm3r.schemas.plan import Assessment, FormulaRef, HerbDose, SyndromeCall, TreatmentPlan
from derm3r.text.extract import LexiconMatcher
from derm3r.text.signs import extract_signs

CLINICAL_TEXT = st.text(
    alphabet=st.sampled_from(
        list("无不未否认非没有但伴皮损鲜红淡暗紫鳞屑银白厚薄痒舌苔黄腻脉弦滑数细涩发热关节痛，。、；: abc")
    ),
    max_size=120,
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
CASE_KEYS = st.sampled_from(
    ["case_id", "patient", "visit", "history", "symptoms", "tongue", "pulse", "images", "previous_visits", "extra"]
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(CASE_KEYS, JSON_VALUES, max_size=6) | JSON_VALUES)
def test_any_json_is_a_case_or_a_named_error(data: Any) -> None:
    try:
        case = parse_case(data)
    except CaseInputError as error:
        assert "field '" in str(error) or "JSON object" in str(error)
    else:
        assert isinstance(case, Case) and case.case_id


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=CLINICAL_TEXT, field=st.sampled_from(["history", "pulse", "tongue"]))
def test_extraction_never_crashes_and_never_both_affirms_and_denies(kb, text: str, field: str) -> None:
    signs = extract_signs(kb, LexiconMatcher(kb.terms.values()), {field: text})
    assert not signs.present_ids & {s.term for s in signs.negated}
    assert all(s.term in kb.terms for s in signs.present)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_checked_plan_never_holds_a_forbidden_pair_or_banned_herb(kb, data: st.DataObject) -> None:
    herb_ids = sorted(kb.herbs)
    rule_herbs = sorted({h for r in kb.incompatibilities.values() for h in [*r.herbs_a, *r.herbs_b]})
    chosen = data.draw(st.lists(st.sampled_from(herb_ids + rule_herbs * 2), min_size=1, max_size=12))
    doses = data.draw(st.lists(st.floats(0.1, 120), min_size=len(chosen), max_size=len(chosen)))
    herbs = [
        HerbDose(name=data.draw(st.sampled_from([kb.herbs[h].name, *kb.herbs[h].aliases])), dose_g=d)
        for h, d in zip(chosen, doses, strict=True)
    ]
    herbs.append(HerbDose(name=data.draw(st.text(min_size=1, max_size=4)), dose_g=5))  # maybe unknown
    pregnant = data.draw(st.booleans())
    age = data.draw(st.one_of(st.none(), st.floats(0, 100)))
    case = Case(case_id="fuzz", patient={"sex": "F", "age": age, "pregnant": pregnant})
    assessment = Assessment(
        disease="白疕", disease_id="disease.psoriasis", syndrome=SyndromeCall(id=None, name="x", confidence=1.0)
    )
    plan = TreatmentPlan(formula=FormulaRef(name="fuzz"), herbs=herbs)
    checked, report = run_safety_check(kb, case, LesionRepresentation(summary=""), assessment, plan, 0.0)
    ids = [h.herb_id for h in checked.herbs]
    assert all(i in kb.herbs for i in ids)
    assert len(ids) == len(set(ids))
    assert forbidden_pairs(kb, set(ids)) == []  # type: ignore[arg-type]
    if pregnant:
        assert all(kb.herbs[i].pregnancy != "forbidden" for i in ids)  # type: ignore[index]
    for herb in checked.herbs:
        entry = kb.herbs[herb.herb_id]  # type: ignore[index]
        if entry.toxicity in ("moderate", "high"):
            assert herb.dose_g <= entry.dose_max_g + 1e-9
    assert report.abstained == (checked.herbs == [])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=CLINICAL_TEXT, tongue=CLINICAL_TEXT)
def test_whole_consultation_never_crashes_on_free_text(system, history: str, tongue: str) -> None:
    consultation = system.consult({"case_id": "fuzz", "history": history, "tongue": tongue})
    if consultation.safety.abstained:
        assert consultation.plan.herbs == [] and consultation.safety.reason
