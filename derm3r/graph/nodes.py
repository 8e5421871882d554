"""The four nodes. Each takes the state and the runtime context and returns only its own fields."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Literal

from langgraph.runtime import Runtime

from derm3r.engines.base import ImageInput
from derm3r.graph.context import RunContext
from derm3r.graph.state import ConsultState
from derm3r.kb.queries import REP_PASSAGE_KIND, reason_query, rep_query
from derm3r.safety.check import run_safety_check
from derm3r.schemas.consultation import TraceEntry
from derm3r.schemas.findings import LesionRepresentation
from derm3r.schemas.plan import Assessment, TreatmentPlan


def _trace(
    runtime: Runtime[RunContext], agent: str, node: str, started: float, ids: list[str], note: str = ""
) -> TraceEntry:
    engine = runtime.context.engine
    return TraceEntry(
        agent=agent,
        node=node,
        engine=engine.name,
        adapter=engine.adapter_for(agent.lower().removeprefix("derm-")),
        knowledge_ids=ids,
        ms=round((time.perf_counter() - started) * 1000, 2),
        note=note,
    )


def recognize_lesions(state: ConsultState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    """DERM-Rec: findings from the case text, plus one set per image when images are given."""
    started = time.perf_counter()
    engine = runtime.context.engine
    findings = [engine.recognize(state.case, None)]
    base_dir = Path(state.case_dir) if state.case_dir else None
    for ref in state.case.images:
        image = ImageInput(ref, base_dir, runtime.context.settings.allow_images_outside_case_dir)
        findings.append(engine.recognize(state.case, image))
    note = f"{len(state.case.images)} image(s)" if state.case.images else "text only"
    return {"findings": findings, "trace": [_trace(runtime, "DERM-Rec", "recognize_lesions", started, [], note)]}


def represent_lesions(state: ConsultState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    """DERM-Rep: one patient-level representation and the pathogenesis the lesions suggest."""
    started = time.perf_counter()
    engine, store = runtime.context.engine, runtime.context.store
    passages = []
    wanted = engine.passages_wanted("rep")
    if store is not None and wanted > 0:
        query = rep_query(state.case, state.findings)
        passages = store.search(query, k=wanted, kind=REP_PASSAGE_KIND) if query else []
    representation = engine.represent(state.case, state.findings, passages)
    ids = [representation.pathogenesis_source] if representation.pathogenesis_source else []
    ids += [passage.id for passage in passages if passage.id not in ids]
    return {
        "representation": representation,
        "trace": [_trace(runtime, "DERM-Rep", "represent_lesions", started, ids)],
    }


def route_after_representation(state: ConsultState) -> Literal["reason_holistically", "check_safety"]:
    """Skip reasoning when no sign at all could be read: the safety check will abstain."""
    if state.representation is None or not state.representation.signs:
        return "check_safety"
    return "reason_holistically"


def reason_holistically(state: ConsultState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    """DERM-Reason: retrieve knowledge, differentiate the syndrome and plan treatment."""
    started = time.perf_counter()
    representation = state.representation or LesionRepresentation(summary="")
    passages = []
    store = runtime.context.store
    if store is not None:
        passages = store.search(reason_query(state.case, representation), k=runtime.context.settings.retrieval_k)
    result = runtime.context.engine.reason(state.case, representation, passages)
    return {
        "assessment": result.assessment,
        "plan": result.plan,
        "trace": [_trace(runtime, "DERM-Reason", "reason_holistically", started, result.knowledge_ids)],
    }


def check_safety(state: ConsultState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    """Deterministic safety check of the plan; runs after every engine and cannot be skipped."""
    started = time.perf_counter()
    plan, report = run_safety_check(
        runtime.context.knowledge,
        state.case,
        state.representation or LesionRepresentation(summary=""),
        state.assessment or Assessment(),
        state.plan or TreatmentPlan(),
        runtime.context.settings.min_confidence,
    )
    ids = sorted({finding.rule_id for finding in report.warnings if finding.rule_id})
    trace = _trace(runtime, "Safety", "check_safety", started, ids)
    trace.engine = "deterministic"
    trace.adapter = None
    return {"plan": plan, "safety": report, "assessment": state.assessment or Assessment(), "trace": [trace]}
