"""The committed example sets are data: examples/eval gold plans pinned to published sources, safety sets well formed.

The gold plans of examples/eval/psoriasis.jsonl were written from the published formulas (《方剂学》,
《重订严氏济生方》, 《疡科心得集》, 《疫疹一得》 …), not from derm3r's formula YAML: every herb of a line must
be named in the source text the line cites. Classical names differ from today's monograph names; the
mapping below is the editors' (赤苓 is 赤茯苓, 丹皮 牡丹皮, 小生地 生地黄, 川连 黄连).
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from derm3r.evaluation.lines import iter_lines, parse_line
from derm3r.schemas.case import Case

REPO = Path(__file__).resolve().parents[1]
EVAL = REPO / "examples" / "eval" / "psoriasis.jsonl"
CASES = REPO / "examples" / "cases"
SAFETY = REPO / "examples" / "safety"
CLASSICAL_NAMES = {"赤茯苓": "赤苓", "牡丹皮": "丹皮", "生地黄": "生地", "黄连": "川连"}


def _eval_lines() -> list:  # type: ignore[type-arg]
    parsed = [parse_line(number, raw) for number, raw in iter_lines(EVAL)]
    assert all(item.line is not None for item in parsed), [item.error for item in parsed if item.error]
    return [item.line for item in parsed]


def test_every_example_line_is_its_case_file_with_the_expected_syndrome() -> None:
    expected = yaml.safe_load((CASES / "expected.yaml").read_text(encoding="utf-8"))
    lines = _eval_lines()
    raw_cases = [json.loads(raw)["case"] for raw in EVAL.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == len(expected) == len(raw_cases) == 18
    for line, raw_case in zip(lines, raw_cases, strict=True):
        case_file = CASES / f"{line.case.case_id}.json"
        assert json.loads(case_file.read_text(encoding="utf-8")) == raw_case
        syndrome_id = expected[case_file.name]["syndrome"]
        assert syndrome_id.startswith("syn.psoriasis.")
        assert line.expert.disease == "白疕" and line.expert.syndrome.endswith("证")
        assert line.expert.treatment_principle and line.expert.pathogenesis


def test_every_gold_herb_is_named_by_the_cited_published_formula() -> None:
    for line in _eval_lines():
        source = line.source
        assert "方药：" in source, line.case.case_id
        formula_source = source[source.index("方药：") :]
        assert line.expert.formula.removesuffix("加减") in formula_source, line.case.case_id
        assert len(line.expert.herbs) >= 4
        for herb in line.expert.herbs:
            names = {herb.name, CLASSICAL_NAMES.get(herb.name, herb.name)}
            assert any(name in formula_source for name in names), (line.case.case_id, herb.name)
            assert herb.dose_g is None or herb.dose_g > 0


def test_textbook_taohong_siwu_is_the_published_six_herbs() -> None:
    # 《方剂学》: 桃红四物汤 = 四物汤 (熟地黄、当归、白芍、川芎) + 桃仁、红花 — not the psoriasis variant.
    stasis = [line for line in _eval_lines() if line.expert.syndrome == "气血瘀滞证"]
    assert len(stasis) == 3
    for line in stasis:
        assert {herb.name for herb in line.expert.herbs} == {"熟地黄", "当归", "白芍", "川芎", "桃仁", "红花"}


def test_safety_example_sets_are_well_formed() -> None:
    for name, flagged in (("red_flags.jsonl", True), ("ordinary.jsonl", False)):
        records = [json.loads(raw) for raw in (SAFETY / name).read_text(encoding="utf-8").splitlines() if raw]
        assert len(records) == 32, name
        ids = [record["case"]["case_id"] for record in records]
        assert len(set(ids)) == len(ids)
        for record in records:
            assert set(record) == {"case", "red_flag", "source"}
            assert record["red_flag"] is flagged and len(record["source"]) >= 2
            assert Case.model_validate(record["case"]).history
