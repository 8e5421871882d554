"""POST /api/consult and /api/consult/stream: one consultation on the same graph as ``derm3r consult``."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from derm3r.schemas.consultation import Consultation
from derm3r.server.deps import SettingsDep, SystemDep, require_token
from derm3r.server.uploads import CaseRequest, read_case_request

router = APIRouter(prefix="/api", tags=["consult"], dependencies=[Depends(require_token)])

AGENT_NAMES = {
    "recognize_lesions": "DERM-Rec",
    "represent_lesions": "DERM-Rep",
    "reason_holistically": "DERM-Reason",
    "check_safety": "Safety",
}

#: Both request forms, for /docs: a JSON Case, or a form with the Case and its images.
CASE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Case"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["case"],
                    "properties": {
                        "case": {"type": "string", "description": "The Case JSON; each images[].path names an "
                                 "uploaded file's file name."},
                        "images": {"type": "array", "items": {"type": "string", "format": "binary"}},
                    },
                }
            },
        },
    }
}


def consultation_response(consultation: Consultation) -> Response:
    """The Consultation JSON exactly as ``derm3r consult --json`` writes it."""
    return Response(consultation.model_dump_json(), media_type="application/json")


async def run_consultation(system: Any, parsed: CaseRequest) -> Consultation:
    """Run one consultation in a worker thread, deleting uploaded images afterwards."""
    try:
        consultation: Consultation = await run_in_threadpool(system.consult, parsed.case, parsed.folder)
        return consultation
    finally:
        parsed.cleanup()


@router.post("/consult", response_model=Consultation, openapi_extra=CASE_BODY)
async def consult(request: Request, system: SystemDep, settings: SettingsDep) -> Response:
    """Consult on a case: a JSON Case (text only), or multipart with ``case`` and image files."""
    parsed = await read_case_request(request, settings)
    return consultation_response(await run_consultation(system, parsed))


def sse(event: str, data: Any) -> str:
    """One server-sent event."""
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def merge_rec_updates(merged: dict[str, Any] | None, update: dict[str, Any]) -> dict[str, Any]:
    """DERM-Rec's per-source updates as one: findings and trace entries concatenated."""
    if merged is None:
        return {key: list(value) if isinstance(value, list) else value for key, value in update.items()}
    for key, value in update.items():
        if isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key] = [*merged[key], *value]
        else:
            merged[key] = value
    return merged


def agent_event(node: str, update: dict[str, Any]) -> str:
    """The ``agent`` event of one finished agent."""
    trace = update.get("trace") or []
    ms: float | None = trace[-1].ms if trace else None
    if node == "recognize_lesions" and trace:
        ms = sum(entry.ms or 0 for entry in trace)
    return sse("agent", {"node": node, "agent": AGENT_NAMES.get(node, node), "ms": ms,
                         "update": jsonable_encoder(update)})


def stream_events(
    system: Any, parsed: CaseRequest, after: Callable[[Consultation], Iterator[str]] | None = None
) -> Iterator[str]:
    """``agent`` events as each node finishes, then ``consultation`` and ``after``'s events (or ``error``)."""
    # DERM-Rec fans out per source (text, each photo): its updates become one event when the next agent starts.
    rec: dict[str, Any] | None = None
    try:
        for node, update in system.stream(parsed.case, parsed.folder):
            if node == "recognize_lesions":
                rec = merge_rec_updates(rec, update)
                continue
            if rec is not None:
                yield agent_event("recognize_lesions", rec)
                rec = None
            if node == "consultation":
                yield sse("consultation", update["consultation"].model_dump(mode="json"))
                if after is not None:
                    yield from after(update["consultation"])
            elif node in AGENT_NAMES:
                yield agent_event(node, update)
    except Exception as error:  # the stream has started: the error travels as an event, not a status code
        if rec is not None:
            yield agent_event("recognize_lesions", rec)
        yield sse("error", {"detail": f"{type(error).__name__}: {error}", "errors": []})
    finally:
        parsed.cleanup()


@router.post(
    "/consult/stream",
    openapi_extra=CASE_BODY,
    responses={200: {"content": {"text/event-stream": {}}, "description": "agent events, then the consultation"}},
)
async def consult_stream(request: Request, system: SystemDep, settings: SettingsDep) -> StreamingResponse:
    """Consult on a case, streaming one ``agent`` event per agent as it finishes, then ``consultation``."""
    parsed = await read_case_request(request, settings)
    return StreamingResponse(stream_events(system, parsed), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
