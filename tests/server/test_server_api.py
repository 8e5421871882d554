"""REST API: every endpoint on the real graph and safety check, bad input named by field, and the token."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from PIL import Image
from serverkit import TOKEN, image_form, load_case, text_only

from derm3r.server import ServerConfigError, ServerSettings, create_app
from derm3r.server.settings import is_loopback


def _without_timings(consultation: dict[str, Any]) -> dict[str, Any]:
    return {**consultation, "trace": [{**entry, "ms": 0} for entry in consultation["trace"]]}


def test_healthz_names_version_engine_and_database(client: Any) -> None:
    body = client.get("/healthz").json()
    assert body == {"status": "ok", "version": "0.1.0", "engine": "knowledge", "database": "sqlite", "auth": False,
                    "photos_kept": True, "photo_retention_days": None}


def test_implications_name_each_terms_broader_terms(client: Any) -> None:
    implied = client.get("/api/kb/implications").json()
    assert set(implied["tongue.coat_thin_yellow"]) == {"tongue.coat_thin", "tongue.coat_yellow"}  # lexicon/tongue.yaml
    assert implied["scale.silvery"] == ["scale.present"] and "scale.present" not in implied


def test_consult_json_is_the_python_apis_consultation(client: Any, system: Any) -> None:
    case = text_only(load_case("ps-blood-heat-1"))
    response = client.post("/api/consult", json=case)
    assert response.status_code == 200
    expected = json.loads(system.consult(case).model_dump_json())
    assert _without_timings(response.json()) == _without_timings(expected)
    assert response.json()["assessment"]["syndrome"]["name"] == "血热内蕴证"


def test_consult_multipart_runs_rec_on_every_uploaded_photo(client: Any) -> None:
    case = load_case("ps-blood-heat-1")
    form, files = image_form(case)
    response = client.post("/api/consult", data=form, files=files)
    assert response.status_code == 200, response.text
    images = [finding for finding in response.json()["findings"] if finding["source"].startswith("image:")]
    assert [(item["view"], item["site"]) for item in images] == [("closeup", "elbow"), ("overview", "trunk")]
    assert all(item["quality"]["width"] > 0 for item in images)


def test_stream_sends_one_event_per_agent_then_the_consultation(client: Any) -> None:
    case = text_only(load_case("ps-blood-heat-1"))
    response = client.post("/api/consult/stream", json=case)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = [block.split("\n", 1) for block in response.text.strip().split("\n\n")]
    names = [head.removeprefix("event: ") for head, _ in events]
    assert names == ["agent", "agent", "agent", "agent", "consultation"]
    agents = [json.loads(data.removeprefix("data: "))["agent"] for _, data in events[:4]]
    assert agents == ["DERM-Rec", "DERM-Rep", "DERM-Reason", "Safety"]
    final = json.loads(events[-1][1].removeprefix("data: "))
    assert final["case_id"] == case["case_id"] and final["plan"]["herbs"]


def test_referral_case_abstains_with_red_flags(client: Any) -> None:
    body = client.post("/api/consult", json=load_case("hongpibing-refer-1")).json()
    assert body["safety"]["abstained"] is True and body["safety"]["red_flags"] and body["safety"]["referral"]
    assert body["plan"]["herbs"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"case_id": "x", "patient": {"age": 200}}, "case.patient.age"),
        ({"case_id": "x", "tongue_colour": "红"}, "case.tongue_colour"),
        ({"patient": {"sex": "F"}}, "case.case_id"),
        ([1, 2], "case"),
        ({"case_id": "x", "images": [{"path": "a.jpg"}]}, "case.images"),
    ],
)
def test_bad_json_cases_are_422_naming_the_field(client: Any, body: Any, field: str) -> None:
    response = client.post("/api/consult", json=body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    assert "Traceback" not in response.text


def test_body_that_is_not_json_or_not_a_case_format(client: Any) -> None:
    bad = client.post("/api/consult", content=b"{not json", headers={"content-type": "application/json"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "(body)"
    wrong_type = client.post("/api/consult", content=b"case_id=x", headers={"content-type": "text/plain"})
    assert wrong_type.status_code == 415 and wrong_type.json()["errors"][0]["field"] == "content-type"


def test_multipart_mismatches_name_the_file_or_the_case_path(client: Any) -> None:
    case = load_case("ps-blood-heat-1")
    form, files = image_form(case)
    missing = client.post("/api/consult", data=form, files=files[:1])
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "case.images[1].path"
    extra = client.post("/api/consult", data={"case": json.dumps(text_only(case))}, files=files[:1])
    assert extra.status_code == 422 and extra.json()["errors"][0]["field"] == "images[0]"
    no_case = client.post("/api/consult", data={"other": "1"}, files=files[:1])
    assert no_case.status_code == 422 and no_case.json()["errors"][0]["field"] == "case"
    bad_json = client.post("/api/consult", data={"case": "{"}, files=files[:1])
    assert bad_json.status_code == 422 and bad_json.json()["errors"][0]["field"] == "case"


def test_uploads_pass_the_image_intakes_guards(make_client: Any) -> None:
    client = make_client(max_image_bytes=60_000, max_image_pixels=10_000, max_images=2)
    case = {"case_id": "u", "chief_complaint": "肘部红斑鳞屑", "images": [{"path": "a.png"}]}
    corrupt = client.post("/api/consult", data={"case": json.dumps(case)},
                          files=[("images", ("a.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "image/png"))])
    assert corrupt.status_code == 400
    assert corrupt.json()["errors"][0]["field"] == "images[0]" and "a.png" in corrupt.json()["detail"]
    big = client.post("/api/consult", data={"case": json.dumps(case)},
                      files=[("images", ("a.png", b"\0" * 70_000, "image/png"))])
    assert big.status_code == 413 and big.json()["errors"][0]["field"] == "images[0]"
    bomb = io.BytesIO()
    Image.new("RGB", (1000, 1000), (200, 50, 50)).save(bomb, "PNG")  # 1 Mpx > 20 × 10 000 px declared
    refused = client.post("/api/consult", data={"case": json.dumps(case)},
                          files=[("images", ("a.png", bomb.getvalue(), "image/png"))])
    assert refused.status_code == 400 and "pixels" in refused.json()["detail"]
    many = {**case, "images": [{"path": f"{i}.png"} for i in range(3)]}
    too_many = client.post("/api/consult", data={"case": json.dumps(many)},
                           files=[("images", (f"{i}.png", b"x", "image/png")) for i in range(3)])
    assert too_many.status_code == 413 and too_many.json()["errors"][0]["field"] == "images"
    assert "Maximum number of files is 2" in too_many.json()["detail"]


def test_safety_check_finds_a_shibafan_pair_a_pregnancy_herb_and_a_high_dose(client: Any) -> None:
    # 十八反: 甘草 opposes 甘遂 (十八反歌诀 "藻戟遂芫俱战草"); 莪术 is 孕妇禁用 and 生地黄's ceiling is
    # 15 g (《中华人民共和国药典》2020年版 一部).
    plan = {"herbs": [{"name": "甘草", "dose_g": 6}, {"name": "甘遂", "dose_g": 1},
                      {"name": "莪术", "dose_g": 9}, {"name": "生地黄", "dose_g": 20}]}
    body = client.post("/api/safety/check", json={"plan": plan, "patient": {"sex": "F", "age": 30,
                                                                            "pregnant": True}}).json()
    rules = {finding["rule_id"].split(".")[0] + "." + finding["rule_id"].split(".")[1]
             for finding in body["safety"]["warnings"]}
    assert {"rule.shibafan", "pregnancy.forbidden", "herb.dose_ceiling"} <= rules
    assert [herb["name"] for herb in body["herbs"]] == ["甘草", "生地黄"]
    not_pregnant = client.post("/api/safety/check", json={"plan": plan, "patient": {"sex": "M", "age": 30}}).json()
    assert "莪术" in [herb["name"] for herb in not_pregnant["herbs"]]


def test_safety_check_reads_the_patient_from_a_whole_case(client: Any) -> None:
    case = {"case_id": "c", "patient": {"sex": "F", "age": 28, "pregnant": True}}
    plan = {"herbs": [{"name": "莪术", "dose_g": 9}]}
    body = client.post("/api/safety/check", json={"plan": plan, "case": case}).json()
    assert body["herbs"] == [] and body["safety"]["abstained"] is True


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"plan": {"herbs": [{"name": "甘草", "dose_g": 0}]}}, "plan.herbs.0.dose_g"),
        ({"plan": {"herbs": [{"name": "", "dose_g": 3}]}}, "plan.herbs.0.name"),
        ({"plan": {"herbs": []}, "patient": {"age": -1}}, "patient.age"),
        ({}, "plan"),
    ],
)
def test_safety_check_bad_input_names_the_field(client: Any, body: dict[str, Any], field: str) -> None:
    response = client.post("/api/safety/check", json=body)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == field


def test_kb_search_finds_the_syndrome_and_checks_its_query(client: Any) -> None:
    passages = client.get("/api/kb/search", params={"q": "血热 皮损鲜红 银屑病", "kind": "syndrome"}).json()
    # The knowledge base now holds blood-heat syndromes of several diseases: psoriasis' must rank near the top.
    ids = [p["id"] for p in passages]
    assert "syn.psoriasis.blood_heat" in ids[:3] and all(p["kind"] == "syndrome" for p in passages)
    assert client.get("/api/kb/search").json()["errors"][0]["field"] == "q"
    assert client.get("/api/kb/search", params={"q": "x", "k": 0}).json()["errors"][0]["field"] == "k"


def test_token_guards_every_api_route_but_not_health_or_page(make_client: Any) -> None:
    client = make_client(token=TOKEN)
    assert client.get("/healthz").json()["auth"] is True
    assert client.get("/").status_code == 200
    for method, path in [("get", "/api/patients"), ("get", "/api/kb/search?q=x"), ("post", "/api/consult"),
                         ("post", "/api/safety/check"), ("get", "/api/patients/1/course"),
                         ("get", "/api/visits/1/photos/upload-0.jpg"),
                         ("delete", "/api/visits/1/photos/upload-0.jpg"), ("post", "/api/kb/labels")]:
        refused = getattr(client, method)(path)
        assert refused.status_code == 401, path
        assert refused.headers["www-authenticate"] == "Bearer"
    wrong = client.get("/api/patients", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.json()["detail"].startswith("Authorization")
    assert client.get("/api/patients", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_network_host_without_token_refuses_to_start(system: Any) -> None:
    with pytest.raises(ServerConfigError, match=r"--host 0\.0\.0\.0"):
        create_app(ServerSettings(host="0.0.0.0"), system=system)
    with pytest.raises(ServerConfigError, match="--token"):
        create_app(ServerSettings(host="0.0.0.0", token="short"), system=system)
    create_app(ServerSettings(host="0.0.0.0", token=TOKEN), system=system)
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5") and not is_loopback("example.org")


def test_serve_command_exits_2_for_a_network_host_without_token(monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from derm3r.cli.main import main

    monkeypatch.delenv("DERM3R_TOKEN", raising=False)
    assert main(["serve", "--host", "0.0.0.0", "--port", "0"]) == 2
    assert "needs a bearer token" in capsys.readouterr().err
    assert main(["serve", "--engine-option", "novalue"]) == 2
    capsys.readouterr()
    assert main(["serve", "--database-url", "postgresql+psycopg://nobody@127.0.0.1:1/none"]) == 2
    assert "the patient record cannot be opened" in capsys.readouterr().err
    assert main(["serve", "--database-url", "nosuchdb://x/y"]) == 2
    assert "--database-url" in capsys.readouterr().err


def test_an_unexpected_failure_is_one_json_line(client: Any, system: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(system, "consult", broken)
    response = client.post("/api/consult", json={"case_id": "x", "chief_complaint": "红斑"})
    assert response.status_code == 500
    assert response.json() == {"detail": "internal error (RuntimeError)", "errors": []}


def test_openapi_documents_every_route(client: Any) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ["/healthz", "/api/consult", "/api/consult/stream", "/api/safety/check", "/api/kb/search",
                 "/api/patients", "/api/patients/{patient_id}", "/api/patients/{patient_id}/visits",
                 "/api/patients/{patient_id}/course", "/api/visits/{visit_id}", "/api/visits/{visit_id}/plan",
                 "/api/visits/{visit_id}/photos/{name}", "/api/kb/labels"]:
        assert path in paths, path
    assert "delete" in paths["/api/visits/{visit_id}/photos/{name}"]
    assert "multipart/form-data" in paths["/api/consult"]["post"]["requestBody"]["content"]
    assert client.get("/docs").status_code == 200


def test_the_page_and_its_assets_ship_in_the_package_without_any_cdn(client: Any) -> None:
    import re

    page = client.get("/")
    assert page.status_code == 200 and "DERM-3R" in page.text and 'lang="zh-CN"' in page.text
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text)
    assert {"/static/app.js", "/static/style.css", "/static/i18n.js"} <= set(assets)
    for asset in assets:
        body = client.get(asset)
        assert body.status_code == 200, asset
        external = set(re.findall(r"https?://[^\s\"'`)]+", body.text)) - {"http://www.w3.org/2000/svg"}
        assert external == set(), asset
    assert "@media print" in client.get("/static/style.css").text
    assert "/i18n/measures.js" in page.text
    script = client.get("/i18n/measures.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    names = json.loads(script.text.split("const MEASURE_NAMES = ", 1)[1].rstrip().rstrip(";"))
    assert names["zh"]["pasi_induration"] == "PASI 浸润" and names["en"]["erythema_index"] == "erythema index"


def _events(text: str) -> list[tuple[str, Any]]:
    blocks = [block.split("\n", 1) for block in text.strip().split("\n\n")]
    return [(head.removeprefix("event: "), json.loads(data.removeprefix("data: "))) for head, data in blocks]


def test_a_failure_after_the_stream_began_arrives_as_an_error_event(client: Any, system: Any,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: Any, **__: Any) -> Any:
        yield "recognize_lesions", {}
        raise RuntimeError("engine lost")

    monkeypatch.setattr(system, "stream", broken)
    events = _events(client.post("/api/consult/stream", json={"case_id": "x", "chief_complaint": "红斑"}).text)
    assert [name for name, _ in events] == ["agent", "error"]
    assert events[1][1]["detail"] == "RuntimeError: engine lost"


def test_a_streamed_visit_ends_with_the_stored_visit(client: Any) -> None:
    patient = client.post("/api/patients", json={"name": "流式"}).json()
    case = load_case("ps-blood-heat-1")
    form, files = image_form(case)
    response = client.post(f"/api/patients/{patient['id']}/visits/stream",
                           data={**form, "response_to_previous": ""}, files=files)
    events = _events(response.text)
    assert [name for name, _ in events] == ["agent"] * 4 + ["consultation", "visit"]
    visit = events[-1][1]
    assert visit["number"] == 1 and visit["consultation"] == events[-2][1]
    assert [ref["view"] for ref in visit["case"]["images"]] == ["closeup", "overview"]
    assert client.get(f"/api/patients/{patient['id']}").json()["visit_count"] == 1


def test_served_abstention_threshold_is_the_knowledge_bases_unless_given(tmp_path: Any,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    from fastapi.testclient import TestClient

    from derm3r.cli.main import main

    case = text_only(load_case("ps-blood-heat-1"))
    defaults = TestClient(create_app(ServerSettings(data_dir=tmp_path / "a", retrieval=False)))
    given = TestClient(create_app(ServerSettings(data_dir=tmp_path / "b", retrieval=False, min_confidence=0.2)))
    with defaults, given:
        # None reaches the safety check, which then reads threshold.min_confidence (knowledge/rules/thresholds.yaml).
        assert defaults.app.state.services.system.settings.min_confidence is None
        assert given.app.state.services.system.settings.min_confidence == 0.2
        assert defaults.post("/api/consult", json=case).json()["safety"]["abstained"] is False
    assert main(["serve", "--min-confidence", "nan"]) == 2
    assert "--min-confidence" in capsys.readouterr().err


def test_labels_read_as_the_command_lines_english_report(client: Any) -> None:
    names = {"diseases": ["白疕", "某某病"], "terms": ["血热内蕴证", "清热凉血"], "herbs": ["生地黄"]}
    english = client.post("/api/kb/labels", json=names).json()
    assert english["diseases"]["白疕"].startswith("psoriasis (白疕")  # the knowledge data's Western name
    assert english["diseases"]["某某病"] == "mou mou bing (某某病)"  # not in the data: pinyin, never a guess
    assert english["terms"] == {
        "血热内蕴证": "xue re nei yun zheng (血热内蕴证)",
        "清热凉血": "qing re liang xue (清热凉血)",
    }
    assert english["herbs"] == {"生地黄": "sheng di huang (生地黄)"}
    chinese = client.post("/api/kb/labels?lang=zh", json=names).json()
    assert chinese["terms"]["血热内蕴证"] == "血热内蕴证" and chinese["herbs"]["生地黄"] == "生地黄"


def test_labels_reject_an_unknown_field_and_an_empty_name(client: Any) -> None:
    unknown = client.post("/api/kb/labels", json={"syndromes": ["血热证"]})
    empty = client.post("/api/kb/labels", json={"herbs": [""]})
    assert unknown.status_code == empty.status_code == 422
    assert "syndromes" in unknown.text and "herbs" in empty.text
