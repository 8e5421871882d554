"""Reading and writing the patient record; every write is one short transaction that cannot lose another's."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, selectinload, sessionmaker, undefer

from derm3r.schemas.plan import TreatmentPlan
from derm3r.server.course import plan_changes, plan_in_force
from derm3r.server.db.models import PatientRow, PlanEditRow, VisitPhotoRow, VisitRow
from derm3r.server.errors import FieldError
from derm3r.server.schemas import PatientIn, PatientOut, PlanEditIn

#: A visit number taken by a concurrent writer is retried this many times (then the error is reported).
MAX_WRITE_ATTEMPTS = 8


class Photo(NamedTuple):
    """An uploaded photo to keep with its visit: the name the stored case gives it, its media type, its bytes."""

    name: str
    media_type: str
    data: bytes


class NotFoundError(FieldError):
    """A patient or visit id that the record does not hold."""

    def __init__(self, field: str, ident: int) -> None:
        super().__init__(field, f"no record with id {ident}", 404)


class ConflictError(FieldError):
    """An edit made on a version of the visit that another edit has replaced."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(field, message, 409)


def patient_out(row: PatientRow, visit_count: int) -> PatientOut:
    """The API view of a patient row."""
    return PatientOut(id=row.id, name=row.name, sex=row.sex, birth_year=row.birth_year, notes=row.notes,  # type: ignore[arg-type]
                      created_at=row.created_at, visit_count=visit_count)


def create_patient(sessions: sessionmaker[Session], data: PatientIn) -> PatientOut:
    """Add a patient."""
    with sessions.begin() as session:
        row = PatientRow(name=data.name, sex=data.sex, birth_year=data.birth_year, notes=data.notes,
                         created_at=datetime.now(UTC))
        session.add(row)
        session.flush()
        return patient_out(row, 0)


def list_patients(session: Session, query: str = "", limit: int = 100, offset: int = 0) -> list[PatientOut]:
    """Patients, newest first, optionally those whose name contains ``query``."""
    counts = select(VisitRow.patient_id, func.count(VisitRow.id).label("n")).group_by(VisitRow.patient_id).subquery()
    statement = select(PatientRow, func.coalesce(counts.c.n, 0)).outerjoin(counts, counts.c.patient_id == PatientRow.id)
    if query:
        statement = statement.where(PatientRow.name.contains(query))
    statement = statement.order_by(PatientRow.id.desc()).limit(limit).offset(offset)
    return [patient_out(row, int(count)) for row, count in session.execute(statement).all()]


def get_patient(session: Session, patient_id: int) -> PatientRow:
    """A patient with its visits (oldest first) and their edits.

    Raises:
        NotFoundError: When there is no such patient.
    """
    statement = (
        select(PatientRow)
        .where(PatientRow.id == patient_id)
        .options(selectinload(PatientRow.visits).selectinload(VisitRow.edits),
                 selectinload(PatientRow.visits).selectinload(VisitRow.photos))
    )
    row = session.scalars(statement).first()
    if row is None:
        raise NotFoundError("patient_id", patient_id)
    return row


def get_visit(session: Session, visit_id: int) -> VisitRow:
    """A visit with its edits.

    Raises:
        NotFoundError: When there is no such visit.
    """
    statement = select(VisitRow).where(VisitRow.id == visit_id).options(selectinload(VisitRow.edits),
                                                                        selectinload(VisitRow.photos))
    row = session.scalars(statement).first()
    if row is None:
        raise NotFoundError("visit_id", visit_id)
    return row


def get_photo(session: Session, visit_id: int, name: str) -> VisitPhotoRow:
    """A visit's photo with its bytes.

    Raises:
        FieldError: 404 when the visit has no photo of that name.
    """
    statement = select(VisitPhotoRow).where(VisitPhotoRow.visit_id == visit_id, VisitPhotoRow.name == name)
    row = session.scalars(statement.options(undefer(VisitPhotoRow.data))).first()
    if row is None:
        raise FieldError("name", f"visit {visit_id} has no photo named {name!r}", 404)
    return row


def delete_photo(sessions: sessionmaker[Session], visit_id: int, name: str) -> None:
    """Remove a photo from its visit for good (a patient may withdraw consent to keeping it).

    The visit keeps its findings, so the saved view still draws the lesion outlines, over a blank frame.

    Raises:
        FieldError: 404 when the visit has no photo of that name.
    """
    with sessions.begin() as session:
        statement = select(VisitPhotoRow).where(VisitPhotoRow.visit_id == visit_id, VisitPhotoRow.name == name)
        row = session.scalars(statement).first()
        if row is None:
            raise FieldError("name", f"visit {visit_id} has no photo named {name!r}", 404)
        session.delete(row)


def previous_visits(patient: PatientRow, response_now: str) -> list[dict[str, Any]]:
    """The record's visits as ``Case.previous_visits`` (oldest first): syndrome, final plan and response.

    The response to a visit's plan is what the next visit reported; for the last visit it is
    ``response_now``, what the patient reports today.

    Args:
        patient: The patient with its visits loaded.
        response_now: Today's report of how the last plan worked.

    Returns:
        PreviousVisit dicts.
    """
    visits = list(patient.visits)
    items = []
    for index, visit in enumerate(visits):
        consultation = visit.consultation
        plan = plan_in_force(visit)
        syndrome = ((consultation.get("assessment") or {}).get("syndrome") or {}).get("name") or ""
        response = visits[index + 1].response_to_previous if index + 1 < len(visits) else response_now
        items.append({
            "visit": {"date": visit.date, "number": visit.number},
            "summary": (consultation.get("representation") or {}).get("summary", ""),
            "syndrome": syndrome,
            "plan": {"formula": plan.get("formula"), "herbs": [
                {"name": herb["name"], "dose_g": herb.get("dose_g")} for herb in plan.get("herbs", [])
            ]},
            "response": response,
        })
    return items


def add_visit(
    sessions: sessionmaker[Session],
    patient_id: int,
    case: dict[str, Any],
    consultation: dict[str, Any],
    response_to_previous: str,
    photos: Sequence[Photo] = (),
) -> VisitRow:
    """Store a visit (and its photos) under the next free number; a number taken meanwhile is retried.

    Raises:
        NotFoundError: When there is no such patient.
        OperationalError: When the database stays busy through every attempt.
    """
    for attempt in range(MAX_WRITE_ATTEMPTS):
        try:
            with sessions.begin() as session:
                # The row lock (PostgreSQL) / BEGIN IMMEDIATE (SQLite) orders writers for one patient.
                if session.get(PatientRow, patient_id, with_for_update=True) is None:
                    raise NotFoundError("patient_id", patient_id)
                last = session.scalar(select(func.max(VisitRow.number)).where(VisitRow.patient_id == patient_id))
                number = (last or 0) + 1
                stored_case = {**case, "visit": {**(case.get("visit") or {}), "number": number}}
                row = VisitRow(patient_id=patient_id, number=number, date=(case.get("visit") or {}).get("date"),
                               response_to_previous=response_to_previous, case=stored_case,
                               consultation=consultation, version=1, created_at=datetime.now(UTC))
                row.photos = [VisitPhotoRow(name=photo.name, media_type=photo.media_type, data=photo.data)
                              for photo in photos]
                session.add(row)
                session.flush()
                session.refresh(row, ["edits", "photos"])
                return row
        except (IntegrityError, OperationalError):
            if attempt == MAX_WRITE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def edit_plan(
    sessions: sessionmaker[Session], visit_id: int, edit: PlanEditIn, final_safety: dict[str, Any]
) -> VisitRow:
    """Store the clinician's plan beside the system's proposal, with an audit entry of what changed.

    Raises:
        NotFoundError: When there is no such visit.
        ConflictError: When ``edit.base_version`` is not the visit's current version.
    """
    with sessions.begin() as session:
        row = session.get(VisitRow, visit_id, with_for_update=True)
        if row is None:
            raise NotFoundError("visit_id", visit_id)
        if edit.base_version is not None and edit.base_version != row.version:
            raise ConflictError("base_version", f"the visit is at version {row.version}, the edit was made on "
                                f"version {edit.base_version}; reload and edit again")
        before = plan_in_force(row)
        after = final_plan(row.consultation.get("plan") or {}, edit)
        row.final_plan = after
        row.final_safety = final_safety
        row.version += 1
        session.add(PlanEditRow(visit_id=row.id, editor=edit.editor, at=datetime.now(UTC),
                                changes=plan_changes(before, after), plan=after, version=row.version))
        session.flush()
        session.refresh(row, ["edits", "photos"])
        return row


def final_plan(proposal: dict[str, Any], edit: PlanEditIn) -> dict[str, Any]:
    """The system's plan with the clinician's formula, herbs and note, validated as a TreatmentPlan."""
    data = dict(proposal)
    data["herbs"] = [herb.model_dump(exclude_none=True) for herb in edit.herbs]
    if edit.formula is not None:
        data["formula"] = {**(proposal.get("formula") or {}), "name": edit.formula} if edit.formula else None
    if edit.notes:
        data["notes"] = [*proposal.get("notes", []), f"医师备注：{edit.notes}"]
    return TreatmentPlan.model_validate(data).model_dump(mode="json")
