"""The openai engine against a scripted OpenAI-compatible HTTP server on 127.0.0.1 (no model, real HTTP)."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from derm3r.engines.base import EngineOptions
from derm3r.engines.fallback import FALLBACK_ADAPTER, FallbackEngine
from derm3r.engines.llm import LLMEngine
from derm3r.engines.registry import build_engine
from derm3r.llm.openai_backend import ServerError
from derm3r.llm.structured import StructuredOutputError
from derm3r.schemas.case import Case

REPO = Path(__file__).resolve().parents[2]
CASE = REPO / "examples" / "cases" / "ps-blood-heat-1.json"

VALID = {
    "rec": {"source": "text", "morphology": ["斑块"], "color": ["鲜红"], "description": "鲜红斑块，上覆银白鳞屑"},
    "rep": {
        "summary": "进行期鲜红斑块，鳞屑较厚",
        "stage": "进行期",
        "severity": "中度",
        "pathogenesis": "血分热盛，外发肌肤",
        "signs": [{"term": "color.bright_red", "label": "鲜红", "category": "color", "source": "text"}],
    },
    "reason": {
        "assessment": {
            "disease": "白疕",
            "syndrome": {"name": "血热内蕴证", "confidence": 0.8},
            "treatment_principle": "清热凉血，解毒消斑",
        },
        "plan": {
            "formula": {"name": "犀角地黄汤"},
            "herbs": [
                {"name": "水牛角", "dose_g": 30, "role": "君"},
                {"name": "生地黄", "dose_g": 15, "role": "臣"},
                {"name": "龙肝凤髓", "dose_g": 10},
            ],
        },
    },
}


class Scripted:
    """What the scripted server answers: queued steps first, then a valid reply for the model name asked."""

    def __init__(self) -> None:
        self.steps: list[tuple[str, Any]] = []
        self.requests: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0

    def next_step(self) -> tuple[str, Any] | None:
        with self.lock:
            return self.steps.pop(0) if self.steps else None


class _Handler(BaseHTTPRequestHandler):
    script: Scripted

    def log_message(self, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        script = self.script
        assert self.path == "/v1/chat/completions"
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with script.lock:
            script.requests.append(body)
            script.in_flight += 1
            script.max_in_flight = max(script.max_in_flight, script.in_flight)
        try:
            step = script.next_step()
            if step is None:
                time.sleep(0.02)
                status, payload = 200, _completion(json.dumps(VALID[body["model"]], ensure_ascii=False))
            elif step[0] == "status":
                status, payload = step[1], {"error": {"message": "scripted failure"}}
            elif step[0] == "sleep":
                time.sleep(step[1])
                status, payload = 200, _completion("{}")
            else:
                status, payload = 200, _completion(step[1])
        finally:
            # Counted out before replying: the client may send its next request as soon as it reads this one.
            with script.lock:
                script.in_flight -= 1
        self._reply(status, payload)

    def _reply(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if status == 429:
            self.send_header("Retry-After", "0")
        self.end_headers()
        self.wfile.write(data)


def _completion(content: str) -> dict[str, Any]:
    return {"choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}]}


@pytest.fixture(scope="module")
def scripted_server() -> Iterator[tuple[str, Scripted]]:
    script = Scripted()
    handler = type("ScriptedHandler", (_Handler,), {"script": script})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1", script
    server.shutdown()
    server.server_close()


@pytest.fixture()
def script(scripted_server: tuple[str, Scripted]) -> Scripted:
    _, script = scripted_server
    script.steps.clear()
    script.requests.clear()
    script.max_in_flight = 0
    return script


def _engine(kb, url: str, **extra: Any) -> Any:  # type: ignore[no-untyped-def]
    options = {"base_url": url, "backoff_s": 0.01, "max_retries": 2, "timeout_s": 5, "fallback": False, **extra}
    engine = build_engine("openai", EngineOptions(knowledge=kb, extra=options))
    # With the fallback on, the LLM engine is wrapped; without it, it answers alone.
    assert isinstance(engine, FallbackEngine if options["fallback"] else LLMEngine)
    return engine


def test_scripted_success_sends_the_adapter_as_model_and_images_as_data_urls(  # type: ignore[no-untyped-def]
    kb, scripted_server: tuple[str, Scripted], script: Scripted
) -> None:
    from derm3r.case_io import load_case
    from derm3r.engines.base import ImageInput

    engine = _engine(kb, scripted_server[0], json_schema=True)
    case, folder = load_case(CASE)
    served = engine.recognize(case, ImageInput(case.images[0], folder))
    assert (served.engine, served.adapter) == ("openai", "rec")
    findings = served.value
    assert findings.source == f"image:{case.images[0].path}" and findings.color == ["鲜红"]
    body = script.requests[-1]
    assert body["model"] == "rec" and body["temperature"] == 0.0
    system, user = body["messages"]
    assert system["role"] == "system" and '"properties"' in system["content"]
    assert user["content"][0]["image_url"]["url"].startswith("data:image/png;base64,")
    assert body["response_format"]["json_schema"]["name"] == "RecOutput"
    assert engine.adapter_for("rec") == "rec"


def test_scripted_malformed_json_then_valid_reply_is_re_asked_with_the_error(  # type: ignore[no-untyped-def]
    kb, scripted_server: tuple[str, Scripted], script: Scripted
) -> None:
    engine = _engine(kb, scripted_server[0])
    script.steps += [("reply", "抱歉，我先想一想 {not json"), ("reply", '{"summary": "x", "stage": "发作期"}')]
    representation = engine.represent(Case(case_id="r", tongue="舌红"), []).value
    assert representation.stage == "进行期"
    assert len(script.requests) == 3
    reask = script.requests[2]["messages"]
    assert [m["role"] for m in reask] == ["system", "user", "assistant", "user", "assistant", "user"]
    assert "stage" in reask[-1]["content"] and "上一次输出无效" in reask[-1]["content"]


def test_scripted_invalid_output_every_time_raises_a_typed_error(  # type: ignore[no-untyped-def]
    kb, scripted_server: tuple[str, Scripted], script: Scripted
) -> None:
    engine = _engine(kb, scripted_server[0], max_reask=1)
    script.steps += [("reply", "no json"), ("reply", "still none")]
    with pytest.raises(StructuredOutputError, match="agent rep: no valid output after 2 attempt"):
        engine.represent(Case(case_id="r"), [])


def test_scripted_429_and_500_are_retried_with_backoff(  # type: ignore[no-untyped-def]
    kb, scripted_server: tuple[str, Scripted], script: Scripted
) -> None:
    engine = _engine(kb, scripted_server[0])
    script.steps += [("status", 429), ("status", 500)]
    findings = engine.recognize(Case(case_id="r", tongue="舌红"), None).value
    assert findings.color == ["鲜红"] and len(script.requests) == 3


def test_scripted_client_error_is_not_retried(  # type: ignore[no-untyped-def]
    kb, scripted_server: tuple[str, Scripted], script: Scripted
) -> None:
    engine = _engine(kb, scripted_server[0])
    script.steps += [("status", 400)]
    with pytest.raises(ServerError, match="HTTP 400"):
        engine.recognize(Case(case_id="r"), None)
    assert len(script.requests) == 1


def test_scripted_timeout_becomes_a_typed_error(  # type: ignore[no-untyped-def]
    kb, scripted_server: tuple[str, Scripted], script: Scripted
) -> None:
    engine = _engine(kb, scripted_server[0], timeout_s=0.2, max_retries=1)
    script.steps += [("sleep", 0.6), ("sleep", 0.6)]
    with pytest.raises(ServerError, match="timed out"):
        engine.recognize(Case(case_id="r"), None)


def test_scripted_full_consult_resolves_names_and_safety_removes_unknown_herbs(  # type: ignore[no-untyped-def]
    kb, scripted_server: tuple[str, Scripted], script: Scripted, tmp_path: Path
) -> None:
    from derm3r import Derm3R

    system = Derm3R(index_path=tmp_path / "index", embedder="ngram")
    system.engine = _engine(kb, scripted_server[0], concurrency=2)
    results = system.consult_many([CASE, CASE, CASE, CASE], concurrency=4)
    assert [r.case_id for r in results] == ["ps-blood-heat-1"] * 4
    result = results[0]
    assert result.engine == "openai"
    # One Rec entry for the text and one per image, each served by the rec adapter; then Rep and Reason.
    images = len(result.findings) - 1
    rec = [(t.node, t.adapter) for t in result.trace][: images + 1]
    assert images >= 1 and rec == [("recognize_lesions", "rec")] * (images + 1)
    assert list(dict.fromkeys((t.node, t.adapter) for t in result.trace))[:3] == [
        ("recognize_lesions", "rec"),
        ("represent_lesions", "rep"),
        ("reason_holistically", "reason"),
    ]
    assert result.assessment.syndrome is not None and result.assessment.syndrome.id == "syn.psoriasis.blood_heat"
    assert "龙肝凤髓" not in {herb.name for herb in result.plan.herbs}
    assert any(w.rule_id == "herb.unknown" for w in result.safety.warnings)
    reason_prompts = [r["messages"][0]["content"] for r in script.requests if r["model"] == "reason"]
    assert reason_prompts and "[syn." in reason_prompts[0]  # retrieved passages reach the prompt with ids
    # DERM-Rep reads syndrome entries too (its spec's k), and the trace names the ones it was given.
    rep_prompts = [r["messages"][0]["content"] for r in script.requests if r["model"] == "rep"]
    rep_ids = re.findall(r"^\[(\S+)\]", rep_prompts[0], flags=re.MULTILINE)
    assert len(rep_ids) == 3 and all(entry.startswith("syn.") for entry in rep_ids)
    rep_trace = next(t for t in result.trace if t.node == "represent_lesions")
    assert set(rep_ids) <= set(rep_trace.knowledge_ids)
    assert script.max_in_flight <= 2  # the concurrency limit holds


def test_failed_node_falls_back_to_the_knowledge_engine_and_the_trace_says_so(  # type: ignore[no-untyped-def]
    kb, scripted_server: tuple[str, Scripted], script: Scripted, tmp_path: Path
) -> None:
    from derm3r import Derm3R

    system = Derm3R(index_path=tmp_path / "index", embedder="ngram")
    system.engine = _engine(kb, scripted_server[0], fallback=True, max_reask=0)
    script.steps += [("reply", "garbage")]  # only the text Rec call fails
    result = system.consult({"case_id": "fb", "lesion_description": "皮损鲜红，鳞屑厚", "tongue": "舌红苔黄"})
    served = {t.node: (t.engine, t.adapter) for t in result.trace}
    assert served["recognize_lesions"] == ("knowledge", FALLBACK_ADAPTER)
    assert served["represent_lesions"] == ("openai", "rep")
    assert result.engine == "openai"


def test_scripted_replies_are_cached_on_disk_unless_sampling(  # type: ignore[no-untyped-def]
    kb, scripted_server: tuple[str, Scripted], script: Scripted, tmp_path: Path
) -> None:
    from derm3r.llm.specs import GenerationSpec

    engine = _engine(kb, scripted_server[0], reply_cache_dir=str(tmp_path / "cache"))
    case = Case(case_id="c", tongue="舌红")
    first, second = engine.recognize(case, None), engine.recognize(case, None)
    assert first == second and len(script.requests) == 1
    assert engine.cache is not None and engine.cache.hits == 1
    sampled = engine.specs["rec"].model_copy(update={"generation": GenerationSpec(temperature=0.7)})
    engine.specs = {**engine.specs, "rec": sampled}
    engine.recognize(case, None)
    engine.recognize(case, None)
    assert len(script.requests) == 3
    assert script.requests[-1]["temperature"] == 0.7
