"""``langgraph dev`` serves the repository's own graph: a run returns a consultation and streams per-node updates.

The real LangGraph server (langgraph-cli[inmem]) runs in a subprocess on 127.0.0.1, with tracing and
analytics off, so nothing leaves the machine; it is stopped at the end however the test went.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _servers import free_port, running_server

REPO = Path(__file__).resolve().parents[2]
CASES = REPO / "examples" / "cases"
STARTUP_S = 180
pytestmark = pytest.mark.slow


def _langgraph() -> str:
    found = shutil.which("langgraph", path=str(Path(sys.executable).parent)) or shutil.which("langgraph")
    if found is None:
        pytest.skip("langgraph-cli is not installed (pip install -e '.[dev]')")
    return found


def _post(url: str, body: dict[str, Any], timeout: float = 120) -> bytes:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return bytes(response.read())


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    workdir = tmp_path_factory.mktemp("langgraph-dev")
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.endswith("_API_KEY")}
    env.update(
        PYTHONPATH=str(REPO),
        LANGSMITH_TRACING="false",
        LANGCHAIN_TRACING_V2="false",
        LANGGRAPH_CLI_NO_ANALYTICS="1",
        LANGGRAPH_CLOUD_LICENSE_KEY="",
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        DERM3R_CACHE_DIR=str(workdir / "cache"),
    )
    command = [_langgraph(), "dev", "--no-browser", "--no-reload", "--host", "127.0.0.1", "--port", str(port)]
    # From the repository root, as a user runs it: langgraph.json's paths are relative to it, and the server keeps
    # its state in .langgraph_api/ there (ignored by git).
    with running_server("langgraph dev", command, port=port, ready_path="/ok", log=workdir / "server.log", cwd=REPO,
                        env=env, startup_s=STARTUP_S) as url:
        yield url


def _run_input(case_file: str) -> dict[str, Any]:
    case = json.loads((CASES / case_file).read_text(encoding="utf-8"))
    return {"case": case, "case_dir": str(CASES)}


def test_a_run_returns_the_same_consultation_as_in_process(server: str) -> None:
    from derm3r import Derm3R
    from derm3r.schemas.consultation import Consultation

    body = {"assistant_id": "derm3r", "input": _run_input("ps-blood-heat-1.json"), "context": {"retrieval": False}}
    served = Consultation.model_validate_json(_post(f"{server}/runs/wait", body))
    local = Derm3R(retrieval=False).consult(CASES / "ps-blood-heat-1.json")
    assert served.case_id == "ps-blood-heat-1" and served.engine == "knowledge"
    assert served.assessment.syndrome is not None and local.assessment.syndrome is not None
    assert served.assessment.syndrome.id == local.assessment.syndrome.id
    assert [(h.name, h.dose_g) for h in served.plan.herbs] == [(h.name, h.dose_g) for h in local.plan.herbs]
    assert served.safety == local.safety
    assert [entry.node for entry in served.trace] == [entry.node for entry in local.trace]


def test_a_run_honours_the_context_it_is_given(server: str) -> None:
    case = {"case": {"case_id": "ctx", "lesion_description": "皮损鲜红，鳞屑较多", "tongue": "舌红苔黄"}}
    body = {"assistant_id": "derm3r", "input": case, "context": {"engine": "no-such-engine", "retrieval": False}}
    reply = json.loads(_post(f"{server}/runs/wait", body))
    # An unknown engine name is an input error (EngineInputError, a kind of EngineError).
    assert reply.get("__error__", {}).get("error") in {"EngineError", "EngineInputError"}


def test_a_streamed_run_sends_each_node_update(server: str) -> None:
    run = _run_input("ps-blood-heat-1.json")
    body = {"assistant_id": "derm3r", "input": run, "context": {"retrieval": False}, "stream_mode": "updates"}
    events: list[tuple[str, Any]] = []
    event = ""
    for line in _post(f"{server}/runs/stream", body).decode("utf-8").splitlines():
        if line.startswith("event:"):
            event = line.removeprefix("event:").strip()
        elif line.startswith("data:") and event == "updates":
            events.append(next(iter(json.loads(line.removeprefix("data:")).items())))
    nodes = [node for node, _ in events]
    images = len(run["case"]["images"])
    assert nodes == ["admit_case", *["recognize_lesions"] * (1 + images), "represent_lesions",
                     "reason_holistically", "check_safety"]
    assert {update["findings"][0]["source"] for node, update in events if node == "recognize_lesions"} == {
        "text", *(f"image:{image['path']}" for image in run["case"]["images"])
    }
    assert events[-1][1]["safety"]["abstained"] is False
