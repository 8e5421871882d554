"""The LLM judge of ``derm3r evaluate --judge`` against a scripted OpenAI-compatible server on 127.0.0.1 (real HTTP)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from derm3r.api import Derm3R
from derm3r.cli.main import main
from derm3r.evaluation.judge import CACHE_DIR, JudgeSpecError, build_judge, parse_judge_spec
from derm3r.evaluation.runner import evaluate

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "examples" / "eval" / "psoriasis.jsonl"
CASES = REPO / "examples" / "cases"
DIMENSIONS = ("lesion_description", "pathogenesis", "syndrome", "treatment_principle", "prescription", "readability")


def verdict(base: int, rationale: str = "辨证基本正确，方药略有出入。") -> str:
    return json.dumps({**{name: base for name in DIMENSIONS}, "rationale": rationale}, ensure_ascii=False)


class Script:
    """Queued replies first, then a valid verdict of 7 on every dimension."""

    def __init__(self) -> None:
        self.replies: list[str] = []
        self.requests: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    def next_reply(self, body: dict[str, Any]) -> str:
        with self.lock:
            self.requests.append(body)
            return self.replies.pop(0) if self.replies else verdict(7)


class _Handler(BaseHTTPRequestHandler):
    script: Script

    def log_message(self, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        assert self.path == "/v1/chat/completions"
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        content = self.script.next_reply(body)
        data = json.dumps({"choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]},
                          ensure_ascii=False).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture(scope="module")
def scripted_server() -> Iterator[tuple[str, Script]]:
    script = Script()
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("ScriptedJudge", (_Handler,), {"script": script}))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1", script
    server.shutdown()
    server.server_close()


@pytest.fixture()
def script(scripted_server: tuple[str, Script]) -> Script:
    scripted_server[1].replies.clear()
    scripted_server[1].requests.clear()
    return scripted_server[1]


def data_file(tmp_path: Path, n: int) -> Path:
    lines = [line for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()][:n]
    path = tmp_path / "data.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def records_of(out: Path) -> list[dict[str, Any]]:
    return [json.loads(text) for text in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]


def spec(url: str, **extra: str) -> str:
    return ",".join([f"openai:base_url={url}", "model=judge-model", "max_retries=0",
                     *(f"{key}={value}" for key, value in extra.items())])


def test_judge_spec_is_parsed_into_backend_options_and_bad_specs_name_the_part() -> None:
    scheme, options = parse_judge_spec("openai:base_url=http://127.0.0.1:8000/v1, model=judge-model")
    assert scheme == "openai" and options == {"base_url": "http://127.0.0.1:8000/v1", "model": "judge-model"}
    with pytest.raises(JudgeSpecError, match="unknown judge backend 'hf'"):
        parse_judge_spec("hf:model=x")
    with pytest.raises(JudgeSpecError, match="model: the judge model"):
        parse_judge_spec("openai:base_url=http://127.0.0.1:8000/v1")
    with pytest.raises(JudgeSpecError, match="expected KEY=VALUE, got 'oops'"):
        parse_judge_spec("openai:model=m,oops")


def test_bad_judge_setting_is_a_typed_error_naming_the_key(fast_system: Derm3R, tmp_path: Path) -> None:
    with pytest.raises(JudgeSpecError, match="timeout_s: expected a number"):
        build_judge("openai:model=m,timeout_s=soon", tmp_path, fast_system.knowledge)
    with pytest.raises(JudgeSpecError, match="max_reask: expected an integer"):
        build_judge("openai:model=m,max_reask=many", tmp_path, fast_system.knowledge)


def test_scripted_valid_scores_are_stored_per_case_and_aggregated_with_cis(
    fast_system: Derm3R, scripted_server: tuple[str, Script], script: Script, tmp_path: Path
) -> None:
    out = tmp_path / "run"
    judge = build_judge(spec(scripted_server[0]), out, fast_system.knowledge)
    script.replies += [verdict(4), verdict(6), verdict(8)]
    run = evaluate(fast_system, data_file(tmp_path, 3), out, case_dir=CASES, progress=False, judge=judge)
    records = records_of(out)
    assert [r["judge"]["scores"]["syndrome"] for r in records] == [4, 6, 8]
    assert all(r["judge"]["error"] is None and r["judge"]["model"] == "judge-model" for r in records)
    assert records[0]["scores"]["judge_prescription"] == pytest.approx(0.4)
    summary = run.metrics["judge"]
    assert summary["judged"] == 3 and summary["errors"] == 0 and summary["scale"] == "0-10"
    syndrome = summary["scores"]["syndrome"]
    assert syndrome["mean"] == pytest.approx(6.0) and syndrome["n"] == 3
    assert 4.0 <= syndrome["ci_low"] < 6.0 < syndrome["ci_high"] <= 8.0
    assert json.loads((out / "metrics.json").read_text(encoding="utf-8"))["judge"] == summary
    assert "judge_syndrome" in (out / "report.md").read_text(encoding="utf-8")
    body = script.requests[0]
    assert body["model"] == "judge-model" and body["temperature"] == 0.0
    system, user = body["messages"]
    assert "JudgeScores" in system["content"] or '"prescription"' in system["content"]
    expert = json.loads(DATA.read_text(encoding="utf-8").splitlines()[0])["expert"]
    assert f"方剂：{expert['formula']}" in user["content"] and "【系统诊疗意见】" in user["content"]


def test_scripted_malformed_then_valid_reply_is_re_asked_with_the_error(
    fast_system: Derm3R, scripted_server: tuple[str, Script], script: Script, tmp_path: Path
) -> None:
    out = tmp_path / "run"
    judge = build_judge(spec(scripted_server[0]), out, fast_system.knowledge)
    script.replies += ["我认为总体不错 {not json", json.dumps({**{d: 5 for d in DIMENSIONS}, "syndrome": 11})]
    evaluate(fast_system, data_file(tmp_path, 1), out, case_dir=CASES, progress=False, judge=judge)
    assert len(script.requests) == 3
    second, third = script.requests[1]["messages"], script.requests[2]["messages"]
    assert [m["role"] for m in second] == ["system", "user", "assistant", "user"]
    assert "上一次输出无效" in second[-1]["content"]
    assert "syndrome" in third[-1]["content"]
    assert records_of(out)[0]["judge"]["scores"]["syndrome"] == 7


def test_scripted_always_invalid_judge_records_an_error_and_the_run_completes(
    fast_system: Derm3R, scripted_server: tuple[str, Script], script: Script, tmp_path: Path
) -> None:
    out = tmp_path / "run"
    judge = build_judge(spec(scripted_server[0], max_reask="1"), out, fast_system.knowledge)
    script.replies += ["no json", "still none"]
    run = evaluate(fast_system, data_file(tmp_path, 2), out, case_dir=CASES, progress=False, judge=judge)
    first, second = records_of(out)
    assert first["error"] is None and "syndrome_acc" in first["scores"]
    assert first["judge"]["error"].startswith("StructuredOutputError: agent judge: no valid output after 2 attempt")
    assert not any(name.startswith("judge_") for name in first["scores"])
    assert second["judge"]["scores"]["readability"] == 7
    assert run.metrics["judge"]["judged"] == 1 and run.metrics["judge"]["errors"] == 1
    assert run.metrics["metrics"]["judge_readability"]["n"] == 1


def test_scripted_second_cli_run_reads_the_judge_cache_and_sends_no_request(
    scripted_server: tuple[str, Script], script: Script, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run"
    argv = ["evaluate", str(data_file(tmp_path, 2)), "--out", str(out), "--case-dir", str(CASES), "--no-retrieval",
            "--no-progress", "--judge", spec(scripted_server[0]), "--lang", "en"]
    assert main(argv) == 0
    assert len(script.requests) == 2 and len(list((out / CACHE_DIR).glob("*.json"))) == 2
    assert "2 judged, 0 judge errors" in capsys.readouterr().out
    script.requests.clear()
    script.replies.append(verdict(0))  # would change the scores if the judge were asked again
    assert main([*argv, "--overwrite"]) == 0  # a second run over the same --out must say it discards the first
    assert script.requests == []
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["judge"]["cache"] == {"hits": 2, "misses": 0}
    assert metrics["judge"]["scores"]["syndrome"]["mean"] == pytest.approx(7.0)
