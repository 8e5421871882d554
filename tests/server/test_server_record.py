"""The patient record: visits pre-filled from earlier ones, edits kept beside proposals, no lost writes."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from serverkit import load_case, text_only

from derm3r.server.db.migrate import upgrade
from derm3r.server.db.models import Base
from derm3r.server.db.session import make_engine, make_sessions
from derm3r.server.record import add_visit, create_patient, edit_plan, get_patient
from derm3r.server.schemas import PatientIn, PlanEditIn


def _new_patient(client: Any, **fields: Any) -> dict[str, Any]:
    response = client.post("/api/patients", json={"name": "王某", "sex": "M", "birth_year": 2002, **fields})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_patients_create_list_read_and_bad_input(client: Any) -> None:
    first = _new_patient(client, name="王某")
    second = _new_patient(client, name="李某", sex="F", birth_year=1990)
    listed = client.get("/api/patients").json()
    assert [item["id"] for item in listed] == [second["id"], first["id"]]
    assert [item["name"] for item in client.get("/api/patients", params={"q": "李"}).json()] == ["李某"]
    record = client.get(f"/api/patients/{first['id']}").json()
    assert record["name"] == "王某" and record["visits"] == []
    assert client.post("/api/patients", json={"name": ""}).json()["errors"][0]["field"] == "name"
    assert client.post("/api/patients", json={"name": "x", "sex": "X"}).json()["errors"][0]["field"] == "sex"
    missing = client.get("/api/patients/999")
    assert missing.status_code == 404 and missing.json()["errors"][0]["field"] == "patient_id"
    assert client.get("/api/patients/abc").json()["errors"][0]["field"] == "patient_id"
    assert client.get("/api/visits/999").status_code == 404


def test_follow_up_visit_is_prefilled_from_the_record_and_adjusts_the_edited_plan(client: Any) -> None:
    patient = _new_patient(client)
    case = text_only(load_case("ps-blood-heat-1"))
    first = client.post(f"/api/patients/{patient['id']}/visits", json={"case": case})
    assert first.status_code == 201, first.text
    first_visit = first.json()
    assert first_visit["number"] == 1 and first_visit["case"]["previous_visits"] == []
    proposal = first_visit["consultation"]["plan"]["herbs"]
    edited = [dict(herb, dose_g=12) if herb["name"] == "生地黄" else herb for herb in proposal
              if herb["name"] != "大黄"]
    edit = client.put(f"/api/visits/{first_visit['id']}/plan",
                      json={"editor": "李医师", "herbs": edited, "notes": "便已通，去大黄", "base_version": 1})
    assert edit.status_code == 200, edit.text
    audit = edit.json()["edits"]
    assert len(audit) == 1 and audit[0]["editor"] == "李医师" and audit[0]["version"] == 2
    assert {"change": "dose", "herb": "生地黄", "before": 15.0, "after": 12.0} in audit[0]["changes"]
    assert {"change": "removed", "herb": "大黄", "before": 6.0, "after": None} in audit[0]["changes"]
    # The system's proposal is kept beside the clinician's plan.
    assert edit.json()["consultation"]["plan"]["herbs"] == proposal
    assert "大黄" not in [herb["name"] for herb in edit.json()["final_plan"]["herbs"]]

    follow = client.post(f"/api/patients/{patient['id']}/visits",
                         json={"case": {**case, "case_id": "fu-2"}, "response_to_previous": "皮损变薄，瘙痒减轻"})
    assert follow.status_code == 201, follow.text
    visit = follow.json()
    previous = visit["case"]["previous_visits"]
    assert visit["number"] == 2 and len(previous) == 1
    assert previous[0]["syndrome"] == "血热内蕴证" and previous[0]["response"] == "皮损变薄，瘙痒减轻"
    assert {"name": "生地黄", "dose_g": 12.0} in previous[0]["plan"]["herbs"]
    assert visit["case"]["patient"]["age"] == 24  # 2026 (visit date) − 2002 (birth year)
    consultation = visit["consultation"]
    assert "皮损变薄" in consultation["representation"]["change_since_last_visit"]
    assert any("守前方加减" in note for note in consultation["plan"]["notes"])  # same syndrome: keep the plan
    assert {"name": "生地黄", "dose_g": 12.0} in [{"name": h["name"], "dose_g": h["dose_g"]}
                                                  for h in consultation["plan"]["herbs"]]


def test_stale_edit_is_refused_and_every_edit_is_audited(client: Any) -> None:
    patient = _new_patient(client)
    visit = client.post(f"/api/patients/{patient['id']}/visits",
                        json={"case": text_only(load_case("ps-blood-heat-1"))}).json()
    herbs = visit["consultation"]["plan"]["herbs"]
    assert client.put(f"/api/visits/{visit['id']}/plan",
                      json={"editor": "甲", "herbs": herbs[:3], "base_version": 1}).status_code == 200
    stale = client.put(f"/api/visits/{visit['id']}/plan", json={"editor": "乙", "herbs": herbs[:2], "base_version": 1})
    assert stale.status_code == 409 and stale.json()["errors"][0]["field"] == "base_version"
    pair = [{"name": "甘草", "dose_g": 6}, {"name": "甘遂", "dose_g": 1}]
    latest = client.put(f"/api/visits/{visit['id']}/plan", json={"editor": "乙", "herbs": pair}).json()
    assert [edit["editor"] for edit in latest["edits"]] == ["甲", "乙"] and latest["version"] == 3
    # The final plan keeps what the clinician wrote; the safety check's findings are stored beside it.
    assert [herb["name"] for herb in latest["final_plan"]["herbs"]] == ["甘草", "甘遂"]
    assert latest["final_safety"]["safety"]["warnings"][0]["rule_id"].startswith("rule.shibafan")
    bad = client.put(f"/api/visits/{visit['id']}/plan", json={"editor": "", "herbs": pair})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "editor"


def test_course_shows_syndrome_plan_changes_and_severity_per_visit(client: Any) -> None:
    patient = _new_patient(client)
    case = text_only(load_case("ps-blood-heat-1"))
    first = client.post(f"/api/patients/{patient['id']}/visits", json={"case": case}).json()
    client.put(f"/api/visits/{first['id']}/plan", json={"editor": "李医师", "herbs": [
        herb for herb in first["consultation"]["plan"]["herbs"] if herb["name"] != "大黄"]})
    later = text_only(load_case("ps-blood-dryness-1"))
    client.post(f"/api/patients/{patient['id']}/visits", json={"case": {**later, "case_id": "v2"}})
    course = client.get(f"/api/patients/{patient['id']}/course").json()
    visits = course["visits"]
    assert [visit["number"] for visit in visits] == [1, 2]
    assert visits[0]["syndrome"] == "血热内蕴证" and visits[0]["edited"] is True
    assert visits[1]["syndrome"] != visits[0]["syndrome"]  # the dryness case changes the pattern: 更方
    assert visits[1]["changes"][0]["change"] == "formula" and visits[1]["changes"][0]["after"] == visits[1]["formula"]
    assert all(visit["severity"] in ("轻度", "中度", "重度", "未定") for visit in visits)
    assert client.get("/api/patients/999/course").status_code == 404


def test_a_saved_visit_reads_back_with_what_its_view_shows(client: Any) -> None:
    """GET /api/visits/{id} (the web page's saved-visit view): the photo's measurements and outlines, the signs with
    the words they were read from, the differential's evidence, and how the final plan differs from the proposal."""
    from serverkit import image_form

    patient = _new_patient(client)
    form, files = image_form(load_case("ps-blood-heat-1"))
    created = client.post(f"/api/patients/{patient['id']}/visits", data=form, files=files)
    assert created.status_code == 201, created.text
    visit = created.json()
    assert visit["changes_from_proposal"] == []  # not edited yet
    proposal = visit["consultation"]["plan"]["herbs"]
    herbs = [dict(herb, dose_g=20.0) if index == 0 else herb for index, herb in enumerate(proposal)
             if herb["name"] != "大黄"] + [{"name": "甘草", "dose_g": 6}]
    client.put(f"/api/visits/{visit['id']}/plan", json={"editor": "甲", "herbs": herbs[:-1]})
    client.put(f"/api/visits/{visit['id']}/plan", json={"editor": "乙", "herbs": herbs, "formula": "自拟方"})
    read = client.get(f"/api/visits/{visit['id']}").json()
    first = proposal[0]
    # Two edits, one list against the proposal: each change once, the formula's too.
    assert read["changes_from_proposal"] == [
        {"change": "formula", "before": visit["consultation"]["plan"]["formula"]["name"], "after": "自拟方"},
        {"change": "dose", "herb": first["name"], "before": first["dose_g"], "after": 20.0},
        {"change": "added", "herb": "甘草", "before": None, "after": 6.0},
        {"change": "removed", "herb": "大黄", "before": 6.0, "after": None},
    ]
    assert [edit["editor"] for edit in read["edits"]] == ["甲", "乙"]
    photos = [finding for finding in read["consultation"]["findings"] if finding["measurements"]]
    assert photos and all(finding["measurements"]["outlines"] for finding in photos[:1])
    assert {"area_percent", "erythema_index"} <= {item["name"] for item in photos[0]["measurements"]["items"]}
    signs = read["consultation"]["representation"]["signs"]
    assert any(sign["evidence"] and sign["evidence"] in read["case"]["lesion_description"] for sign in signs)
    assert read["consultation"]["assessment"]["disease_differential"][0]["evidence"]
    assert client.get(f"/api/patients/{patient['id']}").json()["visits"][0]["changes_from_proposal"] == \
        read["changes_from_proposal"]
    # The uploaded photos are kept with the visit, byte for byte, under the names its findings cite.
    uploads = {name: data for _, (name, data, _) in files}
    stored = {photo["name"]: photo for photo in read["photos"]}
    assert len(stored) == len(uploads) and {f"image:{name}" for name in stored} <= {
        finding["source"] for finding in read["consultation"]["findings"]}
    for ref, (original, data) in zip(read["case"]["images"], uploads.items(), strict=True):
        photo = client.get(f"/api/visits/{visit['id']}/photos/{ref['path']}")
        assert photo.status_code == 200 and photo.content == data, original
        assert photo.headers["content-type"] == stored[ref["path"]]["media_type"] == "image/jpeg"
    missing = client.get(f"/api/visits/{visit['id']}/photos/upload-9.jpg")
    assert missing.status_code == 404 and missing.json()["errors"][0]["field"] == "name"
    assert client.get(f"/api/visits/{visit['id']}/photos/..%2Fx").status_code in (404, 422)


def test_visit_bad_input_names_the_field(client: Any) -> None:
    patient = _new_patient(client)
    url = f"/api/patients/{patient['id']}/visits"
    assert client.post(url, json={"response_to_previous": "x"}).json()["errors"][0]["field"] == "case"
    assert client.post(url, json={"case": {"case_id": "x", "visit": {"number": 0}}}).json()["errors"][0][
        "field"] == "case.visit.number"
    assert client.post(url, json={"case": {"case_id": "x"}, "response_to_previous": 3}).json()["errors"][0][
        "field"] == "response_to_previous"
    assert client.post("/api/patients/999/visits", json={"case": {"case_id": "x"}}).status_code == 404


def test_migrations_match_the_models_and_rerun_cleanly(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = make_engine(f"sqlite:///{tmp_path / 'record.sqlite3'}")
    upgrade(engine)
    upgrade(engine)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def concurrent_writes(url: str, consultation: dict[str, Any], writers: int = 8, each: int = 3) -> None:
    """Several threads add visits to one patient and edit one visit at once; nothing may be lost."""
    engine = make_engine(url)
    upgrade(engine)
    sessions = make_sessions(engine)
    patient = create_patient(sessions, PatientIn(name="并发"))
    target = add_visit(sessions, patient.id, {"case_id": "c"}, consultation, "")
    errors: list[BaseException] = []
    herbs = consultation["plan"]["herbs"]

    def work(worker: int) -> None:
        try:
            for step in range(each):
                add_visit(sessions, patient.id, {"case_id": f"w{worker}-{step}"}, consultation, f"{worker}/{step}")
                edit = PlanEditIn(editor=f"doctor-{worker}", herbs=herbs[: 1 + (worker + step) % len(herbs)])
                edit_plan(sessions, target.id, edit, {})
        except BaseException as error:  # collected: a failure in a thread must fail the test
            errors.append(error)

    threads = [threading.Thread(target=work, args=(worker,)) for worker in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    with sessions() as session:
        record = get_patient(session, patient.id)
        numbers = [visit.number for visit in record.visits]
        assert numbers == list(range(1, writers * each + 2))
        stored = sorted(visit.case["case_id"] for visit in record.visits[1:])
        assert stored == sorted(f"w{w}-{s}" for w in range(writers) for s in range(each))
        edited = record.visits[0]
        assert len(edited.edits) == writers * each and edited.version == writers * each + 1
        assert sorted(edit.version for edit in edited.edits) == list(range(2, writers * each + 2))
    engine.dispose()


@pytest.fixture(scope="module")
def stored_consultation(system: Any) -> dict[str, Any]:
    consultation: dict[str, Any] = system.consult(text_only(load_case("ps-blood-heat-1"))).model_dump(mode="json")
    return consultation


def test_concurrent_visits_to_one_patient_never_lose_a_write_sqlite(tmp_path: Path,
                                                                   stored_consultation: dict[str, Any]) -> None:
    concurrent_writes(f"sqlite:///{tmp_path / 'record.sqlite3'}", stored_consultation)


def test_concurrent_visits_to_one_patient_never_lose_a_write_postgresql(postgres_url: str,
                                                                       stored_consultation: dict[str, Any]) -> None:
    concurrent_writes(postgres_url, stored_consultation)


def test_the_app_runs_on_postgresql_with_the_same_code(make_client: Any, postgres_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    client = make_client(database_url=postgres_url)
    assert client.get("/healthz").json()["database"] == "postgresql"
    patient = _new_patient(client, name="赵某")
    case = text_only(load_case("ps-blood-heat-1"))
    first = client.post(f"/api/patients/{patient['id']}/visits", json={"case": case}).json()
    edit = client.put(f"/api/visits/{first['id']}/plan", json={"editor": "李医师", "herbs": [
        {"name": "生地黄", "dose_g": 12, "role": "君"}], "base_version": 1})
    assert edit.status_code == 200 and edit.json()["edits"][0]["editor"] == "李医师"
    follow = client.post(f"/api/patients/{patient['id']}/visits",
                         json={"case": {**case, "case_id": "pg-2"}, "response_to_previous": "好转"}).json()
    assert follow["case"]["previous_visits"][0]["plan"]["herbs"] == [{"name": "生地黄", "dose_g": 12.0}]
    assert [visit["number"] for visit in client.get(f"/api/patients/{patient['id']}/course").json()["visits"]] == [1, 2]
    engine = make_engine(postgres_url)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    engine.dispose()


def test_course_reads_numeric_image_measurements_and_averages_them() -> None:
    from derm3r.server.course import read_measurements

    def image(area: float, erythema: int) -> dict[str, Any]:
        return {"source": "image:a.jpg", "measurements": {"image_size": [640, 480], "outlines": [], "items": [
            {"name": "area_percent", "value": area, "unit": "%", "confidence": 0.7},
            {"name": "pasi_erythema", "value": erythema, "unit": "PASI 0-4"},
            {"name": "tongue_body", "value": "红", "unit": ""},
            {"name": "lesion_count", "value": None}]}}

    consultation = {"findings": [{"source": "text"}, image(10.0, 3), image(20.0, 2)]}
    assert read_measurements(consultation) == {"area_percent": 15.0, "pasi_erythema": 2.5}
    assert read_measurements({"findings": [{"source": "text", "measurements": None}]}) == {}


def test_a_kept_photo_can_be_deleted_and_its_findings_stay(client: Any) -> None:
    from serverkit import image_form

    patient = _new_patient(client)
    form, files = image_form(load_case("ps-blood-heat-1"))
    visit = client.post(f"/api/patients/{patient['id']}/visits", data=form, files=files).json()
    name = visit["photos"][0]["name"]
    url = f"/api/visits/{visit['id']}/photos/{name}"
    assert client.delete(url).status_code == 204
    assert client.get(url).status_code == 404
    read = client.get(f"/api/visits/{visit['id']}").json()
    assert name not in {photo["name"] for photo in read["photos"]}
    assert len(read["photos"]) == len(visit["photos"]) - 1
    assert f"image:{name}" in {finding["source"] for finding in read["consultation"]["findings"]}  # outlines kept
    again = client.delete(url)
    assert again.status_code == 404 and again.json()["errors"][0]["field"] == "name"
    assert client.delete(f"/api/visits/{visit['id']}/photos/..%2Fx").status_code in (404, 422)


def test_a_server_told_to_keep_no_photos_keeps_only_their_findings(make_client: Any) -> None:
    from serverkit import image_form

    client = make_client(keep_photos=False)
    patient = _new_patient(client)
    form, files = image_form(load_case("ps-blood-heat-1"))
    visit = client.post(f"/api/patients/{patient['id']}/visits", data=form, files=files).json()
    assert visit["photos"] == []
    assert any(finding["measurements"] for finding in visit["consultation"]["findings"])
