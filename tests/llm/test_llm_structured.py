"""Structured output: tolerant JSON extraction, validation errors, name resolution and the response cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from derm3r.llm.cache import ResponseCache
from derm3r.llm.resolve import resolve_reason_output
from derm3r.llm.schemas import ReasonOutput
from derm3r.llm.structured import OutputParseError, extract_json, parse_output
from derm3r.safety.check import run_safety_check
from derm3r.schemas.case import Case
from derm3r.schemas.findings import LesionFindings, LesionRepresentation

REASON_REPLY = {
    "assessment": {
        "disease": "白疕",
        "syndrome": {"name": "血热内蕴证", "confidence": 0.8},
        "differential": [{"name": "风火相煽证", "confidence": 0.1}],
        "treatment_principle": "清热凉血，解毒消斑",
        "knowledge_ids": ["syn.psoriasis.blood_heat", "made.up.id"],
    },
    "plan": {
        "formula": {"name": "犀角地黄汤加减"},
        "herbs": [
            {"name": "水牛角", "dose_g": 30, "role": "君"},
            {"name": "生地黄", "dose_g": 15, "role": "臣"},
            {"name": "龙肝凤髓", "dose_g": 10},
        ],
    },
}


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1}',
        '好的，结果如下：\n```json\n{"a": 1}\n```\n以上。',
        'Here you go: {"a": 1} hope it helps',
        '{"a": 1,}',
        '```\n{"a": 1, "b": [1, 2,],}\n```',
    ],
    ids=["plain", "fenced-with-prose", "leading-prose", "trailing-comma", "nested-trailing-commas"],
)
def test_extract_json_tolerates_fences_prose_and_trailing_commas(text: str) -> None:
    value = extract_json(text)
    assert isinstance(value, dict) and value["a"] == 1


def test_extract_json_refuses_text_without_json() -> None:
    with pytest.raises(OutputParseError, match="no parseable JSON"):
        extract_json("我无法回答这个问题")


def test_validation_errors_name_the_field() -> None:
    with pytest.raises(OutputParseError, match=r"stage: Input should be"):
        parse_output('{"summary": "x", "stage": "发作期"}', LesionRepresentation)
    assert parse_output('{"source": "text", "color": ["鲜红"]}', LesionFindings).color == ["鲜红"]


def test_names_resolve_against_the_knowledge_base_and_unknown_ones_are_flagged(kb) -> None:  # type: ignore[no-untyped-def]
    output = ReasonOutput.model_validate(REASON_REPLY)
    resolved, notes = resolve_reason_output(kb, output)
    assert resolved.assessment.disease_id == "disease.psoriasis"
    assert resolved.assessment.syndrome is not None
    assert resolved.assessment.syndrome.id == "syn.psoriasis.blood_heat"
    assert resolved.plan.formula is not None and resolved.plan.formula.id == "formula.xijiao_dihuang_tang"
    ids = {herb.name: herb.herb_id for herb in resolved.plan.herbs}
    assert ids == {"水牛角": "herb.shui_niu_jiao", "生地黄": "herb.sheng_di_huang", "龙肝凤髓": None}
    assert any("龙肝凤髓" in note for note in notes) and any("龙肝凤髓" in note for note in resolved.plan.notes)
    assert resolved.assessment.knowledge_ids == ["syn.psoriasis.blood_heat"]
    # The safety check then removes the unknown herb and says so.
    plan, report = run_safety_check(
        kb,
        Case(case_id="r"),
        LesionRepresentation(summary="x"),
        resolved.assessment,
        resolved.plan,
        0.35,
    )
    assert "龙肝凤髓" not in {herb.name for herb in plan.herbs}
    assert any(finding.rule_id == "herb.unknown" and "龙肝凤髓" in finding.herbs for finding in report.warnings)


def test_response_cache_round_trip_and_sampling_rule(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "c")
    key = ResponseCache.key("m", "rec", {"messages": [["user", "x"]]})
    assert key != ResponseCache.key("m", "rep", {"messages": [["user", "x"]]})
    assert key != ResponseCache.key("m2", "rec", {"messages": [["user", "x"]]})
    assert cache.get(key) is None
    cache.put(key, "回复")
    assert cache.get(key) == "回复"
    assert (cache.hits, cache.misses) == (1, 1)
    assert ResponseCache.usable(0.0) and not ResponseCache.usable(0.7)
