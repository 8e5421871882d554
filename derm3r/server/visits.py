"""A follow-up visit: the case pre-filled from the record, consulted, then stored."""

from __future__ import annotations

import mimetypes
from datetime import date
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from derm3r.schemas.case import Case
from derm3r.schemas.consultation import Consultation
from derm3r.server.course import plan_changes
from derm3r.server.db.models import PatientRow, VisitRow
from derm3r.server.record import Photo, add_visit, get_patient, previous_visits
from derm3r.server.schemas import VisitOut
from derm3r.server.uploads import CaseRequest


def visit_case(patient: PatientRow, case: Case, response_to_previous: str) -> Case:
    """The case with what the record knows: earlier visits (unless the case brings its own), sex, age, number.

    Args:
        patient: The patient with its visits loaded.
        case: The case as submitted.
        response_to_previous: How the last plan worked, as reported today.

    Returns:
        The completed, validated case.
    """
    data: dict[str, Any] = case.model_dump(mode="json", exclude_none=True)
    if not case.previous_visits and patient.visits:
        data["previous_visits"] = previous_visits(patient, response_to_previous)
    person = data.setdefault("patient", {})
    if patient.sex and "sex" not in person:
        person["sex"] = patient.sex
    if patient.birth_year and "age" not in person:
        year = _year(case.visit.date) or date.today().year
        person["age"] = max(0, year - patient.birth_year)
    visit = data.setdefault("visit", {})
    visit.setdefault("number", len(patient.visits) + 1)
    visit.setdefault("date", date.today().isoformat())
    return Case.model_validate(data)


def _year(text: str | None) -> int | None:
    head = (text or "")[:4]
    return int(head) if head.isdigit() else None


def prepare(session: Session, patient_id: int, case: Case, response_to_previous: str) -> Case:
    """Load the patient and complete the case (raises NotFoundError for an unknown patient)."""
    return visit_case(get_patient(session, patient_id), case, response_to_previous)


def uploaded_photos(parsed: CaseRequest, keep: bool = True) -> list[Photo]:
    """The request's uploaded photos, read before the consultation deletes their folder, to keep with the visit.

    Args:
        parsed: The parsed request.
        keep: Whether the server keeps photos at all (``ServerSettings.keep_photos``); False gives none.

    Returns:
        The photos to store, in the case's image order.
    """
    if parsed.folder is None or not keep:
        return []
    return [Photo(ref.path, mimetypes.guess_type(ref.path)[0] or "application/octet-stream",
                  (parsed.folder / ref.path).read_bytes()) for ref in parsed.case.images]


def store(
    sessions: sessionmaker[Session], patient_id: int, case: Case, consultation: Consultation, response: str,
    photos: list[Photo] | None = None,
) -> VisitOut:
    """Store the consulted visit (with its uploaded photos) and return it as the API shows it."""
    row: VisitRow = add_visit(sessions, patient_id, case.model_dump(mode="json"), consultation.model_dump(mode="json"),
                              response, photos or [])
    return visit_out(row)


def visit_out(row: VisitRow) -> VisitOut:
    """A stored visit as the API shows it, with how the clinician's final plan differs from the proposal."""
    visit = VisitOut.model_validate(row)
    if row.final_plan is not None:
        visit.changes_from_proposal = plan_changes(row.consultation.get("plan") or {}, row.final_plan)
    return visit
