"""The photo retention period: photos of visits older than it are deleted, their findings stay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from derm3r.server import ServerConfigError, ServerSettings
from derm3r.server.db.migrate import upgrade
from derm3r.server.db.models import VisitPhotoRow, VisitRow
from derm3r.server.db.session import make_engine, make_sessions
from derm3r.server.record import Photo, add_visit, create_patient
from derm3r.server.retention import PURGE_INTERVAL, PhotoRetention, purge_expired_photos
from derm3r.server.schemas import PatientIn

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
FINDINGS = {"findings": [{"source": "image:upload-0.png", "measurements": {"items": []}}]}


@pytest.fixture
def sessions(tmp_path: Path) -> Any:
    engine = make_engine(f"sqlite:///{tmp_path / 'record.sqlite3'}")
    upgrade(engine)
    yield make_sessions(engine)
    engine.dispose()


def _visit_stored(sessions: Any, patient_id: int, days_ago: float) -> int:
    photo = Photo("upload-0.png", "image/png", b"\x89PNG fake bytes")
    row = add_visit(sessions, patient_id, {"case_id": f"c{days_ago}"}, FINDINGS, "", [photo])
    with sessions.begin() as session:
        session.execute(update(VisitRow).where(VisitRow.id == row.id).values(created_at=NOW - timedelta(days=days_ago)))
    return row.id


def _photo_visits(sessions: Any) -> set[int]:
    with sessions() as session:
        return set(session.scalars(select(VisitPhotoRow.visit_id)))


def test_photos_older_than_the_period_go_and_the_rest_stay_with_every_finding(sessions: Any) -> None:
    patient = create_patient(sessions, PatientIn(name="赵某"))
    old = _visit_stored(sessions, patient.id, days_ago=31)
    edge = _visit_stored(sessions, patient.id, days_ago=29.9)
    recent = _visit_stored(sessions, patient.id, days_ago=1)
    assert purge_expired_photos(sessions, 30, now=NOW) == 1
    assert _photo_visits(sessions) == {edge, recent}
    with sessions() as session:
        assert session.get(VisitRow, old).consultation == FINDINGS  # the visit and its outlines stay
    assert purge_expired_photos(sessions, 30, now=NOW) == 0
    assert purge_expired_photos(sessions, 1, now=NOW) == 1  # a shorter period reaches the 29.9-day visit
    assert _photo_visits(sessions) == {recent}


def test_the_policy_purges_at_most_once_an_interval_and_never_without_a_period(sessions: Any) -> None:
    patient = create_patient(sessions, PatientIn(name="钱某"))
    first = _visit_stored(sessions, patient.id, days_ago=10)
    policy = PhotoRetention(7)
    assert policy.enforce(sessions, now=NOW) == 1
    second = _visit_stored(sessions, patient.id, days_ago=9)
    assert policy.enforce(sessions, now=NOW + PURGE_INTERVAL / 2) == 0  # not due yet
    assert second in _photo_visits(sessions)
    assert policy.enforce(sessions, now=NOW + PURGE_INTERVAL) == 1
    assert first not in _photo_visits(sessions) and second not in _photo_visits(sessions)
    _visit_stored(sessions, patient.id, days_ago=400)
    assert PhotoRetention(None).enforce(sessions, now=NOW) == 0 and len(_photo_visits(sessions)) == 1


def test_settings_refuse_a_period_below_a_day_or_without_kept_photos() -> None:
    with pytest.raises(ServerConfigError, match="--photo-retention-days: expected a whole number of days >= 1"):
        ServerSettings(photo_retention_days=0).validate()
    with pytest.raises(ServerConfigError, match="--no-photo-record"):
        ServerSettings(photo_retention_days=30, keep_photos=False).validate()
    ServerSettings(photo_retention_days=30).validate()


def test_health_says_what_the_record_keeps(make_client: Any) -> None:
    body = make_client(photo_retention_days=30).get("/healthz").json()
    assert (body["photos_kept"], body["photo_retention_days"]) == (True, 30)
    body = make_client(keep_photos=False).get("/healthz").json()
    assert (body["photos_kept"], body["photo_retention_days"]) == (False, None)


def test_an_expired_photo_is_gone_when_the_server_starts(make_client: Any, tmp_path: Path) -> None:
    from serverkit import image_form, load_case

    client = make_client(data_dir=tmp_path / "kept", photo_retention_days=30)
    patient = client.post("/api/patients", json={"name": "孙某"}).json()
    form, files = image_form(load_case("ps-blood-heat-1"))
    visit = client.post(f"/api/patients/{patient['id']}/visits", data=form, files=files).json()
    url = f"/api/visits/{visit['id']}/photos/{visit['photos'][0]['name']}"
    assert client.get(url).status_code == 200
    engine = make_engine(f"sqlite:///{tmp_path / 'kept' / 'derm3r.sqlite3'}")
    with engine.begin() as connection:
        connection.execute(update(VisitRow).values(created_at=datetime.now(UTC) - timedelta(days=31)))
    engine.dispose()
    restarted = make_client(data_dir=tmp_path / "kept", photo_retention_days=30)
    assert restarted.get(url).status_code == 404
    read = restarted.get(f"/api/visits/{visit['id']}").json()
    assert read["photos"] == [] and any(f["measurements"] for f in read["consultation"]["findings"])


def test_serve_exits_2_for_a_bad_retention_period(capsys: pytest.CaptureFixture[str]) -> None:
    from derm3r.cli.main import main

    assert main(["serve", "--photo-retention-days", "0"]) == 2
    assert "--photo-retention-days" in capsys.readouterr().err
    assert main(["serve", "--photo-retention-days", "30", "--no-photo-record"]) == 2
    assert "--no-photo-record" in capsys.readouterr().err
