"""The safety check holds whatever engine wrote the plan.

The LLM path is exercised through the real ``openai`` engine against a scripted OpenAI-compatible
server on 127.0.0.1 whose DERM-Reason reply proposes the violations; a scripted in-process engine
(registered like any engine) stands for "any other engine".
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from derm3r import Derm3R
from derm3r.engines.base import EngineOptions, ImageInput, ReasonResult, Served
from derm3r.engines.registry import register_engine
from derm3r.kb.documents import Passage
from derm3r.llm.specs import NO_RETRIEVAL, RetrievalSpec
from derm3r.safety.reading import CaseReading
from derm3r.schemas.case import Case
from derm3r.schemas.findings import LesionFindings, LesionRepresentation, Sign
from derm3r.schemas.plan import Assessment, FormulaRef, HerbDose, SyndromeCall, TreatmentPlan

# 甘草+海藻 (十八反), 三棱 (pregnancy-forbidden), 附子 at three times its ceiling, an invented herb.
VIOLATING_HERBS = [
    {"name": "水牛角", "dose_g": 30, "role": "君"},
    {"name": "甘草", "dose_g": 6, "role": "使"},
    {"name": "海藻", "dose_g": 10, "role": "佐"},
    {"name": "三棱", "dose_g": 10, "role": "佐"},
    {"name": "附子", "dose_g": 45, "role": "佐"},
    {"name": "龙肝凤髓", "dose_g": 10},
]
REPLIES = {
    "rec": {"source": "text", "color": ["鲜红"], "description": "鲜红斑块"},
    "rep": {
        "summary": "鲜红斑块，新发不断",
        "stage": "进行期",
        "severity": "中度",
        "pathogenesis": "血热",
        "signs": [{"term": "color.bright_red", "label": "鲜红", "category": "color", "source": "text"}],
    },
    "reason": {
        "assessment": {"disease": "白疕", "syndrome": {"name": "血热内蕴证", "confidence": 0.9}},
        "plan": {"formula": {"name": "犀角地黄汤"}, "herbs": VIOLATING_HERBS},
    },
}
PREGNANT_CASE = {
    "case_id": "planted",
    "patient": {"sex": "F", "age": 30, "pregnant": True},
    "history": "银屑病，皮损鲜红，新发不断",
    "tongue": "舌红苔黄",
}


class _ScriptedHandler(BaseHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        content = json.dumps(REPLIES[body["model"]], ensure_ascii=False)
        data = json.dumps({"choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture(scope="module")
def scripted_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ScriptedHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


class ScriptedViolatingEngine:
    """A scripted engine (no model) whose plan carries every planted violation."""

    name = "scripted-violations"

    def __init__(self, options: EngineOptions) -> None:
        self.kb = options.knowledge

    def adapter_for(self, agent: str) -> str | None:
        return None

    def retrieval(self, agent: str) -> RetrievalSpec:
        return NO_RETRIEVAL

    def recognize(self, case: Case, image: ImageInput | None) -> Served[LesionFindings]:
        term = self.kb.terms["color.bright_red"]
        sign = Sign(term=term.id, label=term.label, category=term.category, source="text")
        return Served(LesionFindings(source="text", signs=[sign]), self.name)

    def represent(
        self, case: Case, findings: list[LesionFindings], passages: list[Passage]
    ) -> Served[LesionRepresentation]:
        return Served(LesionRepresentation(summary="鲜红斑块", signs=[s for f in findings for s in f.signs]), self.name)

    def reason(
        self,
        case: Case,
        representation: LesionRepresentation,
        passages: list[Passage],
        reading: CaseReading | None = None,
    ) -> Served[ReasonResult]:
        call = SyndromeCall(id="syn.psoriasis.blood_heat", name="血热内蕴证", confidence=0.9)
        assessment = Assessment(disease="白疕", disease_id="disease.psoriasis", syndrome=call)
        herbs = [HerbDose(name=h["name"], dose_g=h["dose_g"]) for h in VIOLATING_HERBS]
        plan = TreatmentPlan(formula=FormulaRef(name="犀角地黄汤"), herbs=herbs)
        return Served(ReasonResult(assessment, plan), self.name)


def _assert_plan_is_safe(system: Derm3R, consultation: Any) -> None:
    kb = system.knowledge
    names = {herb.name for herb in consultation.plan.herbs}
    assert "水牛角" in names  # the rest of the plan survives
    assert not {"甘草", "海藻"} <= names
    assert "三棱" not in names and "龙肝凤髓" not in names
    fu_zi = [herb for herb in consultation.plan.herbs if herb.name == "附子"]
    assert all(herb.dose_g <= kb.herbs["herb.fu_zi"].dose_max_g for herb in fu_zi)
    rules = {warning.rule_id for warning in consultation.safety.warnings}
    assert {"rule.shibafan.gancao_haizao", "herb.unknown"} <= rules
    assert any(rule.startswith("pregnancy.forbidden") for rule in rules)
    assert consultation.trace[-1].node == "check_safety"


def test_openai_engine_plan_with_planted_violations_is_corrected(scripted_url: str) -> None:
    system = Derm3R(
        engine="openai", retrieval=False, engine_options={"base_url": scripted_url, "fallback": False, "timeout_s": 10}
    )
    consultation = system.consult(PREGNANT_CASE)
    assert consultation.engine == "openai"
    _assert_plan_is_safe(system, consultation)


def test_openai_engine_prescription_for_a_red_flag_case_is_withheld(scripted_url: str) -> None:
    system = Derm3R(engine="openai", retrieval=False, engine_options={"base_url": scripted_url, "fallback": False})
    case = {"case_id": "rf", "history": "全身皮肤弥漫潮红，大量脱屑，高热39℃"}
    consultation = system.consult(case)
    assert consultation.safety.abstained and consultation.safety.red_flags
    assert consultation.plan.herbs == []


def test_any_registered_engine_goes_through_the_safety_check() -> None:
    register_engine("scripted-violations", ScriptedViolatingEngine)
    system = Derm3R(engine="scripted-violations", retrieval=False)
    _assert_plan_is_safe(system, system.consult(PREGNANT_CASE))
