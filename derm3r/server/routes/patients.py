"""Patients and their visits: create, list, read, add a visit (pre-filled from the record), edit its plan, course."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from derm3r.schemas.consultation import Consultation
from derm3r.server.course import course_visit
from derm3r.server.deps import ServicesDep, SessionDep, enforce_photo_retention, require_token
from derm3r.server.record import (
    create_patient,
    delete_photo,
    edit_plan,
    get_patient,
    get_photo,
    get_visit,
    list_patients,
    patient_out,
)
from derm3r.server.routes.consult import CASE_BODY, run_consultation, sse, stream_events
from derm3r.server.routes.safety import check
from derm3r.server.schemas import (
    Course,
    PatientIn,
    PatientOut,
    PatientRecord,
    PlanEditIn,
    PrescriptionIn,
    SafetyCheckRequest,
    VisitOut,
)
from derm3r.server.uploads import CaseRequest, read_case_request
from derm3r.server.visits import prepare, store, uploaded_photos, visit_out

router = APIRouter(prefix="/api", tags=["patients"],
                   dependencies=[Depends(require_token), Depends(enforce_photo_retention)])


@router.post("/patients", status_code=201)
def create(data: PatientIn, services: ServicesDep) -> PatientOut:
    """Add a patient to the record."""
    return create_patient(services.sessions, data)


@router.get("/patients")
def index(
    session: SessionDep,
    q: Annotated[str, Query(max_length=200, description="Part of the name.")] = "",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[PatientOut]:
    """List patients, newest first."""
    return list_patients(session, q, limit, offset)


@router.get("/patients/{patient_id}")
def read(patient_id: int, session: SessionDep) -> PatientRecord:
    """A patient with every visit."""
    row = get_patient(session, patient_id)
    return PatientRecord(**patient_out(row, len(row.visits)).model_dump(),
                         visits=[visit_out(visit) for visit in row.visits])


async def _visit_request(request: Request, services: ServicesDep, patient_id: int) -> CaseRequest:
    parsed = await read_case_request(request, services.settings, wrapped="case")
    try:
        with services.sessions() as session:
            parsed.case = prepare(session, patient_id, parsed.case, parsed.fields.get("response_to_previous", ""))
    except BaseException:
        parsed.cleanup()
        raise
    return parsed


@router.post("/patients/{patient_id}/visits", status_code=201, openapi_extra=CASE_BODY)
async def add_visit(patient_id: int, request: Request, services: ServicesDep) -> VisitOut:
    """Consult on a follow-up visit: ``{"case": Case, "response_to_previous": "…"}`` or the same as a form.

    The case's ``previous_visits`` are filled from the record (syndrome, final plan, response) unless
    it brings its own, so DERM-Rep describes the change and DERM-Reason adjusts the last plan.
    """
    parsed = await _visit_request(request, services, patient_id)
    response = parsed.fields.get("response_to_previous", "")
    photos = uploaded_photos(parsed, services.settings.keep_photos)
    consultation = await run_consultation(services.system, parsed)
    return await run_in_threadpool(store, services.sessions, patient_id, parsed.case, consultation, response, photos)


@router.post("/patients/{patient_id}/visits/stream", openapi_extra=CASE_BODY)
async def add_visit_stream(patient_id: int, request: Request, services: ServicesDep) -> StreamingResponse:
    """As POST /visits, streaming ``agent`` events, then ``consultation``, then the stored ``visit``."""
    parsed = await _visit_request(request, services, patient_id)
    response = parsed.fields.get("response_to_previous", "")
    case = parsed.case
    photos = uploaded_photos(parsed, services.settings.keep_photos)

    def stored(consultation: Consultation) -> Iterator[str]:
        visit = store(services.sessions, patient_id, case, consultation, response, photos)
        yield sse("visit", visit.model_dump(mode="json"))

    return StreamingResponse(stream_events(services.system, parsed, stored), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache"})


@router.get("/visits/{visit_id}")
def read_visit(visit_id: int, session: SessionDep) -> VisitOut:
    """One visit: the case, the system's proposal, the final plan and its audit trail."""
    return visit_out(get_visit(session, visit_id))


@router.get("/visits/{visit_id}/photos/{name}", response_class=Response,
            responses={200: {"content": {"image/*": {}}, "description": "the photo as uploaded"}})
def read_photo(
    visit_id: int, name: Annotated[str, Path(max_length=200, pattern=r"^[\w.-]+$")], session: SessionDep
) -> Response:
    """A photo uploaded with the visit, as it was uploaded (the findings' ``source`` is ``image:<name>``)."""
    photo = get_photo(session, visit_id, name)
    return Response(photo.data, media_type=photo.media_type, headers={"Cache-Control": "private, max-age=86400"})


@router.delete("/visits/{visit_id}/photos/{name}", status_code=204, response_class=Response)
def remove_photo(
    visit_id: int, name: Annotated[str, Path(max_length=200, pattern=r"^[\w.-]+$")], services: ServicesDep
) -> Response:
    """Delete a photo kept with the visit; its findings (lesion outlines, measurements) stay in the record."""
    delete_photo(services.sessions, visit_id, name)
    return Response(status_code=204)


@router.put("/visits/{visit_id}/plan")
def put_plan(visit_id: int, edit: PlanEditIn, services: ServicesDep) -> VisitOut:
    """Store the clinician's final plan beside the system's proposal; the audit trail says who changed what."""
    from derm3r.schemas.case import Case

    with services.sessions() as session:
        visit = get_visit(session, visit_id)
        case = Case.model_validate(visit.case | {"images": []})
    result = check(services.system, SafetyCheckRequest(plan=PrescriptionIn(herbs=edit.herbs), case=case))
    return visit_out(edit_plan(services.sessions, visit_id, edit, result.model_dump(mode="json")))


@router.get("/patients/{patient_id}/course")
def course(patient_id: int, session: SessionDep) -> Course:
    """The course across visits: measurements and severity, syndrome, plan and how it changed."""
    row = get_patient(session, patient_id)
    visits = list(row.visits)
    return Course(
        patient=patient_out(row, len(visits)),
        visits=[course_visit(visit, visits[index - 1] if index else None) for index, visit in enumerate(visits)],
    )
