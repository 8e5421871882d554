"""The LangGraph pipeline: node order, streaming, trace, routing and the output format."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CASE = REPO / "examples" / "cases" / "ps-blood-heat-2.json"
NODES = ["recognize_lesions", "represent_lesions", "reason_holistically", "check_safety"]


def test_stream_yields_each_agent_in_order_then_the_consultation(system) -> None:
    images = len(json.loads(CASE.read_text(encoding="utf-8")).get("images", []))
    events = list(system.stream(CASE))
    # DERM-Rec runs once for the text and once per image (fanned out with Send), then each agent once.
    rec = ["recognize_lesions"] * (1 + images)
    assert [node for node, _ in events] == ["admit_case", *rec, *NODES[1:], "consultation"]
    consultation = events[-1][1]["consultation"]
    assert [entry.node for entry in consultation.trace] == [*rec, *NODES[1:]]
    assert consultation.findings[0].source == "text"
    assert all(entry.ms >= 0 for entry in consultation.trace)
    assert consultation.trace[0].engine == "knowledge" and consultation.trace[-1].engine == "deterministic"
    assert consultation == system.consult(CASE).model_copy(update={"trace": consultation.trace})


def test_reason_trace_names_exactly_the_knowledge_it_used(system) -> None:
    consultation = system.consult(CASE)
    reason = next(entry for entry in consultation.trace if entry.node == "reason_holistically")
    assessment = consultation.assessment
    # The knowledge engine shows as evidence the entries its decision used, and retrieves nothing else.
    used = [assessment.disease_id, assessment.syndrome.id, consultation.plan.formula.id]
    assert reason.knowledge_ids[:2] == used[:2] and used[2] in reason.knowledge_ids
    assert set(reason.knowledge_ids) <= {*system.knowledge.diseases, *system.knowledge.syndromes,
                                         *system.knowledge.formulas}
    assert reason.knowledge_ids == assessment.knowledge_ids


def test_case_with_no_readable_sign_skips_reasoning(system) -> None:
    consultation = system.consult({"case_id": "empty", "history": "来诊"})
    assert [entry.node for entry in consultation.trace] == ["recognize_lesions", "represent_lesions", "check_safety"]
    assert consultation.safety.abstained and consultation.safety.questions


def test_consultation_json_has_every_field_other_tools_read(system) -> None:
    data = json.loads(system.consult(CASE).model_dump_json())
    assert data["case_id"] == "ps-blood-heat-2" and data["engine"] == "knowledge"
    assert isinstance(data["findings"], list)
    for key in ("summary", "pathogenesis"):
        assert isinstance(data["representation"][key], str)
    assessment = data["assessment"]
    assert assessment["disease"] and assessment["syndrome"]["name"]
    assert 0 <= assessment["syndrome"]["confidence"] <= 1
    assert isinstance(assessment["differential"], list) and assessment["treatment_principle"]
    assert data["plan"]["formula"]["name"]
    assert {"name", "dose_g", "role"} <= set(data["plan"]["herbs"][0])
    assert isinstance(data["plan"]["modifications"], list)
    for key in ("warnings", "red_flags", "abstained", "reason"):
        assert key in data["safety"]
    assert isinstance(data["trace"], list)


def test_langgraph_json_points_at_a_compiled_graph() -> None:
    config = json.loads((REPO / "langgraph.json").read_text(encoding="utf-8"))
    module_path, attribute = config["graphs"]["derm3r"].split(":")
    module_name = module_path.removeprefix("./").removesuffix(".py").replace("/", ".")
    graph = getattr(importlib.import_module(module_name), attribute)
    assert set(NODES) <= set(graph.get_graph().nodes)


def test_batch_of_cases_runs_through_the_graph_concurrently(system) -> None:
    from derm3r.graph.build import build_graph
    from derm3r.schemas.case import Case

    cases = [Case(case_id=f"b{i}", history="银屑病，皮损鲜红，新发不断", tongue="舌红苔黄") for i in range(3)]
    states = [{"case": case} for case in cases]
    results = build_graph().batch(states, context=system.context)
    assert [r["case_id"] for r in results] == ["b0", "b1", "b2"]
    assert all(r["assessment"].syndrome.id == "syn.psoriasis.blood_heat" for r in results)


def test_the_case_text_is_read_for_the_safety_rules_once_per_consultation(system, monkeypatch) -> None:
    # Reason's knowledge engine weighs the referral rules and the safety check refers on them: both use the one
    # reading the graph makes, instead of reading red-flag findings and patient facts again.
    from derm3r.safety import patient_facts, red_flag_signs

    calls = {"findings": 0, "facts": 0}

    def counted(name: str, function):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            calls[name] += 1
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(red_flag_signs, "extract_fields", counted("findings", red_flag_signs.extract_fields))
    monkeypatch.setattr(patient_facts, "_clauses", counted("facts", patient_facts._clauses))
    consultation = system.consult(CASE)
    assert [entry.node for entry in consultation.trace][-2:] == ["reason_holistically", "check_safety"]
    assert calls == {"findings": 1, "facts": 1}
