"""The nodes. Each takes its input and the runtime context and returns only the fields it owns."""

from __future__ import annotations

import time
from functools import cache
from pathlib import Path
from typing import Any, Literal

from langgraph.runtime import Runtime
from langgraph.types import Send

from derm3r.engines.base import ImageInput, Served
from derm3r.graph.context import ConsultContext
from derm3r.graph.resources import Resources, resources_for
from derm3r.graph.state import ConsultInput, ConsultState, RecTask
from derm3r.llm.retrieval import retrieve
from derm3r.llm.specs import AgentSpec, load_agent_specs
from derm3r.safety.check import run_safety_check
from derm3r.safety.reading import read_case
from derm3r.schemas.consultation import TraceEntry


@cache
def _agent(name: str) -> AgentSpec:
    """The packaged spec of an agent: its title and node name label the trace."""
    return load_agent_specs()[name]


def _context(runtime: Runtime[ConsultContext]) -> ConsultContext:
    # A run started without a context (e.g. from LangGraph Studio with none filled in) uses the defaults.
    return runtime.context if isinstance(runtime.context, ConsultContext) else ConsultContext()


def _resources(runtime: Runtime[ConsultContext]) -> Resources:
    return resources_for(_context(runtime))


def _trace(agent: str, served: Served[Any], started: float, ids: list[str], note: str = "") -> TraceEntry:
    spec = _agent(agent)
    return TraceEntry(
        agent=spec.title or spec.name,
        node=spec.node,
        engine=served.engine,
        adapter=served.adapter,
        knowledge_ids=ids,
        ms=round((time.perf_counter() - started) * 1000, 3),
        note="; ".join(part for part in (note, served.note) if part),
    )


def admit_case(state: ConsultInput, runtime: Runtime[ConsultContext]) -> dict[str, Any]:
    """Open the consultation: its case id, the engine that will answer, and the case text as the safety rules read it.

    The reading is done once here: Reason's knowledge engine weighs the referral rules it fires and the safety check
    refers on it, so neither reads the text again.
    """
    resources = _resources(runtime)
    return {
        "case_id": state.case.case_id,
        "engine": resources.engine.name,
        "reading": read_case(resources.knowledge, state.case),
    }


def send_sources(state: ConsultState) -> list[Send]:
    """Fan DERM-Rec out: one call for the case text, one per image, run in parallel."""
    sources = [None, *state.case.images]
    return [Send("recognize_lesions", RecTask(case=state.case, case_dir=state.case_dir, image=ref)) for ref in sources]


def recognize_lesions(task: RecTask, runtime: Runtime[ConsultContext]) -> dict[str, Any]:
    """DERM-Rec: findings from the case text, or from one image."""
    started = time.perf_counter()
    image = None
    if task.image is not None:
        base_dir = Path(task.case_dir) if task.case_dir else None
        image = ImageInput(task.image, base_dir, _context(runtime).allow_images_outside_case_dir)
    served = _resources(runtime).engine.recognize(task.case, image)
    note = "text" if task.image is None else f"image {task.image.path}"
    return {"findings": [served.value], "trace": [_trace("rec", served, started, [], note)]}


def represent_lesions(state: ConsultState, runtime: Runtime[ConsultContext]) -> dict[str, Any]:
    """DERM-Rep: one patient-level representation and the pathogenesis the lesions suggest."""
    started = time.perf_counter()
    resources = _resources(runtime)
    engine = resources.engine
    passages = retrieve(resources.store, engine.retrieval("rep"), state.case, findings=state.findings)
    served = engine.represent(state.case, state.findings, passages)
    representation = served.value
    ids = [representation.pathogenesis_source] if representation.pathogenesis_source else []
    ids += [passage.id for passage in passages if passage.id not in ids]
    return {"representation": representation, "trace": [_trace("rep", served, started, ids)]}


def route_after_representation(state: ConsultState) -> Literal["reason_holistically", "check_safety"]:
    """Skip reasoning when no sign at all could be read: the safety check will abstain."""
    return "reason_holistically" if state.representation.signs else "check_safety"


def reason_holistically(state: ConsultState, runtime: Runtime[ConsultContext]) -> dict[str, Any]:
    """DERM-Reason: retrieve knowledge, differentiate the syndrome and plan treatment."""
    started = time.perf_counter()
    resources = _resources(runtime)
    engine = resources.engine
    summary = state.representation.summary
    passages = retrieve(resources.store, engine.retrieval("reason"), state.case, summary=summary)
    served = engine.reason(state.case, state.representation, passages, state.reading)
    result = served.value
    trace = _trace("reason", served, started, result.knowledge_ids)
    return {"assessment": result.assessment, "plan": result.plan, "trace": [trace]}


def check_safety(state: ConsultState, runtime: Runtime[ConsultContext]) -> dict[str, Any]:
    """Deterministic safety check of the plan; runs after every engine and cannot be skipped.

    It owns the safety report and the checked plan (unknown herbs removed, doses capped, or none on abstention).
    """
    started = time.perf_counter()
    plan, report = run_safety_check(
        _resources(runtime).knowledge,
        state.case,
        state.representation,
        state.assessment,
        state.plan,
        _context(runtime).min_confidence,
        state.reading,
    )
    ids = sorted({finding.rule_id for finding in report.warnings if finding.rule_id})
    trace = TraceEntry(
        agent="Safety",
        node="check_safety",
        engine="deterministic",
        knowledge_ids=ids,
        ms=round((time.perf_counter() - started) * 1000, 3),
    )
    return {"plan": plan, "safety": report, "trace": [trace]}
