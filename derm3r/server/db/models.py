"""The patient record: patients, their visits with their photos, and every edit a clinician made to a plan."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utc_now() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base of the record's tables."""


class PatientRow(Base):
    """One patient."""

    __tablename__ = "patients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    sex: Mapped[str | None] = mapped_column(String(1), nullable=True)
    birth_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    visits: Mapped[list[VisitRow]] = relationship(
        back_populates="patient", order_by="VisitRow.number", cascade="all, delete-orphan"
    )


class VisitRow(Base):
    """One visit: the case as given, the system's consultation, and the clinician's final plan."""

    __tablename__ = "visits"
    __table_args__ = (UniqueConstraint("patient_id", "number", name="uq_visit_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    date: Mapped[str | None] = mapped_column(String(40), nullable=True)
    response_to_previous: Mapped[str] = mapped_column(Text, default="")
    case: Mapped[dict[str, Any]] = mapped_column(JSON)
    consultation: Mapped[dict[str, Any]] = mapped_column(JSON)
    final_plan: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    final_safety: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    patient: Mapped[PatientRow] = relationship(back_populates="visits")
    edits: Mapped[list[PlanEditRow]] = relationship(
        back_populates="visit", order_by="PlanEditRow.id", cascade="all, delete-orphan"
    )
    photos: Mapped[list[VisitPhotoRow]] = relationship(
        back_populates="visit", order_by="VisitPhotoRow.id", cascade="all, delete-orphan"
    )


class PlanEditRow(Base):
    """An audit entry: who changed a visit's plan, when, and what changed."""

    __tablename__ = "plan_edits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    editor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    plan: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer)
    visit: Mapped[VisitRow] = relationship(back_populates="edits")


class VisitPhotoRow(Base):
    """A photo uploaded with a visit, kept so the saved visit shows its findings on it (the bytes load on demand)."""

    __tablename__ = "visit_photos"
    __table_args__ = (UniqueConstraint("visit_id", "name", name="uq_visit_photo_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), doc="The stored case's images[].path, e.g. upload-0.jpg.")
    media_type: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    visit: Mapped[VisitRow] = relationship(back_populates="photos")
