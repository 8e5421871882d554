"""How long the record keeps uploaded photos: those of visits older than the retention period are deleted.

A clinic's consent form usually promises a retention period; the findings (lesion outlines and
measurements) stay with the visit, only the photo bytes go, as when a clinician deletes one by hand.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from derm3r.server.db.models import VisitPhotoRow, VisitRow

#: A running server looks for expired photos at most this often (and at startup).
PURGE_INTERVAL = timedelta(hours=1)


def purge_expired_photos(sessions: sessionmaker[Session], retention_days: int, now: datetime | None = None) -> int:
    """Delete the photos of every visit stored more than ``retention_days`` days before ``now``.

    Args:
        sessions: The record's session factory.
        retention_days: Days a visit's photos are kept.
        now: The current time (UTC aware); defaults to the clock.

    Returns:
        How many photos were deleted.
    """
    cutoff = (now or datetime.now(UTC)) - timedelta(days=retention_days)
    expired_visits = select(VisitRow.id).where(VisitRow.created_at < cutoff)
    with sessions.begin() as session:
        result = session.execute(
            delete(VisitPhotoRow).where(VisitPhotoRow.visit_id.in_(expired_visits)).execution_options(
                synchronize_session=False)
        )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


class PhotoRetention:
    """The server's retention policy: purges at startup, then at most once per ``PURGE_INTERVAL``."""

    def __init__(self, retention_days: int | None) -> None:
        """Args: retention_days: Days photos are kept; None keeps them until a clinician deletes them."""
        self.retention_days = retention_days
        self._last_run: datetime | None = None
        self._lock = threading.Lock()

    def enforce(self, sessions: sessionmaker[Session], now: datetime | None = None) -> int:
        """Purge expired photos if the policy has a period and the last purge is older than the interval.

        Args:
            sessions: The record's session factory.
            now: The current time (UTC aware); defaults to the clock.

        Returns:
            How many photos were deleted (0 when nothing was due).
        """
        if self.retention_days is None:
            return 0
        now = now or datetime.now(UTC)
        with self._lock:
            if self._last_run is not None and now - self._last_run < PURGE_INTERVAL:
                return 0
            self._last_run = now
        return purge_expired_photos(sessions, self.retention_days, now)
